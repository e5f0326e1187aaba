"""What an exported file carries: its papers, each with the reader's marks (a module of
its own so the readers and the package that dispatches to them need not import each
other)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from paperterm.model import NO_META, Link, PaperMeta


@dataclass(frozen=True, slots=True)
class CarriedPaper:
    """One paper of an exported file: what it says of the paper and of its reader.

    ``dates`` are the digest dates it lists (empty when the file gives none, as BibTeX);
    ``line`` is the 1-based line its entry starts on.
    """

    title: str
    abstract: str = ""
    links: tuple[Link, ...] = ()
    meta: PaperMeta = NO_META
    dates: tuple[dt.date, ...] = ()
    starred: bool = False
    read: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""
    line: int = 1


@dataclass(frozen=True, slots=True)
class CarriedList:
    """The papers of one exported file, the format that read it, and what was odd."""

    source: str
    format: str
    papers: tuple[CarriedPaper, ...]
    warnings: tuple[str, ...] = field(default=())

"""The domain's value types: links, parsed digests, papers and a user's state over them.

Everything here is a frozen dataclass: values are replaced, never mutated, so the TUI,
the store and the search index can share them without copying.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, attrgetter, itemgetter, mul, neg
from typing import Literal

LinkKind = Literal["code", "project", "video", "dataset", "demo", "other"]
LINK_KINDS: tuple[LinkKind, ...] = ("code", "project", "video", "dataset", "demo", "other")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in an abstract, with what it points at."""

    url: str
    kind: LinkKind


def first_code_url(links: tuple[Link, ...]) -> str | None:
    """The URL of the first ``code`` link, or None."""
    for link in links:
        if link.kind == "code":
            return link.url
    return None


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One title/abstract pair as it stands in a digest file."""

    title: str
    abstract: str
    links: tuple[Link, ...]
    line: int  # 1-based line number of the title in the source text

    @property
    def code_url(self) -> str | None:
        """The paper's code link: its first ``code`` link, or None."""
        return first_code_url(self.links)


@dataclass(frozen=True, slots=True)
class Digest:
    """A parsed digest: its date, its papers in page order, and what was odd about it."""

    date: dt.date
    papers: tuple[ParsedPaper, ...]
    source: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper in the store: one per distinct title, whatever the digests it came in.

    ``abstract`` keeps the text as imported (control characters removed, TeX left as is);
    ``dates`` lists every digest date it appeared on, ascending; ``position`` is its index
    in the newest of those digests, so papers of one day keep the page's order.
    """

    id: str
    title: str
    abstract: str
    links: tuple[Link, ...]
    dates: tuple[dt.date, ...]
    position: int = 0

    @property
    def newest(self) -> dt.date:
        """The most recent digest date the paper appeared on."""
        return self.dates[-1]

    @property
    def code_url(self) -> str | None:
        """The paper's code link: its first ``code`` link, or None."""
        return first_code_url(self.links)


@dataclass(frozen=True, slots=True)
class PaperState:
    """One user's judgement of one paper. The default value means 'untouched'."""

    starred: bool = False
    read: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_default(self) -> bool:
        """True when nothing has been recorded for the paper."""
        return not (self.starred or self.read or self.tags or self.note)


DEFAULT_STATE = PaperState()


@dataclass(frozen=True, slots=True)
class Entry:
    """A paper together with the current user's state over it."""

    paper: Paper
    state: PaperState = field(default=DEFAULT_STATE)

    @property
    def id(self) -> str:
        """The paper's id."""
        return self.paper.id


def newest_first_key(paper: Paper) -> tuple[int, int]:
    """Sort key that puts the newest digest first and keeps each page's order."""
    return (-paper.newest.toordinal(), paper.position)


def newest_first_ints(papers: Sequence[Paper]) -> list[int] | None:
    """Per paper, an int that sorts like ``newest_first_key``: made and compared in C, where
    the tuple key costs a Python call per paper (a third of the time at 100,000 papers).
    None when some paper has no date or an odd position (then use ``newest_first_key``)."""
    if not all(map(attrgetter("dates"), papers)):
        return None
    positions = list(map(attrgetter("position"), papers))
    if positions and not 0 <= min(positions) <= max(positions) < _POSITIONS:
        return None
    newest = map(dt.date.toordinal, map(itemgetter(-1), map(attrgetter("dates"), papers)))
    return list(map(add, map(mul, map(neg, newest), repeat(_POSITIONS)), positions))


_POSITIONS = 1 << 40

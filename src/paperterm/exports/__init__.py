"""Export formats: the Markdown reading list and what reference managers and note vaults
import (BibTeX, RIS, CSL JSON, CSV, Obsidian notes).

Every format is a domain module (no Textual) taking entries (papers with the user's state)
and returning text, except ``obsidian``, which writes a folder of notes
(:func:`paperterm.exports.obsidian.export_obsidian`). :data:`FORMATS` names them for the
command line and the reader; :func:`render` renders a text format by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from paperterm.errors import PapertermError
from paperterm.model import Entry

__all__ = ["DEFAULT_FORMAT", "FORMATS", "ExportFormat", "export_format", "render"]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: its name, a line saying what it is for, the suffix of its files,
    and whether it writes a folder (one file per paper) rather than one file."""

    name: str
    label: str
    suffix: str
    folder: bool = False


FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("markdown", "Markdown reading list", ".md"),
        ExportFormat("bibtex", "BibTeX (LaTeX, biber, Zotero)", ".bib"),
        ExportFormat("ris", "RIS (Zotero, Mendeley, EndNote)", ".ris"),
        ExportFormat("csl-json", "CSL JSON (pandoc, citeproc, Zotero)", ".json"),
        ExportFormat("csv", "CSV (spreadsheets)", ".csv"),
        ExportFormat("obsidian", "Obsidian notes (a folder, one note per paper)", "", True),
    )
}
DEFAULT_FORMAT = "markdown"


def export_format(name: str) -> ExportFormat:
    """The format called ``name``; PapertermError listing the formats if there is none."""
    try:
        return FORMATS[name]
    except KeyError:
        names = ", ".join(FORMATS)
        raise PapertermError(f"unknown export format {name!r}: use one of {names}") from None


def render(
    name: str, entries: Sequence[Entry], *, query: str, today: dt.date, full: bool = False
) -> str:
    """The entries in text format ``name``. ``query``, ``today`` and ``full`` matter to the
    Markdown reading list only (its heading line and abstract length)."""
    renderers: dict[str, Callable[[], str]] = {
        "markdown": lambda: _markdown(entries, query, today, full),
        "bibtex": lambda: _bibtex(entries),
        "ris": lambda: _ris(entries),
        "csl-json": lambda: _csl(entries),
        "csv": lambda: _csv(entries),
    }
    fmt = export_format(name)
    if fmt.folder:
        raise PapertermError(f"export format {name!r} writes a folder: give it --output DIR")
    return renderers[fmt.name]()


# Each format is imported when used: `paperterm export` stays quick to start.


def _markdown(entries: Sequence[Entry], query: str, today: dt.date, full: bool) -> str:
    from paperterm.export import export_markdown

    return export_markdown(entries, query=query, today=today, full=full)


def _bibtex(entries: Sequence[Entry]) -> str:
    from paperterm.exports.bibtex import export_bibtex

    return export_bibtex(entries)


def _ris(entries: Sequence[Entry]) -> str:
    from paperterm.exports.ris import export_ris

    return export_ris(entries)


def _csl(entries: Sequence[Entry]) -> str:
    from paperterm.exports.csl import export_csl_json

    return export_csl_json(entries)


def _csv(entries: Sequence[Entry]) -> str:
    from paperterm.exports.spreadsheet import export_csv

    return export_csv(entries)

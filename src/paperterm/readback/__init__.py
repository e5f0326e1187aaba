"""Exports read back: a paperterm Markdown reading list or a BibTeX file of arXiv entries,
as papers with the user state they carry (stars, tags, notes), to apply to the store.

A teammate's exported reading list becomes your starting point: ``paperterm import`` reads
it (``detect_carried`` recognises both kinds of file), ``apply_carried`` matches every
paper to one in the store by arXiv id, else by title, adds the ones the store lacks, and
gives the current user the stars, tags and notes the file carries, without duplicating a
paper, a tag or a note. Parsers raise only ``DigestError`` naming the file, the format and
the line.
"""

from __future__ import annotations

from paperterm.readback.carried import CarriedList, CarriedPaper

__all__ = ["CARRIED_FORMATS", "CarriedList", "CarriedPaper", "detect_carried", "read_carried"]

CARRIED_FORMATS = ("reading-list", "bibtex")
"""The formats ``paperterm import`` reads back, as ``--format`` names them."""


def detect_carried(text: str) -> str | None:
    """``reading-list`` or ``bibtex`` when ``text`` looks like one, else None (then it is a
    capture of the papers page). Cheap: looks at the start of the text only."""
    from paperterm.readback.bibtex_file import looks_like_bibtex
    from paperterm.readback.reading_list import looks_like_reading_list

    if looks_like_reading_list(text):
        return "reading-list"
    if looks_like_bibtex(text):
        return "bibtex"
    return None


def read_carried(text: str, *, source: str, format: str) -> CarriedList:
    """Parse ``text`` as the exported file ``format`` names (one of ``CARRIED_FORMATS``)."""
    from paperterm.readback.bibtex_file import parse_bibtex
    from paperterm.readback.reading_list import parse_reading_list

    if format == "reading-list":
        return parse_reading_list(text, source=source)
    if format == "bibtex":
        return parse_bibtex(text, source=source)
    raise ValueError(f"not a carried format: {format!r}")

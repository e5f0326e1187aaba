"""What the capture readers share: the digest's date, capped warnings, merging repeats.

A capture may show one paper twice (a featured row and the list, or a page pasted twice):
``merge_repeats`` keeps one per arXiv id or title, its first text and every field the
repeats add.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from paperterm.digest import date_in_name, paper_key
from paperterm.model import ParsedPaper

MAX_WARNINGS = 50




def digest_date(
    found: dt.date | None, *, source: str, date_override: dt.date | None, today: dt.date | None
) -> dt.date:
    """The date of a capture: ``date_override``, else the date the capture shows, else the
    ``YYYY-MM-DD`` in its file name, else ``today`` (a trending or search page has none)."""
    return date_override or found or date_in_name(source) or today or dt.date.today()


class Warnings:
    """The first ``MAX_WARNINGS`` warnings of one capture in full; the rest only counted."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.shown: list[str] = []
        self.more = 0

    def add(self, warning: str) -> None:
        """Record one warning (its text is built by the caller only while it is shown)."""
        if len(self.shown) < MAX_WARNINGS:
            self.shown.append(f"{self.source}: {warning}")
        else:
            self.more += 1

    @property
    def full(self) -> bool:
        """True when further warnings are only counted."""
        return len(self.shown) >= MAX_WARNINGS

    def render(self) -> tuple[str, ...]:
        """The warnings as a digest holds them."""
        more = [f"{self.source}: ... and {self.more} more warnings"] if self.more else []
        return (*self.shown, *more)


def paper_keys(paper: ParsedPaper) -> list[str]:
    """The identities a paper is known by: its title's key and, when known, its arXiv id."""
    keys = [paper_key(paper.title)]
    if paper.meta.arxiv_id:
        keys.append("arxiv:" + paper.meta.arxiv_id)
    return keys


def merge_repeats(papers: Iterable[ParsedPaper]) -> tuple[tuple[ParsedPaper, ...], int]:
    """One paper per arXiv id or title, in first-seen order, and how many repeats were
    merged. A repeat fills what the first showing lacked (abstract, links, fields) and
    never replaces what it had."""
    kept: list[ParsedPaper] = []
    where: dict[str, int] = {}
    repeats = 0
    for paper in papers:
        keys = paper_keys(paper)
        index = next((where[key] for key in keys if key in where), None)
        if index is None:
            for key in keys:
                where[key] = len(kept)
            kept.append(paper)
            continue
        repeats += 1
        first = kept[index]
        links = first.links + tuple(link for link in paper.links if link not in first.links)
        merged = ParsedPaper(
            first.title,
            first.abstract or paper.abstract,
            links,
            first.line,
            paper.meta.merged(first.meta),  # the first showing's known fields win
        )
        kept[index] = merged
        for key in paper_keys(merged):
            where.setdefault(key, index)
    return tuple(kept), repeats

"""Messages the TUI's widgets send to the screen: small dataclasses, one job each."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class PaperHighlighted(Message):
    """The list's cursor moved onto a paper (None: the list is empty)."""

    paper_id: str | None


@dataclass
class PaperChosen(Message):
    """Enter was pressed on a paper in the list."""

    paper_id: str


@dataclass
class QueryChanged(Message):
    """The search box's text changed (search as you type)."""

    text: str


@dataclass
class QuerySubmitted(Message):
    """Enter in the search box: go to the results."""

    text: str


@dataclass
class QueryCleared(Message):
    """Escape in the search box: clear the filter."""


@dataclass
class SearchFinished(Message):
    """A search worker finished: the ids in display order, or the query's error; neither
    when the query waits for the search index."""

    text: str
    ids: list[str] | None
    error: str | None


@dataclass
class StoreChanged(Message):
    """Another process changed the store, or an import finished."""

    summary: str

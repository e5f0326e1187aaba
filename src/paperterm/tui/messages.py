"""Messages of the reader: widgets tell the screen what the user did, the app and workers
tell it what changed. Small dataclasses, one job each."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from paperterm.triage import Triage


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
class StoreChanged(Message, bubble=False):
    """The store's papers or states changed under the view: another process wrote, an
    import or a fetched day landed, or the rest of a partial open was loaded. The session
    has indexed and counted them already; the screen shows them, keeping its selection."""

    summary: str


@dataclass
class IndexReady(Message, bubble=False):
    """The search index is loaded: a search that waited for it can run."""


@dataclass
class StartDone(Message, bubble=False):
    """The start's background work is over: every paper, the index, the term vectors when
    cached, the heap settled (the benchmark takes the reader's peak memory then)."""


@dataclass
class SessionChanged(Message, bubble=False):
    """The app switched user: the main screen reads through ``session`` from now on, with
    that user's filter, selection and sort."""

    session: Triage

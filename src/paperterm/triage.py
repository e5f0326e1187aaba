"""A triage session: the reader's one door to the domain.

This is what the TUI drives, kept free of Textual so every action is testable without a
terminal: the user's papers, states, tags and preferences, imports and refreshes, searches
(``search``), related papers and "for you", and the undoable actions. The store does the
durable writes; this class decides what to write, keeps the undo history and answers
"what are we looking at".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from paperterm.heap import settle_heap as settle_heap  # the reader's, re-exported
from paperterm.importing import ImportResult
from paperterm.index_cache import index_path
from paperterm.live_index import LiveIndex
from paperterm.marks import Marking
from paperterm.model import Digest, Paper, PaperState
from paperterm.paths import validate_user
from paperterm.query import parse_query
from paperterm.recommend import FOR_YOU, Recommender, RelatedPaper
from paperterm.saved import expand, save_search, saved_searches
from paperterm.sorting import Sort, next_sort, parse_sort
from paperterm.store import SCHEMA_VERSION, Remaining, Store

if TYPE_CHECKING:  # imported when first needed: rapidfuzz and httpx are slow to import
    from paperterm.fetch import DailyPapersClient
    from paperterm.fetch_days import DayReport
    from paperterm.search import SearchIndex

SCAN_AT_MOST = 5000
"""While the index is not ready, ``search(wait=False)`` indexes a snapshot this small on
the spot."""

PREF_SORT = "sort"
"""The user preference holding the reader's sort order."""
PREF_SEEN_THROUGH = "seen_through"
"""The newest digest date the user has seen: papers first seen after it are new."""


@dataclass(frozen=True, slots=True)
class Counts:
    """The numbers in the header line."""

    new: int
    unread: int
    starred: int
    total: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Papers (newest first) and states as they were when a search started.

    Taken on the UI thread; a search worker reads only this and the index, never the store,
    so a star toggled or a digest imported meanwhile cannot change what it iterates.
    """

    papers: Sequence[Paper]
    states: Mapping[str, PaperState]


class Triage(Marking):
    """The store, its search index, and the undo history of one interactive session."""

    def __init__(
        self, store: Store, *, index: SearchIndex | None = None, cache: bool = True
    ) -> None:
        super().__init__(store)
        # the index's cache file (see paperterm.index_cache); None: always build
        self.live = LiveIndex(index_path(store.data_dir) if cache else None, index)
        # related papers and "for you": term vectors shared across users, a profile per user
        self.recommender = Recommender(store.data_dir if cache else None)
        self.sort: Sort = parse_sort(store.get_pref(PREF_SORT))
        """The order of results (``paperterm.sorting``); the user's preference ``sort``."""
        self._new = 0
        self._recount_new()

    @classmethod
    def open(
        cls, data_dir: Path, user: str, *, eager: bool = True, shelve: bool = False
    ) -> Triage:
        """A session over the store in ``data_dir`` as ``user`` (``eager=False``: only the
        newest shards now, the rest by ``read_remaining`` and ``adopt``; ``shelve``: the
        abstracts on disk, read when shown, see ``paperterm.shelf``)."""
        return cls(Store.open(data_dir, user, eager=eager, shelve=shelve))

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Triage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def for_user(self, user: str) -> Triage:
        """A new session over the same store as ``user`` (validated), sharing the search
        index and the term vectors; undo and the "for you" profile are per user. This
        session's store stays open: close it once the new one is in use."""
        store = Store.open(
            self.store.data_dir, validate_user(user), shelve=self.store.shelves_abstracts
        )
        session = Triage(store, index=self.index)
        session.live.path = self.live.path
        session.recommender.share_vectors(self.recommender)
        return session

    def upgrade_notice(self) -> str | None:
        """The line announcing that opening the store upgraded it (None: no upgrade)."""
        old = self.store.upgraded_from
        if old is None:
            return None
        return (f"Upgraded the store from schema version {old} to {SCHEMA_VERSION}: "
                "every paper, mark and preference kept.")  # fmt: skip

    # -- the store, changed ------------------------------------------------------------------

    def import_digest(self, digest: Digest) -> ImportResult:
        """Import one digest, index its papers and recount the new ones."""
        result = self.store.import_digest(digest)
        self._papers_changed()
        return result

    def refresh(self) -> bool:
        """Pick up what other processes wrote; True when anything changed (its papers are
        indexed and counted then)."""
        changed = self.store.refresh()
        if changed:
            self._papers_changed()
        return changed

    def read_remaining(self) -> Remaining:
        """Read what a partial open left out (files only: worker-safe), for ``adopt``."""
        return self.store.read_remaining()

    def adopt(self, remaining: Remaining) -> list[Paper]:
        """Take in what ``read_remaining`` read (on the store's thread); every paper."""
        self.store.adopt(remaining)
        self._recount_new()
        return self.store.papers()

    def days_to_fetch(self) -> list[dt.date]:
        """The days a plain ``paperterm fetch`` would fetch now (``fetch_days``)."""
        from paperterm.fetch_days import default_days, utc_today  # httpx: only to fetch

        return default_days(self.store.fetch_log(), utc_today())

    async def fetch(
        self,
        days: Sequence[dt.date],
        client: DailyPapersClient,
        *,
        cache_dir: Path,
        on_page: Callable[[dt.date, int], object] | None = None,
    ) -> AsyncIterator[DayReport]:
        """Fetch ``days`` into the store (``fetch_days.fetch_days``), yielding each day's
        report once its papers are in, indexed and counted."""
        from paperterm.fetch_days import fetch_days

        stream = fetch_days(self.store, days, client, cache_dir=cache_dir, on_page=on_page)
        async for report in stream:
            if report.new or report.known:
                self._papers_changed()
            yield report

    def _papers_changed(self) -> None:
        self.sync_index(self.store.papers())
        self._recount_new()

    def _recount_new(self) -> None:
        seen = self.pref(PREF_SEEN_THROUGH)
        since = dt.date.fromisoformat(seen) if seen else dt.date.min
        self._new = sum(1 for paper in self.store.papers() if paper.dates[0] > since)

    def mark_seen(self) -> None:
        """Remember that the user has seen every paper so far (the next session's "new"
        are those first seen after the newest now). Raises PapertermError."""
        papers = self.store.papers()  # newest first
        if papers:
            self.set_pref(PREF_SEEN_THROUGH, papers[0].newest.isoformat())

    def counts(self) -> Counts:
        """Header counts; ``new`` are papers first seen after what the user had seen when
        the session began."""
        states = self.store.states()
        total = len(self.store)
        # C-level sums: the header is recounted after every search (17,000 states at 100k)
        starred = sum(map(attrgetter("starred"), states.values()))
        read = sum(map(attrgetter("read"), states.values()))
        return Counts(new=self._new, unread=total - read, starred=starred, total=total)

    # -- sort ------------------------------------------------------------------------------

    def set_sort(self, sort: Sort) -> None:
        """Use ``sort`` from now on and save it as the user's preference."""
        self.store.set_pref(PREF_SORT, sort)
        self.sort = sort

    def cycle_sort(self) -> Sort:
        """Switch to the next sort order and save it as the user's preference."""
        sort = next_sort(self.sort)
        self.store.set_pref(PREF_SORT, sort)
        self.sort = sort
        return sort

    # -- searching ---------------------------------------------------------------------

    @property
    def index(self) -> SearchIndex | None:
        """The full-text index once it is loaded or built, else None."""
        return self.live.index

    def snapshot(self) -> Snapshot:
        """What a search runs over (call on the thread that writes the store)."""
        # the store's own list (never changed in place) and its copy of the states: a
        # keystroke's snapshot copies nothing more
        return Snapshot(self.store.papers_in_order(), self.store.states())

    def index_basis(self) -> tuple[list[Paper], dict[str, tuple[int, int]]]:
        """Every loaded paper and the stamps of the shard versions they came from, taken
        together (on the store's thread): what ``build_index`` is given."""
        return self.store.papers(), self.store.paper_stamps()

    def build_index(
        self,
        papers: Sequence[Paper] | None = None,
        stamps: Mapping[str, tuple[int, int]] | None = None,
    ) -> SearchIndex:
        """Load (from its cache file) or build the full-text index and use it from now on.

        Seconds at 100k papers without a cache file: call it from a worker. ``stamps``
        (``index_basis``) let the cache file it writes serve ``paperterm list`` too.
        """
        if papers is None:
            papers, stamps = self.index_basis()
        return self.live.build(papers, stamps)

    def sync_index(self, papers: Iterable[Paper]) -> int:
        """Index the papers that are new or changed since last time (``LiveIndex.sync``)."""
        return self.live.sync(papers)

    @overload
    def search(
        self, text: str, snapshot: Snapshot | None = None, *, wait: Literal[True] = True
    ) -> list[str]: ...

    @overload
    def search(self, text: str, snapshot: Snapshot | None = None, *, wait: bool) -> (
        list[str] | None): ...  # fmt: skip

    def search(
        self, text: str, snapshot: Snapshot | None = None, *, wait: bool = True
    ) -> list[str] | None:
        """Paper ids matching ``text`` over ``snapshot`` (default: the store now, on its
        thread) in the session's sort order. Raises QueryError. Worker-safe with a snapshot.

        Queries without free words never need the index, so they work while it builds. One
        with free words builds it when it is not there yet, unless ``wait`` is False: then
        a snapshot of at most ``SCAN_AT_MOST`` papers (the newest shards of a partial open)
        is answered by a throwaway index of it, and a larger one returns None.
        """
        query = parse_query(text)
        snapshot = self.snapshot() if snapshot is None else snapshot
        throwaway: SearchIndex | None = None
        if query.has_free_words and self.index is None:
            if wait:
                self.build_index(snapshot.papers)
            elif len(snapshot.papers) > SCAN_AT_MOST:
                return None
            else:
                from paperterm.search import SearchIndex

                throwaway = SearchIndex(snapshot.papers)
        sort = self.sort
        ids = self.live.find(query, snapshot.papers, snapshot.states, sort, throwaway)
        return self._for_you(ids, snapshot) if sort == FOR_YOU else ids

    # -- related papers, "for you", saved searches --------------------------------------

    def related(self, paper_id: str, snapshot: Snapshot, limit: int = 20) -> list[RelatedPaper]:
        """The papers most like ``paper_id`` in the snapshot. Worker-safe; the first call
        loads or builds the term vectors (seconds at 100,000 papers without their cache)."""
        paper = next((p for p in snapshot.papers if p.id == paper_id), None)
        if paper is None:
            return []
        return self.recommender.related(paper, snapshot.papers, limit)

    def train_for_you(self, snapshot: Snapshot) -> str | None:
        """Learn the "for you" profile from the snapshot's marks; why not, or None.
        Worker-safe."""
        return self.recommender.train(snapshot.states, snapshot.papers)

    def _for_you(self, ids: list[str], snapshot: Snapshot) -> list[str]:
        """``ids`` by resemblance to the user's profile; unchanged (relevance) without one
        (too few stars, not trained yet). Worker-safe."""
        if not self.recommender.trained:
            return ids
        by_id = {paper.id: paper for paper in snapshot.papers}
        ordered = self.recommender.for_you([by_id[pid] for pid in ids if pid in by_id])
        return ids if ordered is None else ordered

    def saved_searches(self) -> list[tuple[str, str]]:
        """The user's saved searches, (name, query), in the order saved."""
        return saved_searches(self.store)

    def save_search(self, name: str, query: str) -> str:
        """Save ``query`` as ``name`` for this user; returns the name. Raises PapertermError."""
        return save_search(self.store, name, query)

    def expand_query(self, text: str) -> str:
        """``text`` with a leading ``@name`` replaced by that saved search."""
        return expand(self.store, text)

def next_unread(
    ids: Sequence[str], start: int, is_read: Callable[[str], bool], step: int = 1
) -> int | None:
    """Index of the next (or previous, with step=-1) unread id after ``start``, or None."""
    index = start + step
    while 0 <= index < len(ids):
        if not is_read(ids[index]):
            return index
        index += step
    return None

"""A triage session: the current view of the store and the undoable actions over it.

This is what the TUI drives, kept free of Textual so every action is testable without a
terminal. The store does the durable writes; this class decides what to write, keeps the
undo history and answers "what are we looking at".
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from paperterm.documents import normalize_tag
from paperterm.errors import PapertermError
from paperterm.heap import settle_heap as settle_heap  # the reader's, re-exported
from paperterm.index_cache import index_path, open_index
from paperterm.model import Entry, Paper, PaperState
from paperterm.query import Query, parse_query
from paperterm.recommend import FOR_YOU, Recommender, RelatedPaper
from paperterm.saved import expand, save_search, saved_searches
from paperterm.sorting import Sort, next_sort, parse_sort, sorted_ids
from paperterm.store import SCHEMA_VERSION, Store
from paperterm.text import plural
from paperterm.undo import Edit, Undone, UndoStep, revert

if TYPE_CHECKING:  # imported when first needed: rapidfuzz is slow to import
    from paperterm.search import SearchIndex

UNDO_DEPTH = 200
SCAN_AT_MOST = 5000
"""While the index is not ready, ``try_search`` indexes a snapshot this small on the spot."""




@dataclass(frozen=True, slots=True)
class Counts:
    """The numbers in the header line."""

    new: int
    unread: int
    starred: int
    total: int


PREF_SORT = "sort"
"""The user preference holding the reader's sort order."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Papers (newest first) and states as they were when a search started.

    Taken on the UI thread; a search worker reads only this and the index, never the store,
    so a star toggled or a digest imported meanwhile cannot change what it iterates.
    """

    papers: list[Paper]
    states: Mapping[str, PaperState]


class Triage:
    """The store, its search index, and the undo history of one interactive session."""

    def __init__(
        self, store: Store, *, index: SearchIndex | None = None, cache: bool = True
    ) -> None:
        self.store = store
        self.index = index
        # the index's cache file (see paperterm.index_cache); None: always build
        self.index_path = index_path(store.data_dir) if cache else None
        self._undo: list[UndoStep] = []
        # The index is read by search workers and extended by imports on the UI thread.
        self._index_lock = threading.Lock()
        self._unindexed: list[Paper] = []  # imported while the index was being built
        self._indexed: dict[str, Paper] = {}  # the paper objects the index was given
        # related papers and "for you": term vectors shared across users, a profile per user
        self.recommender = Recommender(store.data_dir if cache else None)
        self.sort: Sort = parse_sort(store.get_pref(PREF_SORT))
        """The order of results (``paperterm.sorting``); the user's preference ``sort``."""

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

    def upgrade_notice(self) -> str | None:
        """The line announcing that opening the store upgraded it (None: no upgrade)."""
        old = self.store.upgraded_from
        if old is None:
            return None
        return (f"Upgraded the store from schema version {old} to {SCHEMA_VERSION}: "
                "every paper, mark and preference kept.")  # fmt: skip

    # -- searching ---------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """What a search runs over (call on the thread that writes the store)."""
        return Snapshot(self.store.papers(), dict(self.store.states()))

    def build_index(self, papers: Sequence[Paper] | None = None) -> SearchIndex:
        """Load (from its cache file) or build the full-text index and use it from now on.

        Seconds at 100k papers without a cache file: call it from a worker.
        """
        papers = self.store.papers() if papers is None else papers
        index = open_index(papers, self.index_path)
        with self._index_lock:
            self._indexed = {paper.id: paper for paper in papers}
            if self._unindexed:
                index.add(self._unindexed)
                self._indexed.update((paper.id, paper) for paper in self._unindexed)
                self._unindexed.clear()
            self.index = index
        return index

    def sync_index(self, papers: Iterable[Paper]) -> int:
        """Index the papers that are new or changed (a new digest date) since last time.

        Papers are frozen, so "changed" is "not the object the index was given". Returns how
        many were (re)indexed; while the index is still building they are queued.
        """
        with self._index_lock:
            indexed = self._indexed
            changed = [paper for paper in papers if indexed.get(paper.id) is not paper]
            if not changed:
                return 0
            if self.index is None:
                self._unindexed.extend(changed)
            else:
                self.index.add(changed)
            indexed.update((paper.id, paper) for paper in changed)
            return len(changed)

    def run_query(self, text: str) -> list[str]:
        """Paper ids matching ``text`` in display order, on the calling thread."""
        return self.search(text, self.snapshot())

    def search(self, text: str, snapshot: Snapshot) -> list[str]:
        """Paper ids matching ``text`` over ``snapshot``. Raises QueryError. Worker-safe.

        Queries without free words never need the index, so they work while it builds.
        """
        return self.search_parsed(parse_query(text), snapshot)

    def try_search(self, text: str, snapshot: Snapshot) -> list[str] | None:
        """``search``, but None rather than a long wait while the index is not ready.

        A query without free words never waits; one with free words over a snapshot of at
        most ``SCAN_AT_MOST`` papers (the newest shards of a partial open) is answered by a
        throwaway index of the snapshot.
        """
        query = parse_query(text)
        if self.index is None and query.has_free_words:
            if len(snapshot.papers) > SCAN_AT_MOST:
                return None
            from paperterm.search import SearchIndex

            return SearchIndex(snapshot.papers).search(query, snapshot.states)
        return self.search_parsed(query, snapshot)

    def search_parsed(self, query: Query, snapshot: Snapshot) -> list[str]:
        """``search`` for an already parsed query.

        Once the index is there it answers every query (a filter is a few set operations
        there, instead of a test of every paper).
        """
        if query.has_free_words and self.index is None:
            self.build_index(snapshot.papers)
        sort = self.sort
        if query.is_empty:  # every paper, newest first: no need to look at any
            ids = list(map(attrgetter("id"), snapshot.papers))
        elif self.index is not None:
            with self._index_lock:
                ids = self.index.search(query, snapshot.states)
        else:
            states = snapshot.states
            default = PaperState()
            ids = [
                paper.id
                for paper in snapshot.papers
                if query.matches_filters(paper, states.get(paper.id, default))
            ]
        if sort == "relevance" or (sort == "date" and not query.has_free_words):
            return ids  # already in that order
        if sort == FOR_YOU:
            return self._for_you(ids, snapshot)
        return sorted_ids(ids, {paper.id: paper for paper in snapshot.papers}, sort)

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

    def entry(self, paper_id: str) -> Entry:
        """The paper and the current user's state over it."""
        return Entry(self.store.get(paper_id), self.store.state(paper_id))

    def counts(self, since: dt.date | None) -> Counts:
        """Header counts; ``new`` are papers first seen in a digest after ``since``."""
        states = self.store.states()
        total = len(self.store)
        # C-level sums: the header is recounted after every search (17,000 states at 100k)
        starred = sum(map(attrgetter("starred"), states.values()))
        read = sum(map(attrgetter("read"), states.values()))
        new = 0
        if since is not None:
            new = sum(1 for p in self.store.papers() if p.dates[0] > since)
        return Counts(new=new, unread=total - read, starred=starred, total=total)

    # -- actions -----------------------------------------------------------------------

    def _record(self, label: str, previous: Mapping[str, PaperState]) -> str:
        """Remember what the write that returned ``previous`` changed, paper by paper.

        The store's in-memory state right after its own write is what that write stored.
        """
        edits = {pid: Edit(before, self.store.state(pid)) for pid, before in previous.items()}
        changed = {pid: edit for pid, edit in edits.items() if edit.changed}
        self._undo.append(UndoStep(label, changed))
        del self._undo[:-UNDO_DEPTH]
        return label

    def toggle_star(self, paper_id: str) -> str:
        """Star or unstar one paper; returns what happened, for the status line."""
        value = not self.store.state(paper_id).starred
        previous = self.store.set_starred([paper_id], value)
        return self._record("starred" if value else "unstarred", previous)

    def toggle_read(self, paper_id: str) -> str:
        """Mark one paper read or unread."""
        value = not self.store.state(paper_id).read
        previous = self.store.set_read([paper_id], value)
        return self._record("marked read" if value else "marked unread", previous)

    def mark_read(self, paper_ids: Sequence[str]) -> str:
        """Mark every given paper read (one undo step)."""
        previous = self.store.set_read(paper_ids, True)
        return self._record(f"marked {plural(len(paper_ids), 'paper')} read", previous)

    def change_tags(self, paper_id: str, add: Sequence[str], remove: Sequence[str]) -> str:
        """Add and remove tags on one paper as a single undo step."""
        previous: dict[str, PaperState] = {}
        if remove:
            previous.update(self.store.remove_tags([paper_id], remove))
        if add:
            try:
                added = self.store.add_tags([paper_id], add)
            except PapertermError:
                if previous:  # the removal was saved: it must stay undoable
                    self._record("tags " + " ".join(f"-{normalize_tag(t)}" for t in remove),
                                 previous)
                raise
            for pid, state in added.items():
                previous.setdefault(pid, state)
        # the tags as stored (lower case, spaces as -), not as typed
        parts = ([f"+{t}" for t in dict.fromkeys(map(normalize_tag, add))]
                 + [f"-{t}" for t in dict.fromkeys(map(normalize_tag, remove))])
        return self._record("tags " + " ".join(parts), previous)

    def set_note(self, paper_id: str, note: str) -> str:
        """Replace the note of one paper (empty clears it)."""
        previous = self.store.set_note(paper_id, note)
        return self._record("note saved" if note.strip() else "note cleared", previous)

    @property
    def can_undo(self) -> bool:
        """True when there is an action to undo."""
        return bool(self._undo)

    def undo(self) -> Undone | None:
        """Undo the last action, field by field; None when there is nothing to undo.

        Only the fields the action changed are reverted, and only where they still hold
        what it wrote (compared under the store's write lock, after any other process's
        write); a field someone changed since keeps their value and is listed in
        ``Undone.kept``. When the write fails the step stays, to be tried again.
        """
        if not self._undo:
            return None
        step = self._undo.pop()
        kept: dict[str, tuple[str, ...]] = {}

        def reverting(pid: str, edit: Edit) -> Callable[[PaperState], PaperState]:
            def change(current: PaperState) -> PaperState:
                state, fields = revert(edit, current)
                if fields:
                    kept[pid] = fields
                return state

            return change

        if step.edits:
            try:
                self.store.update_states(
                    {pid: reverting(pid, edit) for pid, edit in step.edits.items()})
            except PapertermError:
                self._undo.append(step)
                raise
        return Undone(step.label, tuple(step.edits), kept)


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

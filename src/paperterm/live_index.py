"""The reader's search index: loaded or built in a worker, extended by imports meanwhile.

Search workers read it while the UI thread adds imported papers to it, so every use holds
one lock; papers imported before it is ready are queued and added when it arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.finding import find_ids
from paperterm.index_cache import open_index
from paperterm.model import Paper, PaperState
from paperterm.query import Query
from paperterm.sorting import Sort

if TYPE_CHECKING:  # imported when first needed: rapidfuzz is slow to import
    from paperterm.search import SearchIndex


class LiveIndex:
    """A ``SearchIndex`` that may not be there yet, kept in step with the store."""

    def __init__(self, path: Path | None, index: SearchIndex | None = None) -> None:
        self.path = path  # the cache file (paperterm.index_cache); None: always build
        self.index = index
        self._lock = threading.Lock()
        self._unindexed: list[Paper] = []  # imported while the index was being built

    def build(
        self, papers: Sequence[Paper], stamps: Mapping[str, tuple[int, int]] | None = None
    ) -> SearchIndex:
        """Load (from its cache file) or build the index of ``papers`` and use it from now
        on, with whatever was imported meanwhile. ``stamps``: those of the shards the papers
        came from (``Store.paper_stamps``), so the file it writes serves the CLI's searches
        too. Seconds at 100k papers: call it from a worker."""
        index = open_index(papers, self.path, stamps=stamps)
        with self._lock:
            if self._unindexed:
                index.add(self._unindexed)
                self._unindexed.clear()
            self.index = index
        return index

    def sync(self, papers: Iterable[Paper]) -> int:
        """Index the papers that are new or changed (a new digest date) since last time.

        Papers are frozen, so "changed" is "not the object the index was given". Returns how
        many were (re)indexed; while the index is still building they are queued.
        """
        with self._lock:
            index = self.index
            if index is None:
                queued = len(self._unindexed)
                self._unindexed.extend(papers)
                return len(self._unindexed) - queued
            changed = list(filterfalse(index.holds, papers))
            if changed:
                index.add(changed)
            return len(changed)

    def find(
        self,
        query: Query,
        papers: Sequence[Paper],
        states: Mapping[str, PaperState],
        sort: Sort,
        index: SearchIndex | None = None,
    ) -> list[str]:
        """``finding.find_ids`` with this index once it is there (a filter is then a few set
        operations instead of a test of every paper), else ``index`` (a throwaway one) or
        the filters alone. Worker-safe."""
        live = self.index
        index = live or index
        # the lock only around the live index: a filter over every paper must not keep
        # the UI thread's import waiting
        with self._lock if live is not None else nullcontext():
            return find_ids(query, papers, states, index=index, sort=sort)

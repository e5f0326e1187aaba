"""What the ``paperterm`` commands share: the exit codes, opening the store, running a
query, and printing lines that cannot carry escapes to the terminal."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from paperterm.model import Entry
from paperterm.paths import resolve_data_dir, resolve_user
from paperterm.text import sanitize

if TYPE_CHECKING:
    from paperterm.store import Store


EXIT_OK = 0
EXIT_FAILED = 1


def _open_store(args: argparse.Namespace, *, lazy: bool = False) -> Store:
    """The store of ``--data-dir`` for ``--user``; ``lazy``: papers read when asked for (a
    command about a few papers reads those, found through the shard manifest)."""
    from paperterm.store import Store

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    store = Store.open(data_dir, resolve_user(getattr(args, "user", None)), lazy=lazy)
    if store.upgraded_from is not None:
        from paperterm.store import SCHEMA_VERSION

        _err(f"{data_dir}: upgraded the store from schema version {store.upgraded_from} to "
             f"{SCHEMA_VERSION} (every paper, mark and preference kept)")  # fmt: skip
    return store


def _query_entries(store: Store, text: str, limit: int | None = None) -> list[Entry]:
    """Entries matching ``text`` (the first ``limit`` of them): by relevance with free
    words, else newest digest first (``paperterm.finding``, as the reader finds them).

    ``store`` may be lazy (``Store.open(..., lazy=True)``): a word search answered by the
    index's cache file reads only the papers shown, a filter on marks only the marked ones.
    """
    from paperterm.finding import find_ids, wants_index
    from paperterm.query import parse_query

    query = parse_query(text)
    states = store.states()
    index = None
    if wants_index(query):
        from paperterm.index_cache import index_path, open_index, search_cached
        from paperterm.store import paper_stamps

        path = index_path(store.data_dir)
        found = search_cached(path, paper_stamps(store.data_dir), query, states)
        if found is not None:
            return [_entry(store, pid) for pid in found[:limit]]
        papers = store.papers()
        # the index from its cache file, made current (see paperterm.index_cache)
        index = open_index(papers, path, prepare=False, stamps=store.paper_stamps())
    else:
        from paperterm.state_filter import state_candidates

        # is:starred, tag:NAME...: only the papers with such a state are read, not every one
        candidates = state_candidates(query, states)
        papers = (store.papers() if candidates is None
                  else [entry.paper for entry in store.entries_of(candidates)])  # fmt: skip
    ids = find_ids(query, papers, states, index=index, limit=limit)
    return [Entry(store.get(pid), store.state(pid)) for pid in ids]


def _entry(store: Store, pid: str) -> Entry:
    """The paper ``pid`` with its state; the store read again first when it does not know
    it yet (the index file may have been written by an import after the store was opened)."""
    from paperterm.errors import UnknownPaperError

    try:
        return Entry(store.get(pid), store.state(pid))
    except UnknownPaperError:
        store.load_remaining()
        store.refresh()
        return Entry(store.get(pid), store.state(pid))


def _out(line: str) -> None:
    """Print a line; file names and stored text in it cannot reach the terminal as escapes."""
    sys.stdout.write(sanitize(line) + "\n")


def _err(message: str) -> None:
    """Print ``paperterm: MESSAGE`` to stderr as one clean line."""
    sys.stderr.write(f"paperterm: {sanitize(message, single_line=True)}\n")

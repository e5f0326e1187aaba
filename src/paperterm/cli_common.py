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
    words, else newest digest first (``paperterm.finding``, as the reader finds them)."""
    from paperterm.finding import find_ids, wants_index
    from paperterm.query import parse_query

    query = parse_query(text)
    states = store.states()
    index = None
    if wants_index(query):
        from paperterm.index_cache import index_path, open_index

        papers = store.papers()
        # the index from its cache file when there is one (see paperterm.index_cache)
        index = open_index(papers, index_path(store.data_dir), prepare=False)
    else:
        from paperterm.state_filter import state_candidates

        # is:starred, tag:NAME...: only the papers with such a state are read, not every one
        candidates = state_candidates(query, states)
        papers = (store.papers() if candidates is None
                  else [entry.paper for entry in store.entries_of(candidates)])  # fmt: skip
    ids = find_ids(query, papers, states, index=index, limit=limit)
    return [Entry(store.get(pid), store.state(pid)) for pid in ids]


def _by_filters(text: str) -> bool:
    """True when ``text`` (unexpanded) is a query without free words or authors, whose
    papers a lazy store reads as they are needed (``_query_entries``)."""
    from paperterm.query import AuthorTerm, parse_query

    query = parse_query(text)
    return not query.has_free_words and not any(isinstance(t, AuthorTerm) for t in query.terms)


def _out(line: str) -> None:
    """Print a line; file names and stored text in it cannot reach the terminal as escapes."""
    sys.stdout.write(sanitize(line) + "\n")


def _err(message: str) -> None:
    """Print ``paperterm: MESSAGE`` to stderr as one clean line."""
    sys.stderr.write(f"paperterm: {sanitize(message, single_line=True)}\n")

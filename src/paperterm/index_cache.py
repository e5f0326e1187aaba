"""The search index's cache file ``DATA_DIR/cache/search-index.bin``: build the index once,
then load it, or answer a word search from it without loading the papers at all.

A paper's text never changes once stored (an import only adds digest dates), so a cached
index stays valid for every paper it holds: ``open_index`` loads it, indexes the papers it
lacks and treats papers it holds that are gone, or whose title or abstract length differs, as
deleted. The file records the ``stamps`` of the store's paper shards it was made from
(``store.paper_stamps``); ``search_cached`` answers a query from the mapped file only when
the shards are exactly those, and ``keep_current`` (after an import) rewrites the file so
that they are.

The file is derived data: deleting it only costs one rebuild; a damaged, truncated, stale or
foreign file is never trusted: it is rebuilt (``index_file`` checks it). Writes are atomic,
so two processes writing it at once leave one whole file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.index_file import (
    DamagedIndex,
    Stamps,
    map_index,
    read_index,
    read_stamps,
    write_index,
)
from paperterm.model import Paper, PaperState
from paperterm.query_model import Query

if TYPE_CHECKING:  # imported when first needed: rapidfuzz is slow to import
    from paperterm.search import IndexParts, SearchIndex

INDEX_FILE = Path("cache") / "search-index.bin"
SAVE_AFTER = 2000
"""Papers indexed beyond the cache file before ``open_index`` rewrites it (without stamps),
and beyond the bitmaps before a rewrite makes them anew."""

StoreStamps = Mapping[str, tuple[int, int]]


def index_path(data_dir: Path) -> Path:
    """Where the store at ``data_dir`` keeps its search-index cache."""
    return Path(data_dir) / INDEX_FILE


def _current(saved: Stamps | None, stamps: StoreStamps | None) -> bool:
    return saved is not None and stamps is not None and saved == {
        name: list(stamp) for name, stamp in stamps.items()
    }


def open_index(
    papers: Sequence[Paper],
    path: Path | None,
    *,
    prepare: bool = True,
    stamps: StoreStamps | None = None,
) -> SearchIndex:
    """The search index of ``papers``, from the cache file at ``path`` when it is usable,
    ``prepare``d for quick searches unless told not to (a one-off search need not be).

    ``stamps`` are those of the shards ``papers`` were read from (``Store.paper_stamps``):
    a file not made from them is rewritten with them. Without stamps the file is rewritten
    when it lacks ``SAVE_AFTER`` papers. Never fails for the cache's sake: an unreadable file
    means a build, an unwritable one means no cache.
    """
    from paperterm.search import SearchIndex

    parts = read_parts(path) if path is not None else None
    if parts is None:
        index = SearchIndex(papers)
        stale = True
    else:
        index = SearchIndex.from_parts(parts, papers)
        unsaved = len(index) - (len(parts.ids) - index.tombstones)
        stale = index.past_bitmaps is None or (
            unsaved >= SAVE_AFTER if stamps is None else not _current(parts.stamps, stamps)
        )
    if prepare:
        index.prepare()
    if path is not None and stale:
        past = index.past_bitmaps  # the papers indexed since stay in postings: still right
        if past is None or past >= SAVE_AFTER:
            index.make_prefix_bits()
        with contextlib.suppress(OSError):  # a read-only store: no cache, no error
            write_parts(path, index.parts(), stamps)
    return index


def keep_current(papers: Sequence[Paper], path: Path, stamps: StoreStamps) -> bool:
    """After an import: rewrite the cache file at ``path`` unless it was made from exactly
    the shards of ``stamps``, which ``papers`` were read from; returns whether it was.

    So the first search after an import answers from the file, without loading the papers.
    """
    if _current(read_stamps(path), stamps):
        return False
    open_index(papers, path, prepare=False, stamps=stamps)
    return True


def search_cached(
    path: Path, stamps: StoreStamps, query: Query, states: Mapping[str, PaperState]
) -> list[str] | None:
    """The ids ``query`` finds (as ``SearchIndex.search``), answered from the mapped cache
    file without the papers; None when it cannot be: the file is missing, damaged or not
    made from the shards of ``stamps`` (the store's files now), or the query looks at more
    than words and states (``search.needs_papers``)."""
    from paperterm.search import SearchIndex, needs_papers

    if needs_papers(query):
        return None
    mapped = map_index(path)
    if mapped is None or not _current(mapped.stamps, stamps):
        return None
    index = SearchIndex.from_file(
        mapped.ids, mapped.title, mapped.abstract, mapped.vocabulary, mapped.order
    )
    try:
        return index.search(query, states)
    except DamagedIndex:
        return None


def read_ids(path: Path) -> set[str] | None:
    """The paper ids in the cache file at ``path``; None when there is no usable file.
    Tombstones' empty ids are not among them."""
    mapped = map_index(path)
    return None if mapped is None else set(mapped.ids) - {""}


def write_parts(path: Path, parts: IndexParts, stamps: StoreStamps | None = None) -> None:
    """Save an index's parts at ``path`` (atomically), made from the shards of ``stamps``
    (None: not known, so never taken as current)."""
    write_index(
        path,
        parts.ids,
        (parts.title_lengths, parts.abstract_lengths),
        parts.order,
        parts.title,
        parts.abstract,
        stamps,
    )


def read_parts(path: Path) -> IndexParts | None:
    """The parts saved at ``path`` (with the stamps they were made from); None when there
    is no usable file."""
    from paperterm.search import IndexParts

    whole = read_index(path)
    if whole is None:
        return None
    return IndexParts(
        whole.ids,
        whole.title_lengths,
        whole.abstract_lengths,
        whole.title,
        whole.abstract,
        whole.order,
        whole.stamps,
    )

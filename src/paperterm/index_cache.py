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
from bisect import bisect_left, insort
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # imported when first needed: the reader's first screen needs none
    from paperterm.index_file import MappedIndex, Stamps
    from paperterm.model import Paper, PaperState
    from paperterm.query_model import Query
    from paperterm.search import IndexParts, SearchIndex

INDEX_FILE = Path("cache") / "search-index.bin"
SAVE_AFTER = 2000
"""Papers indexed beyond the cache file before ``open_index`` rewrites it (without stamps),
beyond the bitmaps before a rewrite makes them anew, and added beside the file
(``index_delta``) before ``keep_current`` rewrites it whole."""

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
    from paperterm.index_delta import drop_delta
    from paperterm.search import SearchIndex

    parts = read_parts(path) if path is not None else None
    if parts is None:
        index = SearchIndex(papers)
        stale = True
    else:
        index = SearchIndex.from_parts(parts, papers)
        unsaved = len(index) - (len(parts.ids) - index.tombstones)
        stale = index.past_bitmaps is None or (
            unsaved >= SAVE_AFTER if stamps is None else not _made_from(path, parts, stamps)
        )
    if prepare:
        index.prepare()
    if path is not None and stale:
        past = index.past_bitmaps  # the papers indexed since stay in postings: still right
        if past is None or past >= SAVE_AFTER:
            index.make_prefix_bits()
        with contextlib.suppress(OSError):  # a read-only store: no cache, no error
            write_parts(path, index.parts(), stamps)
            drop_delta(path)
    return index


def _made_from(path: Path | None, parts: IndexParts, stamps: StoreStamps) -> bool:
    """Whether the file (with its additions) was made from the shards of ``stamps``."""
    from paperterm.index_delta import read_delta

    if _current(parts.stamps, stamps):
        return True
    delta = read_delta(path, parts.identity, len(parts.ids)) if path is not None else None
    return delta is not None and _current(delta.stamps, stamps)


class StoreLike(Protocol):
    """What ``keep_store_current`` asks of a store (``paperterm.store.Store``)."""

    @property
    def data_dir(self) -> Path: ...

    def papers(self) -> list[Paper]: ...

    def paper_stamps(self) -> dict[str, tuple[int, int]]: ...


def keep_store_current(store: StoreLike) -> bool:
    """``keep_current`` for a store whose papers a command just changed (an import, a
    fetch, an undo): the next word search from the shell answers from the file."""
    return keep_current(store.papers(), index_path(store.data_dir), store.paper_stamps())


def keep_current(papers: Sequence[Paper], path: Path, stamps: StoreStamps) -> bool:
    """After an import: bring the cache file at ``path`` up to the shards of ``stamps``,
    which ``papers`` were read from; returns whether anything was written.

    So the first search after an import answers from the file, without loading the papers.
    A few papers more (fewer than ``SAVE_AFTER``) are written beside the file
    (``index_delta``), indexing only them; more, or no usable file, rewrite it whole.
    """
    from paperterm.index_delta import read_delta
    from paperterm.index_file import map_index

    mapped = map_index(path)
    if mapped is not None and mapped.stamps is not None:
        if _current(mapped.stamps, stamps):
            return False
        delta = read_delta(path, mapped.identity, len(mapped.ids))
        if delta is not None and _current(delta.stamps, stamps):
            return False
        with contextlib.suppress(OSError):
            if _add_beside(papers, path, stamps, mapped):
                return True
    open_index(papers, path, prepare=False, stamps=stamps)
    return True


def _add_beside(
    papers: Sequence[Paper], path: Path, stamps: StoreStamps, mapped: MappedIndex
) -> bool:
    """Write the additions that bring the mapped file to ``papers``; False when they would
    be too many (or the file's lengths are damaged): then the file is rewritten whole."""
    from paperterm.folding import index_tokens
    from paperterm.index_delta import Delta, write_delta
    from paperterm.postings import Postings
    from paperterm.search_order import newest_first

    lengths = mapped.lengths()
    if lengths is None:
        return False
    by_id = {paper.id: paper for paper in papers}
    held: list[Paper | None] = []
    dead: list[int] = []
    kept: set[str] = set()
    for slot, (pid, title, abstract) in enumerate(zip(mapped.ids, *lengths, strict=True)):
        paper = by_id.get(pid) if pid and pid not in kept else None
        if paper is None or len(paper.title) != title or paper.abstract_length != abstract:
            held.append(None)
            if pid:
                dead.append(slot)
        else:
            held.append(paper)
            kept.add(pid)
    new = [paper for paper in papers if paper.id not in kept]
    if len(new) + len(dead) >= SAVE_AFTER:
        return False
    first = len(mapped.ids)
    title_postings, abstract_postings = Postings(), Postings()
    for slot, paper in enumerate(new, first):
        title_postings.add(slot, index_tokens(paper.title))
        abstract_postings.add(slot, index_tokens(paper.abstract))
    order = newest_first([*held, *new])
    saved = {name: list(stamp) for name, stamp in stamps.items()}
    write_delta(path, Delta(mapped.identity, saved, [p.id for p in new], dead, order,
                            dict(title_postings.table), dict(abstract_postings.table)))  # fmt: skip
    return True


def _with_delta(path: Path, mapped: MappedIndex, stamps: StoreStamps) -> MappedIndex | None:
    """The mapped file with its additions, when together they were made from ``stamps``."""
    from paperterm.index_delta import read_delta
    from paperterm.postings import StackedPostings

    if _current(mapped.stamps, stamps):
        return mapped
    delta = read_delta(path, mapped.identity, len(mapped.ids))
    if delta is None or not _current(delta.stamps, stamps):
        return None
    ids = mapped.ids.copy()
    for slot in delta.dead:
        ids[slot] = ""
    ids += delta.ids
    if len(delta.order) != len(ids) - ids.count("") or not all(map(ids.__getitem__, delta.order)):
        return None
    vocabulary = mapped.vocabulary
    added = sorted(token for token in {*delta.title, *delta.abstract}
                   if not _holds(vocabulary, token))  # fmt: skip
    if added:
        vocabulary = vocabulary.copy()
        for token in added:
            insort(vocabulary, token)
    return replace(
        mapped, ids=ids, order=delta.order, vocabulary=vocabulary,
        title=StackedPostings(mapped.title, delta.title),
        abstract=StackedPostings(mapped.abstract, delta.abstract),
    )  # fmt: skip


def _holds(tokens: list[str], token: str) -> bool:
    at = bisect_left(tokens, token)
    return at < len(tokens) and tokens[at] == token


def search_cached(
    path: Path, stamps: StoreStamps, query: Query, states: Mapping[str, PaperState]
) -> list[str] | None:
    """The ids ``query`` finds (as ``SearchIndex.search``), answered from the mapped cache
    file without the papers; None when it cannot be: the file is missing, damaged or not
    made from the shards of ``stamps`` (the store's files now), or the query looks at more
    than words and states (``search.needs_papers``)."""
    from paperterm.index_file import DamagedIndex, map_index
    from paperterm.search import SearchIndex, needs_papers

    if needs_papers(query):
        return None
    mapped = map_index(path)
    if mapped is not None:
        mapped = _with_delta(path, mapped, stamps)
    if mapped is None:
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
    from paperterm.index_file import map_index

    mapped = map_index(path)
    return None if mapped is None else set(mapped.ids) - {""}


def write_parts(path: Path, parts: IndexParts, stamps: StoreStamps | None = None) -> None:
    """Save an index's parts at ``path`` (atomically), made from the shards of ``stamps``
    (None: not known, so never taken as current)."""
    from paperterm.index_file import write_index

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
    from paperterm.index_file import read_index
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
        whole.identity,
    )

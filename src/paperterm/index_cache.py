"""The search index's cache file: build the index once, then load it in a fraction of the time.

Building the index of 100,000 papers takes seconds (every title and abstract is tokenized);
reading it back from ``DATA_DIR/cache/search-index.bin`` takes a fraction of that. A paper's
text never changes once stored (an import only adds digest dates), so a cached index stays
valid for every paper it holds: ``open_index`` loads it, indexes the papers it lacks, treats
papers it holds that are gone or whose title or abstract length differs as deleted, and
rewrites the file when it was missing or lacks many papers.

The file is derived data: deleting it only costs one rebuild; a damaged, truncated or foreign
file is ignored and replaced. Writes are atomic (``atomicfile``), so two processes writing it
at once leave one whole file.

Layout: a header line ``paperterm-index 3 <byteorder> <sizes of the 12 sections>``, then the
sections: ids (newline-separated), title and abstract lengths (uint32 per slot), and for
titles then abstracts the tokens (newline-separated), their postings' ends (uint32 per
token) and all postings end to end (uint32 slots); then the prefixes and ``=token``s with a
bitmap (newline-separated), the slot count the bitmaps cover (uint32) and the bitmaps (that
many bits each, little-endian). A common token's abstract postings hold only the slots its
bitmap does not cover (see ``SearchIndex.make_prefix_bits``).
"""

from __future__ import annotations

import contextlib
import sys
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate, repeat
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from paperterm.atomicfile import write_file_atomic
from paperterm.bitmaps import WHOLE
from paperterm.model import Paper

if TYPE_CHECKING:  # imported when first needed: rapidfuzz is slow to import
    from paperterm.search import IndexParts, SearchIndex

INDEX_FILE = Path("cache") / "search-index.bin"
SAVE_AFTER = 2000
"""Papers indexed beyond the cache file before ``open_index`` rewrites it."""
MAGIC = b"paperterm-index 3 "
OLD_MAGIC = b"paperterm-index 2 "
"""Version 2 files lack the bitmaps of common tokens: read without bitmaps, then rewritten."""
_SECTIONS = 12


def index_path(data_dir: Path) -> Path:
    """Where the store at ``data_dir`` keeps its search-index cache."""
    return Path(data_dir) / INDEX_FILE


def open_index(
    papers: Sequence[Paper], path: Path | None, *, prepare: bool = True
) -> SearchIndex:
    """The search index of ``papers``, from the cache file at ``path`` when it is usable,
    ``prepare``d for quick searches unless told not to (a one-off search need not be).

    Never fails for the cache's sake: an unreadable file means a build, an unwritable one
    means no cache.
    """
    from paperterm.search import SearchIndex

    parts = read_parts(path) if path is not None else None
    if parts is None:
        index = SearchIndex(papers)
        unsaved = len(papers)
    else:
        index = SearchIndex.from_parts(parts, papers)
        unsaved = len(index) - (len(parts.ids) - len(index._dead))
    if prepare:
        index.prepare()
    if path is not None and (parts is None or unsaved >= SAVE_AFTER or parts.bits_slots == 0):
        index.make_prefix_bits()
        with contextlib.suppress(OSError):  # a read-only store: no cache, no error
            write_parts(path, index.parts())
    return index


def keep_current(papers: Sequence[Paper], path: Path) -> bool:
    """After an import: rewrite the cache file at ``path`` when it lacks ``SAVE_AFTER`` of
    ``papers`` or more, or is missing or unusable; returns whether it was (re)written.

    So the first search after importing a large batch loads the index instead of building
    it. A cache that lacks only a few papers is left alone: the search that loads it indexes
    them on the spot, which costs less than rewriting the whole file at every daily import.
    Only the cache's ids are read to decide.
    """
    held = read_ids(path)
    if held is not None and sum(1 for paper in papers if paper.id not in held) < SAVE_AFTER:
        return False
    open_index(papers, path, prepare=False)
    return True


def _header(f: BinaryIO, total: int) -> tuple[bool, list[int]] | None:
    """(is a version 2 file, the section sizes) from a cache file's header line; None when
    it is not one of ours, of this machine's byte order and of exactly the size it says."""
    head = f.readline(400).rstrip(b"\n")
    old = head.startswith(OLD_MAGIC)
    fields = head.removeprefix(OLD_MAGIC if old else MAGIC).split()
    if not (old or head.startswith(MAGIC)) or len(fields) != _SECTIONS + 1:
        return None
    if fields[0].decode() != sys.byteorder:
        return None
    sizes = [int(field) for field in fields[1:]]
    if len(head) + 1 + sum(sizes) != total or any(size % 4 for size in sizes[1:3]):
        return None
    return old, sizes


def read_ids(path: Path) -> set[str] | None:
    """The paper ids in the cache file at ``path`` (its header and ids only are read); None
    when there is no usable file. Tombstones' empty ids are not among them."""
    try:
        with path.open("rb") as f:
            header = _header(f, path.stat().st_size)
            if header is None:
                return None
            size = header[1][0]
            data = f.read(size)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if len(data) != size:
        return None
    try:
        ids = set(data.decode("utf-8", "surrogatepass").split("\n")) if size else set()
    except UnicodeDecodeError:
        return None
    ids.discard("")
    return ids


def _uint32(data: bytes) -> array[int]:
    values = array("I")
    values.frombytes(data)
    return values


def write_parts(path: Path, parts: IndexParts) -> None:
    """Save an index's parts at ``path`` (atomically)."""
    sections: list[bytes] = [
        "\n".join(parts.ids).encode("utf-8", "surrogatepass"),
        parts.title_lengths.tobytes(),
        parts.abstract_lengths.tobytes(),
    ]
    for postings in (parts.title, parts.abstract):
        flat = array("I")
        for slots in postings.values():
            flat.extend(slots)
        ends = array("I", accumulate(map(len, postings.values())))
        sections += ["\n".join(postings).encode("utf-8"), ends.tobytes(), flat.tobytes()]
    width = (parts.bits_slots + 7) // 8
    sections += [
        "\n".join(parts.prefix_bits).encode("utf-8"),
        array("I", [parts.bits_slots]).tobytes(),
        b"".join(bits.to_bytes(width, "little") for bits in parts.prefix_bits.values()),
    ]
    header = MAGIC + " ".join([sys.byteorder, *(str(len(s)) for s in sections)]).encode()
    write_file_atomic(path, b"".join([header, b"\n", *sections]), backup=False)


def read_parts(path: Path) -> IndexParts | None:
    """The parts saved at ``path``; None when there is no usable file.

    Postings are read straight from the file into one array per token, so loading never
    holds a second copy of them (at 100,000 papers they are 60 MB).
    """
    from paperterm.search import IndexParts

    try:
        with path.open("rb") as f:
            return _read(f, path.stat().st_size, IndexParts)
    except (OSError, ValueError, EOFError, UnicodeDecodeError):
        return None


def _read(f: BinaryIO, total: int, make: type[IndexParts]) -> IndexParts | None:
    header = _header(f, total)
    if header is None:
        return None
    old, sizes = header
    ids = f.read(sizes[0]).decode("utf-8", "surrogatepass").split("\n") if sizes[0] else []
    title_lengths, abstract_lengths = _uint32(f.read(sizes[1])), _uint32(f.read(sizes[2]))
    if not len(ids) == len(title_lengths) == len(abstract_lengths):
        return None
    tables: list[dict[str, array[int]]] = []
    for tokens_size, ends_size, flat_size in (sizes[3:6], sizes[6:9]):
        tokens = f.read(tokens_size).decode("utf-8").split("\n") if tokens_size else []
        ends = _uint32(f.read(ends_size))
        if len(tokens) != len(ends) or (ends[-1] if ends else 0) * 4 != flat_size:
            return None
        table = _read_postings(f, tokens, ends)
        # postings ascend (slots are appended in order): their last slots are the largest
        # (a common token's may be empty: see SearchIndex.make_prefix_bits)
        last = max(map(array.__getitem__, filter(None, table.values()), repeat(-1)), default=-1)
        if last >= len(ids):
            return None
        tables.append(table)
    prefixes = f.read(sizes[9]).decode("utf-8").split("\n") if sizes[9] else []
    (bits_slots,) = _uint32(f.read(sizes[10])) or (0,)
    width = (bits_slots + 7) // 8
    if bits_slots > len(ids) or sizes[11] != width * len(prefixes):
        return None
    blob = f.read(sizes[11])
    if old:  # its bitmaps are incomplete: open_index makes them anew
        return make(ids, title_lengths, abstract_lengths, tables[0], tables[1], {}, 0)
    bits = {prefix: int.from_bytes(blob[i * width : (i + 1) * width], "little")
            for i, prefix in enumerate(prefixes)}  # fmt: skip
    common = [key[len(WHOLE) :] for key in bits if key.startswith(WHOLE)]
    if not all(map(tables[1].__contains__, common)):
        return None  # a token's bitmap stands for postings of a token the file lacks
    return make(ids, title_lengths, abstract_lengths, tables[0], tables[1], bits, bits_slots)


CHUNK = 1 << 20
"""Slots read from the file at a time (4 MB) while splitting postings by token."""


def _read_postings(f: BinaryIO, tokens: list[str], ends: array[int]) -> dict[str, array[int]]:
    """token -> its slots, read a chunk of whole postings at a time (one read per ~4 MB,
    not one per token: 3x faster at 130,000 tokens, and never a second copy of them all)."""
    table: dict[str, array[int]] = {}
    first, start = 0, 0
    while first < len(tokens):
        last = min(max(bisect_left(ends, start + CHUNK, first), first) + 1, len(tokens))
        data = f.read((ends[last - 1] - start) * 4)
        if len(data) != (ends[last - 1] - start) * 4:
            raise EOFError("index file too short")
        with memoryview(data) as view:
            base = start
            for token, end in zip(tokens[first:last], ends[first:last], strict=True):
                slots = table[token] = array("I")
                slots.frombytes(view[(start - base) * 4 : (end - base) * 4])
                start = end
        first = last
    return table

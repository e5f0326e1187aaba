"""The search index's cache file, byte by byte: written whole, read whole (``read_parts``) or
memory-mapped and read on demand (``map_index``), the postings of the words a query needs
and no more.

Layout: a line ``paperterm-index 4 <byteorder> <length of the meta line>``, a JSON meta line
(each section's size and CRC-32, the ``stamps`` of the store files the index was made from,
the slot count the bitmaps cover), then the sections end to end: ids (newline-separated; ""
for a tombstone), title and abstract lengths (uint32 per slot), the live slots newest first
(uint32), the vocabulary (the sorted distinct tokens of both), then for titles and for
abstracts the sorted tokens, their postings' ends (uint32 per token) and all postings end to
end (uint32 slots), then the keys of the abstract's bitmaps (``postings``: prefixes and
``=token``s), the bitmaps (that many bits each, little-endian), and the CRC-32 of each
token's title postings, of each token's abstract postings and of each bitmap (uint32).

Nothing in the file is trusted: a file of another version, byte order or size, or whose
sections fail their CRC (all of them for ``read_parts``, those read whole for ``map_index``)
is not used; postings and bitmaps read on demand are checked against their own CRC-32 (the
last three sections: one per token's postings, one per bitmap) and the slot count, and one
that fails raises ``DamagedIndex``.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any, Final

from paperterm.atomicfile import write_file_atomic
from paperterm.postings import Postings, PostingsReader

MAGIC: Final = b"paperterm-index 4 "
SECTIONS: Final = (
    "ids", "title_lengths", "abstract_lengths", "order", "vocabulary",
    "title_tokens", "title_ends", "title_postings",
    "abstract_tokens", "abstract_ends", "abstract_postings",
    "bitmap_keys", "bitmaps",
    "title_checks", "abstract_checks", "bitmap_checks",
)  # fmt: skip
_ON_DEMAND: Final = frozenset({"title_lengths", "abstract_lengths", "title_postings",
                               "abstract_postings", "bitmaps"})  # fmt: skip

Stamps = dict[str, list[int]]
"""Store file name -> what identified its version when the index was made."""


class DamagedIndex(Exception):
    """The cache file holds something impossible: it must be rebuilt."""


def _uint32(data: bytes | memoryview) -> array[int]:
    values = array("I")
    values.frombytes(data)
    return values


def _lines(data: bytes | memoryview) -> list[str]:
    return bytes(data).decode("utf-8", "surrogatepass").split("\n") if len(data) else []


def write_index(
    path: Path,
    ids: list[str],
    lengths: tuple[array[int], array[int]],
    order: list[int],
    title: Postings,
    abstract: Postings,
    stamps: Mapping[str, Iterable[int]] | None,
) -> None:
    """Save an index at ``path`` (atomically); ``stamps``: see ``Stamps`` (None: unknown)."""
    by_kind = [sorted(title.table), sorted(abstract.table)]
    # two sorted runs: timsort merges them in one pass; dict.fromkeys drops the repeats
    vocabulary = list(dict.fromkeys(sorted(by_kind[0] + by_kind[1])))
    sections: list[bytes] = [
        "\n".join(ids).encode("utf-8", "surrogatepass"),
        lengths[0].tobytes(),
        lengths[1].tobytes(),
        array("I", order).tobytes(),
        "\n".join(vocabulary).encode("utf-8"),
    ]
    checks: list[bytes] = []  # a CRC-32 per postings and per bitmap: read on demand, checked
    for postings, tokens in zip((title, abstract), by_kind, strict=True):
        lists = list(map(postings.table.__getitem__, tokens))
        flat = array("I")
        deque(map(flat.extend, lists), maxlen=0)
        ends = array("I", accumulate(map(len, lists)))
        sections += ["\n".join(tokens).encode("utf-8"), ends.tobytes(), flat.tobytes()]
        checks.append(array("I", map(zlib.crc32, map(array.tobytes, lists))).tobytes())
    width = (abstract.bits_slots + 7) // 8
    blobs = [bits.to_bytes(width, "little") for bits in abstract.bitmaps.values()]
    sections += ["\n".join(abstract.bitmaps).encode("utf-8"), b"".join(blobs), *checks,
                 array("I", map(zlib.crc32, blobs)).tobytes()]  # fmt: skip
    meta = json.dumps({
        "sizes": [len(s) for s in sections],
        "crc": [zlib.crc32(s) for s in sections],
        "stamps": None if stamps is None else {k: list(v) for k, v in stamps.items()},
        "bits_slots": abstract.bits_slots,
    }).encode()  # fmt: skip
    head = MAGIC + f"{sys.byteorder} {len(meta)}\n".encode()
    write_file_atomic(path, b"".join([head, meta, b"\n", *sections]), backup=False)


@dataclass(frozen=True, slots=True)
class _Layout:
    view: memoryview
    sections: dict[str, memoryview]
    stamps: Stamps | None
    bits_slots: int
    identity: int  # the CRC-32 of the meta line: which file this is
    ends: dict[str, int]  # section -> its end in the file
    mapped: mmap.mmap | None

    def release(self, section: str) -> None:
        """Drop the mapped pages up to the end of ``section`` from memory: read whole, the
        file would otherwise stay resident beside what was made of it."""
        end = self.ends[section] // mmap.PAGESIZE * mmap.PAGESIZE
        if self.mapped is not None and end:
            self.mapped.madvise(mmap.MADV_DONTNEED, 0, end)


def _layout(data: Any, *, check_all: bool) -> _Layout | None:
    """The sections of a mapped or read file; None when it is not a whole file of ours whose
    sections (all, or those read whole) match their CRCs."""
    view = memoryview(data)
    end = bytes(view[:200]).find(b"\n")
    head = bytes(view[: max(end, 0)])
    fields = head.removeprefix(MAGIC).split()
    if not head.startswith(MAGIC) or len(fields) != 2 or fields[0].decode() != sys.byteorder:
        return None
    start = end + 1 + int(fields[1])
    meta = json.loads(bytes(view[end + 1 : start]))
    sizes, crcs = meta["sizes"], meta["crc"]
    if len(sizes) != len(SECTIONS) or start + 1 + sum(sizes) != len(view):
        return None
    sections: dict[str, memoryview] = {}
    ends: dict[str, int] = {}
    offset = start + 1
    mapped = data if isinstance(data, mmap.mmap) else None
    layout = _Layout(view, sections, meta["stamps"], int(meta["bits_slots"]),
                     zlib.crc32(view[end + 1 : start]), ends, mapped)  # fmt: skip
    for name, size, crc in zip(SECTIONS, sizes, crcs, strict=True):
        sections[name] = part = view[offset : offset + size]
        offset += size
        ends[name] = offset
        if (check_all or name not in _ON_DEMAND) and zlib.crc32(part) != crc:
            return None
        if check_all:
            layout.release(name)
    return layout


def read_stamps(path: Path) -> Stamps | None:
    """The stamps saved in the cache file at ``path`` (its header only is read); None when
    the file is missing, not ours, or was saved without them."""
    try:
        with path.open("rb") as f:
            head = f.readline(200).rstrip(b"\n")
            fields = head.removeprefix(MAGIC).split()
            if not head.startswith(MAGIC) or len(fields) != 2:
                return None
            meta = json.loads(f.read(int(fields[1])))
    except (OSError, ValueError):
        return None
    stamps = meta.get("stamps") if isinstance(meta, dict) else None
    return stamps if isinstance(stamps, dict) else None


class MappedPostings(PostingsReader):
    """Postings read from the file on demand (see ``postings``' rule: the same)."""

    def __init__(self, layout: _Layout, kind: str, slots: int) -> None:
        self._tokens = _lines(layout.sections[kind + "_tokens"])
        self._ends = _uint32(layout.sections[kind + "_ends"])
        self._flat = layout.sections[kind + "_postings"]
        self._checks = _uint32(layout.sections[kind + "_checks"])
        if not len(self._tokens) == len(self._ends) == len(self._checks) or (
            (self._ends[-1] if self._ends else 0) * 4 != len(self._flat)
        ):
            raise DamagedIndex(kind + " postings")
        self._slots = slots
        self._bits: dict[str, tuple[memoryview, int]] = {}
        if kind == "abstract":
            keys = _lines(layout.sections["bitmap_keys"])
            blob = layout.sections["bitmaps"]
            width = (layout.bits_slots + 7) // 8
            checks = _uint32(layout.sections["bitmap_checks"])
            if layout.bits_slots > slots or not len(blob) == width * len(keys) == width * len(
                checks
            ):
                raise DamagedIndex("bitmaps")
            self._bits = {key: (blob[i * width : (i + 1) * width], checks[i])
                          for i, key in enumerate(keys)}  # fmt: skip
            self.bits_slots = layout.bits_slots

    def stored(self, token: str) -> array[int] | None:
        i = bisect_left(self._tokens, token)
        if i == len(self._tokens) or self._tokens[i] != token:
            return None
        start, end = (self._ends[i - 1] if i else 0), self._ends[i]
        if start > end:
            raise DamagedIndex(f"postings of {token!r}")
        data = self._flat[start * 4 : end * 4]
        if zlib.crc32(data) != self._checks[i]:
            raise DamagedIndex(f"postings of {token!r}")
        found = _uint32(data)
        if found and max(found) >= self._slots:
            raise DamagedIndex(f"postings of {token!r}")
        return found

    def bitmap(self, key: str) -> int | None:
        found = self._bits.get(key)
        if found is None:
            return None
        data, check = found
        bits = int.from_bytes(data, "little")
        if zlib.crc32(data) != check or bits.bit_length() > self.bits_slots:
            raise DamagedIndex(f"bitmap of {key!r}")
        return bits

    def tokens(self) -> Iterable[str]:
        return self._tokens


@dataclass(frozen=True, slots=True)
class MappedIndex:
    """What ``SearchIndex.from_file`` takes, read from a mapped cache file; ``identity``
    tells this file from any other (see ``index_delta``)."""

    ids: list[str]
    title: PostingsReader
    abstract: PostingsReader
    vocabulary: list[str]
    order: list[int]
    stamps: Stamps | None
    identity: int
    layout: _Layout

    def lengths(self) -> tuple[array[int], array[int]] | None:
        """Per slot, the length of the title and of the abstract; None when damaged."""
        sections = self.layout.sections
        titles = sections["title_lengths"]
        abstracts = sections["abstract_lengths"]
        if not len(titles) == len(abstracts) == 4 * len(self.ids):
            return None
        return _uint32(titles), _uint32(abstracts)


def map_index(path: Path) -> MappedIndex | None:
    """The cache file at ``path``, mapped: ids, order and vocabulary read, postings left to
    be read on demand; None when there is no usable file."""
    try:
        with path.open("rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        layout = _layout(data, check_all=False)
        if layout is None:
            return None
        ids = _lines(layout.sections["ids"])
        order = list(_uint32(layout.sections["order"]))
        if len(order) != len(ids) - ids.count("") or (order and max(order) >= len(ids)):
            return None
        return MappedIndex(
            ids,
            MappedPostings(layout, "title", len(ids)),
            MappedPostings(layout, "abstract", len(ids)),
            _lines(layout.sections["vocabulary"]),
            order,
            layout.stamps,
            layout.identity,
            layout,
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, DamagedIndex):
        return None


@dataclass(frozen=True, slots=True)
class FileParts:
    """Everything in a cache file, read whole."""

    ids: list[str]
    title_lengths: array[int]
    abstract_lengths: array[int]
    order: list[int]
    title: Postings
    abstract: Postings
    stamps: Stamps | None
    identity: int


def read_index(path: Path) -> FileParts | None:
    """The whole cache file at ``path``, every section checked; None when it is unusable."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        with path.open("rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        layout = _layout(data, check_all=True)
        return None if layout is None else _read_whole(layout)
    return None


def _read_whole(layout: _Layout) -> FileParts | None:
    sections = layout.sections
    ids = _lines(sections["ids"])
    lengths = _uint32(sections["title_lengths"]), _uint32(sections["abstract_lengths"])
    if not len(ids) == len(lengths[0]) == len(lengths[1]):
        return None
    tables: list[dict[str, array[int]]] = []
    for kind in ("title", "abstract"):
        tokens, ends = _lines(sections[kind + "_tokens"]), _uint32(sections[kind + "_ends"])
        flat = sections[kind + "_postings"]
        if len(tokens) != len(ends) or (ends[-1] if ends else 0) * 4 != len(flat):
            return None
        table: dict[str, array[int]] = {}
        start = 0
        for token, end in zip(tokens, ends, strict=True):
            table[token] = _uint32(flat[start * 4 : end * 4])
            start = end
        layout.release(kind + "_postings")
        highest = max((slots[-1] for slots in table.values() if slots), default=-1)
        if highest >= len(ids) or len(table) != len(tokens):
            return None
        tables.append(table)
    keys, blob = _lines(sections["bitmap_keys"]), sections["bitmaps"]
    width = (layout.bits_slots + 7) // 8
    if layout.bits_slots > len(ids) or len(blob) != width * len(keys):
        return None
    bits = {key: int.from_bytes(blob[i * width : (i + 1) * width], "little")
            for i, key in enumerate(keys)}  # fmt: skip
    abstract = Postings(tables[1], bits, layout.bits_slots)
    order = list(_uint32(sections["order"]))
    if not abstract.consistent(len(ids)) or len(order) != len(ids) - ids.count(""):
        return None
    return FileParts(
        ids, lengths[0], lengths[1], order, Postings(tables[0]), abstract, layout.stamps,
        layout.identity,
    )  # fmt: skip

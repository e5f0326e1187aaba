"""The shard manifest: which paper ids each paper shard holds, and where each paper's
document starts in the shard's file, so that a command about one paper reads one document.

``cache/shards.manifest`` is derived data: a first line holding a checksum of the rest (a
damaged file fails it and is ignored whole), then JSON. Each shard's entry is keyed by the shard
file's key (inode, mtime, size) when it was listed: an entry whose modification time or size
is not the file's now is ignored (not the inode: a copy of the store, ``cp -p``, ``rsync -a``
or a restored backup, keeps the other two, and every write replaces a shard with a new
modification time), as is a missing or foreign manifest (the shard is then read whole, and
listed again). A document read by its offset is checked too (it must be one JSON object
under the expected id), so a wrong offset costs a whole read of the shard, never a wrong
paper. The store rewrites the manifest while it holds the store's lock: after a write of
paper shards (exclusive) or after listing stale shards (shared), so what it writes
describes the files as they are.

No TinyDB here: the shards' bytes are read with ``os.pread`` and parsed with orjson.
"""

from __future__ import annotations

import array
import binascii
import contextlib
import mmap
import os
import sys
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from paperterm.atomicfile import FileKey, write_file_atomic

MANIFEST_FILE = Path("cache") / "shards.manifest"
MAGIC = b"paperterm-shards 1 "
"""The first line: this, then the CRC-32 (hex) of the JSON that follows it: enough to tell
a damaged file (the manifest is derived data; nothing it says is taken unchecked)."""
HEAD = b'{"papers":{'
"""How a paper shard's file begins when it holds the ``papers`` table only, written compact."""


class ShardEntry:
    """One shard as listed: its file's key, its ids in file order and, when the file has the
    layout ``HEAD`` describes, the offset of each id's ``"ID":{...}`` in it (else None).

    As loaded from the manifest the offsets stay packed until a paper of the shard is read.
    """

    __slots__ = ("_index", "_packed", "_starts", "ids", "key")

    def __init__(
        self, key: FileKey, ids: list[str], starts: list[int] | None, packed: bytes | None = None
    ) -> None:
        """An entry; ``packed``: the offsets as ``_pack`` made them (instead of ``starts``)."""
        self.key = key
        self.ids = ids
        self._starts = starts
        self._packed = packed
        self._index: dict[str, int] | None = None

    @property
    def starts(self) -> list[int] | None:
        """The offsets (None: the shard is read whole); wrong packed ones read as None."""
        if self._packed is not None:
            self._starts = _unpack(self._packed, len(self.ids))
            self._packed = None
        return self._starts

    @starts.setter
    def starts(self, value: list[int] | None) -> None:
        self._starts, self._packed = value, None

    def position(self, pid: str) -> int | None:
        """Where ``pid`` is in ``ids`` (None: not listed)."""
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._index.get(pid)


def _pack(starts: list[int]) -> str | None:
    """Offsets as base64 of little-endian 32-bit words (None: one does not fit)."""
    if starts and max(starts) >= 1 << 32:
        return None
    words = array.array("I", starts)
    if sys.byteorder == "big":
        words.byteswap()
    return binascii.b2a_base64(words.tobytes(), newline=False).decode("ascii")


def _unpack(packed: bytes, count: int) -> list[int] | None:
    try:
        data = binascii.a2b_base64(packed)
    except (binascii.Error, ValueError):
        return None
    words = array.array("I")
    if words.itemsize != 4 or len(data) != 4 * count:
        return None
    words.frombytes(data)
    if sys.byteorder == "big":
        words.byteswap()
    return words.tolist()


def manifest_path(data_dir: Path) -> Path:
    """Where the store at ``data_dir`` keeps its shard manifest."""
    return Path(data_dir) / MANIFEST_FILE


def find_starts(data: bytes, ids: Sequence[str]) -> list[int] | None:
    """The offset of each id's ``"ID":{`` in a shard file's bytes (ids in the file's order),
    or None when the file is not laid out as ``HEAD``, the ids joined by commas, ``}}``.

    Inside a document a raw ``"`` only opens or closes a string, so ``"ID":{`` with the
    object's brace can only be the shard's own key (a paper's fields are never objects
    named like ids); the checks below catch a file laid out otherwise.
    """
    if not data.startswith(HEAD) or not data.endswith(b"}}"):
        return None
    find, pos = data.find, len(HEAD)
    starts: list[int] = []
    for pid in ids:
        needle = orjson.dumps(pid) + b":{"
        at = find(needle, pos)
        if at < 0 or (starts and data[at - 1] != 0x2C) or (not starts and at != pos):
            return None
        starts.append(at)
        pos = at + len(needle)
    return starts


def same_version(listed: FileKey, now: FileKey) -> bool:
    """Whether a shard listed with key ``listed`` is still the file with key ``now``: the
    same modification time and size (the inode may differ in a copy of the store)."""
    return listed[1:] == now[1:]


def entry_of(key: FileKey, data: bytes | None, ids: Sequence[str]) -> ShardEntry | None:
    """The entry of a shard file with key ``key``, bytes ``data`` (None: unknown) and ``ids``;
    None when an id holds a newline (the manifest keeps a shard's ids joined by newlines):
    such a shard is always read whole."""
    if any("\n" in pid for pid in ids):
        return None
    return ShardEntry(key, list(ids), None if data is None else find_starts(data, ids))


class Manifest:
    """The manifest as loaded: entries by shard month; ``save`` writes it when changed."""

    def __init__(self, path: Path, shards: dict[str, ShardEntry] | None = None) -> None:
        """A manifest for ``path`` holding ``shards`` (default: none)."""
        self.path = path
        self.shards = shards or {}
        self.dirty = False

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path``; an empty one when it is missing, damaged (its digest
        does not match) or foreign."""
        try:
            head, _, payload = path.read_bytes().partition(b"\n")
            if head != MAGIC + _digest(payload):
                return cls(path)
            return cls(path, _entries(orjson.loads(payload)))
        except (OSError, orjson.JSONDecodeError, TypeError, ValueError, KeyError, AttributeError):
            return cls(path)

    def current(self, month: str, key: FileKey | None) -> ShardEntry | None:
        """The entry of ``month`` when it was listed from the file version ``key``."""
        entry = self.shards.get(month)
        if entry is None or key is None or not same_version(entry.key, key):
            return None
        return entry

    def put(self, month: str, entry: ShardEntry | None) -> None:
        """List ``month`` as ``entry`` (None: leave it unlisted)."""
        if entry is None:
            self.drop(month)
            return
        self.shards[month] = entry
        self.dirty = True

    def drop(self, month: str) -> None:
        """Forget ``month`` (its file is gone)."""
        if self.shards.pop(month, None) is not None:
            self.dirty = True

    def save(self) -> None:
        """Write the manifest when it changed; best effort (a read-only store, a full disk:
        the next open lists the shards again). Call with the store's lock held."""
        if not self.dirty:
            return
        payload = orjson.dumps({
            month: {"key": list(e.key), "ids": "\n".join(e.ids),
                    "starts": None if e.starts is None else _pack(e.starts)}
            for month, e in sorted(self.shards.items())
        })  # fmt: skip
        with contextlib.suppress(OSError):
            write_file_atomic(self.path, MAGIC + _digest(payload) + b"\n" + payload, backup=False)
            self.dirty = False


def _digest(payload: bytes) -> bytes:
    return b"%08x" % zlib.crc32(payload)


def _entries(doc: Any) -> dict[str, ShardEntry]:
    """The entries of a manifest document; TypeError/ValueError unless it is well formed."""
    shards: dict[str, ShardEntry] = {}
    for month, item in doc.items():
        key, joined, packed = item["key"], item["ids"], item["starts"]
        if not (isinstance(key, list) and len(key) == 3 and all(type(k) is int for k in key)):
            raise ValueError(f"shard {month}: bad key")
        if type(joined) is not str or (packed is not None and type(packed) is not str):
            raise ValueError(f"shard {month}: bad ids or offsets")
        ids = joined.split("\n") if joined else []
        starts = None if packed is None else packed.encode("ascii")
        shards[str(month)] = ShardEntry((key[0], key[1], key[2]), ids, None, starts)
    return shards


def read_docs(
    path: Path, entry: ShardEntry, wanted: Sequence[str]
) -> Mapping[str, dict[str, Any]] | None:
    """The documents of ``wanted`` (ids ``entry`` lists) read by their offsets, or None when
    the file is not the version ``entry`` was listed from or a document is not where the
    entry says (the caller then reads the shard whole).

    The file is memory-mapped: only the pages of the wanted documents are read.
    """
    starts = entry.starts
    if starts is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not same_version(entry.key, (st.st_ino, st.st_mtime_ns, st.st_size)) or (
            st.st_size < len(HEAD) + 2
        ):
            return None
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as view:
            return _docs_at(view, entry, starts, wanted, st.st_size)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def _docs_at(
    view: mmap.mmap, entry: ShardEntry, starts: list[int], wanted: Sequence[str], size: int
) -> dict[str, dict[str, Any]] | None:
    """The documents at their offsets in ``view``, each checked: its key is the id, its
    value one JSON object; None at the first that is not."""
    docs: dict[str, dict[str, Any]] = {}
    last, loads, dumps = len(starts) - 1, orjson.loads, orjson.dumps
    for pid in wanted:
        i = entry.position(pid)
        if i is None:
            return None
        start = starts[i]
        end = starts[i + 1] - 1 if i < last else size - 2
        key = dumps(pid) + b":"
        if not start < end <= size or view[start : start + len(key)] != key:
            return None
        try:
            doc = loads(view[start + len(key) : end])
        except orjson.JSONDecodeError:
            return None
        if type(doc) is not dict:
            return None
        docs[pid] = doc
    return docs

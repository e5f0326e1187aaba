"""The term vectors' cache file: ``DATA_DIR/cache/term-vectors.bin``.

Derived data, like the search index's cache (``paperterm.index_cache``): deleting it costs a
rebuild (seconds at 100,000 papers); a damaged, truncated or foreign file is ignored and
replaced, for a checksum covers all of it. Writes are atomic (``atomicfile``).

Layout: a header line ``paperterm-terms 3 <byteorder> <sizes of the 12 sections>``, then
the sections: ids and vocabulary (newline-separated), text lengths, document frequencies,
every paper's token ids end to end (uint32), their term frequencies (float32), the papers'
offsets and their counts of tokens seen once (uint32), norms (float64), the rare
tokens with postings, their postings' ends and the postings end to end (uint32); then the
blake2b digest (32 bytes) of everything before it.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import sys
from array import array
from collections.abc import Sequence
from itertools import accumulate
from operator import attrgetter, le, lt, sub
from pathlib import Path
from typing import Any, BinaryIO, Final

from paperterm.atomicfile import write_file_atomic
from paperterm.model import Paper
from paperterm.terms import MappedPostings, TermVectors

TERMS_FILE: Final = Path("cache") / "term-vectors.bin"
MAGIC: Final = b"paperterm-terms 3 "
_SECTIONS: Final = 12
_DIGEST: Final = 32
_FLAT, _TFS, _JOINED = 4, 5, 11  # the sections that are mapped, not read
_MAPPED: Final = (_FLAT, _TFS, _JOINED)
_PIECE: Final = 1 << 20  # bytes hashed at a time (a multiple of 4)
_HEAD_AT_MOST: Final = 4096  # the header line is shorter


def terms_path(data_dir: Path) -> Path:
    """Where the store at ``data_dir`` keeps its term vectors."""
    return Path(data_dir) / TERMS_FILE


def open_terms(papers: Sequence[Paper], path: Path | None) -> TermVectors:
    """The term vectors of ``papers``: from the file at ``path`` when it holds them (papers
    it lacks are added), else built; the file is rewritten when anything changed. Never
    fails for the cache's sake."""
    vectors = read_terms(path) if path is not None else None
    if vectors is not None:
        held = {paper.id: paper for paper in papers}
        lengths = vectors.lengths
        if len(held) < len(vectors) or any(
            (paper := held.get(pid)) is None
            or len(paper.title) + paper.abstract_length != lengths[slot]
            for slot, pid in enumerate(vectors.ids)
        ):  # papers gone or changed: slots would point at the wrong paper
            vectors = None
        else:  # the papers' own id strings, not the file's copies
            vectors.ids = list(map(attrgetter("id"), map(held.__getitem__, vectors.ids)))
            vectors.slot.clear()  # freed before its successor is made: a lower peak
            vectors.slot.update(zip(vectors.ids, range(len(vectors.ids)), strict=True))
    if vectors is None:
        vectors = TermVectors.build(papers)
    elif len(vectors) == len(papers):
        return vectors
    else:
        vectors.add(papers)
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only store: no cache, no error
            write_terms(path, vectors)
    return vectors


def _u32(values: array[int] | memoryview) -> bytes:
    if isinstance(values, memoryview):  # a view of a saved file: uint32 already
        return values.tobytes()
    if values.typecode != "I":
        values = array("I", values)
    return values.tobytes()


def _f32(values: array[float] | memoryview[float]) -> bytes:
    return values.tobytes() if isinstance(values, memoryview) else array("f", values).tobytes()


def write_terms(path: Path, vectors: TermVectors) -> None:
    """Save the vectors atomically (raises OSError)."""
    keys = array("I", sorted(vectors.postings))
    ends = array("I", accumulate(len(vectors.postings[k]) for k in keys))
    joined = array("I")
    for key in keys:
        joined.extend(vectors.postings[key])
    sections = [
        "\n".join(vectors.ids).encode(),
        "\n".join(vectors.vocab).encode(),
        _u32(array("I", vectors.lengths)),
        _u32(vectors.df),
        _u32(vectors.flat),
        _f32(vectors.tfs),
        _u32(vectors.offsets),
        _u32(vectors.singles),
        array("d", vectors.norms).tobytes(),
        _u32(keys),
        _u32(ends),
        _u32(joined),
    ]
    header = MAGIC + f"{sys.byteorder} {' '.join(str(len(s)) for s in sections)}\n".encode()
    body = header + b"".join(sections)
    write_file_atomic(path, body + hashlib.blake2b(body, digest_size=_DIGEST).digest())


def _array(typecode: str, data: bytes) -> array[Any]:
    values = array(typecode)
    values.frombytes(data)
    return values


def read_terms(path: Path) -> TermVectors | None:
    """The saved vectors, or None when the file is missing, damaged or foreign."""
    try:
        with path.open("rb") as file:
            return _read(file)
    except (OSError, ValueError, IndexError, UnicodeDecodeError, OverflowError):
        return None


def _read(file: BinaryIO) -> TermVectors | None:
    """Check the whole file (its digest and every token id) reading it a piece at a time,
    keep the small sections, and map the big ones (``_MAPPED``): they are paged in when
    used (the reader may never rank by them), and the memory is the page cache's, shared
    and given back under pressure. The writer replaces the file by a rename, so a map of
    the old file stays whole."""
    size = os.fstat(file.fileno()).st_size
    head = file.read(min(size, _HEAD_AT_MOST))
    if not head.startswith(MAGIC):
        return None
    line_end = head.index(b"\n")
    fields = head[len(MAGIC) : line_end].decode("ascii").split()
    if len(fields) != _SECTIONS + 1 or fields[0] != sys.byteorder:
        return None
    sizes = [int(f) for f in fields[1:]]
    if line_end + 1 + sum(sizes) + _DIGEST != size or min(sizes) < 0:
        return None
    digest = hashlib.blake2b(head[: line_end + 1], digest_size=_DIGEST)
    file.seek(line_end + 1)
    parts: list[bytes] = []
    starts: list[int] = []
    at = line_end + 1
    for number, length in enumerate(sizes):
        starts.append(at)
        at += length
        if number not in _MAPPED:
            part = file.read(length)
            digest.update(part)
            parts.append(part)
            continue
        parts.append(b"")
        # token ids below the vocabulary's size, slots below the papers' count
        bound = {_FLAT: _lines(parts[1]), _JOINED: _lines(parts[0])}.get(number)
        if length % 4 or not _checked(file, length, digest, bound):
            return None
    if digest.digest() != file.read(_DIGEST):
        return None
    mapped = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    views = {n: mapped[starts[n] : starts[n] + sizes[n]] for n in _MAPPED}
    return _parse(parts, views)


def _lines(part: bytes) -> int:
    return part.count(b"\n") + 1 if part else 0


def _checked(file: BinaryIO, length: int, digest: hashlib.blake2b, bound: int | None) -> bool:
    """Hash the next ``length`` bytes of ``file``; with ``bound``, True only when every
    uint32 in them is below it."""
    left = length
    while left:
        piece = file.read(min(left, _PIECE))
        if not piece:
            return False
        digest.update(piece)
        left -= len(piece)
        if bound is not None and max(memoryview(piece).cast("I"), default=0) >= bound:
            return False
    return True


def _parse(parts: list[bytes], views: dict[int, memoryview]) -> TermVectors | None:
    ids = parts[0].decode().split("\n") if parts[0] else []
    vocab = parts[1].decode().split("\n") if parts[1] else []
    flat, tfs, joined = views[_FLAT].cast("I"), views[_TFS].cast("f"), views[_JOINED].cast("I")
    vectors = TermVectors(
        ids=ids,
        lengths=_array("I", parts[2]),
        vocab=vocab,
        df=_array("I", parts[3]),
        flat=flat,
        tfs=tfs,
        offsets=_array("I", parts[6]),
    )
    vectors.singles = _array("I", parts[7])
    norms = _array("d", parts[8])
    keys, ends = _array("I", parts[9]), _array("I", parts[10])
    n = len(ids)
    if not (
        len(vectors.lengths) == n == len(norms) == len(vectors.offsets) - 1
        == len(vectors.singles)
        and all(map(le, vectors.singles, map(sub, vectors.offsets[1:], vectors.offsets)))
        and len(vectors.df) == len(vocab) == len(set(vocab))
        and len(set(ids)) == n
        and vectors.offsets[-1] == len(flat) == len(tfs)
        and len(keys) == len(ends)
        and all(map(le, ends, ends[1:]))
        and (not ends or ends[-1] == len(joined))
        and all(map(lt, keys, keys[1:]))
        and (not keys or keys[-1] < len(vocab))
    ):
        return None
    vectors.slot = dict(zip(ids, range(n), strict=True))
    vectors.token_id = dict(zip(vocab, range(len(vocab)), strict=True))
    vectors.norms = list(norms)
    vectors.postings = MappedPostings(keys, ends, joined)
    vectors.idf = vectors.weights()
    return vectors

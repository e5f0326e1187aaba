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
import sys
from array import array
from collections.abc import Sequence
from itertools import accumulate
from operator import le, sub
from pathlib import Path
from typing import Final

from paperterm.atomicfile import write_file_atomic
from paperterm.model import Paper
from paperterm.terms import TermVectors

TERMS_FILE: Final = Path("cache") / "term-vectors.bin"
MAGIC: Final = b"paperterm-terms 3 "
_SECTIONS: Final = 12
_DIGEST: Final = 32


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
            or len(paper.title) + len(paper.abstract) != lengths[slot]
            for slot, pid in enumerate(vectors.ids)
        ):  # papers gone or changed: slots would point at the wrong paper
            vectors = None
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


def _u32(values: array[int]) -> bytes:
    if values.typecode != "I":
        values = array("I", values)
    return values.tobytes()


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
        array("f", vectors.tfs).tobytes(),
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


def _array(typecode: str, data: bytes) -> array[int]:
    values = array(typecode)
    values.frombytes(data)
    return values


def read_terms(path: Path) -> TermVectors | None:
    """The saved vectors, or None when the file is missing, damaged or foreign."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return _parse(data)
    except (ValueError, IndexError, UnicodeDecodeError, OverflowError):
        return None


def _parse(data: bytes) -> TermVectors | None:
    body, digest = data[:-_DIGEST], data[-_DIGEST:]
    if not data.startswith(MAGIC) or hashlib.blake2b(body, digest_size=_DIGEST).digest() != (
        digest
    ):
        return None
    line_end = body.index(b"\n")
    fields = body[len(MAGIC) : line_end].decode("ascii").split()
    if len(fields) != _SECTIONS + 1 or fields[0] != sys.byteorder:
        return None
    sizes = [int(f) for f in fields[1:]]
    parts: list[bytes] = []
    at = line_end + 1
    for size in sizes:
        parts.append(body[at : at + size])
        at += size
    if at != len(body):
        return None
    ids = parts[0].decode().split("\n") if parts[0] else []
    vocab = parts[1].decode().split("\n") if parts[1] else []
    vectors = TermVectors(
        ids=ids,
        lengths=list(_array("I", parts[2])),
        vocab=vocab,
        df=_array("I", parts[3]),
        flat=_array("I", parts[4]),
        offsets=_array("I", parts[6]),
    )
    tfs = array("f")
    tfs.frombytes(parts[5])
    vectors.tfs = tfs
    vectors.singles = _array("I", parts[7])
    norms = array("d")
    norms.frombytes(parts[8])
    keys, ends, joined = (_array("I", p) for p in parts[9:12])
    n = len(ids)
    if not (
        len(vectors.lengths) == n == len(norms) == len(vectors.offsets) - 1
        == len(vectors.singles)
        and all(map(le, vectors.singles, map(sub, vectors.offsets[1:], vectors.offsets)))
        and len(vectors.df) == len(vocab) == len(set(vocab))
        and len(set(ids)) == n
        and vectors.offsets[-1] == len(vectors.flat) == len(tfs)
        and len(keys) == len(ends)
        and (not ends or ends[-1] == len(joined))
        and (not vectors.flat or max(vectors.flat) < len(vocab))
        and (not joined or max(joined) < n)
        and (not keys or max(keys) < len(vocab))
    ):
        return None
    vectors.slot = dict(zip(ids, range(n), strict=True))
    vectors.token_id = dict(zip(vocab, range(len(vocab)), strict=True))
    vectors.norms = list(norms)
    starts = [0, *ends[:-1]]
    vectors.postings = {
        key: joined[start:end] for key, start, end in zip(keys, starts, ends, strict=True)
    }
    vectors.idf = vectors.weights()
    return vectors

"""What an import adds to the search index's cache file, kept beside it: so the papers of a
daily import reach the cache without rewriting it whole.

``cache/search-index.add`` (JSON) names the cache file it extends (its ``identity``), the
stamps of the store's shards after the import, the new slots' ids (numbered on from the
file's), the file's slots that became tombstones, the whole newest-first order and the new
slots' title and abstract postings. It is derived data like the file: one naming another
file, or not of this shape, is ignored. ``index_cache`` writes a new whole file once the
additions reach ``SAVE_AFTER`` papers, which leaves any addition file naming the old one
unused.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperterm.atomicfile import write_file_atomic
from paperterm.index_file import Stamps

SUFFIX = ".add"


@dataclass(frozen=True, slots=True)
class Delta:
    """Slots added to (and tombstones made in) the cache file ``base``."""

    base: int
    stamps: Stamps
    ids: list[str]
    dead: list[int]
    order: list[int]
    title: dict[str, array[int]]
    abstract: dict[str, array[int]]


def delta_path(index_file: Path) -> Path:
    """Where the additions to the cache file at ``index_file`` are kept."""
    return index_file.with_suffix(SUFFIX)


def write_delta(index_file: Path, delta: Delta) -> None:
    """Save the additions to ``index_file`` (atomically)."""
    data = {
        "base": delta.base, "stamps": delta.stamps, "ids": delta.ids, "dead": delta.dead,
        "byteorder": sys.byteorder,
        "order": base64.b64encode(array("I", delta.order).tobytes()).decode("ascii"),
        "title": {token: list(slots) for token, slots in delta.title.items()},
        "abstract": {token: list(slots) for token, slots in delta.abstract.items()},
    }  # fmt: skip
    write_file_atomic(delta_path(index_file), json.dumps(data).encode(), backup=False)


def _ints(value: Any, below: int) -> list[int] | None:
    if not isinstance(value, list) or not all(type(v) is int and 0 <= v < below for v in value):
        return None
    return value


def _order(data: dict[str, Any], end: int) -> list[int] | None:
    """The newest-first order (uint32 slots, base64): C-level checks only, it holds every
    live slot."""
    if data.get("byteorder") != sys.byteorder or not isinstance(data.get("order"), str):
        return None
    try:
        raw = base64.b64decode(data["order"], validate=True)
    except ValueError:
        return None
    if len(raw) % 4:
        return None
    order = array("I")
    order.frombytes(raw)
    return list(order) if not order or max(order) < end else None


def _postings(value: Any, first: int, end: int) -> dict[str, array[int]] | None:
    if not isinstance(value, dict):
        return None
    table: dict[str, array[int]] = {}
    for token, slots in value.items():
        found = _ints(slots, end)
        if not isinstance(token, str) or not found or min(found) < first:
            return None
        table[token] = array("I", found)
    return table


def read_delta(index_file: Path, base: int, slots: int) -> Delta | None:
    """The additions to the cache file whose identity is ``base`` and which has ``slots``
    slots; None when there are none, or they extend another file, or are damaged."""
    try:
        data = json.loads(delta_path(index_file).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("base") != base:
        return None
    ids, stamps = data.get("ids"), data.get("stamps")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        return None
    end = slots + len(ids)
    dead, order = _ints(data.get("dead"), slots), _order(data, end)
    title = _postings(data.get("title"), slots, end)
    abstract = _postings(data.get("abstract"), slots, end)
    if dead is None or order is None or title is None or abstract is None:
        return None
    if not isinstance(stamps, dict) or len(set(order)) != len(order):
        return None
    return Delta(base, stamps, ids, dead, order, title, abstract)


def drop_delta(index_file: Path) -> None:
    """Remove the additions file (a new whole cache file holds what it held)."""
    with contextlib.suppress(OSError):
        delta_path(index_file).unlink(missing_ok=True)

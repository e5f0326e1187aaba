"""Import planning: which papers of a batch of digests are new and which are known, and the
shard documents that record it.

Pure: the store holds its lock, passes in what it knows (ids by title key, shard months,
papers) and writes what ``plan_import`` returns, each touched shard once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from paperterm.digest import paper_key
from paperterm.documents import paper_doc, paper_to_doc, with_date
from paperterm.model import Digest, Paper

Doc = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one digest did: counts, the digest's warnings and the new papers' ids.

    ``new + known == len(digest.papers)``: a title repeated within the digest counts as known.
    """

    source: str
    date: dt.date
    new: int
    known: int
    warnings: tuple[str, ...] = ()
    new_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The documents to write (shard month -> paper id -> document, months in order, only
    those with a change) and one result per digest."""

    writes: dict[str, dict[str, Doc]]
    results: list[ImportResult]


def plan_import(
    digests: Sequence[Digest],
    *,
    id_of_key: Mapping[str, str],
    month_of: Mapping[str, str],
    papers: Mapping[str, Paper],
    new_id: Callable[[str, Container[str]], str],
) -> ImportPlan:
    """Plan importing ``digests`` in turn, as one digest after another would.

    A paper whose title key is known (``id_of_key``, or new earlier in the batch) gets the
    digest's date in the shard it lives in (``month_of``); a new one gets
    ``new_id(key, ids new in this batch)`` and goes to the shard of the digest's month.
    Re-importing a digest plans no write.
    """
    pending: dict[str, dict[str, Doc]] = {}  # shard month -> id -> new doc
    new_month: dict[str, str] = {}  # id -> shard month of the papers new in this batch
    fresh: dict[str, str] = {}  # key -> id of the papers new in this batch
    results: list[ImportResult] = []
    for digest in digests:
        day, month = digest.date.isoformat(), f"{digest.date:%Y-%m}"
        new_ids: list[str] = []
        known = 0
        for index, parsed in enumerate(digest.papers):
            key = paper_key(parsed.title)
            pid = id_of_key.get(key) or fresh.get(key)
            if pid is None:
                pid = fresh[key] = new_id(key, new_month)
                new_month[pid] = month
                pending.setdefault(month, {})[pid] = paper_doc(
                    parsed.title, parsed.abstract, parsed.links, [day], index, key
                )
                new_ids.append(pid)
                continue
            known += 1
            home = new_month.get(pid) or month_of.get(pid, month)
            shard = pending.setdefault(home, {})
            doc = shard.get(pid) or paper_to_doc(papers[pid], key)
            if (seen := with_date(doc, day, index)) is not None:
                shard[pid] = seen
        results.append(ImportResult(
            digest.source, digest.date, len(new_ids), known, digest.warnings, tuple(new_ids),
        ))  # fmt: skip
    writes = {month: docs for month, docs in sorted(pending.items()) if docs}
    return ImportPlan(writes, results)

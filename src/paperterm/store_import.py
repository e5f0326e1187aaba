"""Writing paper shards: an import's documents (``plan_import``'s plan) and any other change
to stored papers, with memory and the shard manifest kept in step.

Called by ``paperterm.store.Store`` with the exclusive lock held and every shard loaded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Container, Iterator, Mapping, Sequence
from typing import Any

from paperterm import digest as digests
from paperterm.documents import paper_from_doc
from paperterm.errors import StoreError
from paperterm.importing import ImportPlan, plan_import
from paperterm.model import Digest, Paper, arxiv_key
from paperterm.store_manifest import entry_of
from paperterm.store_schema import writing
from paperterm.store_shards import Shards


@contextlib.contextmanager
def writing_papers(shards: Shards) -> Iterator[Shards]:
    """Hold the exclusive lock with every paper loaded, as other processes left them, and
    the shard manifest read afresh; the manifest is saved after the writes."""
    with writing(shards):
        manifest = shards.load_manifest()
        shards.complete_now()  # a paper of an unloaded shard must be known, not new
        shards.sync(states=False)  # other processes' imports decide ids too
        yield shards
        manifest.save()


def new_id(shards: Shards, key: str, taken: Container[str]) -> str:
    """``paper_id(key)``, lengthened while it is some other paper's id (or ``taken``)."""
    for length in range(7, 65):
        pid = digests.paper_id(key, length)
        if pid not in shards.month_of and pid not in taken:
            return pid
    raise StoreError(f"cannot find a free paper id for key {key[:40]!r}")


def plan(shards: Shards, batch: Sequence[Digest]) -> ImportPlan:
    """What importing ``batch`` writes, given every paper the store holds."""
    return plan_import(
        batch,
        id_of_key=shards.title_keys(),
        id_of_arxiv=shards.id_by_arxiv,
        month_of=shards.month_of,
        papers=shards.papers,
        new_id=lambda key, taken: new_id(shards, key, taken),
    )


def write_papers(
    shards: Shards,
    month: str,
    docs: Mapping[str, dict[str, Any] | None],
    built: Mapping[str, Paper] | None = None,
) -> None:
    """Write paper documents into a shard (None: delete that paper), memory in step
    (``built``: papers already made from their documents, taken as they are), and the
    shard listed anew in the manifest when one is loaded."""
    path = shards.paper_path(month)
    table = shards.table(path, "papers")

    def update(stored: dict[str, dict[str, Any]]) -> None:
        for pid, doc in docs.items():
            if doc is None:
                stored.pop(pid, None)
            else:
                stored[pid] = doc

    table.modify(update)
    for pid, doc in docs.items():
        if doc is None:
            shards.forget(pid)
            continue
        paper = built.get(pid) if built else None
        if paper is None:
            paper = paper_from_doc(pid, doc, shards.dates)
        shards.papers[pid] = paper
        shards.month_of[pid] = month
        if shards.keep_keys:
            shards.id_by_key.setdefault(doc["key"], pid)
        if paper.meta.arxiv_id:
            shards.id_by_arxiv[arxiv_key(paper.meta.arxiv_id)] = pid
    key = table.storage_key()
    storage = shards.db(path).atomic
    if shards.manifest is not None and key is not None:
        shards.manifest.put(month, entry_of(key, storage.data, list(table.raw())))
    shards.loaded[path] = key
    storage.invalidate()  # the Papers are the in-memory copy
    shards.sorted = None

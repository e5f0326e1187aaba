"""Lazy loading: no paper shard read at open; every shard's ids listed from the shard
manifest (``paperterm.store_manifest``), and a paper read when asked for, by its offset in
its shard's file. A shard the manifest does not describe as it is now is loaded whole,
and listed anew.
"""

from __future__ import annotations

from collections.abc import Iterable

from paperterm.documents import paper_from_doc
from paperterm.heap import no_gc
from paperterm.storage import file_key, malformed, shard_months, shared_lock
from paperterm.store_manifest import read_docs
from paperterm.store_shards import Shards


def open_lazy(shards: Shards) -> None:
    """List every shard's ids from the manifest, loading whole the shards it does not
    describe as they are now (and saving it then). Call with the shared lock held."""
    shards.lazy = shards.lazy_states = True
    shards.sync_papers = lambda: sync_listed(shards)
    shards.load_manifest()
    sync_listed(shards)
    if shards.manifest is not None:
        shards.manifest.save()


def sync_listed(shards: Shards) -> bool:
    """Lazy: list again every shard whose file changed; True if any did."""
    changed = False
    manifest = shards.manifest or shards.load_manifest()
    for month in sorted(set(shard_months(shards.papers_dir)).union(shards.listed), reverse=True):
        path = shards.paper_path(month)
        key = file_key(path)
        if path in shards.loaded:
            if key != shards.loaded[path]:
                shards.load_papers(month)
                changed = True
            continue
        if month in shards.listed and shards.listed[month][0] == key:
            continue
        changed = True
        entry = manifest.current(month, key)
        if entry is None:
            shards.load_papers(month)  # a stale or missing entry: read it, list it anew
            continue
        for pid in shards.listed.get(month, (None, []))[1]:
            shards.forget(pid)  # papers read from the old version may have changed
        shards.month_of.update(dict.fromkeys(entry.ids, month))
        # this file's key, not the listed one: a copy of the store has other inodes
        shards.listed[month] = (key or entry.key, entry.ids)
    return changed


def fetch(shards: Shards, ids: Iterable[str]) -> None:
    """Lazy: read the papers ``ids`` (known ids) not in memory yet, each by its offset in
    its shard's file when the manifest's entry allows, else by loading the shard."""
    by_month: dict[str, list[str]] = {}
    for pid in ids:
        if pid not in shards.papers and pid in shards.month_of:
            by_month.setdefault(shards.month_of[pid], []).append(pid)
    if not by_month:
        return
    manifest = shards.manifest or shards.load_manifest()
    with shared_lock(shards.data_dir), no_gc():
        for month, wanted in by_month.items():
            path = shards.paper_path(month)
            listed = shards.listed.get(month)
            entry = None if listed is None else manifest.current(month, listed[0])
            docs = None if entry is None else read_docs(path, entry, wanted)
            if docs is None:
                manifest.drop(month)  # not where it said: list the shard anew
                shards.load_papers(month)
                manifest.save()
                continue
            try:
                for pid, doc in docs.items():
                    shards.papers[pid] = paper_from_doc(pid, doc, shards.dates)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise malformed(path, "a paper", exc) from None
    shards.sorted = None

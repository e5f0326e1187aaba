"""The store's ``meta.json``: its schema version checked at open, an older store upgraded in
place, and the exclusive lock of every write held with the file written or checked."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from paperterm.storage import (
    SCHEMA_VERSION,
    StoreDB,
    check_schema,
    older_schema,
    shard_months,
    store_lock,
)
from paperterm.store_shards import Shards, read_papers

META_FILE = "meta.json"


def check_meta(shards: Shards) -> None:
    """CorruptStoreError unless ``meta.json`` names a schema this paperterm opens."""
    path = shards.data_dir / META_FILE
    check_schema(path, shards.table(path, "meta").raw().get("schema"))


def upgrade(shards: Shards) -> int | None:
    """Upgrade a store an older paperterm wrote, in place, under the exclusive lock; the
    version it was (None: nothing to do).

    Version 1's documents are version 2's as they stand (a paper without ``"meta"`` knows
    its text only; no import history yet), so the upgrade checks that every paper shard
    reads and then replaces ``meta.json`` -- one atomic rename: a store is either still
    version 1, whole, or version 2. Nothing else is rewritten.
    """
    table = shards.table(shards.data_dir / META_FILE, "meta")
    if older_schema(table.raw().get("schema")) is None:
        return None
    with store_lock(shards.data_dir):
        old = older_schema(table.raw().get("schema"))  # another process may have done it
        if old is None:
            return None
        for month in shard_months(shards.papers_dir):
            shard = shards.paper_path(month)
            read_papers(shard, StoreDB(shard).str_table("papers"), shards.dates)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        table.modify(lambda docs: docs.update(schema={
            "version": SCHEMA_VERSION, "upgraded": {"from": old, "at": stamp},
        }))  # fmt: skip
        return old


@contextlib.contextmanager
def writing(shards: Shards) -> Iterator[None]:
    """Hold the exclusive lock, with ``meta.json`` written (a new store) or checked."""
    with store_lock(shards.data_dir):
        table = shards.table(shards.data_dir / META_FILE, "meta")
        if not table.raw():
            table.modify(lambda docs: docs.update(schema={"version": SCHEMA_VERSION}))
        else:
            check_meta(shards)
        yield

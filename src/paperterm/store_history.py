"""The store's import history (``imports.json``): its records, a new import's record, and
an import taken back (``undo``), all written through ``paperterm.store_shards.Shards``.

Called by ``paperterm.store.Store``; ``undo`` with the exclusive lock held and every shard
loaded. The pure parts (records, the plan of an undo) are ``paperterm.import_history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from paperterm.errors import StoreError
from paperterm.import_history import (
    HISTORY_LIMIT,
    ImportRecord,
    make_record,
    plan_undo,
    record_from_doc,
    record_to_doc,
    remainder,
)
from paperterm.importing import ImportPlan
from paperterm.model import Paper
from paperterm.storage import StrTable, malformed
from paperterm.store_import import write_papers
from paperterm.store_shards import Shards

HISTORY_FILE = "imports.json"


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What ``Store.undo_import`` did: the record taken back, the papers removed, the papers
    that lost dates (or got their fields back), and the papers kept for some user's marks."""

    record: ImportRecord
    removed: tuple[Paper, ...]
    undated: tuple[Paper, ...]
    kept: tuple[Paper, ...]


def history(shards: Shards) -> StrTable:
    """The history's table."""
    return shards.table(shards.data_dir / HISTORY_FILE, "imports")


def records(shards: Shards) -> list[ImportRecord]:
    """The records, oldest first; CorruptStoreError naming the file when one is malformed."""
    path = shards.data_dir / HISTORY_FILE
    try:
        found = [record_from_doc(n, doc) for n, doc in history(shards).raw().items()]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise malformed(path, "an import record", exc) from None
    return sorted(found, key=attrgetter("number"))


def append(shards: Shards, plan: ImportPlan) -> None:
    """Add the record of an import that wrote ``plan``, dropping the oldest beyond
    ``HISTORY_LIMIT``."""
    table = history(shards)
    numbers = [int(n) for n in table.raw()]
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    record = make_record(max(numbers, default=0) + 1, stamp, plan)
    old = sorted(numbers)[: max(len(numbers) + 1 - HISTORY_LIMIT, 0)]

    def keep(docs: dict[str, dict[str, Any]]) -> None:
        for number in old:
            docs.pop(str(number), None)
        docs[str(record.number)] = record_to_doc(record)

    table.modify(keep)


def undo(shards: Shards, users: Iterable[str], number: int | None, *, force: bool) -> UndoResult:
    """Take back import ``number`` (None: the last one in the history).

    Removes the dates it gave papers, and gives known papers back the fields it changed; a
    paper left with no date (one it added) goes, but one that any user has starred, tagged,
    read or annotated is kept, untouched, unless ``force``. Each touched shard is written
    once, then the record leaves the history (when papers were kept, it stays holding only
    them, so that a forced undo can still take them).
    """
    found = records(shards)
    if not found:
        raise StoreError(f"{shards.data_dir}: no import to undo (the history is empty)")
    chosen = found[-1] if number is None else next(
        (r for r in found if r.number == number), None
    )
    if chosen is None:
        listed = ", ".join(str(r.number) for r in found)
        raise StoreError(f"no import number {number} in the history (it holds {listed})")
    month_of = shards.month_of
    ids = {*chosen.added, *chosen.changed}.union(*map(set, chosen.dated.values()))
    here = [pid for pid in ids if pid in month_of]
    months = {month_of[pid] for pid in here}
    docs = {pid: shards.table(shards.paper_path(month_of[pid]), "papers").raw()[pid]
            for pid in here}  # fmt: skip
    undone = plan_undo(chosen, docs, month_of, _marked(shards, users, months), force=force)
    gone = [shards.papers[pid] for pid in undone.removed]
    for month, shard in undone.writes.items():
        write_papers(shards, month, shard)
    rest = remainder(chosen, undone.kept)
    doc_id = str(chosen.number)
    if rest is None:
        history(shards).modify(lambda stored: _drop(stored, doc_id))
    else:  # the kept papers stay undoable, with --force
        history(shards).modify(lambda stored: stored.update({doc_id: record_to_doc(rest)}))
    return UndoResult(
        chosen,
        tuple(gone),
        tuple(shards.papers[pid] for pid in undone.undated),
        tuple(shards.papers[pid] for pid in undone.kept),
    )


def _marked(shards: Shards, users: Iterable[str], months: Iterable[str]) -> set[str]:
    """The ids any user of the store has a state for, in the shards of ``months``."""
    marked: set[str] = set()
    months = list(months)
    for user in users:
        for month in months:
            path = shards.data_dir / "users" / user / f"{month}.json"
            marked.update(shards.table(path, "state").raw())
    return marked


def _drop(docs: dict[str, dict[str, Any]], doc_id: str) -> None:
    """Delete one document (an updater's body)."""
    docs.pop(doc_id, None)

"""The import history and its undo, without a store: what each import did, and what taking
it back writes.

The store (``imports.json``, under its lock) keeps the last ``HISTORY_LIMIT`` imports that
changed anything. Each record says when, from which sources and formats, how many papers
it read, which papers it added, which digest dates it gave to which papers (the new ones
included) and which stored fields of known papers it changed (``[before, after]``).

``plan_undo`` takes one back: every paper loses the dates the import gave it, and a known
paper gets back the fields the import changed, when they are still what the import left.
A paper left with no date (the import added it, or the import that did was undone) goes,
unless some user has marked it (starred, tagged, read or annotated; then it is kept,
untouched, unless ``force``). Planning from the current documents makes an undo safe to repeat: a
record whose undo was interrupted after some shards were written plans only the rest.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from paperterm.importing import ImportPlan, ImportResult

HISTORY_LIMIT = 10
"""How many imports the history keeps (the oldest goes first)."""

Doc = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One import in the history. ``number`` counts the store's imports from 1; ``at`` is
    an ISO 8601 UTC time; ``dated`` maps a digest date to the papers it was given to."""

    number: int
    at: str
    sources: tuple[str, ...]
    formats: tuple[str, ...]
    papers: int
    added: tuple[str, ...]
    dated: Mapping[str, tuple[str, ...]]
    changed: Mapping[str, Mapping[str, Sequence[Any]]]

    @property
    def known(self) -> int:
        """How many papers already in the store the import gave a date or new metadata."""
        ids = {pid for group in self.dated.values() for pid in group} | set(self.changed)
        return len(ids - set(self.added))


def make_record(number: int, at: str, plan: ImportPlan) -> ImportRecord:
    """The history record of an import that ``plan`` describes."""
    dated: dict[str, list[str]] = {}
    for pid, days in plan.dated.items():
        for day in days:
            dated.setdefault(day, []).append(pid)
    results: list[ImportResult] = plan.results
    return ImportRecord(
        number,
        at,
        tuple(dict.fromkeys(r.source for r in results)),
        tuple(dict.fromkeys(r.format for r in results)),
        sum(r.new + r.known for r in results),
        plan.added,
        {day: tuple(ids) for day, ids in sorted(dated.items())},
        plan.changed,
    )


def record_to_doc(record: ImportRecord) -> Doc:
    """``record`` as stored in ``imports.json`` (keyed there by its number)."""
    return {
        "at": record.at,
        "sources": list(record.sources),
        "formats": list(record.formats),
        "papers": record.papers,
        "added": list(record.added),
        "dated": {day: list(ids) for day, ids in record.dated.items()},
        "changed": {pid: dict(fields) for pid, fields in record.changed.items()},
    }


def record_from_doc(number: str, doc: Mapping[str, Any]) -> ImportRecord:
    """The record stored under ``number`` (KeyError/TypeError/ValueError if malformed)."""
    return ImportRecord(
        int(number),
        str(doc["at"]),
        tuple(map(str, doc["sources"])),
        tuple(map(str, doc["formats"])),
        int(doc["papers"]),
        tuple(map(str, doc["added"])),
        {str(day): tuple(map(str, ids)) for day, ids in dict(doc["dated"]).items()},
        {str(pid): dict(fields) for pid, fields in dict(doc.get("changed", {})).items()},
    )


def remainder(record: ImportRecord, kept: Collection[str]) -> ImportRecord | None:
    """What is left of ``record`` once undone but for the papers ``kept``: a record of
    those alone (None when none was kept)."""
    if not kept:
        return None
    dated = {day: tuple(p for p in ids if p in kept) for day, ids in record.dated.items()}
    return ImportRecord(
        record.number,
        record.at,
        record.sources,
        record.formats,
        len(kept),
        tuple(p for p in record.added if p in kept),
        {day: ids for day, ids in dated.items() if ids},
        {},
    )


@dataclass(frozen=True, slots=True)
class UndoPlan:
    """What undoing a record writes: shard month -> paper id -> new document, or None to
    delete the paper; and which papers go, lose dates, or are kept for their marks."""

    writes: dict[str, dict[str, Doc | None]]
    removed: tuple[str, ...]
    undated: tuple[str, ...]
    kept: tuple[str, ...]


def plan_undo(
    record: ImportRecord,
    docs: Mapping[str, Mapping[str, Any]],
    month_of: Mapping[str, str],
    marked: Collection[str],
    *,
    force: bool = False,
) -> UndoPlan:
    """Plan taking back ``record`` over the current paper documents (``docs``: id -> doc,
    at least the record's papers that still exist; ``month_of``: their shards).

    ``marked`` holds the ids some user has a state for; those of the papers that would go
    are kept unless ``force``.
    """
    gave: dict[str, set[str]] = {}
    for day, ids in record.dated.items():
        for pid in ids:
            gave.setdefault(pid, set()).add(day)
    writes: dict[str, dict[str, Doc | None]] = {}
    removed: list[str] = []
    undated: list[str] = []
    kept: list[str] = []
    for pid in dict.fromkeys([*record.added, *gave, *record.changed]):
        doc = docs.get(pid)
        if doc is None or pid not in month_of:
            continue  # gone already (an earlier, interrupted undo, or another's)
        shard = writes.setdefault(month_of[pid], {})
        left = [day for day in doc["dates"] if day not in gave.get(pid, ())]
        if not left:  # no digest left holds it (it was added, or its adder was undone)
            if force or pid not in marked:
                shard[pid] = None
                removed.append(pid)
            else:
                kept.append(pid)
            continue
        new = dict(doc, dates=left) if len(left) != len(doc["dates"]) else dict(doc)
        for name, (before, after) in record.changed.get(pid, {}).items():
            if new.get(name) == after:
                if before is None:
                    new.pop(name, None)
                else:
                    new[name] = before
        if new != doc:
            shard[pid] = new
            undated.append(pid)
    return UndoPlan(
        {month: shard for month, shard in sorted(writes.items()) if shard},
        tuple(removed),
        tuple(undated),
        tuple(kept),
    )

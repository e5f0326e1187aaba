"""The store: papers and each user's state over them, durable, sharded and multi-process safe.

Layout under ``data_dir`` (see ARCHITECTURE.md): ``meta.json`` (schema version),
``papers/YYYY-MM.json`` (papers by the month of the digest they were first seen in),
``users/NAME/YYYY-MM.json`` (that user's non-default states for the papers of that shard),
``users/NAME/prefs.json``, ``imports.json`` (the import history) and ``.lock``. Every write
is a read-modify-write of whole shards under the exclusive lock, re-reading first whatever
another process changed, and changes only the fields it means to change; files are replaced
atomically (``paperterm.storage``).

A ``Store`` keeps every paper and the current user's states in memory; ``refresh()`` picks
up what other processes wrote. It is not thread-safe: use one Store per thread.

``Store.open(..., eager=False)`` loads only the newest shards, enough for a first screen
(the reader's fast start); ``load_remaining()`` -- or ``read_remaining()`` in a worker thread
then ``adopt()`` on the store's own -- brings in the rest. Until then reads see the newest
papers only; a write that needs every paper (an import, an unknown id) loads the rest first.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from paperterm import digest as digests
from paperterm.atomicfile import FileKey
from paperterm.digest import paper_key
from paperterm.doctor import doctor
from paperterm.documents import (
    DateCache,
    normalize_tag,
    paper_from_doc,
    papers_from_docs,
    put_states,
    state_from_doc,
    strip_controls,
)
from paperterm.errors import StoreError, UnknownPaperError
from paperterm.heap import no_gc
from paperterm.import_history import (
    HISTORY_LIMIT,
    ImportRecord,
    make_record,
    plan_undo,
    record_from_doc,
    record_to_doc,
    remainder,
)
from paperterm.importing import ImportResult, plan_import
from paperterm.model import (
    DEFAULT_STATE,
    NO_META,
    Digest,
    Entry,
    Paper,
    PaperState,
    arxiv_key,
    newest_first_ints,
    newest_first_key,
)
from paperterm.storage import (
    SCHEMA_VERSION,
    StoreDB,
    StrTable,
    check_schema,
    file_key,
    malformed,
    older_schema,
    shard_months,
    shared_lock,
    store_lock,
)

__all__ = [
    "SCHEMA_VERSION", "FetchRecord", "ImportRecord", "ImportResult", "Store", "UndoResult", "doctor"
]

_MIN_PREFIX = 3
FIRST_PAPERS = 1000
"""A partial open loads the newest shards until it holds at least this many papers."""

PaperShard = tuple[FileKey | None, list[tuple[Paper, str]]]
StateShard = tuple[FileKey | None, dict[str, PaperState]]


@dataclass(frozen=True, slots=True)
class Remaining:
    """The shards a partial open left out, as ``Store.read_remaining`` read them.

    ``papers`` and ``states`` map a shard month to the file version read and its contents.
    """

    papers: dict[str, PaperShard]
    states: dict[str, StateShard]


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What ``Store.undo_import`` did: the record taken back, the papers removed, the papers
    that lost dates (or got their fields back), and the papers kept for some user's marks."""

    record: ImportRecord
    removed: tuple[Paper, ...]
    undated: tuple[Paper, ...]
    kept: tuple[Paper, ...]


Change = Callable[[PaperState], PaperState]
FETCH_LOG = "fetched.json"
"""When each day was fetched from the web (``paperterm fetch``): per store, not per user."""


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """When a day's list was last fetched from the web, and when a fetch of it last failed
    (timezone-aware; None: never)."""

    fetched: dt.datetime | None = None
    failed: dt.datetime | None = None

    @property
    def pending(self) -> bool:
        """True when the last fetch of the day failed."""
        return self.failed is not None and (self.fetched is None or self.failed > self.fetched)


def _moment(value: object) -> dt.datetime | None:
    """A stored ISO timestamp (aware), or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _becomes(state: PaperState) -> Change:
    """The change that replaces any state by ``state``."""
    return lambda _old: state


def _listed(items: Iterable[str]) -> list[str]:
    """``items`` as a list, a lone string counting as one item (not as its characters)."""
    return [items] if isinstance(items, str) else list(items)


class Store:
    """All papers, and one user's states and preferences over them."""

    def __init__(self, data_dir: Path, user: str, *, eager: bool = True) -> None:
        """Load the store at ``data_dir`` for ``user``; prefer ``Store.open``."""
        if not user or user.startswith(".") or "/" in user or "\\" in user:
            raise StoreError(f"invalid user name {user!r}")
        self.data_dir = Path(data_dir)
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(f"{self.data_dir}: not a directory (the store is a folder)")
        self.user = user
        self._papers_dir = self.data_dir / "papers"
        self._user_dir = self.data_dir / "users" / user
        self._dbs: dict[Path, StoreDB] = {}
        self._loaded: dict[Path, FileKey | None] = {}
        self._dates = DateCache()
        self._papers: dict[str, Paper] = {}
        self._month_of: dict[str, str] = {}  # paper id -> shard month
        self._id_by_key: dict[str, str] = {}  # paper_key -> paper id
        self._id_by_arxiv: dict[str, str] = {}  # arxiv_key(arXiv id) -> paper id
        self._states: dict[str, PaperState] = {}
        self._state_ids: dict[str, set[str]] = {}  # shard month -> ids with a state
        self._sorted: list[Paper] | None = None
        # While only the newest shards are loaded: the oldest month loaded. Older shards wait
        # for load_remaining/adopt; None once every shard is loaded.
        self._cutoff: str | None = None
        self.upgraded_from: int | None = None
        """The schema version this open upgraded the store from (None: no upgrade)."""
        self._upgrade()
        with shared_lock(self.data_dir):
            self._check_meta()
            if not eager:
                self._load_newest(FIRST_PAPERS)
            self._sync()

    @classmethod
    def open(cls, data_dir: Path, user: str, *, eager: bool = True) -> Store:
        """Open the store at ``data_dir`` for ``user`` (nothing is created until a write).

        With ``eager=False`` only the newest shards are loaded (at least ``FIRST_PAPERS``
        papers, when there are that many); see ``load_remaining``.
        """
        return cls(data_dir, user, eager=eager)

    def close(self) -> None:
        """Release the store's files. The in-memory data stays readable."""
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------ files

    def _db(self, path: Path) -> StoreDB:
        db = self._dbs.get(path)
        if db is None:
            db = self._dbs[path] = StoreDB(path)
        return db

    def _table(self, path: Path, name: str) -> StrTable:
        return self._db(path).str_table(name)

    def _check_meta(self) -> None:
        path = self.data_dir / "meta.json"
        check_schema(path, self._table(path, "meta").raw().get("schema"))

    def _upgrade(self) -> None:
        """Upgrade a store an older paperterm wrote, in place, under the exclusive lock.

        Version 1's documents are version 2's as they stand (a paper without ``"meta"``
        knows its text only; no import history yet), so the upgrade checks that every
        paper shard reads and then replaces ``meta.json`` -- one atomic rename: a store is
        either still version 1, whole, or version 2. Nothing else is rewritten.
        """
        path = self.data_dir / "meta.json"
        table = self._table(path, "meta")
        if older_schema(table.raw().get("schema")) is None:
            return
        with store_lock(self.data_dir):
            old = older_schema(table.raw().get("schema"))  # another process may have done it
            if old is None:
                return
            for month in shard_months(self._papers_dir):
                shard = self._papers_dir / f"{month}.json"
                _read_papers(shard, StoreDB(shard).str_table("papers"), DateCache())
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            table.modify(lambda docs: docs.update(schema={
                "version": SCHEMA_VERSION, "upgraded": {"from": old, "at": stamp},
            }))  # fmt: skip
            self.upgraded_from = old

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the exclusive lock, with ``meta.json`` written or checked."""
        with store_lock(self.data_dir):
            table = self._table(self.data_dir / "meta.json", "meta")
            if not table.raw():
                table.modify(lambda docs: docs.update(schema={"version": SCHEMA_VERSION}))
            else:
                self._check_meta()
            yield

    def _load_papers(self, month: str) -> None:
        path = self._papers_dir / f"{month}.json"
        table = self._table(path, "papers")
        self._put_papers(month, _read_papers(path, table, self._dates), table.storage_key())
        self._db(path).atomic.invalidate()  # the Papers are the in-memory copy

    def _put_papers(
        self, month: str, papers: list[tuple[Paper, str]], key: FileKey | None
    ) -> None:
        # C-level loops: adopting 100,000 papers happens on the reader's UI thread
        shard = list(map(itemgetter(0), papers))
        ids = list(map(attrgetter("id"), shard))
        self._papers.update(zip(ids, shard, strict=True))
        self._month_of.update(dict.fromkeys(ids, month))
        self._id_by_key.update(zip(map(itemgetter(1), papers), ids, strict=True))
        self._id_by_arxiv.update(
            (arxiv_key(p.meta.arxiv_id), p.id)
            for p in shard
            if p.meta is not NO_META and p.meta.arxiv_id
        )
        path = self._papers_dir / f"{month}.json"
        if path in self._loaded:  # a reload: papers another process removed (an undo) go
            here = set(ids)
            for pid in [pid for pid, m in self._month_of.items() if m == month]:
                if pid not in here:
                    self._forget(pid)
        self._loaded[path] = key
        self._sorted = None

    def _forget(self, pid: str) -> None:
        """Drop a removed paper from memory (its user states, keyed by id, stay)."""
        paper = self._papers.pop(pid, None)
        self._month_of.pop(pid, None)
        if paper is None:
            return
        key = paper_key(paper.title)
        if self._id_by_key.get(key) == pid:
            del self._id_by_key[key]
        arxiv = arxiv_key(paper.meta.arxiv_id or "")
        if arxiv and self._id_by_arxiv.get(arxiv) == pid:
            del self._id_by_arxiv[arxiv]
        self._sorted = None

    def _load_states(self, month: str) -> None:
        path = self._user_dir / f"{month}.json"
        table = self._table(path, "state")
        self._put_states(month, _read_states(path, table), table.storage_key())

    def _put_states(
        self, month: str, fresh: dict[str, PaperState], key: FileKey | None
    ) -> None:
        for pid in self._state_ids.pop(month, set()):
            self._states.pop(pid, None)
        self._states.update(fresh)
        self._state_ids[month] = set(fresh)
        self._loaded[self._user_dir / f"{month}.json"] = key

    def _load_newest(self, wanted: int) -> None:
        """Load the newest paper shards until they hold ``wanted`` papers; the rest wait."""
        months = shard_months(self._papers_dir)
        with no_gc():
            for number, month in enumerate(months, 1):
                self._load_papers(month)
                if len(self._papers) >= wanted and number < len(months):
                    self._cutoff = month
                    return

    def _sync(self, *, states: bool = True) -> bool:
        """Reload every shard whose file changed since it was loaded; True if any did."""
        changed = False
        kinds: list[tuple[Path, Callable[[str], None]]] = [(self._papers_dir, self._load_papers)]
        if states:
            kinds.append((self._user_dir, self._load_states))
        with no_gc():  # a load makes ~10 containers per paper; collecting them is wasted time
            for directory, load in kinds:
                known = {p.stem for p in self._loaded if p.parent == directory}
                for month in sorted(known.union(shard_months(directory)), reverse=True):
                    if self._cutoff is not None and month < self._cutoff:
                        continue  # not loaded yet: load_remaining reads it
                    path = directory / f"{month}.json"
                    if file_key(path) != self._loaded.get(path):
                        load(month)
                        changed = True
        return changed

    def refresh(self) -> bool:
        """Pick up papers and states other processes wrote; True when anything changed.

        Costs one ``stat`` per shard when nothing changed. While another process is
        writing it returns False at once (call again later) rather than wait.
        """
        with shared_lock(self.data_dir, blocking=False) as held:
            return self._sync() if held else False

    # ------------------------------------------------------------ partial loading

    @property
    def complete(self) -> bool:
        """False while a partial open (``eager=False``) has not loaded every shard."""
        return self._cutoff is None

    def read_remaining(self) -> Remaining:
        """Read the shards a partial open left out, for ``adopt``.

        Reads files only and changes nothing in the store, so a worker thread may run it
        while the store's own thread goes on using the store.
        """
        cutoff = self._cutoff
        papers: dict[str, PaperShard] = {}
        states: dict[str, StateShard] = {}
        if cutoff is None:
            return Remaining(papers, states)
        dates = DateCache()
        # The lock is held per file, not for the whole read: a write meanwhile (the reader
        # saving a star) must not wait a second. A shard changed after it was read is
        # reloaded by the next refresh, as after any other process's write.
        with no_gc():
            for month in shard_months(self._papers_dir):
                if month < cutoff:
                    path = self._papers_dir / f"{month}.json"
                    table = StoreDB(path).str_table("papers")
                    with shared_lock(self.data_dir):
                        shard = _read_papers(path, table, dates)
                    papers[month] = (table.storage_key(), shard)  # the key of what was read
            for month in shard_months(self._user_dir):
                if month < cutoff:
                    path = self._user_dir / f"{month}.json"
                    table = StoreDB(path).str_table("state")
                    with shared_lock(self.data_dir):
                        fresh = _read_states(path, table)
                    states[month] = (table.storage_key(), fresh)
        return Remaining(papers, states)

    def adopt(self, remaining: Remaining) -> bool:
        """Take in what ``read_remaining`` read: from now on the store holds every shard.

        A shard loaded meanwhile (by a write that needed every paper) is kept as loaded; a
        file changed since it was read is picked up by the next ``refresh``. Returns False
        when the store was already complete.
        """
        if self._cutoff is None:
            return False
        with no_gc():
            for month, (key, papers) in remaining.papers.items():
                if self._papers_dir / f"{month}.json" not in self._loaded:
                    self._put_papers(month, papers, key)
            for month, (key, states) in remaining.states.items():
                if self._user_dir / f"{month}.json" not in self._loaded:
                    self._put_states(month, states, key)
        self._cutoff = None
        return True

    def load_remaining(self) -> bool:
        """Load the shards a partial open left out (``adopt(read_remaining())``)."""
        return self.adopt(self.read_remaining())

    def _complete(self) -> None:
        """Load every shard now (call with a lock held): for writes that need all papers."""
        if self._cutoff is not None:
            self._cutoff = None
            self._sync()

    # ------------------------------------------------------------ reads

    def __len__(self) -> int:
        return len(self._papers)

    @property
    def count(self) -> int:
        """The number of papers."""
        return len(self._papers)

    def papers(self) -> list[Paper]:
        """Every paper, newest digest first, each digest's page order kept."""
        if self._sorted is None:
            with no_gc():
                self._sorted = _newest_first(list(self._papers.values()))
        return list(self._sorted)

    def entries(self) -> list[Entry]:
        """Every paper with the current user's state over it, newest first."""
        states = self._states
        with no_gc():
            return [Entry(p, states.get(p.id, DEFAULT_STATE)) for p in self.papers()]

    def get(self, paper_id: str) -> Paper:
        """The paper ``paper_id``; UnknownPaperError if there is none."""
        try:
            return self._papers[paper_id]
        except KeyError:
            raise UnknownPaperError(f"unknown paper id {paper_id!r}") from None

    def state(self, paper_id: str) -> PaperState:
        """The current user's state of ``paper_id`` (the default when untouched)."""
        self.get(paper_id)
        return self._states.get(paper_id, DEFAULT_STATE)

    def states(self) -> Mapping[str, PaperState]:
        """The current user's non-default states by paper id (a snapshot)."""
        return dict(self._states)

    def resolve(self, text: str) -> str:
        """The id ``text`` names: an exact id, or the unique id it is a prefix (>= 3) of."""
        wanted = text.strip().lower()
        if wanted in self._papers:
            return wanted
        if len(wanted) < _MIN_PREFIX:
            raise UnknownPaperError(f"unknown paper id {text!r} (give at least 3 characters)")
        matches = sorted(pid for pid in self._papers if pid.startswith(wanted))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UnknownPaperError(f"unknown paper id {text!r}")
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise UnknownPaperError(
            f"ambiguous paper id {text!r}: matches {', '.join(matches[:5])}{more}"
        )

    def all_tags(self) -> list[str]:
        """Every tag the current user has used, sorted."""
        return sorted({tag for state in self._states.values() for tag in state.tags})

    def users(self) -> list[str]:
        """The users with a profile in this store, the current one included, sorted."""
        try:
            names = {p.name for p in (self.data_dir / "users").iterdir() if p.is_dir()}
        except OSError:
            names = set()
        return sorted({n for n in names if not n.startswith(".")} | {self.user})

    # ------------------------------------------------------------ state writes

    def _require(self, ids: Iterable[str]) -> list[str]:
        """The distinct ``ids`` in order; UnknownPaperError (before any write) for an unknown."""
        wanted = list(dict.fromkeys(ids))
        if any(pid not in self._papers for pid in wanted):
            if self._cutoff is not None:
                with shared_lock(self.data_dir):
                    self._complete()
            self._sync(states=False)
            for pid in wanted:
                self.get(pid)
        return wanted

    def _apply(self, plan: Mapping[str, Change]) -> dict[str, PaperState]:
        """Change each planned paper's state, one file write per shard; previous states."""
        self._require(plan)
        by_month: dict[str, list[str]] = {}
        for pid in plan:
            by_month.setdefault(self._month_of[pid], []).append(pid)
        previous: dict[str, PaperState] = {}
        with self._writing():
            for month, ids in sorted(by_month.items()):
                path = self._user_dir / f"{month}.json"
                if file_key(path) != self._loaded.get(path):
                    self._load_states(month)  # another process wrote it: start from that
                old = {pid: self._states.get(pid, DEFAULT_STATE) for pid in ids}
                previous.update(old)
                new = {pid: plan[pid](old[pid]) for pid in ids}
                changed = {pid: s for pid, s in new.items() if s != old[pid]}
                if not changed:
                    continue
                table = self._table(path, "state")
                table.modify(put_states(changed))
                self._loaded[path] = table.storage_key()
                ids_here = self._state_ids.setdefault(month, set())
                for pid, state in changed.items():
                    if state.is_default:
                        self._states.pop(pid, None)
                        ids_here.discard(pid)
                    else:
                        self._states[pid] = state
                        ids_here.add(pid)
        return previous

    def set_starred(self, ids: Iterable[str], value: bool) -> dict[str, PaperState]:
        """Star or unstar papers; returns their previous states."""
        return self._apply(dict.fromkeys(_listed(ids), lambda s: replace(s, starred=bool(value))))

    def set_read(self, ids: Iterable[str], value: bool) -> dict[str, PaperState]:
        """Mark papers read or unread; returns their previous states."""
        return self._apply(dict.fromkeys(_listed(ids), lambda s: replace(s, read=bool(value))))

    def add_tags(self, ids: Iterable[str], tags: Iterable[str]) -> dict[str, PaperState]:
        """Add tags (normalised) to papers; returns their previous states."""
        new = list(dict.fromkeys(normalize_tag(t) for t in _listed(tags)))

        def add(state: PaperState) -> PaperState:
            return replace(state, tags=state.tags + tuple(t for t in new if t not in state.tags))

        return self._apply(dict.fromkeys(_listed(ids), add))

    def remove_tags(self, ids: Iterable[str], tags: Iterable[str]) -> dict[str, PaperState]:
        """Remove tags from papers; returns their previous states."""
        gone = {normalize_tag(t) for t in _listed(tags)}

        def remove(state: PaperState) -> PaperState:
            return replace(state, tags=tuple(t for t in state.tags if t not in gone))

        return self._apply(dict.fromkeys(_listed(ids), remove))

    def set_note(self, paper_id: str, text: str) -> dict[str, PaperState]:
        """Set (or, with empty text, clear) a paper's note; returns its previous state."""
        note = strip_controls(text, keep="\n\t").strip()
        return self._apply({paper_id: lambda s: replace(s, note=note)})

    def restore_states(self, states: Mapping[str, PaperState]) -> dict[str, PaperState]:
        """Write exactly these states; returns the states they replaced."""
        return self._apply({pid: _becomes(new) for pid, new in states.items()})

    def update_states(self, changes: Mapping[str, Change]) -> dict[str, PaperState]:
        """Replace each paper's state by ``changes[id](current)``; returns the previous states.

        ``current`` is read under the write lock, after whatever another process wrote, so
        a change that compares before it writes (undo) is a compare-and-set.
        """
        return self._apply(changes)

    # ------------------------------------------------------------ imports

    def _new_id(self, key: str, taken: Container[str]) -> str:
        """``paper_id(key)``, lengthened while it is some other paper's id (or ``taken``)."""
        for length in range(7, 65):
            pid = digests.paper_id(key, length)
            if pid not in self._papers and pid not in taken:
                return pid
        raise StoreError(f"cannot find a free paper id for key {key[:40]!r}")

    def import_digest(self, digest: Digest) -> ImportResult:
        """Add a digest's papers: new ones get an id, known ones get the digest's date.

        Each touched shard is written once, under one hold of the lock; re-importing a
        digest changes nothing and writes nothing.
        """
        return self.import_digests([digest])[0]

    def import_digests(self, digests_: Sequence[Digest]) -> list[ImportResult]:
        """Import several digests in turn, as ``import_digest`` would one after another,
        but under one hold of the lock and writing each touched shard once.

        Importing three years of digests this way costs one write per month instead of
        one per digest (each rewriting a growing shard).
        """
        with self._writing(), no_gc():  # several new containers per paper, none cyclic
            self._complete()  # a paper of an unloaded shard must be known, not new
            self._sync(states=False)  # other processes' imports decide ids too
            plan = plan_import(
                digests_,
                id_of_key=self._id_by_key,
                id_of_arxiv=self._id_by_arxiv,
                month_of=self._month_of,
                papers=self._papers,
                new_id=self._new_id,
            )
            for month in plan.writes:
                self._write_papers(month, plan.writes[month], plan.built)
            if plan.writes:
                history = self._history()
                numbers = [int(n) for n in history.raw()]
                stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                record = make_record(max(numbers, default=0) + 1, stamp, plan)
                old = sorted(numbers)[: max(len(numbers) + 1 - HISTORY_LIMIT, 0)]

                def keep(docs: dict[str, dict[str, Any]]) -> None:
                    for number in old:
                        docs.pop(str(number), None)
                    docs[str(record.number)] = record_to_doc(record)

                history.modify(keep)
            results = plan.results
            del plan  # its documents go while the collector is paused, not walked by it
        return results

    # ------------------------------------------------------------ import history

    def _history(self) -> StrTable:
        return self._table(self.data_dir / "imports.json", "imports")

    def imports(self) -> list[ImportRecord]:
        """The import history, oldest first (the last ``HISTORY_LIMIT`` imports that
        changed anything; an undone import leaves it)."""
        with shared_lock(self.data_dir):
            return self._records()

    def _records(self) -> list[ImportRecord]:
        path = self.data_dir / "imports.json"
        try:
            records = [record_from_doc(n, doc) for n, doc in self._history().raw().items()]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise malformed(path, "an import record", exc) from None
        return sorted(records, key=attrgetter("number"))

    def undo_import(self, number: int | None = None, *, force: bool = False) -> UndoResult:
        """Take back import ``number`` (default: the last one in the history).

        Removes the dates it gave papers, and gives known papers back the fields it changed;
        a paper left with no date (one it added) goes, but one that any user has starred,
        tagged, read or annotated is kept, untouched, unless ``force``. All under one hold
        of the lock; each touched shard written once, then the record leaves the history
        (when papers were kept, it stays holding only them, so that a forced undo can still
        take them).
        """
        with self._writing():
            self._complete()
            self._sync(states=False)
            records = self._records()
            if not records:
                raise StoreError(f"{self.data_dir}: no import to undo (the history is empty)")
            chosen = records[-1] if number is None else next(
                (r for r in records if r.number == number), None
            )
            if chosen is None:
                listed = ", ".join(str(r.number) for r in records)
                raise StoreError(f"no import number {number} in the history (it holds {listed})")
            ids = {*chosen.added, *chosen.changed}.union(*map(set, chosen.dated.values()))
            here = [pid for pid in ids if pid in self._month_of]
            months = {self._month_of[pid] for pid in here}
            docs = {pid: self._paper_docs(self._month_of[pid])[pid] for pid in here}
            undo = plan_undo(chosen, docs, self._month_of, self._marked(months), force=force)
            gone = [self._papers[pid] for pid in undo.removed]
            for month, shard in undo.writes.items():
                self._write_papers(month, shard)
            rest = remainder(chosen, undo.kept)
            doc_id = str(chosen.number)
            if rest is None:
                self._history().modify(lambda stored: _drop(stored, doc_id))
            else:  # the kept papers stay undoable, with --force
                self._history().modify(lambda stored: stored.update({doc_id: record_to_doc(rest)}))
        return UndoResult(
            chosen,
            tuple(gone),
            tuple(self._papers[pid] for pid in undo.undated),
            tuple(self._papers[pid] for pid in undo.kept),
        )

    def _paper_docs(self, month: str) -> Mapping[str, Mapping[str, Any]]:
        path = self._papers_dir / f"{month}.json"
        return self._table(path, "papers").raw()

    def _marked(self, months: Iterable[str]) -> set[str]:
        """The ids any user of the store has a state for, in the shards of ``months``."""
        marked: set[str] = set()
        for user in self.users():
            for month in months:
                path = self.data_dir / "users" / user / f"{month}.json"
                marked.update(self._table(path, "state").raw())
        return marked

    def _write_papers(
        self,
        month: str,
        docs: Mapping[str, dict[str, Any] | None],
        built: Mapping[str, Paper] | None = None,
    ) -> None:
        """Write paper documents into a shard (None: delete that paper), memory in step
        (``built``: papers already made from their documents, taken as they are)."""
        path = self._papers_dir / f"{month}.json"
        table = self._table(path, "papers")

        def update(stored: dict[str, dict[str, Any]]) -> None:
            for pid, doc in docs.items():
                if doc is None:
                    stored.pop(pid, None)
                else:
                    stored[pid] = doc

        table.modify(update)
        for pid, doc in docs.items():
            if doc is None:
                self._forget(pid)
                continue
            paper = built.get(pid) if built else None
            if paper is None:
                paper = paper_from_doc(pid, doc, self._dates)
            self._papers[pid] = paper
            self._month_of[pid] = month
            self._id_by_key.setdefault(doc["key"], pid)
            if paper.meta.arxiv_id:
                self._id_by_arxiv[arxiv_key(paper.meta.arxiv_id)] = pid
        self._loaded[path] = table.storage_key()
        self._db(path).atomic.invalidate()  # the Papers are the in-memory copy
        self._sorted = None

    # ------------------------------------------------------------ preferences

    def _prefs(self) -> StrTable:
        return self._table(self._user_dir / "prefs.json", "prefs")

    def get_pref(self, key: str, default: Any = None) -> Any:
        """The current user's preference ``key`` (a JSON value), else ``default``."""
        doc = self._prefs().raw().get(key)
        return default if doc is None else copy.deepcopy(doc.get("value", default))

    def set_pref(self, key: str, value: Any) -> None:
        """Save the current user's preference ``key``; ``value`` must be JSON."""
        try:
            value = json.loads(json.dumps(value))
        except (TypeError, ValueError) as exc:
            raise StoreError(f"preference {key!r}: not a JSON value ({exc})") from None
        with self._writing():
            table = self._prefs()
            current = table.raw().get(key)
            if current is None or current.get("value") != value:
                table.modify(lambda docs: docs.update({key: {"value": value}}))

    # ------------------------------------------------------------ fetch log

    def fetch_log(self) -> dict[dt.date, FetchRecord]:
        """When each day was fetched from the web (``FETCH_LOG``); a malformed entry is
        left out (it costs a fetch again, nothing else)."""
        log: dict[dt.date, FetchRecord] = {}
        for key, doc in self._table(self.data_dir / FETCH_LOG, "days").raw().items():
            try:
                day = dt.date.fromisoformat(key)
            except ValueError:
                continue
            record = FetchRecord(_moment(doc.get("fetched")), _moment(doc.get("failed")))
            if record.fetched or record.failed:
                log[day] = record
        return log

    def record_fetch(self, day: dt.date, at: dt.datetime, *, failed: bool = False) -> None:
        """Note that ``day`` was fetched (or failed to be) at ``at``, a timezone-aware time.

        Call it after the day's import: a crash between the two costs a fetch again, never
        a day logged as fetched whose papers are not in.
        """
        if at.tzinfo is None:
            raise StoreError("record_fetch: the time must be timezone-aware")
        key = day.isoformat()
        with self._writing():
            table = self._table(self.data_dir / FETCH_LOG, "days")
            doc = {**table.raw().get(key, {}), ("failed" if failed else "fetched"): at.isoformat()}
            table.modify(lambda docs: docs.update({key: doc}))


def _drop(docs: dict[str, dict[str, Any]], doc_id: str) -> None:
    """Delete one document (an updater's body)."""
    docs.pop(doc_id, None)


def _read_papers(path: Path, table: StrTable, dates: DateCache) -> list[tuple[Paper, str]]:
    """A paper shard's papers with their keys; CorruptStoreError naming ``path``."""
    try:
        return list(papers_from_docs(table.raw(), dates))
    except (KeyError, TypeError, ValueError) as exc:
        raise malformed(path, "a paper", exc) from None


def _read_states(path: Path, table: StrTable) -> dict[str, PaperState]:
    """A state shard's states by paper id; CorruptStoreError naming ``path``."""
    try:
        return {pid: state_from_doc(doc) for pid, doc in table.raw().items()}
    except (TypeError, ValueError) as exc:
        raise malformed(path, "a state", exc) from None


def _newest_first(papers: list[Paper]) -> list[Paper]:
    """``sorted(papers, key=newest_first_key)``, with an int key made in C when it can be (a
    third of the time at 100,000 papers; equal keys keep their order, as before)."""
    keys = newest_first_ints(papers)
    if keys is None:
        return sorted(papers, key=newest_first_key)
    order = sorted(range(len(papers)), key=keys.__getitem__)
    return list(map(papers.__getitem__, order))

"""The store: papers and each user's state over them, durable, sharded and multi-process safe.

Layout under ``data_dir`` (see ARCHITECTURE.md): ``meta.json``, ``papers/YYYY-MM.json``
(papers by the month of the digest they were first seen in), ``users/NAME/YYYY-MM.json``
(that user's non-default states for the papers of that shard), ``users/NAME/prefs.json``,
``imports.json``, ``fetched.json``, ``.lock`` and, derived, ``cache/shards.manifest`` (the shard
manifest). Every write is a read-modify-write of whole shards under the exclusive lock,
re-reading first what another process changed; files are replaced atomically.

``Store`` is the facade over ``store_shards`` (what is loaded), ``store_partial`` and
``store_lazy`` (the two ways of loading less), ``store_manifest``, ``store_states``,
``store_import``, ``store_history``, ``store_prefs`` and ``store_schema``. Not thread-safe:
use one Store per thread. ``Store.open(..., eager=False)`` loads only the newest shards (the
reader's fast start; ``load_remaining`` or ``read_remaining`` + ``adopt`` bring the rest);
``lazy=True`` loads none: every id is known from the manifest and a paper is read when
asked for (``get``, ``entries_of``). A write that needs every paper loads the rest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperterm import store_lazy, store_partial, store_prefs, store_schema, store_states
from paperterm.errors import StoreError, UnknownPaperError
from paperterm.heap import no_gc
from paperterm.model import (
    DEFAULT_STATE,
    Digest,
    Entry,
    Paper,
    PaperState,
)
from paperterm.paths import is_user_name
from paperterm.shelf import AbstractShelf
from paperterm.storage import SCHEMA_VERSION, StrTable, shared_lock
from paperterm.store_partial import Remaining
from paperterm.store_prefs import FETCH_LOG, FetchRecord
from paperterm.store_shards import Shards, newest_first, paper_stamps
from paperterm.store_shards import newest_first as _newest_first  # noqa: F401 (tests)
from paperterm.store_states import Change

if TYPE_CHECKING:
    from paperterm.import_history import ImportRecord
    from paperterm.importing import ImportResult
    from paperterm.store_history import UndoResult

__all__ = [
    "FETCH_LOG", "SCHEMA_VERSION", "FetchRecord", "ImportRecord", "ImportResult", "Remaining",
    "Store", "UndoResult", "paper_stamps",
]  # fmt: skip

_LAZY_NAMES = {
    "ImportRecord": "paperterm.import_history",
    "ImportResult": "paperterm.importing",
    "UndoResult": "paperterm.store_history",
}


def __getattr__(name: str) -> Any:
    """The import history's types, imported when first asked for: a command about one
    paper never imports the import code."""
    if name in _LAZY_NAMES:
        import importlib

        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


FIRST_PAPERS = 1000
"""A partial open loads the newest shards until it holds at least this many papers."""

def _listed(items: Iterable[str]) -> list[str]:
    """``items`` as a list, a lone string counting as one item (not as its characters)."""
    return [items] if isinstance(items, str) else list(items)


class Store(store_prefs.PrefsAndFetchLog):
    """All papers, and one user's states and preferences over them."""

    def __init__(
        self,
        data_dir: Path,
        user: str,
        *,
        eager: bool = True,
        lazy: bool = False,
        shelve: bool = False,
    ) -> None:
        """Load the store at ``data_dir`` for ``user``; prefer ``Store.open``."""
        if not is_user_name(user):
            raise StoreError(f"invalid user name {user!r}")
        self.data_dir = Path(data_dir)
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(f"{self.data_dir}: not a directory (the store is a folder)")
        self.user = user
        self._shards = Shards(self.data_dir, user)
        if shelve:  # the reader's memory: abstracts on disk, title keys made when needed
            self._shards.shelf = AbstractShelf(self.data_dir / "cache")
            self._shards.keep_keys = False
        self.upgraded_from: int | None = store_schema.upgrade(self._shards)
        with shared_lock(self.data_dir):
            store_schema.check_meta(self._shards)
            if lazy:
                store_lazy.open_lazy(self._shards)  # states too are read when first needed
            else:
                if not eager:
                    store_partial.load_newest(self._shards, FIRST_PAPERS)
                self._shards.sync()

    @classmethod
    def open(
        cls,
        data_dir: Path,
        user: str,
        *,
        eager: bool = True,
        lazy: bool = False,
        shelve: bool = False,
    ) -> Store:
        """Open the store at ``data_dir`` for ``user`` (nothing is created until a write).
        ``eager=False``: the newest shards only, at least ``FIRST_PAPERS`` papers (see
        ``load_remaining``); ``lazy=True``: no paper shard, papers read when asked for;
        ``shelve=True``: the abstracts of the papers loaded are kept on disk and read when
        asked for (``paperterm.shelf``), and title keys are made when an import needs them
        (the reader's memory)."""
        return cls(data_dir, user, eager=eager, lazy=lazy, shelve=shelve)

    def close(self) -> None:
        """Release the store's files. The in-memory data stays readable."""
        self._shards.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------ files

    def _table(self, path: Path, name: str) -> StrTable:
        return self._shards.table(path, name)

    def _writing(self) -> AbstractContextManager[None]:
        """The exclusive lock, with ``meta.json`` written or checked."""
        return store_schema.writing(self._shards)

    def refresh(self) -> bool:
        """Pick up what other processes wrote; True when anything changed. One ``stat`` per
        shard when nothing did; False at once (call again later) while a writer runs."""
        with shared_lock(self.data_dir, blocking=False) as held:
            return self._shards.sync() if held else False

    # ------------------------------------------------------------ partial loading

    @property
    def shelves_abstracts(self) -> bool:
        """Whether the abstracts of the papers loaded are kept on disk (``Store.open``)."""
        return self._shards.shelf is not None

    @property
    def complete(self) -> bool:
        """False while a partial or lazy open has not loaded every shard."""
        return self._shards.complete

    def read_remaining(self) -> Remaining:
        """Read the shards a partial open left out, for ``adopt``: files only, nothing of
        the store changed, so a worker thread may run it while the store's thread works."""
        return store_partial.read_remaining(self._shards)

    def adopt(self, remaining: Remaining) -> bool:
        """Take in what ``read_remaining`` read (a shard loaded meanwhile stays as loaded; a
        file changed since is the next ``refresh``'s); False when already complete."""
        return store_partial.adopt(self._shards, remaining)

    def load_remaining(self) -> bool:
        """Load the shards a partial (or lazy) open left out; False when there were none."""
        if self._shards.lazy:
            with shared_lock(self.data_dir):
                self._shards.complete_now()
            return True
        return self.adopt(self.read_remaining())

    def paper_stamps(self) -> dict[str, tuple[int, int]]:
        """Per paper shard loaded (by file name), ``(st_mtime_ns, st_size)`` of the version
        loaded: what a cache derived from ``papers()`` records (see ``paper_stamps``)."""
        shards = self._shards
        return {path.name: (key[1], key[2]) for path, key in shards.loaded.items()
                if key is not None and path.parent == shards.papers_dir}  # fmt: skip

    # ------------------------------------------------------------ reads

    def __len__(self) -> int:
        return len(self._shards.month_of)

    @property
    def count(self) -> int:
        """The number of papers."""
        return len(self._shards.month_of)

    def papers(self) -> list[Paper]:
        """Every paper, newest digest first, each digest's page order kept."""
        return list(self.papers_in_order())

    def papers_in_order(self) -> Sequence[Paper]:
        """``papers()`` without its copy: the store's own newest-first list, which is never
        changed in place (papers changing make a new one), so another thread may read it
        while the store changes. Read-only: for a list to change, take ``papers()``."""
        shards = self._shards
        if shards.lazy:
            with shared_lock(self.data_dir):
                shards.complete_now()
        return shards.newest_first()

    def entries(self) -> list[Entry]:
        """Every paper with the current user's state over it, newest first."""
        papers = self.papers()
        self._shards.need_states()
        states = self._shards.states
        with no_gc():
            return [Entry(p, states.get(p.id, DEFAULT_STATE)) for p in papers]

    def entries_of(self, ids: Iterable[str]) -> list[Entry]:
        """The papers ``ids`` (unknown ids left out) with the user's states, newest first
        as ``entries`` orders them; a lazy store reads only these papers."""
        shards = self._shards
        wanted = [pid for pid in dict.fromkeys(ids) if pid in shards.month_of]
        if shards.lazy:
            store_lazy.fetch(shards, wanted)
        shards.need_states()
        papers = newest_first([shards.papers[pid] for pid in wanted if pid in shards.papers])
        states = shards.states
        return [Entry(p, states.get(p.id, DEFAULT_STATE)) for p in papers]

    def get(self, paper_id: str) -> Paper:
        """The paper ``paper_id``; UnknownPaperError if there is none."""
        shards = self._shards
        paper = shards.papers.get(paper_id)
        if paper is None and shards.lazy and paper_id in shards.month_of:
            store_lazy.fetch(shards, [paper_id])
            paper = shards.papers.get(paper_id)
        if paper is None:
            raise UnknownPaperError(f"unknown paper id {paper_id!r}")
        return paper

    def state(self, paper_id: str) -> PaperState:
        """The current user's state of ``paper_id`` (the default when untouched)."""
        month = self._shards.month_of.get(paper_id)
        if month is None:
            raise UnknownPaperError(f"unknown paper id {paper_id!r}")
        self._shards.need_states(month)
        return self._shards.states.get(paper_id, DEFAULT_STATE)

    def states(self) -> Mapping[str, PaperState]:
        """The current user's non-default states by paper id (a snapshot)."""
        self._shards.need_states()
        return dict(self._shards.states)

    def resolve(self, text: str) -> str:
        """The id ``text`` names: an exact id, or the unique id it is a prefix (>= 3) of."""
        return self._shards.resolve(text)

    def all_tags(self) -> list[str]:
        """Every tag the current user has used, sorted."""
        self._shards.need_states()
        return sorted({tag for state in self._shards.states.values() for tag in state.tags})

    def users(self) -> list[str]:
        """The users with a profile in this store, the current one included, sorted."""
        try:
            names = {p.name for p in (self.data_dir / "users").iterdir() if p.is_dir()}
        except OSError:
            names = set()
        return sorted({n for n in names if is_user_name(n)} | {self.user})

    # ------------------------------------------------------------ state writes

    def _apply(self, plan: Mapping[str, Change]) -> dict[str, PaperState]:
        """Change each planned paper's state, one file write per shard; previous states."""
        return store_states.apply(self._shards, plan, self._writing())

    def set_starred(self, ids: Iterable[str], value: bool) -> dict[str, PaperState]:
        """Star or unstar papers; returns their previous states."""
        return self._apply(dict.fromkeys(_listed(ids), store_states.starred(value)))

    def set_read(self, ids: Iterable[str], value: bool) -> dict[str, PaperState]:
        """Mark papers read or unread; returns their previous states."""
        return self._apply(dict.fromkeys(_listed(ids), store_states.marked_read(value)))

    def add_tags(self, ids: Iterable[str], tags: Iterable[str]) -> dict[str, PaperState]:
        """Add tags (normalised) to papers; returns their previous states."""
        return self._apply(dict.fromkeys(_listed(ids), store_states.tags_added(_listed(tags))))

    def remove_tags(self, ids: Iterable[str], tags: Iterable[str]) -> dict[str, PaperState]:
        """Remove tags from papers; returns their previous states."""
        change = store_states.tags_removed(_listed(tags))
        return self._apply(dict.fromkeys(_listed(ids), change))

    def set_note(self, paper_id: str, text: str) -> dict[str, PaperState]:
        """Set (or, with empty text, clear) a paper's note; returns its previous state."""
        return self._apply({paper_id: store_states.noted(text)})

    def restore_states(self, states: Mapping[str, PaperState]) -> dict[str, PaperState]:
        """Write exactly these states; returns the states they replaced."""
        return self._apply({pid: store_states.becomes(new) for pid, new in states.items()})

    def update_states(self, changes: Mapping[str, Change]) -> dict[str, PaperState]:
        """Replace each paper's state by ``changes[id](current)``; returns the previous states.

        ``current`` is read under the write lock, after whatever another process wrote, so
        a change that compares before it writes (undo) is a compare-and-set.
        """
        return self._apply(changes)

    # ------------------------------------------------------------ imports

    def import_digest(self, digest: Digest) -> ImportResult:
        """Add a digest's papers: new ones get an id, known ones get the digest's date; each
        touched shard written once; re-importing a digest changes and writes nothing."""
        return self.import_digests([digest])[0]

    def import_digests(self, digests_: Sequence[Digest]) -> list[ImportResult]:
        """Import several digests in turn, as ``import_digest`` would one after another,
        but under one hold of the lock and writing each touched shard once (a folder of
        years of digests costs one write per month, not one per digest)."""
        from paperterm import store_history, store_import

        with store_import.writing_papers(self._shards) as shards, no_gc():
            # several new containers per paper, none cyclic: the collector would walk them
            plan = store_import.plan(shards, digests_)
            for month in plan.writes:
                store_import.write_papers(shards, month, plan.writes[month], plan.built)
            if plan.writes:
                store_history.append(shards, plan)
            results = plan.results
            del plan  # its documents go while the collector is paused, not walked by it
        return results

    # ------------------------------------------------------------ import history

    def imports(self) -> list[ImportRecord]:
        """The import history, oldest first (the last ``HISTORY_LIMIT`` imports that
        changed anything; an undone import leaves it)."""
        from paperterm import store_history

        with shared_lock(self.data_dir):
            return store_history.records(self._shards)

    def undo_import(self, number: int | None = None, *, force: bool = False) -> UndoResult:
        """Take back import ``number`` (default: the last one in the history); a paper any
        user marked is kept unless ``force`` (see ``store_history.undo``)."""
        from paperterm import store_history, store_import

        with store_import.writing_papers(self._shards) as shards:
            return store_history.undo(shards, self.users(), number, force=force)

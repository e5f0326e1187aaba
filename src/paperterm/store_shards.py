"""The store's shards in memory: which paper and state shards are loaded, from which file
versions, and the papers and one user's states they hold.

Three ways to load (``paperterm.store.Store.open``): every shard (eager); the newest shards
until they hold enough papers for a first screen (partial: ``cutoff``, the rest read by
``read_remaining`` and taken in by ``adopt``); or no paper shard at all (lazy: the ids of
every shard come from the shard manifest, ``paperterm.store_manifest``, and a paper is read
when asked for, by its offset in its shard's file). The user's state shards are always read
whole: they hold only non-default states, so they are small.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter, itemgetter
from pathlib import Path

from paperterm.atomicfile import FileKey
from paperterm.documents import DateCache, papers_from_docs
from paperterm.errors import UnknownPaperError
from paperterm.heap import no_gc
from paperterm.model import (
    NO_META,
    Paper,
    PaperState,
    arxiv_key,
    newest_first_ints,
    newest_first_key,
)
from paperterm.shelf import AbstractShelf
from paperterm.state_documents import state_from_doc
from paperterm.storage import StoreDB, StrTable, file_key, malformed, shard_months, shared_lock
from paperterm.store_manifest import Manifest, entry_of, manifest_path

MIN_PREFIX = 3
"""The shortest id prefix ``resolve`` accepts."""
PaperShard = tuple[FileKey | None, list[tuple[Paper, str]]]
StateShard = tuple[FileKey | None, dict[str, PaperState]]


class Shards:
    """What is loaded of one store for one user, and the TinyDB files it came from."""

    def __init__(self, data_dir: Path, user: str) -> None:
        """Nothing loaded yet, for ``user`` of the store at ``data_dir``."""
        self.data_dir = data_dir
        self.papers_dir = data_dir / "papers"
        self.user_dir = data_dir / "users" / user
        self._dbs: dict[Path, StoreDB] = {}
        self.loaded: dict[Path, FileKey | None] = {}  # shard file -> version loaded whole
        self.dates = DateCache()
        self.papers: dict[str, Paper] = {}
        self.month_of: dict[str, str] = {}  # paper id -> shard month (lazy: every id known)
        self.id_by_key: dict[str, str] = {}  # paper_key -> paper id (see keep_keys)
        self.keep_keys = True
        """Whether ``id_by_key`` is kept as papers load; False (the reader): ``title_keys``
        makes it from the titles when an import needs it, and the keys leave memory."""
        self.id_by_arxiv: dict[str, str] = {}  # arxiv_key(arXiv id) -> paper id
        self.states: dict[str, PaperState] = {}
        self.state_ids: dict[str, set[str]] = {}  # shard month -> ids with a state
        self.sorted: list[Paper] | None = None
        # Partial: the oldest month loaded (older shards wait); None once all are loaded.
        self.cutoff: str | None = None
        # Lazy: papers read when asked for; ``listed`` maps a month not loaded whole to the
        # file version its ids were listed from, and those ids.
        self.lazy = False
        self.lazy_states = False  # lazy: state shards loaded when first needed
        self.listed: dict[str, tuple[FileKey, list[str]]] = {}
        self.sync_papers: Callable[[], bool] = self.sync_loaded
        """Reloads the paper shards that changed; lazy loading lists them instead."""
        self.manifest: Manifest | None = None
        self.shelf: AbstractShelf | None = None
        """Where the abstracts of the papers loaded go instead of memory (``paperterm.shelf``);
        None: they stay in memory."""

    @property
    def complete(self) -> bool:
        """True once every paper shard is loaded whole."""
        return self.cutoff is None and not self.lazy

    # ------------------------------------------------------------ files

    def db(self, path: Path) -> StoreDB:
        """The TinyDB of ``path`` (one per file, kept open)."""
        db = self._dbs.get(path)
        if db is None:
            db = self._dbs[path] = StoreDB(path)
        return db

    def table(self, path: Path, name: str) -> StrTable:
        """Table ``name`` of the file ``path``."""
        return self.db(path).str_table(name)

    def close(self) -> None:
        """Close every file."""
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()

    def paper_path(self, month: str) -> Path:
        """The paper shard file of ``month``."""
        return self.papers_dir / f"{month}.json"

    def load_manifest(self) -> Manifest:
        """Read the shard manifest afresh (call with a lock held)."""
        self.manifest = Manifest.load(manifest_path(self.data_dir))
        return self.manifest

    # ------------------------------------------------------------ papers

    def load_papers(self, month: str) -> None:
        """Load the paper shard of ``month`` whole (listing it in the manifest if loaded)."""
        path = self.paper_path(month)
        table = self.table(path, "papers")
        papers = read_papers(path, table, self.dates, self.shelf)
        key = table.storage_key()
        if self.manifest is not None:
            if key is None:
                self.manifest.drop(month)
            elif self.manifest.current(month, key) is None:
                ids = [paper.id for paper, _ in papers]
                self.manifest.put(month, entry_of(key, self.db(path).atomic.data, ids))
        self.put_papers(month, papers, key)
        self.db(path).atomic.invalidate()  # the Papers are the in-memory copy

    def put_papers(self, month: str, papers: list[tuple[Paper, str]], key: FileKey | None) -> None:
        """Take in a shard's papers as read from the file version ``key``."""
        # C-level loops: adopting 100,000 papers happens on the reader's UI thread
        shard = list(map(itemgetter(0), papers))
        ids = list(map(attrgetter("id"), shard))
        path = self.paper_path(month)
        listed = self.listed.pop(month, None)
        if path in self.loaded:
            self.drop_month(month, keep=set(ids))  # papers another process removed go
        elif listed is not None:
            here = set(ids)
            for pid in listed[1]:
                if pid not in here:
                    self.forget(pid)
        self.papers.update(zip(ids, shard, strict=True))
        self.month_of.update(dict.fromkeys(ids, month))
        if self.keep_keys:
            self.id_by_key.update(zip(map(itemgetter(1), papers), ids, strict=True))
        self.id_by_arxiv.update(
            (arxiv_key(p.meta.arxiv_id), p.id)
            for p in shard
            if p.meta is not NO_META and p.meta.arxiv_id
        )
        self.loaded[path] = key
        self.sorted = None

    def drop_month(self, month: str, keep: set[str] | frozenset[str] = frozenset()) -> None:
        """Forget the papers of ``month`` but ``keep``."""
        for pid in [pid for pid, m in self.month_of.items() if m == month and pid not in keep]:
            self.forget(pid)

    def forget(self, pid: str) -> None:
        """Drop a removed paper from memory (its user states, keyed by id, stay)."""
        from paperterm.digest import paper_key  # here: a lazy open must not import digests

        paper = self.papers.pop(pid, None)
        self.month_of.pop(pid, None)
        self.sorted = None
        if paper is None:
            return
        key = paper_key(paper.title)
        if self.id_by_key.get(key) == pid:
            del self.id_by_key[key]
        arxiv = arxiv_key(paper.meta.arxiv_id or "")
        if arxiv and self.id_by_arxiv.get(arxiv) == pid:
            del self.id_by_arxiv[arxiv]

    def title_keys(self) -> dict[str, str]:
        """paper_key -> paper id of every paper in memory: ``id_by_key``, or, when the keys
        are not kept, made from the titles (as an import's rewritten document has its key
        made: ``importing.plan_import``)."""
        if self.keep_keys:
            return self.id_by_key
        from paperterm.digest import paper_key  # here: a lazy open must not import digests

        with no_gc():
            papers = list(self.papers.values())
            return dict(zip(map(paper_key, map(attrgetter("title"), papers)),
                            map(attrgetter("id"), papers), strict=True))  # fmt: skip

    def newest_first(self) -> list[Paper]:
        """The papers in memory, newest digest first (kept until the papers change)."""
        if self.sorted is None:
            with no_gc():
                self.sorted = newest_first(list(self.papers.values()))
        return self.sorted

    def resolve(self, text: str) -> str:
        """The id ``text`` names: an exact id, or the unique id it is a prefix (>= 3) of."""
        wanted = text.strip().lower()
        known = self.month_of
        if wanted in known:
            return wanted
        if len(wanted) < MIN_PREFIX:
            raise UnknownPaperError(f"unknown paper id {text!r} (give at least 3 characters)")
        matches = sorted(pid for pid in known if pid.startswith(wanted))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UnknownPaperError(f"unknown paper id {text!r}")
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise UnknownPaperError(
            f"ambiguous paper id {text!r}: matches {', '.join(matches[:5])}{more}"
        )

    # ------------------------------------------------------------ lazy papers

    # ------------------------------------------------------------ states

    def need_states(self, month: str | None = None) -> None:
        """Lazy: load the user's state shard of ``month`` (None: every one) unless loaded."""
        if not self.lazy_states:
            return
        if month is None:
            self.lazy_states = False
            with shared_lock(self.data_dir):
                self._sync_dir(self.user_dir, self.load_states)
        elif self.user_dir / f"{month}.json" not in self.loaded:
            with shared_lock(self.data_dir):
                self.load_states(month)

    def load_states(self, month: str) -> None:
        """Load the user's state shard of ``month``."""
        path = self.user_dir / f"{month}.json"
        table = self.table(path, "state")
        self.put_states(month, read_states(path, table), table.storage_key())

    def put_states(self, month: str, fresh: dict[str, PaperState], key: FileKey | None) -> None:
        """Take in a state shard as read from the file version ``key``."""
        for pid in self.state_ids.pop(month, set()):
            self.states.pop(pid, None)
        self.states.update(fresh)
        self.state_ids[month] = set(fresh)
        self.loaded[self.user_dir / f"{month}.json"] = key

    # ------------------------------------------------------------ syncing

    def sync(self, *, states: bool = True) -> bool:
        """Reload every shard whose file changed since it was loaded; True if any did."""
        changed = False
        with no_gc():  # a load makes ~10 containers per paper; collecting them is wasted time
            changed = self.sync_papers()
            if states:
                changed = self._sync_dir(
                    self.user_dir, self.load_states, only_loaded=self.lazy_states
                ) or changed
        return changed

    def sync_loaded(self) -> bool:
        """Reload the paper shards loaded whole whose files changed; True if any did."""
        return self._sync_dir(self.papers_dir, self.load_papers)

    def _sync_dir(
        self, directory: Path, load: Callable[[str], None], *, only_loaded: bool = False
    ) -> bool:
        changed = False
        known = {p.stem for p in self.loaded if p.parent == directory}
        months = known if only_loaded else known.union(shard_months(directory))
        for month in sorted(months, reverse=True):
            if self.cutoff is not None and month < self.cutoff:
                continue  # not loaded yet: load_remaining reads it
            path = directory / f"{month}.json"
            if file_key(path) != self.loaded.get(path):
                load(month)
                changed = True
        return changed

    def complete_now(self) -> None:
        """Load every shard whole now (call with a lock held): for work that needs every
        paper (an import, an undo, every paper listed)."""
        if self.complete:
            return
        self.cutoff = None
        self.lazy = False
        self.sync_papers = self.sync_loaded
        self.sync()
        for _key, ids in self.listed.values():  # listed, but its file went meanwhile
            for pid in ids:
                self.forget(pid)
        self.listed.clear()



def read_papers(
    path: Path, table: StrTable, dates: DateCache, shelf: AbstractShelf | None = None
) -> list[tuple[Paper, str]]:
    """A paper shard's papers with their keys (their abstracts on ``shelf`` when given);
    CorruptStoreError naming ``path``."""
    try:
        return list(papers_from_docs(table.raw(), dates, shelf))
    except (KeyError, TypeError, ValueError) as exc:
        raise malformed(path, "a paper", exc) from None


def read_states(path: Path, table: StrTable) -> dict[str, PaperState]:
    """A state shard's states by paper id; CorruptStoreError naming ``path``."""
    try:
        return {pid: state_from_doc(doc) for pid, doc in table.raw().items()}
    except (TypeError, ValueError) as exc:
        raise malformed(path, "a state", exc) from None


def newest_first(papers: list[Paper]) -> list[Paper]:
    """``sorted(papers, key=newest_first_key)``, with an int key made in C when it can be
    (equal keys keep their order, as before)."""
    keys = newest_first_ints(papers)
    if keys is None:
        return sorted(papers, key=newest_first_key)
    order = sorted(range(len(papers)), key=keys.__getitem__)
    return list(map(papers.__getitem__, order))


def paper_stamps(data_dir: Path) -> dict[str, tuple[int, int]]:
    """Per paper shard file of the store at ``data_dir`` as it is now, ``(st_mtime_ns,
    st_size)``: every write replaces a shard (a new mtime) and a change to what it holds
    changes its size; a copy of the store (``cp -p``, ``shutil.copytree``) keeps both."""
    stamps: dict[str, tuple[int, int]] = {}
    for month in shard_months(Path(data_dir) / "papers"):
        key = file_key(Path(data_dir) / "papers" / f"{month}.json")
        if key is not None:
            stamps[f"{month}.json"] = (key[1], key[2])
    return stamps

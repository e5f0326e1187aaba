"""The low layer of the store: crash-safe JSON files, TinyDB glue, locking and checks.

TinyDB's own ``JSONStorage`` rewrites its file in place (a crash can truncate it), knows
nothing of other processes, and ``CachingMiddleware`` would hold writes in memory. Instead:

* ``AtomicJSONStorage`` writes a temporary file in the same directory, fsyncs it, keeps the
  previous file as ``FILE.bak`` (a hard link, so no copy) and ``os.replace``-s it over
  ``FILE``: a reader or a crash sees the old file or the new one, never a mix. Parsed data is
  cached by ``(inode, mtime_ns, size)``, so reading again is free until another process
  replaces the file, and a read-modify-write always starts from what is on disk.
* ``store_lock`` serialises every read-modify-write between processes with ``fcntl.flock``.
* ``StrTable`` / ``StoreDB`` make TinyDB use string document ids (the paper ids).

Documents are converted in ``paperterm.documents``; repairs live in ``paperterm.doctor``.
Only this module and the store's modules (``paperterm.store``, ``paperterm.store_*``) import
TinyDB.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import orjson

try:
    import fcntl
except ImportError:  # Windows: no POSIX file locks (see _lock)
    fcntl = None  # type: ignore[assignment]
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from paperterm.atomicfile import FileKey, write_file_atomic
from paperterm.documents import DateCache, papers_from_docs
from paperterm.errors import CorruptStoreError, StoreError, StoreWriteError
from paperterm.state_documents import Updater, state_from_doc

Tables = dict[str, dict[str, dict[str, Any]]]
"""A TinyDB file's content: table name -> document id -> document."""

DOCTOR_HINT = "run `paperterm doctor` to restore the last good copy"
LOCK_NAME = ".lock"
SCHEMA_VERSION = 2
"""The version of the layout and documents this paperterm writes (``meta.json``).

1: the first release. 2: papers may hold a ``"meta"`` document (arXiv id, authors, ...) and
the store keeps a history of imports (``imports.json``). A version-1 store is upgraded in
place when opened (``Store``); its documents are version-2 documents as they stand."""
OLDEST_SCHEMA = 1
"""The oldest version this paperterm opens (and upgrades)."""
META_TABLES = {"meta": {"schema": {"version": SCHEMA_VERSION}}}


# ---------------------------------------------------------------- files


def file_key(path: Path) -> FileKey | None:
    """The cache key of ``path``, or None when it does not exist."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def write_error(where: Path, exc: OSError) -> StoreWriteError:
    """The one-line error for a failed save of ``where``."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return StoreWriteError(f"{where}: cannot save: {reason}; the change was not saved")


def parse_tables(path: Path, data: bytes) -> Tables:
    """Parse a store file's bytes; raise CorruptStoreError naming ``path`` unless well formed.

    Well formed means a JSON object of tables, each an object of documents, each an object.
    orjson parses (faster than the stdlib); what it refuses goes to the stdlib parser, which
    names the error's line and column, and reads what orjson alone refuses (NaN, lone
    surrogate escapes, huge integers).
    """
    try:
        tables = orjson.loads(data)
    except orjson.JSONDecodeError:
        tables = _parse_stdlib(path, data)
    return _check_tables(path, tables)


def _parse_stdlib(path: Path, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CorruptStoreError(
            f"{path}: not valid JSON (line {line} col {col}); {DOCTOR_HINT}"
        ) from None
    except json.JSONDecodeError as exc:
        raise CorruptStoreError(
            f"{path}: not valid JSON (line {exc.lineno} col {exc.colno}); {DOCTOR_HINT}"
        ) from None


def _check_tables(path: Path, tables: Any) -> Tables:
    if not isinstance(tables, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in tables.values()
    ):
        raise CorruptStoreError(
            f"{path}: not valid JSON (line 1 col 1: not an object of tables); {DOCTOR_HINT}"
        )
    return tables


def dump_tables(tables: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON; lone surrogates (which UTF-8 cannot hold) fall back to escapes.

    orjson writes it (several times the stdlib's speed);
    what it refuses (lone surrogates, integers beyond 64 bits) the stdlib writes.
    """
    try:
        return orjson.dumps(tables)
    except orjson.JSONEncodeError:
        pass
    try:
        return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(tables, separators=(",", ":")).encode("ascii")


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a partial file and re-reads only what changed."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Use the file at ``path`` (created, with its directory, on the first write)."""
        self.path = Path(path)
        self._cache: Tables | None = None
        self._key: FileKey | None = None
        self.data: bytes | None = None
        """The bytes of the file version cached (the shard manifest finds documents in
        them); dropped with the cache."""

    @property
    def key(self) -> FileKey | None:
        """Key of the file version the cache holds (None: nothing cached or no file)."""
        return self._key if self._cache is not None else None

    def invalidate(self) -> None:
        """Forget the cached data, so the next read parses the file again."""
        self._cache = None
        self._key = None
        self.data = None

    def read(self) -> Tables | None:
        """The file's tables (cached while the file is unchanged); None when it is missing."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError):
            self.invalidate()
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        try:
            st = os.fstat(fd)
            key = (st.st_ino, st.st_mtime_ns, st.st_size)
            if self._cache is not None and key == self._key:
                return self._cache
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        self.invalidate()
        self._cache = parse_tables(self.path, data)
        self._key = key
        self.data = data
        return self._cache

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Atomically replace the file by ``data``; StoreWriteError if it cannot be saved."""
        try:
            payload = dump_tables(data)
            key = write_file_atomic(self.path, payload)
        except OSError as exc:
            self.invalidate()  # TinyDB mutated the cached dict in place
            raise write_error(self.path, exc) from None
        except BaseException:
            self.invalidate()
            raise
        self._cache = cast(Tables, data)
        self._key = key
        self.data = payload


# ---------------------------------------------------------------- TinyDB glue

class StrTable(Table):
    """A TinyDB table whose document ids are strings (paper ids, preference keys)."""

    document_id_class = str  # type: ignore[assignment]

    def raw(self) -> Mapping[str, Mapping[str, Any]]:
        """The stored documents by id, without wrapping each in a ``Document``. Read only."""
        return cast(Mapping[str, Mapping[str, Any]], self._read_table())

    def storage_key(self) -> FileKey | None:
        """Key of the file version last read or written through this table's storage."""
        return cast(AtomicJSONStorage, self.storage).key

    def modify(self, updater: Updater) -> None:
        """Apply ``updater`` to the ``{id: document}`` dict, then write the file once.

        The updater may add, replace or delete documents; every id is explicit.
        """
        self._update_table(cast(Any, updater))


class StoreDB(TinyDB):
    """A TinyDB over one ``AtomicJSONStorage`` file, with string document ids."""

    table_class = StrTable

    def __init__(self, path: Path) -> None:
        """Open (lazily) the store file at ``path``."""
        super().__init__(path, storage=AtomicJSONStorage)

    def str_table(self, name: str) -> StrTable:
        """The table ``name``."""
        return cast(StrTable, self.table(name))

    @property
    def atomic(self) -> AtomicJSONStorage:
        """The underlying storage."""
        return cast(AtomicJSONStorage, self.storage)


# ---------------------------------------------------------------- locking


def _open_lock(data_dir: Path, *, create: bool) -> int:
    if create:
        data_dir.mkdir(parents=True, exist_ok=True)
        return os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    return os.open(data_dir / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC)


def _lock(fd: int, *, exclusive: bool, blocking: bool = True) -> None:
    """``flock`` the lock file; StoreError on a system without POSIX file locks."""
    if fcntl is None:
        raise StoreError(
            "paperterm needs POSIX file locks to keep the store safe between processes: "
            "run it on Linux, macOS or WSL"
        )
    operation = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    fcntl.flock(fd, operation if blocking else operation | fcntl.LOCK_NB)


@contextlib.contextmanager
def store_lock(data_dir: Path) -> Iterator[None]:
    """Hold the exclusive store lock (``data_dir/.lock``), creating the directory if needed.

    Raises StoreWriteError naming ``data_dir`` when the lock file cannot be created. Not
    re-entrant: never nest it, not even through two Store objects of one process.
    """
    try:
        fd = _open_lock(data_dir, create=True)
    except OSError as exc:
        raise write_error(data_dir, exc) from None
    try:
        _lock(fd, exclusive=True)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def shared_lock(data_dir: Path, *, blocking: bool = True) -> Iterator[bool]:
    """Hold the lock shared, so no import is seen half done.

    Yields False only when ``blocking`` is false and a writer holds the lock. When the lock
    file cannot be opened (missing or read-only data dir) it yields True without locking:
    nobody can be writing there.
    """
    fd = -1
    for create in (True, False):
        try:
            fd = _open_lock(data_dir, create=create) if data_dir.is_dir() else -1
            break
        except OSError:
            continue
    try:
        if fd >= 0:
            try:
                _lock(fd, exclusive=False, blocking=blocking)
            except BlockingIOError:
                yield False
                return
        yield True
    finally:
        if fd >= 0:
            os.close(fd)


# ---------------------------------------------------------------- loading

SHARD_NAME = re.compile(r"^\d{4}-\d{2}\.json$")


def shard_months(directory: Path) -> list[str]:
    """The shard months (``YYYY-MM``) with a file in ``directory``, newest first."""
    try:
        names = [p.name for p in directory.iterdir() if SHARD_NAME.match(p.name)]
    except OSError:
        return []
    return sorted((name[:-5] for name in names), reverse=True)


# ---------------------------------------------------------------- checks


def check_schema(path: Path, doc: Mapping[str, Any] | None) -> None:
    """Raise CorruptStoreError naming ``path`` unless ``doc`` (``meta.json``'s schema
    document; None for a store nobody has written yet) is a version this paperterm opens
    (``OLDEST_SCHEMA`` to ``SCHEMA_VERSION``; the older ones are upgraded by ``Store``)."""
    if doc is None:
        return
    version = doc.get("version")
    if type(version) is int and OLDEST_SCHEMA <= version <= SCHEMA_VERSION:
        return
    if is_newer_schema(doc):
        raise CorruptStoreError(
            f"{path}: unknown schema version {version!r}, written by a newer paperterm "
            f"(this one reads version {SCHEMA_VERSION}); upgrade paperterm to open this store"
        )
    raise CorruptStoreError(
        f"{path}: unknown schema version {version!r} (this paperterm reads version "
        f"{SCHEMA_VERSION}); {DOCTOR_HINT}"
    )


def older_schema(doc: Mapping[str, Any] | None) -> int | None:
    """The version a schema document names when it is one this paperterm upgrades, else None."""
    version = None if doc is None else doc.get("version")
    if type(version) is int and OLDEST_SCHEMA <= version < SCHEMA_VERSION:
        return version
    return None


def is_newer_schema(doc: Mapping[str, Any] | None) -> bool:
    """True when a schema document names a version above this paperterm's."""
    version = None if doc is None else doc.get("version")
    return type(version) is int and version > SCHEMA_VERSION


def malformed(path: Path, what: str, exc: Exception) -> CorruptStoreError:
    """The error for a well formed file holding a malformed document."""
    return CorruptStoreError(f"{path}: {what} is malformed ({exc!r}); {DOCTOR_HINT}")


def check_file(path: Path, data: bytes, kind: str) -> Tables:
    """Parse a store file of ``kind`` (``meta``, ``papers``, ``state`` or ``prefs``) and
    check its documents; CorruptStoreError naming ``path`` unless all is well formed."""
    tables = parse_tables(path, data)
    if kind == "meta":
        check_schema(path, tables.get("meta", {}).get("schema"))
    elif kind == "papers":
        try:
            for _ in papers_from_docs(tables.get("papers", {}), DateCache()):
                pass
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise malformed(path, "a paper", exc) from None
    elif kind == "state":
        try:
            for doc in tables.get("state", {}).values():
                state_from_doc(doc)
        except (TypeError, ValueError, AttributeError) as exc:
            raise malformed(path, "a state", exc) from None
    return tables

"""``paperterm doctor``: find corrupt store files, set them aside, restore the last good copy.

A corrupt file is never overwritten silently: it is copied to ``FILE.corrupt-STAMP`` first,
then ``FILE.bak`` (the copy kept at the last successful write) is restored if it is sound.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from paperterm.atomicfile import TEMP_SUFFIX, write_file_atomic
from paperterm.errors import CorruptStoreError
from paperterm.storage import (
    META_TABLES,
    SCHEMA_VERSION,
    SHARD_NAME,
    check_file,
    check_schema,
    dump_tables,
    is_newer_schema,
    parse_tables,
    store_lock,
)


def repair_file(path: Path, stamp: str, kind: str = "") -> str | None:
    """Set a corrupt store file aside and restore ``FILE.bak`` (else start it empty).

    ``kind`` (see ``check_file``) also checks the documents. Returns a line saying what was
    done, or None when the file is sound. Call with the store lock held.
    """
    try:
        check_file(path, path.read_bytes(), kind)
        return None
    except FileNotFoundError:
        return None
    except CorruptStoreError:
        pass
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    shutil.copy2(path, aside)
    backup = path.with_name(path.name + ".bak")
    try:
        good = backup.read_bytes()
        check_file(backup, good, kind)
    except (OSError, CorruptStoreError):
        if kind == "meta":  # written once, so never has a backup: only the version matters
            write_file_atomic(path, dump_tables(META_TABLES), backup=False)
            return (f"{path}: was corrupt; wrote schema version {SCHEMA_VERSION} again "
                    f"(kept {aside.name})")  # fmt: skip
        write_file_atomic(path, b"{}", backup=False)
        return f"{path}: was corrupt and had no valid backup; started it empty (kept {aside.name})"
    write_file_atomic(path, good, backup=False)
    return f"{path}: was corrupt; restored the last good copy (kept {aside.name})"


def leftover_temp_files(directory: Path) -> list[Path]:
    """Temporary files a killed writer left in ``directory``."""
    try:
        names = [p for p in directory.iterdir() if p.name.startswith(".")]
        return sorted(p for p in names if p.name.endswith(TEMP_SUFFIX))
    except OSError:
        return []


def _store_files(data_dir: Path) -> list[tuple[Path, str]]:
    """Every store file with its kind (see ``check_file``)."""
    files = [(data_dir / "meta.json", "meta"), (data_dir / "imports.json", "imports"),
             (data_dir / "fetched.json", "fetched")]
    files += [(p, "papers") for p in sorted((data_dir / "papers").glob("*.json"))]
    for path in sorted((data_dir / "users").glob("*/*.json")):
        files.append((path, "state" if SHARD_NAME.match(path.name) else "prefs"))
    return [(p, kind) for p, kind in files if p.is_file()]


def _is_sound(path: Path, kind: str) -> bool:
    try:
        check_file(path, path.read_bytes(), kind)
    except CorruptStoreError:
        return False
    except OSError:
        return True
    return True


def _refuse_newer_store(data_dir: Path) -> None:
    """CorruptStoreError when a newer paperterm wrote the store: an older doctor's idea of
    a sound file, and its last good copies, must not overwrite anything there."""
    meta = data_dir / "meta.json"
    try:
        tables = parse_tables(meta, meta.read_bytes())
    except (OSError, CorruptStoreError):
        return
    doc = tables.get("meta", {}).get("schema")
    if is_newer_schema(doc):
        check_schema(meta, doc)


def doctor(data_dir: Path) -> list[str]:
    """Check every store file: set corrupt ones aside, restore their last good copies.

    Returns one line per action taken; an empty list means the store is healthy. Raises
    CorruptStoreError, changing nothing, when a newer paperterm wrote the store.
    """
    data_dir = Path(data_dir)
    _refuse_newer_store(data_dir)
    users = data_dir / "users"
    dirs = [data_dir, data_dir / "papers", data_dir / "cache"]  # cache: derived files
    dirs += sorted(p for p in (users.iterdir() if users.is_dir() else ()) if p.is_dir())
    broken = [(p, kind) for p, kind in _store_files(data_dir) if not _is_sound(p, kind)]
    leftovers = [t for d in dirs for t in leftover_temp_files(d)]
    if not broken and not leftovers:
        return []
    actions: list[str] = []
    stamp = time.strftime("%Y%m%dT%H%M%S")
    with store_lock(data_dir):
        for path, kind in broken:
            line = repair_file(path, stamp, kind)
            if line:
                actions.append(line)
        for directory in dirs:  # no writer runs while we hold the lock
            for temp in leftover_temp_files(directory):
                temp.unlink(missing_ok=True)
                actions.append(f"{temp}: removed a temporary file left by an interrupted save")
    return actions

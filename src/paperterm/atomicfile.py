"""Durable file replacement: a reader sees the old file or the new one, never a mix.

Write to a temporary file in the same directory, fsync it, keep the previous version as
``FILE.bak`` (the last good copy), ``os.replace`` the new one over the target, then fsync
the directory so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

FileKey = tuple[int, int, int]
"""``(st_ino, st_mtime_ns, st_size)``: changes whenever a file is replaced or rewritten."""
TEMP_SUFFIX = ".tmp"


def fsync_dir(directory: Path) -> None:
    """Make renames inside ``directory`` durable; best effort (some filesystems refuse)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Make ``FILE.bak`` the current ``FILE`` (a hard link, else a copy), atomically."""
    backup = path.with_name(path.name + ".bak")
    staging = path.with_name(f".{path.name}.bak.{os.getpid()}{TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(path, staging)
    except FileNotFoundError:
        return  # first write: nothing to keep
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        shutil.copyfile(path, staging)
    try:
        staging.replace(backup)
    except BaseException:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise


def write_file_atomic(path: Path, payload: bytes, *, backup: bool = True) -> FileKey:
    """Replace ``path`` by ``payload``: temp file, fsync, ``FILE.bak``, rename, fsync dir.

    Returns the new file's key. Raises OSError with the temporary file removed and ``path``
    untouched when anything fails before the rename.
    """
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=directory)
    try:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        if backup:
            _keep_backup(path)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    fsync_dir(directory)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


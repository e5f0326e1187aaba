"""Writing an exported file (a reading list) where the user asked, as a normal file.

An export is the user's document, not the store's: it is created in a folder that must
already exist (a mistyped path is an error naming the missing folder, never a tree of new
folders), with the permissions any new file gets (``0o666`` less the umask, so a reading
list can be shared), or, when it replaces an earlier file, that file's permissions. It is
still written atomically: a temporary file in the same folder, fsync, rename; a reader of
the old file never sees half of the new one, and a failed write leaves the old one whole.

Both the ``paperterm export`` command and the reader's export go through here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sized
from pathlib import Path

from paperterm.atomicfile import TEMP_SUFFIX, fsync_dir
from paperterm.errors import PapertermError

__all__ = ["ExportError", "NothingToExport", "require_papers", "write_export"]

NEW_FILE_MODE = 0o666
"""The mode a new export is created with, before the umask (as ``open(path, "w")``)."""

_ATTEMPTS = 100


class ExportError(PapertermError):
    """An export could not be written; the message names the file and why."""


class NothingToExport(ExportError):
    """The papers to export are none: nothing was written."""


def require_papers(papers: Sized, query: str) -> None:
    """Raise :class:`NothingToExport` when ``papers`` is empty, naming ``query``."""
    if len(papers):
        return
    query = query.strip()
    raise NothingToExport(
        f"nothing to export: no paper matches {query!r}" if query
        else "nothing to export: there are no papers"
    )


def write_export(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, as a normal user file; returns ``path``.

    Raises :class:`ExportError` naming the file when its folder does not exist or is not a
    folder, when ``path`` is a folder, or when the write fails (the old file is then
    untouched and no temporary file is left behind).
    """
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ExportError(f"{path}: cannot write: folder {folder} {what}")
    if path.is_dir():
        raise ExportError(f"{path}: cannot write: it is a folder")
    try:
        _replace(path, text.encode("utf-8"))
    except OSError as error:
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None
    return path


def _replace(path: Path, payload: bytes) -> None:
    fd, temp = _create_temp(path)
    try:
        try:
            with contextlib.suppress(FileNotFoundError):
                # replacing an earlier export keeps its permissions, as overwriting would
                os.fchmod(fd, stat.S_IMODE(path.stat().st_mode))
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    fsync_dir(path.parent)


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path``, created with ``NEW_FILE_MODE``: the kernel
    applies the umask (reading the umask would mean setting it, racing other threads)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_ATTEMPTS):
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(temp, flags, NEW_FILE_MODE), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")

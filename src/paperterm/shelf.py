"""Abstracts kept on disk, not in memory: the reader's papers read their abstract when asked.

At 100,000 papers the abstracts are most of what the reader holds, yet it shows one at a
time. ``AbstractShelf`` writes them, as a shard is loaded, to a private temporary file (made
with ``tempfile.TemporaryFile``: unlinked at once, so a crash leaves nothing behind and no
other process can see or change it) and reads one back by its offset (``os.pread``, which
leaves nothing mapped: the page cache holds the file, not the process). What it wrote is
never rewritten, so a paper read from a shard keeps its abstract whatever later happens to
that shard's file; the file lives as long as some paper needs it.

``ShelvedPaper`` is a ``Paper`` whose ``abstract`` is read from a shelf: everything that
takes a ``Paper`` takes it, and it equals (and hashes as) the ``Paper`` with the same fields.
When the shelf cannot be written (a full disk, a read-only folder) the papers keep their
abstracts in memory instead: a shelf only ever saves memory, it never loses a paper.
"""

from __future__ import annotations

import os
import threading
from array import array
from collections import deque
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import IO, Any

from paperterm.errors import StoreError
from paperterm.model import Paper

_ENCODING = "utf-8"
_ERRORS = "surrogatepass"  # an abstract is any str the store held: lone surrogates too


class ShelfError(StoreError):
    """A shelved abstract could not be read back (the temporary file failed)."""


class AbstractShelf:
    """An append-only file of abstracts, each found by its number; thread-safe.

    ``put`` files texts at once and a thread of the shelf's own writes them, so loading a
    store does not wait for the disk; until a text is written it is read from memory, and a
    text whose write failed stays there for good.
    """

    def __init__(self, directory: Path | None = None) -> None:
        """A shelf whose file is made, when first written, in ``directory`` (so the
        abstracts sit on the store's own disk), else in the system's temporary folder."""
        self.directory = directory
        self._file: IO[bytes] | None = None
        self._broken = False  # the file could not be made: papers keep their abstracts
        self._lock = threading.Lock()
        self._offsets = array("Q")  # number -> byte offset in the file
        self._sizes = array("I")  # number -> byte size
        self._lengths = array("I")  # number -> length in characters
        self._end = 0
        self._held: dict[int, bytes] = {}  # offset -> a batch not (or never) on disk
        self._queue: deque[tuple[int, bytes]] = deque()  # batches to write, in order
        self._idle = threading.Event()  # no writer thread running
        self._idle.set()

    def __len__(self) -> int:
        return len(self._sizes)

    @property
    def held_bytes(self) -> int:
        """The bytes of abstracts in memory: not written yet, or their write failed."""
        with self._lock:
            return sum(map(len, self._held.values()))

    def _open(self) -> IO[bytes] | None:
        import tempfile  # here: the commands that never shelve need not import it

        for directory in (self.directory, None):
            try:
                if directory is not None:
                    directory.mkdir(parents=True, exist_ok=True)
                return tempfile.TemporaryFile(dir=directory)
            except OSError:
                continue
        return None

    def put(self, texts: Sequence[str]) -> int | None:
        """File ``texts`` on the shelf; the number of the first (the rest follow in order),
        or None when the shelf has no file (they must then stay in the papers)."""
        joined = "".join(texts)
        blob = joined.encode(_ENCODING, _ERRORS)
        lengths = array("I", map(len, texts))
        # every character one byte (the usual case): the sizes are the lengths
        one_byte = len(blob) == len(joined)
        sizes = lengths if one_byte else array("I", map(_byte_size, texts))
        with self._lock:
            if self._broken:
                return None
            if self._file is None:
                self._file = self._open()
                if self._file is None:
                    self._broken = True
                    return None
            first = len(self._sizes)
            start = self._end
            starts = array("Q", accumulate(sizes, initial=start))
            self._end = starts.pop()
            self._offsets.extend(starts)
            self._sizes.extend(sizes)
            self._lengths.extend(lengths)
            if blob:
                self._held[start] = blob
                self._queue.append((start, blob))
                if self._idle.is_set():
                    self._idle.clear()
                    threading.Thread(target=self._drain, name="paperterm-shelf",
                                     daemon=True).start()  # fmt: skip
            return first

    def _drain(self) -> None:
        """The writer thread: write the queued batches, then end."""
        while True:
            with self._lock:
                if not self._queue or self._file is None or self._file.closed:
                    self._queue.clear()
                    self._idle.set()
                    return
                start, blob = self._queue.popleft()
                fd = self._file.fileno()
            try:
                _write_at(fd, blob, start)
            except (OSError, ValueError):
                continue  # the batch stays held: read from memory
            with self._lock:
                del self._held[start]

    def wait_written(self, timeout: float | None = None) -> bool:
        """Wait until every batch filed is written (or held for good); False on timeout."""
        return self._idle.wait(timeout)

    def text(self, number: int) -> str:
        """The abstract filed under ``number``; ShelfError when the file cannot be read."""
        size = self._sizes[number]
        if not size:
            return ""
        offset = self._offsets[number]
        with self._lock:
            for start, blob in self._held.items():
                if start <= offset < start + len(blob):
                    return blob[offset - start : offset - start + size].decode(_ENCODING, _ERRORS)
            file = self._file
        try:
            if file is None:
                raise OSError("the shelf's file is gone")
            data = os.pread(file.fileno(), size, offset)
        except (OSError, ValueError) as exc:
            raise ShelfError(f"abstract {number} could not be read back from its "
                             f"temporary file: {exc}") from None  # fmt: skip
        if len(data) != size:
            raise ShelfError(f"abstract {number} is cut short in its temporary file")
        return data.decode(_ENCODING, _ERRORS)

    def length(self, number: int) -> int:
        """The length in characters of the abstract filed under ``number``."""
        return self._lengths[number]

    def close(self) -> None:
        """Close the file: nothing more is filed (its papers can no longer read the
        abstracts already written)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
            self._broken = True


class ShelvedPaper(Paper):
    """A ``Paper`` whose abstract is read from an ``AbstractShelf`` when asked for."""

    __slots__ = ("_number", "_shelf")
    _shelf: AbstractShelf
    _number: int

    @property  # read-only, as every field of a frozen Paper
    def abstract(self) -> str:
        """The abstract, read from the shelf."""
        return self._shelf.text(self._number)

    @property
    def abstract_length(self) -> int:
        """The abstract's length in characters, without reading it."""
        return self._shelf.length(self._number)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paper):
            return NotImplemented
        return _fields(self) == _fields(other)

    def __hash__(self) -> int:
        return hash(_fields(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # a copy or a pickle is a plain Paper: the shelf's file is this process's own
        return (Paper, _fields(self))


def _byte_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode(_ENCODING, _ERRORS))


def _write_at(fd: int, blob: bytes, offset: int) -> None:
    """All of ``blob`` at ``offset`` (a short write goes on from where it stopped)."""
    view = memoryview(blob)
    while view:
        written = os.pwrite(fd, view, offset)
        if written <= 0:
            raise OSError("the shelf's file took nothing")
        view, offset = view[written:], offset + written


def _fields(paper: Paper) -> tuple[Any, ...]:
    return (paper.id, paper.title, paper.abstract, paper.links, paper.dates,
            paper.position, paper.meta)  # fmt: skip


_new = object.__new__
# the slots' own setters: the frozen dataclass's __setattr__ refuses every assignment
_SET_SHELF = getattr(ShelvedPaper, "_shelf").__set__  # noqa: B009 (mypy misreads a slot)
_SET_NUMBER = getattr(ShelvedPaper, "_number").__set__  # noqa: B009


def shelved(paper: ShelvedPaper, shelf: AbstractShelf, number: int) -> ShelvedPaper:
    """``paper`` (made by ``object.__new__``, its other fields set) filed as ``number``."""
    _SET_SHELF(paper, shelf)
    _SET_NUMBER(paper, number)
    return paper


def new_shelved() -> ShelvedPaper:
    """An empty ``ShelvedPaper`` for a maker to fill in (see ``paperterm.documents``)."""
    paper: ShelvedPaper = _new(ShelvedPaper)
    return paper

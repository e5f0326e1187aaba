"""``paperterm import``'s exported-file inputs: which of the inputs are a paperterm reading
list or a BibTeX file (not a capture of the papers page), reading them, and applying them.

The capture readers (``paperterm.captures``) each turn an input into one ``Digest``: one
date, no user state. An exported file lists papers of many dates and carries the user's
stars, tags and notes, so it takes this path instead: ``split_sources`` looks at the start
of each file (``detect_carried``), or takes ``--format reading-list|bibtex`` for every
input; standard input and the clipboard are read this way only with that ``--format``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from paperterm.errors import DigestError, PapertermError
from paperterm.readback import CARRIED_FORMATS, CarriedList, detect_carried, read_carried
from paperterm.text import plural, sanitize

if TYPE_CHECKING:
    from paperterm.store import Store

__all__ = ["Source", "carried_report", "import_carried", "read_source", "split_sources"]

Source = tuple[str, str | Path | None]
"""(name shown in messages, what to read: a path, ``"-"``, ``"clipboard"``, or None)."""

_PEEK = 4096
DRY_RUN_TITLES = 5


def _peek(path: Path) -> str:
    """The start of a file as text (for detection only; undecodable bytes are replaced)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_PEEK)
    except OSError:
        return ""  # the capture path reports the error, naming the file
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):  # fmt: skip
        if head.startswith(bom):
            return head.decode(codec, "replace")
    return head.decode("utf-8", "replace")


def split_sources(
    sources: Sequence[Source], format: str | None
) -> tuple[list[tuple[Source, str]], list[Source]]:
    """(exported files with their format, the other inputs: captures), in input order."""
    carried: list[tuple[Source, str]] = []
    captures: list[Source] = []
    for source in sources:
        _, what = source
        if format in CARRIED_FORMATS:
            carried.append((source, format))
            continue
        if format is None and isinstance(what, Path) and what.is_file():
            found = detect_carried(_peek(what))
            if found is not None:
                carried.append((source, found))
                continue
        captures.append(source)
    return carried, captures


def read_source(source: Source, format: str) -> CarriedList:
    """Read one exported file (a path, ``-`` or the clipboard) in ``format``."""
    from paperterm.digest import decode_text, read_bytes

    name, what = source
    if what is None:
        raise PapertermError(f"{name}: folder holds no files to import")
    if isinstance(what, Path):
        text = decode_text(read_bytes(what), name)
    elif what == "-":
        text = decode_text(sys.stdin.buffer.read(), name)
    else:
        from paperterm.clipboard import paste_text

        text = paste_text()
    if not text.strip():
        raise DigestError(f"{name}: {format}: empty file")
    return read_carried(text, source=name, format=format)


def carried_report(carried: CarriedList, *, titles: int = DRY_RUN_TITLES) -> list[str]:
    """``import --dry-run`` for an exported file: its format, papers, marks, first titles
    and warnings."""
    papers = carried.papers
    starred = sum(paper.starred for paper in papers)
    tagged = sum(bool(paper.tags) for paper in papers)
    noted = sum(bool(paper.note) for paper in papers)
    lines = [f"{carried.source}: {carried.format}: {plural(len(papers), 'paper')}, "
             f"{starred} starred, {tagged} tagged, "
             f"{noted} with a note (dry run, nothing written)"]  # fmt: skip
    for number, paper in enumerate(papers[:titles], 1):
        arxiv = f" (arXiv {paper.meta.arxiv_id})" if paper.meta.arxiv_id else ""
        lines.append(f"  {number}. {sanitize(paper.title, single_line=True)}{arxiv}")
    if len(papers) > titles:
        lines.append(f"  ... and {len(papers) - titles} more")
    lines.extend(f"  warning: {warning}" for warning in carried.warnings)
    return lines


def import_carried(
    store_opener: Callable[[], object],
    inputs: Sequence[tuple[Source, str]],
    *,
    out: Callable[[str], None],
    err: Callable[[str], None],
    dry_run: bool = False,
    today: dt.date | None = None,
    after_adding: Callable[[Store], object] | None = None,
) -> int:
    """Read each exported file and apply it to the store (``store_opener`` opens it once,
    when the first file has been read); print one line per file. Papers the file gives no
    date (BibTeX entries) are dated ``today`` (default: the real today). ``after_adding``
    is given the store, before it closes, when any paper was added. Returns how many
    failed."""
    from paperterm.readback.apply import apply_carried
    from paperterm.store import Store

    failed = added = 0
    store: Store | None = None
    try:
        for source, format in inputs:
            try:
                carried = read_source(source, format)
                if dry_run:
                    for line in carried_report(carried):
                        out(line)
                    continue
                if store is None:
                    opened = store_opener()
                    assert isinstance(opened, Store)
                    store = opened
                result = apply_carried(store, carried, today=today or dt.date.today())
            except PapertermError as error:
                failed += 1
                err(str(error))
                continue
            added += result.added
            out(f"{result.source}: {result.format}: {plural(result.papers, 'paper')}, "
                f"{result.matched} already known, {result.added} new; "
                f"{result.starred} starred, {result.tagged} tagged, {result.noted} noted")
            for warning in result.warnings:
                out(f"  warning: {warning}")
        if store is not None and added and after_adding is not None:
            after_adding(store)
    finally:
        if store is not None:
            store.close()
    return failed

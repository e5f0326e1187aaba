"""``paperterm import``'s inputs: which files a folder holds, reading each with the
capture readers, and the report of a dry run.

Kept out of ``cli`` so that the command stays thin; imports ``paperterm.captures`` only
when an input is read.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from paperterm.errors import PapertermError
from paperterm.model import Digest
from paperterm.text import plural

CAPTURE_SUFFIXES = (".txt", ".md", ".json", ".html", ".htm")
"""``paperterm.captures.CAPTURE_SUFFIXES``: the files a folder import reads."""

Source = tuple[str, str | Path | None]
"""(name shown in messages, what to read: a path, ``"-"``, ``"clipboard"``, or None for a
folder that holds no capture file)."""

DRY_RUN_TITLES = 5


def is_capture_file(path: Path) -> bool:
    """True for a file name a folder import reads (``.txt``, ``.md``, ``.json``, ``.html``,
    ``.htm``, in any case)."""
    return path.suffix.lower() in CAPTURE_SUFFIXES


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(capture files, other files) below ``folder``, recursively and sorted; hidden
    files are not reported as skipped."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    captures = [path for path in files if is_capture_file(path)]
    others = [
        path for path in files
        if not is_capture_file(path)
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]  # fmt: skip
    return captures, others


def load(name: str, what: str | Path | None, *, date: dt.date | None,
         format: str | None) -> Digest:  # fmt: skip
    """Read one input with the capture readers (``format`` forces one)."""
    from paperterm.captures import read_capture, read_capture_bytes, read_capture_file

    if what is None:
        raise PapertermError(f"{name}: folder holds no capture files "
                             f"({', '.join(CAPTURE_SUFFIXES)})")  # fmt: skip
    if isinstance(what, Path):
        return read_capture_file(what, format=format, date_override=date)
    if what == "-":
        return read_capture_bytes(sys.stdin.buffer.read(), source=name, format=format,
                                  date_override=date)  # fmt: skip
    from paperterm.clipboard import paste_text

    return read_capture(paste_text(), source=name, format=format, date_override=date)


def dry_run_report(name: str, digest: Digest, *, titles: int = DRY_RUN_TITLES) -> list[str]:
    """What importing ``digest`` would bring: its format, date, paper count, the first
    ``titles`` titles (with arXiv id and upvotes when known) and its warnings."""
    count = len(digest.papers)
    lines = [f"{name}: {digest.format}, {digest.date.isoformat()}: "
             f"{plural(count, 'paper')} (dry run, nothing written)"]  # fmt: skip
    for number, paper in enumerate(digest.papers[:titles], 1):
        facts = []
        if paper.meta.arxiv_id:
            facts.append(f"arXiv {paper.meta.arxiv_id}")
        if paper.meta.upvotes is not None:
            facts.append(f"{paper.meta.upvotes} upvotes")
        if paper.code_url:
            facts.append(paper.code_url)
        lines.append(f"  {number}. {paper.title}" + (f" ({', '.join(facts)})" if facts else ""))
    if count > titles:
        lines.append(f"  ... and {count - titles} more")
    lines.extend(f"  warning: {warning}" for warning in digest.warnings)
    return lines

"""Where the TUI's ``x`` export goes, and the write itself (run in a worker)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from paperterm.atomicfile import write_text_atomic
from paperterm.errors import PapertermError
from paperterm.export import export_markdown
from paperterm.model import Entry


def default_export_path(directory: Path | None = None, today: dt.date | None = None) -> Path:
    """``paperterm-YYYY-MM-DD.md`` in ``directory`` (default: the current directory),
    with ``-2``, ``-3``... added rather than overwriting an earlier export."""
    folder = directory if directory is not None else Path.cwd()
    stamp = (today or dt.date.today()).isoformat()
    candidate = folder / f"paperterm-{stamp}.md"
    number = 2
    while candidate.exists():
        candidate = folder / f"paperterm-{stamp}-{number}.md"
        number += 1
    return candidate


def export_entries(entries: Sequence[Entry], query: str, target: Path) -> Path:
    """Write the Markdown reading list for ``entries`` to ``target`` atomically."""
    markdown = export_markdown(entries, query=query or "(all papers)", today=dt.date.today())
    try:
        write_text_atomic(target, markdown)
    except OSError as error:
        raise PapertermError(f"{target}: cannot write: {error.strerror or error}") from None
    return target

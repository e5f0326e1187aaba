"""Where the TUI's ``x`` export goes, and the write itself (run in a worker)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from paperterm.export import export_markdown
from paperterm.exportfile import require_papers, write_export
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
    """Write the Markdown reading list for ``entries`` to ``target`` (see
    :func:`paperterm.exportfile.write_export`); an empty view is ``NothingToExport``."""
    require_papers(entries, query)
    markdown = export_markdown(entries, query=query or "(all papers)", today=dt.date.today())
    return write_export(target, markdown)

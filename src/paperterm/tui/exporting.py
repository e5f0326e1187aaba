"""Where the TUI's ``x`` export goes, and the write itself (run in a worker)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from paperterm.exportfile import require_papers, write_export
from paperterm.exports import DEFAULT_FORMAT, export_format, render
from paperterm.model import Entry

NOTES_FOLDER = "paperterm-notes"
"""The default folder of an Obsidian export: the same one each time, so notes update."""


def default_export_path(
    directory: Path | None = None, today: dt.date | None = None, suffix: str = ".md"
) -> Path:
    """``paperterm-YYYY-MM-DD.md`` (or ``suffix``) in ``directory`` (default: the current
    directory), with ``-2``, ``-3``... added rather than overwriting an earlier export."""
    folder = directory if directory is not None else Path.cwd()
    stamp = (today or dt.date.today()).isoformat()
    candidate = folder / f"paperterm-{stamp}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"paperterm-{stamp}-{number}{suffix}"
        number += 1
    return candidate


def default_target(format_name: str, directory: Path | None = None) -> Path:
    """Where an export in ``format_name`` goes unless the user says otherwise: a new dated
    file, or, for a folder format, the notes folder (re-exporting updates its notes)."""
    fmt = export_format(format_name)
    if fmt.folder:
        return (directory if directory is not None else Path.cwd()) / NOTES_FOLDER
    return default_export_path(directory, suffix=fmt.suffix)


def export_entries(
    entries: Sequence[Entry], query: str, target: Path, format_name: str = DEFAULT_FORMAT
) -> Path:
    """Write ``entries`` in ``format_name`` to ``target`` (see
    :func:`paperterm.exportfile.write_export`; a folder format writes one note per paper
    into the folder ``target``); an empty view is ``NothingToExport``."""
    require_papers(entries, query)
    fmt = export_format(format_name)
    if fmt.folder:
        from paperterm.exports.obsidian import export_obsidian

        return export_obsidian(entries, target).folder
    text = render(fmt.name, entries, query=query or "(all papers)", today=dt.date.today())
    return write_export(target, text)

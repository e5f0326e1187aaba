"""The reader's exports: ``x`` asks for a format (the last one chosen first) and a path;
the palette's "Export view to file…" asks for the path only. The write runs in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import App

from paperterm.errors import PapertermError
from paperterm.exportfile import require_papers
from paperterm.exports import DEFAULT_FORMAT
from paperterm.exports import FORMATS as EXPORT_FORMATS
from paperterm.model import Entry
from paperterm.text import plural
from paperterm.triage import Triage
from paperterm.tui.exporting import default_target, export_entries
from paperterm.tui.prefs import PREF_EXPORT_FORMAT
from paperterm.tui.screens.dialogs import ChoiceDialog, PromptDialog


def export_format(session: Triage) -> str:
    """The export format last chosen (a user preference), else Markdown."""
    name = session.pref(PREF_EXPORT_FORMAT) or DEFAULT_FORMAT
    return name if name in EXPORT_FORMATS else DEFAULT_FORMAT


@dataclass
class ExportView:
    """One export of the current view: its papers and query, where the dialogs go."""

    app: App[None]
    session: Triage
    ids: list[str]
    query: str
    directory: Path | None = None  # the default target's folder (None: the current one)

    def choose(self) -> None:
        """``x``: ask for the format, then the path, and export."""
        try:
            require_papers(self.ids, self.query)
        except PapertermError as error:
            self.app.notify(str(error), severity="warning")
            return
        last = export_format(self.session)

        def chosen(name: str | None) -> None:
            if name is None:
                return
            try:
                self.session.set_pref(PREF_EXPORT_FORMAT, name)
            except PapertermError as error:
                self.app.notify(str(error), severity="error")
            self.ask_path(name)

        choices = [(name, fmt.label) for name, fmt in EXPORT_FORMATS.items()]
        self.app.push_screen(ChoiceDialog(f"Export {len(self.ids)} papers as:", choices, last),
                             chosen)  # fmt: skip

    def ask_path(self, format_name: str = "") -> None:
        """Ask where the export in ``format_name`` (default: the last chosen) goes."""
        format_name = format_name or export_format(self.session)

        def answered(text: str | None) -> None:
            if text:
                self.write(Path(text).expanduser(), format_name)

        what = "folder (one note per paper)" if EXPORT_FORMATS[format_name].folder else "file"
        default = default_target(format_name, self.directory)
        self.app.push_screen(PromptDialog(f"Export the current view to this {what}:",
                                          value=str(default)), answered)  # fmt: skip

    def write(self, target: Path | None = None, format_name: str = "") -> None:
        """Export to ``target`` (default: a new dated file) in a worker; say where it went."""
        format_name = format_name or export_format(self.session)
        target = target or default_target(format_name, self.directory)
        entries = [self.session.entry(pid) for pid in self.ids]
        self.app.run_worker(lambda: self._write(entries, target, format_name), thread=True,
                            group="export", description="export")  # fmt: skip

    def _write(self, entries: list[Entry], target: Path, format_name: str) -> None:
        app = self.app
        try:
            written = export_entries(entries, self.query, target, format_name)
        except PapertermError as error:
            app.call_from_thread(app.notify, str(error), title="Export failed", severity="error")
            return
        app.call_from_thread(app.notify, f"Exported {plural(len(entries), 'paper')} to {written}",
                             timeout=6)  # fmt: skip

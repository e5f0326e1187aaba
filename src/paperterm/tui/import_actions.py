"""The reader's imports: a file, a folder of captures, or the bundled samples.

The files are parsed in a worker (every capture style, detected as ``paperterm import``
does), then imported on the UI thread through the session; one toast says what happened
and the details are kept for the palette's "Last import report".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual.app import App

from paperterm.capture_inputs import folder_files
from paperterm.errors import PapertermError
from paperterm.model import Digest
from paperterm.paths import sample_digest_paths
from paperterm.triage import Triage
from paperterm.tui.import_report import ImportReport
from paperterm.tui.screens.dialogs import PromptDialog

NOT_A_CAPTURE = "not a capture file (.txt, .md, .json, .html)"


class Importer:
    """Imports into the app's current session (``session()``); ``changed(session)`` is
    called once an import brought anything."""

    def __init__(
        self, app: App[None], session: Callable[[], Triage], changed: Callable[[Triage], None]
    ) -> None:
        self.app = app
        self.session = session
        self.changed = changed
        self.last: ImportReport | None = None  # the last import of this session

    def import_paths(self, paths: Iterable[Path], skipped: Sequence[tuple[Path, str]] = ()
                     ) -> None:  # fmt: skip
        """Parse the files in a worker, then import them on the UI thread."""
        session, files, skips = self.session(), list(paths), list(skipped)
        self.app.run_worker(lambda: self._read(session, files, skips), thread=True,
                            group="import", description="import")  # fmt: skip

    def _read(self, session: Triage, paths: list[Path], skipped: list[tuple[Path, str]]
              ) -> None:  # fmt: skip
        from paperterm.captures import read_capture_file  # the readers: only to import

        digests: list[Digest] = []
        for path in paths:
            try:
                digests.append(read_capture_file(path))
            except PapertermError as error:
                skipped.append((path, str(error)))
        self.app.call_from_thread(self._store, session, digests, skipped)

    def _store(self, session: Triage, digests: list[Digest], skipped: list[tuple[Path, str]]
               ) -> None:  # fmt: skip
        report = ImportReport(skipped=skipped)
        for digest in digests:
            try:
                report.imported.append(session.import_digest(digest))
            except PapertermError as error:
                report.skipped.append((Path(digest.source), str(error)))
        self.last = report
        if report.imported:
            self.changed(session)
        more = " — ctrl+p → Last import report for each file" if report.skipped else ""
        self.app.notify(report.summary() + more, title="Import",
                        severity="warning" if report.skipped else "information",
                        timeout=10 if report.skipped else 5)  # fmt: skip

    def show_report(self) -> None:
        """Open the last import's report: every file, what it brought or why it failed."""
        from paperterm.tui.screens.report import TextScreen

        if self.last is None:
            self.app.notify("Nothing imported in this session yet.", timeout=3)
            return
        self.app.push_screen(TextScreen("Last import", self.last.details()))

    def load_samples(self) -> None:
        """Import the bundled sample digests into the current store."""
        self.import_paths(sample_digest_paths())

    def prompt(self) -> None:
        """Ask for a file or folder and import its captures."""
        def answered(text: str | None) -> None:
            if not text:
                return
            path = Path(text).expanduser()
            if not path.is_dir():
                self.import_paths([path])
                return
            captures, others = folder_files(path)
            self.import_paths(captures, [(other, f"{other}: {NOT_A_CAPTURE}") for other in others])

        self.app.push_screen(PromptDialog("Import a capture file or a folder of them (.txt, .md, "
                                          ".json, .html):",
                                          placeholder="~/digests/2025-09-09.txt"), answered)

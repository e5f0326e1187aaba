"""The paperterm Textual app: a thin shell around the main screen.

The app holds what outlives one screen: the current ``Triage`` session, the desk (clipboard,
browser, keymap, probe), the theme, imports, fetches and polling the store for what other
processes wrote. It tells the main screen of changes by messages (``StoreChanged``); the
screen owns its session's start and view.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from paperterm import clipboard
from paperterm.errors import PapertermError
from paperterm.text import sanitize
from paperterm.triage import Triage
from paperterm.tui.bindings import APP_BINDINGS, binding_scopes
from paperterm.tui.commands import Command, reader_commands
from paperterm.tui.desk import Copier, Desk, Opener, open_in_browser
from paperterm.tui.fetching import ReaderFetch
from paperterm.tui.import_actions import Importer
from paperterm.tui.keymap import keymap_warnings
from paperterm.tui.messages import SessionChanged, StoreChanged
from paperterm.tui.prefs import PREF_THEME
from paperterm.tui.probe import Probe
from paperterm.tui.screens.dialogs import PromptDialog
from paperterm.tui.screens.main import MainScreen
from paperterm.tui.screens.welcome import WelcomeChoice, WelcomeScreen

POLL_SECONDS = 1.5


class PapertermApp(App[None]):
    """Keyboard triage of research-paper digests."""

    CSS_PATH = "app.tcss"
    TITLE = "paperterm"
    BINDINGS: ClassVar = list(APP_BINDINGS)

    def __init__(
        self,
        session: Triage,
        *,
        keymap: dict[str, str] | None = None,
        copier: Copier = clipboard.copy_text,
        opener: Opener = open_in_browser,
        export_dir: Path | None = None,
        poll_seconds: float = POLL_SECONDS,
        fetch_on_start: bool = False,
    ) -> None:
        super().__init__()
        self.triage = session
        self.desk = Desk(self, copier, opener, binding_scopes, dict(keymap or {}), export_dir,
                         Probe(self.exit))  # fmt: skip
        self.fetcher = ReaderFetch(self, lambda: self.triage, lambda: self.main_screen,
                                   lambda session: self.store_changed(session, "fetch"))
        self.importer = Importer(self, lambda: self.triage, self.store_changed)
        self.fetch_on_start = fetch_on_start
        self.poll_seconds = poll_seconds

    # -- start and stop ----------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.triage, self.desk)

    @property
    def main_screen(self) -> MainScreen:
        """The main screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification. Its text often quotes untrusted text (titles, tags, links,
        file names), so it is sanitized and, by default, never read as markup."""
        super().notify(sanitize(message), title=sanitize(title, single_line=True),
                       severity=severity, timeout=timeout, markup=markup)  # fmt: skip

    def on_mount(self) -> None:
        keymap = self.desk.keymap
        if keymap:
            for warning in keymap_warnings(keymap, binding_scopes()):
                self.notify(warning, severity="warning", timeout=12)
            self.update_keymap(keymap)
        theme = self.triage.pref(PREF_THEME)
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if notice := self.triage.upgrade_notice():
            self.notify(notice, timeout=8)
        self.set_interval(self.poll_seconds, self.poll_store)
        if self.fetch_on_start:
            self.fetcher.start()
        if not len(self.triage):
            self.push_screen(WelcomeScreen(), self._welcome_answered)

    def save_session(self) -> None:
        """Persist the filter, the selection and how far the user has seen."""
        self.main_screen.end_session()

    async def action_quit(self) -> None:
        self.save_session()
        self.exit()

    def _theme_changed(self, theme: Theme) -> None:
        try:
            self.triage.set_pref(PREF_THEME, theme.name)
        except PapertermError as error:
            self.main_screen.prefs.failed(error)

    def _welcome_answered(self, choice: WelcomeChoice | None) -> None:
        if choice == "samples":
            self.importer.load_samples()
        elif choice == "import":
            self.importer.prompt()
        elif choice == "quit":
            self.exit()

    # -- news for the main screen -------------------------------------------------------

    def store_changed(self, session: Triage, summary: str = "import") -> None:
        """Tell the main screen that ``session``'s store changed (if it is still the one
        shown: a user switch meanwhile leaves the new screen alone)."""
        if session is self.triage:
            self.main_screen.post_message(StoreChanged(summary))

    def poll_store(self) -> None:
        """Pick up what other processes (cron imports, the CLI) wrote."""
        try:
            changed = self.triage.refresh()
        except PapertermError as error:
            self.notify(str(error), severity="error")
            return
        if changed:
            self.store_changed(self.triage, "another process wrote")

    def import_paths(self, paths: Iterable[Path]) -> None:
        """Import capture files (parsed in a worker)."""
        self.importer.import_paths(paths)

    def action_fetch_papers(self) -> None:
        """Fetch the days since the last fetch from Hugging Face, in a worker (F)."""
        self.fetcher.start()

    # -- users ---------------------------------------------------------------------------

    def prompt_switch_user(self) -> None:
        """Ask for a user name and reopen the store as that user."""
        user = self.triage.user
        others = ", ".join(u for u in self.triage.users() if u != user) or "none yet"

        def answered(text: str | None) -> None:
            if text and text.strip() != user:
                self.switch_user(text.strip())

        self.push_screen(PromptDialog(f"Switch from {user} to user (others: {others}):"),
                         answered)  # fmt: skip

    def switch_user(self, user: str) -> None:
        """Read as ``user``: a new session for the main screen (their filter, selection,
        sort and undo are their own); the search index is shared."""
        old = self.triage
        try:
            self.save_session()
            session = old.for_user(user)
        except PapertermError as error:
            self.notify(str(error), severity="error")
            return
        self.triage = session
        self.main_screen.post_message(SessionChanged(session))
        old.close()
        self.notify(f"Now reading as {user}.")

    # -- palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, then the reader's (``commands.reader_commands``)."""
        yield from super().get_system_commands(screen)
        for name, run, help_text in self.palette():
            yield SystemCommand(name, help_text, run)

    def palette(self) -> list[Command]:
        """The reader's palette commands: the main screen's and the app's."""
        return reader_commands(self.main_screen, self.app_commands())

    def app_commands(self) -> list[Command]:
        """The palette's commands of the app itself: imports, fetch, users."""
        importer = self.importer
        fetch_key = self.desk.key_display("app.fetch")
        return [
            ("Import digest file…", importer.prompt, "Import a digest file or a folder"),
            ("Last import report", importer.show_report,
             "Every file of the last import: what it brought, or why it was skipped"),
            ("Fetch new papers", self.action_fetch_papers,
             f"Fetch the days since the last fetch from Hugging Face ({fetch_key})"),
            ("Load bundled sample digests", importer.load_samples,
             "Import the two sample digests"),
            ("Switch user…", self.prompt_switch_user, "Read with another user's stars and tags"),
        ]

"""The paperterm Textual app: wires the store to the main screen and keeps the session.

The app owns what outlives one screen: the ``Triage`` session, the user's preferences
(filter, selection, theme), the clipboard and browser, imports and exports, and polling the
store for what other processes wrote.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input

from paperterm import clipboard
from paperterm.capture_inputs import folder_files
from paperterm.errors import ClipboardError, PapertermError
from paperterm.exportfile import require_papers
from paperterm.exports import DEFAULT_FORMAT
from paperterm.exports import FORMATS as EXPORT_FORMATS
from paperterm.model import Digest, Entry, Paper
from paperterm.paths import sample_digest_paths
from paperterm.recommend import FOR_YOU
from paperterm.store import Remaining, Store
from paperterm.text import plural, sanitize
from paperterm.triage import Counts, Snapshot, Triage, settle_heap
from paperterm.tui.bindings import binding_scopes
from paperterm.tui.commands import PapertermCommands
from paperterm.tui.exporting import default_target, export_entries
from paperterm.tui.fetching import FETCH_BINDING, ReaderFetch
from paperterm.tui.import_report import ImportReport
from paperterm.tui.keymap import binding_keys, keymap_warnings
from paperterm.tui.screens.dialogs import ChoiceDialog, PromptDialog
from paperterm.tui.screens.help import HelpScreen
from paperterm.tui.screens.main import MAIN_BINDINGS, MainScreen
from paperterm.tui.screens.welcome import WelcomeChoice, WelcomeScreen
from paperterm.tui.widgets.paper_list import PaperList

POLL_SECONDS = 1.5
PROBE_ENV = "PAPERTERM_PROBE"
"""Benchmark hook (see ``PapertermApp.probe``): the file startup events are appended to."""
PREF_QUERY = "query"
PREF_SELECTED = "selected"
PREF_THEME = "theme"
PREF_SEEN_THROUGH = "seen_through"
RETRAIN_AFTER = 0.5  # seconds after the last star or tag before "for you" learns again
PREF_EXPORT_FORMAT = "export_format"

Copier = Callable[[str], None]
Opener = Callable[[str], None]


def _open_in_browser(url: str) -> None:
    """Open ``url`` in a graphical browser; refuse where only a console browser could run,
    since lynx or w3m would take over the terminal the reader is drawing on."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        raise RuntimeError("no graphical display (DISPLAY is not set)")
    import webbrowser  # here: importing it costs the reader's start 40 ms

    if not webbrowser.open(url, new=2):
        raise RuntimeError("no browser found")


class PapertermApp(App[None]):
    """Keyboard triage of research-paper digests."""

    CSS_PATH = "app.tcss"
    TITLE = "paperterm"
    COMMANDS: ClassVar = App.COMMANDS | {PapertermCommands}
    BINDINGS: ClassVar = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        FETCH_BINDING,
    ]

    def __init__(
        self,
        store: Store,
        *,
        keymap: dict[str, str] | None = None,
        copier: Copier = clipboard.copy_text,
        opener: Opener = _open_in_browser,
        export_dir: Path | None = None,
        poll_seconds: float = POLL_SECONDS,
        fetch_on_start: bool = False,
    ) -> None:
        super().__init__()
        self.fetcher = ReaderFetch(self)
        self.fetch_on_start = fetch_on_start
        self.triage = Triage(store)
        self.user_keymap = dict(keymap or {})
        self.copier = copier
        self.opener = opener
        self.export_dir = export_dir
        self.poll_seconds = poll_seconds
        self.new_count = 0
        self._prefs_timer: Timer | None = None
        self._pending_prefs: dict[str, str] = {}  # see _remember
        self._probed: set[str] = set()
        self._loading = False  # _load_rest started
        self._train_timer: Timer | None = None
        self._prefs_error_shown = False  # see _prefs_not_saved
        self.last_import: ImportReport | None = None

    # -- start and stop ----------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return MainScreen()

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

    @property
    def main_screen(self) -> MainScreen:
        """The main screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_mount(self) -> None:
        store = self.triage.store
        if self.user_keymap:
            for warning in keymap_warnings(self.user_keymap, binding_scopes()):
                self.notify(warning, severity="warning", timeout=12)
            self.update_keymap(self.user_keymap)
        theme = store.get_pref(PREF_THEME)
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if notice := self.triage.upgrade_notice():
            self.notify(notice, timeout=8)

    def start_session(self, screen: MainScreen) -> None:
        """Called once the main screen is mounted: restore the filter and selection."""
        store = self.triage.store
        self._count_new()
        self._restore_view(screen)  # results_shown then starts loading the rest
        self.set_interval(self.poll_seconds, self.poll_store)
        if self.fetch_on_start:
            self.fetcher.start()
        if len(store) == 0:
            self.push_screen(WelcomeScreen(), self._welcome_answered)

    def _restore_view(self, screen: MainScreen) -> None:
        """Show the current user's saved filter, with their saved paper selected."""
        store = self.triage.store
        query = store.get_pref(PREF_QUERY, "") or ""
        query = query if isinstance(query, str) else ""
        selected = store.get_pref(PREF_SELECTED)
        # "": no saved paper, start at the first row (not on another user's paper)
        screen.pending_keep = selected if isinstance(selected, str) else ""
        with screen.search_bar.input.prevent(Input.Changed):
            screen.search_bar.input.value = query
        screen.run_search(query)

    def _count_new(self) -> None:
        store = self.triage.store
        seen = store.get_pref(PREF_SEEN_THROUGH)
        since = dt.date.fromisoformat(seen) if isinstance(seen, str) else dt.date.min
        self.new_count = sum(1 for paper in store.papers() if paper.dates[0] > since)

    def save_session(self) -> None:
        """Persist the selection and how far the user has seen; errors are reported."""
        store = self.triage.store
        self._flush_prefs()
        try:
            papers = store.papers()  # newest first
            if papers:
                store.set_pref(PREF_SEEN_THROUGH, papers[0].newest.isoformat())
        except PapertermError as error:
            self._prefs_not_saved(error)

    async def action_quit(self) -> None:
        self.save_session()
        self.exit()

    def results_shown(self, with_papers: bool) -> None:
        """After the refresh that painted a search's results: the first time, start loading
        the rest of the store (not sooner: the first screen would share the CPU with it)."""
        if with_papers:
            self.probe("first_screen")
        if not self._loading:
            self._loading = True
            self._load_rest(self.triage)

    # Each worker names itself: by default Textual describes a worker by the repr of its
    # arguments, which for 100,000 papers took seconds on the UI thread.
    @work(thread=True, exclusive=True, group="index", description="load the rest")
    def _load_rest(self, triage: Triage) -> None:
        """Read the shards a partial open left out, then load or build the search index.

        The store is used on the UI thread only: this worker reads files, and the UI thread
        adopts what it read (``_adopt``).
        """
        store = triage.store
        papers: list[Paper] | None = None
        if not store.complete:
            try:
                rest = store.read_remaining()
            except PapertermError as error:
                self.call_from_thread(self.notify, str(error), severity="error")
            else:
                papers = self.call_from_thread(self._adopt, triage, rest)
        if papers is None:
            papers = self.call_from_thread(store.papers)
        triage.build_index(papers)
        self.call_from_thread(self._index_ready, triage)
        # the term vectors of related papers and "for you", when their cache file is there
        # (a load, a second at 100,000 papers): R is then quick at once. Without it the
        # first R or "for you" builds them; not here, where quitting would wait for it.
        if triage.recommender.cached:
            triage.recommender.prepare(papers)
        settle_heap()
        if os.environ.get(PROBE_ENV):
            self.call_from_thread(self.probe, "loaded")

    def _adopt(self, triage: Triage, rest: Remaining) -> list[Paper]:
        """Every paper is loaded now: show them all (keeping the selection), recount."""
        triage.store.adopt(rest)
        if triage is self.triage:
            self._count_new()
            screen = self.main_screen
            screen.run_search(screen.query_text)
        return triage.store.papers()

    def _index_ready(self, triage: Triage) -> None:
        """The search index is ready: re-run a search that was waiting for it."""
        if triage is not self.triage:
            return
        screen = self.main_screen
        if screen.waiting_for_index:
            screen.run_search(screen.query_text)
        if triage.sort == FOR_YOU:
            self.train_for_you()
        self.probe("search_ready")

    def probe(self, event: str) -> None:
        """Benchmark hook, inert unless ``$PAPERTERM_PROBE`` names a file.

        Appends ``EVENT UNIX_TIME`` to that file the first time each event happens:
        ``first_screen`` (after the refresh that paints the first papers),
        ``search_ready`` (every paper loaded, the index ready) and ``loaded`` (the term
        vectors too, the heap settled: the start's work is over); then quits once all
        have. ``benchmarks/bench.py`` times the reader's start, and takes its peak
        memory, with it.
        """
        path = os.environ.get(PROBE_ENV)
        if not path or event in self._probed:
            return
        self._probed.add(event)
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(f"{event} {time.time():.6f}\n")
        if {"first_screen", "search_ready", "loaded"} <= self._probed:
            self.exit()

    # -- "for you" -----------------------------------------------------------------------

    def train_for_you(self, *, announce: bool = False) -> None:
        """Learn the user's "for you" profile in a worker, then re-sort the view."""
        self._train_worker(self.triage, self.triage.snapshot(), announce)

    @work(thread=True, exclusive=True, group="for-you", description="train for you")
    def _train_worker(self, triage: Triage, snapshot: Snapshot, announce: bool) -> None:
        why_not = triage.train_for_you(snapshot)
        self.call_from_thread(self._trained, triage, why_not, announce)

    def _trained(self, triage: Triage, why_not: str | None, announce: bool) -> None:
        if triage is not self.triage:
            return
        screen = self.main_screen
        if triage.sort != FOR_YOU:
            return
        if why_not is not None:
            self.notify(why_not, severity="warning", timeout=5)
        elif announce:
            self.notify("Sorted for you: most like what you starred and tagged first.",
                        timeout=3)  # fmt: skip
        screen.run_search(screen.query_text)

    def marks_changed(self) -> None:
        """A star, tag, read mark or note changed: "for you" learns again, soon."""
        if self.triage.sort != FOR_YOU:
            return
        if self._train_timer is not None:
            self._train_timer.stop()
        self._train_timer = self.set_timer(RETRAIN_AFTER, self.train_for_you)

    # -- data for widgets ----------------------------------------------------------------

    def lookup_entry(self, paper_id: str) -> Entry:
        """The entry of a paper in the list."""
        return self.triage.entry(paper_id)

    def entry_or_none(self, paper_id: str | None) -> Entry | None:
        """The entry for ``paper_id``, or None."""
        if paper_id is None:
            return None
        try:
            return self.triage.entry(paper_id)
        except PapertermError:
            return None

    def counts(self) -> Counts:
        """Counts for the header line."""
        base = self.triage.counts(None)
        return Counts(new=self.new_count, unread=base.unread, starred=base.starred,
                      total=base.total)

    # -- preferences -----------------------------------------------------------------------

    def remember_query(self, text: str) -> None:
        """Save the filter so the next session opens on it."""
        self._remember(PREF_QUERY, text)

    def remember_selection(self, paper_id: str | None) -> None:
        """Save the selected paper, so the next session opens on it."""
        if paper_id is not None:
            self._remember(PREF_SELECTED, paper_id)

    def _remember(self, key: str, value: str) -> None:
        """Save a preference half a second after its last change (and at quit or a user
        switch): typing a query or holding j writes once, not at every key, for each write
        is an fsync on the UI thread."""
        self._pending_prefs[key] = value
        if self._prefs_timer is not None:
            self._prefs_timer.stop()
        self._prefs_timer = self.set_timer(0.5, self._flush_prefs)

    def _flush_prefs(self) -> None:
        store = self.triage.store
        try:
            for key, value in list(self._pending_prefs.items()):
                if (store.get_pref(key) or "") != value:  # unset is "": no write for it
                    store.set_pref(key, value)
                del self._pending_prefs[key]
        except PapertermError as error:
            self._prefs_not_saved(error)

    def _theme_changed(self, theme: Theme) -> None:
        try:
            self.triage.store.set_pref(PREF_THEME, theme.name)
        except PapertermError as error:
            self._prefs_not_saved(error)

    def _prefs_not_saved(self, error: PapertermError) -> None:
        """Say once per session that the preferences cannot be saved (a read-only data
        dir fails at the first selection, before the user did anything)."""
        if self._prefs_error_shown:
            return
        self._prefs_error_shown = True
        reason = str(error).removesuffix("; the change was not saved")
        self.notify(f"Could not save the reader's preferences (filter, selected paper, "
                    f"theme): {reason}", severity="warning", timeout=10)

    # -- clipboard, browser, export ------------------------------------------------------

    def copy_text(self, text: str, label: str | None = None) -> None:
        """Copy to the system clipboard, else to the terminal's (OSC 52); say which, naming
        what was copied by ``label`` when given (a BibTeX entry is too long to show)."""
        try:
            self.copier(text)
            where = "clipboard"
        except ClipboardError:
            where = "terminal clipboard (OSC 52)"
        # Always keep it in the app too: OSC 52 for remote sessions, `app.clipboard` for tests.
        self.copy_to_clipboard(text)
        self.notify(f"Copied to {where}: {label or text}", timeout=4)

    def open_link(self, url: str) -> None:
        """Open an http(s) link in the browser; anything else is refused."""
        if not url.startswith(("https://", "http://")):
            self.notify(f"Refusing to open a non-web link: {url[:60]}", severity="warning")
            return
        try:
            self.opener(url)
        except Exception as error:  # webbrowser may raise anything a browser launcher does
            self.notify(f"Could not open a browser ({error}); copying the link instead.",
                        severity="warning")
            self.copy_text(url)
            return
        self.notify(f"Opened {url}", timeout=3)

    def export_view(
        self, ids: list[str], query: str, path: Path | None = None, format_name: str = ""
    ) -> None:
        """Export the given papers in ``format_name`` (default: the remembered format) in a
        worker and say where it went."""
        format_name = format_name or self.export_format
        target = path or default_target(format_name, self.export_dir)
        entries = [self.triage.entry(pid) for pid in ids]
        self._export_worker(entries, query, target, format_name)

    @work(thread=True, group="export", description="export")
    def _export_worker(
        self, entries: list[Entry], query: str, target: Path, format_name: str
    ) -> None:
        try:
            written = export_entries(entries, query, target, format_name)
        except PapertermError as error:
            self.call_from_thread(self.notify, str(error), title="Export failed",
                                  severity="error")
            return
        self.call_from_thread(
            self.notify, f"Exported {plural(len(entries), 'paper')} to {written}", timeout=6
        )

    @property
    def export_format(self) -> str:
        """The export format last chosen (a user preference), else Markdown."""
        name = self.triage.store.get_pref(PREF_EXPORT_FORMAT, DEFAULT_FORMAT)
        return name if name in EXPORT_FORMATS else DEFAULT_FORMAT

    def choose_export(self, ids: list[str], query: str) -> None:
        """``x``: ask for the format (the last one chosen first), then the path, and export
        ``ids`` (the current view)."""
        try:
            require_papers(ids, query)
        except PapertermError as error:
            self.notify(str(error), severity="warning")
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return
            if name != self.export_format:
                try:
                    self.triage.store.set_pref(PREF_EXPORT_FORMAT, name)
                except PapertermError as error:
                    self.notify(str(error), severity="error")
            self._prompt_export_path(ids, query, name)

        choices = [(name, fmt.label) for name, fmt in EXPORT_FORMATS.items()]
        self.push_screen(ChoiceDialog(f"Export {len(ids)} papers as:", choices,
                                      self.export_format), chosen)  # fmt: skip

    def _prompt_export_path(self, ids: list[str], query: str, format_name: str) -> None:
        folder = EXPORT_FORMATS[format_name].folder

        def answered(text: str | None) -> None:
            if text:
                self.export_view(ids, query, Path(text).expanduser(), format_name)

        what = "folder (one note per paper)" if folder else "file"
        self.push_screen(PromptDialog(f"Export the current view to this {what}:",
                                      value=str(default_target(format_name, self.export_dir))),
                         answered)  # fmt: skip

    # -- import, users, polling ------------------------------------------------------------

    def import_paths(self, paths: Iterable[Path]) -> None:
        """Parse digests in a worker, then import them on the UI thread."""
        self._import_worker(list(paths))

    @work(thread=True, group="import", description="import")
    def _import_worker(
        self, paths: list[Path], skipped_files: Sequence[tuple[Path, str]] = ()
    ) -> None:
        # every capture style, detected as `paperterm import` does (paperterm.captures)
        from paperterm.captures import read_capture_file

        digests: list[Digest] = []
        skipped = list(skipped_files)
        for path in paths:
            try:
                digests.append(read_capture_file(path))
            except PapertermError as error:
                skipped.append((path, str(error)))
        self.call_from_thread(self._store_digests, digests, skipped)

    def _store_digests(self, digests: list[Digest], skipped: list[tuple[Path, str]]) -> None:
        """Import the parsed digests, then say in one toast what happened (the details go
        to ``last_import``, shown by the palette's "Last import report")."""
        report = ImportReport(skipped=list(skipped))
        for digest in digests:
            try:
                report.imported.append(self.triage.store.import_digest(digest))
            except PapertermError as error:
                report.skipped.append((Path(digest.source), str(error)))
        self.last_import = report
        if report.imported:
            self.after_store_change()
        more = " — ctrl+p → Last import report for each file" if report.skipped else ""
        self.notify(report.summary() + more, title="Import",
                    severity="warning" if report.skipped else "information",
                    timeout=10 if report.skipped else 5)

    def show_import_report(self) -> None:
        """Open the last import's report: every file, what it brought or why it failed."""
        from paperterm.tui.screens.report import TextScreen

        if self.last_import is None:
            self.notify("Nothing imported in this session yet.", timeout=3)
            return
        self.push_screen(TextScreen("Last import", self.last_import.details()))

    def after_store_change(self) -> None:
        """Index new papers and refresh the view, keeping the selection."""
        self.triage.sync_index(self.triage.store.papers())
        self._count_new()
        screen = self.main_screen
        screen.run_search(screen.query_text)

    def poll_store(self) -> None:
        """Pick up what other processes (cron imports, the CLI) wrote."""
        try:
            changed = self.triage.store.refresh()
        except PapertermError as error:
            self.notify(str(error), severity="error")
            return
        if changed:
            self.after_store_change()

    def action_fetch_papers(self) -> None:
        """Fetch the days since the last fetch from Hugging Face, in a worker (F)."""
        self.fetcher.start()

    def load_samples(self) -> None:
        """Import the bundled sample digests into the current store."""
        self.import_paths(sample_digest_paths())

    def prompt_import(self) -> None:
        """Ask for a file or folder and import its digests."""
        def answered(text: str | None) -> None:
            if not text:
                return
            path = Path(text).expanduser()
            if not path.is_dir():
                self.import_paths([path])
                return
            captures, others = folder_files(path)
            self._import_worker(captures, [(other, f"{other}: not a capture file (.txt, "
                                            ".md, .json, .html)") for other in others])

        self.push_screen(PromptDialog("Import a capture file or a folder of them (.txt, .md, "
                                      ".json, .html):",
                                      placeholder="~/digests/2025-09-09.txt"), answered)

    def prompt_export(self) -> None:
        """Ask where to export the current view, in the format last chosen."""
        screen = self.main_screen
        self._prompt_export_path(list(screen.paper_list.ids), screen.query_text,
                                 self.export_format)  # fmt: skip

    def prompt_switch_user(self) -> None:
        """Ask for a user name and reopen the store as that user."""
        store = self.triage.store
        others = ", ".join(u for u in store.users() if u != store.user) or "none yet"

        def answered(text: str | None) -> None:
            if text and text != store.user:
                self.switch_user(text.strip())

        self.push_screen(PromptDialog(f"Switch from {store.user} to user (others: {others}):"),
                         answered)

    def switch_user(self, user: str) -> None:
        """Reopen the store for ``user``; the search index is shared, undo is not."""
        from paperterm.paths import validate_user

        old = self.triage.store
        try:
            self.save_session()
            new_store = Store.open(old.data_dir, validate_user(user))
        except PapertermError as error:
            self.notify(str(error), severity="error")
            return
        old.close()
        previous = self.triage
        self.triage = Triage(new_store, index=previous.index)
        self.triage.recommender.share_vectors(previous.recommender)  # the profile is per user
        if self.triage.index is None:  # still loading: the new session loads its own
            self._load_rest(self.triage)
        self._count_new()
        if self.triage.sort == FOR_YOU:
            self.train_for_you()  # this user's own profile
        self._restore_view(self.main_screen)  # each user's filter and selection are their own
        self.notify(f"Now reading as {user}.")

    def _welcome_answered(self, choice: WelcomeChoice | None) -> None:
        if choice == "samples":
            self.load_samples()
        elif choice == "import":
            self.prompt_import()
        elif choice == "quit":
            self.exit()

    # -- help and palette ------------------------------------------------------------------

    def key_display(self, binding_id: str) -> str:
        """The (first) key of binding ``binding_id`` as the footer shows it, keymap applied."""
        for bindings in binding_scopes().values():
            for binding in bindings:
                if binding.id == binding_id:
                    key = binding_keys(binding, self.user_keymap)[0]
                    return self.get_key_display(Binding(key, binding.action))
        raise KeyError(binding_id)

    def action_show_keys(self) -> None:
        """Open the help screen listing every key."""
        from paperterm.tui.screens.dialogs import NoteDialog
        from paperterm.tui.screens.tag_dialog import TagDialog

        sections: list[tuple[str, list[BindingType]]] = [
            ("Move", list(PaperList.BINDINGS)),
            ("Triage and links", list(MAIN_BINDINGS)),
            ("Fetch", [FETCH_BINDING]),
            ("Dialogs", [*TagDialog.BINDINGS, *NoteDialog.BINDINGS]),
        ]
        self.push_screen(HelpScreen(
            [(title, [b for b in bindings if isinstance(b, Binding)])
             for title, bindings in sections], dict(self.user_keymap)))


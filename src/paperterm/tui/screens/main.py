"""The main screen: header, search pane, paper list, detail pane and footer.

It is given its ``Triage`` session and owns its start: it restores the user's filter and
selection, runs the first search and, once that is painted, loads the rest of the store
behind it (``paperterm.tui.loading``). The app and the workers tell it what changed by
messages (``StoreChanged``, ``IndexReady``); it never calls the app. The triage and link
keys are in ``triage_actions`` and ``link_actions``; every change is saved by the store
before the screen repaints.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker

from paperterm.errors import PapertermError
from paperterm.recommend import FOR_YOU
from paperterm.text import sanitize
from paperterm.triage import Snapshot, Triage
from paperterm.tui.desk import Desk
from paperterm.tui.export_actions import ExportView
from paperterm.tui.fetching import FETCH_BINDING
from paperterm.tui.handoff import Handoff
from paperterm.tui.loading import load_rest
from paperterm.tui.messages import (
    IndexReady,
    PaperChosen,
    PaperHighlighted,
    QueryChanged,
    QueryCleared,
    QuerySubmitted,
    SearchFinished,
    SessionChanged,
    StartDone,
    StoreChanged,
)
from paperterm.tui.prefs import PREF_QUERY, PREF_SELECTED, PrefWriter
from paperterm.tui.screens.dialogs import NoteDialog
from paperterm.tui.screens.help import HelpScreen
from paperterm.tui.screens.link_actions import LINK_BINDINGS, LinkActions
from paperterm.tui.screens.order_actions import OrderActions
from paperterm.tui.screens.saved_actions import SavedSearchActions
from paperterm.tui.screens.tag_dialog import TagDialog
from paperterm.tui.screens.triage_actions import TRIAGE_BINDINGS, TriageActions
from paperterm.tui.widgets.key_footer import KeyFooter
from paperterm.tui.widgets.paper_detail import EMPTY_STORE_HINT, PaperDetail
from paperterm.tui.widgets.paper_list import PaperList
from paperterm.tui.widgets.search_bar import SearchBar
from paperterm.tui.widgets.status_header import StatusHeader

NARROW_WIDTH = 110
PENDING_AFTER = 0.15  # seconds before a running search shows "…" by its count

MAIN_BINDINGS: list[Binding] = [
    # priority: run while the app takes the key, before it hands on the next ones, so that
    # letters arriving with "/" (a paste, a macro) reach the query and not the list's keys
    Binding("slash", "search", "Search", priority=True, id="main.search"),
    *TRIAGE_BINDINGS,
    *LINK_BINDINGS,
    Binding("x", "export_view", "Export", show=False, id="main.export"),
    Binding("R", "related", "Related", show=False, id="main.related"),
    *(Binding(str(n), f"recall_search({n})", f"Saved search {n}", show=False,
              id=f"main.saved_search_{n}") for n in range(1, 10)),
    Binding("v", "toggle_detail", "Show/hide detail", show=False,
            id="main.toggle_detail"),
    Binding("S", "cycle_sort", "Sort", show=False, id="main.sort"),
    Binding("escape", "back", "Back", show=False, id="main.back"),
    Binding("question_mark", "help", "Help", id="main.help"),
    Binding("q", "app.quit", "Quit", id="main.quit"),
]


class MainScreen(TriageActions, LinkActions, SavedSearchActions, OrderActions):
    """List, detail and search panes with the triage keys, over one session."""

    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_BINDINGS)

    def __init__(self, session: Triage, desk: Desk) -> None:
        super().__init__(session, desk)
        self._pending_timer: Timer | None = None  # shows "…" when a search is slow
        self.waiting_for_index = False  # the current query waits for the search index
        self._loader: Worker[None] | None = None  # load_rest, started after the first paint
        self.prefs = PrefWriter(session, self.set_timer, self._warn)
        # The header's counts do not depend on the query: a search for a typed query leaves
        # them (recounting every state at each key took a share of the keystroke); any
        # other search may follow a change, and recounts them once its results are shown.
        self._typed = False  # the search about to run is of the query as typed
        self._header_due = True  # a search since the header was last counted was not
        self._spans_years = False  # the papers of the last search's snapshot span years

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield SearchBar(id="search")
        with Container(id="panes"):
            yield PaperList(self.session.entry, id="papers")
            yield PaperDetail(id="detail")
        # The footer comes after the first results are painted: its dozen keys are a third
        # of the first frame's styling work (see _mount_footer).

    @property
    def search_bar(self) -> SearchBar:
        """The search pane."""
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.search_bar.input.results = self.paper_list
        self.paper_list.focus()
        self._apply_layout(self.size.width)
        self._restore_view()

    def _restore_view(self) -> None:
        """The user's saved filter, with their saved paper selected ("": the first row)."""
        self.keep = self.session.pref(PREF_SELECTED) or ""
        self.set_query(self.session.pref(PREF_QUERY) or "")

    @on(SessionChanged)
    def _session_changed(self, event: SessionChanged) -> None:
        self.session = event.session
        self.prefs = PrefWriter(event.session, self.set_timer, self._warn)
        self._loader = None  # the new session loads what it lacks after its first search
        self._restore_view()
        if event.session.sort == FOR_YOU:
            self.train_for_you()  # this user's own profile

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "narrow")

    def _warn(self, message: str) -> None:
        self.app.notify(message, severity="warning", timeout=10)

    def end_session(self) -> None:
        """Save what is pending (filter, selection) and how far the user has seen."""
        self.prefs.end_session()

    # -- showing -----------------------------------------------------------------------

    def show_results(self, ids: list[str], *, keep: str | None = None) -> None:
        """Put ``ids`` in the list and update the count and header."""
        detail = self.query_one(PaperDetail)
        total = len(self.session)
        if ids or not self.query_text or not total:
            self.paper_list.empty_text = "No papers."
            detail.hint = EMPTY_STORE_HINT
        else:  # a full store, but nothing matches: say so, and how to get back
            query = sanitize(self.query_text, single_line=True)
            self.paper_list.empty_text = f"No paper matches {query}."
            detail.hint = (f"No paper matches the search {query}. Press / then Escape "
                           "(or Escape here) to clear it and see every paper.")
        self.paper_list.show_year = self._spans_years
        self.paper_list.set_ids(ids, keep=keep)
        self.search_bar.show_count(len(ids), total)
        self.search_bar.set_class(bool(self.query_text), "active")
        if self._header_due:
            self.refresh_header()

    def refresh_header(self) -> None:
        """Recompute the counts in the header line."""
        self._header_due = False
        session = self.session
        note = "sorted for you" if session.sort == FOR_YOU and session.recommender.trained else ""
        self.query_one(StatusHeader).show(session.user, session.counts(), note)

    @on(PaperHighlighted)
    def _highlighted(self, event: PaperHighlighted) -> None:
        self.query_one(PaperDetail).show(self.session.entry_or_none(event.paper_id))
        if event.paper_id is not None:
            self.prefs.remember(PREF_SELECTED, event.paper_id)

    @on(PaperChosen)
    def _chosen(self, event: PaperChosen) -> None:
        # Enter shows a hidden pane: focusing an invisible one left j/k doing nothing
        self.remove_class("detail-hidden")
        self.set_focus(self.query_one(PaperDetail))

    def action_toggle_detail(self) -> None:
        self.toggle_class("detail-hidden")

    # -- search ------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """Show ``text`` in the search box and run it."""
        with self.search_bar.input.prevent(Input.Changed):
            self.search_bar.input.value = text
        self.run_search(text)

    def run_search(self, text: str) -> None:
        """Start a search for ``text`` in a worker; a newer search cancels this one."""
        self.query_text = text
        # "…" only for a search that takes a while: painting it at every key would take the
        # UI thread (and the GIL) from the search it waits for
        if self._pending_timer is not None:
            self._pending_timer.stop()
        self._pending_timer = self.set_timer(PENDING_AFTER, self._show_pending)
        if not self._typed:
            self._header_due = True
        self._typed = False
        snapshot = self.session.snapshot()
        papers = snapshot.papers  # newest first: the first and the last are the years' ends
        self._spans_years = bool(papers) and papers[0].newest.year != papers[-1].newest.year
        self._search_worker(text, Handoff(snapshot))

    def _show_pending(self) -> None:
        self.search_bar.show_count(len(self.paper_list.ids), len(self.session), pending=True)

    # described by name: the default repr of a 100,000-paper snapshot takes seconds
    @work(thread=True, exclusive=True, group="search", description="search")
    def _search_worker(self, text: str, handoff: Handoff[Snapshot]) -> None:
        snapshot = handoff.take()
        try:
            ids = self.session.search(text, snapshot, wait=False)
        except PapertermError as error:
            self.post_message(SearchFinished(text, None, str(error)))
            return
        self.post_message(SearchFinished(text, ids, None))

    @on(SearchFinished)
    def _search_finished(self, event: SearchFinished) -> None:
        if event.text != self.query_text:
            return  # a stale answer to an older keystroke
        if self._pending_timer is not None:
            self._pending_timer.stop()
        self.waiting_for_index = event.ids is None and event.error is None
        self.call_after_refresh(self._painted, bool(event.ids))
        if self.waiting_for_index:  # run again on IndexReady
            self._show_pending()
            return
        if event.ids is None:
            self.search_bar.show_error(event.error or "invalid query")
            return
        keep = self.keep
        self.show_results(event.ids, keep=keep)
        if not keep or self.paper_list.row_of(keep) is not None or self.session.complete:
            self.keep = None  # else the paper may be in a shard not loaded yet
        self.prefs.remember(PREF_QUERY, event.text)

    def _painted(self, with_papers: bool) -> None:
        """After the refresh that painted a search's results: the footer, and the first
        time, the rest of the store (not sooner: the first screen would share the CPU)."""
        if not self.query(KeyFooter):
            self.mount(KeyFooter())
        if with_papers:
            self.desk.probed("first_screen")
        if self._loader is None:
            self._loader = self.run_worker(
                partial(load_rest, self.session, self.app, self.post_message), thread=True,
                exclusive=True, group="index", description="load the rest")  # fmt: skip

    @on(StoreChanged)
    def _store_changed(self, event: StoreChanged) -> None:
        self.run_search(self.query_text)  # keeping the selection

    @on(IndexReady)
    def _index_ready(self, event: IndexReady) -> None:
        if self.waiting_for_index:
            self.run_search(self.query_text)
        if self.session.sort == FOR_YOU:
            self.train_for_you()
        self.desk.probed("search_ready")

    @on(StartDone)
    def _start_done(self, event: StartDone) -> None:
        self.desk.probed("loaded")

    @on(QueryChanged)
    def _query_changed(self, event: QueryChanged) -> None:
        self._typed = True
        self.run_search(event.text)

    @on(QuerySubmitted)
    def _query_submitted(self, event: QuerySubmitted) -> None:
        self.set_focus(self.paper_list)

    @on(QueryCleared)
    def _query_cleared(self, event: QueryCleared) -> None:
        self.search_bar.input.value = ""
        self.run_search("")
        self.set_focus(self.paper_list)

    def action_search(self) -> None:
        query = self.search_bar.input
        if self.focused is query:  # a "/" typed in the query is part of it
            query.insert_text_at_cursor("/")
            return
        self.search_bar.add_class("active")
        # at once, not after the queue (``Widget.focus`` waits for it): the letters that
        # came with "/" are handed to the focused widget next
        self.set_focus(query)

    def action_back(self) -> None:
        if self.focused is not self.paper_list:
            self.set_focus(self.paper_list)
        elif self.query_text:
            self._query_cleared(QueryCleared())

    # -- related papers, export, help ----------------------------------------------------

    def action_related(self) -> None:
        from paperterm.tui.screens.related import RelatedScreen

        pid = self.current()
        if pid is None:
            return
        session = self.session
        screen = RelatedScreen(session, pid, session.paper(pid).title, session.snapshot())
        self.app.push_screen(screen, self.jump_to)

    def jump_to(self, paper_id: str | None) -> None:
        """Select ``paper_id``: in the list when it is there, else after clearing the filter."""
        if paper_id is None:
            return
        row = self.paper_list.row_of(paper_id)
        if row is not None:
            self.paper_list.move_to(row)
            return
        self.keep = paper_id
        self.set_query("")

    def export_view(self) -> ExportView:
        """An export of what the list shows now."""
        return ExportView(self.app, self.session, list(self.paper_list.ids), self.query_text,
                          self.desk.export_dir)  # fmt: skip

    def action_export_view(self) -> None:
        self.export_view().choose()

    def action_help(self) -> None:
        """Open the help screen listing every key, as bound now."""
        sections: list[tuple[str, list[BindingType]]] = [
            ("Move", list(PaperList.BINDINGS)),
            ("Triage and links", list(MAIN_BINDINGS)),
            ("Fetch", [FETCH_BINDING]),
            ("Dialogs", [*TagDialog.BINDINGS, *NoteDialog.BINDINGS]),
        ]
        self.app.push_screen(HelpScreen(
            [(title, [b for b in bindings if isinstance(b, Binding)])
             for title, bindings in sections], dict(self.desk.keymap)))

"""The main screen: header, search pane, paper list, detail pane and footer.

It owns the keyboard triage bindings and turns them into ``Triage`` calls; the list and the
detail pane only display. Every change is saved by the store before the screen repaints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from paperterm.errors import PapertermError
from paperterm.export import safe_url
from paperterm.exports.bibtex import bibtex_of
from paperterm.model import Entry, Link, Paper
from paperterm.paper_info import paper_links
from paperterm.sorting import Sort
from paperterm.text import display_title, plural, sanitize
from paperterm.triage import Snapshot
from paperterm.tui.messages import (
    PaperChosen,
    PaperHighlighted,
    QueryChanged,
    QueryCleared,
    QuerySubmitted,
    SearchFinished,
)
from paperterm.tui.screens.dialogs import ConfirmDialog, LinkPicker, NoteDialog
from paperterm.tui.screens.tag_dialog import TagChange, TagDialog
from paperterm.tui.widgets.key_footer import KeyFooter
from paperterm.tui.widgets.paper_detail import EMPTY_STORE_HINT, PaperDetail
from paperterm.tui.widgets.paper_list import PaperList
from paperterm.tui.widgets.search_bar import SearchBar
from paperterm.tui.widgets.status_header import StatusHeader
from paperterm.undo import describe

if TYPE_CHECKING:
    from paperterm.tui.app import PapertermApp

NARROW_WIDTH = 110
PENDING_AFTER = 0.15  # seconds before a running search shows "…" by its count

_BIBTEX = "paperterm:bibtex"  # the BibTeX entry's value in the y picker (links are http(s))

MAIN_BINDINGS: list[Binding] = [
    Binding("slash", "search", "Search", id="main.search"),
    Binding("s", "star", "Star", id="main.star"),
    Binding("r", "toggle_read", "Read/unread", id="main.read"),
    Binding("space", "read_next", "Read+next", id="main.read_next"),
    Binding("n", "next_unread", "Next unread", show=False, id="main.next_unread"),
    Binding("N", "previous_unread", "Prev unread", show=False, id="main.prev_unread"),
    Binding("right_square_bracket", "next_date", "Next date", show=False, id="main.next_date"),
    Binding("left_square_bracket", "previous_date", "Prev date", show=False,
            id="main.prev_date"),
    Binding("t", "tags", "Tags", id="main.tags"),
    Binding("e", "note", "Note", show=False, id="main.note"),
    Binding("A", "mark_all_read", "All read", show=False, id="main.all_read"),
    Binding("u", "undo", "Undo", id="main.undo"),
    Binding("y", "copy_code", "Copy code", id="main.copy_code"),
    Binding("Y", "copy_link", "Copy link", show=False, id="main.copy_link"),
    Binding("o", "open_link", "Open link", show=False, id="main.open"),
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


def _row_title(paper: Paper) -> str:
    return display_title(paper.title[:500])


class MainScreen(Screen[None]):
    """List, detail and search panes with the triage keys."""

    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_BINDINGS)

    def __init__(self) -> None:
        super().__init__(id="main")
        self.query_text = ""
        # paper to select once the first search lands ("": the first row)
        self.pending_keep: str | None = None
        self._pending_timer: Timer | None = None  # shows "…" when a search is slow
        self.waiting_for_index = False  # the current query waits for the search index

    @property
    def papers_app(self) -> PapertermApp:
        """The app, typed."""
        from paperterm.tui.app import PapertermApp

        assert isinstance(self.app, PapertermApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        yield SearchBar(id="search")
        with Container(id="panes"):
            yield PaperList(self.papers_app.lookup_entry, id="papers")
            yield PaperDetail(id="detail")
        # The footer comes after the first results are painted: its dozen keys are a third
        # of the first frame's styling work (see _mount_footer).

    @property
    def paper_list(self) -> PaperList:
        """The list widget."""
        return self.query_one(PaperList)

    @property
    def search_bar(self) -> SearchBar:
        """The search pane."""
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.search_bar.input.results = self.paper_list
        self.paper_list.focus()
        self._apply_layout(self.size.width)
        self.papers_app.start_session(self)

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "narrow")

    # -- showing -----------------------------------------------------------------------

    def show_results(self, ids: list[str], *, keep: str | None = None) -> None:
        """Put ``ids`` in the list and update the count and header."""
        detail = self.query_one(PaperDetail)
        if ids or not self.query_text or not len(self.papers_app.triage.store):
            self.paper_list.empty_text = "No papers."
            detail.hint = EMPTY_STORE_HINT
        else:  # a full store, but nothing matches: say so, and how to get back
            query = sanitize(self.query_text, single_line=True)
            self.paper_list.empty_text = f"No paper matches {query}."
            detail.hint = (f"No paper matches the search {query}. Press / then Escape "
                           "(or Escape here) to clear it and see every paper.")
        papers = self.papers_app.triage.store.papers()  # newest first
        self.paper_list.show_year = bool(papers) and (
            papers[0].newest.year != papers[-1].newest.year)
        self.paper_list.set_ids(ids, keep=keep)
        self.search_bar.show_count(len(ids), len(self.papers_app.triage.store))
        self.search_bar.set_class(bool(self.query_text), "active")
        self.refresh_header()

    def refresh_header(self) -> None:
        """Recompute the counts in the header line."""
        app = self.papers_app
        for_you = app.triage.sort == "for-you" and app.triage.recommender.trained
        note = "sorted for you" if for_you else ""
        self.query_one(StatusHeader).show(app.triage.store.user, app.counts(), note)

    def refresh_current(self) -> None:
        """Repaint the current row, the detail pane and the header after a change."""
        current = self.paper_list.current_id
        if current is not None:
            self.paper_list.refresh_paper(current)
        self.query_one(PaperDetail).show(self.papers_app.entry_or_none(current))
        self.refresh_header()

    @on(PaperHighlighted)
    def _highlighted(self, event: PaperHighlighted) -> None:
        self.query_one(PaperDetail).show(self.papers_app.entry_or_none(event.paper_id))
        self.papers_app.remember_selection(event.paper_id)

    @on(PaperChosen)
    def _chosen(self, event: PaperChosen) -> None:
        # Enter shows a hidden pane: focusing an invisible one left j/k doing nothing
        self.remove_class("detail-hidden")
        self.query_one(PaperDetail).focus()

    # -- search ------------------------------------------------------------------------

    def run_search(self, text: str) -> None:
        """Start a search for ``text`` in a worker; a newer search cancels this one."""
        self.query_text = text
        # "…" only for a search that takes a while: painting it at every key would take the
        # UI thread (and the GIL) from the search it waits for
        if self._pending_timer is not None:
            self._pending_timer.stop()
        self._pending_timer = self.set_timer(PENDING_AFTER, self._show_pending)
        self._search_worker(text, self.papers_app.triage.snapshot())

    def _show_pending(self) -> None:
        self.search_bar.show_count(len(self.paper_list.ids), len(self.papers_app.triage.store),
                                   pending=True)  # fmt: skip

    # described by name: the default repr of a 100,000-paper snapshot takes seconds
    @work(thread=True, exclusive=True, group="search", description="search")
    def _search_worker(self, text: str, snapshot: Snapshot) -> None:
        try:
            ids = self.papers_app.triage.try_search(text, snapshot)
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
        self.call_after_refresh(self._mount_footer)
        self.app.call_after_refresh(self.papers_app.results_shown, bool(event.ids))
        if self.waiting_for_index:  # the app runs it again once the index is ready
            self._show_pending()
            return
        if event.ids is None:
            self.search_bar.show_error(event.error or "invalid query")
            return
        keep = self.pending_keep
        self.show_results(event.ids, keep=keep)
        if not keep or self.paper_list.row_of(keep) is not None or (
            self.papers_app.triage.store.complete
        ):
            self.pending_keep = None  # else the paper may be in a shard not loaded yet
        self.papers_app.remember_query(event.text)

    def _mount_footer(self) -> None:
        if not self.query(KeyFooter):
            self.mount(KeyFooter())

    @on(QueryChanged)
    def _query_changed(self, event: QueryChanged) -> None:
        self.run_search(event.text)

    @on(QuerySubmitted)
    def _query_submitted(self, event: QuerySubmitted) -> None:
        self.paper_list.focus()

    @on(QueryCleared)
    def _query_cleared(self, event: QueryCleared) -> None:
        self.search_bar.input.value = ""
        self.run_search("")
        self.paper_list.focus()

    def action_search(self) -> None:
        self.search_bar.add_class("active")
        self.search_bar.input.focus()

    def action_back(self) -> None:
        if self.focused is not self.paper_list:
            self.paper_list.focus()
        elif self.query_text:
            self._query_cleared(QueryCleared())

    # -- moving ------------------------------------------------------------------------

    def _is_read(self, paper_id: str) -> bool:
        return self.papers_app.triage.store.state(paper_id).read

    def action_next_unread(self) -> None:
        from paperterm.triage import next_unread

        row = next_unread(self.paper_list.ids, self.paper_list.cursor, self._is_read)
        if row is None:
            self.app.notify("No more unread papers below.", timeout=2)
        else:
            self.paper_list.move_to(row)

    def action_previous_unread(self) -> None:
        from paperterm.triage import next_unread

        row = next_unread(self.paper_list.ids, self.paper_list.cursor, self._is_read, step=-1)
        if row is None:
            self.app.notify("No unread papers above.", timeout=2)
        else:
            self.paper_list.move_to(row)

    def _jump_date(self, step: int) -> None:
        ids = self.paper_list.ids
        current = self.paper_list.current_id
        if current is None:
            return
        store = self.papers_app.triage.store
        today = store.get(current).newest
        row = self.paper_list.cursor
        while 0 <= row + step < len(ids):
            row += step
            if store.get(ids[row]).newest != today:
                if step < 0:  # go to the first paper of that earlier-listed date
                    day = store.get(ids[row]).newest
                    while row > 0 and store.get(ids[row - 1]).newest == day:
                        row -= 1
                self.paper_list.move_to(row)
                return
        self.app.notify("No other digest date in this direction.", timeout=2)

    def action_next_date(self) -> None:
        self._jump_date(1)

    def action_previous_date(self) -> None:
        self._jump_date(-1)

    def action_toggle_detail(self) -> None:
        self.toggle_class("detail-hidden")

    # -- triage ------------------------------------------------------------------------

    def _current(self) -> str | None:
        current = self.paper_list.current_id
        if current is None:
            self.app.notify("No paper selected.", severity="warning", timeout=2)
        return current

    def _act(self, action: Callable[[], str | None], *, announce: bool = True) -> bool:
        """Run one store-changing action, reporting failure instead of losing it silently.

        Returns True when the change was saved.
        """
        try:
            label = action()
        except PapertermError as error:
            self.app.notify(str(error), title="Not saved", severity="error", timeout=8)
            return False
        self.refresh_current()
        if label and announce:
            self.app.notify(label, timeout=2)
        self.papers_app.marks_changed()
        return True

    def action_star(self) -> None:
        if (pid := self._current()) is not None:
            self._act(lambda: self.papers_app.triage.toggle_star(pid))

    def action_toggle_read(self) -> None:
        if (pid := self._current()) is not None:
            self._act(lambda: self.papers_app.triage.toggle_read(pid))

    def action_read_next(self) -> None:
        pid = self._current()
        if pid is None:
            return
        if not self._is_read(pid):
            self._act(lambda: self.papers_app.triage.mark_read([pid]), announce=False)
        self.action_next_unread()

    def action_undo(self) -> None:
        triage = self.papers_app.triage
        if not triage.can_undo:
            self.app.notify("Nothing to undo.", timeout=2)
            return
        try:
            undone = triage.undo()
        except PapertermError as error:
            self.app.notify(str(error), title="Not saved", severity="error", timeout=8)
            return
        if undone is None:
            return
        # go to the paper the undo changed (the highest in the list, for a bulk undo)
        rows = [row for pid in undone.paper_ids
                if (row := self.paper_list.row_of(pid)) is not None]
        if rows:
            self.paper_list.move_to(min(rows))
        titles = {pid: _row_title(triage.store.get(pid)) for pid in undone.paper_ids[:1]}
        self.refresh_current()
        self.paper_list.refresh()
        self.app.notify(describe(undone, titles, width=self._title_room()),
                        timeout=6 if undone.kept else 3)

    def _title_room(self) -> int:
        """How much of a title fits in a toast: a third of the screen, 20 to 40 cells."""
        return max(20, min(40, self.size.width // 3))

    def action_mark_all_read(self) -> None:
        ids = [pid for pid in self.paper_list.ids if not self._is_read(pid)]
        if not ids:
            self.app.notify("Every paper in this view is already read.", timeout=2)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(lambda: self.papers_app.triage.mark_read(ids))
                self.paper_list.refresh()

        question = f"Mark {plural(len(ids), 'unread paper')} in this view as read?"
        self.app.push_screen(ConfirmDialog(question), answered)

    def action_tags(self) -> None:
        pid = self._current()
        if pid is None:
            return
        entry = self.papers_app.triage.entry(pid)

        def answered(change: TagChange | None) -> None:
            if change is not None:
                self._act(lambda: self.papers_app.triage.change_tags(
                    pid, change.add, change.remove))

        self.app.push_screen(
            TagDialog(entry.paper.title, entry.state.tags,
                      self.papers_app.triage.store.all_tags()),
            answered,
        )

    def action_note(self) -> None:
        pid = self._current()
        if pid is None:
            return
        entry = self.papers_app.triage.entry(pid)

        def answered(note: str | None) -> None:
            if note is None or note == entry.state.note:
                return
            if not self._act(lambda: self.papers_app.triage.set_note(pid, note)):
                # not saved (full disk, ...): give the typed text back rather than lose it
                self.app.push_screen(NoteDialog(entry.paper.title, note), answered)

        self.app.push_screen(NoteDialog(entry.paper.title, entry.state.note), answered)

    # -- links ---------------------------------------------------------------------------

    def _with_link(self, *, code_only: bool, then: str, pages: bool = False) -> None:
        """Copy or open a link of the current paper, picking one when there are several:
        its code links (``code_only``; with ``pages`` its arXiv and HF pages too), falling
        back to every link when it has none of those."""
        pid = self._current()
        if pid is None:
            return
        paper = self.papers_app.triage.store.get(pid)
        # only http(s) links, percent-encoded like the Markdown export's: nothing else is
        # ever copied or opened
        links = tuple(Link(url, link.kind) for link in paper_links(paper)
                      if (url := safe_url(link.url)) is not None)  # fmt: skip
        wanted = ("code", "arxiv", "hf") if pages else ("code",)
        code = tuple(link for link in links if link.kind in wanted)
        if then == "copy" and code_only and not code:
            # y is for code only: a project page copied as "the code" misleads
            any_link = self.papers_app.key_display("main.copy_link")
            message = (f"This paper has no code link; {any_link} copies any link."
                       if links else "This paper has no links.")
            self.app.notify(message, severity="warning", timeout=3)
            return
        choices = code if (code_only and code) else links
        if not choices and (code_only or then != "copy"):
            self.app.notify("This paper has no links.", severity="warning", timeout=3)
            return

        def use(url: str | None) -> None:
            if url is None:
                return
            if then == "copy":
                self.papers_app.copy_text(url)
            else:
                self.papers_app.open_link(url)

        if then == "copy" and not code_only:  # Y: any link, or the BibTeX entry
            self.app.push_screen(
                LinkPicker("Copy which?", choices, extras=(("BibTeX", _BIBTEX),)),
                self._bibtex_or_url(self.papers_app.triage.entry(pid)),
            )
        elif len(choices) == 1:
            use(choices[0].url)
        else:
            verb = "Copy" if then == "copy" else "Open"
            self.app.push_screen(LinkPicker(f"{verb} which link?", choices), use)

    def action_copy_code(self) -> None:
        self._copy_code_or_bibtex()

    def action_copy_link(self) -> None:
        self._with_link(code_only=False, then="copy")

    def action_open_link(self) -> None:
        self._with_link(code_only=True, then="open", pages=True)

    def action_cycle_sort(self) -> None:
        """Relevance -> date -> upvotes -> for you -> relevance; remembered for the next
        session."""
        try:
            sort = self.papers_app.triage.cycle_sort()
        except PapertermError as error:
            self.app.notify(str(error), severity="error")
            return
        self._sorted(sort)

    def action_export_view(self) -> None:
        self.papers_app.choose_export(list(self.paper_list.ids), self.query_text)

    def _copy_code_or_bibtex(self) -> None:
        """``y``: the paper's one code link at once; with several or none, a picker of its
        code links and its BibTeX entry."""
        pid = self._current()
        if pid is None:
            return
        entry = self.papers_app.triage.entry(pid)
        urls = (link.url for link in paper_links(entry.paper) if link.kind == "code")
        safe = dict.fromkeys(url for raw in urls if (url := safe_url(raw)) is not None)
        code = tuple(Link(url, "code") for url in safe)
        if len(code) == 1:  # the morning's common case stays one key
            self.papers_app.copy_text(code[0].url)
            return
        any_link = self.papers_app.key_display("main.copy_link")
        hint = "" if code else f"This paper has no code link ({any_link} copies any link)."
        self.app.push_screen(LinkPicker("Copy which?", code, extras=(("BibTeX", _BIBTEX),),
                                        hint=hint), self._bibtex_or_url(entry))  # fmt: skip

    def _bibtex_or_url(self, entry: Entry) -> Callable[[str | None], None]:
        """What a copy picker does with its answer: the BibTeX entry, a URL, or nothing."""

        def use(choice: str | None) -> None:
            if choice == _BIBTEX:
                key, bibtex = bibtex_of(entry)
                self.papers_app.copy_text(bibtex, label=f"BibTeX entry {key}")
            elif choice is not None:
                self.papers_app.copy_text(choice)

        return use

    def action_help(self) -> None:
        self.papers_app.action_show_keys()

    # -- related papers, sorts, saved searches -------------------------------------------

    def action_related(self) -> None:
        from paperterm.tui.screens.related import RelatedScreen

        pid = self._current()
        if pid is None:
            return
        triage = self.papers_app.triage
        screen = RelatedScreen(triage, pid, triage.store.get(pid).title, triage.snapshot())
        self.app.push_screen(screen, self.jump_to)

    def jump_to(self, paper_id: str | None) -> None:
        """Select ``paper_id``: in the list when it is there, else after clearing the filter."""
        if paper_id is None:
            return
        row = self.paper_list.row_of(paper_id)
        if row is not None:
            self.paper_list.move_to(row)
            return
        self.pending_keep = paper_id
        self.set_query("")

    def set_query(self, text: str) -> None:
        """Show ``text`` in the search box and run it."""
        with self.search_bar.input.prevent(Input.Changed):
            self.search_bar.input.value = text
        self.run_search(text)

    def set_sort(self, sort: Sort) -> None:
        """Order the view by ``sort`` (``paperterm.sorting.SORTS``), remembered."""
        try:
            self.papers_app.triage.set_sort(sort)
        except PapertermError as error:
            self.app.notify(str(error), severity="error")
            return
        self._sorted(sort)

    def _sorted(self, sort: Sort) -> None:
        self.pending_keep = self.paper_list.current_id
        if sort == "for-you":
            self.papers_app.train_for_you(announce=True)  # re-runs the search once trained
        else:
            self.run_search(self.query_text)
            self.app.notify(f"Sorted by {sort}", timeout=2)

    def action_recall_search(self, number: int) -> None:
        searches = self.papers_app.triage.saved_searches()
        if not 1 <= number <= len(searches):
            self.app.notify(f"No saved search {number} (save one from the palette: "
                            "Save search…).", timeout=3)  # fmt: skip
            return
        name, query = searches[number - 1]
        self.set_query(query)
        self.app.notify(f"@{name}: {query or '(every paper)'}", timeout=2)

    def action_save_search(self) -> None:
        from paperterm.tui.screens.dialogs import PromptDialog

        query = self.query_text

        def answered(name: str | None) -> None:
            if not name:
                return
            try:
                saved = self.papers_app.triage.save_search(name, query)
            except PapertermError as error:
                self.app.notify(str(error), title="Not saved", severity="error", timeout=6)
                return
            number = [n for n, _ in self.papers_app.triage.saved_searches()].index(saved) + 1
            key = f" (key {number})" if number <= 9 else ""
            self.app.notify(f"Saved search @{saved}{key}: {query or '(every paper)'}",
                            timeout=4)  # fmt: skip

        self.app.push_screen(PromptDialog(f"Save the search {query!r} as:",
                                          placeholder="morning"), answered)  # fmt: skip

"""The main screen's triage keys: moving by unread paper and by date, star, read, tags,
note, mark all read and undo."""

from __future__ import annotations

from textual.binding import Binding

from paperterm.errors import PapertermError
from paperterm.text import display_title, plural
from paperterm.triage import next_unread
from paperterm.tui.screens.dialogs import ConfirmDialog, NoteDialog
from paperterm.tui.screens.reader_base import ReaderScreen
from paperterm.tui.screens.tag_dialog import TagChange, TagDialog
from paperterm.undo import describe

TRIAGE_BINDINGS: list[Binding] = [
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
]


class TriageActions(ReaderScreen):
    """Keys that change or move by the user's marks."""

    # -- moving ------------------------------------------------------------------------

    def action_next_unread(self) -> None:
        row = next_unread(self.paper_list.ids, self.paper_list.cursor, self.is_read)
        if row is None:
            self.app.notify("No more unread papers below.", timeout=2)
        else:
            self.paper_list.move_to(row)

    def action_previous_unread(self) -> None:
        row = next_unread(self.paper_list.ids, self.paper_list.cursor, self.is_read, step=-1)
        if row is None:
            self.app.notify("No unread papers above.", timeout=2)
        else:
            self.paper_list.move_to(row)

    def _jump_date(self, step: int) -> None:
        ids = self.paper_list.ids
        current = self.paper_list.current_id
        if current is None:
            return
        paper = self.session.paper
        today = paper(current).newest
        row = self.paper_list.cursor
        while 0 <= row + step < len(ids):
            row += step
            if paper(ids[row]).newest != today:
                if step < 0:  # go to the first paper of that earlier-listed date
                    day = paper(ids[row]).newest
                    while row > 0 and paper(ids[row - 1]).newest == day:
                        row -= 1
                self.paper_list.move_to(row)
                return
        self.app.notify("No other digest date in this direction.", timeout=2)

    def action_next_date(self) -> None:
        self._jump_date(1)

    def action_previous_date(self) -> None:
        self._jump_date(-1)

    # -- marks -------------------------------------------------------------------------

    def action_star(self) -> None:
        if (pid := self.current()) is not None:
            self.act(lambda: self.session.toggle_star(pid))

    def action_toggle_read(self) -> None:
        if (pid := self.current()) is not None:
            self.act(lambda: self.session.toggle_read(pid))

    def action_read_next(self) -> None:
        pid = self.current()
        if pid is None:
            return
        if not self.is_read(pid):
            self.act(lambda: self.session.mark_read([pid]), announce=False)
        self.action_next_unread()

    def action_undo(self) -> None:
        triage = self.session
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
        titles = {pid: display_title(triage.paper(pid).title[:500])
                  for pid in undone.paper_ids[:1]}  # fmt: skip
        self.refresh_current()
        self.paper_list.refresh()
        self.app.notify(describe(undone, titles, width=self._title_room()),
                        timeout=6 if undone.kept else 3)
        self.marks_changed()

    def _title_room(self) -> int:
        """How much of a title fits in a toast: a third of the screen, 20 to 40 cells."""
        return max(20, min(40, self.size.width // 3))

    def action_mark_all_read(self) -> None:
        ids = [pid for pid in self.paper_list.ids if not self.is_read(pid)]
        if not ids:
            self.app.notify("Every paper in this view is already read.", timeout=2)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(lambda: self.session.mark_read(ids))
                self.paper_list.refresh()

        question = f"Mark {plural(len(ids), 'unread paper')} in this view as read?"
        self.app.push_screen(ConfirmDialog(question), answered)

    def action_tags(self) -> None:
        pid = self.current()
        if pid is None:
            return
        entry = self.session.entry(pid)

        def answered(change: TagChange | None) -> None:
            if change is not None:
                self.act(lambda: self.session.change_tags(pid, change.add, change.remove))

        self.app.push_screen(TagDialog(entry.paper.title, entry.state.tags,
                                       self.session.tags()), answered)  # fmt: skip

    def action_note(self) -> None:
        pid = self.current()
        if pid is None:
            return
        entry = self.session.entry(pid)

        def answered(note: str | None) -> None:
            if note is None or note == entry.state.note:
                return
            if not self.act(lambda: self.session.set_note(pid, note)):
                # not saved (full disk, ...): give the typed text back rather than lose it
                self.app.push_screen(NoteDialog(entry.paper.title, note), answered)

        self.app.push_screen(NoteDialog(entry.paper.title, entry.state.note), answered)

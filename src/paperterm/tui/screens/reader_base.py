"""What the main screen's groups of actions share: the session, the desk, the list and the
one way a store-changing action reports its outcome."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.timer import Timer

from paperterm.errors import PapertermError
from paperterm.triage import Triage
from paperterm.tui.desk import Desk
from paperterm.tui.frames import FrameTimer, frame_timer
from paperterm.tui.widgets.paper_detail import PaperDetail
from paperterm.tui.widgets.paper_list import PaperList


class ReaderScreen(Screen[None]):
    """A screen over one ``Triage`` session (given, never looked up) and the app's desk."""

    def __init__(self, session: Triage, desk: Desk) -> None:
        super().__init__()
        self.session = session
        self.desk = desk
        self.query_text = ""  # the query the list shows (or is searching for)
        # the paper to select once a search lands ("": the first row; None: keep the
        # current one): the saved selection at start, a paper jumped to, the one re-sorted
        self.keep: str | None = None
        self._frames: FrameTimer | None = None  # made when first asked for, as Textual's

    @property
    def _update_timer(self) -> Timer:
        # Textual's screen repaints from this timer: ours paints a search's results at the
        # next frame after the typed letter's, not one later (see paperterm.tui.frames)
        if self._frames is None:
            self._frames = frame_timer(self)
        return self._frames

    def run_search(self, text: str) -> None:
        """Search for ``text`` and show the results (the main screen's search)."""
        raise NotImplementedError

    def set_query(self, text: str) -> None:
        """Show ``text`` in the search box and run it (the main screen's search)."""
        raise NotImplementedError

    @property
    def paper_list(self) -> PaperList:
        """The list widget."""
        return self.query_one(PaperList)

    def refresh_header(self) -> None:
        """Recompute the header line (the main screen draws it)."""

    def refresh_current(self) -> None:
        """Repaint the current row, the detail pane and the header after a change."""
        current = self.paper_list.current_id
        if current is not None:
            self.paper_list.refresh_paper(current)
        self.query_one(PaperDetail).show(self.session.entry_or_none(current))
        self.refresh_header()

    def marks_changed(self) -> None:
        """A star, tag, read mark or note changed (``OrderActions`` retrains "for you")."""

    def current(self) -> str | None:
        """The selected paper's id; None (and a toast saying so) when there is none."""
        current = self.paper_list.current_id
        if current is None:
            self.app.notify("No paper selected.", severity="warning", timeout=2)
        return current

    def act(self, action: Callable[[], str | None], *, announce: bool = True) -> bool:
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
        self.marks_changed()
        return True

    def is_read(self, paper_id: str) -> bool:
        """Whether the user has read the paper."""
        return self.session.state(paper_id).read

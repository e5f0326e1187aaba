"""Result orders on the main screen: ``S`` and the palette's sorts, and "for you", learned
in a worker from the user's marks and again soon after each change."""

from __future__ import annotations

from textual import work
from textual.timer import Timer

from paperterm.errors import PapertermError
from paperterm.recommend import FOR_YOU
from paperterm.sorting import Sort
from paperterm.triage import Snapshot, Triage
from paperterm.tui.handoff import Handoff
from paperterm.tui.screens.reader_base import ReaderScreen

RETRAIN_AFTER = 0.5  # seconds after the last star or tag before "for you" learns again


class OrderActions(ReaderScreen):
    """Sort the view; keep the "for you" profile current."""

    _train_timer: Timer | None = None

    def action_cycle_sort(self) -> None:
        """Relevance -> date -> upvotes -> for you -> relevance; remembered."""
        try:
            sort = self.session.cycle_sort()
        except PapertermError as error:
            self.app.notify(str(error), severity="error")
            return
        self._sorted(sort)

    def set_sort(self, sort: Sort) -> None:
        """Order the view by ``sort`` (``paperterm.sorting.SORTS``), remembered."""
        try:
            self.session.set_sort(sort)
        except PapertermError as error:
            self.app.notify(str(error), severity="error")
            return
        self._sorted(sort)

    def _sorted(self, sort: Sort) -> None:
        self.keep = self.paper_list.current_id
        if sort == FOR_YOU:
            self.train_for_you(announce=True)  # re-runs the search once trained
        else:
            self.run_search(self.query_text)
            self.app.notify(f"Sorted by {sort}", timeout=2)

    def train_for_you(self, *, announce: bool = False) -> None:
        """Learn the user's "for you" profile in a worker, then re-sort the view."""
        self._train_worker(self.session, Handoff(self.session.snapshot()), announce)

    @work(thread=True, exclusive=True, group="for-you", description="train for you")
    def _train_worker(
        self, session: Triage, snapshot: Handoff[Snapshot], announce: bool
    ) -> None:
        why_not = session.train_for_you(snapshot.take())
        self.app.call_from_thread(self._trained, session, why_not, announce)

    def _trained(self, session: Triage, why_not: str | None, announce: bool) -> None:
        if session is not self.session or session.sort != FOR_YOU:
            return
        if why_not is not None:
            self.app.notify(why_not, severity="warning", timeout=5)
        elif announce:
            self.app.notify("Sorted for you: most like what you starred and tagged first.",
                            timeout=3)  # fmt: skip
        self.run_search(self.query_text)

    def marks_changed(self) -> None:
        """A star, tag, read mark or note changed: "for you" learns again, soon."""
        if self.session.sort != FOR_YOU:
            return
        if self._train_timer is not None:
            self._train_timer.stop()
        self._train_timer = self.set_timer(RETRAIN_AFTER, self.train_for_you)

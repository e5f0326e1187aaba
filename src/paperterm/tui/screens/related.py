"""The related-papers dialog: the papers most like the selected one, each with its reason.

The papers are found in a worker (the first time, the term vectors may have to be loaded or
built); Enter returns the chosen paper's id to the main screen, which jumps to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from paperterm.errors import PapertermError
from paperterm.recommend import RelatedPaper
from paperterm.text import display_title, sanitize
from paperterm.triage import Snapshot

if TYPE_CHECKING:
    from paperterm.triage import Triage

RELATED_LIMIT = 20


def related_label(hit: RelatedPaper) -> Text:
    """Two lines: the title, then the score, the reason, the authors and code (with its
    GitHub stars) when known."""
    label = Text(display_title(hit.paper.title), style="bold")
    details = [f"{hit.score:.2f}", sanitize(hit.reason, single_line=True)]
    authors = hit.paper.meta.authors
    if authors:
        more = f" +{len(authors) - 2}" if len(authors) > 2 else ""
        details.append(sanitize(", ".join(authors[:2]), single_line=True) + more)
    if hit.paper.code_url:
        stars = hit.paper.meta.github_stars
        details.append("code" if stars is None or not hit.paper.meta.github_repo
                       else f"code ★{stars}")  # fmt: skip
    label.append("\n  " + " · ".join(details), style="dim")
    return label


class RelatedScreen(ModalScreen[str | None]):
    """Papers related to one paper; Enter jumps to one, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Close", id="related.close"),
        Binding("j", "down", "Down", show=False, id="related.down"),
        Binding("k", "up", "Up", show=False, id="related.up"),
    ]

    def __init__(self, triage: Triage, paper_id: str, title: str, snapshot: Snapshot) -> None:
        super().__init__(classes="dialog-screen")
        self.triage = triage
        self.paper_id = paper_id
        self.paper_title = title
        self.snapshot = snapshot
        self.hits: list[RelatedPaper] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog related-dialog"):
            yield Static(Text("Related to: " + display_title(self.paper_title)),
                         classes="dialog-title")  # fmt: skip
            yield Label("Finding related papers…", id="related-status")
            yield OptionList(id="related-options")
            yield Label("j/k or arrows: move    Enter: go to paper    Escape: close",
                        classes="dialog-hint")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._find(self.triage, self.paper_id, self.snapshot)

    @work(thread=True, exclusive=True, group="related", description="related papers")
    def _find(self, triage: Triage, paper_id: str, snapshot: Snapshot) -> None:
        try:
            hits = triage.related(paper_id, snapshot, RELATED_LIMIT)
        except PapertermError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show, hits)

    def _failed(self, message: str) -> None:
        self.query_one("#related-status", Label).update(Text(message))

    def _show(self, hits: list[RelatedPaper]) -> None:
        self.hits = hits
        status = self.query_one("#related-status", Label)
        if not hits:
            status.update("No related papers: nothing else shares its key terms.")
            return
        status.update(f"{len(hits)} most similar papers, by shared key terms:")
        options = self.query_one(OptionList)
        options.add_options(
            [Option(related_label(hit), id=str(n)) for n, hit in enumerate(hits)]
        )
        options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.hits[int(event.option.id or 0)].paper.id)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

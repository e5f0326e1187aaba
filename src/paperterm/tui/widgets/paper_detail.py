"""The detail pane: everything about one paper, its abstract wrapped to the pane.

All digest text is put into ``rich.text.Text`` objects built from plain strings, never parsed
as markup, so brackets and tags in a title show exactly as typed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from paperterm.model import Entry
from paperterm.paper_info import meta_facts, paper_links
from paperterm.text import clean_tex, display_title, sanitize

ABSTRACT_SHOWN = 20_000
"""The pane shows at most this many characters of an abstract (about ten screens at 160
columns): wrapping a megabyte-long one took seconds on every move onto or off it."""
TITLE_SHOWN = 2_000  # a title is cut too, for the same reason

EMPTY_STORE_HINT = "No papers yet. Import a digest with ctrl+p → Import."


def detail_text(entry: Entry | None, hint: str = EMPTY_STORE_HINT) -> Text:
    """The rich Text shown for ``entry`` (``hint`` when nothing is selected)."""
    if entry is None:
        return Text(hint, style="dim")
    paper, state = entry.paper, entry.state
    text = Text()
    text.append(display_title(paper.title[:TITLE_SHOWN]), style="bold")
    text.append("\n")
    marks = []
    if state.starred:
        marks.append("★ starred")
    marks.append("read" if state.read else "unread")
    marks.append(f"id {paper.id}")
    text.append(" · ".join(marks), style="dim")
    text.append("\n")
    text.append("Digests: ", style="dim")
    text.append(", ".join(d.strftime("%a %d %b %Y") for d in reversed(paper.dates)))
    text.append("\n")
    for label, value in meta_facts(paper.meta):
        text.append(f"{label}: ", style="dim")
        text.append(sanitize(value, single_line=True))
        text.append("\n")
    if state.tags:
        text.append("Tags: ", style="dim")
        text.append(" ".join("#" + sanitize(t, single_line=True) for t in state.tags),
                    style="bold")
        text.append("\n")
    if state.note:
        text.append("Note: ", style="dim")
        text.append(sanitize(state.note), style="italic")
        text.append("\n")
    links = paper_links(paper)
    if links:
        text.append("\n")
        for number, link in enumerate(links, 1):
            text.append(f"[{number}] ", style="dim")
            text.append(f"{link.kind:<8}", style="bold" if link.kind == "code" else "")
            text.append(sanitize(link.url, single_line=True), style="underline")
            text.append("\n")
    text.append("\n")
    abstract = sanitize(clean_tex(paper.abstract[:ABSTRACT_SHOWN]))
    text.append(abstract if abstract else "(no abstract in the digest)")
    if len(paper.abstract) > ABSTRACT_SHOWN:
        text.append(f"… (the first {ABSTRACT_SHOWN:,} of {len(paper.abstract):,} characters; "
                    f"`paperterm show {paper.id}` prints it all)", style="dim italic")
    return text


class PaperDetail(VerticalScroll, can_focus=True):
    """Scrollable detail of the highlighted paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail.up"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(detail_text(None), id="detail-body")

    _shown: Entry | bool | None = False  # what show() last displayed (False: nothing yet)

    hint = EMPTY_STORE_HINT
    """What the pane says when no paper is selected (the screen sets it)."""

    _wanted: Entry | None = None  # what the next repaint shows (``show``)
    _due = False  # a repaint of the pane is scheduled

    def show(self, entry: Entry | None) -> None:
        """Display ``entry`` (or the hint) and scroll back to the top, right after the
        next repaint of the screen.

        The pane follows the list: a search's results, or the cursor's move, are painted
        first, and the abstract (wrapped, laid out, with its own scrollbar: the dearest
        part of a frame) a frame later; shows asked for meanwhile (keys typed fast) make
        one repaint, of the last. The same entry again (a search re-run left the cursor on
        it, nothing changed) is not laid out again.
        """
        self._wanted = entry
        if not self._due:
            self._due = True
            self.call_after_refresh(self._show_wanted)

    def _show_wanted(self) -> None:
        self._due = False
        entry = self._wanted
        if self._shown is not False and entry == self._shown and entry is not None:
            return
        self._shown = entry
        self.query_one("#detail-body", Static).update(detail_text(entry, self.hint))
        self.scroll_home(animate=False)

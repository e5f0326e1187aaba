"""The paper list: a Line API widget that renders only the rows on screen.

It holds ids, not widgets, and looks each visible row up on demand, so a list of 100,000
papers costs the same per frame as a list of forty. Rendered rows are cached by everything
that affects them (paper, state, cursor, width, focus).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from paperterm.model import Entry
from paperterm.tui.messages import PaperChosen, PaperHighlighted
from paperterm.tui.widgets.paper_row import STAR_MARK as STAR_MARK  # the tests' mark
from paperterm.tui.widgets.paper_row import RowStyles, row_strip

EntryLookup = Callable[[str], Entry]


class PaperList(ScrollView, can_focus=True):
    """A virtual list of papers with a cursor; posts PaperHighlighted and PaperChosen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("ctrl+d,pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("ctrl+u,pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("enter", "choose", "Details", id="list.choose"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--star",
        "paper-list--meta",
        "paper-list--tag",
        "paper-list--code",
        "paper-list--empty",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(
        self,
        lookup: EntryLookup,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lookup = lookup
        self._ids: list[str] = []
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._empty_text = "No papers."
        # dates carry their year when the store spans several (the screen sets it) or
        # when a row's date is not of this year
        self._show_year = False
        self._this_year = dt.date.today().year
        self._base_style: Style | None = None  # the widget's style, during one repaint
        self._bars_for = Size(0, 0)  # the virtual size the scrollbars were last updated for

    @property
    def empty_text(self) -> str:
        """What the list says when it shows no paper."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        if text != self._empty_text:
            self._empty_text = text
            if not self._ids:
                self.refresh()

    @property
    def show_year(self) -> bool:
        """Whether every row's date shows its year (the screen sets it)."""
        return self._show_year

    @show_year.setter
    def show_year(self, value: bool) -> None:
        if value != self._show_year:
            self._show_year = value
            self.refresh()

    # -- data --------------------------------------------------------------------------

    @property
    def ids(self) -> Sequence[str]:
        """The ids shown, in order."""
        return self._ids

    @property
    def current_id(self) -> str | None:
        """The id under the cursor, or None when the list is empty."""
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    def set_ids(self, ids: Sequence[str], *, keep: str | None = None) -> None:
        """Show ``ids``; the cursor stays on ``keep`` (default: the current paper) if shown,
        else it starts at the first row."""
        keep = keep if keep is not None else self.current_id
        shown = self._ids
        self._ids = list(ids)
        self._set_rows(len(self._ids))
        row = (self.row_of(keep) if keep else 0) or 0
        # Only the rows on screen that now show another paper are painted again: while a
        # query is typed, most of them often show the papers of the previous keystroke.
        # (The row cache stays too: its keys hold all a row depends on.)
        self._refresh_changed(shown)
        self.move_to(max(row, 0))

    def _set_rows(self, count: int) -> None:
        """Make the list ``count`` rows long.

        A new ``virtual_size`` lays the whole screen out again and repaints every widget;
        when the scrollbar stays (or stays away), only its thumb changes, so the size is
        set without that and the scrollbar alone is updated.
        """
        size = Size(self.size.width, count)
        old = self.virtual_size
        if size == old:
            return
        height = self.container_size.height
        # Textual's own update of the scrollbars for a new size (a private method: without
        # it, in another Textual, the size is set with the layout)
        update = getattr(self, "_scroll_update", None)
        if update is not None and self.is_mounted and size.width == old.width and (
            height > 0 and (count > height) == (old.height > height)
        ):
            self.set_reactive(PaperList.virtual_size, size)
            if self._same_bar(old.height, count):
                # the thumb stays where it was (with many rows, the usual case as a query
                # is typed): the bar learns the new length without being painted again
                self.vertical_scrollbar.set_reactive(ScrollBar.window_virtual_size, count)
                self.scroll_y = self.validate_scroll_y(self.scroll_y)
                self._bars_for = size
            else:
                update(size)
        else:
            self.virtual_size = size

    def _same_bar(self, old: int, new: int) -> bool:
        """Whether the vertical scrollbar looks the same for ``new`` rows as for ``old``
        (its thumb drawn in the same cells), at the current scroll position."""
        if not self.show_vertical_scrollbar:
            return old <= self.container_size.height and new <= self.container_size.height
        bar = self.vertical_scrollbar
        if bar.window_virtual_size != old or bar.grabbed:
            return False  # not what the bar shows now, or being dragged

        def look(rows: int) -> list[Segment]:
            window = bar.window_size if bar.window_size < rows else 0
            drawn = bar.renderer.render_bar(
                size=bar.size.height, virtual_size=rows, window_size=window,
                position=bar.position, thickness=bar.thickness, vertical=True)  # fmt: skip
            return list(drawn.segments)

        return look(old) == look(new)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual's layout gives a scroll view the size of its region for a virtual size,
        # which never equals a long list's, and the scrollbars are updated at every layout
        # for it: after each typed letter's, a frame of its own for the scrollbar just when
        # the next results were due. They are updated when the list's length is not the
        # one they were last updated for, or the list's size changed.
        if self.virtual_size == self._bars_for:
            virtual_size = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _scroll_update(self, virtual_size: Size) -> None:
        self._bars_for = virtual_size
        super()._scroll_update(virtual_size)

    def _refresh_changed(self, shown: Sequence[str]) -> None:
        """Repaint the visible rows whose paper differs from ``shown``'s at that row."""
        ids = self._ids
        if not ids or not shown:
            self.refresh()  # to or from the empty list's message
            return
        top = self.scroll_offset.y
        height = max(self.scrollable_content_region.height, 1)
        changed = [row for row in range(top, top + height)
                   if (ids[row] if row < len(ids) else None)
                   != (shown[row] if row < len(shown) else None)]  # fmt: skip
        if changed:
            self.refresh_lines(changed[0], changed[-1] - changed[0] + 1)

    def row_of(self, paper_id: str) -> int | None:
        """The row showing ``paper_id``, or None."""
        # list.index scans in C: no dict of every row to build for each search result
        # (building one was most of a keystroke's work on a large store)
        try:
            return self._ids.index(paper_id)
        except ValueError:
            return None

    def refresh_paper(self, paper_id: str) -> None:
        """Repaint the row of one paper after its state changed."""
        row = self.row_of(paper_id)
        if row is not None:
            self.refresh_line(row)  # a row of the list: ScrollView takes the scroll off

    def move_to(self, row: int) -> None:
        """Put the cursor on ``row`` (clamped) and scroll it into view."""
        if not self._ids:
            self.cursor = 0
            return
        self.cursor = max(0, min(row, len(self._ids) - 1))

    # -- reactive ----------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        # the two rows the cursor left and reached (a scroll repaints the rest)
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()
        self.post_message(PaperHighlighted(self.current_id))

    def _scroll_cursor_into_view(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        # the content's width, as ``_set_rows`` gives it: the event's (the border's too)
        # made the next search's rows look like a new width, and lay the screen out again
        self.virtual_size = Size(self.size.width, len(self._ids))
        self._cache.clear()
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- actions -----------------------------------------------------------------------

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self._ids) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def action_choose(self) -> None:
        if self.current_id is not None:
            self.post_message(PaperChosen(self.current_id))

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._ids):
            self.move_to(row)
            if event.chain >= 2:
                self.action_choose()

    # -- rendering ---------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # the widget's style once per repaint, not once per row: Textual computes it from
        # every ancestor's background each time it is asked
        self._base_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        base = self._base_style or self.rich_style
        if not self._ids:
            if y == 0:
                style = self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(set_cell_size(" " + self.empty_text, width), base + style)])
            return Strip.blank(width, base)
        if row >= len(self._ids):
            return Strip.blank(width, base)
        entry = self._lookup(self._ids[row])
        key = (entry.paper, entry.state, row == self.cursor, width, self.has_focus,
               self.show_year)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(entry, row == self.cursor, width)
            self._cache[key] = strip
        return strip

    def _render_row(self, entry: Entry, selected: bool, width: int) -> Strip:
        style = self.get_component_rich_style
        styles = RowStyles(
            base=self._base_style or self.rich_style,
            unread=style("paper-list--unread"), read=style("paper-list--read"),
            star=style("paper-list--star"), meta=style("paper-list--meta"),
            tag=style("paper-list--tag"), code=style("paper-list--code"),
            cursor=style("paper-list--cursor") if selected else Style(),
        )  # fmt: skip
        return row_strip(entry, width, styles, show_year=self.show_year,
                         this_year=self._this_year)  # fmt: skip

"""One row of the paper list, laid out to a width: marks, title, tags, date, code mark.

Pure layout over Rich styles, so the list widget only decides which rows to draw and with
which styles (its component classes); the row's text is cleaned here, never trusted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from paperterm.model import Entry
from paperterm.text import display_title, sanitize

UNREAD_MARK = "●"
STAR_MARK = "★"
CODE_MARK = "</>"

TITLE_CHARS = 1_000  # more than any row is wide: cleaning a huge title costs each repaint
MIN_TITLE = 10
"""Below this many cells for the title, the row drops its tags (then its date) first."""


@dataclass(frozen=True, slots=True)
class RowStyles:
    """The styles of a row's parts; ``cursor`` goes on top of each (empty when not selected)."""

    base: Style
    unread: Style
    read: Style
    star: Style
    meta: Style
    tag: Style
    code: Style
    cursor: Style


def row_title(entry: Entry) -> str:
    """The paper's title as one clean line, cut to what a row could ever show."""
    return display_title(entry.paper.title[:TITLE_CHARS])


def date_text(date: dt.date, *, show_year: bool, this_year: int) -> str:
    """``Sep 09``, with the year when asked for or when it is not this year's."""
    if show_year or date.year != this_year:
        return date.strftime("%b %d %Y")
    return date.strftime("%b %d")


def row_strip(
    entry: Entry, width: int, styles: RowStyles, *, show_year: bool, this_year: int
) -> Strip:
    """The row of ``entry`` exactly ``width`` cells wide."""
    state = entry.state
    text_style = styles.read if state.read else styles.unread
    right: list[tuple[str, Style]] = []
    if state.tags:
        tags = " ".join("#" + sanitize(t, single_line=True) for t in state.tags)
        limit = max(width // 4, 8)
        if cell_len(tags) > limit:
            tags = set_cell_size(tags, limit - 1) + "…"
        right.append((" " + tags, styles.tag))
    right.append(
        (" " + date_text(entry.paper.newest, show_year=show_year, this_year=this_year),
         styles.meta)
    )  # fmt: skip
    code = entry.paper.code_url is not None
    right.append((" " + (CODE_MARK if code else " " * len(CODE_MARK)) + " ", styles.code))
    left: list[tuple[str, Style]] = [
        (" " + (" " if state.read else UNREAD_MARK), text_style),
        (" " + (STAR_MARK if state.starred else " ") + " ", styles.star),
    ]
    used = sum(cell_len(text) for text, _ in left) + sum(cell_len(t) for t, _ in right)
    title_width = width - used
    if title_width < MIN_TITLE:
        right = right[-1:] if title_width + cell_len(right[0][0]) >= MIN_TITLE else []
        used = sum(cell_len(text) for text, _ in left) + sum(cell_len(t) for t, _ in right)
        title_width = max(width - used, 0)
    title = row_title(entry)
    if cell_len(title) > title_width and title_width > 1:
        title = set_cell_size(title, title_width - 1) + "…"
    else:
        title = set_cell_size(title, title_width)
    parts = [*left, (title, text_style), *right]
    # The cursor goes on top of each part's own style (which carries a background too).
    base, cursor = styles.base, styles.cursor
    segments = [Segment(text, base + style + cursor) for text, style in parts]
    return Strip(segments).adjust_cell_length(width, base + cursor)

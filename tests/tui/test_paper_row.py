"""One row of the paper list: always exactly the width, marks and cuts where they belong."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style

from paperterm.model import Entry, Link, Paper, PaperState
from paperterm.tui.widgets.paper_row import (
    CODE_MARK,
    STAR_MARK,
    UNREAD_MARK,
    RowStyles,
    date_text,
    row_strip,
)

PLAIN = Style()
STYLES = RowStyles(PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN, PLAIN)
DAY = dt.date(2026, 9, 9)


def _entry(title: str, state: PaperState | None = None, *, code: bool = False) -> Entry:
    links = (Link("https://github.com/a/b", "code"),) if code else ()
    paper = Paper("abc1234", title, "An abstract.", links, (DAY,))
    return Entry(paper, state or PaperState())


def _text(entry: Entry, width: int, *, show_year: bool = False) -> str:
    return row_strip(entry, width, STYLES, show_year=show_year, this_year=2026).text


def test_an_unread_starred_paper_with_code_shows_every_mark() -> None:
    text = _text(_entry("Sparse Attention", PaperState(starred=True), code=True), 60)
    assert text.startswith(f" {UNREAD_MARK} {STAR_MARK} Sparse Attention")
    assert text.rstrip().endswith(f"Sep 09 {CODE_MARK}")


def test_a_read_paper_has_no_unread_mark_and_tags_sit_before_the_date() -> None:
    text = _text(_entry("A title", PaperState(read=True, tags=("to-read",))), 60)
    assert UNREAD_MARK not in text
    assert "#to-read Sep 09" in text


def test_a_long_title_is_cut_with_an_ellipsis() -> None:
    text = _text(_entry("word " * 40), 50)
    assert "…" in text and cell_len(text) == 50


def test_a_narrow_row_drops_tags_then_keeps_the_title() -> None:
    text = _text(_entry("Title here", PaperState(tags=("alpha", "beta"))), 22)
    assert "#alpha" not in text and "Title" in text


def test_the_year_shows_when_asked_or_not_this_year() -> None:
    assert date_text(DAY, show_year=False, this_year=2026) == "Sep 09"
    assert date_text(DAY, show_year=True, this_year=2026) == "Sep 09 2026"
    assert date_text(DAY, show_year=False, this_year=2027) == "Sep 09 2026"


@given(title=st.text(min_size=1, max_size=300), width=st.integers(min_value=1, max_value=200),
       tags=st.lists(st.text(min_size=1, max_size=30), max_size=4))  # fmt: skip
def test_any_title_and_tags_give_a_clean_row_of_exactly_the_width(
    title: str, width: int, tags: list[str]
) -> None:
    text = _text(_entry(title, PaperState(tags=tuple(tags))), width)
    assert cell_len(text) == width
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text)

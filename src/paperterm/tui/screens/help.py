"""The help screen: every key, as currently bound (keymap overrides included)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paperterm.query_terms import QUERY_TERMS

QUERY_FOOTNOTE = "All terms must hold. An unknown field or a bad date is an error that says where."


def query_table() -> Table:
    """The query language's terms (``paperterm.query_terms``), one row each."""
    table = Table(box=None, show_header=False, padding=(0, 2), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(Text("Search", style="bold underline"), "")
    for term in QUERY_TERMS:
        table.add_row(Text(term.syntax), Text(term.meaning))
    return table


def _key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "left_square_bracket": "[",
             "right_square_bracket": "]", "space": "space"}
    return " ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def bindings_table(sections: Iterable[tuple[str, Iterable[Binding]]],
                   keymap: dict[str, str]) -> Table:
    """A table of section, keys and description for the given bindings."""
    table = Table(box=None, show_header=False, padding=(0, 2), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for keys, description in _rows(bindings, keymap):
            table.add_row(Text(keys), Text(description))
        table.add_row("", "")
    return table


def _rows(bindings: Iterable[Binding], keymap: dict[str, str]) -> list[tuple[str, str]]:
    """(keys, description) per binding, the nine saved-search keys as one row."""
    rows: list[tuple[str, str]] = []
    saved: list[str] = []
    for binding in bindings:
        keys = _key_label(keymap.get(binding.id or "", binding.key))
        if (binding.id or "").startswith(SAVED_SEARCH_ID):
            if not saved:
                rows.append(("", SAVED_SEARCH_HELP))  # its keys are known after the loop
            saved.append(keys)
        else:
            rows.append((keys, binding.description or binding.action))
    if saved:
        at = rows.index(("", SAVED_SEARCH_HELP))
        rows[at] = ("1-9" if saved == [str(n) for n in range(1, 10)] else " ".join(saved),
                    SAVED_SEARCH_HELP)
    return rows


SAVED_SEARCH_HELP = "Saved search 1-9 (palette: Save search…)"
SAVED_SEARCH_ID = "main.saved_search_"


class HelpScreen(ModalScreen[None]):
    """Lists every key of the reader; any of ? q Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="help.up"),
        Binding("space,pagedown", "scroll(10)", "Page down", show=False, id="help.page_down"),
        Binding("pageup", "scroll(-10)", "Page up", show=False, id="help.page_up"),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]], keymap: dict[str, str]):
        super().__init__(classes="dialog-screen")
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static(Text("paperterm keys", style="bold"), classes="dialog-title")
            yield Static(bindings_table(self.sections, self.keymap))
            yield Static(query_table(), id="help-query")
            yield Static(Text(QUERY_FOOTNOTE))
            yield Static(Text("ctrl+p opens the command palette: every action by name, "
                              "switch user, import a file, export, theme.", style="italic"))

    def action_scroll(self, lines: int) -> None:
        """Scroll the list of keys (j/k as well as the arrows)."""
        pane = self.query_one(VerticalScroll)
        pane.scroll_relative(y=lines, animate=False, immediate=True)

    def action_close(self) -> None:
        self.dismiss(None)

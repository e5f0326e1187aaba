"""A scrollable screen of plain text (the last import's report)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from paperterm.text import sanitize


class TextScreen(ModalScreen[None]):
    """A title and lines of untrusted text (file names, parser messages), shown as typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="report.close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="report.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="report.up"),
    ]

    def __init__(self, title: str, body: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(Text(sanitize(self.body)), id="report-body")
            yield Static(Text("Escape: close", style="dim"), classes="dialog-hint")

    def action_scroll(self, lines: int) -> None:
        """Scroll the text (j/k as well as the arrows)."""
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False, immediate=True)

    def action_close(self) -> None:
        self.dismiss(None)

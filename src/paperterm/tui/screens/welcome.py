"""The welcome screen of an empty store: how to import, or load the bundled samples."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

WelcomeChoice = Literal["samples", "import", "quit"]

WELCOME = (
    "Your reading list is empty.",
    "paperterm reads the text of Hugging Face's “Daily Papers” page.\n"
    "Save its text in a file, then import it (i) or from a shell:",
    "paperterm import ~/Downloads/daily-papers.txt\npbpaste | paperterm import -",
    "Or press s to load two sample digests and look around.",
)
"""The welcome's paragraphs, each centred and wrapped at word breaks (short lines, so they
do not wrap mid-sentence in the 72-column card); the third holds the commands."""


class WelcomeScreen(ModalScreen[WelcomeChoice]):
    """Offered when the store is empty."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('samples')", "Load samples", id="welcome.samples"),
        Binding("i", "choose('import')", "Import a file", id="welcome.import"),
        Binding("q,escape", "choose('quit')", "Quit", id="welcome.quit"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog welcome-dialog"):
            yield Static(Text("Welcome to paperterm", style="bold"), classes="dialog-title")
            for number, paragraph in enumerate(WELCOME):
                command = number == 2
                yield Static(Text(paragraph, style="bold" if command else ""),
                             classes="welcome-command" if command else "welcome-text")
            with Horizontal(classes="buttons"):
                yield Button("Load samples (s)", id="samples", variant="primary")
                yield Button("Import a file (i)", id="import")
                yield Button("Quit (q)", id="quit")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "quit")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)  # type: ignore[arg-type]

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

WELCOME = """No papers yet.

paperterm reads the text of a "Daily Papers" page: copy the page's text into a file and
import it, from here (i) or from a shell:

    paperterm import ~/Downloads/daily-papers.txt
    pbpaste | paperterm import -

Or press s to load the two bundled sample digests and look around."""


class WelcomeScreen(ModalScreen[WelcomeChoice]):
    """Offered when the store is empty."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "choose('samples')", "Load samples", id="welcome.samples"),
        Binding("i", "choose('import')", "Import a file", id="welcome.import"),
        Binding("q,escape", "choose('quit')", "Quit", id="welcome.quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog welcome-dialog"):
            yield Static(Text("Welcome to paperterm", style="bold"), classes="dialog-title")
            yield Static(Text(WELCOME))
            with Horizontal(classes="buttons"):
                yield Button("Load samples (s)", id="samples", variant="primary")
                yield Button("Import a file (i)", id="import")
                yield Button("Quit (q)", id="quit")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "quit")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)  # type: ignore[arg-type]

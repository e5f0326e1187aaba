"""Small modal dialogs: confirm, text prompt, note editor and link picker.

Each returns its answer through ``dismiss`` (None when cancelled with Escape).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from paperterm.model import Link
from paperterm.text import sanitize


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; ``y``/Enter confirm, ``n``/Escape cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield Label("y / Enter: yes    n / Escape: no", classes="dialog-hint")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line of text (a path, a user name)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(
        self, title: str, *, value: str = "", placeholder: str = "",
        suggester: Suggester | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder,
                        suggester=self.suggester, id="prompt-input")
            yield Label("Enter: OK    Escape: cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(ModalScreen[str | None]):
    """Edit a paper's note; ctrl+s saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the note", id="note.save"),
        Binding("escape", "cancel", "Close the note unsaved", id="note.cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__(classes="dialog-screen")
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(Text("Note for: " + self.paper_title), classes="dialog-title")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s: save    Escape: cancel", classes="dialog-hint")

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LinkPicker(ModalScreen[str | None]):
    """Choose one of a paper's links: arrows and Enter, or its number."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="links.cancel"),
        Binding("j", "move(1)", "Next link", show=False, id="links.down"),
        Binding("k", "move(-1)", "Previous link", show=False, id="links.up"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, title: str, links: tuple[Link, ...]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            options = []
            for number, link in enumerate(self.links, 1):
                label = Text(f"{number}  {link.kind:<8}")
                label.append(sanitize(link.url, single_line=True))
                options.append(Option(label, id=str(number - 1)))
            yield OptionList(*options, id="link-options")
            yield Label("j/k or arrows: move    1-9 or Enter: choose    Escape: cancel",
                        classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[int(event.option.id or 0)].url)

    def action_move(self, step: int) -> None:
        """j/k move like the arrows do."""
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            self.dismiss(self.links[number - 1].url)

    def action_cancel(self) -> None:
        self.dismiss(None)

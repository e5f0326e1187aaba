"""Small modal dialogs: confirm, text prompt, note editor, link picker and a choice of
options.

Each returns its answer through ``dismiss`` (None when cancelled with Escape).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, cast

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


class _MovesWithJK:
    """For a dialog holding one OptionList: j/k move like the arrows do."""

    def action_move(self, step: int) -> None:
        options = cast("ModalScreen[str | None]", self).query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()


class LinkPicker(_MovesWithJK, ModalScreen[str | None]):
    """Choose one of a paper's links, or one of ``extras`` (label, value) listed after them
    (``y`` offers the paper's BibTeX entry that way): arrows and Enter, or its number.
    Dismisses with the link's URL or the extra's value."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="links.cancel"),
        Binding("j", "move(1)", "Next link", show=False, id="links.down"),
        Binding("k", "move(-1)", "Previous link", show=False, id="links.up"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self, title: str, links: tuple[Link, ...],
        extras: Sequence[tuple[str, str]] = (), hint: str = "",
    ) -> None:  # fmt: skip
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.links = links
        self.extras = tuple(extras)
        self.hint = hint
        self.values = [link.url for link in links] + [value for _, value in self.extras]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            options = []
            for number, link in enumerate(self.links, 1):
                label = Text(f"{number}  {link.kind:<8}")
                label.append(sanitize(link.url, single_line=True))
                options.append(Option(label, id=str(number - 1)))
            for number, (name, _) in enumerate(self.extras, len(self.links) + 1):
                options.append(Option(Text(f"{number}  {name}"), id=str(number - 1)))
            yield OptionList(*options, id="link-options")
            if self.hint:
                yield Label(Text(self.hint), classes="dialog-hint")
            yield Label("j/k or arrows: move    1-9 or Enter: choose    Escape: cancel",
                        classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.values[int(event.option.id or 0)])

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.values):
            self.dismiss(self.values[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(_MovesWithJK, ModalScreen[str | None]):
    """Choose one of several named options (the export format): arrows and Enter, or its
    number; ``selected`` starts highlighted. Dismisses with the option's name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="choice.down"),
        Binding("k", "move(-1)", "Up", show=False, id="choice.up"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], selected: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.choices = tuple(choices)
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield OptionList(
                *(Option(Text(f"{number}  {label}"), id=name)
                  for number, (name, label) in enumerate(self.choices, 1)),
                id="choice-options",
            )  # fmt: skip
            yield Label("j/k or arrows: move    1-9 or Enter: choose    Escape: cancel",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        names = [name for name, _ in self.choices]
        options = self.query_one(OptionList)
        options.highlighted = names.index(self.selected) if self.selected in names else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.choices):
            self.dismiss(self.choices[number - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)

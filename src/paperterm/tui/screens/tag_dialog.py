"""The tag dialog: add and remove several tags at once, completing from existing tags.

Type words separated by spaces: ``rl`` or ``+rl`` adds, ``-old`` removes (the syntax of
``paperterm.tagging``, which ``paperterm tag`` shares). Tab or → accepts the completion of
the word being typed.
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
from textual.widgets import Input, Label, Static

from paperterm.tagging import TagChange, parse_tag_input

# TagChange and parse_tag_input live in the domain (the CLI shares them); still importable here
__all__ = ["LastWordSuggester", "TagChange", "TagDialog", "TagInput", "parse_tag_input"]


class LastWordSuggester(Suggester):
    """Completes the word under the cursor (after an optional + or -) from known tags."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        head, _, word = value.rpartition(" ")
        sign = word[:1] if word[:1] in "+-" else ""
        stem = word[len(sign):]
        if not stem:
            return None
        for tag in self.tags:
            if tag.startswith(stem) and tag != stem:
                return f"{head} {sign}{tag}".lstrip() if head else f"{sign}{tag}"
        return None


class TagInput(Input):
    """The tag input: Tab accepts the completion (there is nothing else to tab to)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cursor_right", "Complete", show=False, id="tags.complete"),
    ]


class TagDialog(ModalScreen[TagChange | None]):
    """Edit the tags of one paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
    ]

    def __init__(self, title: str, current: tuple[str, ...], known: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.paper_title = title
        self.current = current
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Tags for: " + self.paper_title), classes="dialog-title")
            current = " ".join("#" + t for t in self.current) or "(none)"
            yield Static(Text("Current: " + current), id="tags-current")
            yield TagInput(
                placeholder="tag  +tag  -tag   (space separated)",
                suggester=LastWordSuggester(self.known),
                id="tag-input",
            )
            known = " ".join(self.known[:30]) or "(no tags yet)"
            yield Static(Text("Known: " + known), id="tags-known", classes="dialog-hint")
            yield Label("Enter: apply    Tab: complete    Escape: cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        change = parse_tag_input(event.value)
        self.dismiss(change if (change.add or change.remove) else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

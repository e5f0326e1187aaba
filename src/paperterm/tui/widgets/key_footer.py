"""The footer: the main keys as bound (keymap applied), fitted to the terminal's width.

Textual's footer lists every shown binding in the order the bindings chain gives them and
cuts what does not fit, so at 80 columns ``? Help`` and ``q Quit`` were never seen, and a
rebound key moved to the end of the line. This one keeps a fixed order, uses short labels
when the long ones do not fit, then leaves out the least needed keys; help and quit stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

# Textual's own footer item (not exported by textual.widgets): clicks and styles as usual
from textual.widgets._footer import FooterKey

ORDER = (
    "list.choose", "main.search", "main.star", "main.read", "main.read_next", "main.tags",
    "main.undo", "main.copy_code", "main.help", "main.quit",
)
"""Footer keys, left to right (ids of shown bindings not listed here come after)."""

SHORT = {
    "list.choose": "Detail", "main.search": "Find", "main.read": "Read",
    "main.read_next": "Next", "main.copy_code": "Code",
}
"""Labels for narrow terminals (a binding not listed keeps its own)."""

DROP = ("main.read_next", "main.copy_code", "main.search", "main.tags", "list.choose",
        "main.undo", "main.read", "main.star")
"""What goes first when even the short labels do not fit; help and quit never go."""

PALETTE_WIDTH = 12  # "^p palette", docked at the right


@dataclass(frozen=True, slots=True)
class Hint:
    """One key of the footer."""

    binding_id: str
    key: str  # the key pressed (for a click)
    display: str  # the key as shown
    label: str
    short: str
    action: str
    enabled: bool


def hint_width(display: str, label: str) -> int:
    """The cells a footer key takes: the key padded by one each side, the label by one."""
    return cell_len(display) + 2 + cell_len(label) + 1


def fit_hints(hints: Sequence[Hint], width: int) -> list[tuple[Hint, str]]:
    """The hints to show in ``width`` cells, each with its label: every long label if they
    all fit, else the short ones, leaving out keys in ``DROP`` order until they fit."""
    full = [(hint, hint.label) for hint in hints]
    if sum(hint_width(h.display, label) for h, label in full) <= width:
        return full
    shown = [(hint, hint.short) for hint in hints]
    for binding_id in DROP:
        if sum(hint_width(h.display, label) for h, label in shown) <= width:
            break
        shown = [(h, label) for h, label in shown if h.binding_id != binding_id]
    return shown


class KeyFooter(Footer):
    """The main screen's footer (see the module docstring)."""

    def on_mount(self) -> None:
        super().on_mount()
        # Mounted after the screen's first bindings update: show the keys at once.
        self.call_after_refresh(self.screen.refresh_bindings)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)

    def _hints(self) -> list[Hint]:
        seen: dict[str, Hint] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not binding.id or binding.id in seen:
                continue
            seen[binding.id] = Hint(
                binding.id, binding.key, self.app.get_key_display(binding),
                binding.description, SHORT.get(binding.id, binding.description),
                binding.action, enabled,
            )
        rank = {binding_id: number for number, binding_id in enumerate(ORDER)}
        return sorted(seen.values(), key=lambda hint: rank.get(hint.binding_id, len(ORDER)))

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        room = width - (PALETTE_WIDTH if palette else 0)
        for hint, label in fit_hints(self._hints(), room):
            yield FooterKey(hint.key, hint.display, label, hint.action,
                            disabled=not hint.enabled, tooltip=hint.label,
                            ).data_bind(compact=Footer.compact)
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette and active is not None:
            _node, binding, enabled, _tooltip = active
            yield FooterKey(binding.key, self.app.get_key_display(binding),
                            binding.description, binding.action, disabled=not enabled,
                            classes="-command-palette")

"""Every rebindable key binding of the reader, grouped by where they are active together.

The keymap's start-up checks (``keymap.keymap_warnings``) and the key names in hints
(``Desk.key_display``) read this one list.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

from paperterm.tui.fetching import FETCH_BINDING
from paperterm.tui.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    LinkPicker,
    NoteDialog,
    PromptDialog,
)
from paperterm.tui.screens.help import HelpScreen
from paperterm.tui.screens.main import MAIN_BINDINGS
from paperterm.tui.screens.related import RelatedScreen
from paperterm.tui.screens.report import TextScreen
from paperterm.tui.screens.tag_dialog import TagDialog, TagInput
from paperterm.tui.screens.welcome import WelcomeScreen
from paperterm.tui.widgets.paper_detail import PaperDetail
from paperterm.tui.widgets.paper_list import PaperList
from paperterm.tui.widgets.search_bar import QueryInput

APP_BINDINGS: list[Binding] = [
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
    FETCH_BINDING,
]
"""The app's own bindings, active on every screen."""


def binding_scopes() -> dict[str, list[Binding]]:
    """Every rebindable binding, by the scope where they are active together (a screen with
    its focused widget), for the keymap's checks and key names."""
    def only(*groups: Iterable[BindingType]) -> list[Binding]:
        return [b for group in groups for b in group if isinstance(b, Binding)]

    app = APP_BINDINGS
    return {
        "list": only(app, MAIN_BINDINGS, PaperList.BINDINGS),
        "detail": only(app, MAIN_BINDINGS, PaperDetail.BINDINGS),
        "search": only(app, MAIN_BINDINGS, QueryInput.BINDINGS),
        "tags": only(app, TagDialog.BINDINGS, TagInput.BINDINGS),
        "note": only(app, NoteDialog.BINDINGS),
        "confirm": only(app, ConfirmDialog.BINDINGS),
        "prompt": only(app, PromptDialog.BINDINGS),
        "links": only(app, LinkPicker.BINDINGS),
        "help": only(app, HelpScreen.BINDINGS),
        "welcome": only(app, WelcomeScreen.BINDINGS),
        "report": only(app, TextScreen.BINDINGS),
        "related": only(app, RelatedScreen.BINDINGS),
        "choice": only(app, ChoiceDialog.BINDINGS),
    }

"""Command palette provider: every reader action by name, beside Textual's own commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from paperterm.tui.app import PapertermApp

Command = tuple[str, Callable[[], object], str]


class PapertermCommands(Provider):
    """Commands of the main screen and the app: triage, links, import, export, users."""

    def _commands(self) -> list[Command]:
        from paperterm.tui.app import PapertermApp

        app = self.app
        if not isinstance(app, PapertermApp):
            return []
        return _commands_for(app)

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


def _commands_for(app: PapertermApp) -> list[Command]:
    main = app.main_screen

    def key(binding_id: str) -> str:
        """The key as bound now (keymap.toml applied), for the hints."""
        return app.key_display(binding_id)

    return [
        ("Search papers", main.action_search, f"Focus the search box ({key('main.search')})"),
        ("Star / unstar paper", main.action_star,
         f"Toggle the star of the selected paper ({key('main.star')})"),
        ("Read / unread paper", main.action_toggle_read,
         f"Toggle read mark ({key('main.read')})"),
        ("Mark read and go to next unread", main.action_read_next, key("main.read_next")),
        ("Next unread paper", main.action_next_unread, key("main.next_unread")),
        ("Edit tags", main.action_tags, f"Add and remove tags ({key('main.tags')})"),
        ("Edit note", main.action_note, f"Write a note on the paper ({key('main.note')})"),
        ("Mark all in view as read", main.action_mark_all_read, key("main.all_read")),
        ("Undo", main.action_undo, f"Undo the last change ({key('main.undo')})"),
        ("Copy code link", main.action_copy_code, key("main.copy_code")),
        ("Copy any link", main.action_copy_link, key("main.copy_link")),
        ("Open link in browser", main.action_open_link, key("main.open")),
        ("Export view to Markdown", main.action_export_view,
         f"Write the current view to paperterm-DATE.md here ({key('main.export')})"),
        ("Export view to file…", app.prompt_export, "Choose where the Markdown goes"),
        ("Import digest file…", app.prompt_import, "Import a digest file or a folder"),
        ("Last import report", app.show_import_report,
         "Every file of the last import: what it brought, or why it was skipped"),
        ("Load bundled sample digests", app.load_samples, "Import the two sample digests"),
        ("Switch user…", app.prompt_switch_user, "Read with another user's stars and tags"),
        ("Toggle detail pane", main.action_toggle_detail, key("main.toggle_detail")),
        ("Help: keys", app.action_show_keys, key("main.help")),
    ]

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
    return [
        ("Search papers", main.action_search, "Focus the search box (/)"),
        ("Star / unstar paper", main.action_star, "Toggle the star of the selected paper (s)"),
        ("Read / unread paper", main.action_toggle_read, "Toggle read mark (r)"),
        ("Mark read and go to next unread", main.action_read_next, "space"),
        ("Next unread paper", main.action_next_unread, "n"),
        ("Edit tags", main.action_tags, "Add and remove tags (t)"),
        ("Edit note", main.action_note, "Write a note on the paper (e)"),
        ("Mark all in view as read", main.action_mark_all_read, "A"),
        ("Undo", main.action_undo, "Undo the last change (u)"),
        ("Copy code link", main.action_copy_code, "A code link or the BibTeX entry (y)"),
        ("Copy any link", main.action_copy_link, "Y"),
        ("Open link in browser", main.action_open_link, "o"),
        ("Export view…", main.action_export_view,
         "Choose a format (Markdown, BibTeX, RIS, CSL JSON, CSV, Obsidian) and a path (x)"),
        ("Export view to file…", app.prompt_export, "Choose where it goes, in the last format"),
        ("Import digest file…", app.prompt_import, "Import a digest file or a folder"),
        ("Load bundled sample digests", app.load_samples, "Import the two sample digests"),
        ("Switch user…", app.prompt_switch_user, "Read with another user's stars and tags"),
        ("Toggle detail pane", main.action_toggle_detail, "v"),
        ("Cycle sort order", main.action_cycle_sort,
         "Relevance, digest date or upvotes; remembered (S)"),
        ("Help: keys", app.action_show_keys, "?"),
    ]

"""Command palette provider: every reader action by name, beside Textual's own commands."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperterm.sorting import SORTS
from paperterm.text import sanitize

if TYPE_CHECKING:
    from paperterm.tui.app import PapertermApp

Command = tuple[str, Callable[[], object], str]

SORT_NAMES = {"relevance": "relevance", "date": "digest date", "upvotes": "upvotes",
              "for-you": "for you"}  # fmt: skip
SORT_HELP = {
    "relevance": "Best match first for free words, else newest digest first",
    "date": "Newest digest first, whatever the query",
    "upvotes": "Most upvoted first, unknown last",
    "for-you": "Most like what you starred and tagged first",
}


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

    saved: list[Command] = [
        (f"Saved search @{name}", partial(main.set_query, query),
         f"{sanitize(query, single_line=True)[:60] or '(every paper)'}"
         + (f" ({key(f'main.saved_search_{number}')})" if number <= 9 else ""))
        for number, (name, query) in enumerate(app.triage.saved_searches(), 1)
    ]  # fmt: skip
    return [
        *saved,
        ("Related papers", main.action_related,
         f"Papers most like the selected one ({key('main.related')})"),
        *((f"Sort: {SORT_NAMES[sort]}", partial(main.set_sort, sort), SORT_HELP[sort])
          for sort in SORTS),
        ("Save search…", main.action_save_search,
         "Name the current query; recall it with 1-9 or paperterm list @NAME"),
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
        ("Copy code link", main.action_copy_code,
         f"A code link or the BibTeX entry ({key('main.copy_code')})"),
        ("Copy any link", main.action_copy_link, key("main.copy_link")),
        ("Open link in browser", main.action_open_link, key("main.open")),
        ("Export view…", main.action_export_view,
         "Choose a format (Markdown, BibTeX, RIS, CSL JSON, CSV, Obsidian) and a path "
         f"({key('main.export')})"),
        ("Export view to file…", app.prompt_export, "Choose where it goes, in the last format"),
        ("Import digest file…", app.prompt_import, "Import a digest file or a folder"),
        ("Last import report", app.show_import_report,
         "Every file of the last import: what it brought, or why it was skipped"),
        ("Fetch new papers", app.action_fetch_papers,
         f"Fetch the days since the last fetch from Hugging Face ({key('app.fetch')})"),
        ("Load bundled sample digests", app.load_samples, "Import the two sample digests"),
        ("Switch user…", app.prompt_switch_user, "Read with another user's stars and tags"),
        ("Toggle detail pane", main.action_toggle_detail, key("main.toggle_detail")),
        ("Cycle sort order", main.action_cycle_sort,
         f"Relevance, digest date, upvotes or for you; remembered ({key('main.sort')})"),
        ("Help: keys", app.action_show_keys, key("main.help")),
    ]

"""The command palette's reader commands: every main-screen action by name, and the app's
own (given by the app), for ``PapertermApp.get_system_commands``. Imports no app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from paperterm.sorting import SORTS
from paperterm.text import sanitize
from paperterm.tui.screens.main import MainScreen

Command = tuple[str, Callable[[], object], str]
"""A palette entry: name, what it runs, its help line."""

SORT_NAMES = {"relevance": "relevance", "date": "digest date", "upvotes": "upvotes",
              "for-you": "for you"}  # fmt: skip
SORT_HELP = {
    "relevance": "Best match first for free words, else newest digest first",
    "date": "Newest digest first, whatever the query",
    "upvotes": "Most upvoted first, unknown last",
    "for-you": "Most like what you starred and tagged first",
}


def reader_commands(main: MainScreen, app_commands: Iterable[Command] = ()) -> list[Command]:
    """The palette's commands over ``main``, with ``app_commands`` before the last few."""
    key = main.desk.key_display  # the key as bound now (keymap.toml applied), for hints
    saved: list[Command] = [
        (f"Saved search @{name}", partial(main.set_query, query),
         f"{sanitize(query, single_line=True)[:60] or '(every paper)'}"
         + (f" ({key(f'main.saved_search_{number}')})" if number <= 9 else ""))
        for number, (name, query) in enumerate(main.session.saved_searches(), 1)
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
        ("Export view to file…", lambda: main.export_view().ask_path(),
         "Choose where it goes, in the last format"),
        *app_commands,
        ("Toggle detail pane", main.action_toggle_detail, key("main.toggle_detail")),
        ("Cycle sort order", main.action_cycle_sort,
         f"Relevance, digest date, upvotes or for you; remembered ({key('main.sort')})"),
        ("Help: keys", main.action_help, key("main.help")),
    ]

"""The search pane: a query box with the match count, or the query's error, beside it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from paperterm.tui.messages import QueryChanged, QueryCleared, QuerySubmitted

STATUS_ROOM = 18
"""The longest count that fits the status's ``min-width`` in ``app.tcss`` (20, padding
included): "100000 of 100000 …"."""
PLACEHOLDER = 'search: words, "phrase", is:starred, is:unread, tag:x, has:code, date:>=2025-09-01'


class QueryInput(Input):
    """The query box; Escape clears the filter instead of doing nothing, Enter goes to the
    results (``results``, set by the screen)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_query", "Clear search", id="search.clear"),
        # A priority binding runs while the app handles the key, before it takes the next
        # one: the focus has moved when "j" typed right after Enter arrives, and "j" moves
        # in the list instead of landing in the query.
        Binding("enter", "to_results", "Results", priority=True, id="search.submit"),
    ]

    results: Widget | None = None

    def action_clear_query(self) -> None:
        self.post_message(QueryCleared())

    def action_to_results(self) -> None:
        if self.results is not None:
            self.screen.set_focus(self.results)
        self.post_message(self.Submitted(self, self.value))


class SearchBar(Horizontal):
    """Query input plus status ("12 of 139" or the error)."""

    _status = ""  # the status's text now

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder=PLACEHOLDER, id="query")
        yield Static("", id="search-status")

    @property
    def input(self) -> QueryInput:
        """The query box."""
        return self.query_one(QueryInput)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(QueryChanged(event.value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(QuerySubmitted(event.value))

    def show_count(self, shown: int, total: int, pending: bool = False) -> None:
        """Show "N of M" (with an ellipsis while a search is running)."""
        status = self.query_one("#search-status", Static)
        text = f"{shown} of {total}" + (" …" if pending else "")
        if text == self._status and not status.has_class("error"):
            return
        # The count's width decides the query box's: a layout when it changed, but not
        # while both fit in the status's minimum width (``app.tcss``).
        layout = status.has_class("error") or (len(text) != len(self._status) and max(
            len(text), len(self._status)) > STATUS_ROOM)
        self._status = text
        status.remove_class("error")
        self.remove_class("has-error")
        status.update(Text(text), layout=layout)

    def show_error(self, message: str) -> None:
        """Show the query's error on its own line under the query (which stays whole)."""
        status = self.query_one("#search-status", Static)
        status.add_class("error")
        self.add_class("has-error")
        self._status = message
        status.update(Text(message))

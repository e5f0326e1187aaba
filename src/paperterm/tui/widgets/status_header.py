"""The header line: app name, current user and the counts that matter each morning."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from paperterm.triage import Counts


class StatusHeader(Static):
    """``paperterm · alice · 12 new · 40 unread · 3 starred · 139 papers``."""

    _shown: tuple[str, Counts, str] | None = None

    def show(self, user: str, counts: Counts, note: str = "") -> None:
        """Update the line (unless it says that already: the header is shown again after
        every search, and an update lays the screen out again)."""
        if (user, counts, note) == self._shown:
            return
        self._shown = (user, counts, note)
        text = Text()
        text.append(" paperterm ", style="bold reverse")
        text.append(f" {user} ", style="bold")
        parts = [
            f"{counts.new} new",
            f"{counts.unread} unread",
            f"{counts.starred} starred",
            f"{counts.total} papers",
        ]
        text.append(" · ".join(parts))
        if note:
            text.append("  " + note, style="italic")
        self.update(text)

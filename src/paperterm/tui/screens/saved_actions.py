"""Saved searches on the main screen: ``1``-``9`` recall one, the palette saves one."""

from __future__ import annotations

from paperterm.errors import PapertermError
from paperterm.tui.screens.dialogs import PromptDialog
from paperterm.tui.screens.reader_base import ReaderScreen


class SavedSearchActions(ReaderScreen):
    """Recall and save the user's named searches (``paperterm.saved``)."""

    def action_recall_search(self, number: int) -> None:
        searches = self.session.saved_searches()
        if not 1 <= number <= len(searches):
            self.app.notify(f"No saved search {number} (save one from the palette: "
                            "Save search…).", timeout=3)  # fmt: skip
            return
        name, query = searches[number - 1]
        self.set_query(query)
        self.app.notify(f"@{name}: {query or '(every paper)'}", timeout=2)

    def action_save_search(self) -> None:
        query = self.query_text

        def answered(name: str | None) -> None:
            if not name:
                return
            try:
                saved = self.session.save_search(name, query)
            except PapertermError as error:
                self.app.notify(str(error), title="Not saved", severity="error", timeout=6)
                return
            number = [n for n, _ in self.session.saved_searches()].index(saved) + 1
            key = f" (key {number})" if number <= 9 else ""
            self.app.notify(f"Saved search @{saved}{key}: {query or '(every paper)'}",
                            timeout=4)  # fmt: skip

        self.app.push_screen(PromptDialog(f"Save the search {query!r} as:",
                                          placeholder="morning"), answered)  # fmt: skip

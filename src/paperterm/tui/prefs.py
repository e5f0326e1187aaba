"""The reader's preferences saved as you go (query, selection), a moment after the last
change: typing a query or holding j writes once, not at every key, for each write is an
fsync on the UI thread."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer

from paperterm.errors import PapertermError
from paperterm.triage import Triage

PREF_QUERY = "query"
PREF_SELECTED = "selected"
PREF_THEME = "theme"
PREF_EXPORT_FORMAT = "export_format"
SAVE_AFTER = 0.5  # seconds after the last change

SetTimer = Callable[[float, Callable[[], None]], Timer]


def prefs_not_saved(error: PapertermError) -> str:
    """The warning when the preferences cannot be saved (a read-only data dir)."""
    reason = str(error).removesuffix("; the change was not saved")
    return (f"Could not save the reader's preferences (filter, selected paper, theme): "
            f"{reason}")  # fmt: skip


class PrefWriter:
    """Debounced preference writes of one session; ``warn`` is told of the first failure
    only (a read-only data dir fails at the first selection, before the user did
    anything)."""

    def __init__(self, session: Triage, set_timer: SetTimer, warn: Callable[[str], None]) -> None:
        self.session = session
        self._set_timer = set_timer
        self._warn = warn
        self._pending: dict[str, str] = {}
        self._timer: Timer | None = None
        self._warned = False

    def remember(self, key: str, value: str) -> None:
        """Save ``key`` = ``value`` soon (and at ``flush``)."""
        self._pending[key] = value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._set_timer(SAVE_AFTER, self.flush)

    def flush(self) -> None:
        """Write what is pending now."""
        try:
            for key, value in list(self._pending.items()):
                self.session.set_pref(key, value)
                del self._pending[key]
        except PapertermError as error:
            self.failed(error)

    def end_session(self) -> None:
        """At quit or a user switch: write what is pending and how far the user has seen."""
        self.flush()
        try:
            self.session.mark_seen()
        except PapertermError as error:
            self.failed(error)

    def failed(self, error: PapertermError) -> None:
        """Report a failed preference write, once per session."""
        if not self._warned:
            self._warned = True
            self._warn(prefs_not_saved(error))

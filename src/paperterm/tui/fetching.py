"""The reader's "Fetch new papers" (``F``): ``paperterm fetch`` in an async worker.

The network waits are awaits on the app's event loop, so the reader stays responsive; each
day is imported on the UI thread as it lands and the list refreshes at once (keeping the
selection); a one-line progress bar sits under the header meanwhile. The summary is a toast,
and so are failed days: never a crash. ``fetch_on_start = true`` in ``config.toml`` (the
config dir) starts a fetch when the reader opens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from paperterm.errors import PapertermError
from paperterm.triage import Triage
from paperterm.tui.toml_file import read_toml

if TYPE_CHECKING:
    import datetime as dt

    from paperterm.fetch import FetchPolicy
    from paperterm.fetch_days import DayReport

FETCH_BINDING = Binding("F", "fetch_papers", "Fetch", show=False, id="app.fetch")
FETCH_GROUP = "fetch"
MAX_ERROR_LINES = 5


def load_fetch_on_start(path: Path) -> bool:
    """``fetch_on_start`` of the config file (``[reader]`` table or top level); a missing
    file is False. PapertermError, one line naming the file, when it is malformed."""
    data = read_toml(path, "config file")
    reader = data.get("reader", {})
    value = reader.get("fetch_on_start") if isinstance(reader, dict) else None
    if value is None:
        value = data.get("fetch_on_start", False)
    if not isinstance(value, bool):
        raise PapertermError(f"{path}: fetch_on_start must be true or false")
    return value


class FetchProgress(Horizontal):
    """``Fetching 2026-10-20 (page 2) · 1 of 3 days done  ━━━━━━╸━━━  33%``: one line while
    a fetch runs."""

    DEFAULT_CSS = """
    FetchProgress {
        height: 1;
        background: $boost;
        padding: 0 1;
    }
    FetchProgress #fetch-label {
        width: 1fr;
    }
    """

    def __init__(self, days: int) -> None:
        super().__init__(id="fetch-progress")
        self._days = days

    def compose(self) -> ComposeResult:
        yield Label("Fetching…", id="fetch-label")
        yield ProgressBar(total=self._days, show_eta=False)

    def show(self, day: dt.date | None, page: int, done: int) -> None:
        """The day and page being fetched (None: between days) and the days done."""
        text = "Fetching…" if day is None else f"Fetching {day.isoformat()}"
        if day is not None and page:
            text += f" (page {page + 1})"
        if self._days > 1:
            text += f" · {done} of {self._days} days done"
        self.query_one("#fetch-label", Label).update(text)
        self.query_one(ProgressBar).update(progress=done)


class ReaderFetch:
    """Runs fetches for one app: one at a time, into the app's current session
    (``session()``), its progress bar on ``host()`` (the main screen); ``changed(session)``
    is called after each day that brought papers.

    ``endpoint``, ``policy`` and ``cache_dir`` default to what ``paperterm fetch`` uses;
    tests give an impatient policy.
    """

    def __init__(
        self,
        app: App[None],
        session: Callable[[], Triage],
        host: Callable[[], Screen[None]],
        changed: Callable[[Triage], None],
        *,
        endpoint: str | None = None,
        policy: FetchPolicy | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.app = app
        self.session = session
        self.host = host
        self.changed = changed
        self.endpoint = endpoint
        self.policy = policy
        self.cache_dir = cache_dir
        self.last: list[DayReport] = []  # the reports of the last fetch that ended

    @property
    def running(self) -> bool:
        """True while a fetch is under way."""
        return any(not w.is_finished for w in self.app.workers if w.group == FETCH_GROUP)

    def start(self) -> None:
        """Fetch every day since the last fetch (as a plain ``paperterm fetch`` does)."""
        if self.running:
            self.app.notify("A fetch is already running.", timeout=3)
            return
        self.app.run_worker(self._fetch(), group=FETCH_GROUP, description="fetch",
                            exit_on_error=False)  # fmt: skip

    async def _fetch(self) -> None:
        from paperterm.fetch import DailyPapersClient
        from paperterm.paths import fetched_days_dir

        app = self.app
        triage = self.session()  # a user switch meanwhile: this fetch goes on into it
        reports: list[DayReport] = []
        progress: FetchProgress | None = None
        try:
            days = triage.days_to_fetch()
            progress = FetchProgress(len(days))
            screen = self.host()
            if screen.query("#header"):
                await screen.mount(progress, after="#header")
            else:
                await screen.mount(progress, before=0)
            async with DailyPapersClient(self.endpoint, self.policy) as client:
                stream = triage.fetch(
                    days, client, cache_dir=self.cache_dir or fetched_days_dir(),
                    on_page=lambda day, page: _show(progress, day, page, len(reports)),
                )
                async for report in stream:
                    reports.append(report)
                    _show(progress, None, 0, len(reports))
                    if report.new or report.known:
                        self.changed(triage)  # the day's papers appear now
        except PapertermError as error:
            app.notify(str(error), title="Fetch failed", severity="error", timeout=10)
            return
        finally:
            self.last = reports
            if progress is not None:
                progress.remove()  # not awaited: at quit the app is going anyway
        self._tell(reports)

    def _tell(self, reports: list[DayReport]) -> None:
        from paperterm.fetch_days import summary

        failed = [report.line() for report in reports if report.failed]
        if failed:
            more = len(failed) - MAX_ERROR_LINES
            lines = failed[:MAX_ERROR_LINES] + ([f"… and {more} more"] if more > 0 else [])
            self.app.notify("\n".join(lines), title="Fetch: some days failed",
                            severity="error", timeout=12)  # fmt: skip
        self.app.notify(summary(reports), title="Fetch", timeout=8)


def _show(progress: FetchProgress | None, day: dt.date | None, page: int, done: int) -> None:
    if progress is not None and progress.is_attached:
        progress.show(day, page, done)

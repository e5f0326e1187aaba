"""Search keystrokes in the reader itself: from a query change to the refresh that paints it.

    python benchmarks/reader_keys.py DATA_DIR USER QUERY...

Runs the reader headless (``App.run_test``, 120x40) on the store, opened as ``paperterm``
opens it (the newest shards first, abstracts on disk), waits until every paper
is loaded and the index is ready (and the heap settled, as the reader does), then types each
query a character at a time into the search box. For every character it times the span from
the query change (``MainScreen.run_search``: the key's own handling before it is under a
millisecond) to the end of the first refresh after the results were put in the list, so the
figure holds the search worker, the message back to the UI thread, the list and header
updates, and the wait for Textual's next frame (at the reader's frame rate as launched,
``paperterm.tui.launch.FPS``) and that frame's rendering; not the terminal's own
drawing. Prints one JSON list of milliseconds. ``bench.py`` runs it as a process, so the
reader's heap is its own.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

from paperterm.tui.launch import FPS

# the frame rate the reader runs at when launched (Textual reads it when first imported)
os.environ.setdefault("TEXTUAL_FPS", FPS)

from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp

SETTLE_SECONDS = 60.0  # at most, for the rest of the store and the index
KEY_TIMEOUT = 10.0  # a keystroke without results painted by then is a failure


async def type_queries(data: Path, user: str, queries: list[str]) -> list[float]:
    """Milliseconds per keystroke (see the module docstring)."""
    store = Store.open(data, user, eager=False, shelve=True)  # as ``paperterm`` opens it
    app = PapertermApp(Triage(store), copier=lambda _t: None, opener=lambda _u: None,
                       poll_seconds=3600)  # fmt: skip
    latencies: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + SETTLE_SECONDS
        while app.triage.index is None or not store.complete:
            if time.monotonic() > deadline:
                raise SystemExit("the reader did not finish loading")
            await pilot.pause(0.05)
        await pilot.pause(0.5)  # the worker settles the heap after the index is ready
        screen = app.main_screen
        started: dict[str, float] = {}
        painted: dict[str, float] = {}
        failed: set[str] = set()  # not a query the reader can search ("is:" half typed)
        run_search, show_results = screen.run_search, screen.show_results
        show_error = screen.search_bar.show_error

        def timed_run(text: str) -> None:
            started[text] = time.perf_counter()
            run_search(text)

        def timed_show(ids: list[str], *, keep: str | None = None) -> None:
            show_results(ids, keep=keep)
            text = screen.query_text

            def after() -> None:
                painted.setdefault(text, time.perf_counter())

            screen.call_after_refresh(after)

        def noted_error(message: str) -> None:
            failed.add(screen.query_text)
            show_error(message)

        screen.run_search = timed_run  # type: ignore[method-assign]
        screen.show_results = timed_show  # type: ignore[method-assign]
        screen.search_bar.show_error = noted_error  # type: ignore[method-assign]
        for query in queries:
            await pilot.press("slash")
            screen.search_bar.input.value = ""
            await pilot.pause(0.2)
            for end in range(1, len(query) + 1):
                text, char = query[:end], query[end - 1]
                started.pop(text, None)
                painted.pop(text, None)
                await pilot.press("space" if char == " " else char)
                limit = time.perf_counter() + KEY_TIMEOUT
                while text not in painted and text not in failed:
                    if time.perf_counter() > limit:
                        raise SystemExit(f"no results painted for {text!r}")
                    await asyncio.sleep(0.001)
                if text in painted:
                    latencies.append((painted[text] - started[text]) * 1000)
                await pilot.pause(0.05)
            await pilot.press("escape")
            await pilot.pause(0.1)
    return latencies


def main(argv: list[str]) -> int:
    data, user, queries = Path(argv[0]), argv[1], argv[2:]
    print(json.dumps(asyncio.run(type_queries(data, user, queries))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Snapshot tests of the reader's layout (pytest-textual-snapshot): the main view, search
results, the detail pane, the help screen, and the 80x24 layout.

The data are fixed (the bundled samples, dated as if read on ``TODAY``, one user), the
clock is not shown, and every worker has finished before the picture is taken. A layout
change shows as a diff of the SVGs under ``__snapshots__``; accept an intended one with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at what changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from paperterm.digest import read_digest_file
from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp

TODAY = dt.date(2026, 9, 10)  # the samples' dates carry no year: they take this one's

Compare = Callable[..., bool]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[PapertermApp]:
    with Store.open(tmp_path / "store", "alice") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path, today=TODAY))
        yield PapertermApp(Triage(store, cache=False), copier=lambda _text: None,
                           opener=lambda _url: None, poll_seconds=3600)  # fmt: skip


async def settled(pilot: Pilot[None]) -> None:
    """Every worker done (the search, the index), the cursor of the search box still."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for box in pilot.app.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_main_view(app: PapertermApp, snap_compare: Compare) -> None:
    assert snap_compare(app, terminal_size=(120, 36), run_before=settled)


def test_search_results(app: PapertermApp, snap_compare: Compare) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("slash", *"agent", "enter")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=search)


def test_detail_pane(app: PapertermApp, snap_compare: Compare) -> None:
    async def detail(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("j", "j", "enter")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=detail)


def test_help_screen(app: PapertermApp, snap_compare: Compare) -> None:
    async def help_screen(pilot: Pilot[None]) -> None:
        await settled(pilot)
        await pilot.press("question_mark")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=help_screen)


def test_80x24_layout(app: PapertermApp, snap_compare: Compare) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)

"""What a keystroke in the search box leaves behind and what it repaints (issue 14)."""

from __future__ import annotations

import gc

import pytest
from test_screens import header, settle
from textual.worker import Worker

from paperterm.store import Store
from paperterm.triage import Counts, Snapshot
from paperterm.tui.handoff import Handoff
from paperterm.tui.messages import StoreChanged


def snapshots_held_by_workers() -> int:
    """Snapshots reachable from a live worker object in three steps (its work's arguments)."""
    found = 0
    for worker in [o for o in gc.get_objects() if isinstance(o, Worker)]:
        frontier: list[object] = [worker]
        for _ in range(3):
            frontier = [r for o in frontier for r in gc.get_referents(o)]
            found += sum(isinstance(o, Snapshot) for o in frontier)
    return found


async def test_finished_searches_keep_no_snapshot(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"agent")
        await settle(app, pilot)
        assert snapshots_held_by_workers() == 0


def test_a_handoff_lets_go_of_its_value() -> None:
    value = ["papers"]
    handoff = Handoff(value)
    assert handoff.take() is value
    assert value not in gc.get_referents(handoff)
    with pytest.raises(RuntimeError):
        handoff.take()


async def test_typing_leaves_the_header_counts_but_a_change_recounts_them(
    sample_store: Store, make_app
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        counted: list[int] = []
        counts = app.triage.counts

        def counting() -> Counts:
            counted.append(1)
            return counts()

        app.triage.counts = counting  # type: ignore[method-assign]
        await pilot.press("slash", *"agent")
        await settle(app, pilot)
        assert screen.search_bar.input.value == "agent"
        assert counted == []  # the same counts: the header is left as it is
        # another process stars a paper: the header says so once the view is searched again
        with Store.open(sample_store.data_dir, "alice") as other:
            other.set_starred([screen.paper_list.ids[0]], True)
        sample_store.refresh()
        screen.post_message(StoreChanged("starred elsewhere"))
        await settle(app, pilot)
        assert counted
        assert "1 starred" in header(app)
        counted.clear()
        await pilot.press("backspace")
        await settle(app, pilot)
        assert counted == []
        assert "1 starred" in header(app)

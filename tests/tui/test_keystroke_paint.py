"""What a keystroke in the search box leaves behind and what it repaints (issue 14)."""

from __future__ import annotations

import asyncio
import gc
from time import monotonic

import pytest
from test_screens import header, settle
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.worker import Worker

from paperterm.store import Store
from paperterm.triage import Counts, Snapshot
from paperterm.tui.frames import FrameTimer
from paperterm.tui.handoff import Handoff
from paperterm.tui.messages import StoreChanged
from paperterm.tui.widgets.paper_list import PaperList


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


async def test_a_repaint_after_a_pause_is_not_put_off_a_period(
    sample_store: Store, make_app
) -> None:
    period = 0.2
    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.main_screen._update_timer, FrameTimer)
        ticks: list[float] = []

        def tick() -> None:
            ticks.append(monotonic())
            timer.pause()  # as the screen's repaint does

        timer = FrameTimer(app.main_screen, period, callback=tick, pause=True)
        timer._start()
        timer.resume()  # its first tick, a period after it starts
        try:
            await asyncio.sleep(3.5 * period)  # then idle for a while: halfway into a period
            del ticks[:]
            asked = monotonic()
            timer.resume()  # a letter typed: painted at once
            await asyncio.sleep(period / 10)
            timer.resume()  # the results, soon after: painted at the next boundary
            await asyncio.sleep(2 * period)
        finally:
            timer.stop()
        assert len(ticks) == 2
        assert ticks[0] - asked < period / 4
        # Textual's timer put it off to the boundary after that, a period or more later
        assert ticks[1] - ticks[0] < period * 0.9


async def test_new_results_after_a_resize_lay_nothing_out(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    # wide: the list has a border at its side
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        papers = app.main_screen.paper_list
        await pilot.press("slash")  # the search pane shows: the list is resized
        await settle(app, pilot)
        layouts: list[bool] = []
        refresh = papers.refresh

        def noted(*regions: Region, layout: bool = False, **kwargs: bool) -> PaperList:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **kwargs)

        papers.refresh = noted  # type: ignore[method-assign]
        await pilot.press("a")  # still more papers than rows: only rows and scrollbar change
        await settle(app, pilot)
        assert len(papers.ids) > papers.size.height
        assert not any(layouts)
        assert papers.virtual_size == Size(papers.size.width, len(papers.ids))


async def test_the_scrollbar_is_painted_again_only_when_its_thumb_moves(
    sample_store: Store, make_app
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        papers = app.main_screen.paper_list
        every = list(papers.ids)
        bar = papers.vertical_scrollbar
        painted: list[int] = []
        refresh = bar.refresh

        def noted(*regions: Region, **kwargs: bool) -> ScrollBar:
            painted.append(bar.window_virtual_size)
            return refresh(*regions, **kwargs)

        bar.refresh = noted  # type: ignore[method-assign]
        papers.set_ids(every[:-1])  # one row fewer: the thumb stays in the same cells
        await settle(app, pilot)
        assert bar.window_virtual_size == len(every) - 1
        # a layout elsewhere (the header's) leaves the bar as it is too
        app.main_screen.query_one("#header").refresh(layout=True)
        await settle(app, pilot)
        assert painted == []
        papers.set_ids(every[: papers.size.height * 2])  # a thumb half the bar long
        await settle(app, pilot)
        assert painted
        assert bar.window_virtual_size == papers.size.height * 2

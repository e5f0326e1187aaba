"""The reader's frame timer: at most one repaint a frame period, and no period lost.

Textual repaints a screen from a timer that ticks on period boundaries and is paused while
nothing needs painting. After a pause, its first tick comes at once, but its next one is
put off to the second period boundary after that, not the first (its catching-up rounds
up). Typing in the search box meets that at every key: the typed letter is painted at once,
and the results that follow a search later waited up to two periods instead of one. This
timer ticks at the next period boundary after its last tick; otherwise it is Textual's
(same period, paused and resumed by the screen alike, stopped with it).
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import Any, cast

from textual.screen import UPDATE_PERIOD, Screen
from textual.timer import EventTargetGone, Timer


class FrameTimer(Timer):
    """A repeating timer whose ticks fall on period boundaries, each boundary at most once,
    and none skipped but those that passed while it was paused or busy."""

    async def _run(self) -> None:
        interval = self._interval
        active = cast(asyncio.Event, self._active)  # Textual's own cached_property
        await active.wait()
        start = monotonic()
        count = 0
        while True:
            # the first period boundary still ahead: one that passed meanwhile is not
            # caught up, and neither is the one after it put off
            boundary = start + (int((monotonic() - start) / interval) + 1) * interval
            await asyncio.sleep(max(0.0, boundary - monotonic()))
            await active.wait()
            if self._reset:
                start, count, self._reset = monotonic(), 0, False
                continue
            count += 1
            try:
                await self._tick(next_timer=boundary, count=count)
            except EventTargetGone:
                break


def frame_timer(screen: Screen[Any]) -> FrameTimer:
    """A paused ``FrameTimer`` that repaints ``screen``, started and owned by it."""
    timer = FrameTimer(screen, UPDATE_PERIOD, name="screen_update",
                       callback=screen._on_timer_update, pause=True)  # fmt: skip
    timer._start()
    screen._timers.add(timer)  # stopped with the screen, as its own timers are
    return timer

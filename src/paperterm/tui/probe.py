"""The benchmark's hook into the reader's start, inert unless ``$PAPERTERM_PROBE`` is set.

``benchmarks/bench.py`` sets it to a file; the reader appends ``EVENT UNIX_TIME`` to it the
first time each event happens, ``first_screen`` (after the refresh that paints the first
papers), ``search_ready`` (every paper loaded, the index ready) and ``loaded`` (the term
vectors too, the heap settled: the start's work is over, when the benchmark takes the peak
memory), then quits once all have.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

PROBE_ENV = "PAPERTERM_PROBE"
EVENTS = frozenset({"first_screen", "search_ready", "loaded"})


class Probe:
    """Records the start-up events; calls ``done`` (the app's exit) once all happened."""

    def __init__(self, done: Callable[[], object], path: str | None = None) -> None:
        self.path = os.environ.get(PROBE_ENV) if path is None else path
        self.done = done
        self._seen: set[str] = set()

    def __call__(self, event: str) -> None:
        """Note that ``event`` happened (only its first time counts)."""
        if not self.path or event in self._seen:
            return
        self._seen.add(event)
        with Path(self.path).open("a", encoding="utf-8") as out:
            out.write(f"{event} {time.time():.6f}\n")
        if self._seen >= EVENTS:
            self.done()

"""Timing the reader from outside, in a real terminal: tmux, polled with ``capture-pane``.

Nothing here asks the reader when it is done (unlike ``harness.run_probed``, which reads the
reader's own ``PAPERTERM_PROBE`` events): a figure is the wall time from the moment tmux was
asked to start the command to the moment a poll of the pane shows the text looked for. Each
run has its own tmux server (``-L``), so the user's tmux and other runs are never touched.
Polling costs the machine a little (a ``tmux`` process every few ms), as it does the bare
app's run that every figure is printed beside.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

COLUMNS, ROWS = 120, 40
POLL = 0.004  # seconds between two looks at the pane
COINED_TITLE = re.compile(r"[A-Z][a-z]+-\d+: ")  # a row of the benchmark corpus (corpus.py)
COUNT = re.compile(r"\b(\d+) of (\d+)( …)?")  # the search bar's "N of M" (SearchBar)
HEADER_TOTAL = re.compile(r"· (\d+) papers")  # the header's count of papers loaded

BARE_APP = (
    "from textual.app import App\nfrom textual.widgets import Static\n"
    "class Bare(App):\n    def compose(self):\n        yield Static('bare app painted')\n"
    "Bare().run()\n"
)


class Tmux:
    """One private tmux server running one command in a COLUMNS x ROWS window."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.name, *args], capture_output=True,
                              text=True, check=False)  # fmt: skip
        return done.stdout

    def start(self, cmd: list[str], env: dict[str, str]) -> float:
        """Start ``cmd``; returns the time (``time.perf_counter``) just before asking."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        shell = f"env {exports} {shlex.join(cmd)}"
        start = time.perf_counter()
        subprocess.run(["tmux", "-L", self.name, "-f", os.devnull, "new-session", "-d",
                        "-s", "bench", "-x", str(COLUMNS), "-y", str(ROWS), shell],
                       check=True)  # fmt: skip
        return start

    def screen(self) -> str:
        """The pane's text now."""
        return self._tmux("capture-pane", "-p", "-t", "bench")

    def send(self, *keys: str, literal: bool = False) -> float:
        """Type ``keys``; returns the time just before."""
        start = time.perf_counter()
        self._tmux("send-keys", "-t", "bench", *(["-l"] if literal else []), *keys)
        return start

    def wait_for(self, shows: Callable[[str], bool], timeout: float = 120.0) -> float:
        """Poll until ``shows(screen)``; returns the time of the poll that saw it."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            text = self.screen()
            seen = time.perf_counter()
            if shows(text):
                return seen
            time.sleep(POLL)
        raise TimeoutError(f"tmux {self.name}: not seen in {timeout:.0f} s:\n{self.screen()}")

    def wait_idle(self, quiet: float = 0.5, timeout: float = 120.0) -> None:
        """Wait until the command has used no CPU for ``quiet`` seconds (its start is over:
        every paper loaded, the index ready)."""
        pid = int(self._tmux("list-panes", "-t", "bench", "-F", "#{pane_pid}").split()[0])
        deadline = time.perf_counter() + timeout
        used, since = _cpu_ticks(pid), time.perf_counter()
        while time.perf_counter() < deadline:
            time.sleep(0.05)
            now = _cpu_ticks(pid)
            if now != used:
                used, since = now, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                return
        raise TimeoutError(f"tmux {self.name}: still busy after {timeout:.0f} s")

    def stop(self) -> None:
        """End the command and this tmux server."""
        self._tmux("kill-server")


def _cpu_ticks(pid: int) -> int:
    """CPU time (clock ticks) used so far by ``pid`` and its descendants alive now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += map(int, (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


@dataclass
class ReaderRun:
    """Seconds from launch to the first painted rows, and from typing a word to its results."""

    first_rows: float
    word_to_results: float | None


def _counts(text: str) -> tuple[int, int, bool] | None:
    found = COUNT.search(text)
    if found is None:
        return None
    return int(found[1]), int(found[2]), bool(found[3])


def run_reader(cmd: list[str], env: dict[str, str], *, total: int, word: str | None,
               name: str) -> ReaderRun:  # fmt: skip
    """Launch the reader; time its first rows, then (with ``word``) a search typed into it.

    The word is typed once every paper is loaded (the header counts ``TOTAL papers``) and the
    reader has gone idle (its index is ready); its time ends at the first screen whose count
    is settled (no "…") and smaller than the total, with a row of results painted.
    """
    tmux = Tmux(name)
    try:
        start = tmux.start(cmd, env)
        first = tmux.wait_for(lambda text: COINED_TITLE.search(text) is not None) - start
        if word is None:
            return ReaderRun(first, None)

        def loaded(text: str) -> bool:
            found = HEADER_TOTAL.search(text)
            return found is not None and int(found[1]) == total

        tmux.wait_for(loaded)
        tmux.wait_idle()  # the index loads in a worker once the papers are in
        tmux.send("/")
        time.sleep(0.3)
        typed = tmux.send(word, literal=True)

        def results(text: str) -> bool:
            counts = _counts(text)
            return (counts is not None and counts[0] < counts[1] and not counts[2]
                    and COINED_TITLE.search(text) is not None)  # fmt: skip

        return ReaderRun(first, tmux.wait_for(results) - typed)
    finally:
        tmux.stop()


def run_bare(python: str, scratch: Path, name: str) -> float:
    """Seconds from launch to the paint of a bare Textual app (one Static), started alike."""
    script = scratch / "bare_app.py"
    script.write_text(BARE_APP)
    tmux = Tmux(name)
    try:
        start = tmux.start([python, str(script)], {})
        return tmux.wait_for(lambda text: "bare app painted" in text) - start
    finally:
        tmux.stop()

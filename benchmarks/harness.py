"""Running the reader (or a baseline app) as a real process on a pseudo-terminal, and timing it.

``run_probed`` starts a command on a 120x40 pty with ``PAPERTERM_PROBE`` set to a fresh file,
drains its output, and waits for it to exit (the probe makes the reader quit once its start
is over). Event times are wall-clock seconds from just before the process was spawned to the
moment the process wrote the event; peak memory is the child's ``VmHWM``, polled.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

PROBE_ENV = "PAPERTERM_PROBE"  # the reader's hook: paperterm.tui.probe.PROBE_ENV
ROWS, COLUMNS = 40, 120


@dataclass
class Run:
    """What one process did: event times (s from spawn), peak RSS (MB), exit status."""

    events: dict[str, float] = field(default_factory=dict)
    max_rss_mb: float = 0.0
    wall: float = 0.0
    status: int = 0
    output: bytes = b""


def _rusage_mb(ru: object) -> float:
    kb = getattr(ru, "ru_maxrss", 0)
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def _high_water_mb(pid: int) -> float | None:
    """The process's peak RSS so far (Linux ``VmHWM``), or None.

    ``ru_maxrss`` from ``wait4`` is no good here: a child spawned with vfork inherits the
    parent's high-water mark at exec, so every child would seem as big as this benchmark.
    """
    try:
        with Path(f"/proc/{pid}/status").open("rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def run_probed(cmd: list[str], *, env: dict[str, str] | None = None,
               timeout: float = 300.0) -> Run:
    """Run ``cmd`` on a pty with the probe file set; see the module docstring."""
    with tempfile.TemporaryDirectory(prefix="paperterm-probe-") as scratch:
        probe = Path(scratch) / "events"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        full_env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS),
                        LINES=str(ROWS), **(env or {}))  # fmt: skip
        full_env[PROBE_ENV] = str(probe)
        full_env.pop("TEXTUAL", None)
        start = time.time()
        proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                                close_fds=True, start_new_session=True)  # fmt: skip
        os.close(slave)
        run = Run()
        output = bytearray()
        deadline = start + timeout
        peak: float | None = None
        try:
            while True:
                peak = _high_water_mb(proc.pid) or peak
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    with contextlib.suppress(OSError):  # the child closed the terminal
                        output += os.read(master, 1 << 16)
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    run.wall = time.time() - start
                    run.status = os.waitstatus_to_exitcode(status)
                    run.max_rss_mb = peak if peak is not None else _rusage_mb(usage)
                    proc.returncode = run.status
                    break
                if time.time() > deadline:
                    proc.kill()
                    raise TimeoutError(f"{cmd[:3]} did not finish in {timeout:.0f} s")
        finally:
            os.close(master)
        run.output = bytes(output[-4000:])
        if probe.exists():
            for line in probe.read_text().splitlines():
                name, _, stamp = line.partition(" ")
                run.events[name] = float(stamp) - start
    return run


def run_plain_rss(cmd: list[str], *, env: dict[str, str] | None = None) -> Run:
    """Run a command, output discarded: wall time, exit status and peak RSS (polled)."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, **(env or {})))  # fmt: skip
    peak: float | None = None
    while True:
        peak = _high_water_mb(proc.pid) or peak
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = peak if peak is not None else _rusage_mb(usage)
    return Run(wall=time.time() - start, status=proc.returncode, max_rss_mb=rss)

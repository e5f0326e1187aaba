"""Writer processes for the robustness tests, run forked or as ``python robust_workers.py``.

Every writer announces each operation on a pipe before it starts (``b N``) and after it
returned (``d N``), so whoever kills it knows which writes completed and which one was in
flight. Operation ``N`` is fully determined by ``N``: the checker recomputes what it wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from paperterm import cli
from paperterm.digest import paper_id, paper_key
from paperterm.model import PaperState
from paperterm.store import Store

USER = "alice"
BASE_DAY = dt.date(2024, 1, 15)
BASE_DAY_2 = dt.date(2024, 2, 3)
BASE_JAN = [f"January base paper {i}" for i in range(8)]
BASE_FEB = [f"February base paper {i}" for i in range(8)]
NEW_PER_IMPORT = 3


def pid(title: str) -> str:
    """The id the store gives ``title`` (no collisions among these test titles)."""
    return paper_id(paper_key(title))


def is_import(n: int) -> bool:
    return n % 4 == 3


def import_day(n: int) -> dt.date:
    return dt.date(2024, 3, 1) + dt.timedelta(days=n % 45)


def import_titles(n: int) -> list[str]:
    return [f"Crash test paper {n} part {i}" for i in range(NEW_PER_IMPORT)]


def redated(n: int) -> str:
    """The base paper an import re-dates (it appears in that digest again)."""
    return BASE_JAN[n % len(BASE_JAN)]


def targets(n: int) -> list[str]:
    """The ids a state write ``n`` touches: one paper in each of two shards."""
    return [pid(BASE_JAN[n % 8]), pid(BASE_FEB[(3 * n + 1) % 8])]


def state_for(n: int) -> PaperState:
    """What the store writer writes for operation ``n`` (whole states)."""
    return PaperState(starred=n % 2 == 0, read=n % 3 == 0, tags=(f"t{n}",), note=f"write {n}")


def tag_for(n: int) -> str:
    """What the CLI writer adds for operation ``n`` (tags accumulate)."""
    return f"cli-{n}"


def digest_text(n: int) -> str:
    titles = [*import_titles(n), redated(n)]
    body = "\n\n".join(f"{title}\n\nAbstract of {title}, written by operation {n}."
                       for title in titles)  # fmt: skip
    return f"Daily Papers\n\n{import_day(n).isoformat()}\n\n{body}\n"


def _announce(fd: int) -> Callable[[str], None]:
    def say(line: str) -> None:
        os.write(fd, (line + "\n").encode())

    return say


def store_writer(data_dir: Path, fd: int, start: int) -> None:
    """Whole-state writes over two shards and imports through the Store API, forever."""
    from paperterm.digest import parse_digest

    say = _announce(fd)
    with Store.open(data_dir, USER) as store:
        for n in count(start):
            say(f"b {n}")
            if is_import(n):
                store.import_digest(parse_digest(digest_text(n), source=f"op-{n}.txt"))
            else:
                store.restore_states(dict.fromkeys(targets(n), state_for(n)))
            say(f"d {n}")


def cli_writer(data_dir: Path, fd: int, start: int, scratch: Path) -> None:
    """Tag writes and imports through ``paperterm.cli.main`` (a fresh Store each), forever."""
    say = _announce(fd)
    os.environ["PAPERTERM_DATA_DIR"] = str(data_dir)
    os.environ["PAPERTERM_USER"] = USER
    for n in count(start):
        if is_import(n):
            path = scratch / f"op-{n}.txt"
            path.write_text(digest_text(n), encoding="utf-8")
            argv = ["import", str(path)]
        else:
            argv = ["tag", *targets(n), "+" + tag_for(n)]
        say(f"b {n}")
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(argv)
        if code != 0:
            raise SystemExit(f"paperterm {' '.join(argv)} failed with {code}")
        say(f"d {n}")


def wait_for(path: Path, timeout: float = 120.0) -> None:
    """Wait until ``path`` exists (a gate the test opens); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gate {path} never opened")
        time.sleep(0.005)


def cli_loop(data_dir: Path, jobs: list[list[str]], gates: Path | None, blocks: int) -> None:
    """Run ``paperterm ARGS`` for each job through the real CLI entry point; print progress.

    With gates, the jobs run in ``blocks`` blocks, block k once ``gates/gate-k`` exists: on a
    fast machine the loop could otherwise end before the other process begins.
    """
    os.environ["PAPERTERM_DATA_DIR"] = str(data_dir)
    os.environ["PAPERTERM_USER"] = USER
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    failures = 0
    size = -(-len(jobs) // blocks)
    for number, argv in enumerate(jobs):
        if gates is not None and number and number % size == 0:
            wait_for(gates / f"gate-{number // size}")
        with contextlib.redirect_stdout(io.StringIO()):
            failures += cli.main(argv) != 0
    sys.stdout.write(f"done {len(jobs)} failures {failures}\n")
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    mode, data = argv[0], Path(argv[1])
    if mode == "cli-writer":  # cli-writer DATA START SCRATCH; progress on stdout
        cli_writer(data, sys.stdout.fileno(), int(argv[2]), Path(argv[3]))
    elif mode == "cli-loop":  # cli-loop DATA JOBFILE [GATES BLOCKS] (a job per line, tab-separated)
        lines = Path(argv[2]).read_text(encoding="utf-8").splitlines()
        gates = Path(argv[3]) if len(argv) > 3 else None
        cli_loop(data, [line.split("\t") for line in lines], gates, int(argv[4]) if gates else 1)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])

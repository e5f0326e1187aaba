"""Crashes: SIGKILL a writer at random moments, many times, and reopen the store each time.

Two writers, both doing imports and state writes (see ``robust_workers``): a forked process
driving the Store API (whole-state writes across two shards, imports that also re-date an
old paper), and a fresh interpreter driving the real CLI (``paperterm tag`` / ``import``).
After every kill: every store file and last good copy parses, ``Store.open`` works, every
paper's state is the one before the interrupted write or the one it was writing, an
interrupted import's new papers are all there or all absent, and ``paperterm doctor`` has
nothing to repair but temporary files.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import robust_workers as w
from robust_support import USER, Figures, assert_every_file_parses, digest_text

from paperterm.digest import parse_digest
from paperterm.doctor import doctor
from paperterm.index_cache import index_path, open_index, search_cached
from paperterm.model import DEFAULT_STATE, PaperState
from paperterm.query import parse_query
from paperterm.search import SearchIndex
from paperterm.store import Store, paper_stamps

STORE_KILLS = 150
CLI_KILLS = 20
SEED = 20250909


def seed_store(data: Path) -> None:
    with Store.open(data, USER) as store:
        for day, titles in ((w.BASE_DAY, w.BASE_JAN), (w.BASE_DAY_2, w.BASE_FEB)):
            text = digest_text(day, [(t, f"Abstract of {t}.") for t in titles])
            store.import_digest(parse_digest(text, source="base.txt"))
        assert len(store) == 16


def parse_events(raw: bytes) -> tuple[list[int], list[int]]:
    """(begun, done) operation numbers, in order."""
    begun: list[int] = []
    done: list[int] = []
    for line in raw.decode().splitlines():
        kind, number = line.split()
        (begun if kind == "b" else done).append(int(number))
    return begun, done


@dataclass
class Ledger:
    """What the store must hold: per paper, the state of the last completed write."""

    states: dict[str, PaperState] = field(default_factory=dict)
    tags: dict[str, set[str]] = field(default_factory=dict)
    papers: int = 16
    kills: int = 0
    mid_operation: int = 0
    interrupted_landed: int = 0
    completed: int = 0

    def check_imports(self, store: Store, done: list[int], inflight: int | None) -> None:
        """Completed imports are all there; an interrupted one is all there or absent."""
        ids = {paper.id for paper in store.papers()}
        for n in done:
            if w.is_import(n):
                titles = w.import_titles(n)
                assert {w.pid(t) for t in titles} <= ids, f"import {n} lost papers"
                assert w.import_day(n) in store.get(w.pid(w.redated(n))).dates
                self.papers += len(titles)
        if inflight is not None and w.is_import(inflight):
            present = sum(w.pid(t) in ids for t in w.import_titles(inflight))
            assert present in (0, w.NEW_PER_IMPORT), f"import {inflight} half done: {present}"
            self.papers += present
            self.interrupted_landed += present > 0
        assert len(store) == self.papers

def kill_at_random(
    start: Callable[[], tuple[int, Callable[[], None]]], pipe_fd: int, delay: float
) -> tuple[list[int], list[int]]:
    """Start a writer, wait until it begins its first operation, let it run ``delay``
    seconds, SIGKILL it; returns the (begun, done) operations it reported."""
    pid, reap = start()
    with os.fdopen(pipe_fd, "rb") as pipe:
        first = pipe.readline()  # the writer is about to write (EOF if it died early)
        assert first.startswith(b"b "), f"writer died before writing: {first!r}"
        time.sleep(delay)  # the random moment (not a synchronisation)
        os.kill(pid, signal.SIGKILL)
        reap()
        rest = pipe.read()  # every write end is closed now: read to EOF
    return parse_events(first + rest)


def kill_window(data: Path, ctx: multiprocessing.context.BaseContext) -> float:
    """How long the random moments may reach after a writer's first operation begins.

    Three of this machine's operations, measured now on a scratch store (but at least the
    30 ms the test was written for): the kills then fall across a few operations however
    busy the machine is, where a fixed window let a slow machine complete too few.
    """
    seed_store(data)
    read_fd, write_fd = os.pipe()
    proc = ctx.Process(target=w.store_writer, args=(data, write_fd, 0), daemon=True)
    proc.start()
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        assert pipe.readline().startswith(b"b "), "calibration writer died"
        started = time.perf_counter()
        done = 0
        while done < 8 and time.perf_counter() - started < 5.0:
            done += pipe.readline().startswith(b"d ")
        elapsed = time.perf_counter() - started
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
    return max(0.03, 3 * elapsed / max(done, 1))


def after_kill(data: Path, begun: list[int], done: list[int], ledger: Ledger) -> int | None:
    """Common checks; returns the interrupted operation, if any."""
    assert begun and begun[: len(done)] == done, (begun, done)
    assert len(begun) - len(done) <= 1
    inflight = begun[-1] if len(begun) > len(done) else None
    ledger.kills += 1
    ledger.completed += len(done)
    ledger.mid_operation += inflight is not None
    assert_every_file_parses(data)
    lines = doctor(data)
    assert all("temporary file" in line for line in lines), lines
    return inflight


@pytest.mark.slow
def test_store_writer_killed_at_random_moments(tmp_path: Path, figures: Figures) -> None:
    data = tmp_path / "store"
    seed_store(data)
    ledger = Ledger()
    base = [w.pid(t) for t in (*w.BASE_JAN, *w.BASE_FEB)]
    ledger.states = dict.fromkeys(base, DEFAULT_STATE)
    rng = random.Random(SEED)
    ctx = multiprocessing.get_context("fork")
    window = kill_window(tmp_path / "calibration", ctx)
    next_op = 0
    started = time.perf_counter()
    for _ in range(STORE_KILLS):
        read_fd, write_fd = os.pipe()

        def start(op: int = next_op, fd: int = write_fd) -> tuple[int, Callable[[], None]]:
            proc = ctx.Process(target=w.store_writer, args=(data, fd, op), daemon=True)
            proc.start()
            os.close(fd)
            assert proc.pid is not None
            return proc.pid, lambda: proc.join(30)

        begun, done = kill_at_random(start, read_fd, rng.uniform(0.0, window))
        inflight = after_kill(data, begun, done, ledger)
        for n in done:
            if not w.is_import(n):
                ledger.states.update(dict.fromkeys(w.targets(n), w.state_for(n)))
        with Store.open(data, USER) as store:
            for pid in base:
                allowed = [ledger.states[pid]]
                if inflight is not None and not w.is_import(inflight) and (
                    pid in w.targets(inflight)
                ):
                    allowed.append(w.state_for(inflight))
                actual = store.state(pid)
                assert actual in allowed, f"{pid}: {actual} is neither old nor new {allowed}"
                ledger.states[pid] = actual
            if inflight is not None and not w.is_import(inflight):
                ledger.interrupted_landed += any(
                    store.state(pid) == w.state_for(inflight) for pid in w.targets(inflight))
            ledger.check_imports(store, done, inflight)
        next_op = begun[-1] + 1
    elapsed = time.perf_counter() - started
    assert ledger.kills == STORE_KILLS
    assert ledger.completed >= STORE_KILLS // 2, "the writer barely ran: the kills prove little"
    assert ledger.mid_operation > STORE_KILLS // 3, "too few kills landed inside a write"
    assert not list(data.rglob("*.tmp"))
    figures(
        "crash: Store API writer",
        f"{ledger.kills} SIGKILLs survived ({ledger.mid_operation} inside an operation, "
        f"{ledger.interrupted_landed} of those landed; {ledger.completed} operations "
        f"completed, {ledger.papers} papers; kills within {window * 1000:.0f} ms of a start) "
        f"in {elapsed:.1f} s",
    )


@pytest.mark.slow
def check_index_cache(store: Store) -> None:
    """The search index's cache file (and its additions) a killed import left: a word search
    answered from it is the search of an index built afresh, or it is not used at all."""
    papers = store.papers()
    path = index_path(store.data_dir)
    for text in ("abstract", "op", "is:unread abstract"):
        query = parse_query(text)
        expected = SearchIndex(papers).search(query, store.states())
        cached = search_cached(path, paper_stamps(store.data_dir), query, store.states())
        assert cached in (None, expected), text
        index = open_index(papers, path, stamps=store.paper_stamps())
        assert index.search(query, store.states()) == expected, text


def test_cli_writer_killed_at_random_moments(tmp_path: Path, figures: Figures) -> None:
    data = tmp_path / "store"
    scratch = tmp_path / "digests"
    scratch.mkdir()
    seed_store(data)
    ledger = Ledger()
    base = [w.pid(t) for t in (*w.BASE_JAN, *w.BASE_FEB)]
    ledger.tags = {pid: set() for pid in base}
    rng = random.Random(SEED + 1)
    script = Path(w.__file__)
    next_op = 0
    for _ in range(CLI_KILLS):
        read_fd, write_fd = os.pipe()

        def start(op: int = next_op, fd: int = write_fd) -> tuple[int, Callable[[], None]]:
            proc = subprocess.Popen(
                [sys.executable, str(script), "cli-writer", str(data), str(op), str(scratch)],
                stdout=fd, stdin=subprocess.DEVNULL,
            )  # fmt: skip
            os.close(fd)

            def reap() -> None:
                proc.wait(30)

            return proc.pid, reap

        begun, done = kill_at_random(start, read_fd, rng.uniform(0.0, 0.25))
        inflight = after_kill(data, begun, done, ledger)
        for n in done:
            if not w.is_import(n):
                for pid in w.targets(n):
                    ledger.tags[pid].add(w.tag_for(n))
        with Store.open(data, USER) as store:
            for pid in base:
                actual = set(store.state(pid).tags)
                extra = actual - ledger.tags[pid]
                assert ledger.tags[pid] <= actual, f"{pid} lost {ledger.tags[pid] - actual}"
                allowed_extra = {w.tag_for(inflight)} if inflight is not None else set()
                assert extra <= allowed_extra, f"{pid} has tags nobody wrote: {extra}"
                ledger.tags[pid] = actual
            ledger.check_imports(store, done, inflight)
            check_index_cache(store)
        next_op = begun[-1] + 1
    assert ledger.kills == CLI_KILLS and ledger.completed > CLI_KILLS
    assert sum(len(tags) for tags in ledger.tags.values()) > 0
    figures(
        "crash: CLI writer",
        f"{ledger.kills} SIGKILLs survived ({ledger.mid_operation} inside an operation, "
        f"{ledger.completed} CLI commands completed)",
    )

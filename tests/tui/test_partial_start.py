"""Pilot tests of the fast start: the newest papers first, the rest and the index in a worker."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerCancelled

import paperterm.store as store_module
import paperterm.triage as triage_module
from paperterm.model import Digest, ParsedPaper
from paperterm.store import Remaining, Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.probe import PROBE_ENV

MONTHS = 5
PER_MONTH = 6


def month_digests() -> list[Digest]:
    digests = []
    for m in range(MONTHS):
        day = dt.date(2024, m + 1, 10)
        papers = tuple(
            ParsedPaper(f"Paper {m}-{i} about {'robots' if i % 2 else 'diffusion'}",
                        f"Abstract {m}-{i} of a study.", (), 1 + 2 * i)
            for i in range(PER_MONTH)
        )  # fmt: skip
        digests.append(Digest(day, papers, f"d{m}.txt"))
    return digests


@pytest.fixture
def big_store(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with Store.open(data_dir, "alice") as store:
        store.import_digests(month_digests())
        oldest = store.papers()[-1].id
        store.set_pref("selected", oldest)  # the last session ended on the oldest paper
    monkeypatch.setattr(store_module, "FIRST_PAPERS", PER_MONTH)  # one shard at first
    return data_dir


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def status(app: PapertermApp) -> str:
    """The search bar's count (or error) as shown."""
    return str(app.main_screen.query_one("#search-status", Static).render()).strip()


class Gate:
    """Holds ``Store.read_remaining`` until opened."""

    def __init__(self, store: Store) -> None:
        self.open = threading.Event()
        self._read = store.read_remaining

    def read(self) -> Remaining:
        assert self.open.wait(10)
        return self._read()


async def test_papers_show_before_the_rest_is_loaded_and_all_after(
    big_store: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(big_store, "alice", eager=False) as store:
        gate = Gate(store)
        monkeypatch.setattr(store, "read_remaining", gate.read)
        oldest = store.get_pref("selected")
        app = make_app(store)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(3):
                await pilot.pause()
            paper_list = app.main_screen.paper_list
            assert len(paper_list.ids) == PER_MONTH  # the newest month, before the rest
            assert not store.complete
            gate.open.set()
            await settle(app, pilot)
            assert store.complete
            assert len(paper_list.ids) == MONTHS * PER_MONTH
            assert paper_list.current_id == oldest  # the saved selection, once loaded
            assert app.triage.index is not None


async def test_a_search_waits_for_the_index_then_runs(
    big_store: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(triage_module, "SCAN_AT_MOST", 0)  # never index on the spot
    with Store.open(big_store, "alice", eager=False) as store:
        gate = Gate(store)
        monkeypatch.setattr(store, "read_remaining", gate.read)
        app = make_app(store)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await pilot.press("slash", *"robots")
            for _ in range(3):
                await pilot.pause()
            screen = app.main_screen
            assert screen.waiting_for_index
            assert len(screen.paper_list.ids) == PER_MONTH  # the list stays as it was
            assert status(app).endswith("…")  # the count says a search is on its way
            gate.open.set()
            await settle(app, pilot)
            assert not screen.waiting_for_index
            ids = screen.paper_list.ids
            assert len(ids) == MONTHS * PER_MONTH // 2
            assert all("robots" in store.get(pid).title for pid in ids)
            assert status(app) == f"{len(ids)} of {MONTHS * PER_MONTH}"


async def test_the_probe_records_startup_and_quits(
    sample_store: Store, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = tmp_path / "probe.txt"
    monkeypatch.setenv(PROBE_ENV, str(probe))
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        # The probe quits the app, which cancels a worker still finishing (the loader's
        # settle_heap, slow on a big heap): a cancelled worker is part of quitting here.
        with contextlib.suppress(WorkerCancelled):
            await settle(app, pilot)
    events = [line.split()[0] for line in probe.read_text().splitlines()]
    assert sorted(events) == ["first_screen", "loaded", "search_ready"]
    assert app.return_code in (None, 0)


async def test_without_the_probe_nothing_is_written(
    sample_store: Store, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PROBE_ENV, raising=False)
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.is_running
    assert not list(tmp_path.glob("probe*"))


async def test_a_search_that_keeps_the_paper_does_not_redraw_its_detail(
    sample_store: Store, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperterm.tui.widgets.paper_detail as detail_module

    calls: list[object] = []
    real = detail_module.detail_text

    def counting(entry: object, *hint: str) -> object:
        calls.append(entry)
        return real(entry, *hint)  # type: ignore[arg-type]

    monkeypatch.setattr(detail_module, "detail_text", counting)
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        before = len(calls)
        app.main_screen.run_search("")  # same results, same paper under the cursor
        await settle(app, pilot)
        assert len(calls) == before
        await pilot.press("s")  # its marks change: drawn again
        await settle(app, pilot)
        assert len(calls) == before + 1


async def test_a_slow_search_shows_that_it_is_running(
    sample_store: Store, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        search = app.triage.search
        release = threading.Event()

        def slow(text: str, snapshot: triage_module.Snapshot, *, wait: bool) -> list[str] | None:
            assert release.wait(10)
            return search(text, snapshot, wait=wait)

        monkeypatch.setattr(app.triage, "search", slow)
        await pilot.press("slash", *"agent")
        await pilot.pause(0.05)
        assert not status(app).endswith("…")  # a quick search never shows it
        await pilot.pause(0.3)
        assert status(app).endswith("…")
        release.set()
        await settle(app, pilot)
        assert status(app) == f"{len(app.main_screen.paper_list.ids)} of {len(sample_store)}"

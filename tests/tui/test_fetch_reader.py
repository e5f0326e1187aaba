"""Pilot tests of "Fetch new papers" (palette and F) against the fake API on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.pilot import Pilot

from fake_hf import FakeHF, Reply, hf_day
from paperterm.errors import PapertermError
from paperterm.fetch import FetchPolicy
from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.fetching import FetchProgress, load_fetch_on_start

pytestmark = pytest.mark.timeout(60)

TODAY = dt.datetime.now(dt.UTC).date()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def endpoint(hf_server: FakeHF, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeHF:
    monkeypatch.setenv("HF_ENDPOINT", hf_server.url)
    monkeypatch.setenv("PAPERTERM_CACHE_DIR", str(tmp_path / "cache"))
    return hf_server


def impatient(app: PapertermApp) -> PapertermApp:
    app.fetcher.policy = FetchPolicy(timeout=2.0, backoff=0.01)
    return app


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[None], condition: object) -> None:
    """Let the app run until ``condition()`` holds (the test's timeout bounds it)."""
    assert callable(condition)
    while not condition():
        await pilot.pause(0.02)


def messages(app: PapertermApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_palette_command_fetches_today_into_the_list(
    hf_server: FakeHF, sample_store: Store, make_app, tmp_path: Path
) -> None:
    hf_server.days[str(TODAY)] = hf_day(str(TODAY), 5)
    before = len(sample_store)
    app = impatient(make_app(sample_store))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Fetch new papers")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(sample_store) == before + 5
        ids = app.main_screen.paper_list.ids
        assert len(ids) == before + 5
        assert sample_store.get(ids[0]).title == "Paper 1 of " + str(TODAY) + ": learning things"
        assert "1 day fetched: 5 new, 0 already known" in messages(app)
        assert not app.main_screen.query(FetchProgress)  # gone once done
    assert (tmp_path / "cache" / "daily-papers" / f"daily-papers-{TODAY}.json").is_file()
    assert TODAY in sample_store.fetch_log()


async def test_days_appear_as_they_land_and_the_reader_stays_responsive(
    hf_server: FakeHF, sample_store: Store, make_app
) -> None:
    # the last fetch was yesterday morning: yesterday and today are fetched
    sample_store.record_fetch(YESTERDAY, dt.datetime.combine(YESTERDAY, dt.time(6),
                                                             tzinfo=dt.UTC))  # fmt: skip
    hf_server.days[str(YESTERDAY)] = hf_day(str(YESTERDAY), 3)
    hf_server.then(str(TODAY), Reply(hang=30))  # today hangs until released
    before = len(sample_store)
    app = make_app(sample_store)
    app.fetcher.policy = FetchPolicy(timeout=30.0, backoff=0.01)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await until(pilot, lambda: len(app.main_screen.paper_list.ids) == before + 3)
        assert app.fetcher.running
        progress = app.main_screen.query_one(FetchProgress)
        assert progress.is_attached
        # keys still work while today's request hangs
        current = app.main_screen.paper_list.current_id
        assert current is not None
        await pilot.press("s")
        await pilot.pause()
        assert sample_store.state(current).starred
        await pilot.press("F")  # a second fetch is refused while one runs
        await pilot.pause()
        assert "A fetch is already running." in messages(app)
        hf_server.release.set()
        await settle(app, pilot)
        assert not app.fetcher.running
        assert [r.line() for r in app.fetcher.last] == [
            f"{YESTERDAY}: 3 new, 0 already known",
            f"{TODAY}: 0 new, 0 already known (no papers listed)",
        ]
        assert "2 days fetched: 3 new, 0 already known" in messages(app)


async def test_failures_are_toasts_not_crashes(
    closed_port: str, sample_store: Store, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", closed_port)
    app = impatient(make_app(sample_store))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await settle(app, pilot)
        assert f"{TODAY}: could not reach 127.0.0.1: connection refused" in messages(app)
        assert "0 days fetched: 0 new, 0 already known; 1 day failed" in messages(app)
        assert app.is_running
        monkeypatch.setenv("HF_ENDPOINT", "gopher://nowhere")
        await pilot.press("F")
        await settle(app, pilot)
        assert any("is not an http(s) URL" in m for m in messages(app))
        assert not app.main_screen.query(FetchProgress)


async def test_fetch_on_start(hf_server: FakeHF, sample_store: Store, make_app) -> None:
    hf_server.days[str(TODAY)] = hf_day(str(TODAY), 2)
    app = impatient(make_app(sample_store, fetch_on_start=True))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert "1 day fetched: 2 new, 0 already known" in messages(app)
    assert len(hf_server.requests_for(str(TODAY))) == 1


def test_fetch_on_start_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_fetch_on_start(path) is False
    path.write_text("[reader]\nfetch_on_start = true\n")
    assert load_fetch_on_start(path) is True
    path.write_text("fetch_on_start = true\n")
    assert load_fetch_on_start(path) is True
    path.write_text('[reader]\nfetch_on_start = "yes"\n')
    with pytest.raises(PapertermError, match="fetch_on_start must be true or false"):
        load_fetch_on_start(path)
    path.write_text("[reader\n")
    with pytest.raises(PapertermError, match=r"config.toml: invalid config file"):
        load_fetch_on_start(path)

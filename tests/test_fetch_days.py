"""A fetch into a real store from the fake API on 127.0.0.1: days, cache, log, failures."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_hf import FakeHF, Reply, hf_day, hf_item
from paperterm.captures.hf_json import digest_from_api
from paperterm.errors import PapertermError
from paperterm.fetch import DailyPapersClient, FetchPolicy
from paperterm.fetch_days import (
    DayReport,
    cache_file,
    days_between,
    default_days,
    fetch_days,
    month_days,
    summary,
    week_days,
)
from paperterm.store import FetchRecord, Store

pytestmark = pytest.mark.timeout(60)

FAST = FetchPolicy(timeout=1.0, tries=3, backoff=0.01, max_wait=2.0)
D = dt.date.fromisoformat
NOON = dt.datetime(2026, 10, 22, 12, 0, tzinfo=dt.UTC)


async def no_sleep(seconds: float) -> None:
    """The retries' waits, skipped."""


async def run(
    store: Store, fake: FakeHF | str, days: list[str], cache: Path | None = None,
    *, refresh: bool = False, at: dt.datetime = NOON,
) -> list[DayReport]:
    endpoint = fake if isinstance(fake, str) else fake.url
    async with DailyPapersClient(endpoint, FAST, sleep=no_sleep, rng=random.Random(0)) as api:
        return [report async for report in fetch_days(
            store, [D(day) for day in days], api, cache_dir=cache, refresh=refresh,
            now=lambda: at)]  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "store", "alice")


async def test_days_land_in_the_store_and_the_log(
    hf_server: FakeHF, store: Store, tmp_path: Path
) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 130)
    hf_server.days["2026-10-21"] = [*hf_day("2026-10-20", 3), hf_item("2026-10-21", 1)]
    reports = await run(store, hf_server, ["2026-10-20", "2026-10-21"], tmp_path / "cache")
    assert [r.line() for r in reports] == ["2026-10-20: 130 new, 0 already known",
                                           "2026-10-21: 1 new, 3 already known"]
    assert store.count == 131
    paper = store.get(reports[1].new_ids[0])
    assert paper.title == "Paper 1 of 2026-10-21: learning things"
    assert paper.dates == (D("2026-10-21"),)
    assert summary(reports) == "2 days fetched: 131 new, 3 already known"
    log = store.fetch_log()
    assert log == {D("2026-10-20"): FetchRecord(NOON), D("2026-10-21"): FetchRecord(NOON)}


async def test_the_raw_json_is_kept_and_reads_back_as_the_same_digest(
    hf_server: FakeHF, store: Store, tmp_path: Path
) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 120)
    await run(store, hf_server, ["2026-10-20"], tmp_path / "cache")
    kept = cache_file(tmp_path / "cache", D("2026-10-20"))
    assert kept.name == "daily-papers-2026-10-20.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert data == hf_server.days["2026-10-20"]  # both pages, joined, as the API sent them
    again = Store.open(tmp_path / "offline", "alice")
    result = again.import_digest(digest_from_api(data, source=str(kept), date=D("2026-10-20")))
    assert result.new == 120
    assert sorted(p.title for p in again.papers()) == sorted(p.title for p in store.papers())


async def test_an_empty_day_is_fetched_and_imports_nothing(
    hf_server: FakeHF, store: Store, tmp_path: Path
) -> None:
    reports = await run(store, hf_server, ["2026-10-18"], tmp_path / "cache")
    assert reports == [DayReport(D("2026-10-18"))]
    assert reports[0].line() == "2026-10-18: 0 new, 0 already known (no papers listed)"
    assert store.count == 0
    assert not (tmp_path / "cache").exists()
    assert D("2026-10-18") in store.fetch_log()


async def test_a_failed_day_leaves_the_store_as_it_was_and_the_others_are_kept(
    hf_server: FakeHF, store: Store, tmp_path: Path
) -> None:
    hf_server.days["2026-10-19"] = hf_day("2026-10-19", 4)
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 150)
    hf_server.days["2026-10-21"] = hf_day("2026-10-21", 5)
    # the second page of the 20th fails: its first page must not be imported either
    hf_server.then("2026-10-20", *[Reply(503)] * 3, page=1)
    reports = await run(store, hf_server, ["2026-10-19", "2026-10-20", "2026-10-21"],
                        tmp_path / "cache")
    assert [r.line() for r in reports] == ["2026-10-19: 4 new, 0 already known",
                                           "2026-10-20: HTTP 503 after 3 tries",
                                           "2026-10-21: 5 new, 0 already known"]
    assert store.count == 9
    assert all(D("2026-10-20") not in p.dates for p in store.papers())
    assert not cache_file(tmp_path / "cache", D("2026-10-20")).exists()
    assert store.fetch_log()[D("2026-10-20")] == FetchRecord(None, NOON)
    assert summary(reports) == "2 days fetched: 9 new, 0 already known; 1 day failed"


async def test_a_closed_port_fails_every_day(closed_port: str, store: Store) -> None:
    reports = await run(store, closed_port, ["2026-10-20", "2026-10-21"])
    assert [r.line() for r in reports] == [
        "2026-10-20: could not reach 127.0.0.1: connection refused",
        "2026-10-21: could not reach 127.0.0.1: connection refused",
    ]
    assert store.count == 0
    assert all(record.pending for record in store.fetch_log().values())


async def test_malformed_json_fails_the_day_only(hf_server: FakeHF, store: Store) -> None:
    hf_server.then("2026-10-20", Reply(body=b"[{]"))
    hf_server.days["2026-10-21"] = hf_day("2026-10-21", 2)
    reports = await run(store, hf_server, ["2026-10-20", "2026-10-21"])
    assert reports[0].error is not None
    assert reports[0].error.startswith("malformed JSON from 127.0.0.1 (page 1): ")
    assert reports[1].line() == "2026-10-21: 2 new, 0 already known"


async def test_items_missing_fields_are_read_or_skipped_with_a_warning(
    hf_server: FakeHF, store: Store
) -> None:
    odd = [
        {"paper": {"id": "2610.00001"}},  # no title: skipped
        {"paper": {"title": "Only a title", "summary": None, "authors": None,
                   "upvotes": "many", "githubRepo": 5}},
        {"paper": {"title": "Title on the item too"}, "title": "Title on the item too",
         "unknownField": {"x": 1}},
        hf_item("2026-10-20", 1, ai_keywords=None, githubRepo="lab/repo1"),
    ]
    hf_server.then("2026-10-20", Reply(body=json.dumps(odd).encode()))
    [report] = await run(store, hf_server, ["2026-10-20"])
    assert report.line() == "2026-10-20: 3 new, 0 already known"
    assert len(report.warnings) == 1
    assert "item 1: no title, skipped" in report.warnings[0]
    assert sorted(p.title for p in store.papers()) == [
        "Only a title", "Paper 1 of 2026-10-20: learning things", "Title on the item too"]


async def test_an_item_that_is_not_an_object_fails_the_day(
    hf_server: FakeHF, store: Store
) -> None:
    hf_server.then("2026-10-20", Reply(body=json.dumps([hf_item("2026-10-20", 1), 7]).encode()))
    [report] = await run(store, hf_server, ["2026-10-20"])
    assert report.error is not None
    assert "item 2: expected an object, got a number" in report.error
    assert store.count == 0


async def test_a_day_fetched_in_the_last_hour_is_skipped_unless_refresh(
    hf_server: FakeHF, store: Store
) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 2)
    await run(store, hf_server, ["2026-10-20"])
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 3)
    later = NOON + dt.timedelta(minutes=59)
    [skipped] = await run(store, hf_server, ["2026-10-20"], at=later)
    assert skipped.skipped == NOON
    assert skipped.line(later) == "2026-10-20: fetched 59 min ago, not fetched again"
    assert len(hf_server.requests_for("2026-10-20")) == 1
    [again] = await run(store, hf_server, ["2026-10-20"], at=later, refresh=True)
    assert again.line() == "2026-10-20: 1 new, 2 already known"
    [after_an_hour] = await run(store, hf_server, ["2026-10-20"],
                                at=later + dt.timedelta(hours=1))
    assert after_an_hour.line() == "2026-10-20: 0 new, 3 already known"
    assert summary([skipped, again]) == ("1 day fetched: 1 new, 2 already known; "
                                         "1 day fetched in the last hour skipped")
    assert summary([skipped]) == "nothing to fetch: 1 day fetched in the last hour"


async def test_rate_limiting_stops_the_days_left(hf_server: FakeHF, store: Store) -> None:
    hf_server.days["2026-10-19"] = hf_day("2026-10-19", 1)
    hf_server.then("2026-10-20", Reply(429, {"Retry-After": "3600"}))
    reports = await run(store, hf_server, ["2026-10-19", "2026-10-20", "2026-10-21"])
    assert [r.line() for r in reports] == [
        "2026-10-19: 1 new, 0 already known",
        "2026-10-20: HTTP 429 after 1 try: 127.0.0.1 asks to wait 3600 s",
        "2026-10-21: not tried: 127.0.0.1 is limiting requests "
        "(HTTP 429 after 1 try: 127.0.0.1 asks to wait 3600 s)",
    ]
    assert hf_server.requests_for("2026-10-21") == []
    assert store.fetch_log()[D("2026-10-21")].pending


def test_week_and_month_days() -> None:
    today = D("2026-10-22")
    assert week_days("2026-W43", D("2030-01-01")) == [D("2026-10-19") + dt.timedelta(days=n)
                                                      for n in range(7)]
    assert week_days("2026-W43", today) == [D("2026-10-19"), D("2026-10-20"), D("2026-10-21"),
                                            D("2026-10-22")]
    assert week_days("2026-W01", today)[0] == D("2025-12-29")  # ISO weeks cross years
    assert len(month_days("2026-02", today)) == 28
    assert len(month_days("2024-02", today)) == 29
    assert month_days("2026-12", D("2027-01-01"))[-1] == D("2026-12-31")
    assert month_days("2026-10", today)[-1] == today
    assert month_days("2026-11", today) == []
    for bad in ("2026-43", "2026-W54", "26-W01", "2026-W3"):
        with pytest.raises(PapertermError, match=r"invalid week"):
            week_days(bad, today)
    for bad in ("2026-13", "2026-00", "2026-1", "October"):
        with pytest.raises(PapertermError, match=r"invalid month"):
            month_days(bad, today)


def test_default_days() -> None:
    today = D("2026-10-22")
    assert default_days({}, today) == [today]
    at = dt.datetime(2026, 10, 19, 9, 0, tzinfo=dt.UTC)
    fetched = {D("2026-10-19"): FetchRecord(at),
               D("2020-01-01"): FetchRecord(at - dt.timedelta(hours=1))}
    assert default_days(fetched, today) == [D("2026-10-19"), D("2026-10-20"), D("2026-10-21"),
                                            today]
    # a day that failed is tried again by the next plain fetch, if it failed lately
    failed = {**fetched, D("2026-10-10"): FetchRecord(None, at),
              D("2026-01-01"): FetchRecord(None, at)}
    assert default_days(failed, today)[0] == D("2026-10-10")
    assert D("2026-01-01") not in default_days(failed, today)
    # fetched again after it failed: no longer pending
    fixed = {**fetched, D("2026-10-10"): FetchRecord(at, at - dt.timedelta(minutes=5))}
    assert default_days(fixed, today)[0] == D("2026-10-19")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9998, 12, 1)))
def test_every_day_is_in_its_week_and_its_month(day: dt.date) -> None:
    year, week, _ = day.isocalendar()
    days = week_days(f"{year:04d}-W{week:02d}", dt.date.max)
    assert day in days
    assert len(days) == 7
    assert days[0].isoweekday() == 1
    assert days == days_between(days[0], days[-1])
    month = month_days(f"{day.year:04d}-{day.month:02d}", dt.date.max)
    assert day in month
    assert month[0].day == 1
    assert (month[-1] + dt.timedelta(days=1)).day == 1
    assert all(d.month == day.month for d in month)
    assert week_days(f"{year:04d}-W{week:02d}", day)[-1] == day


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_week_and_month_parsing_raise_only_papertermerror(text: str) -> None:
    for parse in (week_days, month_days):
        try:
            parse(text, dt.date(2026, 10, 22))
        except PapertermError as error:
            assert "\n" not in str(error)


async def test_escape_sequences_from_the_server_never_reach_the_store(
    hf_server: FakeHF, store: Store
) -> None:
    hostile = hf_item("2026-10-20", 1, title="\x1b]52;c;ZXZpbA==\x07Evil \x1b[31mred\x1b[0m title",
                      summary="Body\x1b[2J with\x00 controls\u202e")  # fmt: skip
    hf_server.then("2026-10-20", Reply(body=json.dumps([hostile]).encode()))
    [report] = await run(store, hf_server, ["2026-10-20"])
    assert report.line() == "2026-10-20: 1 new, 0 already known"
    [paper] = store.papers()
    for text in (paper.title, paper.abstract):
        assert not any(ch in text for ch in "\x1b\x07\x00\u202e"), repr(text)
    assert "Evil" in paper.title

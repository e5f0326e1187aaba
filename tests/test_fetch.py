"""The Daily Papers client against a real HTTP server on 127.0.0.1 (``hf_server``)."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_hf import FakeHF, Reply, hf_day
from paperterm.errors import PapertermError
from paperterm.fetch import (
    PAGE_LIMIT,
    DailyPapersClient,
    FetchError,
    FetchPolicy,
    RateLimitedError,
    resolve_endpoint,
    retry_after_seconds,
)

pytestmark = pytest.mark.timeout(30)

DAY = dt.date(2026, 10, 20)
FAST = FetchPolicy(timeout=2.0, tries=4, backoff=0.01, max_wait=5.0)


class Sleeps:
    """A sleep that records how long it was asked to wait, and waits not at all."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client(fake: FakeHF | str, policy: FetchPolicy = FAST,
           sleeps: Sleeps | None = None) -> DailyPapersClient:
    endpoint = fake if isinstance(fake, str) else fake.url
    return DailyPapersClient(endpoint, policy, sleep=sleeps or Sleeps(), rng=random.Random(1))


async def test_every_page_of_a_day_in_order(hf_server: FakeHF) -> None:
    hf_server.days[DAY.isoformat()] = hf_day(DAY.isoformat(), 2 * PAGE_LIMIT + 30)
    pages: list[int] = []
    async with client(hf_server) as api:
        items = await api.day(DAY, on_page=pages.append)
    assert len(items) == 230
    assert [item["paper"]["upvotes"] for item in items] == list(range(1, 231))  # type: ignore[index]
    assert pages == [0, 1, 2]
    params = [seen.params for seen in hf_server.requests_for("2026-10-20")]
    assert params == [{"date": "2026-10-20", "limit": "100", "p": str(p)} for p in range(3)]


async def test_a_full_last_page_costs_one_empty_page(hf_server: FakeHF) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", PAGE_LIMIT)
    async with client(hf_server) as api:
        assert len(await api.day(DAY)) == PAGE_LIMIT
    assert len(hf_server.requests_for("2026-10-20")) == 2


async def test_an_empty_day_is_an_empty_list(hf_server: FakeHF) -> None:
    async with client(hf_server) as api:
        assert await api.day(dt.date(2026, 10, 18)) == []
    assert len(hf_server.seen) == 1


async def test_429_waits_as_retry_after_says(hf_server: FakeHF) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 3)
    hf_server.then("2026-10-20", Reply(429, {"Retry-After": "2"}), Reply(429, {"Retry-After": "1"}))
    sleeps = Sleeps()
    async with client(hf_server, sleeps=sleeps) as api:
        assert len(await api.day(DAY)) == 3
    assert sleeps.waits == [2.0, 1.0]
    assert len(hf_server.requests_for("2026-10-20")) == 3


async def test_429_with_a_real_one_second_retry_after(hf_server: FakeHF) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 1)
    hf_server.then("2026-10-20", Reply(429, {"Retry-After": "1"}))
    async with DailyPapersClient(hf_server.url, FAST) as api:  # the real asyncio.sleep
        assert len(await api.day(DAY)) == 1
    assert len(hf_server.seen) == 2


async def test_a_retry_after_beyond_max_wait_is_not_waited_for(hf_server: FakeHF) -> None:
    hf_server.then("2026-10-20", Reply(429, {"Retry-After": "3600"}))
    sleeps = Sleeps()
    async with client(hf_server, sleeps=sleeps) as api:
        with pytest.raises(RateLimitedError, match=r"^HTTP 429 after 1 try: 127.0.0.1 asks "
                           r"to wait 3600 s$"):
            await api.day(DAY)
    assert sleeps.waits == []


async def test_500_then_success(hf_server: FakeHF) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 5)
    hf_server.then("2026-10-20", Reply(500, body=b"<html>oops</html>"))
    sleeps = Sleeps()
    async with client(hf_server, sleeps=sleeps) as api:
        assert len(await api.day(DAY)) == 5
    # the first retry waits between half the backoff and the backoff: jitter
    assert len(sleeps.waits) == 1
    assert FAST.backoff / 2 <= sleeps.waits[0] <= FAST.backoff


async def test_backoff_doubles_with_jitter_and_gives_up_after_the_tries(
    hf_server: FakeHF,
) -> None:
    hf_server.then("2026-10-20", *[Reply(503)] * 10)
    sleeps = Sleeps()
    policy = FetchPolicy(timeout=2.0, tries=4, backoff=0.4, max_wait=1.0)
    async with client(hf_server, policy, sleeps) as api:
        with pytest.raises(FetchError, match=r"^HTTP 503 after 4 tries$"):
            await api.day(DAY)
    assert len(hf_server.seen) == 4
    assert len(sleeps.waits) == 3
    for wait, ceiling in zip(sleeps.waits, (0.4, 0.8, 1.0), strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert len(set(sleeps.waits)) == 3


async def test_a_4xx_is_not_tried_again(hf_server: FakeHF) -> None:
    hf_server.then("2026-10-20", Reply(404), Reply(200))
    sleeps = Sleeps()
    async with client(hf_server, sleeps=sleeps) as api:
        with pytest.raises(FetchError, match=r"^HTTP 404$") as caught:
            await api.day(DAY)
    assert not isinstance(caught.value, RateLimitedError)
    assert len(hf_server.seen) == 1
    assert sleeps.waits == []


async def test_a_request_that_hangs_times_out_and_is_tried_again(hf_server: FakeHF) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", 2)
    hf_server.then("2026-10-20", Reply(hang=10))
    policy = FetchPolicy(timeout=0.3, tries=4, backoff=0.01)
    async with client(hf_server, policy) as api:
        assert len(await api.day(DAY)) == 2
    assert len(hf_server.seen) == 2


async def test_a_request_that_always_hangs_fails_naming_the_timeout(hf_server: FakeHF) -> None:
    hf_server.then("2026-10-20", *[Reply(hang=10)] * 2)
    policy = FetchPolicy(timeout=0.25, tries=2, backoff=0.01)
    async with client(hf_server, policy) as api:
        with pytest.raises(FetchError, match=r"^timed out after 0.25 s$"):
            await api.day(DAY)
    assert len(hf_server.seen) == 2


async def test_a_closed_port_is_connection_refused_after_the_tries(closed_port: str) -> None:
    sleeps = Sleeps()
    async with client(closed_port, sleeps=sleeps) as api:
        with pytest.raises(FetchError,
                           match=r"^could not reach 127.0.0.1: connection refused$"):
            await api.day(DAY)
        assert api.requests == 4
    assert len(sleeps.waits) == 3


async def test_malformed_json_names_the_page(hf_server: FakeHF) -> None:
    hf_server.days["2026-10-20"] = hf_day("2026-10-20", PAGE_LIMIT + 1)
    hf_server.then("2026-10-20", Reply(body=b'[{"paper": {"id": "2610.0'), page=1)
    async with client(hf_server) as api:
        with pytest.raises(FetchError, match=r"^malformed JSON from 127.0.0.1 \(page 2\): "):
            await api.day(DAY)


@pytest.mark.parametrize("body", [b'{"error": "Invalid date"}', b'"text"', b"null"])
async def test_json_that_is_not_a_list_is_refused(hf_server: FakeHF, body: bytes) -> None:
    hf_server.then("2026-10-20", Reply(body=body))
    async with client(hf_server) as api:
        with pytest.raises(FetchError, match=r"^unexpected JSON from 127.0.0.1 \(page 1\): a "):
            await api.day(DAY)


async def test_items_missing_fields_come_back_as_sent(hf_server: FakeHF) -> None:
    odd = [{"paper": {"id": "2610.1"}}, {"paper": None}, {}, 7, {"paper": {"title": None}}]
    hf_server.then("2026-10-20", Reply(body=json.dumps(odd).encode()))
    async with client(hf_server) as api:
        assert await api.day(DAY) == odd


async def test_a_server_that_never_ends_a_day_is_stopped(hf_server: FakeHF) -> None:
    page = json.dumps(hf_day("2026-10-20", PAGE_LIMIT)).encode()
    for number in range(40):
        hf_server.then("2026-10-20", Reply(body=page), page=number)
    async with client(hf_server) as api:
        with pytest.raises(FetchError, match=r"sent 20 full pages for one day"):
            await api.day(DAY)


def test_retry_after_forms() -> None:
    now = dt.datetime(2026, 10, 20, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds(" 0 ", now) == 0.0
    assert retry_after_seconds("Tue, 20 Oct 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Tue, 20 Oct 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-3", now) is None
    assert retry_after_seconds("²", now) is None  # a digit to str.isdigit, not a number
    assert retry_after_seconds(None, now) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_retry_after_is_seconds_or_none(text: str) -> None:
    seconds = retry_after_seconds(text, dt.datetime(2026, 10, 20, tzinfo=dt.UTC))
    assert seconds is None or seconds >= 0


def test_endpoint_from_hf_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert resolve_endpoint() == "https://huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "http://mirror.example:8080/")
    assert resolve_endpoint() == "http://mirror.example:8080"
    assert resolve_endpoint("https://other.example") == "https://other.example"
    monkeypatch.setenv("HF_ENDPOINT", "ftp://mirror.example")
    with pytest.raises(PapertermError, match=r"HF_ENDPOINT='ftp://mirror.example' is not"):
        resolve_endpoint()


async def test_an_endpoint_with_a_path_keeps_it(hf_server: FakeHF) -> None:
    async with client(hf_server.url + "/mirror/") as api:
        assert api.source(DAY) == f"{hf_server.url}/mirror/api/daily_papers?date=2026-10-20"
        with pytest.raises(FetchError, match=r"^HTTP 404$"):
            await api.day(DAY)
    assert hf_server.seen[0].path == "/mirror/api/daily_papers"

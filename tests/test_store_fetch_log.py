"""The store's fetch log: when each day was fetched, per store, kept like every store file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from paperterm.doctor import doctor
from paperterm.errors import CorruptStoreError, StoreError
from paperterm.store import FETCH_LOG, FetchRecord, Store

DAY = dt.date(2026, 10, 20)
AT = dt.datetime(2026, 10, 20, 9, 30, tzinfo=dt.UTC)


def test_fetches_and_failures_are_logged_per_store(tmp_path: Path) -> None:
    alice = Store.open(tmp_path, "alice")
    assert alice.fetch_log() == {}
    alice.record_fetch(DAY, AT, failed=True)
    assert alice.fetch_log() == {DAY: FetchRecord(None, AT)}
    assert alice.fetch_log()[DAY].pending
    later = AT + dt.timedelta(hours=2)
    alice.record_fetch(DAY, later)
    record = Store.open(tmp_path, "bob").fetch_log()[DAY]  # another user, same log
    assert record == FetchRecord(later, AT)
    assert not record.pending


def test_a_time_in_another_zone_reads_back_equal(tmp_path: Path) -> None:
    store = Store.open(tmp_path, "alice")
    paris = dt.datetime(2026, 10, 20, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    store.record_fetch(DAY, paris)
    assert store.fetch_log()[DAY].fetched == AT


def test_a_naive_time_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="timezone-aware"):
        Store.open(tmp_path, "alice").record_fetch(DAY, dt.datetime(2026, 10, 20, 9, 30))
    assert not (tmp_path / FETCH_LOG).exists()


def test_malformed_entries_are_left_out(tmp_path: Path) -> None:
    (tmp_path / FETCH_LOG).write_text(json.dumps({"days": {
        "2026-10-20": {"fetched": "2026-10-20T09:30:00+00:00"},
        "2026-10-21": {"fetched": "yesterday", "failed": 3},
        "not a day": {"fetched": "2026-10-20T09:30:00+00:00"},
        "2026-10-22": {"fetched": "2026-10-22T08:00:00"},  # naive: read as UTC
    }}))
    log = Store.open(tmp_path, "alice").fetch_log()
    assert log == {DAY: FetchRecord(AT),
                   dt.date(2026, 10, 22): FetchRecord(dt.datetime(2026, 10, 22, 8, tzinfo=dt.UTC))}


def test_a_corrupt_log_is_an_error_that_doctor_repairs(tmp_path: Path) -> None:
    store = Store.open(tmp_path, "alice")
    store.record_fetch(DAY, AT)
    store.record_fetch(DAY + dt.timedelta(days=1), AT)  # the previous version is the .bak
    (tmp_path / FETCH_LOG).write_text('{"days": {"2026-')
    with pytest.raises(CorruptStoreError, match=r"fetched.json: not valid JSON"):
        Store.open(tmp_path, "alice").fetch_log()
    actions = doctor(tmp_path)
    assert len(actions) == 1
    assert "fetched.json: was corrupt; restored the last good copy" in actions[0]
    assert Store.open(tmp_path, "alice").fetch_log() == {DAY: FetchRecord(AT)}

"""Two small files of the store: a user's preferences (``users/NAME/prefs.json``) and the
per-store fetch log (``fetched.json``), read and written through TinyDB tables the store
hands in (writes with the store's exclusive lock held)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperterm import store_schema
from paperterm.errors import StoreError
from paperterm.storage import StrTable
from paperterm.store_shards import Shards

FETCH_LOG = "fetched.json"
"""When each day was fetched from the web (``paperterm fetch``): per store, not per user."""


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """When a day's list was last fetched from the web, and when a fetch of it last failed
    (timezone-aware; None: never)."""

    fetched: dt.datetime | None = None
    failed: dt.datetime | None = None

    @property
    def pending(self) -> bool:
        """True when the last fetch of the day failed."""
        return self.failed is not None and (self.fetched is None or self.failed > self.fetched)


def get_pref(table: StrTable, key: str, default: Any = None) -> Any:
    """Preference ``key`` (a JSON value, a copy), else ``default``."""
    doc = table.raw().get(key)
    return default if doc is None else copy.deepcopy(doc.get("value", default))


def json_value(key: str, value: Any) -> Any:
    """``value`` as JSON gives it back; StoreError naming ``key`` when it is not JSON."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise StoreError(f"preference {key!r}: not a JSON value ({exc})") from None


def set_pref(table: StrTable, key: str, value: Any) -> None:
    """Store preference ``key`` (a JSON value) unless it holds that already."""
    current = table.raw().get(key)
    if current is None or current.get("value") != value:
        table.modify(lambda docs: docs.update({key: {"value": value}}))


def fetch_log(table: StrTable) -> dict[dt.date, FetchRecord]:
    """The fetch log by day; a malformed entry is left out (it costs a fetch again)."""
    log: dict[dt.date, FetchRecord] = {}
    for key, doc in table.raw().items():
        try:
            day = dt.date.fromisoformat(key)
        except ValueError:
            continue
        record = FetchRecord(_moment(doc.get("fetched")), _moment(doc.get("failed")))
        if record.fetched or record.failed:
            log[day] = record
    return log


def record_fetch(table: StrTable, day: dt.date, at: dt.datetime, *, failed: bool) -> None:
    """Log that ``day`` was fetched (or failed to be) at ``at`` (timezone-aware)."""
    key = day.isoformat()
    doc = {**table.raw().get(key, {}), ("failed" if failed else "fetched"): at.isoformat()}
    table.modify(lambda docs: docs.update({key: doc}))


def _moment(value: object) -> dt.datetime | None:
    """A stored ISO timestamp (aware), or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


class PrefsAndFetchLog:
    """The store's preferences per user and its fetch log: a base of ``Store``, whose
    facade they are part of (the functions above do the work)."""

    data_dir: Path
    _shards: Shards

    def _prefs(self) -> StrTable:
        return self._shards.table(self._shards.user_dir / "prefs.json", "prefs")

    def get_pref(self, key: str, default: Any = None) -> Any:
        """The current user's preference ``key`` (a JSON value), else ``default``."""
        return get_pref(self._prefs(), key, default)

    def set_pref(self, key: str, value: Any) -> None:
        """Save the current user's preference ``key``; ``value`` must be JSON."""
        value = json_value(key, value)
        with store_schema.writing(self._shards):
            set_pref(self._prefs(), key, value)

    def _fetch_table(self) -> StrTable:
        return self._shards.table(self.data_dir / FETCH_LOG, "days")

    def fetch_log(self) -> dict[dt.date, FetchRecord]:
        """When each day was fetched from the web (``FETCH_LOG``); a malformed entry is
        left out (it costs a fetch again, nothing else)."""
        return fetch_log(self._fetch_table())

    def record_fetch(self, day: dt.date, at: dt.datetime, *, failed: bool = False) -> None:
        """Note that ``day`` was fetched (or failed to be) at ``at``, a timezone-aware time.

        Call it after the day's import: a crash between the two costs a fetch again, never
        a day logged as fetched whose papers are not in.
        """
        if at.tzinfo is None:
            raise StoreError("record_fetch: the time must be timezone-aware")
        with store_schema.writing(self._shards):
            record_fetch(self._fetch_table(), day, at, failed=failed)

"""A fetch: which days, and each day from Hugging Face into the store, one after another.

Shared by ``paperterm fetch`` and the reader's "Fetch new papers". For each day:
every page is fetched (``paperterm.fetch``), the items become a digest (the ``hf-json``
reader, ``captures.hf_json``), the raw JSON is kept in the cache folder (so ``paperterm
import`` can read the day again offline), the digest is imported, and the day is logged as
fetched (``Store.record_fetch``; the log is per store). A day that fails changes nothing in
the store and is logged as failed, so the next plain fetch tries it again; the days that
succeeded are kept. A day fetched in the last hour is not fetched again unless asked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from paperterm.atomicfile import write_file_atomic
from paperterm.captures.hf_json import digest_from_api
from paperterm.errors import PapertermError, StoreError
from paperterm.fetch import DailyPapersClient, RateLimitedError
from paperterm.store import FetchRecord, Store
from paperterm.text import plural

REFETCH_AFTER = dt.timedelta(hours=1)
"""A day fetched more recently than this is not fetched again (unless ``refresh``)."""
RETRY_FAILED_FOR = dt.timedelta(days=31)
"""A plain fetch tries again the days that failed this recently."""

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def utc_now() -> dt.datetime:
    """Now, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def utc_today() -> dt.date:
    """Today in UTC: the Daily Papers lists are dated in UTC."""
    return utc_now().date()


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last``, both included (empty when ``first > last``)."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def week_days(text: str, today: dt.date) -> list[dt.date]:
    """The days of ISO week ``YYYY-Www`` (Monday to Sunday) up to ``today``.

    Raises PapertermError for a malformed or impossible week.
    """
    match = _WEEK.match(text.strip())
    if match is None:
        raise PapertermError(f"invalid week {text!r}: use YYYY-Www, e.g. 2026-W43")
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise PapertermError(f"invalid week {text!r}: {match[1]} has no week {match[2]}") from None
    return days_between(monday, min(monday + dt.timedelta(days=6), today))


def month_days(text: str, today: dt.date) -> list[dt.date]:
    """The days of month ``YYYY-MM`` up to ``today``. Raises PapertermError when malformed."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise PapertermError(f"invalid month {text!r}: use YYYY-MM, e.g. 2026-10")
    first = dt.date(int(match[1]), int(match[2]), 1)
    following = (first + dt.timedelta(days=31)).replace(day=1)
    return days_between(first, min(following - dt.timedelta(days=1), today))


def default_days(log: Mapping[dt.date, FetchRecord], today: dt.date) -> list[dt.date]:
    """The days a plain ``paperterm fetch`` fetches.

    From the day of the last successful fetch (that day may have gained papers since) to
    today, and the days whose last fetch failed in the last ``RETRY_FAILED_FOR``; the
    first time, today alone.
    """
    fetched = [record.fetched for record in log.values() if record.fetched is not None]
    if not fetched:
        days = {today}
    else:
        days = set(days_between(min(max(fetched).astimezone(dt.UTC).date(), today), today))
    oldest = today - RETRY_FAILED_FOR
    days.update(day for day, record in log.items()
                if record.pending and oldest <= day <= today)  # fmt: skip
    return sorted(days)


@dataclass(frozen=True, slots=True)
class DayReport:
    """What became of one day: imported (``new``, ``known``), ``skipped`` (fetched at that
    time, recently), or failed (``error``, the cause in one line)."""

    day: dt.date
    new: int = 0
    known: int = 0
    warnings: tuple[str, ...] = ()
    new_ids: tuple[str, ...] = ()
    error: str | None = None
    skipped: dt.datetime | None = None

    @property
    def failed(self) -> bool:
        """True when the day could not be fetched or imported."""
        return self.error is not None

    def line(self, now: dt.datetime | None = None) -> str:
        """One line, as ``paperterm import`` prints: ``2026-10-20: 130 new, 0 already known``."""
        day = self.day.isoformat()
        if self.error is not None:
            return f"{day}: {self.error}"
        if self.skipped is not None:
            minutes = int(((now or utc_now()) - self.skipped).total_seconds() // 60)
            return f"{day}: fetched {max(minutes, 0)} min ago, not fetched again"
        empty = " (no papers listed)" if not self.new and not self.known else ""
        return f"{day}: {self.new} new, {self.known} already known{empty}"


def summary(reports: Iterable[DayReport]) -> str:
    """One line over a fetch: days fetched, papers new and known, days skipped and failed."""
    reports = list(reports)
    done = [r for r in reports if not r.failed and r.skipped is None]
    skipped = sum(1 for r in reports if r.skipped is not None)
    failed = sum(1 for r in reports if r.failed)
    new = sum(r.new for r in done)
    known = sum(r.known for r in done)
    if skipped and not done and not failed:
        return f"nothing to fetch: {plural(skipped, 'day')} fetched in the last hour"
    parts = [f"{plural(len(done), 'day')} fetched: {new} new, {known} already known"]
    if skipped:
        parts.append(f"{plural(skipped, 'day')} fetched in the last hour skipped")
    if failed:
        parts.append(f"{plural(failed, 'day')} failed")
    return "; ".join(parts)




def cache_file(cache_dir: Path, day: dt.date) -> Path:
    """Where the raw JSON of ``day`` is kept (the date in the name dates it on import)."""
    return cache_dir / f"daily-papers-{day.isoformat()}.json"


async def fetch_days(
    store: Store,
    days: Sequence[dt.date],
    client: DailyPapersClient,
    *,
    cache_dir: Path | None = None,
    refresh: bool = False,
    now: Callable[[], dt.datetime] = utc_now,
    on_page: Callable[[dt.date, int], object] | None = None,
) -> AsyncIterator[DayReport]:
    """Fetch ``days`` in turn into ``store``, yielding each day's report once it is in.

    The store is used on the caller's thread only (between awaits). ``on_page(day, n)`` is
    called before each page is asked for. Once the server keeps answering 429, the days
    left are not tried (each is reported failed): asking on would only prolong the wait.
    """
    log = store.fetch_log()
    limited: str | None = None
    for day in days:
        record = log.get(day)
        if (not refresh and record is not None and record.fetched is not None
                and now() - record.fetched < REFETCH_AFTER):  # fmt: skip
            yield DayReport(day, skipped=record.fetched)
            continue
        if limited is not None:
            yield _failed(store, day, now(), f"not tried: {client.host} is limiting requests "
                                             f"({limited})")  # fmt: skip
            continue
        try:
            items = await client.day(day, None if on_page is None else _page_hook(on_page, day))
            yield _import_day(store, day, items, client, cache_dir, now())
        except RateLimitedError as error:
            limited = str(error)
            yield _failed(store, day, now(), limited)
        except PapertermError as error:  # FetchError, DigestError, StoreError
            yield _failed(store, day, now(), str(error))


def _page_hook(on_page: Callable[[dt.date, int], object], day: dt.date) -> Callable[[int], object]:
    return lambda page: on_page(day, page)


def _failed(store: Store, day: dt.date, at: dt.datetime, error: str) -> DayReport:
    """Log ``day`` as failed (so a plain fetch tries it again) and report it."""
    with contextlib.suppress(StoreError):  # the store is what failed: the error says enough
        store.record_fetch(day, at, failed=True)
    return DayReport(day, error=error)


def _import_day(
    store: Store,
    day: dt.date,
    items: list[object],
    client: DailyPapersClient,
    cache_dir: Path | None,
    at: dt.datetime,
) -> DayReport:
    """Keep the raw JSON, import the day's papers, log the day. Raises PapertermError."""
    if not items:  # a day without papers (a weekend): nothing to import or keep
        store.record_fetch(day, at)
        return DayReport(day)
    digest = digest_from_api(items, source=client.source(day), date=day)
    warnings: list[str] = []
    if cache_dir is not None:
        # Before the import: a day the store refuses can still be imported from it later.
        target = cache_file(cache_dir, day)
        try:
            write_file_atomic(target, orjson.dumps(items), backup=False)
        except OSError as error:
            warnings.append(f"could not keep the raw JSON in {target}: "
                            f"{error.strerror or error}")  # fmt: skip
    result = store.import_digests([digest])[0]
    store.record_fetch(day, at)
    return DayReport(day, result.new, result.known, (*result.warnings, *warnings),
                     result.new_ids)  # fmt: skip

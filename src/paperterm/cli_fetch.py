"""``paperterm fetch``: its options, and the run (the work is ``paperterm.fetch_days``).

Prints a line per day like ``paperterm import`` and a summary; failed days are one line
each on stderr, exit 1. A progress bar (``rich.progress``) only on a terminal; ``--quiet``
prints errors only, for cron.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from paperterm.cli_args import date_arg
from paperterm.errors import PapertermError
from paperterm.paths import fetched_days_dir, resolve_data_dir, resolve_user
from paperterm.text import sanitize

if TYPE_CHECKING:
    from paperterm.fetch import FetchPolicy
    from paperterm.fetch_days import DayReport
    from paperterm.store import Store

MAX_DAYS = 366
"""Days one fetch may ask for: a year of requests at once is a burden on the server."""

EPILOG = """\
examples:
  paperterm fetch                        # every day since the last fetch (first time: today)
  paperterm fetch --date 2026-10-20      # one day
  paperterm fetch --since 2026-10-01     # from that day to today
  paperterm fetch --week 2026-W43        # the days of an ISO week
  paperterm fetch --month 2026-10 -q     # the days of a month, errors only

The list comes from https://huggingface.co/api/daily_papers ($HF_ENDPOINT overrides the
host). A day fetched in the last hour is not fetched again without --refresh. Each day's
raw JSON is kept in the cache folder, where `paperterm import FILE` reads it again."""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"invalid timeout {text!r}: seconds, above 0, at most 600")
    return value


def _period(kind: str) -> Callable[[str], str]:
    """An argparse type checking a ``--week`` or ``--month`` value (a usage error if bad)."""

    def check(text: str) -> str:
        from paperterm.fetch_days import month_days, week_days

        try:
            (week_days if kind == "week" else month_days)(text, dt.date.max)
        except PapertermError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return text.strip()

    return check


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add ``fetch``'s options and examples to its subparser."""
    parser.epilog = EPILOG
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="fetch this day only")
    which.add_argument("--since", type=date_arg, metavar="YYYY-MM-DD",
                       help="fetch every day from this one to today")
    which.add_argument("--week", type=_period("week"), metavar="YYYY-Www",
                       help="fetch the days of this ISO week")
    which.add_argument("--month", type=_period("month"), metavar="YYYY-MM",
                       help="fetch the days of this month")
    parser.add_argument("--refresh", action="store_true",
                        help="fetch days again even if they were fetched in the last hour")
    parser.add_argument("--timeout", type=_seconds, default=20.0, metavar="S",
                        help="give up on a request after S seconds (default 20); "
                             "each request is tried up to 4 times")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print errors only (for cron)")


def _days(args: argparse.Namespace, store: Store, today: dt.date) -> list[dt.date]:
    from paperterm.fetch_days import days_between, default_days, month_days, week_days

    if args.date is not None:
        asked, days = str(args.date), [args.date]
    elif args.since is not None:
        asked, days = str(args.since), days_between(args.since, today)
    elif args.week is not None:
        asked, days = f"week {args.week}", week_days(args.week, today)
    elif args.month is not None:
        asked, days = f"month {args.month}", month_days(args.month, today)
    else:
        return default_days(store.fetch_log(), today)
    if not days or days[0] > today:
        raise PapertermError(f"fetch: {asked} is after today ({today.isoformat()}, UTC): "
                             "no papers to fetch yet")  # fmt: skip
    if len(days) > MAX_DAYS:
        raise PapertermError(f"fetch: {len(days)} days asked for, at most {MAX_DAYS} at a time "
                             "(split it with --month)")  # fmt: skip
    return days


def run(args: argparse.Namespace, *, policy: FetchPolicy | None = None) -> int:
    """Fetch the days the arguments name into the store; the exit code (1 if any failed).

    ``policy`` replaces the default network policy but for ``--timeout`` (tests make it
    impatient).
    """
    import asyncio  # here, not at the top: every command builds fetch's parser

    from paperterm.fetch import FetchPolicy
    from paperterm.fetch_days import utc_today
    from paperterm.store import Store

    policy = replace(policy or FetchPolicy(), timeout=args.timeout)
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    with Store.open(data_dir, resolve_user(getattr(args, "user", None))) as store:
        days = _days(args, store, utc_today())
        reports = asyncio.run(_fetch(store, days, args, policy))
        if any(report.new or report.known for report in reports):
            from paperterm.index_cache import keep_store_current

            keep_store_current(store)  # a cron fetch, then a word search from the shell
    return 1 if any(report.failed for report in reports) else 0


async def _fetch(
    store: Store, days: list[dt.date], args: argparse.Namespace, policy: FetchPolicy
) -> list[DayReport]:
    from paperterm.fetch import DailyPapersClient
    from paperterm.fetch_days import fetch_days, summary

    reports: list[DayReport] = []
    quiet: bool = args.quiet
    async with DailyPapersClient(policy=policy) as client:
        with _progress(len(days), enabled=not quiet and sys.stdout.isatty()) as show:
            stream = fetch_days(store, days, client, cache_dir=fetched_days_dir(),
                                refresh=args.refresh,
                                on_page=lambda day, page: show(day, page, len(reports)))
            async for report in stream:
                reports.append(report)
                show(None, 0, len(reports))
                if report.failed:
                    _err(report.line())
                elif not quiet:
                    _out(report.line())
                    for warning in report.warnings:
                        _out(f"  warning: {warning}")
    if not quiet:
        hint = " (--refresh fetches them again)" if any(r.skipped for r in reports) else ""
        _out(summary(reports) + hint)
    return reports


Show = Callable[[dt.date | None, int, int], None]


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Show]:
    """A progress bar over the days while the block runs (on a terminal; else nothing).

    Yields ``show(day, page, done)``: the day and page being fetched (day None: between
    days) and how many days are done.
    """
    if not enabled:
        yield lambda day, page, done: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    # The lines printed meanwhile go through rich's redirection of stdout and stderr, as
    # plain text (rich reads no markup in them), above the bar; the bar goes when done.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  transient=True) as progress:  # fmt: skip
        task = progress.add_task("fetching", total=total)

        def show(day: dt.date | None, page: int, done: int) -> None:
            what = "fetching" if day is None else f"fetching {day.isoformat()}"
            if day is not None and page:
                what += f" (page {page + 1})"
            progress.update(task, description=what, completed=done)

        yield show


def _out(line: str) -> None:
    sys.stdout.write(sanitize(line) + "\n")
    sys.stdout.flush()


def _err(line: str) -> None:
    sys.stderr.write(f"paperterm: {sanitize(line, single_line=True)}\n")
    sys.stderr.flush()

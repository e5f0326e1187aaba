"""``paperterm fetch`` end to end: subprocesses with HF_ENDPOINT on the fake API (127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from fake_hf import FakeHF, Reply, hf_day
from paperterm.cli_fetch import run as run_fetch
from paperterm.cli_parser import build_parser, parse_args
from paperterm.fetch import FetchPolicy
from test_cli import answers_from_file

pytestmark = pytest.mark.timeout(120)

TODAY = dt.datetime.now(dt.UTC).date()
DAY1, DAY2, DAY3 = (TODAY - dt.timedelta(days=n) for n in (2, 1, 0))


def env_for(tmp_path: Path, endpoint: str) -> dict[str, str]:
    env = {**os.environ, "PAPERTERM_DATA_DIR": str(tmp_path / "store"),
           "PAPERTERM_CACHE_DIR": str(tmp_path / "cache"), "PAPERTERM_USER": "alice",
           "HF_ENDPOINT": endpoint}  # fmt: skip
    for name in ("PAPERTERM_CONFIG_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "http_proxy", "https_proxy", "all_proxy"):  # fmt: skip
        env.pop(name, None)
    return env


def paperterm(tmp_path: Path, endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paperterm", *args], capture_output=True,
                          text=True, env=env_for(tmp_path, endpoint), timeout=60,
                          check=False)  # fmt: skip


def listed(tmp_path: Path, endpoint: str) -> list[dict[str, object]]:
    out = paperterm(tmp_path, endpoint, "list", "--json").stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def three_days(hf_server: FakeHF) -> FakeHF:
    hf_server.days[DAY1.isoformat()] = hf_day(DAY1.isoformat(), 130)
    hf_server.days[DAY3.isoformat()] = hf_day(DAY3.isoformat(), 12)
    return hf_server


def test_fetch_since_prints_a_line_per_day_and_a_summary(
    three_days: FakeHF, tmp_path: Path
) -> None:
    result = paperterm(tmp_path, three_days.url, "fetch", "--since", DAY1.isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"{DAY1}: 130 new, 0 already known",
        f"{DAY2}: 0 new, 0 already known (no papers listed)",
        f"{DAY3}: 12 new, 0 already known",
        "3 days fetched: 142 new, 0 already known",
    ]
    assert answers_from_file(tmp_path / "store")  # a word search next answers from the file
    assert len(listed(tmp_path, three_days.url)) == 142
    kept = sorted(p.name for p in (tmp_path / "cache" / "daily-papers").iterdir())
    assert kept == [f"daily-papers-{DAY1}.json", f"daily-papers-{DAY3}.json"]
    # requests one after another: two pages, one, one
    assert [s.params["date"] for s in three_days.seen] == [str(DAY1), str(DAY1), str(DAY2),
                                                            str(DAY3)]


def test_the_kept_json_imports_again_offline(three_days: FakeHF, tmp_path: Path) -> None:
    assert paperterm(tmp_path, three_days.url, "fetch", "--since", str(DAY1)).returncode == 0
    offline = tmp_path / "offline"
    offline.mkdir()
    result = paperterm(offline, "http://127.0.0.1:9", "import",
                       str(tmp_path / "cache" / "daily-papers"))
    assert result.returncode == 0, result.stderr
    assert f"{DAY1}: 130 new, 0 already known" in result.stdout
    assert f"{DAY3}: 12 new, 0 already known" in result.stdout
    fetched = sorted(str(p["title"]) for p in listed(tmp_path, three_days.url))
    assert sorted(str(p["title"]) for p in listed(offline, "http://127.0.0.1:9")) == fetched


def test_a_plain_fetch_goes_on_from_the_last_one(three_days: FakeHF, tmp_path: Path) -> None:
    first = paperterm(tmp_path, three_days.url, "fetch")  # the first time: today
    assert first.stdout.splitlines() == [f"{DAY3}: 12 new, 0 already known",
                                         "1 day fetched: 12 new, 0 already known"]
    again = paperterm(tmp_path, three_days.url, "fetch")
    assert again.returncode == 0
    assert again.stdout.splitlines() == [
        f"{DAY3}: fetched 0 min ago, not fetched again",
        "nothing to fetch: 1 day fetched in the last hour (--refresh fetches them again)",
    ]
    assert len(three_days.requests_for(str(DAY3))) == 1
    refreshed = paperterm(tmp_path, three_days.url, "fetch", "--refresh")
    assert refreshed.stdout.splitlines()[0] == f"{DAY3}: 0 new, 12 already known"


def test_failed_days_are_one_line_each_exit_1_and_the_others_are_kept(
    three_days: FakeHF, tmp_path: Path
) -> None:
    three_days.then(str(DAY2), *[Reply(503, {"Retry-After": "0"})] * 4)
    three_days.then(str(DAY3), Reply(404))
    result = paperterm(tmp_path, three_days.url, "fetch", "--since", DAY1.isoformat())
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"paperterm: {DAY2}: HTTP 503 after 4 tries",
                                          f"paperterm: {DAY3}: HTTP 404"]
    assert result.stdout.splitlines() == [f"{DAY1}: 130 new, 0 already known",
                                          "1 day fetched: 130 new, 0 already known; "
                                          "2 days failed"]
    assert len(listed(tmp_path, three_days.url)) == 130
    # the next plain fetch tries the failed days again
    retry = paperterm(tmp_path, three_days.url, "fetch")
    assert retry.returncode == 0, retry.stderr
    assert retry.stdout.splitlines()[:2] == [f"{DAY2}: 0 new, 0 already known (no papers listed)",
                                             f"{DAY3}: 12 new, 0 already known"]


def test_quiet_prints_errors_only(three_days: FakeHF, tmp_path: Path) -> None:
    ok = paperterm(tmp_path, three_days.url, "fetch", "--date", DAY1.isoformat(), "-q")
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    three_days.then(str(DAY3), Reply(400))
    bad = paperterm(tmp_path, three_days.url, "fetch", "--week",
                    "{}-W{:02d}".format(*TODAY.isocalendar()[:2]), "--quiet")
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr.splitlines() == [f"paperterm: {DAY3}: HTTP 400"]


def test_a_month_is_its_days_up_to_today(three_days: FakeHF, tmp_path: Path) -> None:
    result = paperterm(tmp_path, three_days.url, "fetch", "--month", TODAY.strftime("%Y-%m"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == TODAY.day + 1
    assert lines[0].startswith(f"{TODAY.replace(day=1)}: ")
    assert lines[-2] == f"{DAY3}: 12 new, 0 already known"
    assert {s.params["date"] for s in three_days.seen} == {
        str(TODAY.replace(day=d)) for d in range(1, TODAY.day + 1)}


def test_a_closed_port_is_one_line_per_day(closed_port: str, tmp_path: Path) -> None:
    result = paperterm(tmp_path, closed_port, "fetch", "--date", DAY1.isoformat(), "-q")
    assert result.returncode == 1
    assert result.stderr == f"paperterm: {DAY1}: could not reach 127.0.0.1: connection refused\n"


@pytest.mark.parametrize(("args", "code", "needle"), [
    (["--week", "2026-W60"], 2, "invalid week '2026-W60': 2026 has no week 60"),
    (["--month", "2026-13"], 2, "invalid month '2026-13'"),
    (["--date", "2026-02-30"], 2, "invalid date '2026-02-30'"),
    (["--date", "2026-10-20", "--since", "2026-10-01"], 2, "not allowed with argument"),
    (["--timeout", "0"], 2, "invalid timeout '0'"),
    (["--date", str(TODAY + dt.timedelta(days=3))], 1, f"{TODAY + dt.timedelta(days=3)} is "
                                                        f"after today ({TODAY}, UTC)"),
    (["--month", f"{TODAY.year + 1}-01"], 1, f"month {TODAY.year + 1}-01 is after today"),
    (["--week", f"{TODAY.year + 1}-W02"], 1, f"week {TODAY.year + 1}-W02 is after today"),
    (["--since", "2020-01-01"], 1, "at most 366 at a time"),
])  # fmt: skip
def test_bad_options_are_one_line(
    hf_server: FakeHF, tmp_path: Path, args: list[str], code: int, needle: str
) -> None:
    result = paperterm(tmp_path, hf_server.url, "fetch", *args)
    assert result.returncode == code
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert needle in result.stderr
    assert hf_server.seen == []


def test_a_bad_hf_endpoint_is_one_line(tmp_path: Path) -> None:
    result = paperterm(tmp_path, "file:///etc", "fetch")
    assert result.returncode == 1
    assert result.stderr == ("paperterm: HF_ENDPOINT='file:///etc' is not an http(s) URL "
                             "(e.g. https://huggingface.co)\n")


def test_help_shows_examples(tmp_path: Path) -> None:
    result = paperterm(tmp_path, "http://127.0.0.1:9", "fetch", "--help")
    assert result.returncode == 0
    assert "examples:\n  paperterm fetch  " in result.stdout
    assert "paperterm fetch --week 2026-W43" in result.stdout
    assert "HF_ENDPOINT" in result.stdout


def test_timeout_option_sets_the_deadline(
    hf_server: FakeHF, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # in-process, with an impatient backoff: --timeout still decides the deadline
    for name, value in env_for(tmp_path, hf_server.url).items():
        monkeypatch.setenv(name, value)
    hf_server.then(str(DAY3), *[Reply(hang=10)] * 4)
    args = parse_args(build_parser(), ["fetch", "--timeout", "0.2"])
    assert run_fetch(args, policy=FetchPolicy(backoff=0.01)) == 1
    assert capsys.readouterr().err == f"paperterm: {DAY3}: timed out after 0.2 s\n"
    assert len(hf_server.seen) == 4


def test_a_progress_bar_on_a_terminal_only(three_days: FakeHF, tmp_path: Path) -> None:
    main, side = pty.openpty()
    env = {**env_for(tmp_path, three_days.url), "TERM": "xterm-256color", "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "paperterm", "fetch", "--since",
                                DAY1.isoformat()], stdout=side, stderr=side, env=env)  # fmt: skip
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=60) == 0
    os.close(main)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "0/3" in shown  # the bar's count of days
    assert "\x1b[" in shown
    for line in (f"{DAY1}: 130 new, 0 already known", "3 days fetched: 142 new"):
        assert line in shown

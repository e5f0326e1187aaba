"""The command line end to end: real subprocesses over a temporary PAPERTERM_DATA_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paperterm.paths import sample_digest_paths

SAMPLES = sample_digest_paths()


def run(data_dir: Path, *args: str, stdin: str | None = None,
        user: str = "alice") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAPERTERM_DATA_DIR": str(data_dir), "PAPERTERM_USER": user}
    env.pop("PAPERTERM_CONFIG_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "paperterm", *args],
        capture_output=True, text=True, input=stdin, env=env, timeout=120, check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    result = run(data, "import", *map(str, SAMPLES))
    assert result.returncode == 0, result.stderr
    return data


def ids(data: Path, *query: str) -> list[str]:
    result = run(data, "list", "--json", *query)
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def answers_from_file(data: Path) -> bool:
    """Whether a word search in the store at ``data`` answers from the index's cache file
    (made from the store's files as they are now) without loading the store."""
    from paperterm.index_cache import index_path, search_cached
    from paperterm.query import parse_query
    from paperterm.store import paper_stamps

    found = search_cached(index_path(data), paper_stamps(data), parse_query("the"), {})
    return found is not None


def test_import_leaves_the_search_index_cache_current(store_dir: Path) -> None:
    from paperterm.index_cache import index_path, read_ids

    cached = read_ids(index_path(store_dir))
    assert cached is not None and cached == set(ids(store_dir))
    assert answers_from_file(store_dir)
    found = ids(store_dir, "reinforcement learning")
    assert found
    index_path(store_dir).unlink()  # built afresh: the same answer
    assert ids(store_dir, "reinforcement learning") == found


def test_a_truncated_or_older_cache_file_is_rebuilt_not_trusted(store_dir: Path) -> None:
    from paperterm.index_cache import index_path, read_ids

    found = ids(store_dir, "reinforcement learning")
    path = index_path(store_dir)
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"paperterm-index 3 little 1 2 3\nxx"):
        path.write_bytes(damaged)
        assert ids(store_dir, "reinforcement learning") == found
        assert read_ids(path) == set(ids(store_dir))  # rewritten whole


def test_import_reports_new_and_known(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = run(data, "import", str(SAMPLES[0]), str(SAMPLES[1]))
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].endswith(": 76 new, 0 already known")
    assert lines[1].endswith(": 63 new, 15 already known")
    again = run(data, "import", str(SAMPLES[0]))
    assert again.stdout.strip().endswith(": 0 new, 76 already known")
    assert len(ids(data)) == 139


def test_import_folder_stdin_and_date_override(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "digests" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_bytes(SAMPLES[0].read_bytes())
    result = run(data, "import", str(tmp_path / "digests"))
    assert result.returncode == 0 and "76 new" in result.stdout
    text = SAMPLES[1].read_text(encoding="utf-8")
    piped = run(data, "import", "-", "--date", "2024-02-29", stdin=text)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith("<stdin>: 2024-02-29: 63 new, 15 already known")
    assert len(ids(data, "date:2024-02-29")) == 78


def test_import_partial_failure_exit_1_others_imported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "page.html"
    bad.write_text("<!doctype html><html><body>hi</body></html>", encoding="utf-8")
    result = run(data, "import", str(bad), str(SAMPLES[0]))
    assert result.returncode == 1
    assert "page.html" in result.stderr and "HTML" in result.stderr
    assert "Traceback" not in result.stderr
    assert "76 new" in result.stdout
    assert len(ids(data)) == 76


def test_import_missing_file_and_no_args(tmp_path: Path) -> None:
    result = run(tmp_path / "d", "import", str(tmp_path / "nope.txt"))
    assert result.returncode == 1 and "nope.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert_one_line_error(run(tmp_path / "d", "import"), "import")


def test_list_orders_newest_first_and_by_relevance(store_dir: Path) -> None:
    rows = [json.loads(line) for line in run(store_dir, "list", "--json").stdout.splitlines()]
    dates = [row["dates"][-1] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert set(rows[0]) >= {"id", "title", "abstract", "dates", "links", "code_url",
                            "starred", "read", "tags"}
    relevant = run(store_dir, "list", "--json", "continual", "learning").stdout.splitlines()
    assert "Continual" in json.loads(relevant[0])["title"]


def test_list_json_fields(store_dir: Path) -> None:
    rows = [json.loads(line) for line in run(store_dir, "list", "--json").stdout.splitlines()]
    verl = next(row for row in rows if row["title"].startswith("VerlTool"))
    assert verl["code_url"] == "https://github.com/TIGER-AI-Lab/verl-tool"
    assert {"url": "https://github.com/TIGER-AI-Lab/verl-tool", "kind": "code"} in verl["links"]
    assert verl["starred"] is False and verl["read"] is False and verl["tags"] == []
    assert all(len(d) == 10 for d in verl["dates"])


def test_star_read_tag_roundtrip(store_dir: Path) -> None:
    first, second = ids(store_dir)[:2]
    assert run(store_dir, "star", first, second[:4]).returncode == 0
    assert run(store_dir, "read", first).returncode == 0
    tagged = run(store_dir, "tag", first, "+rl", "+To Read")
    assert tagged.returncode == 0, tagged.stderr
    assert "#rl" in tagged.stdout and "#to-read" in tagged.stdout
    assert ids(store_dir, "is:starred") == [first, second]
    assert ids(store_dir, "is:starred", "-is:read") == [second]
    assert ids(store_dir, "tag:rl") == [first]
    assert run(store_dir, "tag", first, "--remove", "rl").returncode == 0
    assert ids(store_dir, "tag:rl") == []
    assert run(store_dir, "unstar", first).returncode == 0
    assert run(store_dir, "unread", first).returncode == 0
    assert ids(store_dir, "is:starred") == [second]
    assert first in ids(store_dir, "is:unread")


def test_users_are_separate(store_dir: Path) -> None:
    first = ids(store_dir)[0]
    run(store_dir, "star", first)
    result = run(store_dir, "list", "--json", "is:starred", user="bob")
    assert result.stdout == ""


def test_unknown_id_is_one_line_error(store_dir: Path) -> None:
    assert_one_line_error(run(store_dir, "star", "zzzzzzz"), "zzzzzzz")
    assert_one_line_error(run(store_dir, "show", "qqqqqqq"), "qqqqqqq")


def test_bad_query_is_one_line_error(store_dir: Path) -> None:
    assert_one_line_error(run(store_dir, "list", "colour:red"), "colour")
    assert_one_line_error(run(store_dir, "list", "date:>=2025-13-01"), "2025-13-01")
    assert_one_line_error(run(store_dir, "export", "is:blue"), "blue")


def test_usage_error_exit_2(store_dir: Path) -> None:
    result = run(store_dir, "list", "--nope")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run(store_dir, "frobnicate")
    assert result.returncode == 2


def test_show_prints_links_and_clean_abstract(store_dir: Path) -> None:
    rows = [json.loads(line) for line in run(store_dir, "list", "--json").stdout.splitlines()]
    verl = next(row for row in rows if row["title"].startswith("VerlTool"))
    shown = run(store_dir, "show", verl["id"])
    assert shown.returncode == 0
    assert "[1] code: https://github.com/TIGER-AI-Lab/verl-tool" in shown.stdout


def test_export_default_starred_to_file(store_dir: Path, tmp_path: Path) -> None:
    first, second = ids(store_dir)[:2]
    run(store_dir, "star", first, second)
    run(store_dir, "read", second)
    out = tmp_path / "list.md"
    result = run(store_dir, "export", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Reading list")
    assert "is:starred" in text
    assert text.count("- [ ]") == 1 and text.count("- [x]") == 1
    stdout = run(store_dir, "export").stdout
    assert stdout == text
    full = run(store_dir, "export", "--full").stdout
    assert len(full) > len(text)


def test_export_query_after_double_dash(store_dir: Path) -> None:
    run(store_dir, "read", *ids(store_dir)[1:])
    result = run(store_dir, "export", "--", "-is:read")
    assert result.returncode == 0
    assert result.stdout.count("- [ ]") == 1


def test_note_set_and_clear(store_dir: Path) -> None:
    first = ids(store_dir)[0]
    assert run(store_dir, "note", first, "see table 2").returncode == 0
    row = json.loads(run(store_dir, "list", "--json", "--limit", "1").stdout)
    assert row["note"] == "see table 2"
    run(store_dir, "note", first, "")
    row = json.loads(run(store_dir, "list", "--json", "--limit", "1").stdout)
    assert row["note"] == ""


def test_doctor_on_healthy_store(store_dir: Path) -> None:
    result = run(store_dir, "doctor")
    assert result.returncode == 0 and "healthy" in result.stdout


def test_help_has_examples() -> None:
    for command in ("import", "list", "export", "tag", "star", "doctor"):
        result = run(Path("/nonexistent"), command, "--help")
        assert result.returncode == 0
        assert "example" in result.stdout and "paperterm" in result.stdout


def test_empty_store_list_is_empty_not_error(tmp_path: Path) -> None:
    result = run(tmp_path / "fresh", "list")
    assert result.returncode == 0 and result.stdout == ""


def test_import_clipboard_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from paperterm import cli, clipboard
    from paperterm.errors import ClipboardError

    monkeypatch.setenv("PAPERTERM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERTERM_USER", "alice")
    monkeypatch.setattr(clipboard, "paste_text",
                        lambda: SAMPLES[0].read_text(encoding="utf-8"))
    assert cli.main(["import", "--clipboard", "--date", "2025-09-09"]) == 0
    assert "<clipboard>: 2025-09-09: 76 new, 0 already known" in capsys.readouterr().out

    def unavailable() -> str:
        raise ClipboardError("system clipboard unavailable: no display")

    monkeypatch.setattr(clipboard, "paste_text", unavailable)
    assert cli.main(["import", "--clipboard"]) == 1
    err = capsys.readouterr().err
    assert "clipboard unavailable" in err and "Traceback" not in err


@pytest.mark.parametrize("query", [["reinforcement", "learning"], ["is:unread"]])
def test_list_limit_prints_the_first_matches(store_dir: Path, query: list[str]) -> None:
    every = ids(store_dir, *query)
    assert len(every) > 3
    assert ids(store_dir, "--limit", "3", *query) == every[:3]
    nothing = run(store_dir, "list", "--limit", "0", *query)
    assert nothing.returncode == 0 and nothing.stdout == "" and nothing.stderr == ""

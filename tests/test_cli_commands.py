"""Command-line behaviour a demanding user relies on (issue 10): counts, limits, exit codes,
the tag syntax and exported files, each through a real subprocess."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_cli import SAMPLES, assert_one_line_error, ids, run

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    result = run(folder, "import", *map(str, SAMPLES))
    assert result.returncode == 0, result.stderr
    return folder


def test_mark_counts_distinct_papers(data: Path) -> None:
    first, second = ids(data)[:2]
    result = run(data, "read", first, first, first[:4])
    assert result.returncode == 0, result.stderr
    assert result.stdout == "read: 1 paper\n"
    result = run(data, "star", first, second, second[:5])
    assert result.stdout == "star: 2 papers\n"


def test_list_negative_limit_is_a_usage_error(data: Path) -> None:
    result = run(data, "list", "--limit", "-1")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--limit" in result.stderr and "0 or more" in result.stderr
    assert "Traceback" not in result.stderr
    assert run(data, "list", "--limit", "x").returncode == 2
    zero = run(data, "list", "--limit", "0")
    assert zero.returncode == 0 and zero.stdout == "" and zero.stderr == ""
    two = run(data, "list", "--limit", "2")
    assert len(two.stdout.splitlines()) == 2


def test_list_no_match_says_so_on_stderr_only(data: Path) -> None:
    result = run(data, "list", "is:starred")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "paperterm: list: no paper matches 'is:starred'\n"
    json_result = run(data, "list", "--json", "zzqqxxjj-no-such-word")
    assert json_result.returncode == 0 and json_result.stdout == ""
    assert "no paper matches" in json_result.stderr
    empty = run(data.parent / "empty", "list")
    assert empty.returncode == 0 and empty.stdout == ""
    assert empty.stderr == "paperterm: list: no papers\n"


def _readme_exit_codes() -> dict[str, int]:
    """The README's exit-code table: meaning (first words) -> code."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\d+)` \| ([^|]+) \|", section, flags=re.MULTILINE)
    return {meaning.strip().split(":")[0]: int(code) for code, meaning in rows}


def test_readme_exit_codes_match_the_command(data: Path, tmp_path: Path) -> None:
    codes = _readme_exit_codes()
    assert codes == {"success": 0, "expected failure": 1, "usage error": 2, "interrupted": 130}
    assert run(data, "list", "--limit", "1").returncode == codes["success"]
    assert run(data, "show", "zzzzzzz").returncode == codes["expected failure"]
    for usage in (["list", "--nope"], ["frobnicate"], ["note"], ["list", "--limit", "-3"],
                  ["import", "--date", "yesterday"]):
        result = run(data, *usage)
        assert result.returncode == codes["usage error"], (usage, result)
        assert "Traceback" not in result.stderr
    assert "exit code 1." not in README.read_text(encoding="utf-8")


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The subprocesses inherit umask 022 (restored afterwards)."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_export_to_missing_folder_is_an_error(data: Path, tmp_path: Path) -> None:
    run(data, "star", ids(data)[0])
    target = tmp_path / "no" / "such" / "x.md"
    result = run(data, "export", "-o", str(target))
    assert_one_line_error(result, f"folder {target.parent} does not exist")
    assert not (tmp_path / "no").exists()


def test_export_file_gets_the_umask(data: Path, tmp_path: Path, umask_022: None) -> None:
    run(data, "star", ids(data)[0])
    target = tmp_path / "list.md"
    result = run(data, "export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"exported 1 paper to {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_export_of_nothing_writes_nothing(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    target.write_text("my earlier list\n", encoding="utf-8")
    result = run(data, "export", "-o", str(target))
    assert_one_line_error(result, "nothing to export: no paper matches 'is:starred'")
    assert target.read_text(encoding="utf-8") == "my earlier list\n"
    to_stdout = run(data, "export", "tag:nope")
    assert_one_line_error(to_stdout, "no paper matches 'tag:nope'")
    assert to_stdout.stdout == ""


def tags(data: Path, pid: str) -> list[str]:
    result = run(data, "list", "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return next(row["tags"] for row in rows if row["id"] == pid)


def test_tag_accepts_the_readers_syntax(data: Path) -> None:
    first, second = ids(data)[:2]
    result = run(data, "tag", first, second[:4], "rl", "+agents", "old", "Deep Learning")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{first}: #rl #agents #old #deep-learning",
                                          f"{second}: #rl #agents #old #deep-learning"]
    run(data, "tag", first, second, "-deep learning")
    # -name removes, even right after the id (argparse would take it for an option)
    removed = run(data, "tag", first, "-old", "-hot", "--remove", "agents")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == f"{first}: #rl\n"
    assert tags(data, first) == ["rl"]
    assert tags(data, second) == ["rl", "agents", "old"]
    # options anywhere, the old syntax still works, and -h is still help
    old_style = run(data, "tag", "--user", "alice", second, "+x", "--remove=old")
    assert old_style.stdout == f"{second}: #rl #agents #x\n"
    assert run(data, "tag", "-h").stdout.startswith("usage: paperterm tag")
    before = run(data, "--user", "alice", "tag", second, "-x", "--", "-agents")
    assert before.stdout == f"{second}: #rl\n"


def test_tag_errors(data: Path) -> None:
    first = ids(data)[0]
    assert_one_line_error(run(data, "tag", first), "tag: name a tag to add")
    assert_one_line_error(run(data, "tag", "zzzzzzz", "rl"), "unknown paper id 'zzzzzzz'")
    assert_one_line_error(run(data, "tag", "-rl", first), "paper ids first")
    usage = run(data, "tag", first, "--bogus")
    assert usage.returncode == 2 and "--bogus" in usage.stderr
    assert run(data, "tag").returncode == 2
    assert tags(data, first) == []

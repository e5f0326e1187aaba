"""``paperterm related``, ``list --sort for-you`` and ``list @name``, through a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperterm.saved import save_search
from paperterm.store import Store
from test_cli import assert_one_line_error, ids, run

RL = ["q7hl2hh", "lbtctls", "p6c2gld", "fjljfvk", "zl3x2kv"]  # offline/online RL (topics.json)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    from paperterm.paths import sample_digest_paths

    data = tmp_path / "data"
    result = run(data, "import", *map(str, sample_digest_paths()))
    assert result.returncode == 0, result.stderr
    return data


def test_related_text_and_json(store_dir: Path) -> None:
    result = run(store_dir, "related", "q7hl2hh", "--limit", "4")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 8  # a paper line and a reason line each
    assert all(line.startswith("    0.") and "shared: " in line for line in lines[1::2])
    assert not any(line.startswith("q7hl2hh") for line in lines[::2])
    result = run(store_dir, "related", "q7hl2", "--json", "--limit", "5")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    listed = json.loads(run(store_dir, "list", "--json").stdout.splitlines()[0])
    assert set(rows[0]) == set(listed) | {"score", "reason"}
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert "reinforcement" in " ".join(row["title"].lower() for row in rows)
    assert (store_dir / "cache" / "term-vectors.bin").is_file()


def test_related_survives_a_damaged_cache(store_dir: Path) -> None:
    first = run(store_dir, "related", "q7hl2hh", "--json").stdout
    (store_dir / "cache" / "term-vectors.bin").write_bytes(b"garbage")
    again = run(store_dir, "related", "q7hl2hh", "--json")
    assert again.returncode == 0 and again.stdout == first


def test_related_unknown_id_is_one_line_error(store_dir: Path) -> None:
    assert_one_line_error(run(store_dir, "related", "zzzzzzz"), "zzzzzzz")


def test_for_you_with_too_few_stars_says_so_and_keeps_the_order(store_dir: Path) -> None:
    run(store_dir, "star", RL[0])
    result = run(store_dir, "list", "--json", "--sort", "for-you", "--limit", "5")
    assert result.returncode == 0
    assert "star or tag at least 3" in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ids(store_dir)[:5]


def test_for_you_puts_the_other_rl_papers_first(store_dir: Path) -> None:
    assert run(store_dir, "star", *RL[:3]).returncode == 0
    result = run(store_dir, "list", "-is:starred", "--sort", "for-you", "--limit", "10",
                 "--json")
    assert result.returncode == 0, result.stderr
    titles = [json.loads(line)["title"].lower() for line in result.stdout.splitlines()]
    assert len(titles) == 10
    assert sum("reinforcement" in t or " rl" in t for t in titles) >= 6, titles
    other_user = run(store_dir, "list", "--sort", "for-you", user="bob")
    assert "star or tag at least 3" in other_user.stderr


def test_list_saved_search_by_name(store_dir: Path) -> None:
    with Store.open(store_dir, "alice") as store:
        save_search(store, "rl", "reinforcement offline")
    assert ids(store_dir, "@rl") == ids(store_dir, "reinforcement", "offline")
    assert ids(store_dir, "@rl", "has:code") == ids(store_dir, "reinforcement offline has:code")
    assert_one_line_error(run(store_dir, "list", "@nope"), "unknown saved search @nope")
    assert_one_line_error(run(store_dir, "list", "@rl", user="bob"), "@rl")

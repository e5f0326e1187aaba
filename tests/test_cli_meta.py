"""The command line over metadata and the import history, end to end through subprocesses:
``imports``, ``import --undo [N] [--force]``, ``list --sort``, the metadata in ``list``,
``list --json`` and ``show``, and the schema upgrade announced once."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from paperterm.model import Digest, Link, PaperMeta, ParsedPaper
from paperterm.store import Store
from test_cli import answers_from_file, assert_one_line_error, run

FIXTURE = Path(__file__).parent / "fixtures" / "store-v1"
D1, D2 = dt.date(2026, 9, 1), dt.date(2026, 9, 2)

RICH = PaperMeta(
    arxiv_id="2609.01234",
    authors=("Alice Smith", "Bob Jones", "C. Chen", "D. Diaz", "E. Eze"),
    upvotes=120,
    published=dt.date(2026, 8, 30),
    github_repo="https://github.com/alice/tiny",
    github_stars=1320,
    ai_keywords=("moe", "routing"),
)


def parsed(title: str, meta: PaperMeta | None = None, links: tuple[Link, ...] = ()) -> ParsedPaper:
    return ParsedPaper(title, f"About {title}.", links, 1, meta or PaperMeta())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    with Store.open(data, "alice") as store:
        store.import_digest(Digest(D1, (parsed("Plain Paper"),), "plain.txt"))
        store.import_digest(
            Digest(D2, (parsed("Tiny Experts", RICH), parsed("Few Votes", PaperMeta(upvotes=3)),
                        parsed("Plain Paper", PaperMeta(arxiv_id="2609.00007", upvotes=40))),
                   "daily.json", format="json")
        )  # fmt: skip
    return data


def listed(data: Path, *args: str) -> list[dict[str, object]]:
    result = run(data, "list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_list_json_gives_the_metadata(data: Path) -> None:
    rows = {row["title"]: row for row in listed(data)}
    tiny, plain, few = rows["Tiny Experts"], rows["Plain Paper"], rows["Few Votes"]
    assert tiny["arxiv_id"] == "2609.01234" and tiny["authors"] == list(RICH.authors)
    assert tiny["upvotes"] == 120 and tiny["published"] == "2026-08-30"
    assert tiny["code_url"] == "https://github.com/alice/tiny"
    assert plain["arxiv_id"] == "2609.00007" and plain["dates"] == ["2026-09-01", "2026-09-02"]
    assert few["arxiv_id"] is None and few["authors"] == [] and few["published"] is None
    assert few["upvotes"] == 3


def test_list_sorts_by_upvotes_date_or_relevance(data: Path) -> None:
    def titles(*args: str) -> list[object]:
        return [row["title"] for row in listed(data, *args)]

    assert titles("--sort", "upvotes") == ["Tiny Experts", "Plain Paper", "Few Votes"]
    assert titles("--sort", "upvotes", "upvotes:<100") == ["Plain Paper", "Few Votes"]
    assert titles() == titles("--sort", "date")  # the default without free words
    assert titles("author:smith") == ["Tiny Experts"]
    assert titles("arxiv:2609.00007") == ["Plain Paper"]
    # --limit cuts after the sort, not before it
    assert titles("--sort", "upvotes", "--limit", "1") == ["Tiny Experts"]
    assert titles("--sort", "upvotes", "upvotes:<100", "--limit", "1") == ["Plain Paper"]
    bad = run(data, "list", "--sort", "stars")
    assert bad.returncode == 2 and "invalid choice: 'stars'" in bad.stderr


def test_list_and_show_print_the_metadata(data: Path) -> None:
    line = next(ln for ln in run(data, "list").stdout.splitlines() if "Tiny Experts" in ln)
    assert "▲120" in line and "Alice Smith, Bob Jones, … +3" in line
    assert "arXiv:2609.01234" in line and "[code]" in line
    pid = line.split()[0]
    shown = run(data, "show", pid).stdout.splitlines()
    assert "authors: Alice Smith, Bob Jones, C. Chen, D. Diaz, E. Eze" in shown
    assert "upvotes: 120" in shown and "published: 2026-08-30" in shown
    assert "GitHub stars: 1320" in shown
    assert "[1] code: https://github.com/alice/tiny" in shown
    assert "[2] arxiv: https://arxiv.org/abs/2609.01234" in shown
    assert "[3] hf: https://huggingface.co/papers/2609.01234" in shown


def test_imports_lists_the_history_and_undo_takes_the_last_back(data: Path) -> None:
    lines = run(data, "imports").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("#1  ") and "plain  plain.txt: 1 paper, 1 new, 0 known" in lines[0]
    assert "json  daily.json: 3 papers, 2 new, 1 known" in lines[1]
    tiny = next(r["id"] for r in listed(data) if r["title"] == "Tiny Experts")
    assert run(data, "tag", str(tiny), "+keep", user="bob").returncode == 0
    undo = run(data, "import", "--undo")
    assert undo.returncode == 0, undo.stderr
    assert "removed 1 paper; took dates or metadata back from 1 known paper" in undo.stdout
    assert (
        "kept 1 paper a user has starred" in undo.stdout and f"{tiny}  Tiny Experts" in undo.stdout
    )
    assert answers_from_file(data)  # the next word search need not load the store
    rows = {row["title"]: row for row in listed(data)}
    assert sorted(rows) == ["Plain Paper", "Tiny Experts"]
    assert (
        rows["Plain Paper"]["dates"] == ["2026-09-01"] and rows["Plain Paper"]["arxiv_id"] is None
    )
    forced = run(data, "import", "--undo", "2", "--force")
    assert forced.returncode == 0 and "removed 1 paper" in forced.stdout
    assert [row["title"] for row in listed(data)] == ["Plain Paper"]
    assert run(data, "imports").stdout.splitlines()[0].startswith("#1  ")


def test_undo_errors_are_one_line(data: Path, tmp_path: Path) -> None:
    assert_one_line_error(run(data, "import", "--undo", "9"), "no import number 9")
    assert_one_line_error(run(tmp_path / "empty", "import", "--undo"), "no import to undo")
    assert_one_line_error(run(data, "import", "x.txt", "--undo"), "takes no PATH")
    assert_one_line_error(run(data, "import", "--force", "x.txt"), "--force goes with --undo")


def test_a_schema_1_store_is_upgraded_and_announced_once(tmp_path: Path) -> None:
    data = tmp_path / "old"
    shutil.copytree(FIXTURE, data)
    first = run(data, "list", "--json", "is:starred")
    assert first.returncode == 0
    assert (
        first.stderr.startswith("paperterm: ")
        and "upgraded the store from schema version 1" in first.stderr
    )
    assert [json.loads(ln)["title"] for ln in first.stdout.splitlines()] == [
        "Diffusion Without Noise", "Agents That Read Manuals"
    ]  # fmt: skip
    again = run(data, "list")
    assert again.returncode == 0 and again.stderr == "" and len(again.stdout.splitlines()) == 6
    (data / "meta.json").write_text('{"meta": {"schema": {"version": 9}}}')
    assert_one_line_error(run(data, "list"), "newer paperterm")

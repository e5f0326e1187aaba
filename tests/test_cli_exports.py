"""End to end through a real subprocess: ``paperterm export --format NAME`` for every
format, and ``paperterm import`` of an exported reading list or BibTeX file back into
another user's store (issue 15)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rispy
import yaml

from test_cli import SAMPLES, answers_from_file, assert_one_line_error, ids, run

bibtexparser = pytest.importorskip("bibtexparser")


def bob_ids(data: Path, *query: str, user: str = "bob") -> list[str]:
    result = run(data, "list", "--json", *query, user=user)
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


@pytest.fixture
def alice(tmp_path: Path) -> Path:
    """A store of both samples where alice starred three papers, tagged and noted one."""
    folder = tmp_path / "alice"
    assert run(folder, "import", *map(str, SAMPLES)).returncode == 0
    first, second, third = ids(folder)[:3]
    assert run(folder, "star", first, second, third).returncode == 0
    assert run(folder, "tag", first, "+generative", "+to-read").returncode == 0
    assert run(folder, "note", first, "Compare: - with DDPM\n100% {worth} it").returncode == 0
    return folder


def test_export_every_text_format_parses(alice: Path, tmp_path: Path) -> None:
    outputs = {}
    for name, suffix in (("markdown", "md"), ("bibtex", "bib"), ("ris", "ris"),
                         ("csl-json", "json"), ("csv", "csv")):  # fmt: skip
        target = tmp_path / f"out.{suffix}"
        result = run(alice, "export", "--format", name, "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert result.stderr == f"exported 3 papers to {target}\n"
        outputs[name] = target.read_text(encoding="utf-8")
        assert run(alice, "export", "--format", name).stdout == outputs[name]
    assert len(bibtexparser.parse_string(outputs["bibtex"]).entries) == 3
    assert len(rispy.loads(outputs["ris"])) == 3
    assert len(json.loads(outputs["csl-json"])) == 3
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].lstrip("\ufeff"))))
    assert len(rows) == 3 and {row["starred"] for row in rows} == {"true"}
    assert outputs["markdown"].startswith("# Reading list")


def test_export_obsidian_needs_a_folder_and_updates_notes(alice: Path, tmp_path: Path) -> None:
    assert_one_line_error(run(alice, "export", "--format", "obsidian"),
                          "name the notes' folder with -o DIR")  # fmt: skip
    vault = tmp_path / "vault"
    first = run(alice, "export", "--format", "obsidian", "-o", str(vault))
    assert first.returncode == 0, first.stderr
    assert first.stderr.endswith(": 3 new, 0 updated, 0 unchanged\n")
    notes = sorted(vault.glob("*.md"))
    assert len(notes) == 3
    heads = [yaml.safe_load(n.read_text(encoding="utf-8").split("\n---\n")[0][4:])
             for n in notes]  # fmt: skip
    assert all(head["starred"] is True for head in heads)
    noted = next(n for n, head in zip(notes, heads, strict=True) if head["tags"])
    noted.write_text(noted.read_text(encoding="utf-8") + "My own paragraph.\n",
                     encoding="utf-8")  # fmt: skip
    tagged = ids(alice, "tag:generative")
    assert run(alice, "tag", *tagged, "--remove", "to-read").returncode == 0
    again = run(alice, "export", "--format", "obsidian", "-o", str(vault))
    assert again.stderr.endswith(": 0 new, 1 updated, 2 unchanged\n"), again.stderr
    text = noted.read_text(encoding="utf-8")
    assert text.endswith("My own paragraph.\n") and "to-read" not in text
    missing = run(alice, "export", "--format", "obsidian", "-o", str(tmp_path / "a" / "b"))
    assert_one_line_error(missing, "cannot make the folder")


def test_unknown_format_is_a_usage_error(alice: Path) -> None:
    result = run(alice, "export", "--format", "docx")
    assert result.returncode == 2 and "invalid choice: 'docx'" in result.stderr


def test_import_back_a_reading_list_into_another_store(alice: Path, tmp_path: Path) -> None:
    listing = tmp_path / "alice.md"
    assert run(alice, "export", "-o", str(listing)).returncode == 0
    bob = tmp_path / "bob"
    assert run(bob, "import", str(SAMPLES[0]), user="bob").returncode == 0
    before = len(bob_ids(bob))
    dry = run(bob, "import", "--dry-run", str(listing), user="bob")
    assert dry.returncode == 0 and "reading-list: 3 papers, 3 starred, 1 tagged, 1 with a note" \
        in dry.stdout  # fmt: skip
    assert run(bob, "list", "is:starred", user="bob").stdout == ""
    result = run(bob, "import", str(listing), user="bob")
    assert result.returncode == 0, result.stderr
    assert answers_from_file(bob)  # the papers it added are in the index's cache file
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"{listing}: reading-list: 3 papers, ") and "3 starred, 1 tagged, " \
        "1 noted" in line  # fmt: skip
    starred = bob_ids(bob, "is:starred")
    assert len(starred) == 3 and sorted(starred) == sorted(ids(alice, "is:starred"))
    known = sum(1 for pid in starred if pid in bob_ids(bob, "date:2026-09-09"))
    assert len(bob_ids(bob)) == before + (3 - known)  # the papers bob lacked, once each
    (noted,) = bob_ids(bob, "tag:generative")
    shown = run(bob, "show", noted, user="bob").stdout
    assert "note: Compare: - with DDPM\n100% {worth} it" in shown
    # importing it again, and its BibTeX, duplicates nothing
    bib = tmp_path / "alice.bib"
    assert run(alice, "export", "--format", "bibtex", "-o", str(bib)).returncode == 0
    again = run(bob, "import", str(listing), str(bib), user="bob")
    assert again.returncode == 0, again.stderr
    assert [ln.split("; ")[1] for ln in again.stdout.splitlines()] == [
        "0 starred, 0 tagged, 0 noted"] * 2
    assert len(bob_ids(bob)) == before + (3 - known)
    assert run(bob, "show", noted, user="bob").stdout.count("Compare: - with DDPM") == 1


def test_import_bibtex_from_stdin_and_errors(alice: Path, tmp_path: Path) -> None:
    bib = run(alice, "export", "--format", "bibtex").stdout
    carol = tmp_path / "carol"
    result = run(carol, "import", "--format", "bibtex", "--date", "2025-01-02", "-", stdin=bib,
                 user="carol")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<stdin>: bibtex: 3 papers, 0 already known, 3 new;")
    assert len(bob_ids(carol, "date:2025-01-02", user="carol")) == 3  # BibTeX gives no date
    broken = tmp_path / "broken.bib"
    broken.write_text("@misc{a,\n title = {never {closed}\n", encoding="utf-8")
    failed = run(carol, "import", str(broken), user="carol")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.splitlines() == [
        f"paperterm: {broken}: bibtex: line 2: a '{{' is never closed",
        "paperterm: 1 of 1 inputs failed",
    ]

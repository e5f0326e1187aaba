"""The reliability suite's hostile text (markup, ANSI/OSC escapes, C1 controls, bidi
overrides, other URL schemes) through every export format: through the real CLI on a store
holding it, and in-process with hostile metadata (authors, arXiv id) the store cannot hold
yet. Each output is control-free and parses with a real parser of its format, with the
hostile title still one value of the paper it belongs to."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import rispy
import yaml
from robust_support import cli
from test_hostile_input import (
    BAD_SCHEMES,
    HOSTILE_ABSTRACT,
    HOSTILE_TITLE,
    MARKUP,
    OSC52,
    assert_terminal_safe,
    hostile_store,
)

from paperterm.exports import FORMATS, render
from paperterm.exports.common import paper_title
from paperterm.exports.obsidian import export_obsidian
from paperterm.model import Entry, Link, Paper, PaperMeta, PaperState

bibtexparser = pytest.importorskip("bibtexparser")

TEXT_FORMATS = [name for name, fmt in FORMATS.items() if not fmt.folder]


def titles_in(name: str, text: str) -> list[str]:
    """The titles a real parser of format ``name`` reads in ``text``."""
    if name == "bibtex":
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks
        return [entry["title"] for entry in library.entries]
    if name == "ris":
        return [record["title"] for record in rispy.loads(text)]
    if name == "csl-json":
        return [item["title"] for item in json.loads(text)]
    if name == "csv":
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
        return [row["title"] for row in rows]
    assert name == "markdown"
    return [line for line in text.splitlines() if line.startswith("- [")]


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_cli_export_of_hostile_store(tmp_path: Path, name: str) -> None:
    data = tmp_path / "store"
    hostile_store(data)
    result = cli(data, "export", "--format", name, "--full", "--", "")
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout, name)
    titles = titles_in(name, result.stdout)
    assert len(titles) == 1  # is:starred: the hostile paper only
    if name in ("ris", "csl-json", "csv"):
        assert MARKUP in titles[0] and titles[0].endswith("Title")
    for scheme in BAD_SCHEMES:
        assert scheme not in result.stdout


def test_cli_obsidian_export_of_hostile_store(tmp_path: Path) -> None:
    data = tmp_path / "store"
    hostile_store(data)
    vault = tmp_path / "vault"
    result = cli(data, "export", "--format", "obsidian", "-o", str(vault), "--", "")
    assert result.returncode == 0, result.stderr
    (note,) = vault.iterdir()
    assert note.suffix == ".md" and "[" not in note.name and "\x1b" not in note.name
    text = note.read_text(encoding="utf-8")
    assert_terminal_safe(text + note.name, "obsidian note")
    head = yaml.safe_load(text[4 : text.index("\n---\n", 4)])
    assert MARKUP in head["title"] and head["starred"] is True
    assert head["tags"] and all("[" not in tag and " " not in tag for tag in head["tags"])


HOSTILE_ENTRY = Entry(
    Paper(
        id="h0stile",
        title=HOSTILE_TITLE + " } % : - \n@misc{x,",
        abstract=HOSTILE_ABSTRACT,
        links=tuple(Link(url, "code") for url in BAD_SCHEMES),
        dates=(dt.date(2025, 9, 9),),
        meta=PaperMeta(
            arxiv_id=OSC52 + "2509.01055",
            authors=(HOSTILE_TITLE, MARKUP, "\x9b31mC1 and\u202e Co"),
            project_page="javascript:alert(1)",
        ),
    ),
    PaperState(
        starred=True,
        tags=(MARKUP, "\x1b[31mred"),
        note=f"{OSC52}note {MARKUP}\n\x9b2Jsecond \u2066line",
    ),
)


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_hostile_metadata_in_every_format(name: str) -> None:
    text = render(name, [HOSTILE_ENTRY, HOSTILE_ENTRY], query=HOSTILE_TITLE,
                  today=dt.date(2026, 1, 1), full=True)  # fmt: skip
    assert_terminal_safe(text, name)
    assert len(titles_in(name, text)) == 2
    assert "2509.01055" not in text  # an id with an escape sequence in it is no arXiv id
    for scheme in BAD_SCHEMES:
        assert scheme not in text


def test_hostile_metadata_in_obsidian(tmp_path: Path) -> None:
    result = export_obsidian([HOSTILE_ENTRY], tmp_path)
    (note,) = result.created
    text = note.read_text(encoding="utf-8")
    assert_terminal_safe(text + note.name, "obsidian")
    head = yaml.safe_load(text[4 : text.index("\n---\n", 4)])
    assert head["title"] == paper_title(HOSTILE_ENTRY.paper)
    assert head["arxiv"] is None and head["url"] is None and head["code"] is None

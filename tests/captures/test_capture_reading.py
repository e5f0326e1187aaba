"""Detection, junk refusal, dates and hostile input across the capture readers."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path

import pytest

from paperterm.captures import detect, junk_title, read_capture, read_capture_bytes
from paperterm.errors import DigestError
from paperterm.paths import sample_digest_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "captures"
TODAY = dt.date(2026, 12, 1)
ITEM = {
    "paper": {
        "id": "2411.01234",
        "title": "Sparse Attention Without Tears",
        "summary": "It works.",
        "upvotes": 3,
    }
}


def page(props: object, *, raw: str | None = None) -> str:
    attr = raw if raw is not None else escape(json.dumps(props), quote=True)
    return (
        f'<!doctype html><html><body><div data-target="MainHeader" data-props="{{}}"></div>'
        f'\n<div class="x" data-target="DailyPapers" data-props="{attr}"></div></body></html>'
    )


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (json.dumps([ITEM]), "hf-json"),
        (json.dumps(ITEM), "hf-json"),
        ("\ufeff  []", "hf-json"),
        ('{"id": "2411.01234"}', "hf-json"),
        ("<!DOCTYPE html><html><body></body></html>", "html"),
        ("<!-- saved -->\n<html lang=en>", "html"),
        ('junk before <div data-target="DailyPapers" data-props="[]">', "html"),
        ("# Daily Papers\n\n### [T](https://huggingface.co/papers/2411.01234)\n", "markdown"),
        ("intro\n## One heading\n### Another heading\n", "markdown"),
        ("[Skip to content][1]\n[Models][2] [Datasets][3]\n", "text-browser"),
        (
            "Papers\n\n   1. https://huggingface.co/\n   2. https://a.org/\n   3. https://b.org/\n",
            "text-browser",
        ),
        (
            "Models\nA Title\nhttps://huggingface.co/papers/2411.01234\nIts abstract.\n",
            "text-export",
        ),
        ("Sep 9\n\nA Title\n\nAn abstract mentioning https://github.com/a/b.\n", "plain"),
        ("", "plain"),
        ("#hashtag in prose\n", "plain"),
    ],
)
def test_detect(text: str, fmt: str) -> None:
    assert detect(text) == fmt


@pytest.mark.parametrize("path", sample_digest_paths(), ids=lambda p: p.name)
def test_detect_reads_real_plain_copies_as_plain(path: Path) -> None:
    assert detect(path.read_text(encoding="utf-8")) == "plain"


# --------------------------------------------------------------------------- junk


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("daily-markdown-2026-11-30.md", "plain"),
        ("papers-lynx.txt", "plain"),
        ("daily_papers-2026-11-30.json", "plain"),
        ("reader-mode-export.txt", "plain"),
    ],
)
def test_a_capture_read_with_the_wrong_reader_is_refused_as_junk(name: str, fmt: str) -> None:
    path = FIXTURES / name
    with pytest.raises(DigestError) as caught:
        read_capture(path.read_text(encoding="utf-8"), source=name, format=fmt, date_override=TODAY)
    message = str(caught.value)
    assert message.startswith(f"{name}: {fmt}: not imported, this looks like junk: ")
    assert "--format" in message and "markdown" in message and "\n" not in message
    assert "(line " in message


def test_a_plain_copy_of_page_chrome_is_refused() -> None:
    text = "\n\n".join(
        [
            "Sep 9",
            "Models",
            "Datasets are here",
            "·",
            "Spaces",
            "[101](x)",
            "8 authors",
            "Subscribe",
            "a real abstract",
            "May 29",
            "text",
        ]
    )
    with pytest.raises(DigestError, match=r"^x\.txt: plain: not imported, this looks like junk"):
        read_capture(text, source="x.txt", today=TODAY)


def test_a_few_odd_titles_among_real_ones_are_imported() -> None:
    text = "\n\n".join(
        [
            "Sep 9",
            "A Real Paper Title",
            "Abstract one.",
            "Another Real Title",
            "Abstract two.",
            "·",
            "Abstract three.",
        ]
    )
    digest = read_capture(text, source="x.txt", today=TODAY)
    assert [paper.title for paper in digest.papers] == [
        "A Real Paper Title",
        "Another Real Title",
        "·",
    ]


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("[101](https://huggingface.co/login)", "link syntax"),
        ("·", "too short"),
        ("Subscribe", "page chrome, a count or a date"),
        ("8 authors", "page chrome, a count or a date"),
        ('"paper": {', "JSON or markup syntax"),
        ("Mar 8, 2024", "page chrome, a count or a date"),
        ("Attention Is All You Need", None),
        ("One", None),
        ("3D Gaussians", None),
    ],
)
def test_junk_titles(title: str, reason: str | None) -> None:
    assert junk_title(title) == reason


# --------------------------------------------------------------------------- dates


def test_an_undated_capture_takes_its_file_name_date_else_today() -> None:
    text = "### [A Paper About Dates](https://huggingface.co/papers/2411.01234)\n\nAbstract.\n"
    assert read_capture(text, source="x-2026-02-03.md", today=TODAY).date == dt.date(2026, 2, 3)
    assert read_capture(text, source="x.md", today=TODAY).date == TODAY


def test_an_impossible_digest_date_names_format_and_line() -> None:
    text = "# Daily Papers\n\n## Feb 30\n\n### A Paper About Dates\n\nAbstract.\n### Another\n"
    with pytest.raises(DigestError, match=r"^x\.md: markdown: invalid date 'Feb 30' \(line 3\)$"):
        read_capture(text, source="x.md", today=TODAY)


# --------------------------------------------------------------------------- hostile


def test_hostile_markdown_is_sanitized_and_markup_stays_literal() -> None:
    text = (
        "### [\x1b[31mRed \u202eTitle\x1b]8;;https://evil.example\x07 [bold]x[/bold]]"
        "(https://huggingface.co/papers/2411.01234)\n\n\x1b[2JAbstract \x9b1m<b>ok</b>.\n"
    )
    paper = read_capture(text, source="x.md", today=TODAY).papers[0]
    assert paper.title == "Red Title [bold]x[/bold]"
    assert paper.abstract == "Abstract <b>ok</b>."
    assert paper.meta.arxiv_id == "2411.01234"


def test_html_props_with_escapes_are_sanitized() -> None:
    props = [{"paper": {"id": "2411.01234", "title": "A \u001b[31mRed\u001b[0m Paper Title"}}]
    paper = read_capture(page(props), source="p.html", today=TODAY).papers[0]
    assert paper.title == "A Red Paper Title"
    # As character references the escapes reach the JSON as raw control characters.
    raw = (
        escape(json.dumps(props), quote=True)
        .replace("\\u001b", "&#27;")
        .replace("\\u009b", "&#155;")
    )
    paper = read_capture(page(None, raw=raw), source="p.html", today=TODAY).papers[0]
    assert "\x1b" not in paper.title and paper.title.startswith("A ")


def test_html_takes_the_props_dates_and_the_first_daily_papers_element() -> None:
    digest = read_capture(
        page({"dailyPapers": [ITEM], "date": "2026-10-02"}) + page([]), source="p.html", today=TODAY
    )
    assert (digest.format, digest.date, len(digest.papers)) == ("html", dt.date(2026, 10, 2), 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            page(None, raw="{not json"),
            "p.html: html: the DailyPapers data-props (line 2) are not JSON: ",
        ),
        (page({"dailyPapers": "x"}), "p.html: html: no papers found (1 item without a "),
        (page("x"), "p.html: html: top level: expected a list or an object of papers, got a "),
        (page([1]), "p.html: html: item 1: expected an object, got a number"),
        ("<html><body>nothing</body></html>", "p.html: html: no Daily Papers data in this HTML"),
        ("[" * 100_000, "p.html: hf-json: not valid JSON (line 1, column "),
        ('{"title": 1e999}', "p.html: hf-json: "),
        ('[{"paper": 1', "p.html: hf-json: not valid JSON (line 1, column "),
        ("# Daily Papers\n## Trending\n", "p.html: markdown: no papers found"),
        ("[A][1] [B][2] [C][3]\n", "p.html: text-browser: no papers found"),
    ],
)
def test_broken_captures_raise_one_line_naming_file_format_and_position(
    text: str, message: str
) -> None:
    with pytest.raises(DigestError) as caught:
        read_capture(text, source="p.html", today=TODAY)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_bytes_are_decoded_as_digest_files_are() -> None:
    data = json.dumps([ITEM]).encode("utf-16")
    assert read_capture_bytes(data, source="d.json", today=TODAY).format == "hf-json"
    with pytest.raises(DigestError, match=r"^d\.md: not UTF-8 text \(invalid byte 0xe9"):
        read_capture_bytes("### Caf\xe9 Paper Title\n".encode("latin-1"), source="d.md")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(DigestError, match=r"^x: unknown capture format 'yaml' \(one of: plain, "):
        read_capture("text", source="x", format="yaml")


def test_a_huge_heading_does_not_break_the_reader() -> None:
    text = "### " + "Word " * 200_000 + "\n\nAbstract.\n### Another Paper Title\n\nMore.\n"
    digest = read_capture(text, source="x.md", today=TODAY)
    assert [paper.title for paper in digest.papers][1] == "Another Paper Title"


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("May 29", ["date"]),
        ("Mar 8, 2024", ["date"]),
        ("May 29 3", ["date"]),
        ("May 293", ["date"]),
        ("Mar 8, 20243", ["date"]),
        ("- 8 authors · May 29·3", ["count", "date", "count"]),
        ("* 3 authors", ["count"]),
        ("[-]", ["upvotes"]),
        ("[ 65 ](https://huggingface.co/login?next=x)", ["upvotes"]),
        ("[ 2 ](https://huggingface.co/papers/2411.01234#community)", ["count"]),
        ("[GitHub 11.3k](https://github.com/a/b)", ["github"]),
        ("[LINK: GitHub 1.32k](https://github.com/a/b)", ["github"]),
        ("[arXiv Page](https://arxiv.org/abs/2411.01234)", ["arxiv"]),
        ("Submitted by akhaliq", ["submitted"]),
        ("Published on Oct 4, 2026", ["published"]),
        ("AI-generated summary", ["label-ai"]),
        ("[Acme Research](https://huggingface.co/acme)", ["link"]),
        ("Subscribe", ["chrome"]),
        ("We show that it works · mostly.", ["prose"]),
        ("---", ["rule"]),
    ],
)
def test_the_vocabulary_of_a_card(line: str, kinds: list[str]) -> None:
    from paperterm.captures.tokens import classify

    assert [token.kind for token in classify(line, 1)] == kinds

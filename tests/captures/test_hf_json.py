"""The Hugging Face API reader: one paper object, items, lists, and hostile JSON values."""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.captures.fields import arxiv_id, clean_line, count, github_repo, printable
from paperterm.captures.hf_json import digest_from_api, paper_from_api
from paperterm.digest import paper_key
from paperterm.errors import DigestError
from paperterm.model import NO_META
from paperterm.text import sanitize

DAY = dt.date(2026, 11, 30)
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)

PAPER = {
    "id": "2411.01234",
    "title": "Sparse Attention\n  Without Tears",
    "summary": "We show that sparse attention\nworks. Code: https://github.com/acme/sat.\n",
    "authors": [{"name": "Ada Lovelace", "hidden": False}, {"name": "Alan Turing"}],
    "upvotes": 42,
    "publishedAt": "2024-11-04T17:59:58.000Z",
    "githubRepo": "acme/sat",
    "githubStars": 1320,
    "projectPage": "https://acme.github.io/sat/",
    "ai_summary": "Sparse attention, fast.",
    "ai_keywords": ["sparse attention", "transformers"],
    "discussionId": "6728f0",
    "unknownField": {"nested": [1, 2, 3]},
}


def test_a_full_paper_object_gives_every_field() -> None:
    paper = paper_from_api(PAPER, line=3)
    assert paper is not None
    assert paper.title == "Sparse Attention Without Tears"
    assert (
        paper.abstract == "We show that sparse attention works. Code: https://github.com/acme/sat."
    )
    assert paper.line == 3
    assert [link.url for link in paper.links] == ["https://github.com/acme/sat"]
    meta = paper.meta
    assert meta.arxiv_id == "2411.01234"
    assert meta.authors == ("Ada Lovelace", "Alan Turing")
    assert meta.upvotes == 42
    assert meta.published == dt.date(2024, 11, 4)
    assert meta.github_repo == "https://github.com/acme/sat"
    assert meta.github_stars == 1320
    assert meta.project_page == "https://acme.github.io/sat/"
    assert meta.ai_summary == "Sparse attention, fast."
    assert meta.ai_keywords == ("sparse attention", "transformers")
    assert paper.code_url == "https://github.com/acme/sat"


def test_an_item_holding_the_paper_reads_the_same() -> None:
    item = {"paper": PAPER, "title": "ignored when the paper has one", "numComments": 3,
            "submittedBy": {"user": "someone"}}  # fmt: skip
    assert paper_from_api(item) == paper_from_api(PAPER)


def test_the_item_fills_the_title_and_summary_the_paper_lacks() -> None:
    item = {"paper": {"id": "2401.00001v2", "title": "T"}, "summary": "From the item.",
            "publishedAt": "2024-01-02"}  # fmt: skip
    paper = paper_from_api(item)
    assert paper is not None
    assert paper.abstract == "From the item."
    assert paper.meta.published is None  # the item's date is the day it was featured
    assert paper.meta.arxiv_id == "2401.00001"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("acme/sat", "https://github.com/acme/sat"),
        ("https://github.com/acme/sat", "https://github.com/acme/sat"),
        ("http://www.github.com/acme/sat.git", "https://github.com/acme/sat"),
        ("https://github.com/acme/sat/tree/main/src", "https://github.com/acme/sat"),
        ("https://github.com/topics/llm", None),
        ("https://gitlab.com/acme/sat", None),
        ("not a repo", None),
        ("", None),
        (17, None),
        (None, None),
    ],
)
def test_github_repo_forms(value: object, expected: str | None) -> None:
    assert github_repo(value) == expected


def test_a_repository_on_another_host_is_kept_as_a_code_link() -> None:
    paper = paper_from_api({"title": "T", "githubRepo": "https://gitlab.com/acme/sat"})
    assert paper is not None
    assert paper.meta.github_repo is None
    assert paper.code_url == "https://gitlab.com/acme/sat"


@pytest.mark.parametrize(
    "broken",
    [
        {"id": 2411.01234, "authors": "Ada", "upvotes": "42", "publishedAt": "yesterday",
         "githubRepo": ["acme/sat"], "githubStars": True, "projectPage": "javascript:alert(1)",
         "ai_summary": {"x": 1}, "ai_keywords": "one"},
        {"id": None, "authors": None, "upvotes": None, "publishedAt": None, "githubRepo": None,
         "githubStars": None, "projectPage": None, "ai_summary": None, "ai_keywords": None},
        {"id": "not-an-id", "authors": [None, 3, {"name": 4}, {}], "upvotes": -1,
         "publishedAt": "2024-13-45", "githubStars": 10**20, "ai_keywords": [None, 1]},
    ],
)  # fmt: skip
def test_fields_of_the_wrong_type_are_left_unknown(broken: dict[str, object]) -> None:
    paper = paper_from_api({"title": "A title", "summary": "An abstract.", **broken})
    assert paper is not None
    assert paper.meta == NO_META
    assert paper.title == "A title"


@pytest.mark.parametrize("obj", [None, 3, "title", [], {}, {"title": ""}, {"title": " \n\t"},
                                 {"title": 5}, {"paper": {"summary": "no title"}}])  # fmt: skip
def test_no_usable_title_gives_none(obj: object) -> None:
    assert paper_from_api(obj) is None


def test_hostile_text_is_sanitized() -> None:
    paper = paper_from_api({
        "title": "\x1b[31mRed\x1b[0m \u202eTitle\x07",
        "summary": "Evil \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ [bold]x[/bold]",
        "authors": [{"name": "\x9b1mMallory"}], "ai_summary": "\x00zero", "ai_keywords": ["\x07k"],
    })  # fmt: skip
    assert paper is not None
    assert paper.title == "Red Title"
    assert paper.abstract == "Evil link [bold]x[/bold]"
    assert paper.meta.authors == ("Mallory",)
    assert (paper.meta.ai_summary, paper.meta.ai_keywords) == ("zero", ("k",))


@pytest.mark.parametrize(
    "data",
    [[{"paper": PAPER}], {"paper": PAPER}, PAPER, [PAPER]],
    ids=["list-of-items", "item", "paper", "list-of-papers"],
)
def test_every_shape_gives_the_same_digest(data: object) -> None:
    digest = digest_from_api(data, source="day.json", date=DAY)
    assert digest.format == "hf-json"
    assert (digest.date, digest.source, digest.warnings) == (DAY, "day.json", ())
    assert [paper.meta.arxiv_id for paper in digest.papers] == ["2411.01234"]


def test_repeats_and_untitled_items_are_skipped_with_warnings() -> None:
    other = {"id": "2411.09999", "title": "Another Paper", "summary": "B."}
    same_title = {"title": "sparse attention without tears", "summary": "C."}
    data = [{"paper": PAPER}, {"paper": other}, {"paper": {"title": ""}}, {"paper": PAPER},
            same_title]  # fmt: skip
    digest = digest_from_api(data, source="d.json", date=DAY)
    assert [paper.title for paper in digest.papers] == [
        "Sparse Attention Without Tears", "Another Paper"]  # fmt: skip
    assert [paper.line for paper in digest.papers] == [1, 2]
    assert digest.warnings == (
        "d.json: item 3: no title, skipped",
        "d.json: item 4: duplicate of item 1, skipped: 'Sparse Attention Without Tears'",
        "d.json: item 5: duplicate of item 1, skipped: 'sparse attention without tears'",
    )


def test_warnings_are_capped() -> None:
    data = [{"title": "Same", "summary": "x"}] * 200
    digest = digest_from_api(data, source="d.json", date=DAY)
    assert len(digest.papers) == 1
    assert len(digest.warnings) == 51
    assert digest.warnings[-1] == "d.json: ... and 149 more warnings"


TOP = "d.json: hf-json: top level: expected a list or an object of papers"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("text", f"{TOP}, got a string"),
        (None, f"{TOP}, got null"),
        ([PAPER, 3], "d.json: hf-json: item 2: expected an object, got a number"),
        ([[PAPER]], "d.json: hf-json: item 1: expected an object, got a list"),
        ([], "d.json: hf-json: no papers found (an empty list)"),
        ([{}, {"x": 1}], "d.json: hf-json: no papers found (2 items without a title)"),
    ],
)
def test_data_of_another_shape_is_refused_naming_source_and_position(
    data: object, message: str
) -> None:
    with pytest.raises(DigestError) as caught:
        digest_from_api(data, source="d.json", date=DAY)
    assert str(caught.value) == message


def test_arxiv_ids_and_counts() -> None:
    assert arxiv_id("2401.01234v3") == "2401.01234"
    assert arxiv_id("hep-th/9901001") == "hep-th/9901001"
    assert arxiv_id("2401.1") is None
    assert arxiv_id(" 2401.01234 ") == "2401.01234"
    assert [count(text) for text in ("101", "1,234", "11.3k", "1.32k", "2M", "-", "1.5")] == [
        101, 1234, 11300, 1320, 2_000_000, None, None]  # fmt: skip


# --------------------------------------------------------------------------- properties

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec=None), max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from([*PAPER, "paper", "name", "x"]), children,
                      max_size=6),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_gives_a_digest_or_a_digest_error(data: object) -> None:
    try:
        digest = digest_from_api(data, source="fuzz.json", date=DAY)
    except DigestError as error:
        assert "\n" not in str(error) and str(error).startswith("fuzz.json: hf-json: ")
        return
    for paper in digest.papers:
        fields = [paper.title, paper.abstract, paper.meta.ai_summary, *paper.meta.authors,
                  *paper.meta.ai_keywords, paper.meta.project_page or ""]  # fmt: skip
        assert not any(FORBIDDEN.search(field) or "\n" in field for field in fields)
        assert paper.title


TEXT = st.text(alphabet=st.characters(codec=None), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries({"title": TEXT, "summary": TEXT}), max_size=8),
       st.randoms())  # fmt: skip
def test_order_and_repeats_do_not_change_which_papers_are_read(
    papers: list[dict[str, str]], rng: random.Random
) -> None:
    def titles(data: list[dict[str, str]]) -> set[str]:
        try:
            return {paper.title for paper in digest_from_api(data, source="s", date=DAY).papers}
        except DigestError:
            return set()

    shuffled = papers * 2
    rng.shuffle(shuffled)

    def keys(found: set[str]) -> set[str]:
        return {paper_key(title) for title in found}

    assert keys(titles(papers)) == keys(titles(shuffled))
    # The JSON text itself round-trips: a file is read like the value it holds.
    assert titles(json.loads(json.dumps(papers))) == titles(papers)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    [" ", "a", "\n", "\t", "\r", "\x1b", "[", "\x9b", "\xa0", "\u2028", "\u3000", "\x85",
     "\u202e", "\ufeff", "\u200b", "\ud800", "é", "🙂", "\x1c", "\u0378", "1", "m"]),
    max_size=12))  # fmt: skip
def test_clean_line_is_sanitize_to_one_line(text: str) -> None:
    assert clean_line(text) == sanitize(text, single_line=True)


# Long enough for the ASCII fast path of ``printable``, mostly clean, with every kind of
# character it must still see: C0, DEL, C1, bidi, non-ASCII, a double space.
LONG_LINES = st.lists(
    st.sampled_from(["word ", "Word, ", "x" * 70, "\n", "  ", " ", "~", "\x00", "\x1b[2J",
                     "\x1f", "\x7f", "\x85", "\u202e", "\ufeff", "\xa0", "é", "\t", "\r"]),
    max_size=40,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(LONG_LINES)
def test_printable_is_str_isprintable(text: str) -> None:
    assert printable(text) == text.isprintable()
    assert clean_line(text) == sanitize(text, single_line=True)


NAME_PARTS = st.sampled_from(["Ada", " ", "  ", "\n", "\x1b[1m", "\u202e", "é", "", "\t", "|"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(st.lists(NAME_PARTS, max_size=4).map("".join), st.integers(),
                          st.none()), max_size=5))  # fmt: skip
def test_author_names_are_cleaned_and_kept_once_in_order(names: list[object]) -> None:
    paper = paper_from_api({"title": "T", "authors": [{"name": name} for name in names]})
    assert paper is not None
    cleaned = [clean_line(name) for name in names]
    assert paper.meta.authors == tuple(dict.fromkeys(name for name in cleaned if name))

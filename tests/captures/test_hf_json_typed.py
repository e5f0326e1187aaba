"""The JSON reader's typed fast path (msgspec) reads what the general path (orjson, then
field by field) reads, and gives way to it for anything not shaped like the API."""

from __future__ import annotations

import datetime as dt
import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.captures import read_capture, read_capture_bytes
from paperterm.captures.hf_json import digest_from_api, typed_digest
from paperterm.errors import DigestError
from paperterm.model import Digest

DAY = dt.date(2026, 11, 30)
HOSTILE = st.sampled_from(
    ["\x1b[31m", "\x1b]8;;https://evil.example\x1b\\", "\x9b1m", "\u202e", "\ufeff", "\x00",
     "\x7f", "\x85", "\xa0", "\u2028", "\t", "\r\n", "\n", "  ", " ", "[bold]", "é", "🙂",
     "https://github.com/acme/sat", "Ada Lovelace", "word"]
)  # fmt: skip
TEXT = st.lists(HOSTILE | st.text(st.characters(codec="utf-8"), max_size=8), max_size=6).map(
    "".join
)
COUNT = st.none() | st.integers(min_value=-5, max_value=10**13)
PAPER_FIELDS = {
    "id": st.none() | st.sampled_from(["2401.01234", "2401.01234v2", "hep-th/9901001"]) | TEXT,
    "title": st.none() | TEXT,
    "summary": st.none() | TEXT,
    "authors": st.none() | st.lists(
        st.fixed_dictionaries({}, optional={"name": st.none() | TEXT, "hidden": st.booleans()}),
        max_size=4,
    ),
    "upvotes": COUNT,
    "publishedAt": st.none() | st.sampled_from(["2024-11-04T17:59:58.000Z", "2024-13-45"]) | TEXT,
    "githubRepo": st.none() | st.sampled_from(["acme/sat", "https://gitlab.com/a/b"]) | TEXT,
    "githubStars": COUNT,
    "projectPage": st.none() | st.sampled_from(["https://acme.github.io/", "javascript:x"]) | TEXT,
    "ai_summary": st.none() | TEXT,
    "ai_keywords": st.none() | st.lists(TEXT, max_size=3),
    "discussionId": TEXT,
}
PAPER = st.fixed_dictionaries({}, optional=PAPER_FIELDS)
ITEM = st.fixed_dictionaries(
    {"paper": st.none() | PAPER},
    optional={"title": st.none() | TEXT, "summary": st.none() | TEXT, "numComments": COUNT,
              "submittedBy": st.fixed_dictionaries({"name": TEXT})},
)  # fmt: skip


def _outcome(read: object) -> Digest | str:
    try:
        return read()  # type: ignore[operator, no-any-return]
    except DigestError as error:
        return str(error)


@settings(max_examples=400, deadline=None)
@given(st.lists(ITEM | PAPER, max_size=6), st.booleans())
def test_the_typed_path_reads_what_the_general_path_reads(
    entries: list[dict[str, object]], ascii_only: bool
) -> None:
    data = json.dumps(entries, ensure_ascii=ascii_only).encode()
    typed = _outcome(lambda: typed_digest(data, source="t.json", date=DAY))
    assert typed is not None  # every field of the API's type: the fast path reads it
    general = _outcome(lambda: digest_from_api(orjson.loads(data), source="t.json", date=DAY))
    assert typed == general


@pytest.mark.parametrize(
    "entry",
    [
        {"title": 5, "summary": "S."},
        {"title": "T", "upvotes": True},
        {"title": "T", "upvotes": 4.0},
        {"title": "T", "authors": ["Ada"]},
        {"title": "T", "authors": [{"name": 3}]},
        {"title": "T", "ai_keywords": [1]},
        {"paper": "not an object", "title": "T"},
    ],
)
def test_another_type_gives_way_to_the_general_path(entry: dict[str, object]) -> None:
    data = json.dumps([{"title": "First", "summary": "A."}, entry]).encode()
    assert typed_digest(data, source="t.json", date=DAY) is None
    digest = read_capture_bytes(data, source="t-2026-11-30.json")
    assert digest == digest_from_api(json.loads(data), source="t-2026-11-30.json", date=DAY)
    assert digest.papers[0].title == "First"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"title": "Sparse Attention"}', None),  # one object, not a list: read all the same
        (b'[{"title": "T"}, 3]', "t.json: hf-json: item 2: expected an object, got a number"),
        (b'[{"title": "T"', "t.json: hf-json: not valid JSON (line 1, column 15)"),
        (b"[]", "t.json: hf-json: no papers found (an empty list)"),
        # Nested past any parser's depth, in a field neither path reads: one DigestError.
        (b'[{"title": "Sparse Attention", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]",
         "t.json: hf-json: not valid JSON (line 1, column "),
        (b'[{"title": "Sparse Attention", "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_001
         + b"]", "t.json: hf-json: not valid JSON (line 1, column "),
    ],
)
def test_other_shapes_and_broken_json_keep_their_messages(
    data: bytes, message: str | None
) -> None:
    if message is None:
        digest = read_capture_bytes(data, source="t.json", today=DAY)
        assert digest.papers[0].title == "Sparse Attention"
        return
    with pytest.raises(DigestError) as caught:
        read_capture_bytes(data, source="t.json", format="hf-json", today=DAY)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "text",
    ['[{"title": "Sparse \ud800 Attention"}]', '[{"title": "Sparse Attention", "x": "\udfff"}]'],
)
def test_text_with_a_lone_surrogate_gives_one_digest_error(text: str) -> None:
    with pytest.raises(DigestError) as caught:
        read_capture(text, source="s.json", format="hf-json")
    assert str(caught.value).startswith("s.json: hf-json: not valid JSON")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from([*PAPER_FIELDS, "paper", "name"]), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=120) | JSON.map(lambda value: json.dumps(value).encode()))
def test_the_typed_path_reads_or_gives_way_never_raising_anything_else(data: bytes) -> None:
    try:
        digest = typed_digest(data, source="f.json", date=DAY)
    except DigestError as error:  # no paper in a list of items: the general path's message
        assert str(error).startswith("f.json: hf-json: no papers found")
        return
    if digest is None:
        return
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:  # only in a field neither path reads: skipped unchecked
        return
    assert digest == digest_from_api(parsed, source="f.json", date=DAY)

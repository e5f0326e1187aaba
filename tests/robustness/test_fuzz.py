"""Fuzzing at scale: only paperterm's own error types ever escape, whatever the input.

Complements the property tests (``tests/test_digest_properties.py``,
``tests/test_query_properties.py``) with other distributions and more cases:

* bytes: random bytes and byte-level corruptions of the real sample digests (bit flips,
  truncations, splices, stray BOMs, NULs, invalid UTF-8) through ``parse_digest_bytes`` and
  ``read_digest_file``: a ``Digest`` or a ``DigestError``, never anything else;
* text: the sample digest with hostile tokens spliced in at random places;
* end to end: whatever parses is imported into a store and rendered by ``paperterm list``
  (text and JSON), the Markdown export and the TUI's detail pane: no control character
  survives, nothing raises;
* queries: hostile query strings through ``parse_query`` (``QueryError`` only), then the
  search index over the samples, the filters and the TUI's search path (no error at all).

Each test counts the cases it ran; the totals appear in the terminal summary.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_support import Figures, forbidden_in

from paperterm.digest import parse_digest, parse_digest_bytes, read_digest_file
from paperterm.errors import DigestError, QueryError
from paperterm.export import export_markdown
from paperterm.listing import entry_json_line, entry_text_line
from paperterm.model import Digest
from paperterm.paths import sample_digest_paths
from paperterm.query import parse_query
from paperterm.search import SearchIndex
from paperterm.store import Store
from paperterm.tui.widgets.paper_detail import detail_text

TODAY = dt.date(2025, 10, 1)
CASES = 5000
IMPORTED = 300
FUZZ = settings(
    max_examples=CASES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SAMPLE = sample_digest_paths()[0].read_bytes()
SAMPLE_TEXT = SAMPLE.decode("utf-8")
RUNS: Counter[str] = Counter()

HOSTILE = [
    "\x00", "\x1b", "\x1b[31m", "\x1b]52;c;aGk=\x07", "\x1b]8;;https://evil\x07", "\x9b",
    "\x9b2J", "\x9d0;t\x9c", "\u202e", "\u2066", "\u200f", "\ufeff", "\ud800", "\r", "\r\n",
    "\n", "\n\n", "\n\n\n", "\t", " ", "[bold red]x[/]", "[/]", "[link=https://evil]", "<html>",
    "<body>", "<!-- c -->", "<!DOCTYPE html>", "Sep 9", "September 31", "2025-02-29", "Feb 29",
    "new", "Subscribe", "Daily Papers", "https://github.com/a/b", "github.com/x/y).",
    "javascript:alert(1)", "file:///etc/passwd", "\\'e", "$\\alpha$", "\\frac{", "{", "}",
    "é", "日本", "🙂", "e\u0301", "x" * 500, "(" * 50, "https://" + "a" * 3000,
]  # fmt: skip
BYTE_JUNK = [b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\x1b[0m", b"\r",
             b"\n\n", b"\xe2\x80\xae", b"\xc2\x9b", b"<html>"]  # fmt: skip
QUERY_TOKENS = [
    "is:", "is:starred", "is:read", "is:unread", "-is:read", "tag:", "tag:ml", "tag:\"a b\"",
    "has:code", "has:", "has:note", "date:", "date:2025-09-09", "date:>=2025-09-01",
    "date:<2025-13-01", "date:>", "date:2025-02-30", "foo:bar", ":", "::", "-", "--", "\"",
    "\"phrase\"", "\"\"", "-\"x\"", "learning", "diffus", "reinforcment", "a", "ab", "é", "日本",
    "\x00", "\x1b[31m", "\u202e", "\ud800", "[bold]", "\\'e", " ", "  ", "\t", "\n", "-x",
    "x" * 200, "*", "(", ")", "OR", "AND",
]  # fmt: skip


def assert_clean_digest(digest: Digest) -> None:
    for paper in digest.papers:
        assert not forbidden_in(paper.title) and not forbidden_in(paper.abstract)
        assert "\x1b" not in paper.title + paper.abstract
        assert all(link.url.startswith(("https://", "http://")) for link in paper.links)
        assert not forbidden_in("".join(link.url for link in paper.links))


def tokens(vocabulary: list[str], max_size: int) -> st.SearchStrategy[list[str]]:
    """Lists of tokens, drawn as text over a private-use alphabet (much faster to generate
    and shrink than a list of strings)."""
    alphabet = "".join(chr(0xE000 + i) for i in range(len(vocabulary)))
    return st.text(alphabet, max_size=max_size).map(
        lambda text: [vocabulary[ord(ch) - 0xE000] for ch in text]
    )


SEEDS = st.integers(0, 2**32 - 1)


@st.composite
def corrupted_sample(draw: st.DrawFn) -> bytes:
    """The start of the sample digest's bytes (its header, date line and some papers), cut
    and damaged in one to four places chosen by a drawn seed (few draws: fast)."""
    data = bytearray(SAMPLE[: draw(st.integers(0, 12_000))])
    rng = random.Random(draw(SEEDS))
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        how = rng.choice(["flip", "insert", "delete", "splice"])
        if how == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif how == "insert":
            data[at:at] = rng.choice(BYTE_JUNK)
        elif how == "delete":
            del data[at : at + rng.randint(1, 200)]
        else:
            start = rng.randrange(len(SAMPLE))
            data[at:at] = SAMPLE[start : start + rng.randint(1, 300)]
    return bytes(data)


@FUZZ
@given(st.one_of(st.binary(max_size=4000), corrupted_sample()))
def _bytes_case(data: bytes) -> None:
    RUNS["parse_digest_bytes"] += 1
    try:
        digest = parse_digest_bytes(data, source="fuzz.txt", today=TODAY)
    except DigestError as error:
        assert "\n" not in str(error) and str(error).startswith("fuzz.txt: ")
        return
    assert_clean_digest(digest)


@pytest.mark.slow
def test_fuzz_digest_bytes(figures: Figures) -> None:
    RUNS["parse_digest_bytes"] = 0
    _bytes_case()
    assert RUNS["parse_digest_bytes"] >= CASES * 0.9
    figures("fuzz: parse_digest_bytes (random + corrupted sample bytes)",
            f"{RUNS['parse_digest_bytes']} cases")  # fmt: skip


@pytest.mark.slow
def test_fuzz_read_digest_file(figures: Figures) -> None:
    RUNS["read_digest_file"] = 0
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "digest-2025-09-09.txt"

        @settings(FUZZ, max_examples=CASES // 2)
        @given(st.one_of(st.binary(max_size=2000), corrupted_sample()))
        def case(data: bytes) -> None:
            RUNS["read_digest_file"] += 1
            path.write_bytes(data)
            try:
                digest = read_digest_file(path, today=TODAY)
            except DigestError as error:
                assert str(error).startswith(str(path)) and "\n" not in str(error)
                return
            assert_clean_digest(digest)
            assert digest.date.year == 2025  # the file name's year

        case()
    assert RUNS["read_digest_file"] >= CASES // 2 * 0.9
    figures("fuzz: read_digest_file (files of random + corrupted bytes)",
            f"{RUNS['read_digest_file']} cases")  # fmt: skip


@st.composite
def spliced_sample(draw: st.DrawFn) -> str:
    """A window of the sample digest's text with hostile tokens spliced in at places chosen
    by a drawn seed."""
    start = draw(st.integers(0, len(SAMPLE_TEXT) // 2))
    text = SAMPLE_TEXT[start : start + draw(st.integers(0, 4000))]
    if draw(st.booleans()):
        text = "Sep 9\n\n" + text
    rng = random.Random(draw(SEEDS))
    for token in draw(tokens(HOSTILE, 12)):
        at = rng.randint(0, len(text))
        text = text[:at] + token + text[at:]
    return text


@pytest.mark.slow
def test_fuzz_parse_digest_text_end_to_end(figures: Figures) -> None:
    """Whatever parses imports, lists, exports and renders cleanly."""
    RUNS["parse+import+render"] = 0
    RUNS["parse_digest"] = 0
    with tempfile.TemporaryDirectory() as scratch, Store.open(Path(scratch), "fuzz") as store:

        @settings(FUZZ)
        @given(spliced_sample(), st.sampled_from([None, TODAY]))
        def case(text: str, override: dt.date | None) -> None:
            RUNS["parse_digest"] += 1
            try:
                digest = parse_digest(text, source="fuzz", date_override=override, today=TODAY)
            except DigestError:
                return
            assert_clean_digest(digest)
            if RUNS["parse+import+render"] >= IMPORTED:  # the store part is slower
                return
            RUNS["parse+import+render"] += 1
            result = store.import_digest(digest)
            ids = set(result.new_ids)
            entries = [e for e in store.entries() if e.id in ids]
            for entry in entries:
                for shown in (entry_text_line(entry), entry_json_line(entry),
                              detail_text(entry).plain):  # fmt: skip
                    assert not forbidden_in(shown), shown
            markdown = export_markdown(entries, query="fuzz", today=TODAY, full=True)
            assert not forbidden_in(markdown)

        case()
    assert RUNS["parse_digest"] >= CASES * 0.9
    figures("fuzz: parse_digest (sample text with hostile splices)",
            f"{RUNS['parse_digest']} cases, {RUNS['parse+import+render']} of them imported "
            "and rendered by list, list --json, export and the detail pane")  # fmt: skip


@pytest.mark.slow
def test_fuzz_queries(figures: Figures) -> None:
    RUNS["parse_query"] = 0
    RUNS["search"] = 0
    with tempfile.TemporaryDirectory() as scratch, Store.open(Path(scratch), "q") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path))
        index = SearchIndex(store.papers())
    assert len(index) == 139

    @FUZZ
    @given(st.one_of(
        tokens(QUERY_TOKENS, 8).map("".join),
        tokens(QUERY_TOKENS, 8).map(" ".join),
        st.text(max_size=60),
    ))  # fmt: skip
    def case(text: str) -> None:
        RUNS["parse_query"] += 1
        try:
            query = parse_query(text)
        except QueryError as error:
            assert "\n" not in str(error) and str(error)
            return
        RUNS["search"] += 1
        ids = index.search(query, {})
        assert len(ids) == len(set(ids)) <= 139

    case()
    assert RUNS["parse_query"] >= CASES * 0.9
    figures("fuzz: parse_query + SearchIndex.search (hostile query strings)",
            f"{RUNS['parse_query']} queries, {RUNS['search']} of them valid and searched "
            "over the 139 sample papers")  # fmt: skip

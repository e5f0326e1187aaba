"""Property tests of the capture readers: shuffled, wrapped and repeated entries read as
the same papers; arbitrary text read with any reader gives a digest or one DigestError."""

from __future__ import annotations

import datetime as dt
import random
import re

from capture_styles import Entry, hf_json, markdown, text_browser, text_export
from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.captures import FORMATS, detect, read_capture
from paperterm.digest import paper_key
from paperterm.errors import DigestError

TODAY = dt.date(2026, 12, 1)
SETTINGS = settings(max_examples=150, deadline=None)
WORDS = [
    "Sparse",
    "Attention",
    "Diffusion",
    "Graph",
    "Robust",
    "Agents",
    "Tokenizer",
    "Memory",
    "Vision",
    "Speech",
    "Planning",
    "Scaling",
    "Laws",
    "Federated",
    "Proofs",
    "Weather",
    "Kernels",
    "Latent",
    "Optimal",
    "Transport",
    "Causal",
    "Pokémon",
    "3D",
    "Über",
    "α-Net",
    "日本語",
]
PROSE = [
    "we",
    "show",
    "that",
    "models",
    "learn",
    "fast",
    "and",
    "well",
    "on",
    "long",
    "inputs",
    "(95%)",
    "x^2",
    "[bold]",
    "results.",
    "This",
    "is",
    "new.",
    "github",
]
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


@st.composite
def entries(draw: st.DrawFn) -> list[Entry]:
    count = draw(st.integers(1, 6))
    found: list[Entry] = []
    keys: set[str] = set()
    for index in range(count):
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=9)))
        if paper_key(title) in keys:
            continue
        keys.add(paper_key(title))
        abstract = " ".join(["Abstract", *draw(st.lists(st.sampled_from(PROSE), max_size=40))])
        repo = draw(st.sampled_from(["", "acme/tool", "lab-x/model.v2"]))
        found.append(
            Entry(
                title,
                abstract + ".",
                f"2411.{10000 + index:05d}",
                draw(st.integers(1, 99_999)),
                repo,
                draw(st.integers(0, 999)),
            )
        )
    return found


def shown(papers: list[Entry], rng: random.Random, repeats: bool) -> list[Entry]:
    """The entries in a random order, some shown twice when ``repeats``."""
    page = list(papers)
    rng.shuffle(page)
    if repeats:
        page += rng.sample(page, rng.randint(1, len(page)))
    return page


def expect(page: list[Entry]) -> list[tuple[str, str, int, str | None, str]]:
    seen: dict[str, Entry] = {}
    for entry in page:
        seen.setdefault(entry.arxiv_id, entry)
    return [(e.title, e.arxiv_id, e.upvotes, e.code_url, e.abstract) for e in seen.values()]


def check(text: str, fmt: str, page: list[Entry]) -> None:
    assert detect(text) == fmt
    digest = read_capture(text, source="page-2026-11-30.txt", today=TODAY)
    assert digest.format == fmt and digest.date == dt.date(2026, 11, 30)
    got = [
        (p.title, p.meta.arxiv_id, p.meta.upvotes, p.code_url, p.abstract) for p in digest.papers
    ]
    assert got == expect(page)


@SETTINGS
@given(entries(), st.randoms(), st.booleans(), st.integers(30, 120), st.booleans(), st.booleans())
def test_markdown_reads_the_papers_however_shuffled_wrapped_and_repeated(
    papers: list[Entry],
    rng: random.Random,
    repeats: bool,
    width: int,
    before: bool,
    backslashes: bool,
) -> None:
    page = shown(papers, rng, repeats)
    check(markdown(page, width, before=before, backslashes=backslashes), "markdown", page)


@SETTINGS
@given(entries(), st.randoms(), st.booleans(), st.integers(30, 120))
def test_text_browser_reads_the_papers_however_shuffled_wrapped_and_repeated(
    papers: list[Entry], rng: random.Random, repeats: bool, width: int
) -> None:
    page = shown(papers, rng, repeats)
    check(text_browser(page, width), "text-browser", page)


@SETTINGS
@given(entries(), st.randoms(), st.booleans(), st.integers(30, 120))
def test_text_export_reads_the_papers_however_shuffled_wrapped_and_repeated(
    papers: list[Entry], rng: random.Random, repeats: bool, width: int
) -> None:
    page = shown(papers, rng, repeats)
    check(text_export(page, width), "text-export", page)


@SETTINGS
@given(entries(), st.randoms(), st.booleans(), st.integers(30, 120))
def test_json_reads_the_papers_however_shuffled_wrapped_and_repeated(
    papers: list[Entry], rng: random.Random, repeats: bool, width: int
) -> None:
    page = shown(papers, rng, repeats)
    check(hf_json(page, width), "hf-json", page)


TOKENS = [
    "\n",
    "\n\n",
    "  ",
    "### ",
    "# ",
    "[",
    "]",
    "(",
    ")",
    "](",
    "][",
    "[1]: ",
    "12. ",
    "https://huggingface.co/papers/2411.01234",
    "https://github.com/a/b",
    "https://x.org/",
    "Submitted by",
    "·",
    "[-]",
    "[101](https://huggingface.co/login)",
    "8 authors",
    "GitHub 1.2k",
    "Published on Oct 4, 2026",
    "May 29",
    "Sep 9",
    "AI-generated summary",
    "Abstract",
    "---",
    "{",
    "}",
    '"title": ',
    '"paper": ',
    ",",
    "<div ",
    "data-target=",
    '"DailyPapers"',
    "data-props=",
    "&quot;",
    "<html>",
    "\x1b[31m",
    "\x1b]8;;x\x07",
    "\u202e",
    "\x00",
    "\r",
    "\t",
    "\\",
    "A Title of Words",
    "an abstract sentence.",
    "日本",
    "[bold]",
]
FUZZ_TEXT = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(FUZZ_TEXT, st.sampled_from([None, *FORMATS]))
def test_any_text_with_any_reader_gives_a_clean_digest_or_one_digest_error(
    text: str, fmt: str | None
) -> None:
    try:
        digest = read_capture(text, source="fuzz.txt", format=fmt, today=TODAY)
    except DigestError as error:
        message = str(error)
        assert message.startswith("fuzz.txt: ") and "\n" not in message
        if fmt is not None and message != "fuzz.txt: empty file":
            assert message.startswith(f"fuzz.txt: {fmt}: ")
        return
    assert digest.papers
    for paper in digest.papers:
        texts = [
            paper.title,
            paper.abstract,
            paper.meta.ai_summary,
            *paper.meta.authors,
            *(link.url for link in paper.links),
        ]
        assert not any(FORBIDDEN.search(t) or "\n" in t for t in texts), texts

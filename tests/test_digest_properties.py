"""Property tests: the digest parser and the text helpers hold up on arbitrary input.

Token sequences are drawn as text over a private-use alphabet and mapped to their tokens:
Hypothesis generates (and shrinks) a string far faster than a list of strings, which keeps
2000 examples per property within a few seconds.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.digest import paper_key, parse_digest
from paperterm.errors import DigestError
from paperterm.links import extract_links
from paperterm.model import LINK_KINDS, Digest
from paperterm.text import clean_tex, sanitize

TODAY = dt.date(2025, 10, 1)
PROPERTY = settings(max_examples=2000, deadline=None)
# Characters no parsed field may contain: C0, DEL, C1, bidi controls, BOM, surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
HEADER_LINES = [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
]
DATE_LINES = ["Sep 9", "sept 30", "2025-02-29", "Feb 29", "May 1", "September 31"]
JUNK = [
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\x9d", "\t",
    "\r", "\r\n", "\n", "\n\n", "\u202e", "\u2066", "\u200f", "\ufeff", "\ud800", "\udc80",
    "\x1b[31m", "\x1b[0m", "\x1b]0;title\x07", "\x1b]8;;https://evil.example\x1b\\",
    "\x9b1m", "\x9d0;t\x9c", "\x1bP1$r\x1b\\", "\x1b(B", "\x1b[", "\x1b]", "  ", "\u00a0",
    "\u2028", "\u3000", "[bold red]", "<b>", "\\'e", "$\\alpha$", "{\\tau}", "a", "é", "日",
    "🙂", "e\u0301", "https://github.com/a/b).", "github.com/x/y", "<body>", "<html>",
]  # fmt: skip
WORDS = ["A", "Deep", "Pokémon", "α-Net", "日本語", "S2A:", "Learning", "x", "Über", "3D"]
DIGEST_TOKENS = [
    *JUNK, *HEADER_LINES, *DATE_LINES, *WORDS, "Title words", "An abstract sentence.",
    " \n \n", "\n\n\n", "\r\n\r\n", "\r\r",
]  # fmt: skip
URL_TOKENS = [
    "https://", "http://", "HTTPS://", "github.com/", "www.", "gitlab.com/", "codeberg.org/",
    "x.org/", "a", "B", "1", "-", "_", "/", ".", ",", ";", ":", "!", "?", ")", "(", "]", "[",
    "}", "{", "'", '"', "`", "<", ">", "\\_", "\\", "?q=1", "#f", "~", "@", " ", "\n",
    ".git", "\x1b", "\u202e", "\u00a0", "。", "（", "é", "\ud800",
]  # fmt: skip
TEX_TOKENS = [
    "\\", "{", "}", "$", "^", "_", "~", "'", "''", "``", "\\'", '\\"', "\\c", "\\v", "\\~",
    "\\tau", "\\alpha", "\\Omega", "\\times", "\\mathcal{", "mathcal{", "\\frac{", "\\sqrt{",
    "\\textbf{", "{\\bf ", "\\hat{", "\\mathbb{", "\\(", "\\)", "\\%", "\\$", "\\{", "\\}",
    "\\\\", "\\url{", "\\href{", "https://x.org/", "10^{", "^\\circ", "_{", "\\i", "\\oni",
    "\ufdd0", "\ufdd3", "\ud800", " ", "\n", "a", "e", "1", "-", "(", ")", "é",
]  # fmt: skip
LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


def token_lists(
    tokens: list[str], max_size: int, min_size: int = 0
) -> st.SearchStrategy[list[str]]:
    """Lists of tokens, drawn as one string over a private-use alphabet (much faster)."""
    keys = [chr(0xF0000 + i) for i in range(len(tokens))]
    lookup = dict(zip(keys, tokens, strict=True))
    return st.text(st.sampled_from(keys), min_size=min_size, max_size=max_size).map(
        lambda drawn: [lookup[key] for key in drawn]
    )


def token_text(tokens: list[str], max_size: int) -> st.SearchStrategy[str]:
    return token_lists(tokens, max_size).map("".join)


DIGEST_LIKE = st.builds(
    lambda eol, head, date, body: (
        (eol * 2).join([*head, date]) + eol * 2 + "".join(body).replace("\n", eol)
    ),
    LINE_ENDINGS,
    token_lists([*HEADER_LINES, "???"], 6),
    st.sampled_from([*DATE_LINES, "", *["Sep 9"] * 6]),  # "": no date line
    # paragraph breaks weighted up so that titles and abstracts come out often
    token_lists([*DIGEST_TOKENS, *["\n\n"] * 20, *WORDS], 80, min_size=6),
)


def check_digest(text: str, date_override: dt.date | None = None) -> Digest | None:
    """Parse; assert it either fails with a proper DigestError or gives clean fields."""
    try:
        digest = parse_digest(text, source="p.txt", date_override=date_override, today=TODAY)
    except DigestError as error:
        message = str(error)
        assert message.startswith("p.txt: ")
        assert "\n" not in message
        return None
    assert digest.papers
    for paper in digest.papers:
        assert paper.title
        assert paper.line >= 1
        for field in (paper.title, paper.abstract):
            assert not FORBIDDEN.search(field)
            assert "\x1b" not in field
            assert field == field.strip()
            assert "  " not in field
    assert all(not FORBIDDEN.search(w) for w in digest.warnings)
    return digest


def check_links(text: str) -> None:
    links = extract_links(text)
    for link in links:
        parts = urlsplit(link.url)
        assert parts.scheme in ("http", "https") and parts.hostname
        assert link.url.startswith(parts.scheme + "://")
        assert not link.url.endswith((".", ",", ";", ":", "!", "?", "'", '"'))
        assert not re.search(r"[\s<>\"`\\]", link.url)
        assert not FORBIDDEN.search(link.url)
        assert link.kind in LINK_KINDS
    assert len({link.url for link in links}) == len(links)


def check_sanitize(text: str) -> None:
    multi = sanitize(text)
    assert not FORBIDDEN.search(multi.replace("\n", ""))
    assert "\t" not in multi
    assert sanitize(multi) == multi
    single = sanitize(text, single_line=True)
    assert not FORBIDDEN.search(single)
    assert single == single.strip() and "  " not in single


@PROPERTY
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    check_digest(text)
    check_digest(text, date_override=TODAY)
    check_sanitize(text)
    check_links(text)
    assert isinstance(clean_tex(text), str)
    assert isinstance(paper_key(text), str)


@PROPERTY
@given(DIGEST_LIKE, st.sampled_from([None, TODAY]))
def test_digest_like_text(text: str, date_override: dt.date | None) -> None:
    check_digest(text, date_override)
    check_sanitize(text)


# Clean text: letters, digits, punctuation, symbols and spaces, no controls.
CLEAN = st.characters(
    codec="utf-8", categories=["L", "N", "P", "S", "Zs"], exclude_characters="\ufeff|"
)


@PROPERTY
@given(
    st.text(st.one_of(CLEAN, st.just("|")), min_size=1, max_size=400),
    LINE_ENDINGS,
    st.integers(1, 3),
    st.booleans(),
)
def test_round_trip(raw: str, eol: str, blanks: int, header: bool) -> None:
    # "|" cuts the drawn text into fields; each starts with a word so no field is empty,
    # a header line or a date line.
    fields = [
        " ".join(f"{WORDS[i % len(WORDS)]} {f}".split()) for i, f in enumerate(raw.split("|"))
    ]
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for title, abstract in zip(fields[::2], [*fields[1::2], "Abstract."], strict=False):
        if paper_key(title) not in seen:
            seen.add(paper_key(title))
            pairs.append((title, abstract))
    lines = [*HEADER_LINES, "Sep 9"] if header else ["Sep 9"]
    for title, abstract in pairs:
        lines += [title, abstract]
    digest = check_digest((eol * (blanks + 1)).join(lines) + eol)
    assert digest is not None
    assert [(p.title, p.abstract) for p in digest.papers] == pairs
    assert digest.date == dt.date(2025, 9, 9)
    assert digest.warnings == ()


@PROPERTY
@given(token_text(URL_TOKENS, 30))
def test_extract_links_yields_only_clean_http_urls(text: str) -> None:
    check_links(text)


@PROPERTY
@given(token_text(TEX_TOKENS, 30), token_text(JUNK, 20))
def test_clean_tex_and_sanitize_on_hostile_text(tex: str, junk: str) -> None:
    once = clean_tex(tex)
    assert isinstance(once, str)
    assert isinstance(paper_key(tex), str)
    check_sanitize(junk)
    check_links(tex)

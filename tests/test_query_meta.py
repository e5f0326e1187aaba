"""The metadata terms of the query language: author:NAME, arxiv:ID, upvotes:[OP]N.

Unit tests of the parser and the predicates, and hypothesis properties: generated queries
parse and print back, the index agrees with ``Query.matches_filters``, negation selects the
complement, and any text after a metadata field parses or raises QueryError.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.errors import QueryError
from paperterm.model import NO_META, Paper, PaperMeta, PaperState
from paperterm.query import ArxivTerm, AuthorTerm, UpvotesTerm, author_matches, parse_query
from paperterm.search import SearchIndex

D = dt.date(2026, 9, 1)
SETTINGS = settings(max_examples=1500, deadline=None)

METAS = [
    PaperMeta(arxiv_id="2609.01234", authors=("Alice Smith", "Bob Jones"), upvotes=120),
    PaperMeta(arxiv_id="2609.05678v2", authors=("Ana Smyth",), upvotes=0),
    PaperMeta(arxiv_id="2610.00001", authors=("José Ñúñez", "Li Wei", "Q. Zhang"), upvotes=45),
    PaperMeta(authors=("John Smith",), upvotes=None),
    PaperMeta(upvotes=45),
    NO_META,
    PaperMeta(arxiv_id="hep-th/9901001", authors=("Édouard Lévy",)),
]
PAPERS = [
    Paper(f"p{i}", f"Paper {i}", f"Abstract number {i} about learning.", (), (D,), i, meta)
    for i, meta in enumerate(METAS)
]
INDEX = SearchIndex(PAPERS)
STATES = {"p0": PaperState(starred=True)}
ALL = {p.id for p in PAPERS}


def found(text: str) -> set[str]:
    return set(INDEX.search(parse_query(text), STATES))


def brute(text: str) -> set[str]:
    query = parse_query(text)
    return {p.id for p in PAPERS if query.matches_filters(p, STATES.get(p.id, PaperState()))}


def test_parsing_the_metadata_terms() -> None:
    assert parse_query("author:smith").terms == (AuthorTerm("smith"),)
    assert parse_query('author:"Alice  Smith"').terms == (AuthorTerm("Alice Smith"),)
    assert parse_query("-ARXIV:2609.01234V3").terms == (ArxivTerm("2609.01234", negated=True),)
    assert parse_query("upvotes:>=50").terms == (UpvotesTerm(">=", 50),)
    assert parse_query("upvotes:7 upvotes:<3").terms == (UpvotesTerm("=", 7), UpvotesTerm("<", 3))
    assert str(parse_query('author:"a smith" arxiv:2609. upvotes:>10')) == (
        'author:"a smith" arxiv:2609. upvotes:>10'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("author:", "missing author name in 'author:' (at column 1)"),
        ("upvotes:", "missing count in 'upvotes:' (at column 1)"),
        ("upvotes:>=x", "invalid count 'x' in 'upvotes:>=x' (at column 1)"),
        ("upvotes:-3", "invalid count '-3'"),
        ("x arxiv:2609*", "invalid arXiv id '2609*' in 'arxiv:2609*' (at column 3)"),
    ],
)
def test_errors_name_the_term(text: str, message: str) -> None:
    with pytest.raises(QueryError, match="^" + re.escape(message)):
        parse_query(text)


def test_author_is_fuzzy_on_names() -> None:
    assert found("author:smith") == {"p0", "p1", "p3"}  # a part of the name, or "smyth"
    assert found("author:jones") == {"p0"}
    assert found("author:smyth") == {"p0", "p1", "p3"}  # one letter off: resembles smith
    assert found("author:smiht") == {"p0", "p3"}  # a typo, four letters or more
    assert found('author:"alice smith"') == {"p0"}
    assert found("author:nunez") == {"p2"}  # accents folded
    assert found("author:levy") == {"p6"}
    assert found("author:zzzz") == set()
    assert found("author:li") == {"p0", "p2"}  # short: a part only ("alice", "li wei")
    assert author_matches("jon smith", "john smith") and not author_matches("bob", "alice")


def test_arxiv_matches_the_id_or_its_start_ignoring_versions() -> None:
    assert found("arxiv:2609.01234") == {"p0"}
    assert found("arxiv:2609.05678") == {"p1"}  # stored with v2
    assert found("arxiv:2609.") == {"p0", "p1"}
    assert found("arxiv:hep-th/9901001") == {"p6"}
    assert found("-arxiv:2609") == ALL - {"p0", "p1"}  # papers without an id included


def test_upvotes_compare_known_counts_only() -> None:
    assert found("upvotes:>=45") == {"p0", "p2", "p4"}
    assert found("upvotes:45") == found("upvotes:=45") == {"p2", "p4"}
    assert found("upvotes:<1") == {"p1"}
    assert found("upvotes:>45 upvotes:<=120") == {"p0"}
    assert found("-upvotes:>=1") == {"p1", "p3", "p5", "p6"}


def test_metadata_terms_mix_with_free_words_and_states() -> None:
    assert found("learning author:smith is:starred") == {"p0"}
    assert INDEX.search(parse_query("abstract upvotes:>=0"), STATES)[0] in {"p0", "p1", "p2", "p4"}


def test_the_index_follows_replaced_papers() -> None:
    index = SearchIndex(PAPERS[:2])
    assert set(index.search(parse_query("upvotes:>=100"), {})) == {"p0"}
    index.add([Paper("p1", "Paper 1", PAPERS[1].abstract, (), (D,), 1, PaperMeta(upvotes=500))])
    assert set(index.search(parse_query("upvotes:>=100"), {})) == {"p0", "p1"}
    assert set(index.search(parse_query('author:"ana smyth"'), {})) == set()


NAMES = ["smith", "smyth", "smiht", "li", "alice smith", "nunez", "lévy", "zhang", "q.", "x"]
IDS = ["2609.01234", "2609.", "2609", "2610.00001v1", "hep-th/", "1", "2"]
OPS = ["", "=", ">=", "<=", ">", "<"]
COUNTS = [0, 1, 44, 45, 46, 120, 121]
META_FIELDS = [
    *(f'author:"{n}"' if " " in n else f"author:{n}" for n in NAMES),
    *(f"arxiv:{i}" for i in IDS),
    *(f"upvotes:{op}{c}" for op in OPS for c in COUNTS),
]
TERMS = [*META_FIELDS, "is:starred", "has:code", "learning", "paper", '"number 2"']
TERMS += ["-" + t for t in TERMS]


@SETTINGS
@given(st.lists(st.sampled_from(TERMS), min_size=1, max_size=4))
def test_generated_queries_print_back_and_the_index_agrees(terms: list[str]) -> None:
    text = " ".join(terms)
    query = parse_query(text)
    assert parse_query(str(query)).terms == query.terms
    ids = set(INDEX.search(query, STATES))
    if query.has_free_words:
        assert ids <= brute(text)
    else:
        assert ids == brute(text)


@SETTINGS
@given(st.sampled_from(META_FIELDS))
def test_a_negated_metadata_term_selects_the_complement(term: str) -> None:
    positive, negative = found(term), found("-" + term)
    assert positive | negative == ALL and not positive & negative


@SETTINGS
@given(st.sampled_from(["author:", "arxiv:", "upvotes:", "upvotes:>=", "-author:"]), st.text())
def test_any_value_parses_or_raises_query_error(field: str, value: str) -> None:
    try:
        query = parse_query(field + value)
    except QueryError as error:
        assert "\n" not in str(error) and str(error).isprintable()
        return
    assert set(INDEX.search(query, STATES)) <= ALL

"""Tests for paperterm.query: the parser, its error messages, and the filter predicates.

Every filter expectation is checked twice: through ``Query.matches_filters`` (what the CLI and
the TUI use without an index) and through ``SearchIndex.search`` (set-based evaluation).
"""

from __future__ import annotations

import datetime as dt

import pytest

from paperterm.errors import QueryError
from paperterm.model import Link, Paper, PaperState
from paperterm.query import (
    DateTerm,
    HasTerm,
    IsTerm,
    Phrase,
    TagTerm,
    Word,
    fold,
    haystack,
    parse_query,
    token_set,
    tokenize,
)
from paperterm.search import SearchIndex

D = dt.date

# ----------------------------------------------------------------------------- parsing


def test_empty_and_blank_queries_select_everything() -> None:
    for text in ("", "   ", "\t\n "):
        query = parse_query(text)
        assert query.terms == ()
        assert query.is_empty
        assert not query.has_free_words
        assert query.free_words == ()


def test_free_words_keep_their_text_and_fold_to_tokens() -> None:
    query = parse_query("  Transformer   Pok\\'emon state-of-the-art ")
    assert query.terms == (Word("Transformer"), Word("Pok\\'emon"), Word("state-of-the-art"))
    assert query.free_words == ("Transformer", "Pok\\'emon", "state-of-the-art")
    assert query.free_tokens == ("transformer", "pokemon", "state", "of", "the", "art")
    assert query.has_free_words
    assert not query.is_empty


def test_words_without_two_letter_tokens_constrain_nothing() -> None:
    query = parse_query("a + é")
    assert len(query.terms) == 3
    assert query.free_words == ()
    assert not query.has_free_words
    assert not query.is_empty


def test_phrase_keeps_inner_text_and_folds_whitespace_and_case() -> None:
    query = parse_query('"Exact  \n Phrase" next')
    assert query.terms == (Phrase("Exact  \n Phrase"), Word("next"))
    phrase = query.terms[0]
    assert isinstance(phrase, Phrase)
    assert phrase.folded == "exact phrase"
    assert query.free_words == ("next",)


def test_phrase_may_hold_colons_and_dashes() -> None:
    assert parse_query('"foo:bar -baz"').terms == (Phrase("foo:bar -baz"),)


def test_quote_inside_a_word_starts_a_phrase() -> None:
    assert parse_query('foo"bar baz"').terms == (Word("foo"), Phrase("bar baz"))


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("is:starred", IsTerm("starred")),
        ("is:unread", IsTerm("unread")),
        ("is:read", IsTerm("read")),
        ("IS:Starred", IsTerm("starred")),
        ("Is:READ", IsTerm("read")),
        ("tag:ml", TagTerm("ml")),
        ("TAG:Deep-RL", TagTerm("deep-rl")),
        ('tag:"Deep   RL"', TagTerm("deep rl")),
        ("tag:a:b", TagTerm("a:b")),
        ("has:code", HasTerm("code")),
        ("HAS:Note", HasTerm("note")),
        ("has:tags", HasTerm("tags")),
        ("date:2025-09-03", DateTerm("=", D(2025, 9, 3))),
        ("date:=2025-09-03", DateTerm("=", D(2025, 9, 3))),
        ("DATE:>=2025-09-03", DateTerm(">=", D(2025, 9, 3))),
        ("date:<=2024-02-29", DateTerm("<=", D(2024, 2, 29))),
        ("date:>2025-01-31", DateTerm(">", D(2025, 1, 31))),
        ("date:<2025-12-31", DateTerm("<", D(2025, 12, 31))),
    ],
)
def test_field_terms(text: str, term: object) -> None:
    assert parse_query(text).terms == (term,)
    assert not parse_query(text).has_free_words


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("-word", Word("word", negated=True)),
        ('-"a phrase"', Phrase("a phrase", negated=True)),
        ("-is:read", IsTerm("read", negated=True)),
        ("-tag:ml", TagTerm("ml", negated=True)),
        ("-has:code", HasTerm("code", negated=True)),
        ("-date:>=2025-09-01", DateTerm(">=", D(2025, 9, 1), negated=True)),
    ],
)
def test_negation_of_every_term_kind(text: str, term: object) -> None:
    query = parse_query(text)
    assert query.terms == (term,)
    assert query.free_words == ()  # a negated word is an exclusion, not a free word
    assert not query.has_free_words


def test_columns_are_one_based_and_point_at_the_term_start() -> None:
    terms = parse_query('ab  -"c d" is:read').terms
    assert [t.column for t in terms] == [1, 5, 12]


def test_str_gives_back_a_query_with_the_same_terms() -> None:
    text = 'IS:Starred -tag:"a  B" date:>2025-01-02 "Deep  Nets" -reinf s2a date:2025-01-01'
    query = parse_query(text)
    assert (
        str(query)
        == 'is:starred -tag:"a b" date:>2025-01-02 "Deep  Nets" -reinf s2a date:2025-01-01'
    )
    assert parse_query(str(query)).terms == query.terms
    assert query.text == text


# ----------------------------------------------------------------------------- errors


KNOWN = "is, tag, has, date, author, arxiv, upvotes"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo:bar", "unknown field 'foo' in 'foo:bar' (at column 1); known: " + KNOWN),
        (
            "attention http://x.org",
            "unknown field 'http' in 'http://x.org' (at column 11); known: " + KNOWN,
        ),
        ("-Foo:bar", "unknown field 'Foo' in '-Foo:bar' (at column 1); known: " + KNOWN),
        (":bar", "missing field name in ':bar' (at column 1); known: " + KNOWN),
        (
            "is:blue",
            "unknown value 'blue' in 'is:blue' (at column 1); allowed: starred, unread, read",
        ),
        ("x is:", "missing value in 'is:' (at column 3); allowed: starred, unread, read"),
        ("has:pdf", "unknown value 'pdf' in 'has:pdf' (at column 1); allowed: code, note, tags"),
        ("tag:", "missing tag name in 'tag:' (at column 1)"),
        ('tag:"  "', "missing tag name in 'tag:\"  \"' (at column 1)"),
        (
            "date:2025-13-01",
            "invalid date '2025-13-01' in 'date:2025-13-01' (at column 1); "
            "expected YYYY-MM-DD, optionally after >=, <=, > or <",
        ),
        (
            "a date:>=yesterday",
            "invalid date 'yesterday' in 'date:>=yesterday' (at column 3); "
            "expected YYYY-MM-DD, optionally after >=, <=, > or <",
        ),
        (
            "date:2025-9-1",
            "invalid date '2025-9-1' in 'date:2025-9-1' (at column 1); "
            "expected YYYY-MM-DD, optionally after >=, <=, > or <",
        ),
        (
            "date:",
            "missing date in 'date:' (at column 1); "
            "expected YYYY-MM-DD, optionally after >=, <=, > or <",
        ),
        ('foo "bar baz', "unterminated quote in '\"bar baz' (at column 5)"),
        ('-"bar', "unterminated quote in '-\"bar' (at column 2)"),
        ('tag:"x', "unterminated quote in 'tag:\"x' (at column 5)"),
        ("-", "'-' must be followed by a word, phrase or field (at column 1)"),
        ("a - b", "'-' must be followed by a word, phrase or field (at column 3)"),
        ("word -", "'-' must be followed by a word, phrase or field (at column 6)"),
        ("--x", "double negation in '--x' (at column 1)"),
        ('x ""', "empty phrase '\"\"' (at column 3)"),
        ('" \t "', "empty phrase '\" \\t \"' (at column 1)"),
    ],
)
def test_error_messages_name_the_term_and_column(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert str(caught.value) == message


def test_error_messages_stay_one_printable_line() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("\x1b[31m\nevil:" + "x" * 500)
    message = str(caught.value)
    assert "\x1b" not in message and "\n" not in message
    assert message.isprintable()
    assert len(message) < 200
    assert "(at column 7)" in message


# ----------------------------------------------------------------------------- folding


def test_fold_strips_case_accents_tex_and_whitespace() -> None:
    assert fold("  Pok\\'emon  and Pokémon\n\tÜBER  ") == "pokemon and pokemon uber"
    assert fold('Schr\\"{o}dinger {\\"o} na\\"ive \\c{c}a Stra\\ss{}e') == (
        "schrodinger o naive ca strasse"
    )
    assert fold("ﬁne Straße") == "fine strasse"


def test_tokens_are_runs_of_two_or_more_letters_or_digits() -> None:
    assert tokenize("GPT-4 beats a_b; S2A (x) 10^{139}") == ["gpt", "beats", "s2a", "10", "139"]
    assert token_set(fold("GPT-4 beats a_b; S2A")) == {"gpt", "beats", "s2a"}
    assert token_set(fold("Café-au-lait über")) == {"cafe", "au", "lait", "uber"}


# ----------------------------------------------------------------------------- evaluation


def _paper(
    pid: str,
    title: str,
    abstract: str,
    dates: list[dt.date],
    *,
    code: bool = False,
    position: int = 0,
) -> Paper:
    links = (Link("https://github.com/x/" + pid, "code"),) if code else ()
    links += (Link("https://example.org/" + pid, "project"),)
    return Paper(pid, title, abstract, links, tuple(dates), position)


PAPERS = [
    _paper(
        "a1",
        "Attention Is All You Need: Transformers",
        "We propose the Transformer, based solely on attention mechanisms.",
        [D(2025, 9, 1)],
        code=True,
    ),
    _paper(
        "a2",
        "Deep Reinforcement Learning for Robots",
        "Reinforcement learning lets robot manipulation policies improve.",
        [D(2025, 9, 2), D(2025, 9, 3)],
        position=1,
    ),
    _paper(
        "a3",
        "Diffusion Models Beat GANs",
        "Diffusion   models are\n strong image generators.",
        [D(2025, 9, 3)],
        code=True,
    ),
    _paper(
        "a4",
        "Pok\\'emon Battles with Language Models",
        "Large language models play Pokémon.",
        [D(2025, 8, 30)],
    ),
]
STATES = {
    "a1": PaperState(starred=True, read=True, tags=("ML", "nlp")),
    "a2": PaperState(read=True, note="good one"),
    "a3": PaperState(tags=("Vision",), note="   "),
    "zz": PaperState(starred=True),  # not an indexed paper: ignored
}
INDEX = SearchIndex(PAPERS)


def _by_predicate(text: str) -> set[str]:
    query = parse_query(text)
    return {p.id for p in PAPERS if query.matches_filters(p, STATES.get(p.id, PaperState()))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {"a1", "a2", "a3", "a4"}),
        ("is:starred", {"a1"}),
        ("is:read", {"a1", "a2"}),
        ("is:unread", {"a3", "a4"}),
        ("-is:read", {"a3", "a4"}),
        ("-is:unread", {"a1", "a2"}),
        ("-is:starred", {"a2", "a3", "a4"}),
        ("tag:ml", {"a1"}),
        ("tag:ML", {"a1"}),
        ("tag:vision", {"a3"}),
        ("tag:nope", set()),
        ("-tag:ml", {"a2", "a3", "a4"}),
        ("has:code", {"a1", "a3"}),
        ("-has:code", {"a2", "a4"}),
        ("has:note", {"a2"}),  # a blank note does not count
        ("has:tags", {"a1", "a3"}),
        ("-has:tags", {"a2", "a4"}),
        ("date:2025-09-03", {"a2", "a3"}),
        ("date:2025-09-02", {"a2"}),
        ("date:2025-09-04", set()),
        ("-date:2025-09-03", {"a1", "a4"}),
        ("date:>=2025-09-02", {"a2", "a3"}),
        ("date:>2025-09-02", {"a2", "a3"}),
        ("date:>2025-09-03", set()),
        ("date:<=2025-09-01", {"a1", "a4"}),
        ("date:<2025-09-01", {"a4"}),
        ("date:<2025-09-03", {"a1", "a2", "a4"}),
        ("-date:<2025-09-03", {"a3"}),
        ('"models are strong"', {"a3"}),
        ('"MODELS   ARE"', {"a3"}),
        ('"pokemon"', {"a4"}),
        ('"mon battles"', {"a4"}),
        ('"gans diffusion"', set()),  # title and abstract are not one text
        ('-"diffusion"', {"a1", "a2", "a4"}),
        ("-reinf", {"a1", "a3", "a4"}),  # negated words match token prefixes
        ("-transformer", {"a2", "a3", "a4"}),
        ("-transfomer", {"a1", "a2", "a3", "a4"}),  # ...but never fuzzily
        ("-reinforcement-learning", {"a1", "a3", "a4"}),
        ("-learning-transformer", {"a1", "a2", "a3", "a4"}),  # needs both tokens
        ("is:read has:code", {"a1"}),
        ("is:unread -has:code", {"a4"}),
        ("has:code date:2025-09-03 -is:read", {"a3"}),
        ("is:starred is:unread", set()),
        ("is:read -is:read", set()),
        ("-models -attention", {"a2"}),
    ],
)
def test_filters_by_predicate_and_by_index(text: str, expected: set[str]) -> None:
    assert _by_predicate(text) == expected
    assert set(INDEX.search(parse_query(text), STATES)) == expected


def test_positive_free_words_are_left_to_the_index() -> None:
    query = parse_query("zebra is:read")
    assert query.matches_filters(PAPERS[0], STATES["a1"])  # zebra is not checked here
    assert INDEX.search(query, STATES) == []


def test_matches_filters_defaults_to_the_untouched_state() -> None:
    assert parse_query("is:unread -is:starred -has:tags").matches_filters(PAPERS[3])


def test_paper_without_dates_matches_no_date_term() -> None:
    bare = Paper("b0", "Bare", "No dates.", (), ())
    assert not parse_query("date:<=2030-01-01").matches_filters(bare)
    assert parse_query("-date:>=1990-01-01").matches_filters(bare)
    index = SearchIndex([bare, PAPERS[0]])
    assert index.search(parse_query("date:<=2030-01-01"), {}) == ["a1"]
    assert index.search(parse_query(""), {}) == ["a1", "b0"]  # undated papers come last


def test_haystack_is_folded_title_newline_folded_abstract() -> None:
    assert (
        haystack(PAPERS[3])
        == "pokemon battles with language models\nlarge language models play pokemon."
    )

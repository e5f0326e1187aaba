"""Hypothesis properties of the query language and the search index.

* any string parses to a Query or raises QueryError (a one-line message), never anything
  else, and searching it over a small corpus raises nothing at all;
* queries generated from the grammar always parse, and print back to the same terms;
* a negated field term selects exactly the complement of the term, and the index agrees
  with ``Query.matches_filters`` on every filter term (fields, phrases, negated words);
* the fast tokenizer agrees with the reference regular expression.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.errors import QueryError
from paperterm.model import Link, Paper, PaperState
from paperterm.query import TOKEN_RE, Query, fold, parse_query, token_set
from paperterm.search import SearchIndex

D = dt.date
SETTINGS = settings(max_examples=3000, deadline=None)

TITLES = [
    "Attention Is All You Need",
    "Deep Reinforcement Learning for Robot Manipulation",
    "Denoising Diffusion Probabilistic Models",
    "Pok\\'emon Battles: A Benchmark",
    "Continual Learning with Replay",
    "Über-Transformers for Graphs",
    "Policy Gradient Methods, Revisited",
    "A Survey of In-Context Learning",
]
ABSTRACTS = [
    "We propose the Transformer, based solely on attention.",
    "Robots learn manipulation policies with reinforcement learning (RL).",
    "Diffusion  models generate\nimages; code at https://github.com/x/y.",
    "Large language models play Pokémon VGC.",
    "Catastrophic forgetting is reduced by replay buffers.",
    "Graph transformers über alles: state-of-the-art results.",
    "",
    "In-context learning emerges in large language models.",
]
PAPERS = [
    Paper(
        f"p{i}",
        title,
        ABSTRACTS[i],
        (Link("https://github.com/x/y", "code"),) if i % 3 == 0 else (),
        tuple(D(2025, 9, 1 + (i + k) % 5) for k in range(1 + i % 2)),
        i % 3,
    )
    for i, title in enumerate(TITLES)
]
STATES = {
    "p0": PaperState(starred=True, read=True, tags=("ML", "nlp")),
    "p2": PaperState(read=True, note="revisit"),
    "p3": PaperState(tags=("Games",)),
    "p5": PaperState(starred=True, note=" "),
    "nope": PaperState(read=True),
}
INDEX = SearchIndex(PAPERS)
ALL_IDS = {p.id for p in PAPERS}

# ----------------------------------------------------------------------------- strategies

NASTY = [*"-\":\\'é_.,;()[]{}<>=/ \t\n\x00\x1b\u200b\u00a0ﬁİß",
    "is", "tag", "has", "date", "starred", "read", "code", ">=", "2025-09-0", "learn",
]  # fmt: skip
nasty_text = st.lists(st.sampled_from(NASTY), max_size=12).map("".join)
any_text = st.text() | nasty_text

# Pools of terms keep generation cheap; arbitrary characters are covered by ``any_text``.
WORDS = [
    *["learning", "learn", "transformer", "transfomer", "diffusion", "robot", "pokemon"],
    *["Pok\\'emon", "ÜBER", "uber", "replay", "state-of-the-art", "GPT-4", "x_y", "a", "é"],
    *["10^{3}", "in-context", "rl", "RL.", "zz", "polcy", "gradient's", "ﬁne", "…", "0"],
]
PHRASES = [
    *["learning", "continual learning", "ing with", "  Deep\tReinforcement ", "(rl)"],
    *["state-of-the", "models play", "über alles", "e", "x", "https://github.com/x/y"],
    *["attention.", "Transformers for Graphs", "pok\\'emon", "code at"],
]
DATES = [D(2025, 8, 30) + dt.timedelta(days=n) for n in range(9)]
OPS = ["", "=", ">=", "<=", ">", "<"]
FIELDS = [
    *["is:starred", "is:unread", "is:read", "IS:Read", "has:code", "has:note", "has:tags"],
    *["Has:Code", "tag:ml", "tag:ML", "tag:nlp", "tag:games", "tag:none", 'tag:"n l p"'],
    *[f"date:{op}{day.isoformat()}" for op in OPS for day in DATES],
]
FILTER_TERMS = [*FIELDS, *(f'"{p}"' for p in PHRASES), *("-" + w for w in WORDS)]
TERMS = [*FIELDS, *(f'"{p}"' for p in PHRASES), *WORDS]
TERMS += ["-" + t for t in TERMS]
SPACES = [" ", "  ", "\t", "\n ", "\u00a0", " \u3000 "]
field_terms = st.sampled_from(FIELDS)
queries = st.tuples(st.lists(st.sampled_from(TERMS), max_size=6), st.sampled_from(SPACES)).map(
    lambda parts: parts[1] + parts[1].join(parts[0])
)


def _brute(query: Query) -> set[str]:
    return {p.id for p in PAPERS if query.matches_filters(p, STATES.get(p.id, PaperState()))}


# ----------------------------------------------------------------------------- properties


@SETTINGS
@given(any_text)
def test_any_text_parses_and_searches_or_raises_query_error(text: str) -> None:
    folded = fold(text)  # the fast tokenizer agrees with the regular expression
    assert token_set(folded) == set(TOKEN_RE.findall(folded))
    assert "\n" not in folded and "  " not in folded
    try:
        query = parse_query(text)
    except QueryError as error:
        message = str(error)
        assert message and "\n" not in message and message.isprintable()
        return
    assert isinstance(query, Query)
    assert query.text == text
    ids = INDEX.search(query, STATES)
    assert len(ids) == len(set(ids))
    assert set(ids) <= ALL_IDS
    if not query.has_free_words:
        assert set(ids) == _brute(query)


@SETTINGS
@given(queries)
def test_generated_queries_parse_print_back_and_search(text: str) -> None:
    query = parse_query(text)
    assert len(query.terms) == len(text.split()) or '"' in text
    again = parse_query(str(query))
    assert again.terms == query.terms
    ids = INDEX.search(query, STATES)
    assert len(ids) == len(set(ids))
    assert set(ids) <= _brute(query)  # free words only narrow what the filters select
    if not query.has_free_words:
        assert set(ids) == _brute(query)


@SETTINGS
@given(field_terms)
def test_negated_field_term_selects_the_complement(term: str) -> None:
    positive = set(INDEX.search(parse_query(term), STATES))
    negative = set(INDEX.search(parse_query("-" + term), STATES))
    assert positive | negative == ALL_IDS
    assert not positive & negative
    assert positive == _brute(parse_query(term))


@SETTINGS
@given(
    st.lists(st.sampled_from(FILTER_TERMS), min_size=1, max_size=3),
    st.sampled_from(["", "learning", "x"]),
)
def test_index_agrees_with_matches_filters(parts: list[str], free: str) -> None:
    query = parse_query(" ".join(parts))
    found = INDEX.search(query, STATES)
    assert set(found) == _brute(query)
    if free:  # free words only narrow the same filtered set
        narrowed = INDEX.search(parse_query(" ".join([*parts, free])), STATES)
        assert set(narrowed) <= set(found)

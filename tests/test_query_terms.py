"""The one table of query terms: the parser's fields are all in it, every row parses, and
the README and the reader's help screen both list every term."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperterm import query
from paperterm.query_terms import QUERY_TERMS, example

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_field_and_value_of_the_parser_is_in_the_table() -> None:
    syntaxes = " ".join(term.syntax for term in QUERY_TERMS)
    for name in query.FIELDS:
        assert f"{name}:" in syntaxes, name
    for value in query.IS_VALUES:
        assert f"is:{value}" in syntaxes
    for value in query.HAS_VALUES:
        assert f"has:{value}" in syntaxes


@pytest.mark.parametrize("term", QUERY_TERMS, ids=lambda term: term.syntax)
def test_every_term_parses(term) -> None:  # type: ignore[no-untyped-def]
    assert query.parse_query(example(term)).terms


def test_the_readme_lists_every_term() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Query language"):]
    section = section[:section.index("\n## ", 3)]
    for term in QUERY_TERMS:
        assert f"| `{term.syntax}` | {term.meaning.replace('|', chr(92) + '|')} |" in section

"""Every term of the query language, in one table: the help screen renders it, the README's
"Query language" section mirrors it, and a test checks both (and the parser's fields).

Adding a term is one line in ``QUERY_TERMS``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One term: how it is typed (placeholders in capitals) and what it matches."""

    syntax: str
    meaning: str


QUERY_TERMS: tuple[QueryTerm, ...] = (
    QueryTerm("diffusion robot", "free words: fuzzy and typo-tolerant over titles and "
              "abstracts, title matches ranked first; the last word also matches as a prefix"),
    QueryTerm('"exact phrase"', "the phrase, case-insensitive"),
    QueryTerm("is:starred", "papers you starred"),
    QueryTerm("is:read", "papers you marked read"),
    QueryTerm("is:unread", "papers not marked read"),
    QueryTerm("tag:NAME", "papers with that tag (case-insensitive)"),
    QueryTerm("has:code", "papers with a code link (GitHub, GitLab, Bitbucket, Codeberg "
              "repository)"),
    QueryTerm("has:note", "papers with a note"),
    QueryTerm("has:tags", "papers with at least one tag"),
    QueryTerm("date:YYYY-MM-DD", "papers that appeared in the digest of that day"),
    QueryTerm("date:>=YYYY-MM-DD", "papers that appeared in a digest on or after that day "
              "(date:>YYYY-MM-DD: after it)"),
    QueryTerm("date:<=YYYY-MM-DD", "papers that appeared in a digest on or before that day "
              "(date:<YYYY-MM-DD: before it)"),
    QueryTerm("author:NAME", "an author whose name holds the text, or (four letters or more) "
              "closely resembles it: author:smiht finds Smith; accents and case ignored; "
              'quote a full name: author:"a smith"'),
    QueryTerm("arxiv:2609.01234", "the paper with that arXiv id (arxiv:2609. : every id "
              "starting so); a version (v2) is ignored"),
    QueryTerm("upvotes:>=50", "papers whose upvote count compares so (also >, <, <=, = or "
              "upvotes:50); papers without a known count never match"),
    QueryTerm("@NAME", "a saved search (palette: Save search…), alone or with more terms"),
    QueryTerm("-TERM", "negates any term: -is:read, -tag:later, -\"survey\""),
)
"""The query language's terms, in the order the help and the README list them."""


def example(term: QueryTerm) -> str:
    """``term.syntax`` with its placeholders filled in: a query that parses."""
    return (term.syntax.replace("YYYY-MM-DD", "2025-09-09").replace("NAME", "later")
            .replace("TERM", "is:read"))

"""The query language shared by the CLI and the TUI: folding, tokenizer, parser, AST, predicates.

Grammar (terms are separated by whitespace; every term must hold, i.e. AND)::

    query  := term*
    term   := ["-"] (phrase | field | word)      "-" negates the term
    phrase := '"' any text but '"' '"'           case-insensitive, whitespace-folded substring
    field  := NAME ":" (VALUE | '"' text '"')    NAME is case-insensitive
    word   := any run of characters without whitespace, '"' or ':'

Fields: ``is:starred``, ``is:unread``, ``is:read``, ``tag:NAME``, ``has:code``, ``has:note``
(a non-blank note), ``has:tags`` (at least one tag), ``date:YYYY-MM-DD`` (the paper appeared in
that digest) and ``date:OP YYYY-MM-DD`` with OP one of ``>= <= > <`` (some digest the paper
appeared in satisfies the comparison; ``=`` is accepted too). Field values other than tags are
case-insensitive; tags compare case-insensitively with whitespace folded.

Metadata fields (a paper whose capture did not tell the field never matches them):
``author:NAME`` (fuzzy: some author's folded name holds NAME, or, for four characters or
more, resembles it closely, see :func:`author_matches`; quote a name with spaces:
``author:"a smith"``), ``arxiv:ID`` (the arXiv id, or a prefix of it such as ``arxiv:2609.``;
a version suffix ``v2`` is ignored) and ``upvotes:[OP]N`` with OP one of ``>= <= > < =``.

Free words are matched by :class:`paperterm.search.SearchIndex` (fuzzy, prefix, ranked).  A word
is folded and split into tokens of two or more letters/digits; a word without such tokens (``a``,
``+``) constrains nothing.  A *negated* word is not fuzzy: it excludes papers whose title or
abstract holds every token of the word as a token or as the prefix of a token.

:func:`parse_query` raises only :class:`~paperterm.errors.QueryError`, whatever the string.
"""

from __future__ import annotations

import datetime as dt
import re

from paperterm.errors import QueryError
from paperterm.folding import (
    TOKEN_RE,
    fold,
    fold_tag,
    haystack,
    token_matches,
    token_set,
    tokenize,
)
from paperterm.model import arxiv_key
from paperterm.query_model import (
    AUTHOR_CUTOFF,
    AUTHOR_FUZZY_LEN,
    DATE_OPS,
    FIELDS,
    HAS_VALUES,
    IS_VALUES,
    META_TERMS,
    ArxivTerm,
    AuthorTerm,
    DateOp,
    DateTerm,
    FieldTerm,
    HasTerm,
    HasValue,
    IsTerm,
    IsValue,
    MetaTerm,
    Phrase,
    Query,
    TagTerm,
    Term,
    UpvotesTerm,
    Word,
    author_matches,
    compare,
)

__all__ = [
    "AUTHOR_CUTOFF", "AUTHOR_FUZZY_LEN", "DATE_OPS", "FIELDS", "HAS_VALUES", "IS_VALUES",
    "META_TERMS", "TOKEN_RE", "ArxivTerm", "AuthorTerm", "DateOp", "DateTerm", "FieldTerm",
    "HasTerm", "HasValue", "IsTerm", "IsValue", "MetaTerm", "Phrase", "Query", "TagTerm",
    "Term", "UpvotesTerm", "Word", "author_matches", "compare", "fold", "fold_tag",
    "haystack", "parse_query", "token_matches", "token_set", "tokenize",
]  # fmt: skip

# --------------------------------------------------------------------------- parser

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_HELP = "expected YYYY-MM-DD, optionally after >=, <=, > or <"


def _show(text: str, limit: int = 60) -> str:
    """A quoted, one-line, printable rendering of user text for error messages."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    shown = "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )
    return f"'{shown}'"


def parse_query(text: str) -> Query:
    """Parse a query; raise :class:`QueryError` naming the offending term and its column."""
    terms: list[Term] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = text[i] == "-"
        if negated:
            i += 1
            if i >= n or text[i].isspace():
                raise QueryError(
                    f"'-' must be followed by a word, phrase or field (at column {start + 1})"
                )
            if text[i] == "-":
                raise QueryError(
                    f"double negation in {_show(_bare_end(text, start))} (at column {start + 1})"
                )
        if text[i] == '"':
            inner, i = _quoted(text, i, start)
            if not fold(inner):
                raise QueryError(f"empty phrase {_show(text[start:i])} (at column {start + 1})")
            terms.append(Phrase(inner, negated, start + 1))
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        word = text[i:j]
        if ":" not in word:
            terms.append(Word(word, negated, start + 1))
            i = j
            continue
        name, _, value = word.partition(":")
        if not value and j < n and text[j] == '"' and name.casefold() in FIELDS:
            value, j = _quoted(text, j, start)
        terms.append(_field(name, value, negated, text[start:j], start + 1))
        i = j
    return Query(text, tuple(terms))


def _bare_end(text: str, start: int) -> str:
    """The run of non-space characters starting at ``start``."""
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _quoted(text: str, quote: int, start: int) -> tuple[str, int]:
    """The text inside the quote opening at ``quote`` and the index after its closing quote."""
    close = text.find('"', quote + 1)
    if close < 0:
        raise QueryError(f"unterminated quote in {_show(text[start:])} (at column {quote + 1})")
    return text[quote + 1 : close], close + 1


def _field(name: str, value: str, negated: bool, term: str, column: int) -> FieldTerm:
    """Build a field term, or raise a QueryError naming the term."""
    where = f"in {_show(term)} (at column {column})"
    key = name.casefold()
    if not key:
        raise QueryError(f"missing field name {where}; known: {', '.join(FIELDS)}")
    if key not in FIELDS:
        raise QueryError(f"unknown field {_show(name)} {where}; known: {', '.join(FIELDS)}")
    value = value.strip()
    if key == "tag":
        if not fold_tag(value):
            raise QueryError(f"missing tag name {where}")
        return TagTerm(fold_tag(value), negated, column)
    if key == "date":
        return _date_term(value, negated, column, where)
    if key == "author":
        if not fold(value):
            raise QueryError(f"missing author name {where}")
        return AuthorTerm(" ".join(value.split()), negated, column)
    if key == "arxiv":
        prefix = arxiv_key(value)
        if not _ARXIV_RE.fullmatch(prefix):
            raise QueryError(f"invalid arXiv id {_show(value)} {where}; {_ARXIV_HELP}")
        return ArxivTerm(prefix, negated, column)
    if key == "upvotes":
        return _upvotes_term(value, negated, column, where)
    allowed: tuple[str, ...] = IS_VALUES if key == "is" else HAS_VALUES
    choice = value.casefold()
    if not choice:
        raise QueryError(f"missing value {where}; allowed: {', '.join(allowed)}")
    if key == "is":
        for is_value in IS_VALUES:
            if choice == is_value:
                return IsTerm(is_value, negated, column)
    else:
        for has_value in HAS_VALUES:
            if choice == has_value:
                return HasTerm(has_value, negated, column)
    raise QueryError(f"unknown value {_show(value)} {where}; allowed: {', '.join(allowed)}")


_ARXIV_RE = re.compile(r"[0-9a-z.\-/]+")
_ARXIV_HELP = "expected an arXiv id such as 2609.01234 (or its start, such as 2609.)"
_COUNT_RE = re.compile(r"[0-9]{1,9}")
_COUNT_HELP = "expected a count such as 50, optionally after >=, <=, >, < or ="


def _split_op(value: str) -> tuple[DateOp, str]:
    """``[OP]REST`` split into the comparison (``=`` when none is written) and the rest."""
    for candidate in DATE_OPS:  # longest first: ">=" before ">"
        if value.startswith(candidate):
            return candidate, value[len(candidate) :]
    return "=", value


def _upvotes_term(value: str, negated: bool, column: int, where: str) -> UpvotesTerm:
    """Build an upvotes term from ``[OP]N``."""
    op, rest = _split_op(value)
    if not value:
        raise QueryError(f"missing count {where}; {_COUNT_HELP}")
    if not _COUNT_RE.fullmatch(rest):
        raise QueryError(f"invalid count {_show(rest or value)} {where}; {_COUNT_HELP}")
    return UpvotesTerm(op, int(rest), negated, column)


def _date_term(value: str, negated: bool, column: int, where: str) -> DateTerm:
    """Build a date term from ``[OP]YYYY-MM-DD``."""
    op, rest = _split_op(value)
    if not value:
        raise QueryError(f"missing date {where}; {_DATE_HELP}")
    if _DATE_RE.fullmatch(rest):
        try:
            return DateTerm(op, dt.date.fromisoformat(rest), negated, column)
        except ValueError:
            pass
    raise QueryError(f"invalid date {_show(rest or value)} {where}; {_DATE_HELP}")

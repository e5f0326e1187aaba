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
import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from paperterm.errors import QueryError
from paperterm.model import DEFAULT_STATE, Paper, PaperState, arxiv_key

# --------------------------------------------------------------------------- text folding

#: A token: a maximal run of two or more letters or digits (underscore separates).
TOKEN_RE: Final = re.compile(r"[^\W_]{2,}")

_TEX_ACCENT = re.compile(r"\\[`'^\"~=.]\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_TEX_LETTER_ACCENT = re.compile(r"\\[cvuHkrdbt](?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_TEX_SPECIAL = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\})?")
_TEX_BRACED_LETTER = re.compile(r"\{([A-Za-z])\}")


def _fold_tex(text: str) -> str:
    r"""Crudely turn TeX accent escapes into letters: ``\'e`` and ``{\"o}`` -> ``e``, ``o``."""
    text = _TEX_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TEX_LETTER_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TEX_SPECIAL.sub(lambda m: m.group(1), text)
    return _TEX_BRACED_LETTER.sub(r"\1", text)


def fold(text: str) -> str:
    """The search form of a text: TeX accents folded, casefolded, accents stripped (NFKD),
    and every run of whitespace turned into one space (ends stripped)."""
    if "\\" in text:
        text = _fold_tex(text)
    if text.isascii():
        text = text.lower()
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # fast path: nothing to collapse
    else:
        text = text.casefold()
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(text.split())


_ASCII_SEPARATORS: Final = str.maketrans({c: " " for c in range(128) if not chr(c).isalnum()})
_ASCII_SINGLES: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def token_set(folded: str) -> set[str]:
    """The distinct tokens of an already folded text (same as ``TOKEN_RE``, faster)."""
    if folded.isascii():
        tokens = set(folded.translate(_ASCII_SEPARATORS).split())
        tokens -= _ASCII_SINGLES
        return tokens
    return set(TOKEN_RE.findall(folded))


def tokenize(text: str) -> list[str]:
    """The search tokens of a raw text, in order (duplicates kept)."""
    return TOKEN_RE.findall(fold(text))


def token_matches(query_token: str, tokens: set[str]) -> bool:
    """True when some token equals ``query_token`` or starts with it."""
    return any(token.startswith(query_token) for token in tokens)


# --------------------------------------------------------------------------- terms

IsValue: TypeAlias = Literal["starred", "unread", "read"]
HasValue: TypeAlias = Literal["code", "note", "tags"]
DateOp: TypeAlias = Literal["=", ">=", "<=", ">", "<"]

IS_VALUES: Final[tuple[IsValue, ...]] = ("starred", "unread", "read")
HAS_VALUES: Final[tuple[HasValue, ...]] = ("code", "note", "tags")
DATE_OPS: Final[tuple[DateOp, ...]] = (">=", "<=", ">", "<", "=")  # longest first
FIELDS: Final = ("is", "tag", "has", "date", "author", "arxiv", "upvotes")
AUTHOR_FUZZY_LEN: Final = 4
"""A name this long or longer also matches authors it closely resembles."""
AUTHOR_CUTOFF: Final = 80
"""The ``rapidfuzz.fuzz.partial_ratio`` score (0-100) a resembling author needs."""


def fold_tag(tag: str) -> str:
    """How tags compare: casefolded, whitespace runs folded to one space."""
    return " ".join(tag.casefold().split())


@dataclass(frozen=True, slots=True)
class Word:
    """A free word, matched fuzzily by the search index (or exactly when negated)."""

    text: str
    negated: bool = False
    column: int = field(default=1, compare=False)

    @property
    def tokens(self) -> tuple[str, ...]:
        """The word's search tokens; empty when it has no run of two letters or digits."""
        return tuple(dict.fromkeys(tokenize(self.text)))

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Exact test (negation applied): every token is a token or token prefix of the paper."""
        tokens = self.tokens
        if not tokens:
            return True
        have = set(tokenize(paper.title)) | set(tokenize(paper.abstract))
        return all(token_matches(t, have) for t in tokens) != self.negated

    def __str__(self) -> str:
        return ("-" if self.negated else "") + self.text


@dataclass(frozen=True, slots=True)
class Phrase:
    """An exact phrase: a case-insensitive, whitespace-folded substring of title or abstract."""

    text: str
    negated: bool = False
    column: int = field(default=1, compare=False)

    @property
    def folded(self) -> str:
        """The phrase as searched for in :func:`haystack`."""
        return fold(self.text)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """True (negation applied) when the folded phrase occurs in title or abstract."""
        return (self.folded in haystack(paper)) != self.negated

    def __str__(self) -> str:
        return ("-" if self.negated else "") + '"' + self.text + '"'


@dataclass(frozen=True, slots=True)
class IsTerm:
    """``is:starred``, ``is:unread`` or ``is:read``."""

    value: IsValue
    negated: bool = False
    column: int = field(default=1, compare=False)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether the state satisfies the term (negation applied)."""
        if self.value == "starred":
            hit = state.starred
        elif self.value == "read":
            hit = state.read
        else:
            hit = not state.read
        return hit != self.negated

    def __str__(self) -> str:
        return ("-" if self.negated else "") + "is:" + self.value


@dataclass(frozen=True, slots=True)
class TagTerm:
    """``tag:NAME``: the paper carries the tag (compared with :func:`fold_tag`)."""

    name: str
    negated: bool = False
    column: int = field(default=1, compare=False)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether one of the state's tags equals the name (negation applied)."""
        want = fold_tag(self.name)
        return any(fold_tag(t) == want for t in state.tags) != self.negated

    def __str__(self) -> str:
        value = f'"{self.name}"' if any(c.isspace() for c in self.name) else self.name
        return ("-" if self.negated else "") + "tag:" + value


@dataclass(frozen=True, slots=True)
class HasTerm:
    """``has:code`` (a code link), ``has:note`` (a non-blank note), ``has:tags`` (any tag)."""

    value: HasValue
    negated: bool = False
    column: int = field(default=1, compare=False)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether the paper/state has the thing (negation applied)."""
        if self.value == "code":
            hit = paper.code_url is not None
        elif self.value == "note":
            hit = bool(state.note.strip())
        else:
            hit = bool(state.tags)
        return hit != self.negated

    def __str__(self) -> str:
        return ("-" if self.negated else "") + "has:" + self.value


@dataclass(frozen=True, slots=True)
class DateTerm:
    """``date:[OP]YYYY-MM-DD``: some digest date of the paper compares so with the date."""

    op: DateOp
    date: dt.date
    negated: bool = False
    column: int = field(default=1, compare=False)

    def accepts(self, day: dt.date) -> bool:
        """Whether one digest date satisfies the comparison (negation not applied)."""
        if self.op == "=":
            return day == self.date
        if self.op == ">=":
            return day >= self.date
        if self.op == "<=":
            return day <= self.date
        if self.op == ">":
            return day > self.date
        return day < self.date

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether any of the paper's digest dates satisfies the comparison (negation applied)."""
        return any(self.accepts(d) for d in paper.dates) != self.negated

    def __str__(self) -> str:
        op = "" if self.op == "=" else self.op
        return ("-" if self.negated else "") + f"date:{op}{self.date.isoformat()}"


def compare(op: DateOp, left: int, right: int) -> bool:
    """``left OP right`` for the comparison operators of the query language."""
    if op == "=":
        return left == right
    if op == ">=":
        return left >= right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left < right


def author_matches(name: str, author: str) -> bool:
    """Whether a folded query ``name`` matches one folded ``author``: a part of it, or (for
    ``AUTHOR_FUZZY_LEN`` characters or more) a close resemblance, scored by rapidfuzz's
    ``partial_ratio`` (typos, a missing initial: ``"jon smith"`` finds ``"john smith"``)."""
    if name in author:
        return True
    # imported here: `paperterm show`, `star` and filter-only lists never need rapidfuzz
    from rapidfuzz import fuzz

    return len(name) >= AUTHOR_FUZZY_LEN and bool(
        fuzz.partial_ratio(name, author, score_cutoff=AUTHOR_CUTOFF)
    )


@dataclass(frozen=True, slots=True)
class AuthorTerm:
    """``author:NAME``: some author of the paper matches NAME (see :func:`author_matches`)."""

    name: str
    negated: bool = False
    column: int = field(default=1, compare=False)

    @property
    def folded(self) -> str:
        """The name as compared with the folded author names."""
        return fold(self.name)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether some author matches (negation applied)."""
        name = self.folded
        return any(author_matches(name, fold(a)) for a in paper.meta.authors) != self.negated

    def __str__(self) -> str:
        value = f'"{self.name}"' if any(c.isspace() for c in self.name) else self.name
        return ("-" if self.negated else "") + "author:" + value


@dataclass(frozen=True, slots=True)
class ArxivTerm:
    """``arxiv:ID``: the paper's arXiv id is ID or starts with it (versions ignored)."""

    prefix: str
    negated: bool = False
    column: int = field(default=1, compare=False)

    def accepts(self, arxiv_id: str | None) -> bool:
        """Whether one arXiv id (None: unknown) is selected (negation not applied)."""
        return arxiv_id is not None and arxiv_key(arxiv_id).startswith(self.prefix)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether the paper's arXiv id is selected (negation applied)."""
        return self.accepts(paper.meta.arxiv_id) != self.negated

    def __str__(self) -> str:
        return ("-" if self.negated else "") + "arxiv:" + self.prefix


@dataclass(frozen=True, slots=True)
class UpvotesTerm:
    """``upvotes:[OP]N``: the paper's known upvote count compares so with N."""

    op: DateOp
    count: int
    negated: bool = False
    column: int = field(default=1, compare=False)

    def accepts(self, upvotes: int | None) -> bool:
        """Whether an upvote count (None: unknown, never selected) compares so with N
        (negation not applied)."""
        return upvotes is not None and compare(self.op, upvotes, self.count)

    def matches(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether the paper's upvotes satisfy the comparison (negation applied)."""
        return self.accepts(paper.meta.upvotes) != self.negated

    def __str__(self) -> str:
        op = "" if self.op == "=" else self.op
        return ("-" if self.negated else "") + f"upvotes:{op}{self.count}"


MetaTerm: TypeAlias = AuthorTerm | ArxivTerm | UpvotesTerm
"""The terms that look at a paper's metadata (the search index answers them)."""
META_TERMS: Final = (AuthorTerm, ArxivTerm, UpvotesTerm)

FieldTerm: TypeAlias = IsTerm | TagTerm | HasTerm | DateTerm | MetaTerm
Term: TypeAlias = Word | Phrase | FieldTerm


def haystack(paper: Paper) -> str:
    """What phrases are searched in: folded title, a newline, folded abstract."""
    return fold(paper.title) + "\n" + fold(paper.abstract)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the text as typed and its terms, all of which must hold."""

    text: str
    terms: tuple[Term, ...]

    @property
    def positive_words(self) -> tuple[Word, ...]:
        """The free words that are not negated (all of them, even those without tokens)."""
        return tuple(t for t in self.terms if isinstance(t, Word) and not t.negated)

    @property
    def free_words(self) -> tuple[str, ...]:
        """The positive free words (as typed) that take part in matching."""
        return tuple(w.text for w in self.positive_words if w.tokens)

    @property
    def free_tokens(self) -> tuple[str, ...]:
        """The search tokens of the positive free words, deduplicated, in order."""
        seen: dict[str, None] = {}
        for word in self.positive_words:
            seen.update(dict.fromkeys(word.tokens))
        return tuple(seen)

    @property
    def is_empty(self) -> bool:
        """True when there is no term at all (the query selects every paper)."""
        return not self.terms

    @property
    def has_free_words(self) -> bool:
        """True when results come in relevance order (some positive free word has tokens)."""
        return bool(self.free_tokens)

    def matches_filters(self, paper: Paper, state: PaperState = DEFAULT_STATE) -> bool:
        """Whether every term but the positive free words holds for the paper.

        Positive free words are fuzzy and belong to the search index; negated words are
        tested exactly (token or token prefix), phrases as folded substrings.
        """
        return all(
            t.matches(paper, state) for t in self.terms if t.negated or not isinstance(t, Word)
        )

    def __str__(self) -> str:
        return " ".join(str(t) for t in self.terms)


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


def _upvotes_term(value: str, negated: bool, column: int, where: str) -> UpvotesTerm:
    """Build an upvotes term from ``[OP]N``."""
    op: DateOp = "="
    rest = value
    for candidate in DATE_OPS:
        if value.startswith(candidate):
            op, rest = candidate, value[len(candidate) :]
            break
    if not value:
        raise QueryError(f"missing count {where}; {_COUNT_HELP}")
    if not _COUNT_RE.fullmatch(rest):
        raise QueryError(f"invalid count {_show(rest or value)} {where}; {_COUNT_HELP}")
    return UpvotesTerm(op, int(rest), negated, column)


def _date_term(value: str, negated: bool, column: int, where: str) -> DateTerm:
    """Build a date term from ``[OP]YYYY-MM-DD``."""
    op: DateOp = "="
    rest = value
    for candidate in DATE_OPS:
        if value.startswith(candidate):
            op, rest = candidate, value[len(candidate) :]
            break
    if not value:
        raise QueryError(f"missing date {where}; {_DATE_HELP}")
    if _DATE_RE.fullmatch(rest):
        try:
            return DateTerm(op, dt.date.fromisoformat(rest), negated, column)
        except ValueError:
            pass
    raise QueryError(f"invalid date {_show(rest or value)} {where}; {_DATE_HELP}")

"""The query language's terms: what each term means for one paper and its state
(``matches``), and ``Query``, the parsed whole; ``paperterm.query`` parses text into them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from paperterm.folding import fold, fold_tag, haystack, token_matches, tokenize
from paperterm.model import DEFAULT_STATE, Paper, PaperState, arxiv_key

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

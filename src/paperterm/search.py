"""The search index: fuzzy, prefix-aware, ranked free-word search plus the query's filters.

Title and abstract are folded (:func:`query.fold`) and tokenized into inverted indexes
``token -> array('I') of slots`` (a slot is a paper's small int); the folded ``title\nabstract``
is kept per paper for phrases.  A query token stands for vocabulary tokens of some quality:
itself (100) and the tokens it starts (90), so every word works as you type.  Only when those
are rare (fewer than ``FUZZ_BELOW`` postings: a word found as typed is taken as meant) do
tokens of 4+ characters also stand for the tokens within one edit, two from 8 characters
(optimal string alignment: a swap is one edit), found by rapidfuzz among vocabulary tokens of
similar length sharing a first or last character (quality 80 x similarity).

A paper matches when every token matches its title or abstract; per token it scores
``TITLE_BONUS + 3 * quality`` for a title match, else ``quality``.  Results come by total score
(so more title matches always first), then newest digest first.  Per token, the matching
papers are kept as a few disjoint sets of equal score (LRU-cached until the next ``add``), so a
query is C-level set intersections, never a Python loop over papers.  Filters are sets too.
Re-adding a paper with unchanged text only updates its dates and links; otherwise its old
slot becomes a tombstone, and the index rebuilds itself once tombstones outnumber live papers.
Not thread-safe: build it in a worker if you like, then use it from one thread at a time.
"""

from __future__ import annotations

import datetime as dt
import gc
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from itertools import accumulate, filterfalse, islice, repeat
from typing import Final, Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from paperterm.model import DEFAULT_STATE, Paper, PaperState, newest_first_key
from paperterm.query import TOKEN_RE, DateTerm, FieldTerm, HasTerm, Phrase, Query, Word, fold
from paperterm.query import token_set as _token_set

EXACT: Final = 100  # candidate qualities, in integer points so that sums are exact
PREFIX: Final = 90
FUZZY: Final = 80  # times the similarity (1 - edits / length)
TITLE_WEIGHT: Final = 3
TITLE_BONUS: Final = 1_000_000  # per token matched in a title: more title matches rank first
MIN_FUZZY_LEN: Final = 4  # shorter tokens are never fuzzed
TWO_TYPOS_LEN: Final = 8  # tokens this long tolerate two edits
FUZZ_BELOW: Final = 5  # fuzz a token only when its exact/prefix postings are this rare
MAX_PHRASE_TOKENS: Final = 2000  # vocabulary matches beyond which a phrase is not narrowed
CACHE_ENTRIES: Final = 256
CACHE_BUDGET: Final = 4_000_000  # slots held by all cached entries together

_NO_PAPER: Final = Paper(id="", title="", abstract="", links=(), dates=())
_TOO_MANY: Final[set[int]] = set()  # by identity: a phrase token too common to narrow by

V = TypeVar("V")
Levels = tuple[tuple[int, set[int]], ...]  # (score, slots): best first, slots disjoint


class _Lru(Generic[V]):
    """A least-recently-used cache bounded by entry count and by total entry size."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._size = 0

    def get(self, key: str, make: Callable[[], V], size: Callable[[V], int]) -> V:
        """The cached value, or ``make()`` stored under the key."""
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            return item[0]
        value = make()
        self._items[key] = (value, size(value))
        self._size += size(value)
        while len(self._items) > CACHE_ENTRIES or (
            self._size > CACHE_BUDGET and len(self._items) > 1
        ):
            self._size -= self._items.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        self._items.clear()
        self._size = 0


def _order_key(paper: Paper) -> tuple[tuple[int, int], str]:
    """Newest digest first, page order, then id; papers without dates last."""
    return (newest_first_key(paper) if paper.dates else (1, paper.position)), paper.id


def _levels_size(levels: Levels) -> int:
    return sum(len(slots) for _, slots in levels)


def _new_postings() -> array[int]:
    return array("I")


class SearchIndex:
    """Free-word search and filtering over papers; see the module docstring for the design."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._reset()
        self.add(papers)

    def _reset(self) -> None:
        self._papers: list[Paper | None] = []  # slot -> paper, None for a tombstone
        self._ids: list[str] = []  # slot -> id
        self._hay: list[str] = []  # slot -> folded "title\nabstract"
        self._slot: dict[str, int] = {}  # id -> live slot
        self._title: defaultdict[str, array[int]] = defaultdict(_new_postings)
        self._abstract: defaultdict[str, array[int]] = defaultdict(_new_postings)
        self._vocab: list[str] = []  # sorted, for prefixes
        self._vocab_seen = (0, 0)  # len(_title), len(_abstract) when _vocab was brought up
        self._by_char: dict[tuple[int, int, str], list[str]] = {}  # (len, 0/1/-1, char)
        self._blob = ""  # "\n" + "\n".join(_vocab) + "\n": tokens by substring
        self._blob_starts: list[int] = []  # where each _vocab token starts in _blob
        self._by_date: dict[dt.date, set[int]] = {}
        self._code: set[int] = set()
        self._dead: set[int] = set()
        self._order: list[int] = []  # live slots, newest first
        self._order_ids: list[str] = []  # their ids
        self._rank: list[int] = []  # slot -> index in _order
        self._order_stale = False
        self._sets: _Lru[set[int]] = _Lru()
        self._levels: _Lru[Levels] = _Lru()

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._slot

    # ------------------------------------------------------------------ building

    def add(self, papers: Iterable[Paper]) -> None:
        """Index papers; a paper whose id is already indexed replaces the old one."""
        collecting = gc.isenabled()
        gc.disable()  # millions of small objects, none of them cyclic
        try:
            self._add(papers)
        finally:
            if collecting:
                gc.enable()
        if len(self._dead) > max(1024, len(self._slot)):
            live = [p for p in self._papers if p is not None]
            self._reset()
            self.add(live)

    def _add(self, papers: Iterable[Paper]) -> None:
        title_get, abstract_get = self._title.__getitem__, self._abstract.__getitem__
        append = array.append
        for paper in papers:
            title, abstract = fold(paper.title), fold(paper.abstract)
            hay = title + "\n" + abstract
            old = self._slot.get(paper.id)
            if old is not None:
                self._link(old, self._papers[old], -1)
                if self._hay[old] == hay:
                    self._papers[old] = paper
                    self._link(old, paper, +1)
                    continue
                self._dead.add(old)
                self._papers[old], self._hay[old] = None, ""
            slot = len(self._papers)
            self._papers.append(paper)
            self._ids.append(paper.id)
            self._hay.append(hay)
            self._slot[paper.id] = slot
            self._link(slot, paper, +1)
            # C-level loops: postings[token].append(slot) for every distinct token
            deque(map(append, map(title_get, _token_set(title)), repeat(slot)), maxlen=0)
            deque(map(append, map(abstract_get, _token_set(abstract)), repeat(slot)), maxlen=0)
        self._order_stale = True
        self._sets.clear()
        self._levels.clear()

    def _link(self, slot: int, paper: Paper | None, sign: int) -> None:
        """Enter (+1) or remove (-1) the slot in the date and code-link sets."""
        assert paper is not None
        sets = [self._by_date.setdefault(day, set()) for day in paper.dates]
        if paper.code_url is not None:
            sets.append(self._code)
        for slots in sets:
            if sign > 0:
                slots.add(slot)
            else:
                slots.discard(slot)

    def _ensure_vocab(self) -> None:
        """Bring the sorted vocabulary up to date (dicts keep order: new tokens are last)."""
        seen_title, seen_abstract = self._vocab_seen
        if self._vocab_seen == (len(self._title), len(self._abstract)):
            return
        new = set(islice(self._title, seen_title, None))
        new.update(islice(self._abstract, seen_abstract, None))
        self._vocab_seen = (len(self._title), len(self._abstract))
        vocab = self._vocab
        if vocab:
            new = {t for t in new if not self._in_vocab(t)}
        if self._by_char:  # else built on first need
            self._bucket(new)
        self._blob = ""
        if len(new) * 32 < len(vocab):
            for token in new:
                insort(vocab, token)
        else:
            vocab.extend(new)
            vocab.sort()

    def _in_vocab(self, token: str) -> bool:
        i = bisect_left(self._vocab, token)
        return i < len(self._vocab) and self._vocab[i] == token

    def _bucket(self, tokens: Iterable[str]) -> None:
        """File tokens under (length, position, character) for :meth:`_fuzzy_choices`."""
        by_char = self._by_char
        for token in tokens:
            if len(token) >= MIN_FUZZY_LEN - 1:
                for position in (0, 1, -1):
                    key = (len(token), position, token[position])
                    by_char.setdefault(key, []).append(token)

    def _ensure_order(self) -> None:
        """Bring the newest-first order of live slots up to date."""
        if not self._order_stale:
            return
        keys = {s: _order_key(p) for s, p in enumerate(self._papers) if p is not None}
        self._order = sorted(keys, key=keys.__getitem__)
        self._rank = [len(self._papers)] * len(self._papers)
        for position, slot in enumerate(self._order):
            self._rank[slot] = position
        self._order_ids = list(map(self._ids.__getitem__, self._order))
        self._order_stale = False

    # ------------------------------------------------------------------ token matching

    def _prefix_tokens(self, token: str) -> list[str]:
        """Vocabulary tokens equal to or starting with ``token``."""
        vocab = self._vocab
        start = end = bisect_left(vocab, token)
        while end < len(vocab) and vocab[end].startswith(token):
            end += 1
        return vocab[start:end]

    def _candidates(self, token: str) -> dict[str, int]:
        """Vocabulary tokens that stand for ``token``, with their quality."""
        quality = {v: EXACT if v == token else PREFIX for v in self._prefix_tokens(token)}
        if len(token) < MIN_FUZZY_LEN:
            return quality
        found = 0
        for candidate in quality:
            found += len(self._title.get(candidate, ())) + len(self._abstract.get(candidate, ()))
            if found >= FUZZ_BELOW:
                return quality
        edits = 1 if len(token) < TWO_TYPOS_LEN else 2
        choices = self._fuzzy_choices(token, edits)
        for candidate, distance, _ in process.extract(
            token, choices, scorer=OSA.distance, score_cutoff=edits, limit=None
        ):
            if candidate not in quality:
                similarity = 1.0 - distance / max(len(token), len(candidate))
                quality[candidate] = round(FUZZY * similarity)
        return quality

    def _fuzzy_choices(self, token: str, edits: int) -> list[str]:
        """Vocabulary tokens that may lie within ``edits`` edits of ``token`` (a superset).

        After one edit the first or the last character is still in place.  After two (tokens
        of 8+ characters) too, or one edit hit the front, leaving the second character in
        place, or moved to the front, or the first character moved to second place.
        """
        if not self._by_char:
            self._bucket(self._vocab)
        keys = [(0, token[0]), (-1, token[-1])]
        if edits > 1:
            keys += [(0, token[1]), (1, token[1]), (1, token[0])]
        choices: list[str] = []
        for length in range(len(token) - edits, len(token) + edits + 1):
            for position, char in dict.fromkeys(keys):
                choices += self._by_char.get((length, position, char), ())
        return choices

    def _token_levels(self, token: str) -> Levels:
        """The live papers the token matches, grouped by score, best first (cached)."""
        return self._levels.get(token, lambda: self._make_levels(token), _levels_size)

    def _make_levels(self, token: str) -> Levels:
        by_quality: dict[int, list[str]] = {}
        for candidate, quality in self._candidates(token).items():
            by_quality.setdefault(quality, []).append(candidate)
        levels: list[tuple[int, set[int]]] = []
        seen = set(self._dead)
        for postings, weight, bonus in (
            (self._title, TITLE_WEIGHT, TITLE_BONUS),
            (self._abstract, 1, 0),
        ):
            for quality in sorted(by_quality, reverse=True):
                slots: set[int] = set()
                for candidate in by_quality[quality]:
                    slots.update(postings.get(candidate, ()))
                slots -= seen
                if slots:
                    levels.append((bonus + weight * quality, slots))
                    seen |= slots
        return tuple(levels)

    def _postings_set(self, key: str, tokens: Callable[[], Iterable[str] | None]) -> set[int]:
        """Live slots holding any of the tokens in title or abstract (cached under ``key``);
        ``_TOO_MANY`` when ``tokens()`` gives None."""

        def make() -> set[int]:
            found: set[int] = set()
            listed = tokens()
            if listed is None:
                return _TOO_MANY
            for token in listed:
                found.update(self._title.get(token, ()))
                found.update(self._abstract.get(token, ()))
            return found - self._dead

        return self._sets.get(key, make, len)

    def _prefix_set(self, token: str) -> set[int]:
        """Live slots whose title or abstract has ``token`` as a token or token prefix."""
        return self._postings_set("p" + token, lambda: self._prefix_tokens(token))

    def _phrase_candidates(self, folded: str) -> set[int] | None:
        """Slots that may contain the folded phrase, from its tokens; None: no narrowing.

        Where the phrase occurs, a token of it with separators on both sides is a whole token,
        one with a separator only before it starts a token, one with a separator only after it
        ends a token, and a phrase that is one token lies inside a token.
        """
        sets: list[set[int]] = []
        for match in TOKEN_RE.finditer(folded):
            token, starts, ends = match.group(), match.start() > 0, match.end() < len(folded)
            if starts and ends:
                sets.append(self._postings_set("e" + token, partial(tuple, (token,))))
            elif starts:
                sets.append(self._prefix_set(token))
            else:
                key = ("s" if ends else "i") + token
                found = self._postings_set(key, partial(self._infix_tokens, token, ends))
                if found is not _TOO_MANY:
                    sets.append(found)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def _infix_tokens(self, part: str, suffix: bool) -> list[str] | None:
        """Vocabulary tokens ending with (or containing) ``part``; None when too many.

        Searched with ``str.find`` in all the tokens joined by newlines, built on first need.
        """
        if not self._blob:
            self._blob = "\n" + "\n".join(self._vocab) + "\n"
            self._blob_starts = list(accumulate((len(t) + 1 for t in self._vocab), initial=1))
        blob, starts, needle = self._blob, self._blob_starts, part + "\n" if suffix else part
        found: dict[str, None] = {}
        at = blob.find(needle)
        while at >= 0 and len(found) <= MAX_PHRASE_TOKENS:
            found[self._vocab[bisect_right(starts, at) - 1]] = None
            at = blob.find(needle, at + 1)
        return list(found) if len(found) <= MAX_PHRASE_TOKENS else None

    # ------------------------------------------------------------------ searching

    def search(self, query: Query, states: Mapping[str, PaperState]) -> list[str]:
        """Ids of the papers matching every term of the query.

        In relevance order when the query has free words, else newest digest first.
        ``states`` maps ids to the user's state; a missing id means the default state.
        """
        self._ensure_vocab()
        self._ensure_order()
        include: set[int] | None = None  # None: every live paper
        exclude: set[int] = set()
        phrases: list[Phrase] = []
        state_terms: list[FieldTerm] = []
        for term in query.terms:
            found: set[int] | None = None
            if isinstance(term, Word):
                if term.negated and term.tokens:
                    sets = [self._prefix_set(t) for t in term.tokens]
                    exclude |= sets[0].intersection(*sets[1:])
            elif isinstance(term, Phrase):
                phrases.append(term)
                if not term.negated:
                    found = self._phrase_candidates(term.folded)
            elif isinstance(term, DateTerm):
                found = set().union(*(s for d, s in self._by_date.items() if term.accepts(d)))
            elif isinstance(term, HasTerm) and term.value == "code":
                found = self._code
            else:
                state_terms.append(term)
            if found is not None:
                if term.negated:
                    exclude |= found
                else:
                    include = found if include is None else include & found
        if state_terms:
            include = self._apply_states(state_terms, states, include, exclude)
        if query.has_free_words:
            return self._ranked(query.free_tokens, include, exclude, phrases)
        ranks: Iterable[int] = range(len(self._order))
        if include is not None:
            ranks = sorted(map(self._rank.__getitem__, include - exclude))
        elif exclude and not phrases and len(exclude) * 8 < len(self._order):
            # Few exclusions (is:unread): copy the slices of the order between them.
            ids, kept, start = self._order_ids, [], 0
            for rank in sorted(map(self._rank.__getitem__, exclude)):
                kept += ids[start:rank]
                start = rank + 1
            return kept + ids[start:]
        elif exclude:
            ranks = map(self._rank.__getitem__, filterfalse(exclude.__contains__, self._order))
        return self._ids_of(self._filter_phrases(ranks, phrases))

    def _ranked(
        self,
        tokens: tuple[str, ...],
        include: set[int] | None,
        exclude: set[int],
        phrases: list[Phrase],
    ) -> list[str]:
        """Ids matching every token (and the filters), best score first, then newest first.

        Hits are kept in groups of equal score: each further token splits every group by the
        token's score levels, with C-level set intersections only.
        """
        all_levels = sorted((self._token_levels(t) for t in tokens), key=_levels_size)
        groups: list[tuple[int, set[int]]] = []
        for score, slots in all_levels[0]:
            if include is not None:
                slots = slots & include
            if exclude:
                slots = slots - exclude
            if slots:
                groups.append((score, slots))
        for levels in all_levels[1:]:
            groups = [
                (score + more, both)
                for score, slots in groups
                for more, other in levels
                if (both := slots & other)
            ]
        merged: dict[int, list[set[int]]] = {}
        for score, slots in groups:
            merged.setdefault(score, []).append(slots)
        ranks: list[int] = []
        for score in sorted(merged, reverse=True):
            ranks += sorted(map(self._rank.__getitem__, set().union(*merged[score])))
        return self._ids_of(self._filter_phrases(ranks, phrases))

    def _apply_states(
        self,
        terms: list[FieldTerm],
        states: Mapping[str, PaperState],
        include: set[int] | None,
        exclude: set[int],
    ) -> set[int] | None:
        """Narrow ``include`` (or grow ``exclude``) by the terms that look at the user's state.

        Only the ids in ``states`` can differ from the default state, so only they are visited.
        """
        default_holds = all(t.matches(_NO_PAPER, DEFAULT_STATE) for t in terms)
        differ: set[int] = set()
        for paper_id, state in states.items():
            slot = self._slot.get(paper_id)
            if slot is not None:
                paper = self._papers[slot]
                assert paper is not None
                if all(t.matches(paper, state) for t in terms) != default_holds:
                    differ.add(slot)
        if default_holds:
            exclude |= differ
            return include
        return differ if include is None else include & differ

    def _filter_phrases(self, ranks: Iterable[int], phrases: list[Phrase]) -> Iterable[int]:
        """The ranks (order kept) whose paper's haystack satisfies every phrase term."""
        hay, order = self._hay, self._order
        for phrase in phrases:
            folded, negated = phrase.folded, phrase.negated
            ranks = [r for r in ranks if (folded in hay[order[r]]) != negated]
        return ranks

    def _ids_of(self, ranks: Iterable[int]) -> list[str]:
        if isinstance(ranks, range) and len(ranks) == len(self._order_ids):
            return self._order_ids.copy()
        return list(map(self._order_ids.__getitem__, ranks))

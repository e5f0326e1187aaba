"""The search index: fuzzy, prefix-aware, ranked free-word search plus the query's filters.

Each paper gets a small int, its *slot*.  Title and abstract are folded (:func:`query.fold`)
and tokenized separately into inverted indexes ``token -> array('I') of slots``; the folded
``title\\nabstract`` is kept per paper for phrase terms.  A free-word token is matched through
candidate vocabulary tokens: the token itself (quality 100), tokens it is a prefix of (90, so
search-as-you-type works on every word) and, for tokens of 4+ characters, tokens within one
edit (two from 8 characters on; optimal string alignment, so a swap is one edit) found with
rapidfuzz among the vocabulary tokens of similar length (quality 80 x similarity).

A paper matches when every token matches its title or abstract.  Per token it scores
``TITLE_BONUS + 3 * quality`` for a title match, else ``quality``; papers rank by the summed
score (so more title matches always come first, then better candidates), ties newest digest
first.  Per-token results sit in a small LRU cache that ``add`` clears.  Re-adding a paper whose
folded text is unchanged only updates its dates and links; otherwise its old slot becomes a
tombstone, and the index rebuilds itself once tombstones outnumber live papers.

Hot paths avoid per-item Python code: postings are appended and results scored and sorted
through ``map`` over C-level methods, and the garbage collector is paused while indexing.
"""

from __future__ import annotations

import datetime as dt
import gc
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict, defaultdict, deque
from collections.abc import Iterable, Mapping
from itertools import accumulate, filterfalse, islice, repeat
from typing import Final, Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from paperterm.model import DEFAULT_STATE, Paper, PaperState, newest_first_key
from paperterm.query import (
    TOKEN_RE,
    DateTerm,
    FieldTerm,
    HasTerm,
    Phrase,
    Query,
    Word,
    fold,
    token_set,
)

EXACT: Final = 100  # candidate qualities, in integer points so that sums are exact
PREFIX: Final = 90
FUZZY: Final = 80  # times the similarity (1 - edits / length)
TITLE_WEIGHT: Final = 3
TITLE_BONUS: Final = 1_000_000  # per token matched in a title: more title matches rank first
MIN_FUZZY_LEN: Final = 4  # shorter tokens are never fuzzed
TWO_TYPOS_LEN: Final = 8  # tokens this long tolerate two edits
FUZZ_BELOW: Final = 5  # fuzz a token only when its exact/prefix matches are this rare
MAX_PHRASE_TOKENS: Final = 2000  # vocabulary matches beyond which a phrase is not narrowed
CACHE_ENTRIES: Final = 256
CACHE_BUDGET: Final = 4_000_000  # slots held by all cached entries together

_NO_PAPER: Final = Paper(id="", title="", abstract="", links=(), dates=())

V = TypeVar("V")
Levels = tuple[tuple[int, set[int]], ...]  # (score, slots), best first, slots disjoint


class _Lru(Generic[V]):
    """A least-recently-used cache bounded by entry count and by total entry size."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._size = 0

    def get(self, key: str) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: str, value: V, size: int) -> V:
        self._items[key] = (value, size)
        self._size += size
        while len(self._items) > CACHE_ENTRIES or (
            self._size > CACHE_BUDGET and len(self._items) > 1
        ):
            _, (_, old_size) = self._items.popitem(last=False)
            self._size -= old_size
        return value

    def clear(self) -> None:
        self._items.clear()
        self._size = 0


def _order_key(paper: Paper) -> tuple[tuple[int, int], str]:
    """Newest digest first, page order, then id; papers without dates last."""
    base = newest_first_key(paper) if paper.dates else (1, paper.position)
    return base, paper.id


def _contains_sorted(items: list[str], item: str) -> bool:
    i = bisect_left(items, item)
    return i < len(items) and items[i] == item


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
        self._vocab_seen = (0, 0)  # len(self._title), len(self._abstract) when _vocab was made
        # (length, position 0/1/-1, character) -> tokens, for fuzzy matching
        self._by_char: dict[tuple[int, int, str], list[str]] = {}
        self._blob = ""  # "\n" + "\n".join(_vocab) + "\n", for suffix and infix lookups
        self._blob_starts: list[int] = []  # offset in _blob of each _vocab token
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
        paused = gc.isenabled()
        gc.disable()
        try:
            self._add(papers)
        finally:
            if paused:
                gc.enable()
        if len(self._dead) > max(1024, len(self._slot)):
            live = [p for p in self._papers if p is not None]
            self._reset()
            self.add(live)

    def _add(self, papers: Iterable[Paper]) -> None:
        title_get, abstract_get = self._title.__getitem__, self._abstract.__getitem__
        append = array.append
        for paper in papers:
            folded_title, folded_abstract = fold(paper.title), fold(paper.abstract)
            hay = folded_title + "\n" + folded_abstract
            old = self._slot.get(paper.id)
            if old is not None:
                self._unlink(old)
                if self._hay[old] == hay:
                    self._papers[old] = paper
                    self._link(old, paper)
                    continue
                self._dead.add(old)
                self._papers[old] = None
                self._hay[old] = ""
            slot = len(self._papers)
            self._papers.append(paper)
            self._ids.append(paper.id)
            self._hay.append(hay)
            self._slot[paper.id] = slot
            self._link(slot, paper)
            ones = repeat(slot)
            deque(map(append, map(title_get, token_set(folded_title)), ones), maxlen=0)
            deque(map(append, map(abstract_get, token_set(folded_abstract)), ones), maxlen=0)
        self._order_stale = True
        self._sets.clear()
        self._levels.clear()

    def _link(self, slot: int, paper: Paper) -> None:
        for day in paper.dates:
            self._by_date.setdefault(day, set()).add(slot)
        if paper.code_url is not None:
            self._code.add(slot)

    def _unlink(self, slot: int) -> None:
        paper = self._papers[slot]
        assert paper is not None
        for day in paper.dates:
            self._by_date[day].discard(slot)
        self._code.discard(slot)

    def _ensure_vocab(self) -> None:
        """Bring the sorted and length-bucketed vocabularies up to date.

        Dicts keep insertion order, so the tokens added since last time are at their ends.
        """
        seen_title, seen_abstract = self._vocab_seen
        if (seen_title, seen_abstract) == (len(self._title), len(self._abstract)):
            return
        new = set(islice(self._title, seen_title, None))
        new.update(islice(self._abstract, seen_abstract, None))
        self._vocab_seen = (len(self._title), len(self._abstract))
        vocab = self._vocab
        if vocab:
            new = {t for t in new if not _contains_sorted(vocab, t)}
        if self._by_char:  # else built on first need
            self._bucket(new)
        self._blob = ""
        if len(new) * 32 < len(vocab):
            for token in new:
                insort(vocab, token)
        else:
            vocab.extend(new)
            vocab.sort()

    def _bucket(self, tokens: Iterable[str]) -> None:
        """File tokens under (length, position, character) for :meth:`_fuzzy_choices`."""
        by_char = self._by_char
        for token in tokens:
            if len(token) >= MIN_FUZZY_LEN - 1:
                n = len(token)
                by_char.setdefault((n, 0, token[0]), []).append(token)
                by_char.setdefault((n, 1, token[1]), []).append(token)
                by_char.setdefault((n, -1, token[-1]), []).append(token)

    def _ensure_order(self) -> None:
        """Bring the newest-first order of live slots up to date."""
        if not self._order_stale:
            return
        keys = {s: _order_key(p) for s, p in enumerate(self._papers) if p is not None}
        order = sorted(keys, key=keys.__getitem__)
        rank = [len(self._papers)] * len(self._papers)
        for position, slot in enumerate(order):
            rank[slot] = position
        self._order, self._rank, self._order_stale = order, rank, False
        self._order_ids = list(map(self._ids.__getitem__, order))

    # ------------------------------------------------------------------ token matching

    def _prefix_tokens(self, token: str) -> list[str]:
        """Vocabulary tokens equal to or starting with ``token``."""
        vocab = self._vocab
        start = end = bisect_left(vocab, token)
        while end < len(vocab) and vocab[end].startswith(token):
            end += 1
        return vocab[start:end]

    def _candidates(self, token: str) -> dict[str, int]:
        """Vocabulary tokens that stand for ``token``, with their quality.

        Fuzzy candidates are looked for only when the exact and prefix ones are rare (fewer
        than ``FUZZ_BELOW`` postings): a word found as typed is taken as meant.
        """
        quality = {v: EXACT if v == token else PREFIX for v in self._prefix_tokens(token)}
        if len(token) < MIN_FUZZY_LEN:
            return quality
        found = 0
        for candidate in quality:
            found += len(self._title.get(candidate, ())) + len(self._abstract.get(candidate, ()))
            if found >= FUZZ_BELOW:
                return quality
        edits = 1 if len(token) < TWO_TYPOS_LEN else 2
        matches = process.extract(
            token,
            self._fuzzy_choices(token, edits),
            scorer=OSA.distance,
            score_cutoff=edits,
            limit=None,
        )
        for candidate, distance, _ in matches:
            if candidate not in quality:
                similarity = 1.0 - distance / max(len(token), len(candidate))
                quality[candidate] = round(FUZZY * similarity)
        return quality

    def _fuzzy_choices(self, token: str, edits: int) -> list[str]:
        """Vocabulary tokens that may lie within ``edits`` edits of ``token`` (a superset).

        With one edit, either the first or the last character is kept.  With two (tokens of
        8+ characters), either is kept, or one edit hit the front and then the second
        character was kept, moved to the front, or the first moved to second place.
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
        """The live papers the token matches, grouped by score, best first (cached).

        A title match scores ``TITLE_BONUS + 3 * quality``, an abstract-only one ``quality``.
        """
        cached = self._levels.get(token)
        if cached is not None:
            return cached
        by_quality: dict[int, list[str]] = {}
        for candidate, quality in self._candidates(token).items():
            by_quality.setdefault(quality, []).append(candidate)
        qualities = sorted(by_quality, reverse=True)
        levels: list[tuple[int, set[int]]] = []
        seen = set(self._dead)
        for postings, weight, bonus in (
            (self._title, TITLE_WEIGHT, TITLE_BONUS),
            (self._abstract, 1, 0),
        ):
            for quality in qualities:
                slots: set[int] = set()
                for candidate in by_quality[quality]:
                    slots.update(postings.get(candidate, ()))
                slots -= seen
                if slots:
                    levels.append((bonus + weight * quality, slots))
                    seen |= slots
        return self._levels.put(token, tuple(levels), len(seen) - len(self._dead))

    def _postings_set(self, tokens: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for token in tokens:
            found.update(self._title.get(token, ()))
            found.update(self._abstract.get(token, ()))
        return found - self._dead if self._dead else found

    def _prefix_set(self, token: str) -> set[int]:
        """Live slots whose title or abstract has ``token`` as a token or token prefix."""
        cached = self._sets.get("p" + token)
        if cached is None:
            found = self._postings_set(self._prefix_tokens(token))
            cached = self._sets.put("p" + token, found, len(found))
        return cached

    def _exact_set(self, token: str) -> set[int]:
        """Live slots whose title or abstract has ``token`` as a token."""
        cached = self._sets.get("e" + token)
        if cached is None:
            found = self._postings_set((token,))
            cached = self._sets.put("e" + token, found, len(found))
        return cached

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
                sets.append(self._exact_set(token))
            elif starts:
                sets.append(self._prefix_set(token))
            else:
                found = self._infix_set(token, suffix=ends)
                if found is not None:
                    sets.append(found)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def _infix_set(self, token: str, *, suffix: bool) -> set[int] | None:
        """Live slots with a token ending with (or containing) ``token``; None when too many."""
        key = ("s" if suffix else "i") + token
        cached = self._sets.get(key)
        if cached is not None:
            return cached
        if not self._blob:
            self._blob = "\n" + "\n".join(self._vocab) + "\n"
            self._blob_starts = list(accumulate((len(t) + 1 for t in self._vocab), initial=1))
        blob, starts, vocab = self._blob, self._blob_starts, self._vocab
        needle = token + "\n" if suffix else token
        found: dict[str, None] = {}
        at = blob.find(needle)
        while at >= 0:
            found[vocab[bisect_right(starts, at) - 1]] = None
            if len(found) > MAX_PHRASE_TOKENS:
                return None
            at = blob.find(needle, at + 1)
        slots = self._postings_set(found)
        return self._sets.put(key, slots, len(slots))

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
        if include is None:
            ranks: Iterable[int] = range(len(self._order))
            if exclude:
                ranks = filterfalse(exclude.__contains__, self._order)
                ranks = map(self._rank.__getitem__, ranks)
        else:
            ranks = sorted(map(self._rank.__getitem__, include - exclude))
        return self._ids_of(self._filter_phrases(ranks, phrases))

    def _ranked(
        self,
        tokens: tuple[str, ...],
        include: set[int] | None,
        exclude: set[int],
        phrases: list[Phrase],
    ) -> list[str]:
        """Ids matching every token (and the filters), best score first, then newest first.

        Hits are kept as groups of equal score: each further token splits every group by the
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
        rank = self._rank.__getitem__
        ranks: list[int] = []
        for score in sorted(merged, reverse=True):
            parts = merged[score]
            ranks += sorted(map(rank, parts[0] if len(parts) == 1 else set().union(*parts)))
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
        papers, slots = self._papers, self._slot

        def holds(slot: int, state: PaperState) -> bool:
            paper = papers[slot]
            return paper is not None and all(t.matches(paper, state) for t in terms)

        if all(t.matches(_NO_PAPER, DEFAULT_STATE) for t in terms):
            for paper_id, state in states.items():
                slot = slots.get(paper_id)
                if slot is not None and not holds(slot, state):
                    exclude.add(slot)
            return include
        good = set()
        for paper_id, state in states.items():
            slot = slots.get(paper_id)
            if slot is not None and holds(slot, state):
                good.add(slot)
        return good if include is None else include & good

    def _filter_phrases(self, ranks: Iterable[int], phrases: list[Phrase]) -> Iterable[int]:
        """The ranks (order kept) whose paper's haystack satisfies every phrase term."""
        if not phrases:
            return ranks
        hay, order = self._hay, self._order
        kept = list(ranks)
        for phrase in phrases:
            folded = phrase.folded
            if phrase.negated:
                kept = [r for r in kept if folded not in hay[order[r]]]
            else:
                kept = [r for r in kept if folded in hay[order[r]]]
        return kept

    def _ids_of(self, ranks: Iterable[int]) -> list[str]:
        if isinstance(ranks, range) and len(ranks) == len(self._order_ids):
            return self._order_ids.copy()
        return list(map(self._order_ids.__getitem__, ranks))

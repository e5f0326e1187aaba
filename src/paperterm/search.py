"""The search index: fuzzy, prefix-aware, ranked free-word search plus the query's filters.

Title and abstract are folded (:func:`query.fold`) and tokenized into inverted indexes
``token -> array('I') of slots`` (a slot is a paper's small int); phrases are checked in the
folded ``title\nabstract`` of the candidates the tokens leave.  A query token stands for
vocabulary tokens of some quality: itself (100) and the tokens it starts (90), so every word
works as you type.  Only when those are rare (fewer than ``FUZZ_BELOW`` postings: a word
found as typed is taken as meant) do tokens of 4+ characters also stand for the tokens
within one edit, two from 8 characters (optimal string alignment: a swap is one edit), found
by rapidfuzz among vocabulary tokens of similar length sharing a first or last character
(quality 80 x similarity).

A paper matches when every token matches its title or abstract; per token it scores
``TITLE_BONUS + 3 * quality`` for a title match, else ``quality``.  Results come by total score
(so more title matches always first), then newest digest first.  Per token, the matching
papers are kept as a few disjoint bitmaps of equal score (Python ints, bit i for slot i;
LRU-cached until the next ``add``), so combining tokens and filters is a few big-int ``&`` (a
few microseconds at 100,000 papers), never a Python loop over papers; the groups of equal
score are then read out in newest-first order by one C-level walk (``_walk``).  Filters are
sets, turned into bitmaps when words are ranked; what the state filters select is kept
while the states stay the same (the keystrokes of one query).
Re-adding a paper with unchanged text only updates its dates and links; otherwise its old
slot becomes a tombstone, and the index rebuilds itself once tombstones outnumber live papers.
Not thread-safe: build it in a worker if you like, then use it from one thread at a time.

Memory and time at 100,000 papers: no folded copy of the texts is kept (it was 160 MB);
slots in sets are shared int objects (``_ints``), which halves the cost of making a set from
postings; abstract tokens that 1/16 of the papers hold keep a bitmap instead of postings
(``make_prefix_bits``: 30 MB less); ``IndexParts`` is what ``paperterm.index_cache`` saves
so that an index is built once, not at every start.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress, filterfalse, islice, repeat
from operator import attrgetter, itemgetter
from typing import Final, Generic, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from paperterm.bitmaps import (
    WHOLE,
    common_bitmaps,
    from_flags,
    from_slots,
    pick,
    slots_of,
    to_flags,
)
from paperterm.heap import no_gc
from paperterm.model import (
    DEFAULT_STATE,
    NO_META,
    Paper,
    PaperState,
    arxiv_key,
    newest_first_ints,
    newest_first_key,
)
from paperterm.query import (
    AUTHOR_CUTOFF,
    AUTHOR_FUZZY_LEN,
    META_TERMS,
    TOKEN_RE,
    ArxivTerm,
    AuthorTerm,
    DateTerm,
    FieldTerm,
    HasTerm,
    MetaTerm,
    Phrase,
    Query,
    UpvotesTerm,
    Word,
    fold,
    haystack,
)
from paperterm.query import token_set as _token_set
from paperterm.vocabulary import Vocabulary

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
WALK_SHARE: Final = 8  # results holding 1/8 of the papers are ordered by a walk, not a sort
CACHE_BUDGET: Final = 1_000_000  # slots held by all cached entries together (~35 MB)

_NO_PAPER: Final = Paper(id="", title="", abstract="", links=(), dates=())
_DATED: Final = Paper(id="", title="", abstract="", links=(), dates=(dt.date.min,))
_TOO_MANY: Final[set[int]] = set()  # by identity: a phrase token too common to narrow by

V = TypeVar("V")
Levels = tuple[tuple[int, int], ...]  # (score, bitmap of slots): best first, disjoint


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
    """What cached levels cost, in slots of a set (~35 bytes; a bitmap is 1/8 byte a slot)."""
    return sum(bits.bit_length() for _, bits in levels) // 280 + 1


def _levels_count(levels: Levels) -> int:
    return sum(bits.bit_count() for _, bits in levels)


def _new_postings() -> array[int]:
    return array("I")


# A-Z to a-z, every other ASCII non-alphanumeric to a space: fold + token_set in one pass.
_ASCII_TOKENS: Final = str.maketrans(
    {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)
_SINGLES: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _tokens(text: str) -> set[str]:
    """``token_set(fold(text))``; ASCII text without TeX escapes in one translate."""
    if text.isascii() and "\\" not in text:
        tokens = set(text.translate(_ASCII_TOKENS).split())
        tokens -= _SINGLES
        return tokens
    return _token_set(fold(text))


@dataclass(frozen=True, slots=True)
class IndexParts:
    """An index's postings, for saving: slot -> id ("" for a tombstone), slot -> length of
    the title and of the abstract (to notice a changed paper), token -> slots."""

    ids: list[str]
    title_lengths: array[int]
    abstract_lengths: array[int]
    title: dict[str, array[int]]
    abstract: dict[str, array[int]]
    prefix_bits: dict[str, int] = field(default_factory=dict)  # see make_prefix_bits
    bits_slots: int = 0


class SearchIndex:
    """Free-word search and filtering over papers; see the module docstring for the design."""

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._reset()
        self.add(papers)

    def _reset(self) -> None:
        self._papers: list[Paper | None] = []  # slot -> paper, None for a tombstone
        self._ids: list[str] = []  # slot -> id
        self._ints: list[int] = []  # slot -> the int object standing for it in sets
        self._slot: dict[str, int] = {}  # id -> live slot
        self._title: defaultdict[str, array[int]] = defaultdict(_new_postings)
        self._abstract: defaultdict[str, array[int]] = defaultdict(_new_postings)
        self._vocab = Vocabulary(shortest_near=MIN_FUZZY_LEN - 1)
        self._vocab_seen = (0, 0)  # len(_title), len(_abstract) when _vocab was brought up
        self._by_date: dict[dt.date, set[int]] = {}
        self._code: set[int] = set()
        self._linked = False  # _by_date and _code are made on the first date: or has:code
        # papers' metadata, made on the first author:, arxiv: or upvotes: term (_ensure_meta):
        # slots with metadata, slots by folded author name and by arXiv key
        self._meta_ready = False
        self._with_meta: set[int] = set()
        self._by_author: dict[str, set[int]] = {}
        self._by_arxiv: dict[str, set[int]] = {}
        self._author_hits: _Lru[list[str]] = _Lru()  # folded name -> author names it matches
        self._dead: set[int] = set()
        self._dead_bitmap: int | None = None  # see _dead_bits
        # the last state terms, the states they were applied to, and the slots that differ
        self._state_hits: tuple[tuple[FieldTerm, ...], dict[str, PaperState], set[int]] | None
        self._state_hits = None
        self._order: list[int] = []  # live slots, newest first
        self._by_rank: Callable[[bytes], Sequence[int]] = list
        self._order_ids: list[str] = []  # their ids
        self._rank: list[int] = []  # slot -> index in _order
        self._order_stale = False
        self._sets: _Lru[set[int]] = _Lru()
        self._levels: _Lru[Levels] = _Lru()
        # prefix -> bitmap (bit i: slot i) of the slots < _bits_slots with an abstract token
        # starting with it; WHOLE + token -> the same for one token, whose postings in
        # _abstract then hold only its slots from _bits_slots on; see make_prefix_bits
        self._bits: dict[str, int] = {}
        self._bits_slots = 0

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._slot

    # ------------------------------------------------------------------ building

    def add(self, papers: Iterable[Paper]) -> None:
        """Index papers; a paper whose id is already indexed replaces the old one."""
        with no_gc():  # millions of small objects, none of them cyclic
            self._add(papers)
        if len(self._dead) > max(1024, len(self._slot)):
            live = [p for p in self._papers if p is not None]
            self._reset()
            self.add(live)

    def _add(self, papers: Iterable[Paper]) -> None:
        title_get, abstract_get = self._title.__getitem__, self._abstract.__getitem__
        append = array.append
        for paper in papers:
            old = self._slot.get(paper.id)
            if old is not None:
                before = self._papers[old]
                self._link(old, before, -1)
                self._meta_link(old, before, -1)
                assert before is not None
                if before.title == paper.title and before.abstract == paper.abstract:
                    self._papers[old] = paper
                    self._link(old, paper, +1)
                    self._meta_link(old, paper, +1)
                    continue
                self._dead.add(old)
                self._papers[old] = None
            slot = len(self._papers)
            self._papers.append(paper)
            self._ids.append(paper.id)
            self._ints.append(slot)
            self._slot[paper.id] = slot
            self._link(slot, paper, +1)
            self._meta_link(slot, paper, +1)
            # C-level loops: postings[token].append(slot) for every distinct token
            deque(map(append, map(title_get, _tokens(paper.title)), repeat(slot)), maxlen=0)
            deque(map(append, map(abstract_get, _tokens(paper.abstract)), repeat(slot)), 0)
        self._order_stale = True
        self._dead_bitmap = None
        self._sets.clear()
        self._levels.clear()
        self._author_hits.clear()
        self._state_hits = None

    def _link(self, slot: int, paper: Paper | None, sign: int) -> None:
        """Enter (+1) or remove (-1) the slot in the date and code-link sets."""
        assert paper is not None
        if not self._linked:
            return
        sets = [self._by_date.setdefault(day, set()) for day in paper.dates]
        if paper.code_url is not None:
            sets.append(self._code)
        for slots in sets:
            if sign > 0:
                slots.add(slot)
            else:
                slots.discard(slot)

    def _meta_link(self, slot: int, paper: Paper | None, sign: int) -> None:
        """Enter (+1) or remove (-1) the slot in the metadata sets."""
        if not self._meta_ready or paper is None or paper.meta is NO_META:
            return
        meta = paper.meta
        sets = [self._with_meta]
        sets += [self._by_author.setdefault(fold(name), set()) for name in meta.authors]
        if meta.arxiv_id:
            sets.append(self._by_arxiv.setdefault(arxiv_key(meta.arxiv_id), set()))
        for slots in sets:
            if sign > 0:
                slots.add(slot)
            else:
                slots.discard(slot)

    def _ensure_meta(self) -> None:
        """Make the metadata sets (only metadata queries need them)."""
        if not self._meta_ready:
            self._meta_ready = True
            for slot, paper in enumerate(self._papers):
                self._meta_link(slot, paper, +1)

    def _meta_hits(self, term: MetaTerm) -> set[int]:
        """The slots whose paper satisfies a metadata term (negation not applied)."""
        self._ensure_meta()
        if isinstance(term, UpvotesTerm):
            papers, accepts = self._papers, term.accepts
            return {
                s for s in self._with_meta
                if (p := papers[s]) is not None and accepts(p.meta.upvotes)
            }  # fmt: skip
        if isinstance(term, ArxivTerm):
            groups = [v for k, v in self._by_arxiv.items() if k.startswith(term.prefix)]
        else:
            groups = [self._by_author[name] for name in self._authors_matching(term)]
        return set().union(*groups)

    def _authors_matching(self, term: AuthorTerm) -> list[str]:
        """The folded author names ``term`` matches (``query.author_matches``, over the
        distinct names at once: rapidfuzz's C loop rather than one call per paper)."""
        name = term.folded

        def make() -> list[str]:
            names = [a for a, slots in self._by_author.items() if slots]
            hits = {a for a in names if name in a}
            if len(name) >= AUTHOR_FUZZY_LEN:
                found = process.extract(name, names, scorer=fuzz.partial_ratio,
                                        score_cutoff=AUTHOR_CUTOFF, limit=None)  # fmt: skip
                hits.update(choice for choice, _score, _index in found)
            return sorted(hits)

        return self._author_hits.get(name, make, lambda names: len(names) + 1)

    def _ensure_links(self) -> None:
        """Make the date and code-link sets (few queries need them: not at every start)."""
        if not self._linked:
            self._linked = True
            for slot, paper in enumerate(self._papers):
                if paper is not None:
                    self._link(slot, paper, +1)

    def prepare(self) -> None:
        """Do now what the first searches would: the sorted vocabulary, the newest-first
        order and the fuzzy buckets (a worker calls this; then searches are quick at once)."""
        self._ensure_vocab()
        self._ensure_order()
        self._vocab.prepare()

    def parts(self) -> IndexParts:
        """The postings and what they refer to, for ``paperterm.index_cache`` to save."""
        papers = [p if p is not None else _NO_PAPER for p in self._papers]
        return IndexParts(
            [p.id for p in papers],
            array("I", [len(p.title) for p in papers]),
            array("I", [len(p.abstract) for p in papers]),
            dict(self._title),
            dict(self._abstract),
            dict(self._bits),
            self._bits_slots,
        )

    def make_prefix_bits(self) -> None:
        """Bitmaps of the abstract slots under each common 2- and 3-character prefix, and
        of each common abstract token.

        Typing the second or third letter of a word matches thousands of vocabulary tokens,
        and making the union of their postings was most of such a keystroke (0.1 s at
        100,000 papers); words most abstracts hold ("learning") have long postings too. A
        prefix or token that 1/16 of the papers have gets a bitmap (n/8 bytes; ~15 MB in
        all at 100,000 papers), made here and saved with the index
        (``paperterm.index_cache``). A token's bitmap replaces its postings below
        ``_bits_slots`` (a posting is 32 times a bitmap's bit: 30 MB less at 100,000
        papers); papers indexed later are in its postings, as for every other token.
        """
        count = len(self._papers)
        made = common_bitmaps(self._abstract, self._bits, count, self._ints)
        self._bits, self._bits_slots = made, count
        self._levels.clear()
        self._sets.clear()

    @classmethod
    def from_parts(cls, parts: IndexParts, papers: Sequence[Paper]) -> SearchIndex:
        """The index of ``papers`` made from saved parts: slots whose paper is gone, or
        whose title or abstract length changed, become tombstones; papers the parts lack
        are indexed anew."""
        index = cls()
        by_id = dict(zip(map(attrgetter("id"), papers), papers, strict=True))
        found = list(map(by_id.get, parts.ids))
        index._slot = dict(zip(parts.ids, range(len(found)), strict=True))
        if None in found or len(index._slot) < len(found) or not (
            array("I", map(len, map(attrgetter("title"), found))) == parts.title_lengths
            and array("I", map(len, map(attrgetter("abstract"), found))) == parts.abstract_lengths
        ):  # some papers are gone or changed: tombstones for them
            index._slot = {}
            for slot, paper in enumerate(found):
                if (
                    paper is None
                    or paper.id in index._slot
                    or len(paper.title) != parts.title_lengths[slot]
                    or len(paper.abstract) != parts.abstract_lengths[slot]
                ):
                    found[slot] = None
                    index._dead.add(slot)
                else:
                    index._slot[paper.id] = slot
            index._ids = [paper.id if paper is not None else pid
                          for paper, pid in zip(found, parts.ids, strict=True)]  # fmt: skip
        else:  # the usual case, in C-level loops only
            index._ids = list(map(attrgetter("id"), found))
        slot_of = index._slot
        index._papers = found
        index._ints = list(range(len(parts.ids)))
        index._title.update(parts.title)
        index._abstract.update(parts.abstract)
        index._bits, index._bits_slots = dict(parts.prefix_bits), parts.bits_slots
        index._order_stale = True
        index.add([paper for paper in papers if paper.id not in slot_of])
        return index

    def _ensure_vocab(self) -> None:
        """Bring the vocabulary up to date (dicts keep order: new tokens are last)."""
        seen_title, seen_abstract = self._vocab_seen
        if self._vocab_seen == (len(self._title), len(self._abstract)):
            return
        # one call: each add sorts, and a token seen before is looked up one at a time
        new_title = islice(self._title, seen_title, None)
        self._vocab.add(chain(new_title, islice(self._abstract, seen_abstract, None)))
        self._vocab_seen = (len(self._title), len(self._abstract))

    def _ensure_order(self) -> None:
        """Bring the newest-first order of live slots up to date."""
        if not self._order_stale:
            return
        papers = self._papers
        filled = [paper or _DATED for paper in papers]
        ints = newest_first_ints(filled)
        order = list(compress(range(len(papers)), papers))
        if ints is not None:
            order.sort(key=ints.__getitem__)
        if ints is not None and len(set(map(ints.__getitem__, order))) == len(order):
            self._order = order  # _order_key, whose id never decides: no two keys are equal
        else:
            keys = {s: _order_key(p) for s, p in enumerate(papers) if p is not None}
            self._order = sorted(keys, key=keys.__getitem__)
        self._rank = [len(papers)] * len(papers)
        deque(map(self._rank.__setitem__, self._order, range(len(self._order))), maxlen=0)
        self._order_ids = list(map(self._ids.__getitem__, self._order))
        # by_slot -> by_rank for a sequence indexed by slot: one C-level call, 2x map's speed
        order = self._order
        if len(order) > 1:
            self._by_rank = itemgetter(*order)
        else:  # itemgetter of one item gives the item, not a tuple
            self._by_rank = lambda seq: [seq[slot] for slot in order]
        self._order_stale = False

    # ------------------------------------------------------------------ token matching

    def _candidates(self, token: str) -> dict[str, int]:
        """Vocabulary tokens that stand for ``token``, with their quality."""
        quality = {v: EXACT if v == token else PREFIX for v in self._vocab.starting(token)}
        if len(token) < MIN_FUZZY_LEN:
            return quality
        found = 0
        for candidate in quality:
            found += len(self._title.get(candidate, ())) + len(self._abstract.get(candidate, ()))
            found += self._bits.get(WHOLE + candidate, 0).bit_count()
            if found >= FUZZ_BELOW:
                return quality
        edits = 1 if len(token) < TWO_TYPOS_LEN else 2
        choices = self._vocab.near(token, edits)
        for candidate, distance, _ in process.extract(
            token, choices, scorer=OSA.distance, score_cutoff=edits, limit=None
        ):
            if candidate not in quality:
                similarity = 1.0 - distance / max(len(token), len(candidate))
                quality[candidate] = round(FUZZY * similarity)
        return quality

    def _token_levels(self, token: str) -> Levels:
        """The live papers the token matches, grouped by score, best first (cached)."""
        return self._levels.get(token, lambda: self._make_levels(token), _levels_size)

    def _make_levels(self, token: str) -> Levels:
        by_quality: dict[int, list[str]] = {}
        for candidate, quality in self._candidates(token).items():
            by_quality.setdefault(quality, []).append(candidate)
        levels: list[tuple[int, int]] = []
        seen = self._dead_bits()
        for postings, weight, bonus in (
            (self._title, TITLE_WEIGHT, TITLE_BONUS),
            (self._abstract, 1, 0),
        ):
            for quality in sorted(by_quality, reverse=True):
                bits = self._union_bits(postings, by_quality[quality], token, quality)
                bits &= ~seen
                if bits:
                    levels.append((bonus + weight * quality, bits))
                    seen |= bits
        return tuple(levels)

    def _union_bits(
        self, postings: Mapping[str, array[int]], tokens: list[str], typed: str, quality: int
    ) -> int:
        """The bitmap of the slots holding any of ``tokens`` (the candidates of the ``typed``
        token of one quality): saved bitmaps where there are some, postings for the rest."""
        flags = bytearray(len(self._papers))
        mark = flags.__setitem__
        bits, saved = 0, self._bits if postings is self._abstract else {}
        prefix = saved.get(typed) if quality == PREFIX else None
        if prefix is not None:
            # every abstract token starting with ``typed``, the exact one too: its slots are
            # in the EXACT level already, which comes first
            bits = prefix
        newer = self._bits_slots if saved else 0
        marked = False  # reading back untouched flags would cost a pass over every slot
        for candidate in tokens:
            whole = saved.get(WHOLE + candidate) if prefix is None else None
            if whole is not None:
                bits |= whole
            found = postings.get(candidate)
            if not found:
                continue
            if prefix is not None or whole is not None:  # a bitmap covers slots < newer
                if found[-1] < newer:
                    continue
                found = found[bisect_left(found, newer) :]
            deque(map(mark, found, repeat(1)), maxlen=0)
            marked = True
        return bits | from_flags(flags) if marked else bits

    def _dead_bits(self) -> int:
        """The bitmap of the tombstones (cached until the next ``add``)."""
        if self._dead_bitmap is None:
            self._dead_bitmap = from_slots(self._dead, len(self._papers))
        return self._dead_bitmap

    def _postings_set(self, key: str, tokens: Callable[[], Iterable[str] | None]) -> set[int]:
        """Live slots holding any of the tokens in title or abstract (cached under ``key``);
        ``_TOO_MANY`` when ``tokens()`` gives None."""

        def make() -> set[int]:
            found: set[int] = set()
            listed = tokens()
            if listed is None:
                return _TOO_MANY
            ints = self._ints.__getitem__
            for token in listed:
                found.update(map(ints, self._title.get(token, ())))
                found.update(map(ints, self._abstract.get(token, ())))
                whole = self._bits.get(WHOLE + token)
                if whole is not None:
                    found.update(slots_of(whole, self._ints))
            return found - self._dead

        return self._sets.get(key, make, len)

    def _prefix_set(self, token: str) -> set[int]:
        """Live slots whose title or abstract has ``token`` as a token or token prefix."""
        return self._postings_set("p" + token, lambda: self._vocab.starting(token))

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
                found = self._postings_set(key, partial(self._containing, token, ends))
                if found is not _TOO_MANY:
                    sets.append(found)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def _containing(self, part: str, suffix: bool) -> list[str] | None:
        return self._vocab.containing(part, suffix=suffix, at_most=MAX_PHRASE_TOKENS)

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
                self._ensure_links()
                found = set().union(*(s for d, s in self._by_date.items() if term.accepts(d)))
            elif isinstance(term, HasTerm) and term.value == "code":
                self._ensure_links()
                found = self._code
            elif isinstance(term, META_TERMS):
                found = self._meta_hits(term)
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
        token's score levels, with big-int ``&`` only; the groups are then read out best score
        first, newest first within a score (``_walk`` when they hold many papers).
        """
        all_levels = sorted((self._token_levels(t) for t in tokens), key=_levels_count)
        count = len(self._papers)
        wanted = -1 if include is None else from_slots(include, count)
        if exclude:
            wanted &= ~from_slots(exclude, count)
        groups = [(score, both) for score, bits in all_levels[0] if (both := bits & wanted)]
        for levels in all_levels[1:]:
            groups = [
                (score + more, both)
                for score, bits in groups
                for more, other in levels
                if (both := bits & other)
            ]
        merged: dict[int, int] = {}
        for score, bits in groups:
            merged[score] = merged.get(score, 0) | bits
        ranked = [merged[score] for score in sorted(merged, reverse=True)]
        hits = sum(map(int.bit_count, ranked))
        if hits > len(self._order) // WALK_SHARE and len(ranked) < 256:
            picks = self._walk(ranked, count)
            if not phrases:
                return list(chain.from_iterable(compress(self._order_ids, p) for p in picks))
            everywhere = range(len(self._order))
            ranks: Iterable[int] = chain.from_iterable(compress(everywhere, p) for p in picks)
        else:
            ranks = []
            for bits in ranked:
                ranks += sorted(map(self._rank.__getitem__, slots_of(bits, self._ints)))
        return self._ids_of(self._filter_phrases(ranks, phrases))

    def _walk(self, groups: list[int], count: int) -> list[bytes]:
        """Per group (disjoint bitmaps, fewer than 256), a flag per rank: is it in the group.

        One C-level walk of the order for all the groups together: the groups' flags, as
        integers with a byte per slot, times the group's number, add up to one byte string
        holding each slot's group (groups are disjoint: no carries), which is read in rank
        order; each group is picked out of that by a ``translate``.
        """
        code = 0
        for number, bits in enumerate(groups, 1):
            code += number * int.from_bytes(to_flags(bits, count), "little")
        by_rank = bytes(self._by_rank(code.to_bytes(count, "little")))
        return [by_rank.translate(pick(number)) for number in range(1, len(groups) + 1)]

    def _apply_states(
        self,
        terms: list[FieldTerm],
        states: Mapping[str, PaperState],
        include: set[int] | None,
        exclude: set[int],
    ) -> set[int] | None:
        """Narrow ``include`` (or grow ``exclude``) by the terms that look at the user's state.

        Only the ids in ``states`` can differ from the default state, so only they are visited;
        and while the user types, the states are those of the last keystroke: the slots found
        are kept until the terms or the states change (comparing the states is C-level, as
        they are the same objects).
        """
        default_holds = all(t.matches(_NO_PAPER, DEFAULT_STATE) for t in terms)
        key = tuple(terms)
        cached = self._state_hits
        if cached is not None and cached[0] == key and cached[1] == states:
            differ = cached[2]
        else:
            differ = set()
            for paper_id, state in states.items():
                slot = self._slot.get(paper_id)
                if slot is not None:
                    paper = self._papers[slot]
                    assert paper is not None
                    if all(t.matches(paper, state) for t in terms) != default_holds:
                        differ.add(slot)
            self._state_hits = (key, dict(states), differ)
        if default_holds:
            exclude |= differ
            return include
        return differ if include is None else include & differ

    def _filter_phrases(self, ranks: Iterable[int], phrases: list[Phrase]) -> Iterable[int]:
        """The ranks (order kept) whose paper's haystack satisfies every phrase term.

        The haystacks are folded here, for the candidates only, rather than kept.
        """
        if not phrases:
            return ranks
        papers, order = self._papers, self._order
        hays = {r: haystack(papers[order[r]]) for r in ranks}  # type: ignore[arg-type]
        for phrase in phrases:
            folded, negated = phrase.folded, phrase.negated
            hays = {r: hay for r, hay in hays.items() if (folded in hay) != negated}
        return list(hays)

    def _ids_of(self, ranks: Iterable[int]) -> list[str]:
        if isinstance(ranks, range) and len(ranks) == len(self._order_ids):
            return self._order_ids.copy()
        return list(map(self._order_ids.__getitem__, ranks))

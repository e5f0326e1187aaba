"""The search index's word matching: which vocabulary tokens a typed token stands for, with
what quality, and the papers they match grouped by score (``Words.levels``); the slot sets
that narrow phrases and negated words.

A query token stands for vocabulary tokens of some quality: itself (``EXACT``) and the tokens
it starts (``PREFIX``), so every word works as you type. Only when those are rare (fewer
than ``FUZZ_BELOW`` slots: a word found as typed is taken as meant) do tokens of 4+
characters also stand for the tokens within one edit, two from 8 characters (optimal string
alignment: a swap is one edit), found by rapidfuzz among vocabulary tokens of similar length
sharing a first or last character (``FUZZY`` x similarity). Per token it scores
``TITLE_BONUS + TITLE_WEIGHT * quality`` for a title match, else ``quality``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from paperterm.bitmaps import from_slots
from paperterm.folding import TOKEN_RE
from paperterm.lru import Lru
from paperterm.postings import PostingsReader
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

TOO_MANY: Final[set[int]] = set()  # by identity: a phrase token too common to narrow by

Levels = tuple[tuple[int, int], ...]  # (score, bitmap of slots): best first, disjoint


def levels_size(levels: Levels) -> int:
    """What cached levels cost, in slots of a set (a bitmap is 1/8 byte a slot)."""
    return sum(bits.bit_length() for _, bits in levels) // 280 + 1


def levels_count(levels: Levels) -> int:
    """How many slots the levels hold."""
    return sum(bits.bit_count() for _, bits in levels)


class Words:
    """Word matching over the title and abstract postings of ``len(ints)`` slots.

    ``ints`` (slot -> the int standing for it in sets) and ``dead`` (the tombstones) are the
    index's own, which grow as it adds papers; call ``changed`` then.
    """

    def __init__(
        self,
        title: PostingsReader,
        abstract: PostingsReader,
        vocab: Vocabulary,
        ints: Sequence[int],
        dead: set[int],
    ) -> None:
        self.title, self.abstract, self.vocab = title, abstract, vocab
        self._ints, self._dead = ints, dead
        self._dead_bitmap: int | None = None
        self._sets: Lru[set[int]] = Lru()
        self._levels: Lru[Levels] = Lru()

    def changed(self) -> None:
        """Slots were added, or postings or bitmaps remade: forget what was derived."""
        self._dead_bitmap = None
        self._sets.clear()
        self._levels.clear()

    def dead_bits(self) -> int:
        """The bitmap of the tombstones (kept until ``changed``)."""
        if self._dead_bitmap is None:
            self._dead_bitmap = from_slots(self._dead, len(self._ints))
        return self._dead_bitmap

    def candidates(self, token: str) -> dict[str, int]:
        """Vocabulary tokens that stand for ``token``, with their quality."""
        quality = {v: EXACT if v == token else PREFIX for v in self.vocab.starting(token)}
        if len(token) < MIN_FUZZY_LEN:
            return quality
        found = 0
        for candidate in quality:
            found += self.title.count(candidate) + self.abstract.count(candidate)
            if found >= FUZZ_BELOW:
                return quality
        edits = 1 if len(token) < TWO_TYPOS_LEN else 2
        choices = self.vocab.near(token, edits)
        for candidate, distance, _ in process.extract(
            token, choices, scorer=OSA.distance, score_cutoff=edits, limit=None
        ):
            if candidate not in quality:
                similarity = 1.0 - distance / max(len(token), len(candidate))
                quality[candidate] = round(FUZZY * similarity)
        return quality

    def levels(self, token: str) -> Levels:
        """The live slots the token matches, grouped by score, best first (cached)."""
        return self._levels.get(token, lambda: self._make_levels(token), levels_size)

    def _make_levels(self, token: str) -> Levels:
        by_quality: dict[int, list[str]] = {}
        for candidate, quality in self.candidates(token).items():
            by_quality.setdefault(quality, []).append(candidate)
        levels: list[tuple[int, int]] = []
        seen = self.dead_bits()
        count = len(self._ints)
        for postings, weight, bonus in (
            (self.title, TITLE_WEIGHT, TITLE_BONUS),
            (self.abstract, 1, 0),
        ):
            for quality in sorted(by_quality, reverse=True):
                # a prefix's bitmap holds the exact token's slots too: they are in the
                # EXACT level already, which comes first
                typed = token if quality == PREFIX else None
                bits = postings.union(by_quality[quality], count, typed) & ~seen
                if bits:
                    levels.append((bonus + weight * quality, bits))
                    seen |= bits
        return tuple(levels)

    def postings_set(self, key: str, tokens: Callable[[], Iterable[str] | None]) -> set[int]:
        """Live slots holding any of the tokens in title or abstract (cached under ``key``);
        ``TOO_MANY`` when ``tokens()`` gives None."""

        def make() -> set[int]:
            listed = tokens()
            if listed is None:
                return TOO_MANY
            found: set[int] = set()
            for token in listed:
                found.update(self.title.slots(token, self._ints))
                found.update(self.abstract.slots(token, self._ints))
            return found - self._dead

        return self._sets.get(key, make, len)

    def prefix_set(self, token: str) -> set[int]:
        """Live slots whose title or abstract has ``token`` as a token or token prefix."""
        return self.postings_set("p" + token, lambda: self.vocab.starting(token))

    def phrase_candidates(self, folded: str) -> set[int] | None:
        """Slots that may contain the folded phrase, from its tokens; None: no narrowing.

        Where the phrase occurs, a token of it with separators on both sides is a whole token,
        one with a separator only before it starts a token, one with a separator only after it
        ends a token, and a phrase that is one token lies inside a token.
        """
        sets: list[set[int]] = []
        for match in TOKEN_RE.finditer(folded):
            token, starts, ends = match.group(), match.start() > 0, match.end() < len(folded)
            if starts and ends:
                sets.append(self.postings_set("e" + token, partial(tuple, (token,))))
            elif starts:
                sets.append(self.prefix_set(token))
            else:
                key = ("s" if ends else "i") + token
                found = self.postings_set(key, partial(self._containing, token, ends))
                if found is not TOO_MANY:
                    sets.append(found)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def _containing(self, part: str, suffix: bool) -> list[str] | None:
        return self.vocab.containing(part, suffix=suffix, at_most=MAX_PHRASE_TOKENS)

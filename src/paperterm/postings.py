"""Postings: for each token, the slots (a paper's small int) holding it, and the bitmaps that
stand in for the postings of common tokens and prefixes.

The one rule of this module, which nothing else needs to know: once ``make_bitmaps`` ran over
``bits_slots`` slots, a token held by 1/``MIN_SHARE`` of them keeps a bitmap of those slots
under ``WHOLE + token``, and its postings hold only its slots from ``bits_slots`` on (papers
indexed later are appended as for every other token); a common 2- or 3-character prefix keeps
the bitmap of the slots below ``bits_slots`` holding some token that starts with it. A bitmap
is 1/32 of the postings it replaces, and a prefix's bitmap saves the union of thousands of
postings while a word is typed.

``PostingsReader`` answers every question through two lookups (``stored`` and ``bitmap``);
``Postings`` holds them in dicts (built in memory, saved by ``paperterm.index_cache``), and
``paperterm.index_file.MappedPostings`` reads them from the cache file on demand.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from typing import Final

from paperterm.bitmaps import from_flags, slots_of

PREFIX_LENGTHS: Final = (2, 3)
MIN_SHARE: Final = 16  # a prefix or token gets a bitmap when 1/16 of the slots have it
WHOLE: Final = "="  # a whole token's bitmap is kept under "=" + token (a prefix's: as is)

_EMPTY: Final = array("I")


def _new_postings() -> array[int]:
    return array("I")


class PostingsReader(ABC):
    """The questions the search index asks of postings; see the module docstring."""

    bits_slots: int = 0
    """The slots the bitmaps cover (0: no bitmaps)."""

    @abstractmethod
    def stored(self, token: str) -> array[int] | None:
        """The token's postings as kept: ascending slots (from ``bits_slots`` on when the
        token has a bitmap); None for a token never seen."""

    @abstractmethod
    def bitmap(self, key: str) -> int | None:
        """The bitmap kept under a prefix or ``WHOLE + token``; None when there is none."""

    @abstractmethod
    def tokens(self) -> Iterable[str]:
        """Every token with postings or a bitmap."""

    def count(self, token: str) -> int:
        """How many slots hold the token."""
        found = self.stored(token)
        return (len(found) if found else 0) + (self.bitmap(WHOLE + token) or 0).bit_count()

    def slots(self, token: str, ints: Sequence[int]) -> Iterator[int]:
        """Every slot holding the token, as the items of ``ints`` (slot -> the int standing
        for it; its length is the slot count)."""
        found = self.stored(token) or _EMPTY
        whole = self.bitmap(WHOLE + token)
        if whole is None:
            return map(ints.__getitem__, found)
        return chain(map(ints.__getitem__, found), slots_of(whole, ints))

    def union(self, tokens: Iterable[str], count: int, prefix: str | None = None) -> int:
        """The bitmap (of ``count`` slots) of the slots holding any of ``tokens``.

        With ``prefix``, the tokens are those starting with it: its bitmap, when there is
        one, stands for all of their slots below ``bits_slots``.
        """
        covering = self.bitmap(prefix) if prefix is not None else None
        bits = covering or 0
        newer = self.bits_slots
        flags = bytearray(count)
        mark = flags.__setitem__
        marked = False  # reading back untouched flags would cost a pass over every slot
        for token in tokens:
            whole = self.bitmap(WHOLE + token) if covering is None else None
            if whole is not None:
                bits |= whole
            found = self.stored(token)
            if not found:
                continue
            if covering is not None or whole is not None:  # a bitmap covers slots < newer
                if found[-1] < newer:
                    continue
                found = found[bisect_left(found, newer) :]
            deque(map(mark, found, repeat(1)), maxlen=0)
            marked = True
        return bits | from_flags(flags) if marked else bits


class Postings(PostingsReader):
    """Postings held in memory: built by ``add``, saved and restored through ``table``,
    ``bitmaps`` and ``bits_slots``."""

    def __init__(
        self,
        table: Mapping[str, array[int]] | None = None,
        bitmaps: Mapping[str, int] | None = None,
        bits_slots: int = 0,
    ) -> None:
        self.table: defaultdict[str, array[int]] = defaultdict(_new_postings, table or {})
        self.bitmaps: dict[str, int] = dict(bitmaps or {})
        self.bits_slots = bits_slots

    def __len__(self) -> int:
        return len(self.table)

    def stored(self, token: str) -> array[int] | None:
        return self.table.get(token)

    def bitmap(self, key: str) -> int | None:
        return self.bitmaps.get(key)

    def tokens(self) -> Iterable[str]:
        return self.table  # a common token keeps its (maybe empty) postings: all are here

    def add(self, slot: int, tokens: Iterable[str]) -> None:
        """Append ``slot`` (above every slot added before) to each token's postings."""
        # C-level loop: postings[token].append(slot) for every distinct token
        get = self.table.__getitem__
        deque(map(array.append, map(get, tokens), repeat(slot)), maxlen=0)

    def consistent(self, count: int) -> bool:
        """Whether these postings (read from a file) can be what ``make_bitmaps`` left over
        ``count`` slots: the bitmaps cover at most those, each bitmap below its range, and a
        token's bitmap names a token that has postings (perhaps empty)."""
        if self.bits_slots > count:
            return False
        if any(bits.bit_length() > self.bits_slots for bits in self.bitmaps.values()):
            return False
        whole = [key[len(WHOLE) :] for key in self.bitmaps if key.startswith(WHOLE)]
        return all(map(self.table.__contains__, whole))

    def make_bitmaps(self, count: int, ints: Sequence[int]) -> None:
        """Make the bitmaps of the common prefixes and tokens over ``count`` slots, and
        rewrite the postings to match (``ints``: slot -> the int standing for it)."""
        self.bitmaps = _common_bitmaps(self.table, self.bitmaps, count, ints)
        self.bits_slots = count


def _common_bitmaps(
    postings: defaultdict[str, array[int]],
    old: Mapping[str, int],
    count: int,
    slots: Sequence[int],
) -> dict[str, int]:
    """The bitmaps of the slots under each common 2- and 3-character token prefix, and of
    each common token (under ``WHOLE + token``), for ``count`` slots; "common" is held by
    1/``MIN_SHARE`` of them.

    ``postings`` is rewritten to match: a common token's postings become empty, its slots
    being in its bitmap. ``old`` are the bitmaps made last time, whose tokens' postings hold
    only the later slots: a token common then and no longer gets its slots back.
    """
    least = max(count // MIN_SHARE, 1)
    sizes = {token: len(found) for token, found in postings.items()}
    for key, value in old.items():
        if key.startswith(WHOLE):
            sizes[key[1:]] = sizes.get(key[1:], 0) + value.bit_count()
    groups: dict[str, list[str]] = {}
    for token, size in sizes.items():
        if size >= least:
            groups[WHOLE + token] = [token]
        for length in PREFIX_LENGTHS:
            if len(token) >= length:
                groups.setdefault(token[:length], []).append(token)
    made: dict[str, int] = {}
    for key, tokens in groups.items():
        if sum(map(sizes.__getitem__, tokens)) < least:
            continue
        flags, value = bytearray(count), 0
        for token in tokens:
            value |= old.get(WHOLE + token, 0)
            deque(map(flags.__setitem__, postings[token], repeat(1)), maxlen=0)
        value |= from_flags(flags)
        if value.bit_count() >= least:
            made[key] = value
    for key, value in old.items():  # a token no longer common: its postings back
        if key.startswith(WHOLE) and key not in made:
            postings[key[1:]][:0] = array("I", slots_of(value, slots))
    for key in made:
        if key.startswith(WHOLE):
            postings[key[1:]] = array("I")
    return made


class StackedPostings(PostingsReader):
    """A reader's postings with later slots on top (all above the reader's: the papers a
    cache file's addition holds): the rule holds as it did, those slots being past the
    bitmaps like any slot indexed after them."""

    def __init__(self, below: PostingsReader, above: Mapping[str, array[int]]) -> None:
        self._below, self._above = below, above
        self.bits_slots = below.bits_slots

    def stored(self, token: str) -> array[int] | None:
        found, more = self._below.stored(token), self._above.get(token)
        if more is None:
            return found
        return more if found is None else found + more

    def bitmap(self, key: str) -> int | None:
        return self._below.bitmap(key)

    def tokens(self) -> Iterable[str]:
        below = set(self._below.tokens())
        return chain(below, (token for token in self._above if token not in below))

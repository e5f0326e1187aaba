"""The search index's order of its live slots, newest digest first, and reading groups of
slots out in that order."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from operator import itemgetter

from paperterm.bitmaps import pick, to_flags
from paperterm.model import Paper, newest_first_ints, newest_first_key

_DATED = Paper(id="", title="", abstract="", links=(), dates=(dt.date.min,))


def _order_key(paper: Paper) -> tuple[tuple[int, int], str]:
    """Newest digest first, page order, then id; papers without dates last."""
    return (newest_first_key(paper) if paper.dates else (1, paper.position)), paper.id


def newest_first(
    papers: Sequence[Paper | None], slots: Sequence[int] | None = None
) -> list[int]:
    """The slots of the live papers (slot -> paper, None for a tombstone), newest first;
    ``slots`` (slot -> the int object standing for it) makes the list share its ints."""
    filled = [paper or _DATED for paper in papers]
    ints = newest_first_ints(filled)
    order = list(compress(range(len(papers)) if slots is None else slots, papers))
    if ints is not None:
        order.sort(key=ints.__getitem__)
    if ints is not None and len(set(map(ints.__getitem__, order))) == len(order):
        return order  # _order_key, whose id never decides: no two keys are equal
    keys = {s: _order_key(p) for s, p in enumerate(papers) if p is not None}
    return sorted(keys, key=keys.__getitem__)


class Order:
    """Live slots newest first (``slots``), each slot's place in it (``rank``) and the ids
    in that order; ``count`` slots in all, tombstones included."""

    def __init__(
        self, slots: list[int], ids: Sequence[str], count: int, ints: Sequence[int] = ()
    ) -> None:
        """``ints`` (slot -> the int object standing for it, as many as ``count``) makes
        the ranks share those ints instead of holding one more int per slot."""
        self.slots = slots
        self.rank = [count] * count
        places = ints if len(ints) >= len(slots) else range(len(slots))
        deque(map(self.rank.__setitem__, slots, places), maxlen=0)
        self.ids = _side_by_side(list(map(ids.__getitem__, slots)))
        self.count = count
        # by_slot -> by_rank for a sequence indexed by slot: one C-level call, not a map
        self._by_rank: Callable[[bytes], Sequence[int]]
        if len(slots) > 1:
            self._by_rank = itemgetter(*slots)
        else:  # itemgetter of one item gives the item, not a tuple
            self._by_rank = lambda seq: [seq[slot] for slot in slots]

    def __len__(self) -> int:
        return len(self.slots)

    def walk(self, groups: list[int]) -> list[bytes]:
        """Per group (disjoint bitmaps, fewer than 256), a flag per rank: is it in the group.

        One C-level walk of the order for all the groups together: the groups' flags, as
        integers with a byte per slot, times the group's number, add up to one byte string
        holding each slot's group (groups are disjoint: no carries), which is read in rank
        order; each group is picked out of that by a ``translate``.
        """
        count = self.count
        code = 0
        for number, bits in enumerate(groups, 1):
            code += number * int.from_bytes(to_flags(bits, count), "little")
        by_rank = bytes(self._by_rank(code.to_bytes(count, "little")))
        return [by_rank.translate(pick(number)) for number in range(1, len(groups) + 1)]

    def ids_of(self, ranks: Iterable[int]) -> list[str]:
        """The ids at these ranks."""
        if isinstance(ranks, range) and len(ranks) == len(self.ids):
            return self.ids.copy()
        return list(map(self.ids.__getitem__, ranks))


def _side_by_side(ids: list[str]) -> list[str]:
    """``ids`` as strings of their own made one after another (equal, not the same objects).

    A result list of most papers takes a reference to each id it holds, which touches every
    id string; the papers' own ids lie scattered among everything else a shard's load made,
    a cache miss each, while strings made in one pass lie side by side in memory. One join
    and one split, in C; ids holding a newline (a hostile store) keep their own objects.
    """
    together = "\n".join(ids).split("\n")
    return together if len(together) == len(ids) else ids

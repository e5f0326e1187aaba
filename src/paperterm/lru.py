"""A least-recently-used cache bounded by its entry count and by its entries' total size
(the search index keeps its per-token sets and score levels in two)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Generic, TypeVar

CACHE_ENTRIES: Final = 256
CACHE_BUDGET: Final = 1_000_000  # in units of the size function: slots of a set, for the index

V = TypeVar("V")


class Lru(Generic[V]):
    """A least-recently-used cache bounded by entry count and by total entry size."""

    def __init__(self, entries: int = CACHE_ENTRIES, budget: int = CACHE_BUDGET) -> None:
        self._items: OrderedDict[str, tuple[V, int]] = OrderedDict()
        self._size = 0
        self._entries, self._budget = entries, budget

    def get(self, key: str, make: Callable[[], V], size: Callable[[V], int]) -> V:
        """The cached value, or ``make()`` stored under the key."""
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
            return item[0]
        value = make()
        self._items[key] = (value, size(value))
        self._size += size(value)
        while len(self._items) > self._entries or (
            self._size > self._budget and len(self._items) > 1
        ):
            self._size -= self._items.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        """Forget every entry."""
        self._items.clear()
        self._size = 0

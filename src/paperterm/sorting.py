"""The orders a result list can take: by relevance, by digest date, or by upvotes.

``relevance`` is the search's own order (best first when the query has free words, else
newest digest first); ``date`` is newest digest first whatever the query; ``upvotes`` is
most upvoted first, papers whose upvotes are unknown last, ties in the search's order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias

from paperterm.model import Paper, newest_first_key

Sort: TypeAlias = Literal["relevance", "date", "upvotes"]
SORTS: Final[tuple[Sort, ...]] = ("relevance", "date", "upvotes")

def parse_sort(text: object) -> Sort:
    """A stored or typed sort name, or ``relevance`` when it names none (an old preference)."""
    for sort in SORTS:
        if text == sort:
            return sort
    return "relevance"


def next_sort(sort: Sort) -> Sort:
    """The sort after ``sort`` in ``SORTS``, round again after the last."""
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)]


def _upvotes_key(paper: Paper) -> tuple[bool, int]:
    upvotes = paper.meta.upvotes
    return (upvotes is None, -(upvotes or 0))


def paper_sort_key(sort: Sort) -> Callable[[Paper], Any] | None:
    """The key that puts papers in ``sort``'s order (stable sorts keep ties in the search's
    order); None for ``relevance``, which is the search's order itself."""
    if sort == "date":
        return newest_first_key
    if sort == "upvotes":
        return _upvotes_key
    return None


def sorted_ids(ids: Sequence[str], papers: Mapping[str, Paper], sort: Sort) -> list[str]:
    """``ids`` (a search's result, in its order) in ``sort``'s order."""
    key = paper_sort_key(sort)
    if key is None:
        return list(ids)
    return sorted(ids, key=lambda pid: key(papers[pid]))

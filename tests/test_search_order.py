"""The newest-first order of the search index's slots."""

from __future__ import annotations

import datetime as dt
import operator

from hypothesis import given
from hypothesis import strategies as st

from paperterm.model import Paper
from paperterm.search_order import Order, newest_first


def paper(pid: str, day: int, position: int = 0) -> Paper:
    return Paper(pid, f"T {pid}", "", (), (dt.date(2025, 1, day),), position)


def test_newest_first_and_its_ranks() -> None:
    papers = [paper("a", 1), None, paper("b", 3), paper("c", 2)]
    slots = newest_first(papers)
    assert slots == [2, 3, 0]
    order = Order(slots, ["a", "", "b", "c"], len(papers))
    assert order.ids == ["b", "c", "a"]
    assert [order.rank[s] for s in slots] == [0, 1, 2]
    assert order.rank[1] == len(papers)  # a tombstone has no place


def test_shared_ints_give_the_same_order_and_ranks() -> None:
    papers = [paper(str(n), 1 + n % 28, n) for n in range(300)]
    ints = list(range(len(papers)))
    shared = newest_first(papers, ints)
    assert shared == newest_first(papers)
    assert all(a is b for a, b in zip(sorted(shared), ints, strict=True))
    plain = Order(shared, [p.id for p in papers], len(papers))
    with_ints = Order(shared, [p.id for p in papers], len(papers), ints)
    assert with_ints.rank == plain.rank and with_ints.ids == plain.ids


@given(st.lists(st.text(min_size=1), min_size=1, max_size=40, unique=True))
def test_the_ids_are_equal_copies_whatever_they_hold(ids: list[str]) -> None:
    # copies made side by side (see Order), unless an id holds a newline: then its own (and
    # CPython shares one-character strings)
    order = Order(list(range(len(ids))), ids, len(ids))
    assert order.ids == ids
    if len(ids) > 1 and all(len(pid) > 1 and "\n" not in pid for pid in ids):
        assert not any(map(operator.is_, order.ids, ids))

"""Slot bitmaps: made and read in C-level passes, and the common-token bitmaps of the index."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paperterm.bitmaps import (
    from_flags,
    from_slots,
    pick,
    slots_of,
    to_flags,
)


@given(st.sets(st.integers(min_value=0, max_value=299)))
def test_slots_round_trip_through_bitmaps_and_flags(slots: set[int]) -> None:
    bits = from_slots(slots, 300)
    assert bits == sum(1 << slot for slot in slots)
    flags = to_flags(bits, 300)
    assert len(flags) == 300 and {i for i, f in enumerate(flags) if f} == slots
    assert from_flags(flags) == bits
    assert list(slots_of(bits, range(300))) == sorted(slots)


def test_edges() -> None:
    assert from_flags(b"") == 0 and from_slots([], 0) == 0
    assert to_flags(0, 3) == b"\x00\x00\x00"
    assert b"\x00\x03\x01\x03".translate(pick(3)) == b"\x00\x01\x00\x01"

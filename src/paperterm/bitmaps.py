"""Sets of slots as Python ints (bit i stands for slot i).

A bitmap takes a bit a slot, and ``&``, ``|`` and ``~`` over it run in C over machine words,
where the same on sets of ints is a hash lookup per element. Bitmaps are made from
and read into a byte per slot (0 or 1, "flags") with C-level passes only: ``translate``,
reversal and ``int(..., 2)`` one way, ``format(..., "b")`` the other.

The search index's bitmaps of common tokens and prefixes, and their rule, are
``paperterm.postings``'.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import compress, repeat
from typing import Final

_TO_DIGITS: Final = bytes.maketrans(b"\x00\x01", b"01")
_TO_FLAGS: Final = bytes.maketrans(b"01", b"\x00\x01")


def from_flags(flags: bytes | bytearray) -> int:
    """The bitmap of a flag per slot (0 or 1): bit i is ``flags[i]``."""
    return int(flags.translate(_TO_DIGITS)[::-1], 2) if flags else 0


def to_flags(bits: int, count: int) -> bytes:
    """The flags (0 or 1, one a slot, ``count`` of them) of a bitmap below ``1 << count``."""
    flags = format(bits, "b").encode("ascii")[::-1].translate(_TO_FLAGS)
    return flags + bytes(count - len(flags))


def slots_of(bits: int, slots: Sequence[int]) -> Iterator[int]:
    """The slots of a bitmap, ascending, as the items of ``slots`` (slot -> the int that
    stands for it; its length is the slot count)."""
    return compress(slots, to_flags(bits, len(slots)))


def from_slots(slots: Iterable[int], count: int) -> int:
    """The bitmap of slots (all below ``count``)."""
    flags = bytearray(count)
    deque(map(flags.__setitem__, slots, repeat(1)), maxlen=0)
    return from_flags(flags)


@cache
def pick(number: int) -> bytes:
    """A ``translate`` table that maps the byte ``number`` to 1 and every other byte to 0."""
    return bytes(byte == number for byte in range(256))

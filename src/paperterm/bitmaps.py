"""Sets of slots as Python ints (bit i stands for slot i), and the search index's saved ones.

A bitmap of 100,000 slots is 12.5 KB, and ``&``, ``|`` and ``~`` over it take microseconds,
where the same on sets of tens of thousands of ints takes milliseconds. Bitmaps are made from
and read into a byte per slot (0 or 1, "flags") with C-level passes only: ``translate``,
reversal and ``int(..., 2)`` one way, ``format(..., "b")`` the other.

``common_bitmaps`` makes the bitmaps the index saves (see ``SearchIndex.make_prefix_bits``).
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from functools import cache
from itertools import compress, repeat
from typing import Final

PREFIX_LENGTHS: Final = (2, 3)
MIN_SHARE: Final = 16  # a prefix or token gets a bitmap when 1/16 of the papers have it
WHOLE: Final = "="  # a whole token's bitmap is saved under "=" + token (a prefix's: as is)

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


def common_bitmaps(
    postings: MutableMapping[str, array[int]],
    old: Mapping[str, int],
    count: int,
    slots: Sequence[int],
) -> dict[str, int]:
    """The bitmaps of the slots under each common 2- and 3-character token prefix, and of
    each common token (under ``WHOLE + token``), for ``count`` slots; "common" is held by
    1/``MIN_SHARE`` of them.

    ``postings`` (token -> ascending slots) is rewritten to match: a common token's postings
    become empty, its slots being in its bitmap. ``old`` are the bitmaps made last time,
    whose tokens' postings hold only the later slots: a token common then and no longer
    gets its slots back (``slots`` maps a slot to the int that stands for it).
    """
    least = max(count // MIN_SHARE, 1)
    sizes = {token: len(found) for token, found in postings.items()}
    for key, value in old.items():
        if key.startswith(WHOLE):
            sizes[key[1:]] += value.bit_count()
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

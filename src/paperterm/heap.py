"""The cyclic garbage collector around bulk work: paused while it runs, and the long-lived
heap hidden from it once loaded.

Loading or indexing 100,000 papers makes millions of small objects with no cycle among
them; every collection meanwhile would walk them all again, for nothing. Reference
counting still frees them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside (it is left off if it already was)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle_heap() -> None:
    """Collect garbage, then hide what is left from the cyclic collector for good.

    Call it once the papers and the index are loaded: they live as long as the session, and
    every full collection would otherwise walk them all (several objects per paper: a pause
    the user feels in the middle of a keystroke). Reference counting still frees them when
    they are dropped (a reload, another user): they hold no cycles. What an earlier call
    froze is looked at again, so objects with cycles dropped since then are not kept.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()

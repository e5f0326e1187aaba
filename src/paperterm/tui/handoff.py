"""A value handed to one thread worker and let go of as soon as the worker takes it.

Textual keeps a worker's arguments for as long as the worker object lives, and a finished
worker is freed only by the cyclic garbage collector (it is part of a reference cycle). A
search snapshot holds every paper of the store: kept by each finished search of a typed
query, they piled up until a full collection, and every collection meanwhile walked them
all, in the middle of the next keystrokes. Passed in a ``Handoff``, the snapshot lives only
while the worker uses it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Handoff(Generic[T]):
    """Holds ``value`` until ``take`` is called once."""

    __slots__ = ("_value",)

    def __init__(self, value: T) -> None:
        self._value: T | None = value

    def take(self) -> T:
        """The value, no longer held here. Raises RuntimeError when already taken."""
        value, self._value = self._value, None
        if value is None:
            raise RuntimeError("the value was already taken")
        return value

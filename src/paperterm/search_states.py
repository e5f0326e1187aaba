"""The search index's state terms (``is:``, ``tag:``, ``has:note``, ``has:tags``): which
slots the user's states put in or out, kept while the states stay the same."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from paperterm.model import DEFAULT_STATE, Paper, PaperState
from paperterm.query_model import FieldTerm

_NO_PAPER: Final = Paper(id="", title="", abstract="", links=(), dates=())


class StateFilter:
    """State terms over the live slots of ``slot_of`` (id -> slot: the index's own dict)."""

    def __init__(self, slot_of: Mapping[str, int]) -> None:
        self._slot_of = slot_of
        # the last state terms, the states they were applied to, and the slots that differ
        self._hits: tuple[tuple[FieldTerm, ...], dict[str, PaperState], set[int]] | None = None

    def changed(self) -> None:
        """The index's slots changed: forget the last answer."""
        self._hits = None

    def apply(
        self,
        terms: list[FieldTerm],
        states: Mapping[str, PaperState],
        include: set[int] | None,
        exclude: set[int],
    ) -> set[int] | None:
        """Narrow ``include`` (or grow ``exclude``) by the terms that look at the user's state.

        State terms look at the state only, never at the paper. Only the ids in ``states``
        can differ from the default state, so only they are visited; and while the user
        types, the states are those of the last keystroke: the slots found are kept until
        the terms or the states change (comparing the states is C-level, as they are the
        same objects).
        """
        default_holds = all(t.matches(_NO_PAPER, DEFAULT_STATE) for t in terms)
        key = tuple(terms)
        cached = self._hits
        if cached is not None and cached[0] == key and cached[1] == states:
            differ = cached[2]
        else:
            differ = set()
            slot_of = self._slot_of
            for paper_id, state in states.items():
                slot = slot_of.get(paper_id)
                if slot is not None and all(
                    t.matches(_NO_PAPER, state) for t in terms
                ) != default_holds:
                    differ.add(slot)
            self._hits = (key, dict(states), differ)
        if default_holds:
            exclude |= differ
            return include
        return differ if include is None else include & differ

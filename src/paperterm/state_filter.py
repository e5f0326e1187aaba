"""Which papers a filter can match judging by the user's states alone.

``is:starred``, ``tag:NAME``, ``has:note`` ... hold only for papers with a non-default
state, and the store keeps only those states: such a query need look at those papers only
(``Store.entries_of``), not at every paper. Pure: model and query only.
"""

from __future__ import annotations

from collections.abc import Mapping

from paperterm.model import Paper, PaperState
from paperterm.query import HasTerm, IsTerm, Query, TagTerm, Term

_NO_PAPER = Paper("", "", "", (), ())
"""What a state-only term is given for its paper (it never looks at it)."""


def _state_only(term: Term) -> bool:
    """True for a term decided by the state alone."""
    return isinstance(term, IsTerm | TagTerm) or (
        isinstance(term, HasTerm) and term.value in ("note", "tags")
    )


def _needs_a_state(term: Term) -> bool:
    """True for a state-only term that no default state satisfies."""
    if isinstance(term, IsTerm):
        return (term.value in ("starred", "read")) != term.negated
    return isinstance(term, TagTerm | HasTerm) and not term.negated


def state_candidates(query: Query, states: Mapping[str, PaperState]) -> list[str] | None:
    """The ids whose states satisfy ``query``'s state-only terms, when some such term needs
    a non-default state (the other terms still have to be checked on the papers); None
    when any paper may match (free words, or no term of that kind)."""
    if query.has_free_words:
        return None
    terms = [t for t in query.terms if _state_only(t)]
    if not any(_needs_a_state(t) for t in terms):
        return None
    if len(terms) == 1:  # the usual case (is:starred, tag:NAME): one call per state
        matches = terms[0].matches
        return [pid for pid, state in states.items() if matches(_NO_PAPER, state)]
    return [pid for pid, state in states.items() if all(t.matches(_NO_PAPER, state) for t in terms)]

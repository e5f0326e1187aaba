"""Finding papers: one parsed query over papers and their states, in one order.

The reader (``Triage.search``) and ``paperterm list`` both call ``find_ids``; they differ
only in which index they hand it: the reader's live one once it is loaded, the CLI's from
the cache file when the query needs one (``wants_index``), else none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import islice
from operator import attrgetter
from typing import TYPE_CHECKING

from paperterm.model import Paper, PaperState
from paperterm.query import AuthorTerm, Query
from paperterm.sorting import Sort, sorted_ids

if TYPE_CHECKING:  # rapidfuzz, which the index imports, is slow to import
    from paperterm.search import SearchIndex

_DEFAULT = PaperState()


def wants_index(query: Query) -> bool:
    """True when the query is better answered by the search index: free words (ranked), or
    ``author:`` (fuzzy, matched once per distinct name there rather than once per paper)."""
    return query.has_free_words or any(isinstance(term, AuthorTerm) for term in query.terms)


def find_ids(
    query: Query,
    papers: Sequence[Paper],
    states: Mapping[str, PaperState],
    *,
    index: SearchIndex | None = None,
    sort: Sort = "relevance",
    limit: int | None = None,
) -> list[str]:
    """The ids of the ``papers`` (newest first) matching ``query``, in ``sort``'s order,
    the first ``limit`` of them.

    Without free words the order is newest digest first; with them, best match first
    (which needs ``index``). ``for-you`` keeps the search's order here: it needs the
    user's profile, which the caller holds.
    """
    keeps_order = sort in ("relevance", "for-you") or (
        sort == "date" and not query.has_free_words
    )
    early = limit if keeps_order else None  # a sort needs every match before it can cut
    if query.is_empty:  # every paper, newest first: no need to look at any
        ids = list(map(attrgetter("id"), islice(papers, early)))
    elif index is not None:
        ids = index.search(query, states)[:early]
    else:
        matching = (
            paper.id
            for paper in papers
            if query.matches_filters(paper, states.get(paper.id, _DEFAULT))
        )
        ids = list(islice(matching, early))
    if keeps_order:
        return ids
    return sorted_ids(ids, {paper.id: paper for paper in papers}, sort)[:limit]

"""The search index's sets of slots by what a paper is besides its words: digest dates and
code links (``date:``, ``has:code``), authors and arXiv ids and upvotes (``author:``,
``arxiv:``, ``upvotes:``). Each kind is made on the first query that needs it, not at
every start, and kept up to date by ``link`` from then on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from paperterm.folding import fold
from paperterm.lru import Lru
from paperterm.model import NO_META, Paper, arxiv_key
from paperterm.query_model import (
    AUTHOR_CUTOFF,
    AUTHOR_FUZZY_LEN,
    ArxivTerm,
    AuthorTerm,
    DateTerm,
    MetaTerm,
    UpvotesTerm,
)


class Facets:
    """Slots by date, code link and metadata over ``papers`` (slot -> paper, None for a
    tombstone: the index's own list, which grows as it adds papers)."""

    def __init__(self, papers: Sequence[Paper | None]) -> None:
        self._papers = papers
        self._linked = False  # _by_date and _code: made on the first date: or has:code
        self._by_date: dict[dt.date, set[int]] = {}
        self._code: set[int] = set()
        self._meta_ready = False  # the metadata sets: made on the first metadata term
        self._with_meta: set[int] = set()
        self._by_author: dict[str, set[int]] = {}
        self._by_arxiv: dict[str, set[int]] = {}
        self._author_hits: Lru[list[str]] = Lru()  # folded name -> author names it matches

    def link(self, slot: int, paper: Paper | None, sign: int) -> None:
        """Enter (+1) or remove (-1) the slot in every set made so far."""
        if paper is None:
            return
        sets: list[set[int]] = []
        if self._linked:
            sets += [self._by_date.setdefault(day, set()) for day in paper.dates]
            if paper.code_url is not None:
                sets.append(self._code)
        meta = paper.meta
        if self._meta_ready and meta is not NO_META:
            sets.append(self._with_meta)
            sets += [self._by_author.setdefault(fold(name), set()) for name in meta.authors]
            if meta.arxiv_id:
                sets.append(self._by_arxiv.setdefault(arxiv_key(meta.arxiv_id), set()))
        for slots in sets:
            if sign > 0:
                slots.add(slot)
            else:
                slots.discard(slot)

    def changed(self) -> None:
        """Papers were added or replaced: forget what was matched against the old ones."""
        self._author_hits.clear()

    def _ensure(self, *, links: bool = False, meta: bool = False) -> None:
        todo = (links and not self._linked, meta and not self._meta_ready)
        if not any(todo):
            return
        linked, meta_ready = self._linked, self._meta_ready
        # link() enters a slot in every kind made: make only the new kind(s) here
        self._linked, self._meta_ready = todo
        for slot, paper in enumerate(self._papers):
            self.link(slot, paper, +1)
        self._linked, self._meta_ready = linked or todo[0], meta_ready or todo[1]

    def dated(self, term: DateTerm) -> set[int]:
        """The slots with a digest date the term accepts (negation not applied)."""
        self._ensure(links=True)
        return set().union(*(s for d, s in self._by_date.items() if term.accepts(d)))

    def with_code(self) -> set[int]:
        """The slots with a code link."""
        self._ensure(links=True)
        return self._code

    def meta_hits(self, term: MetaTerm) -> set[int]:
        """The slots whose paper satisfies a metadata term (negation not applied)."""
        self._ensure(meta=True)
        if isinstance(term, UpvotesTerm):
            papers, accepts = self._papers, term.accepts
            return {
                s for s in self._with_meta
                if (p := papers[s]) is not None and accepts(p.meta.upvotes)
            }  # fmt: skip
        if isinstance(term, ArxivTerm):
            groups = [v for k, v in self._by_arxiv.items() if k.startswith(term.prefix)]
        else:
            groups = [self._by_author[name] for name in self._authors_matching(term)]
        return set().union(*groups)

    def _authors_matching(self, term: AuthorTerm) -> list[str]:
        """The folded author names ``term`` matches (``query.author_matches``, over the
        distinct names at once: rapidfuzz's C loop rather than one call per paper)."""
        name = term.folded

        def make() -> list[str]:
            names = [a for a, slots in self._by_author.items() if slots]
            hits = {a for a in names if name in a}
            if len(name) >= AUTHOR_FUZZY_LEN:
                found = process.extract(name, names, scorer=fuzz.partial_ratio,
                                        score_cutoff=AUTHOR_CUTOFF, limit=None)  # fmt: skip
                hits.update(choice for choice, _score, _index in found)
            return sorted(hits)

        return self._author_hits.get(name, make, lambda names: len(names) + 1)

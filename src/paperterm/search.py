"""The search index: fuzzy, prefix-aware, ranked free-word search plus the query's filters.

Title and abstract are folded (``folding.fold``) and tokenized into postings (``postings``:
token -> ascending slots, a slot being a paper's small int; common tokens and prefixes keep
bitmaps instead); phrases are checked in the folded ``title\\nabstract`` of the candidates
the tokens leave. Which tokens a typed word stands for and how each scores is
``search_words``: a paper matches when every token matches its title or abstract, and results
come by total score (more title matches always first), then newest digest first
(``search_order``).

Per token, the matching papers are kept as a few disjoint bitmaps of equal score (Python
ints, bit i for slot i; cached until the next ``add``), so combining tokens and filters is a
few big-int ``&``, never a Python loop over papers; the groups of equal score are then read
out in newest-first order by one C-level walk (``Order.walk``). Filters are sets
(``search_facets`` for dates, code links and metadata), turned into bitmaps when words are
ranked; what the state filters select is kept while the states stay the same (the
keystrokes of one query).

What the index holds per slot, and how papers are added, saved and loaded, is
``search_slots.IndexedPapers``; ``IndexParts`` is what ``paperterm.index_cache`` saves, so that
an index is built once, not at every start; an index ``from_file`` answers words and state
filters from the cache file without the papers.
Not thread-safe: build it in a worker if you like, then use it from one thread at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import chain, compress, filterfalse
from typing import Final

from paperterm.bitmaps import from_slots, slots_of
from paperterm.folding import haystack
from paperterm.model import PaperState
from paperterm.query_model import META_TERMS, DateTerm, FieldTerm, HasTerm, Phrase, Query, Word
from paperterm.search_slots import IndexedPapers, IndexParts
from paperterm.search_words import levels_count

__all__ = ["IndexParts", "SearchIndex", "needs_papers"]

WALK_SHARE: Final = 8  # results holding 1/8 of the papers are ordered by a walk, not a sort


def needs_papers(query: Query) -> bool:
    """Whether answering ``query`` looks at papers beyond their words: phrases, dates, code
    links and metadata do; free words (negated too) and the user's state terms do not."""
    return any(
        isinstance(term, (Phrase, DateTerm, *META_TERMS))
        or (isinstance(term, HasTerm) and term.value == "code")
        for term in query.terms
    )



class SearchIndex(IndexedPapers):
    """Free-word search and filtering over papers; see the module docstring for the design."""

    # ------------------------------------------------------------------ searching

    def search(self, query: Query, states: Mapping[str, PaperState]) -> list[str]:
        """Ids of the papers matching every term of the query.

        In relevance order when the query has free words, else newest digest first.
        ``states`` maps ids to the user's state; a missing id means the default state.
        An index ``from_file`` answers only queries that do not ``needs_papers``.
        """
        if self._mapped and needs_papers(query):
            raise ValueError("an index read from its cache file cannot answer this query")
        self._ensure_vocab()
        order = self._ensure_order()
        words = self._words
        include: set[int] | None = None  # None: every live paper
        exclude: set[int] = set()
        phrases: list[Phrase] = []
        state_terms: list[FieldTerm] = []
        for term in query.terms:
            found: set[int] | None = None
            if isinstance(term, Word):
                if term.negated and term.tokens:
                    sets = [words.prefix_set(t) for t in term.tokens]
                    exclude |= sets[0].intersection(*sets[1:])
            elif isinstance(term, Phrase):
                phrases.append(term)
                if not term.negated:
                    found = words.phrase_candidates(term.folded)
            elif isinstance(term, DateTerm):
                found = self._facets.dated(term)
            elif isinstance(term, HasTerm) and term.value == "code":
                found = self._facets.with_code()
            elif isinstance(term, META_TERMS):
                found = self._facets.meta_hits(term)
            else:
                state_terms.append(term)
            if found is not None:
                if term.negated:
                    exclude |= found
                else:
                    include = found if include is None else include & found
        if state_terms:
            include = self._states.apply(state_terms, states, include, exclude)
        if query.has_free_words:
            return self._ranked(query.free_tokens, include, exclude, phrases)
        ranks: Iterable[int] = range(len(order))
        if include is not None:
            ranks = sorted(map(order.rank.__getitem__, include - exclude))
        elif exclude and not phrases and len(exclude) * 8 < len(order):
            # Few exclusions (is:unread): copy the slices of the order between them.
            ids, kept, start = order.ids, [], 0
            for rank in sorted(map(order.rank.__getitem__, exclude)):
                kept += ids[start:rank]
                start = rank + 1
            return kept + ids[start:]
        elif exclude:
            ranks = map(order.rank.__getitem__, filterfalse(exclude.__contains__, order.slots))
        return order.ids_of(self._filter_phrases(ranks, phrases))

    def _ranked(
        self,
        tokens: tuple[str, ...],
        include: set[int] | None,
        exclude: set[int],
        phrases: list[Phrase],
    ) -> list[str]:
        """Ids matching every token (and the filters), best score first, then newest first.

        Hits are kept in groups of equal score: each further token splits every group by the
        token's score levels, with big-int ``&`` only; the groups are then read out best score
        first, newest first within a score (``Order.walk`` when they hold many papers).
        """
        order = self._ensure_order()
        all_levels = sorted((self._words.levels(t) for t in tokens), key=levels_count)
        count = len(self._papers)
        wanted = -1 if include is None else from_slots(include, count)
        if exclude:
            wanted &= ~from_slots(exclude, count)
        groups = [(score, both) for score, bits in all_levels[0] if (both := bits & wanted)]
        for levels in all_levels[1:]:
            groups = [
                (score + more, both)
                for score, bits in groups
                for more, other in levels
                if (both := bits & other)
            ]
        merged: dict[int, int] = {}
        for score, bits in groups:
            merged[score] = merged.get(score, 0) | bits
        ranked = [merged[score] for score in sorted(merged, reverse=True)]
        hits = sum(map(int.bit_count, ranked))
        if hits > len(order) // WALK_SHARE and len(ranked) < 256:
            picks = order.walk(ranked)
            if not phrases:
                return list(chain.from_iterable(compress(order.ids, p) for p in picks))
            everywhere = range(len(order))
            ranks: Iterable[int] = chain.from_iterable(compress(everywhere, p) for p in picks)
        else:
            ranks = []
            for bits in ranked:
                ranks += sorted(map(order.rank.__getitem__, slots_of(bits, self._ints)))
        return order.ids_of(self._filter_phrases(ranks, phrases))

    def _filter_phrases(self, ranks: Iterable[int], phrases: list[Phrase]) -> Iterable[int]:
        """The ranks (order kept) whose paper's haystack satisfies every phrase term.

        The haystacks are folded here, for the candidates only, rather than kept.
        """
        if not phrases:
            return ranks
        papers, slots = self._papers, self._ensure_order().slots
        hays = {r: haystack(papers[slots[r]]) for r in ranks}  # type: ignore[arg-type]
        for phrase in phrases:
            folded, negated = phrase.folded, phrase.negated
            hays = {r: hay for r, hay in hays.items() if (folded in hay) != negated}
        return list(hays)


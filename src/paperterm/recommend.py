"""Related papers and the "for you" order over a store, for the CLI and the reader.

``Recommender`` holds the term vectors (``paperterm.terms``, loaded from or saved to their
cache file by ``paperterm.term_cache``) and the current user's "for you" profile
(``paperterm.ranking``). It reads only what it is given (papers, states), never the store,
so the reader can build and train it in a worker from a snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from paperterm.model import Paper, PaperState
from paperterm.ranking import Profile, TooFewStars, rank, related, train
from paperterm.term_cache import open_terms, terms_path
from paperterm.terms import TermVectors

FOR_YOU: Final = "for-you"
"""The name of the "for you" sort (``paperterm.sorting.SORTS``)."""


@dataclass(frozen=True, slots=True)
class RelatedPaper:
    """A related paper: the paper, its similarity, and why (shared terms and authors)."""

    paper: Paper
    score: float
    terms: tuple[str, ...]
    authors: tuple[str, ...]

    @property
    def reason(self) -> str:
        """The reason in a few words: ``shared: replay, forgetting; same authors: A. Lee``."""
        parts = []
        if self.terms:
            parts.append("shared: " + ", ".join(self.terms))
        if self.authors:
            parts.append("same authors: " + ", ".join(self.authors[:2]))
        return "; ".join(parts) or "similar wording"


class Recommender:
    """Term vectors of a store's papers and a user's profile over them. Thread-safe."""

    def __init__(self, data_dir: Path | None) -> None:
        self.path = terms_path(data_dir) if data_dir is not None else None
        self._vectors: TermVectors | None = None
        self._profile: Profile | None = None
        self._profile_error: str | None = "for you: not trained yet"
        self._lock = threading.Lock()

    @property
    def cached(self) -> bool:
        """True when the term vectors' cache file exists (``prepare`` then loads it)."""
        return self.path is not None and self.path.is_file()

    @property
    def ready(self) -> bool:
        """True once the term vectors are loaded (``prepare``)."""
        return self._vectors is not None

    def prepare(self, papers: Sequence[Paper]) -> TermVectors:
        """Load or build the term vectors of ``papers`` (seconds at 100,000 without a cache
        file: call it from a worker); papers added since are added."""
        with self._lock:
            vectors = self._vectors
        if vectors is not None and len(vectors) == len(papers):
            return vectors
        vectors = open_terms(papers, self.path) if vectors is None else _copy_with(vectors, papers)
        with self._lock:
            self._vectors = vectors
        return vectors

    def share_vectors(self, other: Recommender) -> None:
        """Use ``other``'s term vectors (another user's session over the same store); the
        profile stays this user's."""
        with other._lock:
            vectors = other._vectors
        with self._lock:
            if self._vectors is None:
                self._vectors = vectors

    def related(self, paper: Paper, papers: Sequence[Paper], limit: int = 10) -> list[RelatedPaper]:
        """The papers most similar to ``paper`` among ``papers`` (the store's), best first."""
        vectors = self.prepare(papers)
        by_id = {p.id: p for p in papers}
        found: list[RelatedPaper] = []
        mine = {a.casefold(): a for a in paper.meta.authors}
        for hit in related(vectors, paper, limit):
            other = by_id.get(hit.paper_id)
            if other is None:
                continue
            authors = tuple(mine[a.casefold()] for a in other.meta.authors if a.casefold() in mine)
            found.append(RelatedPaper(other, hit.score, hit.terms, authors))
        return found

    def train(self, states: Mapping[str, PaperState], papers: Sequence[Paper]) -> str | None:
        """Learn the user's profile from their marks; returns why not when it cannot (too few
        stars), else None. Grows with the store: the reader runs it in a worker."""
        vectors = self.prepare(papers)
        by_id = {p.id: p for p in papers}
        try:
            profile: Profile | None = train(vectors, states, by_id)
            error = None
        except TooFewStars as reason:
            profile, error = None, str(reason)
        with self._lock:
            self._profile, self._profile_error = profile, error
        return error

    @property
    def trained(self) -> bool:
        """True when a profile is there to rank by."""
        return self._profile is not None

    @property
    def why_not(self) -> str | None:
        """Why there is no profile (too few stars, not trained yet), or None."""
        return self._profile_error

    def forget_profile(self) -> None:
        """Drop the profile (another user's session)."""
        with self._lock:
            self._profile, self._profile_error = None, "for you: not trained yet"

    def for_you(self, papers: Sequence[Paper]) -> list[str] | None:
        """The papers' ids by resemblance to the profile, or None without a profile."""
        with self._lock:
            profile, vectors = self._profile, self._vectors
        if profile is None or vectors is None:
            return None
        return rank(profile, vectors, papers)


def _copy_with(vectors: TermVectors, papers: Sequence[Paper]) -> TermVectors:
    """Vectors holding ``papers`` too, leaving ``vectors`` untouched for readers meanwhile."""
    grown = TermVectors(
        ids=list(vectors.ids), lengths=vectors.lengths[:], vocab=list(vectors.vocab),
        df=vectors.df[:], flat=vectors.flat[:], tfs=vectors.tfs[:],
        offsets=vectors.offsets[:], singles=vectors.singles[:], slot=dict(vectors.slot),
        token_id=dict(vectors.token_id),
    )  # fmt: skip
    grown.add(papers)
    return grown

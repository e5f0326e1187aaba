"""Related papers and the "for you" order, over tf-idf term vectors (``paperterm.terms``).

*Related papers* are the papers of highest cosine similarity to one paper. Comparing it with
every paper would touch every token of the store; instead its ``QUERY_TERMS`` most telling
tokens that are rare (postings of at most a few per cent of the papers) name the
candidates, the ``CANDIDATES`` best of which are then scored by their full cosine. The
reason shown is the shared tokens of highest weight.

*For you* is a Rocchio profile, the classic relevance-feedback model: the mean vector of the
papers the user starred or tagged (a note counts half), minus ``NEGATIVE_WEIGHT`` times the
mean vector of the papers they marked read without starring, tagging or annotating. A
paper's score is its vector's dot product with the profile; a view is sorted by score, ties
kept in their order. ``benchmarks/ranking.py`` measures it against a linear SVM over
scikit-learn's tf-idf (arxiv-sanity-lite's model), the default order and random.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import mul
from typing import Final

from paperterm.heap import no_gc
from paperterm.model import Paper, PaperState
from paperterm.terms import TermVectors

QUERY_TERMS: Final = 40
CANDIDATES: Final = 300
REASON_TERMS: Final = 3
MIN_POSITIVES: Final = 3
NOTE_WEIGHT: Final = 0.5
NEGATIVE_WEIGHT: Final = 0.25


@dataclass(frozen=True, slots=True)
class Related:
    """A paper similar to another: its id, cosine similarity and shared key terms."""

    paper_id: str
    score: float
    terms: tuple[str, ...]


def related(vectors: TermVectors, paper: Paper, limit: int = 10) -> list[Related]:
    """The ``limit`` papers most similar to ``paper``, most similar first (never itself)."""
    tokens, norm = vectors.vector_of(paper)
    idf, postings = vectors.idf, vectors.postings
    # the query: token id -> its weight times idf, over the norm (a candidate's score is
    # then the sum over its tokens of this times its term frequency, over its norm)
    query = {n: tf * idf[n] * idf[n] / norm for n, tf in tokens.items() if idf[n] > 0}
    rare = [n for n in query if n in postings]
    votes: dict[int, float] = {}
    get = votes.get
    for number in heapq.nlargest(QUERY_TERMS, rare, key=query.__getitem__):
        weight = query[number]
        for slot in postings[number]:
            votes[slot] = get(slot, 0.0) + weight
    own = vectors.slot.get(paper.id)
    if own is not None:
        votes.pop(own, None)
    norms, tokens_of, tfs_of = vectors.norms, vectors.tokens_of, vectors.tfs_of
    weight_of = query.get
    scored: list[tuple[float, int]] = []
    for slot in heapq.nlargest(CANDIDATES, votes, key=votes.__getitem__):
        score = sum(map(mul, map(weight_of, tokens_of(slot), repeat(0.0)), tfs_of(slot)))
        scored.append((score / norms[slot], -slot))
    found: list[Related] = []
    for score, negated in heapq.nlargest(max(limit, 0), scored):
        slot = -negated
        shared = {
            n: query[n] * tf for n, tf in zip(tokens_of(slot), tfs_of(slot), strict=True)
            if n in query
        }  # fmt: skip
        terms = heapq.nlargest(REASON_TERMS, shared, key=shared.__getitem__)
        found.append(Related(vectors.ids[slot], score, tuple(vectors.vocab[t] for t in terms)))
    return found


@dataclass(frozen=True, slots=True)
class Profile:
    """A user's "for you" model: per token id, the score one occurrence adds."""

    weights: list[float]
    positives: int
    negatives: int


class TooFewStars(ValueError):
    """Raised by ``train`` when the user starred or tagged too few papers to learn from."""

    def __init__(self, positives: int) -> None:
        super().__init__(
            f"for you: star or tag at least {MIN_POSITIVES} papers to rank by "
            f"(so far {positives}); showing the default order"
        )
        self.positives = positives


def label(state: PaperState) -> float:
    """How much a paper in this state tells of the user's interest: 1 (starred or tagged),
    ``NOTE_WEIGHT`` (a note only), -1 (read and nothing more), 0 (no sign)."""
    if state.starred or state.tags:
        return 1.0
    if state.note.strip():
        return NOTE_WEIGHT
    return -1.0 if state.read else 0.0


def train(
    vectors: TermVectors, states: Mapping[str, PaperState], papers: Mapping[str, Paper]
) -> Profile:
    """The Rocchio profile of the user whose ``states`` these are; raises ``TooFewStars``.

    ``papers`` maps ids to papers, for papers the vectors do not hold yet.
    """
    weights = [0.0] * len(vectors.vocab)
    sums = {True: 0.0, False: 0.0}
    rows: list[tuple[float, dict[int, float], float]] = []
    positives = negatives = 0
    for paper_id, state in states.items():
        weight = label(state)
        if weight == 0:
            continue
        paper = papers.get(paper_id)
        if paper is None:
            continue
        tokens, norm = vectors.vector_of(paper)
        rows.append((weight, tokens, norm))
        sums[weight > 0] += abs(weight)
        if weight >= 1:
            positives += 1
        elif weight < 0:
            negatives += 1
    if positives < MIN_POSITIVES:
        raise TooFewStars(positives)
    idf = vectors.idf
    for weight, tokens, norm in rows:
        share = weight / sums[True] if weight > 0 else NEGATIVE_WEIGHT * weight / sums[False]
        for number, tf in tokens.items():
            # the profile's weight times the token's idf: a paper's score is then the sum of
            # its tokens' entries times their term frequency, over its norm
            weights[number] += share * tf * idf[number] * idf[number] / norm
    return Profile(weights, positives, negatives)


def scores(profile: Profile, vectors: TermVectors, papers: Sequence[Paper]) -> list[float]:
    """Each paper's resemblance to the profile (the cosine-weighted dot product)."""
    with no_gc():  # a few short-lived objects per paper, none cyclic: no collections meanwhile
        return _scores(profile, vectors, papers)


def _scores(profile: Profile, vectors: TermVectors, papers: Sequence[Paper]) -> list[float]:
    weights = profile.weights
    if len(weights) < len(vectors.vocab):  # tokens of papers added since training
        weights = weights + [0.0] * (len(vectors.vocab) - len(weights))
    get = weights.__getitem__
    slot_of, norms = vectors.slot.get, vectors.norms
    flat, tfs, offsets, singles = vectors.flat, vectors.tfs, vectors.offsets, vectors.singles
    found: list[float] = []
    for paper in papers:
        slot = slot_of(paper.id)
        if slot is not None:
            start, end = offsets[slot], offsets[slot + 1]
            more = start + singles[slot]  # tokens seen once come first: no multiplication
            score = sum(map(get, flat[start:more]))
            score += sum(map(mul, map(get, flat[more:end]), tfs[more:end]))
            found.append(score / norms[slot])
        else:
            tokens, norm = vectors.vector_of(paper)
            found.append(sum(map(mul, map(get, tokens), tokens.values())) / norm)
    return found


def rank(profile: Profile, vectors: TermVectors, papers: Sequence[Paper]) -> list[str]:
    """The papers' ids by resemblance to the profile, best first; ties keep their order."""
    found = scores(profile, vectors, papers)
    order = sorted(range(len(papers)), key=found.__getitem__, reverse=True)
    # sorted is stable, but reverse=True keeps equal keys in their order too
    return [papers[i].id for i in order]

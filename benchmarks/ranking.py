"""Related papers and the "for you" order: their quality on a labelled set, their speed.

Quality, on the bundled sample digests with the hand-made topic groups of ``topics.json``:

* **for you**: per group (of 6 or more) and seed, half the group (at least 3) is starred, 20
  papers outside it are marked read, and the rest of the store is ranked; the figure is the
  held-out members' mean rank (1 = top; lower is better) among the papers ranked;
* **related**: for every grouped paper, the share of its 10 most related papers that are
  of its group (precision@10; a group of g papers allows at most (g-1)/10).

Each beside the default order (newest digest first), random, and the alternatives measured
in the same run: exact cosine over every paper (the naive related), and scikit-learn's
``TfidfVectorizer`` with a ``LinearSVC`` (arxiv-sanity-lite's model and parameters, but
``min_df``/``max_df`` fitted to a small store), when scikit-learn is installed.

Speed, at ``--size`` papers of the synthetic corpus (``corpus.py``): building and loading the
term vectors, related papers for one paper, training on the corpus's marks, ranking a day
and the whole store; beside brute-force related and sorting by date, and scikit-learn.

    .venv/bin/python benchmarks/ranking.py [--size 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corpus import make_digests, pick_states

from paperterm.digest import paper_id, paper_key, read_digest_file
from paperterm.model import Paper, PaperState, newest_first_key
from paperterm.paths import sample_digest_paths
from paperterm.ranking import rank, related, train
from paperterm.term_cache import read_terms, write_terms
from paperterm.terms import TermVectors

TOPICS = Path(__file__).with_name("topics.json")
SEEDS = 5
NEGATIVES = 20
K = 10


def sample_papers() -> list[Paper]:
    """The sample digests' papers, one per id, newest digest first."""
    found: dict[str, Paper] = {}
    for path in sample_digest_paths():
        digest = read_digest_file(path)
        for position, paper in enumerate(digest.papers):
            pid = paper_id(paper_key(paper.title))
            old = found.get(pid)
            dates = (digest.date, *old.dates) if old else (digest.date,)
            found[pid] = Paper(pid, paper.title, paper.abstract, paper.links,
                               tuple(sorted(dates)), position)  # fmt: skip
    return sorted(found.values(), key=lambda p: (newest_first_key(p), p.id))


def load_groups() -> dict[str, list[str]]:
    data = json.loads(TOPICS.read_text(encoding="utf-8"))
    return {name: [m["id"] for m in members] for name, members in data["groups"].items()}


Ranker = Callable[[dict[str, PaperState], list[Paper]], list[str]]


def ours(vectors: TermVectors, by_id: dict[str, Paper]) -> Ranker:
    def ranker(states: dict[str, PaperState], pool: list[Paper]) -> list[str]:
        return rank(train(vectors, states, by_id), vectors, pool)

    return ranker


def default_order(states: dict[str, PaperState], pool: list[Paper]) -> list[str]:
    return [p.id for p in pool]  # the pool is in the default order already


def random_order(seed: int) -> Ranker:
    def ranker(states: dict[str, PaperState], pool: list[Paper]) -> list[str]:
        ids = [p.id for p in pool]
        random.Random(seed).shuffle(ids)
        return ids

    return ranker


class Sklearn:
    """arxiv-sanity-lite's model: tf-idf of words and bigrams, a linear SVM per user."""

    def __init__(self, papers: Sequence[Paper], *, small: bool) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer: Any = TfidfVectorizer(
            strip_accents="unicode", lowercase=True, analyzer="word", stop_words="english",
            token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", ngram_range=(1, 2),
            max_features=20000, norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True,
            max_df=0.5 if small else 0.1, min_df=2 if small else 5,
        )  # fmt: skip
        self.matrix: Any = self.vectorizer.fit_transform(
            [f"{p.title}. {p.abstract}" for p in papers]
        )
        self.row = {p.id: i for i, p in enumerate(papers)}

    def ranker(self, states: dict[str, PaperState], pool: list[Paper]) -> list[str]:
        scores = self.scores(states, pool)
        order = sorted(range(len(pool)), key=scores.__getitem__, reverse=True)
        return [pool[i].id for i in order]

    def scores(self, states: dict[str, PaperState], pool: Sequence[Paper]) -> list[float]:
        from sklearn.svm import LinearSVC

        liked = {pid for pid, s in states.items() if s.starred or s.tags}
        # as arxiv-sanity-lite: the user's papers against every other paper
        labels = [1 if pid in liked else 0 for pid in self.row]
        model: Any = LinearSVC(class_weight="balanced", max_iter=10000, tol=1e-6, C=0.01)
        model.fit(self.matrix, labels)
        rows = [self.row[p.id] for p in pool]
        return [float(x) for x in model.decision_function(self.matrix[rows])]

    def related(self, pid: str, limit: int) -> list[str]:
        row = self.row[pid]
        sims = (self.matrix @ self.matrix[row].T).toarray().ravel()
        sims[row] = -1.0
        ids = list(self.row)
        best = sorted(range(len(ids)), key=lambda i: -sims[i])[:limit]
        return [ids[i] for i in best]


def exact_related(vectors: TermVectors, paper: Paper, limit: int) -> list[str]:
    """The naive related papers: cosine with every paper, by brute force."""
    tokens, norm = vectors.vector_of(paper)
    idf = vectors.idf
    query = {n: tf * idf[n] * idf[n] / norm for n, tf in tokens.items()}
    scored = []
    for slot in range(len(vectors)):
        if vectors.ids[slot] == paper.id:
            continue
        score = sum(query.get(n, 0.0) * tf
                    for n, tf in zip(vectors.tokens_of(slot), vectors.tfs_of(slot), strict=True))
        scored.append((score / vectors.norms[slot], -slot))
    scored.sort(reverse=True)
    return [vectors.ids[-negated] for _, negated in scored[:limit]]


def for_you_quality(papers: list[Paper], groups: dict[str, list[str]],
                    rankers: dict[str, Callable[[int], Ranker]]) -> dict[str, float]:  # fmt: skip
    """Per ranker, the held-out members' mean rank, averaged over groups and seeds."""
    ranks: dict[str, list[float]] = {name: [] for name in rankers}
    for members in groups.values():
        if len(members) < 6:
            continue
        for seed in range(SEEDS):
            rng = random.Random(seed)
            shuffled = members.copy()
            rng.shuffle(shuffled)
            starred = shuffled[: max(3, len(members) // 2)]
            held = set(shuffled[len(starred) :])
            others = [p.id for p in papers if p.id not in members]
            negatives = rng.sample(others, NEGATIVES)
            states = {pid: PaperState(starred=True, read=True) for pid in starred}
            states.update({pid: PaperState(read=True) for pid in negatives})
            pool = [p for p in papers if p.id not in states]
            for name, make in rankers.items():
                order = make(seed)(states, pool)
                positions = [i + 1 for i, pid in enumerate(order) if pid in held]
                ranks[name].append(statistics.mean(positions))
    return {name: statistics.mean(values) for name, values in ranks.items()}


Finder = Callable[[Paper], list[str]]


def related_quality(papers: list[Paper], groups: dict[str, list[str]],
                    finders: dict[str, Finder]) -> dict[str, float]:  # fmt: skip
    by_id = {p.id: p for p in papers}
    precision: dict[str, list[float]] = {name: [] for name in finders}
    for members in groups.values():
        group = set(members)
        for pid in members:
            for name, find in finders.items():
                found = find(by_id[pid])[:K]
                precision[name].append(sum(1 for f in found if f in group) / K)
    return {name: statistics.mean(values) for name, values in precision.items()}


def quality() -> None:
    papers = sample_papers()
    groups = load_groups()
    by_id = {p.id: p for p in papers}
    vectors = TermVectors.build(papers)
    rankers: dict[str, Callable[[int], Ranker]] = {
        "ours (tf-idf Rocchio)": lambda seed: ours(vectors, by_id),
        "default order": lambda seed: default_order,
        "random": random_order,
    }
    finders: dict[str, Callable[[Paper], list[str]]] = {
        "ours (rare-term candidates, cosine)":
            lambda p: [r.paper_id for r in related(vectors, p, K)],
        "exact cosine, every paper": lambda p: exact_related(vectors, p, K),
        "default order": lambda p: [q.id for q in papers if q.id != p.id][:K],
        "random": lambda p: random.Random(p.id).sample([q.id for q in papers if q.id != p.id], K),
    }  # fmt: skip
    try:
        learned = Sklearn(papers, small=True)
    except ImportError:
        print("scikit-learn is not installed: its figures are left out")
    else:
        rankers["scikit-learn tf-idf + LinearSVC"] = lambda seed: learned.ranker
        finders["scikit-learn tf-idf cosine"] = lambda p: learned.related(p.id, K)
    grouped = sum(len(m) for m in groups.values())
    print(f"labelled set: {len(papers)} sample papers, {len(groups)} topic groups, "
          f"{grouped} grouped")  # fmt: skip
    print("for you: held-out mean rank (lower is better)")
    for name, value in for_you_quality(papers, groups, rankers).items():
        print(f"  {name:40} {value:6.1f}")
    print(f"related: precision@{K} (higher is better)")
    for name, value in related_quality(papers, groups, finders).items():
        print(f"  {name:40} {value:6.3f}")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def speed(size: int) -> None:
    digests = make_digests(size)
    papers: list[Paper] = []
    for digest in digests:
        for position, paper in enumerate(digest.papers):
            pid = paper_id(paper_key(paper.title))
            papers.append(Paper(pid, paper.title, paper.abstract, paper.links,
                                (digest.date,), position))  # fmt: skip
    papers.sort(key=lambda p: (newest_first_key(p), p.id))
    by_id = {p.id: p for p in papers}
    picked = pick_states([p.id for p in papers])
    states: dict[str, PaperState] = {}
    for pid in picked["read"]:
        states[pid] = PaperState(read=True)
    for pid in picked["tagged"]:
        states[pid] = PaperState(read=pid in states, tags=("rl",))
    for pid in picked["starred"]:
        states[pid] = PaperState(starred=True, read=pid in states)
    rows: list[tuple[str, float, str]] = []
    start = time.perf_counter()
    vectors = TermVectors.build(papers)
    rows.append(("term vectors: build", time.perf_counter() - start, ""))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terms.bin"
        rows.append(("term vectors: write cache", timed(lambda: write_terms(path, vectors)), ""))
        rows.append(("term vectors: load cache", timed(lambda: read_terms(path)), ""))
    rng = random.Random(3)
    sample = rng.sample(papers, 30)
    times = [timed(lambda p=p: related(vectors, p, 10)) for p in sample]  # type: ignore[misc]
    rows.append(("related, one paper (mean of 30)", statistics.mean(times), "<= 0.1 s"))
    rows.append(("related, one paper (slowest of 30)", max(times), ""))
    naive = [timed(lambda p=p: exact_related(vectors, p, 10)) for p in sample[:3]]  # type: ignore[misc]
    rows.append(("  naive: exact cosine with every paper", statistics.mean(naive), ""))
    marks = sum(1 for s in states.values() if s.starred or s.tags or s.read)
    profile_holder: list[Any] = []
    rows.append((f"for you: train ({marks} marked papers)",
                 timed(lambda: profile_holder.append(train(vectors, states, by_id))),
                 "<= 2 s"))  # fmt: skip
    profile = profile_holder[0]
    day = [p for p in papers if p.dates[0] == papers[0].dates[0]][:100]
    rows.append((f"for you: rank a day ({len(day)} papers)",
                 timed(lambda: rank(profile, vectors, day)), "<= 0.1 s"))  # fmt: skip
    rows.append((f"for you: rank the store ({len(papers)})",
                 timed(lambda: rank(profile, vectors, papers)), "<= 1 s"))  # fmt: skip
    rows.append(("  naive: sort the store by date",
                 timed(lambda: sorted(papers, key=newest_first_key)), ""))  # fmt: skip
    try:
        learned: list[Sklearn] = []
        rows.append(("scikit-learn: fit tf-idf",
                     timed(lambda: learned.append(Sklearn(papers, small=False))), ""))  # fmt: skip
        rows.append(("scikit-learn: LinearSVC train + score the store",
                     timed(lambda: learned[0].scores(states, papers)), ""))  # fmt: skip
        rows.append(("scikit-learn: related, one paper",
                     timed(lambda: learned[0].related(sample[0].id, 10)), ""))  # fmt: skip
    except ImportError:
        print("scikit-learn is not installed: its figures are left out")
    print(f"speed at {len(papers):,} papers")
    for name, seconds, target in rows:
        print(f"  {name:48} {seconds:8.3f} s  {target}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--size", type=int, default=100_000, help="papers for the speed part")
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args(argv)
    quality()
    if not args.quality_only:
        speed(args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())

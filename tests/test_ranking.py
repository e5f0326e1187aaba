"""Related papers and the "for you" order: term vectors, cosine, the Rocchio profile."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from paperterm.digest import paper_id, paper_key, read_digest_file
from paperterm.model import Paper, PaperMeta, PaperState
from paperterm.paths import sample_digest_paths
from paperterm.ranking import MIN_POSITIVES, TooFewStars, label, rank, related, scores, train
from paperterm.recommend import Recommender
from paperterm.terms import STOP_WORDS, TermVectors, paper_terms

TOPICS = Path(__file__).resolve().parents[1] / "benchmarks" / "topics.json"


def make(pid: str, title: str, abstract: str, day: int = 1, **meta: object) -> Paper:
    return Paper(pid, title, abstract, (), (dt.date(2025, 9, day),),
                 meta=PaperMeta(**meta))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def samples() -> list[Paper]:
    found: dict[str, Paper] = {}
    for path in sample_digest_paths():
        digest = read_digest_file(path)
        for position, p in enumerate(digest.papers):
            pid = paper_id(paper_key(p.title))
            found.setdefault(pid, Paper(pid, p.title, p.abstract, p.links, (digest.date,),
                                        position))
    return list(found.values())


@pytest.fixture(scope="module")
def groups() -> dict[str, list[str]]:
    data = json.loads(TOPICS.read_text(encoding="utf-8"))
    return {name: [m["id"] for m in members] for name, members in data["groups"].items()}


def test_terms_fold_weigh_titles_and_drop_stop_words() -> None:
    terms = paper_terms(make("a", "Offline RL", "The offline policy, the OFFLINE data."))
    assert "the" in STOP_WORDS and "the" not in terms
    # title counts twice: 2 + 2 abstract = 4 occurrences; sublinear
    assert terms["offline"] == pytest.approx(1 + __import__("math").log(4))
    assert terms["policy"] == 1.0
    assert "rl" in terms  # two letters kept, single letters dropped


def test_vectors_norms_and_unshared_tokens() -> None:
    papers = [make("a", "alpha beta", "gamma"), make("b", "alpha delta", "gamma"),
              make("c", "epsilon", "zeta")]
    vectors = TermVectors.build(papers)
    assert len(vectors) == 3
    idf = vectors.idf
    assert idf[vectors.token_id["beta"]] == 0.0  # held by one paper: cannot make papers alike
    assert idf[vectors.token_id["alpha"]] > 0.0
    vectors.add([make("d", "epsilon zeta", "alpha")])
    assert len(vectors) == 4 and vectors.idf[vectors.token_id["epsilon"]] > 0
    vectors.add([papers[0]])  # already held: nothing changes
    assert len(vectors) == 4


def test_related_finds_the_paper_sharing_rare_terms_with_reasons() -> None:
    papers = [
        make("a", "Replay buffers for continual learning", "catastrophic forgetting replay"),
        make("b", "Forgetting in continual learning", "replay against catastrophic forgetting"),
        make("c", "Diffusion models for images", "denoising diffusion image synthesis"),
        make("d", "Image diffusion at scale", "denoising diffusion models"),
    ]
    vectors = TermVectors.build(papers)
    hits = related(vectors, papers[0], 3)
    assert hits[0].paper_id == "b"
    assert "a" not in [h.paper_id for h in hits]
    assert set(hits[0].terms) <= {"replay", "forgetting", "catastrophic", "continual", "learning"}
    assert hits[0].terms and hits[0].score > 0
    assert related(vectors, papers[0], 0) == []


def test_related_on_the_samples_finds_the_group(samples: list[Paper],
                                                groups: dict[str, list[str]]) -> None:
    vectors = TermVectors.build(samples)
    by_id = {p.id: p for p in samples}
    merging = groups["model merging and task vectors"]
    hits = [h.paper_id for h in related(vectors, by_id[merging[0]], 5)]
    assert len(set(hits) & set(merging)) >= 3, hits


def test_starred_rl_papers_bring_the_other_rl_papers_first(
    samples: list[Paper], groups: dict[str, list[str]]
) -> None:
    rl = groups["reinforcement learning algorithms (offline, online, model-based)"]
    starred, held_out = rl[:5], set(rl[5:])
    merging = groups["model merging and task vectors"]
    states = {pid: PaperState(starred=True) for pid in starred}
    states.update({pid: PaperState(read=True) for pid in merging})  # read, not liked
    vectors = TermVectors.build(samples)
    profile = train(vectors, states, {p.id: p for p in samples})
    assert (profile.positives, profile.negatives) == (5, len(merging))
    pool = [p for p in samples if p.id not in states]
    order = rank(profile, vectors, pool)
    assert sorted(order) == sorted(p.id for p in pool)
    top = order[: len(held_out)]
    assert len(held_out & set(top)) >= len(held_out) // 2, top
    # against the default order, where the held-out RL papers are spread out
    positions = [order.index(pid) for pid in held_out]
    default = [[p.id for p in pool].index(pid) for pid in held_out]
    assert sum(positions) < sum(default) / 2


def test_too_few_stars_says_so(samples: list[Paper]) -> None:
    vectors = TermVectors.build(samples)
    states = {samples[0].id: PaperState(starred=True), samples[1].id: PaperState(read=True)}
    with pytest.raises(TooFewStars, match=f"at least {MIN_POSITIVES}") as raised:
        train(vectors, states, {p.id: p for p in samples})
    assert raised.value.positives == 1


def test_labels_of_states() -> None:
    assert label(PaperState(starred=True)) == 1.0
    assert label(PaperState(tags=("rl",), read=True)) == 1.0
    assert 0 < label(PaperState(note="compare")) < 1
    assert label(PaperState(read=True)) == -1.0
    assert label(PaperState()) == 0.0


def test_papers_the_vectors_lack_are_scored_by_their_text() -> None:
    papers = [make("a", "offline reinforcement", "policy value"),
              make("b", "offline reinforcement", "policy critic"),
              make("c", "image diffusion", "denoising"), make("d", "image diffusion", "noise"),
              make("e", "offline policy", "value critic")]
    vectors = TermVectors.build(papers)
    states = {pid: PaperState(starred=True) for pid in "abe"}
    profile = train(vectors, states, {p.id: p for p in papers})
    newcomer = make("z", "offline reinforcement policy", "critic")
    found = scores(profile, vectors, [newcomer, papers[2]])
    assert found[0] > found[1]


def test_recommender_for_you_and_related_with_shared_authors(tmp_path: Path) -> None:
    papers = [make("a", "offline reinforcement", "policy value", authors=("Ada Lee", "B. Wu")),
              make("b", "offline reinforcement", "policy critic", authors=("ada lee",)),
              make("c", "image diffusion", "denoising"), make("d", "image diffusion", "noise")]
    recommender = Recommender(tmp_path)
    assert recommender.for_you(papers) is None
    hits = recommender.related(papers[0], papers, 2)
    assert hits[0].paper.id == "b"
    assert hits[0].authors == ("Ada Lee",)
    assert "same authors: Ada Lee" in hits[0].reason and "shared:" in hits[0].reason
    assert (tmp_path / "cache" / "term-vectors.bin").is_file()
    assert recommender.train({"c": PaperState(starred=True)}, papers) is not None
    assert not recommender.trained
    assert recommender.for_you(papers) is None

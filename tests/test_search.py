"""Tests for paperterm.search: fuzzy and prefix matching, ranking, ordering, incremental adds.

The last tests run over the bundled sample digests, split into (title, abstract) pairs by a
tiny local helper (the real digest parser lives elsewhere and is tested on its own).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from importlib import resources

import pytest

from paperterm.model import Link, Paper, PaperState
from paperterm.query import fold, parse_query, token_set
from paperterm.search import SearchIndex

D = dt.date


def _paper(pid: str, title: str, abstract: str = "", day: int = 1, position: int = 0) -> Paper:
    return Paper(pid, title, abstract, (), (D(2025, 9, day),), position)


def _search(
    index: SearchIndex, text: str, states: dict[str, PaperState] | None = None
) -> list[str]:
    return index.search(parse_query(text), states or {})


# ----------------------------------------------------------------------------- matching


@pytest.fixture(scope="module")
def small() -> SearchIndex:
    return SearchIndex(
        [
            _paper("tr", "Attention Is All You Need", "The Transformer uses attention.", 1),
            _paper("rl", "Deep Reinforcement Learning", "Agents learn policies.", 2),
            _paper("df", "Denoising Diffusion Models", "Diffusion beats GANs on images.", 3),
            _paper("po", "Pok\\'emon Battle Agents", "Agents play Pokémon battles.", 4),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("transfomer", ["tr"]),  # missing letter
        ("transformr", ["tr"]),
        ("trnasformer", ["tr"]),  # swapped letters count as one edit
        ("diffusoin", ["df"]),
        ("atention", ["tr"]),
        ("reinforcment lerning", ["rl"]),
        ("pokemon", ["po"]),  # TeX escape in the title, accent in the abstract
        ("Pokémon", ["po"]),
        ("POKE", ["po"]),  # prefix
        ("reinf", ["rl"]),
        ("diffu", ["df"]),
        ("deep reinf", ["rl"]),  # every word may be a prefix
        ("dif", ["df"]),  # short words: prefixes but no typos
        ("gans diffusion", ["df"]),  # words may match title or abstract
        ("quantum", []),
        ("diffusion transformer", []),  # AND
        ("trn", []),  # three letters: no fuzzy matching
    ],
)
def test_fuzzy_and_prefix_matching(small: SearchIndex, text: str, expected: list[str]) -> None:
    assert _search(small, text) == expected


def test_agents_rank_title_match_first_then_newest(small: SearchIndex) -> None:
    # "agents" is in the title of po and only in the abstract of rl (which is older).
    assert _search(small, "agents") == ["po", "rl"]


def test_free_words_combine_with_filters(small: SearchIndex) -> None:
    states = {"po": PaperState(starred=True)}
    assert _search(small, "agents is:starred", states) == ["po"]
    assert _search(small, "agents -is:starred", states) == ["rl"]
    assert _search(small, "agents -battle", states) == ["rl"]
    assert _search(small, 'agents "learn policies"', states) == ["rl"]
    assert _search(small, 'agents -"learn policies"', states) == ["po"]
    assert _search(small, "agents date:<=2025-09-02", states) == ["rl"]


def test_words_without_tokens_do_not_switch_to_relevance_order(small: SearchIndex) -> None:
    assert _search(small, "a") == ["po", "df", "rl", "tr"]


# ----------------------------------------------------------------------------- ranking


def test_title_match_ranks_above_abstract_only_match_even_if_older() -> None:
    index = SearchIndex(
        [
            _paper("abstract-new", "Graph Networks", "A note on diffusion.", day=9),
            _paper("title-old", "Diffusion on Graphs", "Nothing else here.", day=1),
        ]
    )
    assert _search(index, "diffusion") == ["title-old", "abstract-new"]


def test_exact_beats_prefix_beats_fuzzy_and_typos_only_for_rare_words() -> None:
    index = SearchIndex(
        [
            _paper("fuzzy", "Robt Arms", day=9),
            _paper("prefix", "Robotics Today", day=8),
            _paper("exact", "Robot Hands", day=1),
        ]
    )
    assert _search(index, "robot") == ["exact", "prefix", "fuzzy"]
    # Once "robot" is common, it is taken as meant: no typo candidates any more.
    index.add([_paper(f"a{i}", "Other", "a robot", day=2) for i in range(5)])
    assert _search(index, "robot")[:2] == ["exact", "prefix"]
    assert "fuzzy" not in _search(index, "robot")
    assert _search(index, "robt")[0] == "fuzzy"  # rare as typed: typos are tried too


def test_more_title_matches_rank_first() -> None:
    index = SearchIndex(
        [
            _paper("one", "Robot Learning", "with a policy", day=9),
            _paper("two", "Robot Policy Learning", "", day=1),
        ]
    )
    assert _search(index, "robot policy") == ["two", "one"]


def test_ties_go_newest_digest_first_then_page_order() -> None:
    index = SearchIndex(
        [
            _paper("old", "Graph Diffusion", day=1),
            _paper("new-second", "Latent Diffusion", day=5, position=2),
            _paper("new-first", "Video Diffusion", day=5, position=1),
        ]
    )
    assert _search(index, "diffusion") == ["new-first", "new-second", "old"]


def test_without_free_words_results_are_newest_first() -> None:
    papers = [_paper(f"p{i}", f"Paper {i}", day=1 + i % 4, position=i) for i in range(12)]
    index = SearchIndex(papers)
    expected = [p.id for p in sorted(papers, key=lambda p: (-p.newest.toordinal(), p.position))]
    assert _search(index, "") == expected
    states = {"p3": PaperState(read=True), "p7": PaperState(read=True)}
    assert _search(index, "is:unread", states) == [i for i in expected if i not in states]
    assert _search(index, "is:read", states) == ["p3", "p7"]  # same day: page order
    assert _search(index, "date:2025-09-02") == ["p1", "p5", "p9"]


def test_few_exclusions_over_many_papers_keep_the_order() -> None:
    papers = [_paper(f"p{i:02d}", f"Paper {i}", day=1 + i % 7, position=i) for i in range(60)]
    index = SearchIndex(papers)
    order = _search(index, "")
    for read in ([], ["p00"], ["p07", "p59", "p30"], [order[0], order[-1]]):
        states = {pid: PaperState(read=True) for pid in read}
        assert _search(index, "is:unread", states) == [i for i in order if i not in read]
        assert _search(index, "-is:read", states) == [i for i in order if i not in read]


# ----------------------------------------------------------------------------- adding


def test_incremental_add_replaces_a_paper_with_the_same_id() -> None:
    index = SearchIndex([_paper("x", "Old Title Zebra", "", day=1), _paper("y", "Other", day=2)])
    assert _search(index, "zebra") == ["x"]
    index.add([_paper("x", "New Title Giraffe", "", day=3)])
    assert len(index) == 2
    assert "x" in index
    assert _search(index, "zebra") == []
    assert _search(index, "giraffe") == ["x"]
    assert _search(index, "title") == ["x"]
    assert _search(index, "") == ["x", "y"]


def test_re_adding_the_same_text_updates_dates_and_links() -> None:
    index = SearchIndex([_paper("x", "Zebra", day=1), _paper("y", "Zebra Too", day=2)])
    assert _search(index, "") == ["y", "x"]
    moved = Paper(
        "x", "Zebra", "", (Link("https://github.com/a/b", "code"),), (D(2025, 9, 1), D(2025, 9, 5))
    )
    index.add([moved])
    assert _search(index, "") == ["x", "y"]
    assert _search(index, "zebra") == ["x", "y"]
    assert _search(index, "date:2025-09-05") == ["x"]
    assert _search(index, "has:code") == ["x"]


def test_new_words_are_found_after_add() -> None:
    index = SearchIndex()
    assert len(index) == 0
    assert _search(index, "okapi") == []
    assert _search(index, "") == []
    index.add([_paper("k", "The Okapi Paper")])
    assert _search(index, "okapi") == ["k"]
    assert _search(index, "okap") == ["k"]
    assert _search(index, '"kap"') == ["k"]  # inside a token
    assert _search(index, '"okapi paper"') == ["k"]
    index.add([_paper("m", "Okapis Everywhere", day=2), _paper("n", "Bokapi Paper", day=3)])
    assert _search(index, "okapi") == ["k", "m", "n"]  # exact, prefix, then a typo away
    assert _search(index, '"kap"') == ["n", "m", "k"]
    assert _search(index, '"okapi paper"') == ["n", "k"]


def test_many_replacements_keep_results_right() -> None:
    index = SearchIndex([_paper("keep", "Steady Paper")])
    for i in range(1500):  # enough tombstones to trigger a rebuild
        index.add([_paper("churn", f"Version {i} words{i}", f"about zebras {i}")])
    assert len(index) == 2
    assert _search(index, "zebras") == ["churn"]
    assert _search(index, "words1499") == ["churn"]
    assert _search(index, '"words1498"') == []
    assert _search(index, "-zebras") == ["keep"]
    assert _search(index, "steady") == ["keep"]


# ----------------------------------------------------------------------------- sample digests


def _sample_pairs(text: str) -> list[tuple[str, str]]:
    """(title, abstract) pairs: the non-blank lines after the 'Sep N' line, two by two."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", line))
    body = lines[start + 1 :]
    return [(body[i], body[i + 1]) for i in range(0, len(body) - 1, 2)]


def _sample_papers() -> list[Paper]:
    papers: dict[str, Paper] = {}
    folder = resources.files("paperterm") / "samples"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".txt"))
    assert files
    for day, sample in enumerate(files, start=1):
        for position, (title, abstract) in enumerate(_sample_pairs(sample.read_text("utf-8"))):
            key = fold(title)
            old = papers.get(key)
            pid = old.id if old else f"s{len(papers):03d}"
            dates = (old.dates if old else ()) + (D(2025, 9, day),)
            papers[key] = Paper(pid, title, abstract, (), dates, position)
    return list(papers.values())


@pytest.fixture(scope="module")
def samples() -> tuple[list[Paper], SearchIndex]:
    papers = _sample_papers()
    assert len(papers) > 100
    return papers, SearchIndex(papers)


def _has_prefixes(text: str, words: list[str]) -> bool:
    tokens = token_set(fold(text))
    return all(any(t.startswith(w) for t in tokens) for w in words)


def test_samples_continual_learning_title_matches_first(
    samples: tuple[list[Paper], SearchIndex],
) -> None:
    papers, index = samples
    by_id = {p.id: p for p in papers}
    ids = _search(index, "continual learning")
    words = ["continual", "learning"]
    in_title = [p.id for p in papers if _has_prefixes(p.title, words)]
    assert len(in_title) >= 8
    assert set(ids[: len(in_title)]) == set(in_title)
    for pid in ids:
        assert _has_prefixes(by_id[pid].title + " " + by_id[pid].abstract, words)
    expected = {p.id for p in papers if _has_prefixes(p.title + " " + p.abstract, words)}
    assert set(ids) == expected


def test_samples_typos_and_tex(samples: tuple[list[Paper], SearchIndex]) -> None:
    papers, index = samples
    by_id = {p.id: p for p in papers}
    ids = _search(index, "reinforcment")
    assert ids and all("reinforcement" in fold(by_id[i].title) for i in ids[:5])
    assert len(ids) == len(_search(index, "reinforcement"))
    pokemon = _search(index, "pokemon vgc")  # Pok\'emon in the abstract, Pokémon in the title
    assert len(pokemon) == 1 and "Pokémon" in by_id[pokemon[0]].title


@pytest.mark.parametrize(
    "phrase",
    [
        "continual learning",
        "learning",
        "earning",  # inside tokens
        "ing rate",
        "in-context learn",
        "reinforcement learning (rl)",
        "10^{139}",
        "pokemon",
        "e.g.,",
    ],
)
def test_samples_phrase_search_equals_brute_force(
    samples: tuple[list[Paper], SearchIndex], phrase: str
) -> None:
    papers, index = samples
    query = parse_query(f'"{phrase}"')
    expected = [p.id for p in papers if query.matches_filters(p)]
    assert expected, phrase
    assert sorted(index.search(query, {})) == sorted(expected)
    negated = parse_query(f'-"{phrase}"')
    assert len(index.search(negated, {})) == len(papers) - len(expected)


# ----------------------------------------------------------------------------- typo coverage


def _edits(word: str, letters: str = "aeilnorstz") -> set[str]:
    """Every string one edit (delete, swap, replace, insert) away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in letters}
        | {a + c + b for a, b in splits for c in letters}
    )


def test_typos_find_every_rare_word_within_reach() -> None:
    """Whatever the typo, a search finds exactly the words within the allowed edits."""
    from rapidfuzz.distance import OSA

    words = ["robot", "policy", "tensor", "attention", "manipulation", "diffusion", "rates"]
    words += ["transformer", "transformers", "learner", "leaner", "latent", "talent"]
    index = SearchIndex([_paper(w, w.capitalize()) for w in words])
    rng = random.Random(7)
    checked = 0
    for word in words:
        one = _edits(word)
        two = {rng.choice(sorted(_edits(t))) for t in rng.sample(sorted(one), 40)}
        for typo in sorted(one | two):
            if len(typo) < 4 or any(w.startswith(typo) for w in words):
                continue  # too short to fuzz, or found as typed
            allowed = 1 if len(typo) < 8 else 2
            expected = {w for w in words if OSA.distance(typo, w) <= allowed}
            assert set(_search(index, typo)) == expected, typo
            checked += 1
    assert checked > 500

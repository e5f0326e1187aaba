"""The vocabulary: sorted tokens found by prefix, by typo distance and by a part inside."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from paperterm.vocabulary import Vocabulary

WORDS = ["learning", "learned", "leaning", "earning", "reinforcement", "transformer",
         "transformers", "former", "diffusion", "fusion", "agent", "agents", "abc"]  # fmt: skip


def make(words: list[str] = WORDS) -> Vocabulary:
    vocabulary = Vocabulary(shortest_near=3)
    vocabulary.add(words)
    return vocabulary


def test_tokens_are_kept_once_and_sorted() -> None:
    vocabulary = make()
    vocabulary.add(["agent", "zeta", "agent"])
    assert len(vocabulary) == len(WORDS) + 1
    assert vocabulary.starting("") == sorted({*WORDS, "zeta"})
    assert "zeta" in vocabulary and "zet" not in vocabulary and 3 not in vocabulary


def test_starting() -> None:
    vocabulary = make()
    assert vocabulary.starting("learn") == ["learned", "learning"]
    assert vocabulary.starting("transformer") == ["transformer", "transformers"]
    assert vocabulary.starting("zz") == []


def test_near_offers_typos_and_words_added_later() -> None:
    vocabulary = make()
    assert {"learning", "leaning", "earning"} <= set(vocabulary.near("learning", 1))
    assert "transformer" in vocabulary.near("transfromer", 2)  # a swap and more
    vocabulary.add(["learninx"])  # after the tables were built
    assert "learninx" in vocabulary.near("learning", 1)


def test_near_skips_tokens_shorter_than_asked() -> None:
    vocabulary = Vocabulary(shortest_near=4)
    vocabulary.add(["abc", "abcd"])
    assert vocabulary.near("abce", 1) == ["abcd"]


def test_containing_a_part_or_a_suffix() -> None:
    vocabulary = make()
    assert set(vocabulary.containing("former", suffix=True, at_most=10) or []) == {
        "transformer", "former"}  # fmt: skip
    assert set(vocabulary.containing("usion", suffix=False, at_most=10) or []) == {
        "diffusion", "fusion"}  # fmt: skip
    assert vocabulary.containing("a", suffix=False, at_most=3) is None  # too many
    vocabulary.add(["confusion"])
    assert "confusion" in (vocabulary.containing("usion", suffix=True, at_most=10) or [])


letters = st.text(alphabet="abcde", min_size=3, max_size=9)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(letters, max_size=40), typed=st.text(alphabet="abcde", min_size=4,
                                                           max_size=9))  # fmt: skip
def test_near_is_a_superset_of_every_token_within_reach(words: list[str], typed: str) -> None:
    edits = 1 if len(typed) < 8 else 2
    vocabulary = Vocabulary(shortest_near=3)
    vocabulary.add(words)
    within = {w for w in words if OSA.distance(typed, w) <= edits}
    assert within <= set(vocabulary.near(typed, edits))

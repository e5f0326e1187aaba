"""Postings and the bitmaps of common tokens and prefixes: the one rule, asked through the
same questions whether held in memory or read from the cache file."""

from __future__ import annotations

from array import array
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.index_file import map_index, write_index
from paperterm.postings import WHOLE, Postings, PostingsReader


def test_common_tokens_give_their_postings_to_bitmaps_and_get_them_back() -> None:
    postings = Postings({"the": array("I", range(32)), "theory": array("I", [1, 5]),
                         "rare": array("I", [7])})  # fmt: skip
    postings.make_bitmaps(32, list(range(32)))  # common: 2 of 32 papers
    made = postings.bitmaps
    assert made[WHOLE + "the"] == (1 << 32) - 1 and not postings.table["the"]
    assert made["th"] == made["the"] == made[WHOLE + "the"]  # prefixes cover "theory" too
    assert WHOLE + "rare" not in made and postings.table["rare"] == array("I", [7])
    assert postings.count("the") == 32 and postings.count("rare") == 1
    postings.add(40, ["the"])  # a paper indexed later
    assert postings.count("the") == 33
    postings.make_bitmaps(640, list(range(640)))  # now 33 of 640 papers
    assert WHOLE + "the" not in postings.bitmaps  # not common any more
    assert postings.table["the"] == array("I", [*range(32), 40])  # its slots are back


def _answers(reader: PostingsReader, tokens: list[str], count: int) -> list[object]:
    ints = list(range(count))
    out: list[object] = []
    for token in tokens:
        starting = [t for t in tokens if t.startswith(token[:2])]  # what a prefix stands for
        out += [reader.count(token), sorted(reader.slots(token, ints)),
                reader.union([token], count), reader.union(starting, count, token[:2])]  # fmt: skip
    out.append(reader.union(tokens, count))
    return out


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["the", "then", "theory", "rare", "ra", "model"]),
                    st.sets(st.integers(0, 63), min_size=1), min_size=1),
    st.integers(0, 64),
)
def test_bitmaps_change_no_answer_in_memory_or_mapped(
    tmp_path_factory: object, by_token: dict[str, set[int]], made_at: int
) -> None:
    def build() -> Postings:
        postings = Postings()
        for slot in range(64):
            postings.add(slot, [t for t, slots in by_token.items() if slot in slots])
        return postings

    plain, fast = build(), build()
    if made_at:
        fast = Postings()
        for slot in range(64):  # bitmaps made at slot made_at, later slots appended
            if slot == made_at:
                fast.make_bitmaps(made_at, list(range(made_at)))
            fast.add(slot, [t for t, slots in by_token.items() if slot in slots])
    tokens = sorted(by_token)
    assert _answers(fast, tokens, 64) == _answers(plain, tokens, 64)
    path = Path(str(tmp_path_factory.mktemp("p"))) / "i.bin"  # type: ignore[attr-defined]
    write_index(path, [f"p{i}" for i in range(64)], (array("I", [1] * 64), array("I", [1] * 64)),
                list(range(64)), Postings(), fast, None)  # fmt: skip
    mapped = map_index(path)
    assert mapped is not None
    assert _answers(mapped.abstract, tokens, 64) == _answers(plain, tokens, 64)

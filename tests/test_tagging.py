"""tagging: the reader's tag words, and ids then tag words on the command line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperterm.errors import PapertermError, UnknownPaperError
from paperterm.tagging import TagChange, parse_tag_input, parse_tag_words, split_tag_arguments

PAPERS = ("k3f9qab", "7xw2mpa", "abcdefg")


def resolve(text: str) -> str:
    """A store's resolve over PAPERS: exact id, or a unique prefix of 3 or more."""
    wanted = text.strip().lower()
    matches = [pid for pid in PAPERS if pid.startswith(wanted)] if len(wanted) >= 3 else []
    if wanted in PAPERS:
        return wanted
    if len(matches) != 1:
        raise UnknownPaperError(f"unknown paper id {text!r}")
    return matches[0]


def test_parse_tag_input() -> None:
    assert parse_tag_input("ml +rl -old") == TagChange(("ml", "rl"), ("old",))
    assert parse_tag_input("a,b  -a") == TagChange(("b",), ("a",))
    assert parse_tag_input("-x +x") == TagChange(("x",), ())
    assert parse_tag_input("+ - ") == TagChange((), ())


def test_parse_tag_words_takes_each_word_whole() -> None:
    assert parse_tag_words(["+To Read", "ml", "-old news", "-ml"]) == TagChange(
        ("To Read",), ("old news", "ml"))
    assert parse_tag_words(["+", "-", "+ "]) == TagChange((), ())


words = st.lists(st.tuples(st.sampled_from(["", "+", "-"]),
                           st.sampled_from(["ml", "rl", "old", "x"])), max_size=8)


@given(words)
def test_later_words_win(pairs: list[tuple[str, str]]) -> None:
    change = parse_tag_input(" ".join(sign + name for sign, name in pairs))
    last: dict[str, str] = {}
    for sign, name in pairs:
        last[name] = sign
    assert set(change.add) == {n for n, s in last.items() if s != "-"}
    assert set(change.remove) == {n for n, s in last.items() if s == "-"}
    assert not set(change.add) & set(change.remove)


def test_ids_then_tag_words() -> None:
    ids, change = split_tag_arguments(["k3f", "7xw2", "k3f9qab", "rl", "-old", "+7xw"],
                                      resolve, [])
    assert ids == ["k3f9qab", "7xw2mpa"]
    assert change == TagChange(("rl", "7xw"), ("old",))
    # a word after the first tag word is a tag even if it names a paper
    ids, change = split_tag_arguments(["k3f", "+rl", "abc"], resolve, [])
    assert ids == ["k3f9qab"] and change.add == ("rl", "abc")
    # too short, or not a paper: a tag
    assert split_tag_arguments(["k3f", "ml"], resolve, [])[1].add == ("ml",)
    assert split_tag_arguments(["k3f", "zzzz"], resolve, [])[1].add == ("zzzz",)


def test_first_word_must_be_a_paper() -> None:
    with pytest.raises(UnknownPaperError, match="unknown paper id 'nope'"):
        split_tag_arguments(["nope", "rl"], resolve, [])
    with pytest.raises(PapertermError, match="paper ids first"):
        split_tag_arguments(["+rl", "k3f"], resolve, [])
    with pytest.raises(PapertermError, match="paper ids first"):
        split_tag_arguments([], resolve, [])


def test_id_prefix_that_is_a_known_tag_is_ambiguous() -> None:
    with pytest.raises(PapertermError, match=r"'abc' is both a paper id prefix and a tag"):
        split_tag_arguments(["k3f", "abc", "rl"], resolve, ["abc"])
    # the full id is never ambiguous, +NAME is always the tag
    assert split_tag_arguments(["k3f", "abcdefg", "rl"], resolve, ["abcdefg"])[0] == [
        "k3f9qab", "abcdefg"]
    assert split_tag_arguments(["k3f", "+abc"], resolve, ["abc"])[1].add == ("abc",)


tag_word = st.text(alphabet="abcxyz-+,#", min_size=1, max_size=6).filter(
    lambda word: not word.startswith("--") and word != "-h")


@given(st.lists(tag_word, max_size=6), st.booleans())
def test_command_line_keeps_every_tag_word_in_order(words: list[str], user_first: bool) -> None:
    """Whatever the tag words (``-old`` included), argparse hands them to ``tag`` as given."""
    from paperterm.cli_parser import build_parser, parse_args

    prefix = ["--user", "bob"] if user_first else []
    args = parse_args(build_parser(), [*prefix, "tag", "k3f9qab", *words, "--remove", "z"])
    assert args.items == ["k3f9qab", *words]
    assert args.remove == ["z"]

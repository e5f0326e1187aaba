"""The term vectors' cache file: a rebuild when missing, ignored when damaged or stale."""

from __future__ import annotations

import datetime as dt
from array import array
from pathlib import Path

import pytest

from paperterm.model import Paper
from paperterm.term_cache import open_terms, read_terms, terms_path, write_terms
from paperterm.terms import TermVectors


def paper(n: int, text: str = "") -> Paper:
    return Paper(f"p{n}", f"title {n % 3} common", f"abstract words {n % 5} {text}", (),
                 (dt.date(2025, 9, 1),))


PAPERS = [paper(n) for n in range(12)]


def same(a: TermVectors, b: TermVectors) -> bool:
    return (a.ids, a.vocab, list(a.flat), list(a.offsets), a.norms, a.idf) == (
        b.ids, b.vocab, list(b.flat), list(b.offsets), b.norms, b.idf
    ) and {k: list(v) for k, v in a.postings.items()} == {
        k: list(v) for k, v in b.postings.items()
    } and list(a.tfs) == pytest.approx(list(b.tfs))


def test_roundtrip_and_reuse(tmp_path: Path) -> None:
    path = terms_path(tmp_path)
    built = open_terms(PAPERS, path)
    assert path.is_file()
    loaded = read_terms(path)
    assert loaded is not None and same(built, loaded)
    assert same(open_terms(PAPERS, path), built)


def test_new_papers_are_added_and_saved(tmp_path: Path) -> None:
    path = terms_path(tmp_path)
    open_terms(PAPERS[:8], path)
    grown = open_terms(PAPERS, path)
    assert len(grown) == 12
    assert same(grown, TermVectors.build(PAPERS[:8] + PAPERS[8:]))
    saved = read_terms(path)
    assert saved is not None and len(saved) == 12


def test_changed_or_gone_papers_mean_a_rebuild(tmp_path: Path) -> None:
    path = terms_path(tmp_path)
    open_terms(PAPERS, path)
    changed = [*PAPERS[:-1], paper(11, "and a longer abstract now")]
    assert same(open_terms(changed, path), TermVectors.build(changed))
    fewer = PAPERS[:5]
    assert same(open_terms(fewer, path), TermVectors.build(fewer))


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "empty"])
def test_damaged_file_is_ignored_and_replaced(tmp_path: Path, damage: str) -> None:
    path = terms_path(tmp_path)
    write_terms(path, TermVectors.build(PAPERS))
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "foreign":
        data = bytearray(b"paperterm-index 3 little 1 2 3\n") + data
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    assert read_terms(path) is None
    rebuilt = open_terms(PAPERS, path)
    assert same(rebuilt, TermVectors.build(PAPERS))
    assert read_terms(path) is not None  # rewritten whole


def test_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    vectors = open_terms(PAPERS, terms_path(tmp_path))
    assert len(vectors) == 12


def test_loaded_vectors_map_the_file_and_answer_as_built(tmp_path: Path) -> None:
    path = terms_path(tmp_path)
    built = TermVectors.build(PAPERS)
    write_terms(path, built)
    loaded = read_terms(path)
    assert loaded is not None
    assert isinstance(loaded.flat, memoryview) and isinstance(loaded.tfs, memoryview)
    for slot in range(len(built)):
        assert list(loaded.tokens_of(slot)) == list(built.tokens_of(slot))
    rare = next(iter(built.postings))
    assert rare in loaded.postings and list(loaded.postings[rare]) == list(built.postings[rare])
    missing = len(built.vocab) + 1
    assert missing not in loaded.postings and "x" not in loaded.postings
    with pytest.raises(KeyError):
        loaded.postings[missing]
    assert len(loaded.postings) == len(built.postings)


def test_out_of_range_ids_under_a_good_digest_are_refused(tmp_path: Path) -> None:
    path = terms_path(tmp_path)
    vectors = TermVectors.build(PAPERS)
    assert isinstance(vectors.flat, array)
    vectors.flat[0] = len(vectors.vocab)  # a token id past the vocabulary
    write_terms(path, vectors)
    assert read_terms(path) is None
    vectors = TermVectors.build(PAPERS)
    key = next(iter(vectors.postings))
    vectors.postings = {**vectors.postings, key: array("I", [len(PAPERS)])}  # a slot too far
    write_terms(path, vectors)
    assert read_terms(path) is None

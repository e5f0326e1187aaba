"""The search index's cache file: saved, loaded, extended, and ignored when unusable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest

from paperterm import index_cache
from paperterm.bitmaps import WHOLE
from paperterm.digest import read_digest_file
from paperterm.index_cache import open_index, read_parts, write_parts
from paperterm.model import Paper, PaperState
from paperterm.paths import sample_digest_paths
from paperterm.query import parse_query
from paperterm.search import SearchIndex
from paperterm.store import Store

QUERIES = ["learning", "diffusion model", "transformr", "reinforc", '"language model"',
           "-learning", "is:unread robot", "has:code", "date:>=2026-09-05", "agent -survey",
           "lerning polcy", "ta"]  # fmt: skip


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    with Store.open(tmp_path_factory.mktemp("store"), "u") as store:
        store.import_digests([read_digest_file(p) for p in sample_digest_paths()])
        return store.papers()


def results(index: SearchIndex) -> list[list[str]]:
    return [index.search(parse_query(q), {}) for q in QUERIES]


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
def test_saved_and_loaded_index_answers_alike(
    papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(index_cache, "CHUNK", chunk)  # postings read a few slots at a time
    built = SearchIndex(papers)
    write_parts(tmp_path / "i.bin", built.parts())
    parts = read_parts(tmp_path / "i.bin")
    assert parts is not None
    loaded = SearchIndex.from_parts(parts, papers)
    assert results(loaded) == results(built)
    assert len(loaded) == len(papers)


def test_the_cache_indexes_what_it_lacks_and_drops_what_changed(
    papers: list[Paper], tmp_path: Path
) -> None:
    old, new = papers[20:], papers[:20]  # the cache predates the newest 20 papers
    write_parts(tmp_path / "i.bin", SearchIndex(old).parts())
    changed = dataclasses.replace(papers[30], abstract=papers[30].abstract + " zyxwvut")
    gone = papers[31]
    now = [*new, *papers[20:30], changed, *papers[32:]]
    parts = read_parts(tmp_path / "i.bin")
    assert parts is not None
    loaded = SearchIndex.from_parts(parts, now)
    assert results(loaded) == results(SearchIndex(now))
    assert loaded.search(parse_query("zyxwvut"), {}) == [changed.id]
    assert gone.id not in loaded


def test_open_index_writes_the_cache_once_then_loads_it(
    papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache" / "search-index.bin"
    first = open_index(papers, path)
    assert path.exists()
    stamp = path.stat().st_mtime_ns
    import paperterm.search

    def no_tokenizing(text: str) -> set[str]:
        raise AssertionError("indexed a paper the cache holds")

    monkeypatch.setattr(paperterm.search, "_tokens", no_tokenizing)
    again = open_index(papers, path)
    assert results(again) == results(first)
    assert path.stat().st_mtime_ns == stamp  # nothing new: not rewritten


def test_open_index_rewrites_a_cache_that_lacks_many_papers(
    papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "i.bin"
    open_index(papers[100:], path)
    monkeypatch.setattr(index_cache, "SAVE_AFTER", 50)
    open_index(papers, path)
    parts = read_parts(path)
    assert parts is not None and len(parts.ids) == len(papers)


@pytest.mark.parametrize("damage", ["truncate", "magic", "byteorder", "garbage", "empty",
                                    "slot", "orphan bitmap"])  # fmt: skip
def test_a_damaged_cache_is_ignored_and_replaced(
    papers: list[Paper], tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "i.bin"
    parts = SearchIndex(papers).parts()
    if damage == "orphan bitmap":  # the bitmap of a token no abstract holds
        parts = dataclasses.replace(parts, prefix_bits={WHOLE + "zzzz": 1}, bits_slots=1)
    write_parts(path, parts)
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    if damage == "truncate":
        data = data[:-5]
    elif damage == "magic":
        data = b"X" + data[1:]
    elif damage == "byteorder":
        other = b"big" if b"little" in head else b"little"
        data = head.replace(b"little", other).replace(b"big", other, 1) + b"\n" + body
    elif damage == "garbage":
        data = bytes(range(256)) * 10
    elif damage == "empty":
        data = b""
    elif damage == "orphan bitmap":
        pass
    else:  # the last abstract posting names a slot past the end
        sizes = [int(size) for size in head.split()[3:]]
        end = len(head) + 1 + sum(sizes[:9])  # sections: ..., abstract postings, bitmaps
        data = data[: end - 4] + (len(papers) + 5).to_bytes(4, sys.byteorder) + data[end:]
    path.write_bytes(data)
    assert read_parts(path) is None
    index = open_index(papers, path)
    assert results(index) == results(SearchIndex(papers))
    assert read_parts(path) is not None


def test_an_unwritable_cache_is_no_error(papers: list[Paper], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = open_index(papers[:10], blocker / "cache" / "i.bin")
    assert len(index) == 10


def test_an_empty_index_round_trips(tmp_path: Path) -> None:
    write_parts(tmp_path / "i.bin", SearchIndex().parts())
    parts = read_parts(tmp_path / "i.bin")
    assert parts is not None and parts.ids == []
    paper = Paper("abc", "A title", "An abstract", (), (dt.date(2025, 1, 2),))
    assert SearchIndex.from_parts(parts, [paper]).search(parse_query("title"), {}) == ["abc"]


SHORT = ["ta", "le", "re", "mo", "la", "tra", "lea", "rei", "de", "di", "co", "re le",
         "mo la", "ag -le", "le is:unread", "pe tra", '"la" le', "learning", "the model",
         "models", "-the", "-learning agent", '"language model"', '"the"', "lerning",
         "learning is:unread", "of and", "this", "with", "which", "these"]  # fmt: skip


def abstract_slots(index: SearchIndex, token: str) -> set[int]:
    """Every slot the index holds for an abstract token, from its bitmap and its postings."""
    slots = set(index._abstract.get(token, ()))
    whole = index._bits.get(WHOLE + token, 0)
    return slots | {slot for slot in range(whole.bit_length()) if whole >> slot & 1}


def test_prefix_bitmaps_change_no_result(papers: list[Paper], tmp_path: Path) -> None:
    plain = SearchIndex(papers)
    fast = SearchIndex(papers[25:])
    fast.make_prefix_bits()
    assert fast.parts().prefix_bits  # common prefixes got bitmaps
    fast.add(papers[:25])  # papers indexed after the bitmaps were made
    changed = dataclasses.replace(papers[40], abstract="replaced by a new abstract")
    fast.add([changed])  # a tombstone under the bitmaps
    plain.add([changed])
    states = {papers[1].id: PaperState(read=True)}
    for text in SHORT:
        query = parse_query(text)
        assert fast.search(query, states) == plain.search(query, states), text
    write_parts(tmp_path / "i.bin", fast.parts())
    parts = read_parts(tmp_path / "i.bin")
    assert parts is not None and parts.prefix_bits == fast.parts().prefix_bits
    loaded = SearchIndex.from_parts(parts, [*papers[:40], changed, *papers[41:]])
    for text in SHORT:
        query = parse_query(text)
        assert loaded.search(query, states) == plain.search(query, states), text


def test_common_tokens_trade_their_postings_for_bitmaps(papers: list[Paper]) -> None:
    plain, fast = SearchIndex(papers), SearchIndex(papers)
    fast.make_prefix_bits()
    common = [key[1:] for key in fast._bits if key.startswith(WHOLE)]
    assert "the" in common and not fast._abstract["the"]  # its postings are the bitmap now
    for token in plain._abstract:
        assert abstract_slots(fast, token) == set(plain._abstract[token]), token


def test_bitmaps_follow_the_corpus_as_it_grows(papers: list[Paper], tmp_path: Path) -> None:
    plain, fast = SearchIndex(papers), SearchIndex(papers[:30])
    fast.make_prefix_bits()  # 1/16 of 30 papers: most tokens are common
    early = {key for key in fast._bits if key.startswith(WHOLE)}
    fast.add(papers[30:])
    fast.make_prefix_bits()  # 1/16 of all: many are common no longer
    late = {key for key in fast._bits if key.startswith(WHOLE)}
    assert early - late and late
    for token in plain._abstract:
        assert abstract_slots(fast, token) == set(plain._abstract[token]), token
    states = {papers[1].id: PaperState(read=True)}
    for text in SHORT + QUERIES:
        query = parse_query(text)
        assert fast.search(query, states) == plain.search(query, states), text


def test_a_version_2_cache_is_read_then_rewritten_with_bitmaps(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "i.bin"
    write_parts(path, SearchIndex(papers).parts())  # full postings and no bitmaps, as v2 had
    path.write_bytes(path.read_bytes().replace(index_cache.MAGIC, index_cache.OLD_MAGIC, 1))
    old = read_parts(path)
    assert old is not None and old.bits_slots == 0 and not old.prefix_bits
    index = open_index(papers, path)
    assert results(index) == results(SearchIndex(papers))
    assert path.read_bytes().startswith(index_cache.MAGIC)
    parts = read_parts(path)
    assert parts is not None and any(key.startswith(WHOLE) for key in parts.prefix_bits)


def test_read_ids_reads_the_ids_of_a_cache_and_nothing_of_a_bad_one(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "i.bin"
    assert index_cache.read_ids(path) is None  # no file
    write_parts(path, SearchIndex(papers).parts())
    assert index_cache.read_ids(path) == {p.id for p in papers}
    path.write_bytes(path.read_bytes()[:-3])  # truncated: its header's sizes disagree
    assert index_cache.read_ids(path) is None
    path.write_bytes(b"paperterm-index 3 little 1 2 3\nxx")
    assert index_cache.read_ids(path) is None


def test_keep_current_writes_a_missing_cache_that_then_answers_alike(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "cache" / "i.bin"
    assert index_cache.keep_current(papers, path)
    parts = read_parts(path)
    assert parts is not None and sorted(parts.ids) == sorted(p.id for p in papers)
    assert results(SearchIndex.from_parts(parts, papers)) == results(SearchIndex(papers))


def test_keep_current_rewrites_only_a_cache_that_lacks_many_papers(
    papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "i.bin"
    write_parts(path, SearchIndex(papers[30:]).parts())
    monkeypatch.setattr(index_cache, "SAVE_AFTER", 31)
    assert not index_cache.keep_current(papers, path)  # 30 lacking: left for the search
    assert len(index_cache.read_ids(path) or ()) == len(papers) - 30
    monkeypatch.setattr(index_cache, "SAVE_AFTER", 30)
    assert index_cache.keep_current(papers, path)
    assert index_cache.read_ids(path) == {p.id for p in papers}


def test_keep_current_replaces_a_damaged_cache(papers: list[Paper], tmp_path: Path) -> None:
    path = tmp_path / "i.bin"
    path.write_bytes(b"garbage")
    assert index_cache.keep_current(papers, path)
    assert index_cache.read_ids(path) == {p.id for p in papers}

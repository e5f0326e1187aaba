"""The search index's cache file: saved, loaded, extended, and ignored when unusable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest

from paperterm import index_cache
from paperterm.digest import read_digest_file
from paperterm.index_cache import open_index, read_parts, search_cached, write_parts
from paperterm.index_delta import delta_path
from paperterm.index_file import MAGIC, SECTIONS
from paperterm.model import Paper, PaperState
from paperterm.paths import sample_digest_paths
from paperterm.postings import WHOLE, Postings
from paperterm.query import parse_query
from paperterm.search import SearchIndex
from paperterm.store import Store, paper_stamps

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


def test_saved_and_loaded_index_answers_alike(papers: list[Paper], tmp_path: Path) -> None:
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
    import paperterm.search_slots

    def no_tokenizing(text: str) -> set[str]:
        raise AssertionError("indexed a paper the cache holds")

    monkeypatch.setattr(paperterm.search_slots, "index_tokens", no_tokenizing)
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


def _section_end(data: bytes, name: str) -> int:
    """Where section ``name`` of a cache file ends."""
    import json

    head, _, rest = data.partition(b"\n")
    meta_size = int(head.split()[-1])
    sizes = json.loads(rest[:meta_size])["sizes"]
    return len(head) + 1 + meta_size + 1 + sum(sizes[: SECTIONS.index(name) + 1])


@pytest.mark.parametrize("damage", ["truncate", "magic", "byteorder", "garbage", "empty",
                                    "slot", "orphan bitmap", "crc", "version 3"])  # fmt: skip
def test_a_damaged_cache_is_ignored_and_replaced(
    papers: list[Paper], tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "i.bin"
    parts = SearchIndex(papers).parts()
    if damage == "orphan bitmap":  # the bitmap of a token no abstract holds
        abstract = Postings(parts.abstract.table, {WHOLE + "zzzz": 1}, 1)
        parts = dataclasses.replace(parts, abstract=abstract)
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
    elif damage == "crc":  # one byte of the ids changed
        at = _section_end(data, "ids") - 2
        data = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    elif damage == "version 3":  # the layout an older paperterm wrote
        data = b"paperterm-index 3 little 1 2 3\nxx"
    else:  # the last abstract posting names a slot past the end
        end = _section_end(data, "abstract_postings")
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
    return set(index._abstract.slots(token, range(len(index._ids))))


def test_prefix_bitmaps_change_no_result(papers: list[Paper], tmp_path: Path) -> None:
    plain = SearchIndex(papers)
    fast = SearchIndex(papers[25:])
    fast.make_prefix_bits()
    assert fast.parts().abstract.bitmaps  # common prefixes got bitmaps
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
    assert parts is not None and parts.abstract.bitmaps == fast.parts().abstract.bitmaps
    loaded = SearchIndex.from_parts(parts, [*papers[:40], changed, *papers[41:]])
    for text in SHORT:
        query = parse_query(text)
        assert loaded.search(query, states) == plain.search(query, states), text


def test_common_tokens_trade_their_postings_for_bitmaps(papers: list[Paper]) -> None:
    plain, fast = SearchIndex(papers), SearchIndex(papers)
    fast.make_prefix_bits()
    common = [key[1:] for key in fast._abstract.bitmaps if key.startswith(WHOLE)]
    assert "the" in common and not fast._abstract.table["the"]  # postings: the bitmap now
    for token in plain._abstract.tokens():
        assert abstract_slots(fast, token) == set(plain._abstract.table[token]), token


def test_bitmaps_follow_the_corpus_as_it_grows(papers: list[Paper], tmp_path: Path) -> None:
    plain, fast = SearchIndex(papers), SearchIndex(papers[:30])
    fast.make_prefix_bits()  # 1/16 of 30 papers: most tokens are common
    early = {key for key in fast._abstract.bitmaps if key.startswith(WHOLE)}
    fast.add(papers[30:])
    fast.make_prefix_bits()  # 1/16 of all: many are common no longer
    late = {key for key in fast._abstract.bitmaps if key.startswith(WHOLE)}
    assert early - late and late
    for token in plain._abstract.tokens():
        assert abstract_slots(fast, token) == set(plain._abstract.table[token]), token
    states = {papers[1].id: PaperState(read=True)}
    for text in SHORT + QUERIES:
        query = parse_query(text)
        assert fast.search(query, states) == plain.search(query, states), text


def test_a_cache_without_bitmaps_is_read_then_rewritten_with_them(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "i.bin"
    write_parts(path, SearchIndex(papers).parts())  # full postings and no bitmaps
    old = read_parts(path)
    assert old is not None and old.abstract.bits_slots == 0 and not old.abstract.bitmaps
    index = open_index(papers, path)
    assert results(index) == results(SearchIndex(papers))
    assert path.read_bytes().startswith(MAGIC)
    parts = read_parts(path)
    assert parts is not None and any(key.startswith(WHOLE) for key in parts.abstract.bitmaps)


def test_read_ids_reads_the_ids_of_a_cache_and_nothing_of_a_bad_one(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "i.bin"
    assert index_cache.read_ids(path) is None  # no file
    write_parts(path, SearchIndex(papers).parts())
    assert index_cache.read_ids(path) == {p.id for p in papers}
    path.write_bytes(path.read_bytes()[:-3])  # truncated: its header's sizes disagree
    assert index_cache.read_ids(path) is None
    path.write_bytes(b"paperterm-index 3 little 1 2 3\nxx")  # an older layout
    assert index_cache.read_ids(path) is None


STAMPS = {"2026-09.json": (1, 2)}


def test_keep_current_writes_a_missing_cache_that_then_answers_alike(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "cache" / "i.bin"
    assert index_cache.keep_current(papers, path, STAMPS)
    parts = read_parts(path)
    assert parts is not None and sorted(parts.ids) == sorted(p.id for p in papers)
    assert parts.stamps == {"2026-09.json": [1, 2]}
    assert results(SearchIndex.from_parts(parts, papers)) == results(SearchIndex(papers))


def test_keep_current_adds_a_few_papers_beside_the_file_and_rewrites_for_many(
    papers: list[Paper], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "i.bin"
    base = SearchIndex(papers[30:])
    base.make_prefix_bits()
    write_parts(path, base.parts(), STAMPS)
    assert not index_cache.keep_current(papers[30:], path, STAMPS)  # current: left alone
    before = path.read_bytes()
    changed = dataclasses.replace(papers[40], abstract="a wholly new abstract: zyxwvut")
    now = [*papers[:40], changed, *papers[41:]]
    later = {"2026-09.json": (3, 4)}  # an import: 30 new papers, one changed
    assert index_cache.keep_current(now, path, later)
    assert path.read_bytes() == before and delta_path(path).exists()  # the file untouched
    assert not index_cache.keep_current(now, path, later)  # current with its additions
    plain = SearchIndex(now)
    states = {papers[3].id: PaperState(starred=True)}
    for text in [*MAPPED, "zyxwvut", "is:starred learning"]:
        query = parse_query(text)
        assert search_cached(path, later, query, states) == plain.search(query, states), text
    stamp = path.stat().st_mtime_ns
    assert results(open_index(now, path, stamps=later)) == results(plain)
    assert path.stat().st_mtime_ns == stamp  # the file and its additions are current
    monkeypatch.setattr(index_cache, "SAVE_AFTER", 10)
    assert index_cache.keep_current(papers, path, {"2026-09.json": (5, 6)})  # too many
    assert index_cache.read_ids(path) == {p.id for p in papers} and not delta_path(path).exists()
    write_parts(path, SearchIndex(papers).parts())  # saved without stamps: never current
    assert index_cache.keep_current(papers, path, STAMPS)


@pytest.mark.parametrize("damage", ["garbage", "other file", "slot out of range", "order"])
def test_damaged_or_foreign_additions_are_never_trusted(
    papers: list[Paper], tmp_path: Path, damage: str
) -> None:
    import json

    path = tmp_path / "i.bin"
    write_parts(path, SearchIndex(papers[5:]).parts(), STAMPS)
    later = {"2026-09.json": (3, 4)}
    assert index_cache.keep_current(papers, path, later)
    added = delta_path(path)
    data = json.loads(added.read_bytes())
    if damage == "garbage":
        added.write_bytes(b"{not json")
    else:
        if damage == "other file":
            data["base"] += 1
        elif damage == "slot out of range":
            data["abstract"][next(iter(data["abstract"]))].append(10**6)
        else:
            data["order"] = data["order"][:-1]
        added.write_text(json.dumps(data))
    assert search_cached(path, later, parse_query("learning"), {}) is None
    index = open_index(papers, path, stamps=later)  # not current: rewritten whole
    assert results(index) == results(SearchIndex(papers))
    assert search_cached(path, later, parse_query("learning"), {}) == SearchIndex(
        papers).search(parse_query("learning"), {})


def test_keep_current_replaces_a_damaged_cache(papers: list[Paper], tmp_path: Path) -> None:
    path = tmp_path / "i.bin"
    path.write_bytes(b"garbage")
    assert index_cache.keep_current(papers, path, STAMPS)
    assert index_cache.read_ids(path) == {p.id for p in papers}


MAPPED = [q for q in [*QUERIES, *SHORT] if not any(t in q for t in ('"', "date:", "has:code"))]


def test_search_cached_answers_as_the_index_without_the_papers(
    papers: list[Paper], tmp_path: Path
) -> None:
    path = tmp_path / "i.bin"
    open_index(papers, path, stamps=STAMPS)
    states = {papers[1].id: PaperState(read=True), papers[2].id: PaperState(starred=True)}
    plain = SearchIndex(papers)
    for text in [*MAPPED, "is:starred learning", "-is:read model", "tag:x agent"]:
        query = parse_query(text)
        assert search_cached(path, STAMPS, query, states) == plain.search(query, states), text
    for text in ['"language model"', "date:>=2026-09-05 agent", "has:code robot", "author:li"]:
        assert search_cached(path, STAMPS, parse_query(text), {}) is None  # needs the papers


@pytest.mark.parametrize("why", ["missing", "stale", "no stamps", "truncated", "old layout",
                                 "bad posting", "flipped posting", "bad bitmap size",
                                 "bitmap padding"])  # fmt: skip
def test_search_cached_trusts_no_cache_but_a_whole_current_one(
    papers: list[Paper], tmp_path: Path, why: str
) -> None:
    path = tmp_path / "i.bin"
    open_index(papers, path, stamps=STAMPS)
    query = parse_query("learning")
    assert search_cached(path, STAMPS, query, {}) == SearchIndex(papers).search(query, {})
    data = path.read_bytes()
    stamps: dict[str, tuple[int, int]] = STAMPS
    if why == "missing":
        path.unlink()
    elif why == "stale":  # another process imported since: a shard changed
        stamps = {**STAMPS, "2026-10.json": (5, 6)}
    elif why == "no stamps":
        write_parts(path, SearchIndex(papers).parts())
    elif why == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif why == "old layout":
        path.write_bytes(b"paperterm-index 3 little 1 2 3\nxx")
    elif why == "bad posting":  # postings are read on demand: checked when read
        end = _section_end(data, "abstract_postings")
        path.write_bytes(data[: end - 4] + (len(papers) + 5).to_bytes(4, sys.byteorder)
                         + data[end:])  # fmt: skip
        query = parse_query(sorted(read_parts_tokens(papers))[-1])
    elif why == "flipped posting":  # a slot in range, another than the one written
        end = _section_end(data, "abstract_postings")
        path.write_bytes(data[: end - 4] + bytes([data[end - 4] ^ 1]) + data[end - 3 :])
        query = parse_query(sorted(read_parts_tokens(papers))[-1])
    elif why == "bitmap padding":  # a bit past the slots the bitmaps cover
        parts = read_parts(path)
        assert parts is not None and parts.abstract.bits_slots % 8, "needs padding bits"
        end = _section_end(data, "bitmaps")
        path.write_bytes(data[: end - 1] + bytes([data[end - 1] | 0x80]))
        last = list(parts.abstract.bitmaps)[-1]  # its bitmap ends the file
        query = parse_query(last.removeprefix(WHOLE))
    else:
        end = _section_end(data, "bitmaps")
        path.write_bytes(data[: end - 1])
    assert search_cached(path, stamps, query, {}) is None


def read_parts_tokens(papers: list[Paper]) -> set[str]:
    """The abstract tokens of the papers (the last one sorted has the file's last postings)."""
    return set(SearchIndex(papers)._abstract.table)


def test_a_store_import_leaves_stamps_that_match_its_files(tmp_path: Path) -> None:
    with Store.open(tmp_path, "u") as store:
        store.import_digests([read_digest_file(sample_digest_paths()[0])])
        assert store.paper_stamps() == paper_stamps(tmp_path)
        loaded = store.paper_stamps()
    with Store.open(tmp_path, "v") as other:  # another process imports one more digest
        other.import_digests([read_digest_file(sample_digest_paths()[1])])
        assert other.paper_stamps() == paper_stamps(tmp_path) != loaded

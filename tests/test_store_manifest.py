"""The shard manifest and lazy opens: the same answers as an eager store, whatever state the
manifest is in (current, missing, damaged, stale, lying about offsets)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import orjson
import pytest

from paperterm.errors import UnknownPaperError
from paperterm.model import Digest, Link, ParsedPaper
from paperterm.query import parse_query
from paperterm.state_filter import state_candidates
from paperterm.store import Store
from paperterm.store_manifest import (
    HEAD,
    MAGIC,
    Manifest,
    ShardEntry,
    find_starts,
    manifest_path,
    read_docs,
)


def make_digest(day: dt.date, titles: list[str]) -> Digest:
    papers = tuple(
        ParsedPaper(t, f'Abstract of {t}: "quoted", {{"x": 1}} \\ done.',
                    (Link(f"https://github.com/x/{i}", "code"),), 1 + i)
        for i, t in enumerate(titles)
    )  # fmt: skip
    return Digest(day, papers, f"d-{day}.txt")


def seed(data: Path) -> list[str]:
    """Three monthly shards of papers, some marked; returns every id, newest first."""
    with Store.open(data, "u") as store:
        for month in (1, 2, 3):
            day = dt.date(2024, month, 5)
            store.import_digest(make_digest(day, [f"Paper {month}-{i}" for i in range(6)]))
        ids = [p.id for p in store.papers()]
        store.set_starred(ids[::3], True)
        store.add_tags(ids[1::4], ["later"])
        store.set_read(ids[2::5], True)
        store.set_note(ids[0], "a note")
    return ids


def answers(store: Store, ids: list[str]) -> tuple[object, ...]:
    return (
        [store.get(pid) for pid in ids],
        [store.state(pid) for pid in ids],
        store.entries_of(ids),
        store.resolve(ids[4][:5]),
        store.count,
    )


def count_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The months whose shard is read whole from now on, as they are read."""
    from paperterm import store_shards

    loads: list[str] = []
    real = store_shards.Shards.load_papers

    def counting(self: store_shards.Shards, month: str) -> None:
        loads.append(month)
        real(self, month)

    monkeypatch.setattr(store_shards.Shards, "load_papers", counting)
    return loads


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "store"


def test_lazy_store_answers_as_an_eager_one(data: Path) -> None:
    ids = seed(data)
    assert manifest_path(data).exists()  # the import listed the shards it wrote
    with Store.open(data, "u") as eager, Store.open(data, "u", lazy=True) as lazy:
        assert not lazy.complete
        assert answers(lazy, ids) == answers(eager, ids)
        assert lazy.entries_of(reversed(ids)) == eager.entries()  # newest first, as entries
        assert lazy.states() == eager.states() and lazy.all_tags() == eager.all_tags()
        assert lazy.papers() == eager.papers() and lazy.complete


def test_lazy_show_reads_one_document(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = seed(data)
    loads = count_whole_reads(monkeypatch)
    with Store.open(data, "u", lazy=True) as store:
        assert store.get(ids[7]).title
        store.set_starred([ids[7]], True)
    assert loads == []  # no shard read whole: the manifest was current


def test_a_copy_of_the_store_keeps_its_manifest(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cp -p, rsync -a, a restored backup: new inodes, the same modification times and sizes
    import shutil

    ids = seed(data)
    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    loads = count_whole_reads(monkeypatch)
    with Store.open(copy, "u", lazy=True) as store:
        assert store.get(ids[7]).title
        store.set_starred([ids[7]], True)
        assert store.state(ids[7]).starred
    assert loads == []
    with Store.open(copy, "u") as eager, Store.open(data, "u") as original:
        assert eager.papers() == original.papers()


@pytest.mark.parametrize("damage", ["delete", "garbage", "flip", "truncate", "foreign"])
def test_damaged_manifest_is_rebuilt_never_trusted(data: Path, damage: str) -> None:
    ids = seed(data)
    path = manifest_path(data)
    good = path.read_bytes()
    if damage == "delete":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00\xffnot a manifest")
    elif damage == "flip":  # one byte changed in the JSON: the digest fails
        at = good.index(b'"ids":"') + 8
        path.write_bytes(good[:at] + bytes([good[at] ^ 1]) + good[at + 1 :])
    elif damage == "truncate":
        path.write_bytes(good[: len(good) // 2])
    else:
        path.write_bytes(json.dumps({"shards": {}}).encode())
    with Store.open(data, "u") as eager:
        expected = answers(eager, ids)
    with Store.open(data, "u", lazy=True) as lazy:
        assert answers(lazy, ids) == expected
    assert path.read_bytes().startswith(MAGIC)  # listed anew
    assert set(Manifest.load(path).shards) == {"2024-01", "2024-02", "2024-03"}


def test_wrong_offsets_cost_a_whole_read_not_a_wrong_paper(data: Path) -> None:
    ids = seed(data)
    path = manifest_path(data)
    manifest = Manifest.load(path)
    for entry in manifest.shards.values():  # every paper pointing at its neighbour
        assert entry.starts is not None
        entry.starts = entry.starts[1:] + entry.starts[:1]
    manifest.dirty = True
    manifest.save()
    with Store.open(data, "u") as eager:
        expected = answers(eager, ids)
    with Store.open(data, "u", lazy=True) as lazy:
        assert answers(lazy, ids) == expected
    for month, entry in Manifest.load(path).shards.items():  # and the entries were redone
        assert entry.starts == sorted(entry.starts or []), month


def test_stale_manifest_after_another_import_is_listed_anew(data: Path) -> None:
    ids = seed(data)
    path = manifest_path(data)
    old = path.read_bytes()
    with Store.open(data, "u") as other:  # another process adds papers to March
        new = other.import_digest(make_digest(dt.date(2024, 3, 20), ["Late March paper"]))
    path.write_bytes(old)  # as if that writer had not listed them (a crash, an old version)
    with Store.open(data, "u", lazy=True) as lazy:
        pid = new.new_ids[0]
        assert lazy.resolve(pid[:6]) == pid
        assert lazy.get(pid).title == "Late March paper"
        assert lazy.count == len(ids) + 1
    assert path.read_bytes() != old


def test_lazy_store_sees_other_processes_writes(data: Path) -> None:
    ids = seed(data)
    with Store.open(data, "u", lazy=True) as lazy:
        before = lazy.get(ids[0])
        with Store.open(data, "u") as other:
            new = other.import_digest(make_digest(dt.date(2024, 3, 21), ["Another one"]))
            other.set_starred(new.new_ids, True)
        with pytest.raises(UnknownPaperError):
            lazy.get("zzzzzzz")
        lazy.set_read(new.new_ids, True)  # an id another process imported: found
        assert lazy.get(new.new_ids[0]).title == "Another one"
        assert lazy.state(new.new_ids[0]).starred and lazy.state(new.new_ids[0]).read
        assert lazy.get(ids[0]) == before


def test_undone_import_leaves_the_manifest(data: Path) -> None:
    seed(data)
    with Store.open(data, "u") as store:
        added = store.import_digest(make_digest(dt.date(2024, 4, 2), ["Gone soon"])).new_ids
        store.undo_import()
    with Store.open(data, "u", lazy=True) as lazy:
        with pytest.raises(UnknownPaperError):
            lazy.get(added[0])
        assert added[0] not in {pid for e in Manifest.load(manifest_path(data)).shards.values()
                                for pid in e.ids}  # fmt: skip


def test_find_starts_locates_every_document() -> None:
    docs = {f"id{i}": {"title": f'T "{i}"', "abstract": '"id3":{ not a key', "n": [i]}
            for i in range(6)}  # fmt: skip
    data = orjson.dumps({"papers": docs})
    starts = find_starts(data, list(docs))
    assert starts is not None and starts[0] == len(HEAD)
    ends = [s - 1 for s in starts[1:]] + [len(data) - 2]
    for pid, start, end in zip(docs, starts, ends, strict=True):
        assert orjson.loads(b"{" + data[start:end] + b"}") == {pid: docs[pid]}
    assert find_starts(json.dumps({"papers": docs}, indent=1).encode(), list(docs)) is None
    assert find_starts(orjson.dumps({"other": {}, "papers": docs}), list(docs)) is None
    assert find_starts(data, ["id1", "id0"]) is None  # not the file's order


def test_read_docs_refuses_another_file_version(tmp_path: Path) -> None:
    path = tmp_path / "2024-01.json"
    docs = {"aaaaaaa": {"x": 1}, "bbbbbbb": {"y": 2}}
    data = orjson.dumps({"papers": docs})
    path.write_bytes(data)
    st = path.stat()
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    entry = ShardEntry(key, list(docs), find_starts(data, list(docs)))
    assert read_docs(path, entry, ["bbbbbbb"]) == {"bbbbbbb": {"y": 2}}
    assert read_docs(path, ShardEntry((0, 0, 0), entry.ids, entry.starts), ["aaaaaaa"]) is None
    assert read_docs(path, entry, ["ccccccc"]) is None
    assert read_docs(path, ShardEntry(key, entry.ids, [entry.starts[1], 0]), ["aaaaaaa"]) is None  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "picked"),
    [("is:starred", "starred"), ("tag:later", "later"), ("is:read -tag:later", "read-untagged"),
     ("has:note", "noted"), ("is:unread", None), ("-is:starred", None), ("date:2024-03-05", None),
     ("has:code is:starred", "starred"), ("-is:unread", "read")],
)  # fmt: skip
def test_state_candidates_cover_every_match(data: Path, text: str, picked: str | None) -> None:
    seed(data)
    query = parse_query(text)
    with Store.open(data, "u") as store:
        states = store.states()
        matching = [e.id for e in store.entries() if query.matches_filters(e.paper, e.state)]
    candidates = state_candidates(query, states)
    if picked is None:
        assert candidates is None
    else:
        assert candidates is not None and set(matching) <= set(candidates) <= set(states)

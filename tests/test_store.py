"""The store: imports, per-user state, undo, multi-process safety and crash safety."""

from __future__ import annotations

import datetime as dt
import errno
import json
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperterm import digest as digests
from paperterm import storage
from paperterm.doctor import doctor
from paperterm.errors import CorruptStoreError, StoreError, StoreWriteError, UnknownPaperError
from paperterm.model import DEFAULT_STATE, Digest, Link, PaperState, ParsedPaper
from paperterm.paths import sample_digest_paths
from paperterm.store import SCHEMA_VERSION, Store

JAN = dt.date(2024, 1, 15)
FEB = dt.date(2024, 2, 3)
MAR = dt.date(2024, 3, 1)


def make_digest(day: dt.date, titles: list[str], source: str = "test.txt") -> Digest:
    papers = tuple(
        ParsedPaper(
            title=title,
            abstract=f"Abstract of {title}. Code: https://github.com/x/{i}",
            links=(Link(f"https://github.com/x/{i}", "code"),),
            line=1 + 3 * i,
        )
        for i, title in enumerate(titles)
    )
    return Digest(day, papers, source, warnings=("one odd line",))


TITLES = [f"Paper number {i}" for i in range(6)]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data: Path) -> Iterator[Store]:
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, TITLES))
        yield s


def snapshot(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file's bytes, inode and mtime: equal snapshots mean nothing was written."""
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def ids_of(store: Store) -> list[str]:
    return [p.id for p in store.papers()]


# ------------------------------------------------------------------ imports


def test_import_then_reimport_writes_nothing(data: Path) -> None:
    with Store.open(data, "alice") as s:
        first = s.import_digest(make_digest(JAN, TITLES))
        assert (first.new, first.known) == (6, 0)
        assert first.source == "test.txt" and first.date == JAN
        assert first.warnings == ("one odd line",)
        assert len(first.new_ids) == 6 and len(s) == 6 == s.count
        before = snapshot(data)
        again = s.import_digest(make_digest(JAN, TITLES))
        assert (again.new, again.known, again.new_ids) == (0, 6, ())
        assert snapshot(data) == before
    with Store.open(data, "alice") as s:  # and from a fresh process' point of view
        assert s.import_digest(make_digest(JAN, TITLES)).new == 0
        assert snapshot(data) == before


def test_papers_round_trip_through_the_files(store: Store, data: Path) -> None:
    with Store.open(data, "bob") as other:
        assert other.papers() == store.papers()
    paper = store.papers()[0]
    assert paper.title == "Paper number 0"
    assert paper.links == (Link("https://github.com/x/0", "code"),)
    assert paper.dates == (JAN,) and paper.position == 0
    assert paper.code_url == "https://github.com/x/0"
    assert paper.id == digests.paper_id(digests.paper_key(paper.title))
    doc = json.loads((data / "papers" / "2024-01.json").read_text())["papers"][paper.id]
    assert doc["key"] == digests.paper_key(paper.title)
    assert doc["links"] == [["https://github.com/x/0", "code"]]
    meta = json.loads((data / "meta.json").read_text())
    assert meta == {"meta": {"schema": {"version": SCHEMA_VERSION}}}


def test_same_paper_in_two_digests_is_one_paper_with_both_dates(data: Path) -> None:
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, ["Old one", "Shared paper"]))
        result = s.import_digest(make_digest(FEB, ["SHARED   paper!", "New one"]))
        assert (result.new, result.known) == (1, 1)
        assert len(s) == 3
        shared = s.get(s.resolve(digests.paper_id(digests.paper_key("Shared paper"))))
        assert shared.dates == (JAN, FEB)
        assert shared.position == 0  # its place on the newest page
        assert shared.title == "Shared paper"  # the first title seen is kept
        assert [p.title for p in s.papers()] == ["Shared paper", "New one", "Old one"]
        # an older digest adds its date but does not move the paper
        s.import_digest(make_digest(dt.date(2023, 12, 1), ["x", "y", "Shared paper"]))
        shared = s.get(shared.id)
        assert shared.dates == (dt.date(2023, 12, 1), JAN, FEB) and shared.position == 0
    # the paper stays in the shard of the month it was first seen
    shard = json.loads((data / "papers" / "2024-01.json").read_text())["papers"]
    assert shard[shared.id]["dates"] == ["2023-12-01", "2024-01-15", "2024-02-03"]
    assert shared.id not in json.loads((data / "papers" / "2024-02.json").read_text())["papers"]


def test_import_writes_only_the_touched_shards(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, ["a1", "a2"]))
        s.import_digest(make_digest(FEB, ["b1", "b2"]))
        writes: Counter[str] = Counter()
        real = storage.write_file_atomic

        def counting(path: Path, payload: bytes, *, backup: bool = True) -> storage.FileKey:
            writes[path.name] += 1
            return real(path, payload, backup=backup)

        monkeypatch.setattr(storage, "write_file_atomic", counting)
        s.import_digest(make_digest(MAR, ["c1", "c2", "c3"]))
        assert writes == {"2024-03.json": 1, "imports.json": 1}  # and its history record
        writes.clear()
        s.import_digest(make_digest(MAR.replace(day=2), ["c4", "b1", "a1", "a2"]))
        assert writes == {
            "2024-01.json": 1, "2024-02.json": 1, "2024-03.json": 1, "imports.json": 1
        }  # fmt: skip


def test_id_collisions_lengthen_the_id(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = digests.paper_id

    def colliding(key: str, length: int = 7) -> str:
        return "collide"[:length] if length == 7 else real(key, length)

    monkeypatch.setattr(digests, "paper_id", colliding)
    with Store.open(data, "alice") as s:
        result = s.import_digest(make_digest(JAN, ["First", "Second", "Third"]))
        first, second, third = result.new_ids
        assert first == "collide"
        assert second == real(digests.paper_key("Second"), 8)
        assert third == real(digests.paper_key("Third"), 8)
    with Store.open(data, "alice") as s:  # ids and keys survive a reload
        assert s.get("collide").title == "First"
        assert s.import_digest(make_digest(FEB, ["Second", "First"])).new == 0
        assert s.get(second).dates == (JAN, FEB)


def test_sample_digests(data: Path) -> None:
    samples = [digests.read_digest_file(p) for p in sample_digest_paths()]
    assert [len(d.papers) for d in samples] == [76, 78]
    with Store.open(data, "alice") as s:
        results = s.import_digests(samples)
        assert sum(r.new for r in results) == 139 == len(s)
        assert sum(r.known for r in results) == 154 - 139
        before = snapshot(data)
        assert [r.new for r in s.import_digests(samples)] == [0, 0]
        assert snapshot(data) == before
        papers = s.papers()
    with Store.open(data, "bob") as s:
        assert s.papers() == papers
        assert len({p.id for p in papers}) == 139


def test_a_failed_import_leaves_every_shard_old_or_new(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, ["a1"]))
        s.import_digest(make_digest(FEB, ["b1"]))
        jan_before = (data / "papers" / "2024-01.json").read_bytes()
        real = storage.write_file_atomic

        def dies_on_jan(path: Path, payload: bytes, *, backup: bool = True) -> storage.FileKey:
            if path.name == "2024-01.json":
                raise OSError(errno.EIO, "Input/output error")
            return real(path, payload, backup=backup)

        monkeypatch.setattr(storage, "write_file_atomic", dies_on_jan)
        with pytest.raises(StoreWriteError, match=r"2024-01\.json: cannot save"):
            s.import_digest(make_digest(MAR, ["a1", "b1"]))
        monkeypatch.undo()
        assert (data / "papers" / "2024-01.json").read_bytes() == jan_before
        assert s.get(s.resolve(digests.paper_id(digests.paper_key("a1")))).dates == (JAN,)
    with Store.open(data, "alice") as s:
        assert len(s) == 2
        # ... and importing again completes it
        assert s.import_digest(make_digest(MAR, ["a1", "b1"])).known == 2
        assert all(p.dates[-1] == MAR for p in s.papers())


# ------------------------------------------------------------------ reads


def test_resolve(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = {"alpha": "abc1234", "beta": "abc5678", "gamma": "xyz9999"}
    monkeypatch.setattr(digests, "paper_id", lambda key, length=7: fixed[key] + "q" * (length - 7))
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, list(fixed)))
        assert s.resolve("abc1234") == "abc1234"
        assert s.resolve(" ABC12 ") == "abc1234"
        assert s.resolve("xyz") == "xyz9999"
        with pytest.raises(UnknownPaperError, match=r"ambiguous .*'abc'.*abc1234, abc5678"):
            s.resolve("abc")
        with pytest.raises(UnknownPaperError, match="unknown paper id 'nope123'"):
            s.resolve("nope123")
        with pytest.raises(UnknownPaperError, match="at least 3"):
            s.resolve("ab")
        with pytest.raises(UnknownPaperError, match="unknown paper id 'abc'"):
            s.get("abc")


def test_missing_store_opens_empty_and_creates_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "none", "alice") as s:
        assert (len(s), s.papers(), s.entries(), s.states()) == (0, [], [], {})
        assert s.users() == ["alice"] and s.all_tags() == []
        assert s.get_pref("theme", "dark") == "dark"
        assert s.refresh() is False
    assert not (tmp_path / "none").exists()


def test_entries_and_states(store: Store) -> None:
    ids = ids_of(store)
    store.set_starred([ids[1]], True)
    entries = store.entries()
    assert [e.id for e in entries] == ids
    assert entries[1].state.starred and entries[0].state == DEFAULT_STATE
    assert store.states() == {ids[1]: PaperState(starred=True)}


# ------------------------------------------------------------------ writes and undo


def test_each_write_returns_previous_states_and_restore_undoes(store: Store, data: Path) -> None:
    a, b, c = ids_of(store)[:3]
    prev = store.set_starred([a, b], True)
    assert prev == {a: DEFAULT_STATE, b: DEFAULT_STATE}
    prev_read = store.set_read([a], True)
    assert prev_read == {a: PaperState(starred=True)}
    prev_tags = store.add_tags([a, c], ["Deep Learning", "#ml", "ml"])
    assert prev_tags == {a: PaperState(starred=True, read=True), c: DEFAULT_STATE}
    assert store.state(a).tags == ("deep-learning", "ml")
    prev_note = store.set_note(c, "  look at\x1b[31m table 2\n  ")
    assert store.state(c).note == "look at table 2"
    prev_untag = store.remove_tags([a], ["ML"])
    assert store.state(a) == PaperState(starred=True, read=True, tags=("deep-learning",))
    assert store.all_tags() == ["deep-learning", "ml"]

    for undo in [prev_untag, prev_note, prev_tags, prev_read, prev]:  # newest first
        store.restore_states(undo)
    assert store.states() == {}
    assert json.loads((data / "users" / "alice" / "2024-01.json").read_text()) == {"state": {}}
    with Store.open(data, "alice") as again:
        assert again.states() == {}


def test_restore_returns_what_it_replaced(store: Store) -> None:
    a = ids_of(store)[0]
    store.set_starred([a], True)
    replaced = store.restore_states({a: PaperState(read=True, note="n")})
    assert replaced == {a: PaperState(starred=True)}
    assert store.state(a) == PaperState(read=True, note="n")


def test_state_files_hold_only_non_default_states(store: Store, data: Path) -> None:
    a, b = ids_of(store)[:2]
    store.set_starred([a, b], True)
    store.set_starred([b], False)
    docs = json.loads((data / "users" / "alice" / "2024-01.json").read_text())["state"]
    assert list(docs) == [a]
    assert docs[a]["starred"] is True and "updated" in docs[a]


def test_unknown_ids_and_bad_tags_write_nothing(store: Store, data: Path) -> None:
    a = ids_of(store)[0]
    before = snapshot(data)
    with pytest.raises(UnknownPaperError, match="unknown paper id 'zzzzzzz'"):
        store.set_starred([a, "zzzzzzz"], True)
    with pytest.raises(UnknownPaperError):
        store.set_note("zzzzzzz", "x")
    with pytest.raises(StoreError, match="invalid tag ' '"):
        store.add_tags([a], ["ok", " "])
    with pytest.raises(StoreError, match="invalid tag"):
        store.add_tags([a], ["x" * 41])
    assert snapshot(data) == before
    assert store.state(a) == DEFAULT_STATE


def test_a_bulk_write_writes_each_shard_once(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, ["a1", "a2", "a3"]))
        s.import_digest(make_digest(FEB, ["b1", "b2"]))
        writes: Counter[str] = Counter()
        real = storage.write_file_atomic

        def counting(path: Path, payload: bytes, *, backup: bool = True) -> storage.FileKey:
            writes[str(path.relative_to(data))] += 1
            return real(path, payload, backup=backup)

        monkeypatch.setattr(storage, "write_file_atomic", counting)
        s.set_read(ids_of(s), True)
        assert writes == {"users/alice/2024-01.json": 1, "users/alice/2024-02.json": 1}
        writes.clear()
        s.set_read(ids_of(s), True)  # nothing changes: nothing written
        assert writes == {}


def test_a_lone_string_is_one_id_and_one_tag(store: Store) -> None:
    a = ids_of(store)[0]
    store.add_tags(a, "reading")
    assert store.state(a).tags == ("reading",)


def test_users_are_isolated(data: Path) -> None:
    with Store.open(data, "alice") as alice:
        alice.import_digest(make_digest(JAN, TITLES))
        a, b = ids_of(alice)[:2]
        alice.set_starred([a], True)
        alice.set_pref("theme", "dark")
        alice_files = snapshot(data / "users" / "alice")
        with Store.open(data, "bob") as bob:
            assert bob.states() == {} and bob.state(a) == DEFAULT_STATE
            assert bob.get_pref("theme") is None
            bob.set_starred([b], True)
            bob.add_tags([a], ["bobs"])
            bob.set_pref("theme", "light")
            assert bob.users() == ["alice", "bob"]
        assert snapshot(data / "users" / "alice") == alice_files
        alice.refresh()
        assert alice.states() == {a: PaperState(starred=True)}
        assert alice.all_tags() == [] and alice.get_pref("theme") == "dark"


def test_invalid_user_name(data: Path) -> None:
    with pytest.raises(StoreError, match="invalid user name"):
        Store.open(data, "../etc")


def test_prefs(store: Store, data: Path) -> None:
    assert store.get_pref("filter") is None
    store.set_pref("filter", {"query": "is:starred", "ids": ["a", "b"]})
    value = store.get_pref("filter")
    assert value == {"query": "is:starred", "ids": ["a", "b"]}
    value["ids"].append("c")  # a copy: the store's data is not affected
    assert store.get_pref("filter")["ids"] == ["a", "b"]
    before = snapshot(data)
    store.set_pref("filter", {"query": "is:starred", "ids": ["a", "b"]})
    assert snapshot(data) == before  # unchanged value: nothing written
    with pytest.raises(StoreError, match="preference 'bad'"):
        store.set_pref("bad", {1, 2})
    with Store.open(data, "alice") as again:
        assert again.get_pref("filter")["query"] == "is:starred"


# ------------------------------------------------------------------ several processes


def test_second_instance_sees_writes_after_refresh(store: Store, data: Path) -> None:
    a = ids_of(store)[0]
    with Store.open(data, "alice") as other:
        assert other.refresh() is False
        store.set_starred([a], True)
        store.import_digest(make_digest(FEB, ["Brand new"]))
        assert other.state(a) == DEFAULT_STATE and len(other) == 6
        assert other.refresh() is True
        assert other.state(a).starred and len(other) == 7
        assert ids_of(other) == ids_of(store)
        assert other.refresh() is False
        store.set_starred([a], False)  # a removed state is noticed too
        assert other.refresh() is True
        assert other.states() == {}
        # another user's changes are none of alice's business
        with Store.open(data, "bob") as bob:
            bob.set_starred([a], True)
        assert other.refresh() is False


def test_interleaved_field_level_writes_lose_nothing(store: Store, data: Path) -> None:
    a, b = ids_of(store)[:2]
    with Store.open(data, "alice") as other:  # both loaded before either writes
        store.set_starred([a], True)
        other.set_read([a], True)  # stale in memory: must still keep the star
        store.add_tags([a], ["mine"])
        other.add_tags([a], ["theirs"])
        store.set_note(b, "a note")
        other.set_starred([b], True)  # keeps the note it has not seen
        expected = {
            a: PaperState(starred=True, read=True, tags=("mine", "theirs")),
            b: PaperState(starred=True, note="a note"),
        }
        assert other.states() == expected  # writes bring in the other's changes
        store.refresh()
        assert store.states() == expected
    with Store.open(data, "alice") as fresh:
        assert fresh.states() == expected


def test_concurrent_imports_agree_on_ids(store: Store, data: Path) -> None:
    with Store.open(data, "alice") as other:
        store.import_digest(make_digest(FEB, ["Same new paper"]))
        result = other.import_digest(make_digest(FEB, ["Same new paper", "Other"]))
        assert (result.new, result.known) == (1, 1)
        assert len(other) == 8
        store.refresh()
        assert ids_of(store) == ids_of(other)


def _toggle_many(data: Path, ids: list[str], field: str) -> None:
    with Store.open(data, "alice") as s:
        for pid in ids:
            if field == "starred":
                s.set_starred([pid], True)
            else:
                s.set_read([pid], True)


@pytest.mark.slow
def test_two_processes_writing_different_fields(data: Path) -> None:
    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, [f"p{i}" for i in range(30)]))
        ids = ids_of(s)
    ctx = multiprocessing.get_context("fork")
    workers = [
        ctx.Process(target=_toggle_many, args=(data, ids, field)) for field in ("starred", "read")
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    with Store.open(data, "alice") as s:
        assert all(s.state(pid) == PaperState(starred=True, read=True) for pid in ids)


# ------------------------------------------------------------------ failures


def test_writes_leave_no_temp_files_and_keep_a_backup(store: Store, data: Path) -> None:
    a, b = ids_of(store)[:2]
    store.set_starred([a], True)
    store.set_starred([b], True)
    user_dir = data / "users" / "alice"
    assert {p.name for p in user_dir.iterdir()} == {"2024-01.json", "2024-01.json.bak"}
    assert list(json.loads((user_dir / "2024-01.json.bak").read_text())["state"]) == [a]
    assert not list(data.rglob("*.tmp"))


def test_full_disk(store: Store, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = ids_of(store)[:2]
    store.set_read([a], True)
    before = snapshot(data)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    shard = data / "users" / "alice" / "2024-01.json"
    with pytest.raises(
        StoreWriteError, match=rf"^{re.escape(str(shard))}: cannot save: No space left"
    ):
        store.set_starred([a, b], True)
    with pytest.raises(StoreWriteError, match=r"2024-01\.json: cannot save"):
        store.import_digest(make_digest(JAN, ["One more"]))
    monkeypatch.undo()
    assert snapshot(data) == before
    assert not list(data.rglob("*.tmp"))
    assert store.state(a) == PaperState(read=True) and store.state(b) == DEFAULT_STATE
    assert len(store) == 6
    # the failed change does not sneak into the next successful write
    store.add_tags([b], ["later"])
    with Store.open(data, "alice") as again:
        assert again.states() == {a: PaperState(read=True), b: PaperState(tags=("later",))}


def test_read_only_data_dir(store: Store, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = ids_of(store)[0]
    (data / ".lock").unlink()
    before = snapshot(data)
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", read_only)
    with Store.open(data, "alice") as s:
        assert len(s) == 6 and s.refresh() is False
        with pytest.raises(
            StoreWriteError, match=rf"^{re.escape(str(data))}: cannot save: Permission denied"
        ):
            s.set_starred([a], True)
        with pytest.raises(StoreWriteError, match=re.escape(str(data))):
            s.set_pref("theme", "dark")
        assert s.state(a) == DEFAULT_STATE
    assert snapshot(data) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_data_dir_for_real(store: Store, data: Path) -> None:
    a = ids_of(store)[0]
    (data / ".lock").unlink()
    data.chmod(0o500)
    try:
        with Store.open(data, "alice") as s:
            assert len(s) == 6
            with pytest.raises(StoreWriteError, match=re.escape(str(data))):
                s.set_starred([a], True)
    finally:
        data.chmod(0o700)


def test_corrupt_shard_is_reported_and_left_alone(store: Store, data: Path) -> None:
    shard = data / "papers" / "2024-01.json"
    truncated = shard.read_bytes()[:100]
    shard.write_bytes(truncated)
    with pytest.raises(
        CorruptStoreError, match=rf"^{re.escape(str(shard))}: not valid JSON \(line 1 col \d+\)"
    ):
        Store.open(data, "alice")
    assert shard.read_bytes() == truncated


def test_corrupt_state_shard_noticed_by_refresh(store: Store, data: Path) -> None:
    store.set_starred(ids_of(store)[:1], True)
    shard = data / "users" / "alice" / "2024-01.json"
    shard.write_bytes(b'{"state": {')
    with pytest.raises(CorruptStoreError, match=re.escape(str(shard))):
        store.refresh()
    with pytest.raises(CorruptStoreError, match=re.escape(str(shard))):
        store.set_read(ids_of(store)[:2], True)  # never written over
    assert shard.read_bytes() == b'{"state": {'


def test_unknown_schema_version(store: Store, data: Path) -> None:
    (data / "meta.json").write_text('{"meta": {"schema": {"version": 7}}}')
    with pytest.raises(CorruptStoreError, match=r"meta.json: unknown schema version 7"):
        Store.open(data, "alice")
    with pytest.raises(CorruptStoreError, match="version 7"):
        store.set_starred(ids_of(store)[:1], True)  # an older paperterm never writes over it


def test_doctor_sets_corrupt_files_aside_and_restores_backups(store: Store, data: Path) -> None:
    a, b = ids_of(store)[:2]
    store.set_starred([a], True)
    store.set_starred([b], True)
    assert doctor(data) == []
    shard = data / "users" / "alice" / "2024-01.json"
    shard.write_bytes(b'{"state": {"')
    lines = doctor(data)
    assert len(lines) == 1 and str(shard) in lines[0] and "restored" in lines[0]
    aside = [p.name for p in shard.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].startswith("2024-01.json.corrupt-")
    assert (shard.parent / aside[0]).read_bytes() == b'{"state": {"'
    assert doctor(data) == []
    with Store.open(data, "alice") as s:
        assert s.states() == {a: PaperState(starred=True)}  # the last good copy


def test_malformed_paper_document_names_the_file(store: Store, data: Path) -> None:
    shard = data / "papers" / "2024-01.json"
    docs = json.loads(shard.read_text())
    pid = next(iter(docs["papers"]))
    del docs["papers"][pid]["dates"]
    shard.write_text(json.dumps(docs))
    with pytest.raises(CorruptStoreError, match=re.escape(str(shard))):
        Store.open(data, "alice")


def test_refresh_does_not_wait_for_a_writer(store: Store, data: Path) -> None:
    with Store.open(data, "alice") as other:
        store.set_starred(ids_of(store)[:1], True)
        with storage.store_lock(data):  # another process in the middle of a write
            assert other.refresh() is False
        assert other.refresh() is True


def test_prefs_written_by_another_instance_are_read_fresh(store: Store, data: Path) -> None:
    with Store.open(data, "alice") as other:
        assert other.get_pref("theme") is None
        store.set_pref("theme", "light")
        assert other.get_pref("theme") == "light"
        other.set_pref("selected", "abc")
        assert store.get_pref("selected") == "abc" and store.get_pref("theme") == "light"


def _write_forever(data: Path) -> None:
    with Store.open(data, "alice") as s:
        ids = ids_of(s)
        for n in range(10**9):
            s.set_starred(ids[n % 7 : n % 7 + 5], n % 2 == 0)
            s.import_digest(make_digest(JAN, [f"killed {n} {i}" for i in range(3)]))


@pytest.mark.slow
def test_killed_writers_leave_readable_files(data: Path) -> None:
    import signal
    import time

    with Store.open(data, "alice") as s:
        s.import_digest(make_digest(JAN, [f"base {i}" for i in range(40)]))
    ctx = multiprocessing.get_context("fork")
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31):
        worker = ctx.Process(target=_write_forever, args=(data,))
        worker.start()
        time.sleep(delay)
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        with Store.open(data, "alice") as s:  # every file parses: old or new, never partial
            assert len(s) >= 40
        assert all("temporary file" in line for line in doctor(data))
    assert not list(data.rglob("*.tmp"))

"""The low store layer: atomic files, the stat-keyed cache, TinyDB glue, locks, repair."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import fcntl
import json
import os
import re
from pathlib import Path

import pytest
from tinydb.table import Document

from paperterm.atomicfile import write_file_atomic
from paperterm.doctor import doctor, repair_file
from paperterm.documents import DateCache, make_paper, paper_doc, papers_from_docs, with_date
from paperterm.errors import CorruptStoreError, StoreError, StoreWriteError
from paperterm.model import NO_META, Link, Paper
from paperterm.state_documents import normalize_tag, strip_controls
from paperterm.storage import (
    AtomicJSONStorage,
    StoreDB,
    dump_tables,
    file_key,
    parse_tables,
    shared_lock,
    store_lock,
)


def listing(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def test_atomic_write_keeps_backup_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.json"
    key1 = write_file_atomic(target, b'{"a":{}}')
    assert target.read_bytes() == b'{"a":{}}'
    assert listing(target.parent) == {"f.json"}
    key2 = write_file_atomic(target, b'{"b":{}}')
    assert target.read_bytes() == b'{"b":{}}'
    assert (target.parent / "f.json.bak").read_bytes() == b'{"a":{}}'
    assert listing(target.parent) == {"f.json", "f.json.bak"}
    assert key1 != key2
    assert file_key(target) == key2


def test_storage_caches_until_the_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None
    storage.write({"t": {"x": {"v": 1}}})
    first = storage.read()
    assert first == {"t": {"x": {"v": 1}}}
    assert storage.read() is first  # served from the cache
    write_file_atomic(path, b'{"t":{"x":{"v":2}}}')  # "another process"
    second = storage.read()
    assert second == {"t": {"x": {"v": 2}}}
    assert second is not first


def test_storage_writes_compact_utf8(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    AtomicJSONStorage(path).write({"t": {"x": {"title": "Über"}}})
    assert path.read_bytes() == '{"t":{"x":{"title":"Über"}}}'.encode()


def test_lone_surrogates_still_make_valid_json() -> None:
    data = dump_tables({"t": {"x": {"s": "a\ud800b"}}})
    assert json.loads(data) == {"t": {"x": {"s": "a\ud800b"}}}


@pytest.mark.parametrize(
    "content",
    [b'{"papers": {"abc": {"title": "trunc', b"", b"[1, 2]", b'{"t": 3}', b'{"t": {"x": 1}}'],
)
def test_corrupt_file_is_reported_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "2024-01.json"
    path.write_bytes(content)
    with pytest.raises(CorruptStoreError) as info:
        AtomicJSONStorage(path).read()
    message = str(info.value)
    assert str(path) in message
    assert "not valid JSON (line" in message
    assert "paperterm doctor" in message
    assert path.read_bytes() == content


def test_corrupt_message_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'{"t": {\n  "a": {"b": }}}')
    with pytest.raises(CorruptStoreError, match=r"line 2 col 14"):
        parse_tables(path, path.read_bytes())
    with pytest.raises(CorruptStoreError, match=r"line 2 col 4"):
        parse_tables(path, b'{"t":\n  "\xff"}')


def test_failed_write_raises_cleans_up_and_invalidates_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    db = StoreDB(path)
    table = db.str_table("state")
    table.modify(lambda docs: docs.update(a={"starred": False}))
    before = path.read_bytes()

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StoreWriteError) as info:
        table.update({"starred": True}, doc_ids=["a"])
    monkeypatch.undo()
    assert str(info.value) == (
        f"{path}: cannot save: No space left on device; the change was not saved"
    )
    assert path.read_bytes() == before
    assert listing(tmp_path) == {"db.json"}
    # TinyDB changed the cached document before the write failed: it must not survive.
    assert table.get(doc_id="a") == {"starred": False}  # type: ignore[call-overload]
    table.modify(lambda docs: docs.update(b={"starred": True}))
    assert json.loads(path.read_bytes()) == {
        "state": {"a": {"starred": False}, "b": {"starred": True}}
    }


def test_string_ids_through_the_tinydb_api(tmp_path: Path) -> None:
    db = StoreDB(tmp_path / "db.json")
    table = db.str_table("papers")
    table.insert(Document({"title": "A"}, doc_id="abc1234"))  # type: ignore[arg-type]
    table.update({"title": "B"}, doc_ids=["abc1234"])  # type: ignore[list-item]
    doc = table.get(doc_id="abc1234")  # type: ignore[call-overload]
    assert doc == {"title": "B"}
    assert doc.doc_id == "abc1234"
    assert dict(table.raw()) == {"abc1234": {"title": "B"}}
    assert json.loads((tmp_path / "db.json").read_text()) == {"papers": {"abc1234": {"title": "B"}}}


def test_store_lock_is_exclusive_and_shared_lock_waits_for_it(tmp_path: Path) -> None:
    with store_lock(tmp_path / "data"):
        fd = os.open(tmp_path / "data" / ".lock", os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
        with shared_lock(tmp_path / "data", blocking=False) as held:
            assert held is False
    with shared_lock(tmp_path / "data", blocking=False) as held:
        assert held is True


def test_shared_lock_on_missing_dir_creates_nothing(tmp_path: Path) -> None:
    with shared_lock(tmp_path / "nope") as held:
        assert held
    assert not (tmp_path / "nope").exists()


def test_store_lock_on_unwritable_dir_names_the_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", read_only)
    denied = rf"^{re.escape(str(tmp_path))}: cannot save: Permission denied"
    with pytest.raises(StoreWriteError, match=denied), store_lock(tmp_path):
        pass
    with shared_lock(tmp_path) as held:  # reading still works, unlocked
        assert held


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_store_lock_on_read_only_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        with pytest.raises(StoreWriteError, match=re.escape(str(data))), store_lock(data):
            pass
    finally:
        data.chmod(0o700)


def test_repair_file(tmp_path: Path) -> None:
    path = tmp_path / "2024-01.json"
    write_file_atomic(path, b'{"papers":{"a":{}}}')
    write_file_atomic(path, b'{"papers":{"a":{},"b":{}}}')
    assert repair_file(path, "20240101T000000") is None  # sound
    path.write_bytes(b'{"papers":{"a":{},"b"')
    line = repair_file(path, "20240101T000000")
    assert line is not None and "restored the last good copy" in line and str(path) in line
    assert path.read_bytes() == b'{"papers":{"a":{}}}'
    assert (tmp_path / "2024-01.json.corrupt-20240101T000000").read_bytes() == (
        b'{"papers":{"a":{},"b"'
    )
    (tmp_path / "2024-01.json.bak").write_bytes(b"garbage")
    path.write_bytes(b"garbage too")
    line = repair_file(path, "20240101T000000")
    assert line is not None and "started it empty" in line
    assert path.read_bytes() == b"{}"
    assert (tmp_path / "2024-01.json.corrupt-20240101T000000-1").read_bytes() == b"garbage too"


def test_doctor_on_clean_and_missing_store(tmp_path: Path) -> None:
    assert doctor(tmp_path / "missing") == []
    write_file_atomic(tmp_path / "meta.json", b'{"meta":{"schema":{"version":1}}}')
    assert doctor(tmp_path) == []


def test_doctor_removes_leftover_temp_files(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    leftover = tmp_path / "papers" / ".2024-01.json.abc123.tmp"
    leftover.write_bytes(b'{"papers":')
    lines = doctor(tmp_path)
    assert len(lines) == 1 and str(leftover) in lines[0]
    assert not leftover.exists()


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        (" Deep Learning ", "deep-learning"),
        ("#NLP", "nlp"),
        ("to\tread  later", "to-read-later"),
        ("red\x1b[31mflag\x07", "redflag"),
        ("x" * 40, "x" * 40),
    ],
)
def test_normalize_tag(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag


@pytest.mark.parametrize("raw", ["", "   ", "#", "\x1b[0m", "x" * 41])
def test_invalid_tags_name_the_tag(raw: str) -> None:
    with pytest.raises(StoreError, match="invalid tag"):
        normalize_tag(raw)


def test_strip_controls_keeps_what_it_is_told() -> None:
    # Escape sequences go whole; a tab is a word break (a space), never glued away.
    assert strip_controls("a\x1b]0;title\x07b\nc\td\x00", keep="\n") == "ab\nc d"
    assert strip_controls("x\u202ey\u2066z\x9b31mw", keep="\n") == "xyzw"


def test_fast_paper_maker_builds_real_papers() -> None:
    day = dt.date(2024, 1, 2)
    links = (Link("https://github.com/a/b", "code"),)
    made = make_paper("abc1234", "T", "A", links, (day,), 3, NO_META)
    real = Paper("abc1234", "T", "A", links, (day,), 3)
    assert type(made) is Paper
    assert made == real and hash(made) == hash(real) and repr(made) == repr(real)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "changed"  # type: ignore[misc]


def test_papers_from_docs_interns_dates() -> None:
    docs = {
        "a": {
            "title": "A",
            "abstract": "",
            "links": [],
            "dates": ["2024-01-02"],
            "position": 0,
            "key": "a",
        },
        "b": {
            "title": "B",
            "abstract": "",
            "links": [["u", "video"]],
            "dates": ["2024-01-02"],
            "position": 1,
            "key": "b",
        },
    }
    (pa, ka), (pb, kb) = papers_from_docs(docs, DateCache())
    assert (ka, kb) == ("a", "b")
    assert pa.dates[0] is pb.dates[0]
    assert pb.links == (Link("u", "video"),)


def test_with_date_moves_position_only_for_a_newer_digest() -> None:
    doc = paper_doc("T", "A", (), ["2024-01-02"], 4, "t")
    assert with_date(doc, "2024-01-02", 9) is None
    newer = with_date(doc, "2024-02-01", 9)
    assert newer is not None and newer["dates"] == ["2024-01-02", "2024-02-01"]
    assert newer["position"] == 9
    older = with_date(doc, "2023-12-01", 7)
    assert older is not None and older["dates"][0] == "2023-12-01" and older["position"] == 4
    assert doc["dates"] == ["2024-01-02"]  # the original is not changed


def test_without_posix_file_locks_the_store_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperterm import storage
    from paperterm.store import Store

    monkeypatch.setattr(storage, "fcntl", None)  # as on Windows
    with pytest.raises(StoreError, match="POSIX file locks") as caught:
        Store.open(tmp_path / "data", "alice").set_starred([], True)
    assert "\n" not in str(caught.value)

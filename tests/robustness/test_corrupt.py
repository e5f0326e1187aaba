"""Corrupt or foreign files, read-only data dirs and full disks.

A bad store file: ``paperterm list`` says which file and what is wrong in one line (exit 1,
no traceback) and leaves the file's bytes alone, writes refuse to replace it, and
``paperterm doctor`` sets it aside as ``FILE.corrupt-...`` and restores the last good copy
(``FILE.bak``), after which the store holds the state of the write before last. A store file
a newer paperterm wrote is never touched. A change that cannot be saved is an error naming
the place, in the CLI, the Store and the TUI, and nothing pretends it was saved.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from robust_support import (
    USER,
    FakeSystem,
    assert_one_line_error,
    cli,
    digest_text,
    write_digest,
)
from textual.pilot import Pilot

from paperterm import atomicfile
from paperterm.digest import paper_id, paper_key, parse_digest
from paperterm.errors import CorruptStoreError, StoreWriteError
from paperterm.model import DEFAULT_STATE, PaperState
from paperterm.store import SCHEMA_VERSION, Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp
from paperterm.tui.widgets.paper_list import STAR_MARK

DAY = dt.date(2024, 1, 15)
FIRST = [f"First import paper {i}" for i in range(3)]
SECOND = [f"Second import paper {i}" for i in range(2)]


def pid(title: str) -> str:
    return paper_id(paper_key(title))


def build(data: Path) -> None:
    """Two imports into one shard and two state writes: each file has a last good copy."""
    with Store.open(data, USER) as store:
        for titles in (FIRST, SECOND):
            text = digest_text(DAY, [(t, f"Abstract of {t}.") for t in titles])
            store.import_digest(parse_digest(text, source="d.txt"))
        store.set_starred([pid(FIRST[0])], True)  # in the .bak of the state shard
        store.set_starred([pid(FIRST[1])], True)  # only in the current file
        store.set_pref("theme", "nord")
        store.set_pref("query", "is:starred")


PAPERS = Path("papers/2024-01.json")
STATES = Path("users/alice/2024-01.json")
PREFS = Path("users/alice/prefs.json")
META = Path("meta.json")


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def malformed_paper(data: bytes) -> bytes:
    tables = json.loads(data)
    del next(iter(tables["papers"].values()))["dates"]
    return json.dumps(tables).encode()


def garbage_version(data: bytes) -> bytes:
    return b'{"meta": {"schema": {"version": "one"}}}'


# (file, corruption, what the error says, what the last good copy holds)
CASES: dict[str, tuple[Path, Callable[[bytes], bytes], str]] = {
    "truncated papers shard": (PAPERS, truncate, "not valid JSON"),
    "papers shard not JSON": (PAPERS, lambda _: b"\x89PNG\r\n\x1a\n\x00binary", "not valid JSON"),
    "papers shard a JSON array": (PAPERS, lambda _: b"[1, 2, 3]", "not an object of tables"),
    "malformed paper document": (PAPERS, malformed_paper, "malformed"),
    "truncated state shard": (STATES, truncate, "not valid JSON"),
    "state shard a JSON array": (STATES, lambda _: b'[{"starred": true}]', "not an object"),
    "state shard not UTF-8": (STATES, lambda _: b'{"state": {"\xff\xfe": {}}}', "not valid JSON"),
    "meta.json with a garbage version": (META, garbage_version, "unknown schema version 'one'"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_corrupt_file_reported_kept_and_repaired(case: str, tmp_path: Path) -> None:
    relative, corrupt, problem = CASES[case]
    data = tmp_path / "store"
    build(data)
    path = data / relative
    bad = corrupt(path.read_bytes())
    path.write_bytes(bad)

    # says which file and what is wrong, in one line, and leaves the bytes alone
    listed = cli(data, "list")
    line = assert_one_line_error(listed, str(path), problem, "paperterm doctor")
    assert line.startswith("paperterm: ")
    assert listed.stdout == ""
    assert path.read_bytes() == bad
    # a write does not replace the bad file either, whichever process it comes from
    starred = cli(data, "star", pid(SECOND[0]))
    assert_one_line_error(starred, str(path))
    assert path.read_bytes() == bad
    with pytest.raises(CorruptStoreError, match=str(path)):
        Store.open(data, USER)
    assert path.read_bytes() == bad

    # doctor sets it aside and restores the last good copy
    doctored = cli(data, "doctor")
    assert doctored.returncode == 0, doctored.stderr
    repaired = "restored the last good"
    if relative == META:
        repaired = f"wrote schema version {SCHEMA_VERSION} again"
    assert str(path) in doctored.stdout and repaired in doctored.stdout
    aside = [p for p in path.parent.iterdir() if p.name.startswith(path.name + ".corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == bad
    assert "store is healthy" in cli(data, "doctor").stdout

    listed = cli(data, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in map(json.loads, listed.stdout.splitlines())}
    expected_papers = FIRST if relative == PAPERS else FIRST + SECOND  # .bak: one import less
    assert set(rows) == {pid(t) for t in expected_papers}
    assert rows[pid(FIRST[0])]["starred"]
    # the state shard's last good copy is the one before the second star
    assert rows[pid(FIRST[1])]["starred"] is (relative != STATES)


def test_unknown_newer_schema_is_never_touched(tmp_path: Path) -> None:
    data = tmp_path / "store"
    build(data)
    meta = data / META
    newer = b'{"meta": {"schema": {"version": 7}}}'
    meta.write_bytes(newer)
    before = {p: p.read_bytes() for p in data.rglob("*.json*")}
    assert_one_line_error(cli(data, "list"), str(meta), "unknown schema version 7",
                          "newer paperterm")  # fmt: skip
    assert_one_line_error(cli(data, "star", pid(SECOND[0])), str(meta), "version 7")
    # doctor must not "repair" a newer store with an older copy: it refuses, changes nothing
    assert_one_line_error(cli(data, "doctor"), str(meta), "version 7")
    assert {p: p.read_bytes() for p in data.rglob("*.json*")} == before
    assert not list(data.rglob("*.corrupt-*"))


def test_corrupt_prefs_stop_the_reader_with_one_line(tmp_path: Path) -> None:
    data = tmp_path / "store"
    build(data)
    prefs = data / PREFS
    prefs.write_bytes(b'{"prefs": {"theme": ')
    # the reader is the default command; it must fail before taking over the terminal
    line = assert_one_line_error(cli(data), str(prefs), "not valid JSON", "paperterm doctor")
    assert "Traceback" not in line
    assert cli(data, "list").returncode == 0  # the papers and marks are still readable
    assert "restored the last good copy" in cli(data, "doctor").stdout
    with Store.open(data, USER) as store:
        assert store.get_pref("theme") == "nord"  # .bak: the write before last


def test_doctor_removes_temp_files_and_keeps_good_files(tmp_path: Path) -> None:
    data = tmp_path / "store"
    build(data)
    leftover = data / "papers" / ".2024-01.json.x1y2z3.tmp"
    leftover.write_bytes(b'{"papers": {')
    before = {p: p.read_bytes() for p in data.rglob("*.json")}
    out = cli(data, "doctor")
    assert out.returncode == 0 and str(leftover) in out.stdout
    assert not leftover.exists()
    assert {p: p.read_bytes() for p in data.rglob("*.json")} == before


# ---------------------------------------------------------------- unwritable data dir


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "store"
    not_a_dir.write_text("I am a file")
    digest = write_digest(tmp_path / "d-2024-01-15.txt", DAY, [("A title", "An abstract.")])
    assert_one_line_error(cli(not_a_dir, "list"), str(not_a_dir))
    assert_one_line_error(cli(not_a_dir, "import", str(digest)) , str(not_a_dir))
    assert not_a_dir.read_text() == "I am a file"


def test_user_dir_that_cannot_be_created(tmp_path: Path) -> None:
    data = tmp_path / "store"
    build(data)
    blocker = data / "users" / "bob"
    blocker.write_text("not a directory")  # where bob's folder should be
    before = {p: p.read_bytes() for p in data.rglob("*.json")}
    result = cli(data, "--user", "bob", "star", pid(FIRST[2]))
    assert_one_line_error(result, str(blocker), "cannot save", "not saved")
    assert {p: p.read_bytes() for p in data.rglob("*.json")} == before
    with Store.open(data, "alice") as alice:  # alice is unaffected and can still write
        alice.set_read([pid(FIRST[2])], True)
        assert alice.state(pid(FIRST[2])).read


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_data_dir_cli(tmp_path: Path) -> None:  # pragma: no cover - non-root CI
    data = tmp_path / "store"
    build(data)
    (data / ".lock").unlink()
    for directory in [data, *(p for p in data.rglob("*") if p.is_dir())]:
        directory.chmod(0o500)
    try:
        assert cli(data, "list").returncode == 0
        assert_one_line_error(cli(data, "star", pid(FIRST[2])), "cannot save", "not saved")
    finally:
        for directory in [data, *(p for p in data.rglob("*") if p.is_dir())]:
            directory.chmod(0o700)


# ---------------------------------------------------------------- full disk


class Failing:
    """Switches store writes between working and failing like a full disk (every
    ``os.write`` raises ENOSPC) or a read-only data dir (opening for writing: EACCES)."""

    def __init__(self, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mode = mode
        self.reason = "No space left on device" if mode == "full disk" else "Permission denied"
        self._monkeypatch = monkeypatch
        self._write, self._open = os.write, os.open

    def __call__(self, failing: bool) -> None:
        write, open_ = self._write, self._open
        if failing and self.mode == "full disk":

            def write(fd: int, data: bytes | memoryview, /) -> int:  # type: ignore[misc]
                raise OSError(errno.ENOSPC, "No space left on device")

        elif failing:

            def open_(path: str | os.PathLike[str], flags: int, *args: int, **kw: int) -> int:  # type: ignore[misc]
                if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
                    raise PermissionError(errno.EACCES, "Permission denied")
                return self._open(path, flags, *args, **kw)

        self._monkeypatch.setattr(atomicfile.os, "write", write)
        self._monkeypatch.setattr(atomicfile.os, "open", open_)


@pytest.fixture(params=["full disk", "read-only"])
def full_disk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Failing:
    """``full_disk(True)``: store writes fail (see ``Failing``); ``full_disk(False)``: work."""
    return Failing(request.param, monkeypatch)


def test_full_disk_store_writes_fail_loudly_and_change_nothing(
    tmp_path: Path, full_disk: Failing
) -> None:
    data = tmp_path / "store"
    build(data)
    files_before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    target = pid(SECOND[1])
    with Store.open(data, USER) as store:
        states_before = store.states()
        full_disk(True)
        for write in (
            lambda: store.set_starred([target], True),
            lambda: store.add_tags([target], ["later"]),
            lambda: store.set_note(target, "a long careful note"),
            lambda: store.import_digest(parse_digest(
                digest_text(DAY, [("A brand new paper", "Its abstract.")]), source="n.txt")),
            lambda: store.set_pref("theme", "dark"),
        ):
            with pytest.raises(StoreWriteError, match=rf"{full_disk.reason}.*not saved"):
                write()
        full_disk(False)
        assert store.states() == states_before
        assert store.state(target) == DEFAULT_STATE and len(store) == 5
        assert store.get_pref("theme") == "nord"
        assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == files_before
        store.set_read([target], True)  # space again: the failed changes do not sneak in
    with Store.open(data, USER) as fresh:
        assert fresh.state(target) == PaperState(read=True)


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_full_disk_in_the_reader_says_not_saved(
    tmp_path: Path, full_disk: Failing
) -> None:
    data = tmp_path / "store"
    build(data)
    system = FakeSystem()
    with Store.open(data, USER) as store:
        app = PapertermApp(Triage(store), copier=system.copy, opener=system.open,
                           export_dir=tmp_path,
                           poll_seconds=3600)  # fmt: skip
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(app, pilot)
            await pilot.press("escape")  # leave the saved is:starred filter: every paper
            await settle(app, pilot)
            plist = app.main_screen.paper_list
            target = pid(SECOND[1])
            plist.move_to(plist.row_of(target) or 0)
            assert plist.current_id == target
            full_disk(True)
            app._notifications.clear()
            await pilot.press("s")
            await settle(app, pilot)
            errors = [n for n in app._notifications if n.title == "Not saved"]
            assert len(errors) == 1 and errors[0].severity == "error"
            assert full_disk.reason in errors[0].message
            assert STAR_MARK not in plist.render_line(plist.cursor - plist.scroll_offset.y).text
            assert not store.state(target).starred
            # a note typed while the disk is full is not thrown away: the editor comes back
            await pilot.press("e", *"keep me", "ctrl+s")
            await settle(app, pilot)
            assert app.screen.__class__.__name__ == "NoteDialog"
            full_disk(False)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert store.state(target).note == "keep me"
            memory = store.states()
        with Store.open(data, USER) as fresh:
            assert fresh.states() == memory
            assert not fresh.state(target).starred


async def test_file_corrupted_under_the_open_reader(tmp_path: Path) -> None:
    """Another program damages a state file while the reader is open: the reader says so,
    keeps running, and never writes over the damaged file."""
    data = tmp_path / "store"
    build(data)
    system = FakeSystem()
    with Store.open(data, USER) as store:
        app = PapertermApp(Triage(store), copier=system.copy, opener=system.open,
                           export_dir=tmp_path,
                           poll_seconds=3600)  # fmt: skip
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(app, pilot)
            shard = data / STATES
            shard.write_bytes(b'{"state": {"')
            app.poll_store()
            await settle(app, pilot)
            assert any(str(shard) in n.message and "paperterm doctor" in n.message
                       for n in app._notifications)  # fmt: skip
            await pilot.press("s", "r")
            await settle(app, pilot)
            failures = [n for n in app._notifications if n.title == "Not saved"]
            assert len(failures) == 2 and all(str(shard) in n.message for n in failures)
            assert app.is_running
            assert shard.read_bytes() == b'{"state": {"'

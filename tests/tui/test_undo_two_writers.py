"""Undo in the reader with the CLI (a real subprocess) writing the same store meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from test_triage_keys import current, plist, settle

from paperterm.model import PaperState
from paperterm.store import Store
from paperterm.tui.app import PapertermApp


def cli(data_dir: Path, *args: str) -> None:
    env = {**os.environ, "PAPERTERM_USER": "alice"}
    env.pop("PAPERTERM_CONFIG_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "paperterm", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr


def on_disk(data_dir: Path, pid: str) -> PaperState:
    with Store.open(data_dir, "alice") as store:
        return store.state(pid)


async def test_undo_star_keeps_the_cli_tag_and_note(sample_store: Store, make_app,
                                                     data_dir: Path) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("s")
        cli(data_dir, "tag", pid, "+x")
        cli(data_dir, "note", pid, "n")
        app.poll_store()
        await settle(app, pilot)
        assert app.triage.store.state(pid).tags == ("x",)
        await pilot.press("u")
        await settle(app, pilot)
        assert on_disk(data_dir, pid) == PaperState(tags=("x",), note="n")
        assert app.triage.store.state(pid) == PaperState(tags=("x",), note="n")


async def test_undo_without_a_poll_still_respects_the_cli(sample_store: Store, make_app,
                                                          data_dir: Path) -> None:
    """The CLI writes and the reader has not polled yet: undo compares with the file."""
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("e", *"mine", "ctrl+s")
        await settle(app, pilot)
        cli(data_dir, "note", pid, "theirs")
        cli(data_dir, "star", pid)
        await pilot.press("u")
        await settle(app, pilot)
        assert on_disk(data_dir, pid) == PaperState(starred=True, note="theirs")
        toasts = [n.message for n in app._notifications]
        assert any("kept the note changed since" in message for message in toasts), toasts


async def test_bulk_undo_keeps_what_the_cli_changed(sample_store: Store, make_app,
                                                    data_dir: Path) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"date:2026-09-09", "enter")
        await settle(app, pilot)
        ids = list(plist(app).ids)
        assert 3 < len(ids) < 139
        await pilot.press("A", "y")
        await settle(app, pilot)
        assert all(on_disk(data_dir, pid).read for pid in ids[:3])
        cli(data_dir, "tag", ids[0], "+keep")
        cli(data_dir, "unread", ids[1])
        cli(data_dir, "star", ids[2])
        await pilot.press("G", "u")
        await settle(app, pilot)
        assert current(app) == ids[0]  # the highest paper the undo changed
        assert on_disk(data_dir, ids[0]) == PaperState(tags=("keep",))
        assert on_disk(data_dir, ids[1]) == PaperState()
        assert on_disk(data_dir, ids[2]) == PaperState(starred=True)
        assert not any(on_disk(data_dir, pid).read for pid in ids[3:6])


async def test_undo_names_the_paper_and_goes_back_to_it(sample_store: Store,
                                                         make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("r", "j", "j", "j")
        assert current(app) != pid
        await pilot.press("u")
        await settle(app, pilot)
        assert current(app) == pid and not sample_store.state(pid).read
        message = list(app._notifications)[-1].message
        title = " ".join(sample_store.get(pid).title.split())
        assert message.startswith("undid: marked read on “")
        assert title[:10] in message and len(message) < 30 + len("undid: marked read on")

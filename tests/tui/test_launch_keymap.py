"""Launching the reader (demo and user stores) and the keymap file, without a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperterm.errors import PapertermError
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui import launch as launch_module
from paperterm.tui.app import PapertermApp
from paperterm.tui.keymap import load_keymap


@pytest.fixture
def recorded_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, int]]:
    """Replace App.run: record (user, number of papers) instead of taking the terminal."""
    runs: list[tuple[str, int]] = []

    def fake_run(self: PapertermApp) -> None:
        runs.append((self.triage.store.user, len(self.triage.store)))

    monkeypatch.setattr(PapertermApp, "run", fake_run)
    monkeypatch.setenv("PAPERTERM_CONFIG_DIR", str(tmp_path / "config"))
    return runs


def test_demo_uses_a_throwaway_store_of_the_samples(recorded_runs: list[tuple[str, int]],
                                                     tmp_path: Path) -> None:
    user_dir = tmp_path / "mine"
    assert launch_module.launch(data_dir=user_dir, user="alice", demo=True) == 0
    assert recorded_runs == [("alice", 139)]
    assert not user_dir.exists(), "--demo never touches the user's store"


def test_launch_opens_the_user_store(recorded_runs: list[tuple[str, int]],
                                     tmp_path: Path) -> None:
    assert launch_module.launch(data_dir=tmp_path / "data", user="bob") == 0
    assert recorded_runs == [("bob", 0)]


def test_bad_keymap_is_a_clear_error(recorded_runs: list[tuple[str, int]],
                                     tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text("[keymap\n", encoding="utf-8")
    with pytest.raises(PapertermError, match=r"keymap\.toml: invalid keymap file"):
        launch_module.launch(data_dir=tmp_path / "data", user="bob")
    assert recorded_runs == []


def test_load_keymap(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    assert load_keymap(path) == {}
    path.write_text('[keymap]\n"main.star" = "f"\n"list.down" = "j,down,ctrl+n"\n',
                    encoding="utf-8")
    assert load_keymap(path) == {"main.star": "f", "list.down": "j,down,ctrl+n"}
    path.write_text('[keymap]\n"main.star" = 3\n', encoding="utf-8")
    with pytest.raises(PapertermError, match=r"main\.star"):
        load_keymap(path)
    path.write_text('keymap = "nope"\n', encoding="utf-8")
    with pytest.raises(PapertermError, match=r"\[keymap\] must be a table"):
        load_keymap(path)


def test_keymap_shows_on_help_screen(tmp_path: Path) -> None:
    from paperterm.tui.screens.help import bindings_table
    from paperterm.tui.screens.main import MAIN_BINDINGS

    table = bindings_table([("Triage", MAIN_BINDINGS)], {"main.star": "f"})
    keys = [str(cell) for cell in table.columns[0]._cells]
    assert "f" in keys and "s" not in keys


async def test_page_keys_move_by_a_screen(tmp_path: Path) -> None:
    from paperterm.digest import read_digest_file
    from paperterm.paths import sample_digest_paths

    with Store.open(tmp_path / "d", "alice") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path))
        app = PapertermApp(Triage(store), copier=lambda _t: None, opener=lambda _u: None,
                           export_dir=tmp_path, poll_seconds=3600)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            papers = app.main_screen.paper_list
            await pilot.press("ctrl+d")
            page = papers.cursor
            assert page > 10
            await pilot.press("ctrl+d", "ctrl+u")
            assert papers.cursor == page
            await pilot.press("ctrl+u")
            assert papers.cursor == 0
            await pilot.press("end")
            assert papers.cursor == len(papers.ids) - 1

"""Pilot tests of the welcome screen, the command palette, imports and the header counts."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp
from paperterm.tui.screens.welcome import WelcomeScreen


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def header(app: PapertermApp) -> str:
    return str(app.main_screen.query_one("#header", Static).render())


async def test_empty_store_offers_samples(data_dir: Path, make_app) -> None:
    with Store.open(data_dir, "alice") as store:
        app = make_app(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, WelcomeScreen)
            assert "No papers" in app.main_screen.paper_list.empty_text
            await pilot.press("s")
            await settle(app, pilot)
            assert not isinstance(app.screen, WelcomeScreen)
            assert len(store) == 139
            assert len(app.main_screen.paper_list.ids) == 139
            assert "139 papers" in header(app)


async def test_welcome_quit(data_dir: Path, make_app) -> None:
    with Store.open(data_dir, "alice") as store:
        app = make_app(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code in (None, 0)
        assert len(store) == 0


async def test_command_palette_runs_actions(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = app.main_screen.paper_list.current_id
        assert pid is not None
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Star / unstar")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert sample_store.state(pid).starred


async def test_palette_lists_reader_and_builtin_commands(sample_store: Store,
                                                         make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        names = [name for name, _run, _help in app.palette()]
        for wanted in ("Switch user…", "Import digest file…", "Export view to file…",
                       "Undo", "Copy code link"):
            assert wanted in names
        system = [command.title for command in app.get_system_commands(app.screen)]
        assert "Theme" in system


async def test_import_from_tui_updates_list_and_counts(data_dir: Path, make_app,
                                                       tmp_path: Path) -> None:
    first, second = sample_digest_paths()
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(second, folder / "digest.txt")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    with Store.open(data_dir, "alice") as store:
        from paperterm.digest import read_digest_file

        store.import_digest(read_digest_file(first))
        app = make_app(store)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            assert len(app.main_screen.paper_list.ids) == 76
            app.import_paths(sorted(folder.glob("*.txt")))
            await settle(app, pilot)
            assert len(app.main_screen.paper_list.ids) == 139
            messages = [n.message for n in app._notifications]
            assert len(messages) == 1 and "broken.txt" in messages[0]
            assert "Imported 1 file: 63 new papers, 15 already known" in messages[0]


async def test_new_count_since_last_session(data_dir: Path, make_app) -> None:
    from paperterm.digest import read_digest_file

    older, newer = sorted(sample_digest_paths(),
                          key=lambda p: read_digest_file(p).date)
    with Store.open(data_dir, "alice") as store:
        store.import_digest(read_digest_file(older))
        app = make_app(store)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            assert "78 new" in header(app)
            await pilot.press("q")
        store.import_digest(read_digest_file(newer))
        again = make_app(store)
        async with again.run_test(size=(120, 36)) as pilot:
            await settle(again, pilot)
            assert "61 new" in header(again)  # 76 in the newer digest, 15 seen before


async def test_hostile_title_shows_literally(data_dir: Path, make_app) -> None:
    from paperterm.digest import parse_digest

    text = ("Sep 9\n\n[bold red]Owned[/] \x1b[31mred\x1b[0m paper\n\n"
            "Abstract with [link=https://evil.example]click[/link] and \x1b]52;c;aGk=\x07.\n")
    with Store.open(data_dir, "alice") as store:
        store.import_digest(parse_digest(text, source="evil.txt"))
        app = make_app(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            svg = app.export_screenshot()
            assert "[bold&#160;red]Owned[/]" in svg
            assert "[link=https://evil.example]click[/link]" in svg.replace("&#160;", " ")
            await pilot.press("s", "r", "enter", "escape")
            pid = app.main_screen.paper_list.current_id
            assert pid is not None and store.state(pid).starred
            assert app.clipboard == ""


async def test_open_without_browser_copies_instead(sample_store: Store, tmp_path: Path) -> None:
    with_code = next(p for p in sample_store.papers() if p.code_url)
    copied: list[str] = []

    def no_browser(url: str) -> None:
        raise RuntimeError("no graphical display (DISPLAY is not set)")

    app = PapertermApp(Triage(sample_store), copier=copied.append, opener=no_browser,
                       export_dir=tmp_path, poll_seconds=3600)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        plist = app.main_screen.paper_list
        plist.move_to(plist.row_of(with_code.id) or 0)
        await pilot.press("o")
        await pilot.pause()
        assert copied == [with_code.code_url]
        assert any("DISPLAY" in n.message for n in app._notifications)

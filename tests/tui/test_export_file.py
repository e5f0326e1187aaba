"""Pilot tests: the reader's export goes through exportfile (no new folders, no empty list)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.screens.dialogs import PromptDialog


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def messages(app: PapertermApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_export_of_an_empty_view_says_so(sample_store: Store, make_app,
                                               tmp_path: Path) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"is:starred", "enter")
        await settle(app, pilot)
        assert len(app.main_screen.paper_list.ids) == 0
        await pilot.press("x")
        await settle(app, pilot)
        assert list(tmp_path.glob("paperterm-*.md")) == []
        assert "nothing to export: no paper matches 'is:starred'" in messages(app)


async def test_export_to_a_missing_folder_names_it(sample_store: Store, make_app,
                                                   tmp_path: Path) -> None:
    app = make_app(sample_store)
    target = tmp_path / "no" / "such" / "list.md"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export view to file")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("end", "ctrl+u", *str(target), "enter")
        await settle(app, pilot)
        assert not (tmp_path / "no").exists()
        assert any(f"folder {target.parent} does not exist" in m for m in messages(app))

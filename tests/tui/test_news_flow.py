"""News goes up: the store changes under the reader (another process, an import) and the
main screen, told by a message, shows it, keeping the selection; the app never calls
into the screen's search."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from paperterm.digest import parse_digest
from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.messages import StoreChanged

ZEBRA = "Sep 10\n\nQuixotic Zebra Transformers\n\nWe study zebras.\n"


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_another_process_import_is_searchable_at_once(
    sample_store: Store, make_app, data_dir: Path
) -> None:
    app: PapertermApp = make_app(sample_store)
    posted: list[str] = []
    async with app.run_test(size=(120, 36), message_hook=lambda m: posted.append(
            m.summary) if isinstance(m, StoreChanged) else None) as pilot:  # fmt: skip
        await settle(app, pilot)
        assert app.triage.index is not None  # loaded behind the first screen
        await pilot.press("j", "j")
        chosen = app.main_screen.paper_list.current_id
        with Store.open(data_dir, "alice") as other:
            other.import_digest(parse_digest(ZEBRA, source="x-2026-09-10.txt"))
        app.poll_store()
        await settle(app, pilot)
        assert posted == ["another process wrote"]
        screen = app.main_screen
        assert screen.paper_list.current_id == chosen  # the selection stays
        assert len(screen.paper_list.ids) == 140
        assert "140 new" in str(screen.query_one("#header").render())
        await pilot.press("slash", *"quixotic", "enter")
        await settle(app, pilot)
        (pid,) = screen.paper_list.ids  # indexed by the session as the poll saw it
        await pilot.press("s")
        assert sample_store.state(pid).starred


async def test_import_from_the_palette_reaches_the_screen(
    sample_store: Store, make_app, tmp_path: Path
) -> None:
    capture = tmp_path / "2026-09-10.txt"
    capture.write_text(ZEBRA, encoding="utf-8")
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"import digest")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*str(capture), "enter")
        await settle(app, pilot)
        assert len(sample_store) == 140
        await pilot.press("slash", *"zebra", "enter")
        await settle(app, pilot)
        assert [sample_store.get(pid).title for pid in app.main_screen.paper_list.ids] == [
            "Quixotic Zebra Transformers"]

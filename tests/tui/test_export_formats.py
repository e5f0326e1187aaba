"""Pilot tests: ``x`` asks for the export format (remembered) and the path; ``y`` offers
the paper's BibTeX entry beside its code links."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.pilot import Pilot

from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.export_actions import export_format
from paperterm.tui.prefs import PREF_EXPORT_FORMAT
from paperterm.tui.screens.dialogs import ChoiceDialog, LinkPicker, PromptDialog

bibtexparser = pytest.importorskip("bibtexparser")


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_x_asks_for_the_format_and_remembers_it(sample_store: Store, make_app,
                                                      tmp_path: Path) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"diffusion", "enter")
        await settle(app, pilot)
        view = list(app.main_screen.paper_list.ids)
        assert view
        await pilot.press("x")
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.query_one("#choice-options").highlighted == 0  # Markdown first
        await pilot.press("2")  # BibTeX
        assert isinstance(app.screen, PromptDialog)
        value = app.screen.query_one("#prompt-input").value
        assert value.endswith(".bib") and value.startswith(str(tmp_path))
        await pilot.press("enter")
        await settle(app, pilot)
        (written,) = tmp_path.glob("paperterm-*.bib")
        library = bibtexparser.parse_string(written.read_text(encoding="utf-8"))
        assert not library.failed_blocks and len(library.entries) == len(view)
        assert sample_store.get_pref(PREF_EXPORT_FORMAT) == "bibtex"
        # the next x starts on BibTeX; Escape at the path writes nothing
        await pilot.press("x")
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.query_one("#choice-options").highlighted == 1
        await pilot.press("j", "k", "enter", "escape")  # j/k move like the arrows
        await settle(app, pilot)
        assert len(list(tmp_path.glob("paperterm-*.bib"))) == 1
        assert not list(tmp_path.glob("paperterm-*.ris"))
    # remembered across sessions: a new reader on the same store starts on BibTeX
    again = make_app(sample_store)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(again, pilot)
        assert export_format(again.triage) == "bibtex"


async def test_x_obsidian_writes_notes_into_a_folder(sample_store: Store, make_app,
                                                     tmp_path: Path) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "slash", *"is:starred", "enter")
        await settle(app, pilot)
        await pilot.press("x", "6")
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.query_one("#prompt-input").value == str(tmp_path / "paperterm-notes")
        await pilot.press("enter")
        await settle(app, pilot)
        (note,) = (tmp_path / "paperterm-notes").iterdir()
        text = note.read_text(encoding="utf-8")
        assert yaml.safe_load(text[4 : text.index("\n---\n", 4)])["starred"] is True
        assert any("paperterm-notes" in n.message for n in app._notifications)


async def test_y_copies_the_bibtex_entry(sample_store: Store, make_app, system) -> None:
    with_code = next(p for p in sample_store.papers() if p.code_url)
    no_links = next(p for p in sample_store.papers() if not p.links)
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        plist = app.main_screen.paper_list
        plist.move_to(plist.row_of(with_code.id) or 0)
        # one code link: y copies it at once, the morning's one-key habit
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)
        assert system.copied[-1] == with_code.code_url
        # Y offers every link and, after them, the BibTeX entry
        await pilot.press("Y")
        assert isinstance(app.screen, LinkPicker)
        assert [label for label, _ in app.screen.extras] == ["BibTeX"]
        await pilot.press(str(len(app.screen.links) + 1))
        await pilot.pause()
        (entry,) = bibtexparser.parse_string(system.copied[-1]).entries
        assert entry.entry_type == "misc" and entry["url"]
        assert any(n.message.startswith("Copied to clipboard: BibTeX entry ")
                   for n in app._notifications)  # fmt: skip
        # a paper without a code link: the picker says so and offers the BibTeX entry
        plist.move_to(plist.row_of(no_links.id) or 0)
        await pilot.press("y")
        assert isinstance(app.screen, LinkPicker) and app.screen.links == ()
        assert "no code link" in app.screen.hint
        await pilot.press("enter")
        await pilot.pause()
        assert system.copied[-1].startswith("@misc{")
        assert len(system.copied) == 3

"""Pilot tests of what the reader shows and does with papers' metadata: the detail pane,
the arXiv and Hugging Face pages among the links, the sort key ``S`` (remembered), and the
announcement of a schema upgrade."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from test_triage_keys import current, plist, settle
from textual.widgets import Static

from paperterm.model import Digest, PaperMeta, ParsedPaper
from paperterm.store import Store
from paperterm.tui.screens.dialogs import LinkPicker

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store-v1"
DAY = dt.date(2026, 9, 9)

META = {
    "Low Votes": PaperMeta(arxiv_id="2609.00001", upvotes=2),
    "High Votes": PaperMeta(
        arxiv_id="2609.01234",
        authors=("Alice Smith", "Bob Jones", "C. Chen", "D. Diaz"),
        upvotes=250,
        published=dt.date(2026, 9, 1),
        github_repo="https://github.com/alice/high",
    ),
    "No Votes": PaperMeta(),
    "Mid Votes": PaperMeta(upvotes=40),
}


def meta_store(data_dir: Path) -> Store:
    store = Store.open(data_dir, "alice")
    papers = tuple(
        ParsedPaper(title, f"About {title}.", (), 1 + i, meta)
        for i, (title, meta) in enumerate(META.items())
    )
    store.import_digest(Digest(DAY, papers, "daily.json", format="json"))
    return store


def titles(store: Store, ids: list[str]) -> list[str]:
    return [store.get(pid).title for pid in ids]


async def test_detail_pane_shows_the_metadata_and_links(data_dir: Path, make_app) -> None:
    store = meta_store(data_dir)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        while store.get(current(app)).title != "High Votes":
            await pilot.press("j")
        body = str(app.main_screen.query_one("#detail-body", Static).render())
        assert "Authors: Alice Smith, Bob Jones, … +2" in body
        assert "Upvotes: 250" in body and "Published: 2026-09-01" in body
        assert "https://github.com/alice/high" in body
        assert "https://arxiv.org/abs/2609.01234" in body
        assert "https://huggingface.co/papers/2609.01234" in body


async def test_o_and_Y_offer_the_arxiv_and_hf_pages(data_dir: Path, make_app, system) -> None:
    store = meta_store(data_dir)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        while store.get(current(app)).title != "Low Votes":
            await pilot.press("j")
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, LinkPicker)
        assert [link.kind for link in picker.links] == ["arxiv", "hf"]
        await pilot.press("2")
        await pilot.pause()
        assert system.opened == ["https://huggingface.co/papers/2609.00001"]
        await pilot.press("Y", "1")
        await pilot.pause()
        assert system.copied == ["https://arxiv.org/abs/2609.00001"]
        await pilot.press("j")  # High Votes: y copies its GitHub repository
        while store.get(current(app)).title != "High Votes":
            await pilot.press("j")
        await pilot.press("y")  # its one code link, at once
        await pilot.pause()
        assert system.copied[-1] == "https://github.com/alice/high"
        await pilot.press("o")  # the code link and the paper's pages
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        assert [link.kind for link in app.screen.links] == ["code", "arxiv", "hf"]
        await pilot.press("3")
        await pilot.pause()
        assert system.opened[-1] == "https://huggingface.co/papers/2609.01234"


async def test_S_cycles_the_sort_and_it_is_remembered(data_dir: Path, make_app) -> None:
    store = meta_store(data_dir)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        page_order = titles(store, list(plist(app).ids))
        assert page_order == list(META)
        await pilot.press("S")  # relevance -> date: without free words, the same order
        await settle(app, pilot)
        assert store.get_pref("sort") == "date"
        assert titles(store, list(plist(app).ids)) == page_order
        await pilot.press("S")
        await settle(app, pilot)
        assert store.get_pref("sort") == "upvotes"
        assert titles(store, list(plist(app).ids)) == [
            "High Votes", "Mid Votes", "Low Votes", "No Votes"
        ]  # fmt: skip
        await app.action_quit()
    again = make_app(Store.open(data_dir, "alice"))
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(again, pilot)
        assert again.triage.sort == "upvotes"
        assert titles(store, list(plist(again).ids))[0] == "High Votes"
        await pilot.press("S")  # upvotes -> for you: no stars, so the search's order
        await settle(again, pilot)
        assert titles(store, list(plist(again).ids)) == page_order


async def test_the_palette_has_the_sort_command(data_dir: Path, make_app) -> None:
    store = meta_store(data_dir)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        (run,) = [run for name, run, _ in app.palette() if name == "Cycle sort order"]
        run()
        await settle(app, pilot)
        assert app.triage.sort == "date" and store.get_pref("sort") == "date"


async def test_an_upgrade_is_announced_by_a_toast(tmp_path: Path, make_app) -> None:
    data = tmp_path / "old"
    shutil.copytree(FIXTURE, data)
    store = Store.open(data, "alice", eager=False)
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        toasts = [n.message for n in app._notifications]
        assert any("Upgraded the store from schema version 1 to 2" in m for m in toasts)
        assert app.main_screen.query_text == "is:starred"  # alice's filter, kept
        assert len(plist(app).ids) == 2 and app.theme == "textual-light"

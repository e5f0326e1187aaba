"""Pilot tests: related papers (R), the "for you" sort and saved searches (1-9, palette)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from paperterm.saved import save_search
from paperterm.store import Store
from paperterm.triage import PREF_SORT
from paperterm.tui.app import PapertermApp
from paperterm.tui.screens.dialogs import PromptDialog
from paperterm.tui.screens.related import RelatedScreen

RL = ["q7hl2hh", "lbtctls", "p6c2gld", "fjljfvk", "zl3x2kv"]  # offline/online RL papers
RL_HELD_OUT = {"7zgqhqj", "uqgiwl5", "ptmxihn", "z6p44tn", "shau2hv"}


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def palette(app: PapertermApp, pilot: Pilot[None], command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


def ids(app: PapertermApp) -> list[str]:
    return list(app.main_screen.paper_list.ids)


async def test_r_lists_related_papers_and_enter_jumps(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        row = ids(app).index(RL[0])
        app.main_screen.paper_list.move_to(row)
        await pilot.press("R")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        assert len(screen.hits) == 20
        assert RL[0] not in [hit.paper.id for hit in screen.hits]
        assert all(hit.reason.startswith("shared: ") for hit in screen.hits)
        options = screen.query_one(OptionList)
        assert options.highlighted == 0
        await pilot.press("j", "j", "down", "k")
        assert options.highlighted == 2
        chosen = screen.hits[2].paper.id
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, RelatedScreen)
        assert app.main_screen.paper_list.current_id == chosen


async def test_related_jump_clears_a_filter_that_hides_the_paper(sample_store: Store,
                                                                 make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"generalization gap", "enter")
        await settle(app, pilot)
        assert ids(app)[0] == "q7hl2hh"
        await palette(app, pilot, "Related papers")
        screen = app.screen
        assert isinstance(screen, RelatedScreen)
        target = next(h.paper.id for h in screen.hits if h.paper.id not in ids(app))
        row = [h.paper.id for h in screen.hits].index(target)
        for _ in range(row):
            await pilot.press("j")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main_screen.query_text == ""
        assert app.main_screen.paper_list.current_id == target
        await pilot.press("R", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, RelatedScreen)


async def test_sort_for_you_with_too_few_stars_keeps_the_order(sample_store: Store,
                                                               make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = ids(app)
        await palette(app, pilot, "Sort: for you")
        assert ids(app) == before
        assert any("at least 3" in n.message for n in app._notifications)


async def test_sort_for_you_learns_from_stars_and_is_remembered(sample_store: Store,
                                                                make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        default = ids(app)
        for pid in RL[:3]:
            app.main_screen.paper_list.move_to(ids(app).index(pid))
            await pilot.press("s")
        await palette(app, pilot, "Sort: for you")
        order = ids(app)
        assert sorted(order) == sorted(default) and order != default
        top = order[:20]
        assert len(RL_HELD_OUT & set(top)) >= 3, top
        header = str(app.main_screen.query_one("#header", Static).render())
        assert "sorted for you" in header
        # starring more retrains in a worker (after a short pause) and re-sorts
        app.main_screen.paper_list.move_to(order.index(RL[3]))
        await pilot.press("s")
        await pilot.pause(0.8)
        await settle(app, pilot)
        assert app.triage.recommender.trained
        app.save_session()
        assert sample_store.get_pref(PREF_SORT) == "for-you"
        await palette(app, pilot, "Sort: relevance")
        assert ids(app) == default
        assert sample_store.get_pref(PREF_SORT) == "relevance"


async def test_sort_pref_is_restored_at_start(sample_store: Store, make_app) -> None:
    for pid in RL[:3]:
        sample_store.set_starred([pid], True)
    sample_store.set_pref(PREF_SORT, "for-you")
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.triage.sort == "for-you"
        assert app.triage.recommender.trained
        assert len(RL_HELD_OUT & set(ids(app)[:20])) >= 3


async def test_s_cycles_into_for_you_and_out(sample_store: Store, make_app) -> None:
    for pid in RL[:3]:
        sample_store.set_starred([pid], True)
    sample_store.set_pref(PREF_SORT, "upvotes")
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await settle(app, pilot)
        assert app.triage.sort == "for-you" and app.triage.recommender.trained
        assert len(RL_HELD_OUT & set(ids(app)[:20])) >= 3
        await pilot.press("S")
        await settle(app, pilot)
        assert sample_store.get_pref(PREF_SORT) == "relevance"


async def test_save_search_then_recall_with_its_number(sample_store: Store,
                                                       make_app) -> None:
    save_search(sample_store, "first", "continual")
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"reinforcement offline", "enter")
        await settle(app, pilot)
        wanted = ids(app)
        await palette(app, pilot, "Save search")
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"rl", "enter")
        await settle(app, pilot)
        assert app.triage.saved_searches() == [("first", "continual"),
                                               ("rl", "reinforcement offline")]
        await pilot.press("escape")  # clear the query
        await settle(app, pilot)
        assert app.main_screen.query_text == ""
        await pilot.press("2")
        await settle(app, pilot)
        assert app.main_screen.query_text == "reinforcement offline"
        assert app.main_screen.search_bar.query_one(Input).value == "reinforcement offline"
        assert ids(app) == wanted
        await pilot.press("1")
        await settle(app, pilot)
        assert app.main_screen.query_text == "continual"
        await pilot.press("9")  # none saved there: a note, nothing changes
        await settle(app, pilot)
        assert app.main_screen.query_text == "continual"
        await palette(app, pilot, "Saved search @rl")
        assert app.main_screen.query_text == "reinforcement offline"


async def test_bad_saved_search_name_is_reported(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await palette(app, pilot, "Save search")
        await pilot.press(*"two words", "enter")
        await settle(app, pilot)
        assert app.triage.saved_searches() == []
        assert any("saved search name" in n.message for n in app._notifications)


async def test_for_you_is_per_user_across_a_switch(sample_store: Store, make_app) -> None:
    for pid in RL[:3]:
        sample_store.set_starred([pid], True)
    sample_store.set_pref(PREF_SORT, "for-you")
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.triage.recommender.trained
        vectors_before = app.triage.recommender.prepare(app.triage.store.papers())
        app.switch_user("bob")
        await settle(app, pilot)
        assert app.triage.store.user == "bob"
        assert not app.triage.recommender.trained  # bob starred nothing: not alice's profile
        assert app.triage.recommender.prepare(app.triage.store.papers()) is vectors_before
        assert app.triage.sort == "relevance"  # the sort is bob's own preference too
        await palette(app, pilot, "Sort: for you")
        assert not app.triage.recommender.trained
        assert any("at least 3" in n.message for n in app._notifications)


def test_related_label_names_authors_and_code_stars() -> None:
    import datetime as dt

    from paperterm.model import Paper, PaperMeta
    from paperterm.recommend import RelatedPaper
    from paperterm.tui.screens.related import related_label

    meta = PaperMeta(authors=("Ada Lee", "B. Wu", "C. Diaz"),
                     github_repo="https://github.com/o/r", github_stars=42)
    paper = Paper("x", "A \x1b[31mtitle", "text", (), (dt.date(2025, 9, 1),), meta=meta)
    text = related_label(RelatedPaper(paper, 0.5, ("replay",), ())).plain
    assert "\x1b" not in text
    assert "0.50 · shared: replay · Ada Lee, B. Wu +1 · code ★42" in text


async def test_vectors_load_at_start_only_from_their_cache(sample_store: Store,
                                                           make_app) -> None:
    from paperterm.term_cache import terms_path

    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not app.triage.recommender.ready  # no cache file: built by the first R
        await pilot.press("R")
        await settle(app, pilot)
        assert app.triage.recommender.ready
    assert terms_path(sample_store.data_dir).is_file()
    again = make_app(sample_store)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.triage.recommender.ready  # loaded in the background at start


def test_the_help_lists_the_nine_saved_search_keys_as_one_row() -> None:
    from paperterm.tui.screens.help import SAVED_SEARCH_HELP, _rows
    from paperterm.tui.screens.main import MAIN_BINDINGS

    rows = _rows(MAIN_BINDINGS, {})
    assert rows.count(("1-9", SAVED_SEARCH_HELP)) == 1
    assert not any(description.startswith("Saved search 2") for _keys, description in rows)
    rebound = _rows(MAIN_BINDINGS, {"main.saved_search_1": "f1"})
    assert ("f1 2 3 4 5 6 7 8 9", SAVED_SEARCH_HELP) in rebound

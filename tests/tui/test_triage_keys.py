"""Pilot tests: press the real keys, then check the store and the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.screens.dialogs import ConfirmDialog, LinkPicker, NoteDialog
from paperterm.tui.screens.help import HelpScreen
from paperterm.tui.screens.tag_dialog import TagDialog
from paperterm.tui.widgets.paper_list import PaperList


async def settle(app: PapertermApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def plist(app: PapertermApp) -> PaperList:
    return app.main_screen.paper_list


def current(app: PapertermApp) -> str:
    pid = plist(app).current_id
    assert pid is not None
    return pid


async def test_opens_on_newest_digest_with_counts(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        ids = list(plist(app).ids)
        assert len(ids) == 139
        first, last = sample_store.get(ids[0]).newest, sample_store.get(ids[-1]).newest
        assert (first.month, first.day, last.month, last.day) == (9, 9, 9, 3)
        header = str(app.main_screen.query_one("#header", Static).render())
        assert "alice" in header and "139 unread" in header and "0 starred" in header


async def test_move_and_star_and_undo(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        first = current(app)
        await pilot.press("j", "j", "k")
        second = current(app)
        assert second == plist(app).ids[1] and second != first
        await pilot.press("s")
        assert sample_store.state(second).starred
        await pilot.press("G")
        assert current(app) == plist(app).ids[-1]
        await pilot.press("g")
        assert current(app) == first
        await pilot.press("s")
        assert sample_store.state(first).starred
        await pilot.press("u")
        assert not sample_store.state(first).starred
        await pilot.press("u")
        assert not sample_store.state(second).starred
        await pilot.press("u")  # nothing left: must not crash or change anything
        assert sample_store.states() == {} or all(
            not s.starred for s in sample_store.states().values())


async def test_read_toggle_and_space_moves_to_next_unread(sample_store: Store,
                                                           make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        ids = list(plist(app).ids)
        await pilot.press("j")  # second paper
        await pilot.press("r")
        assert sample_store.state(ids[1]).read
        await pilot.press("g", "space")
        assert sample_store.state(ids[0]).read
        assert current(app) == ids[2], "space skips the already-read second paper"
        await pilot.press("r")
        assert sample_store.state(ids[2]).read
        await pilot.press("r")
        assert not sample_store.state(ids[2]).read
        await pilot.press("g", "n")
        assert current(app) == ids[2]
        await pilot.press("N")  # no unread above except none: ids[0], ids[1] are read
        assert current(app) == ids[2]


async def test_digest_date_jumps(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        pid = current(app)
        assert (sample_store.get(pid).newest.month, sample_store.get(pid).newest.day) == (9, 3)
        assert sample_store.get(plist(app).ids[plist(app).cursor - 1]).newest.day == 9
        await pilot.press("left_square_bracket")
        assert plist(app).cursor == 0


async def test_tag_dialog_adds_and_removes(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("t")
        assert isinstance(app.screen, TagDialog)
        await pilot.press(*"ml +rl", "enter")
        await pilot.pause()
        assert sample_store.state(pid).tags == ("ml", "rl")
        await pilot.press("t", *"-ml vision", "enter")
        await pilot.pause()
        assert sample_store.state(pid).tags == ("rl", "vision")
        await pilot.press("u")
        assert sample_store.state(pid).tags == ("ml", "rl")
        await pilot.press("t", "escape")
        assert sample_store.state(pid).tags == ("ml", "rl")


async def test_tag_dialog_completes_known_tags(sample_store: Store, make_app) -> None:
    other = sample_store.papers()[5].id
    sample_store.add_tags([other], ["reinforcement"])
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("t", *"rein")
        await pilot.pause()
        await pilot.press("tab", "enter")  # accept the suggestion
        await pilot.pause()
        assert sample_store.state(pid).tags == ("reinforcement",)


async def test_note_dialog_saves_and_undo(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("e")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"check [bold]table 3[/bold]", "ctrl+s")
        await pilot.pause()
        assert sample_store.state(pid).note == "check [bold]table 3[/bold]"
        await pilot.press("u")
        assert sample_store.state(pid).note == ""


async def test_mark_all_read_confirms_with_count(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        newest = sample_store.papers()[0].newest.isoformat()
        await pilot.press("slash", *f"date:{newest}", "enter")
        await settle(app, pilot)
        view = list(plist(app).ids)
        assert 0 < len(view) < 139
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmDialog)
        assert f"Mark {len(view)} unread papers" in app.screen.question
        await pilot.press("n")
        assert not any(sample_store.state(pid).read for pid in view)
        await pilot.press("A", "y")
        assert all(sample_store.state(pid).read for pid in view)
        assert sum(s.read for s in sample_store.states().values()) == len(view)
        await pilot.press("u")
        assert not any(sample_store.state(pid).read for pid in view)


async def test_copy_code_link_uses_system_clipboard(sample_store: Store, make_app,
                                                    system) -> None:
    with_code = next(p for p in sample_store.papers() if p.code_url)
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        plist(app).move_to(plist(app).row_of(with_code.id) or 0)
        await pilot.press("y")  # its one code link, at once
        await pilot.pause()
        assert system.copied == [with_code.code_url]
        assert app.clipboard == with_code.code_url


async def test_copy_falls_back_to_osc52_without_clipboard(sample_store: Store, make_app,
                                                          system) -> None:
    with_code = next(p for p in sample_store.papers() if p.code_url)
    system.clipboard_works = False
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        plist(app).move_to(plist(app).row_of(with_code.id) or 0)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == with_code.code_url
        assert any("OSC 52" in n.message for n in app._notifications)


async def test_link_picker_and_open(sample_store: Store, make_app,
                                    system) -> None:
    many = next(p for p in sample_store.papers() if len(p.links) >= 2)
    no_links = next(p for p in sample_store.papers() if not p.links)
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        plist(app).move_to(plist(app).row_of(many.id) or 0)
        await pilot.press("Y")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("2")
        await pilot.pause()
        assert system.copied == [many.links[1].url]
        await pilot.press("o")
        await pilot.pause()
        if isinstance(app.screen, LinkPicker):
            await pilot.press("1")
            await pilot.pause()
        assert system.opened and system.opened[0].startswith("https://")
        plist(app).move_to(plist(app).row_of(no_links.id) or 0)
        await pilot.press("y")
        await pilot.pause()
        assert len(system.copied) == 1


async def test_search_as_you_type_count_and_error(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"continual")
        await settle(app, pilot)
        ids = list(plist(app).ids)
        assert 0 < len(ids) < 139
        assert "continual" in sample_store.get(ids[0]).title.lower()
        status = str(app.main_screen.query_one("#search-status", Static).render())
        assert status == f"{len(ids)} of 139"
        await pilot.press("space", "i", "s")
        await settle(app, pilot)
        before_error = list(plist(app).ids)
        await pilot.press("colon", *"blue")
        await settle(app, pilot)
        status = str(app.main_screen.query_one("#search-status", Static).render())
        assert "is:blue" in status or "blue" in status, status
        assert list(plist(app).ids) == before_error, "a bad query keeps the last results"
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(plist(app).ids) == 139
        assert app.focused is plist(app)
        assert app.main_screen.search_bar.input.value == ""


async def test_unknown_field_error_shown_inline(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"foo:bar")
        await settle(app, pilot)
        status = str(app.main_screen.query_one("#search-status", Static).render())
        assert "unknown field 'foo'" in status


async def test_letters_in_search_box_are_text(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"sqrty")
        await settle(app, pilot)
        assert sample_store.states() == {} or not any(
            s.starred or s.read for s in sample_store.states().values())
        assert app.main_screen.search_bar.input.value == "sqrty"


async def test_enter_focuses_detail_and_escape_returns(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "detail"
        await pilot.press("escape")
        assert app.focused is plist(app)


async def test_export_view_writes_markdown(sample_store: Store, make_app,
                                           tmp_path: Path) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "j", "s")
        await pilot.press("slash", *"is:starred", "enter")
        await settle(app, pilot)
        await pilot.press("x", "enter")  # Markdown (the default format), then the path
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        exports = list(tmp_path.glob("paperterm-*.md"))
        assert len(exports) == 1
        text = exports[0].read_text(encoding="utf-8")
        assert text.count("- [ ]") == 2
        assert any(str(exports[0]) in n.message for n in app._notifications)


async def test_help_screen_lists_keys(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        svg = app.export_screenshot()
        for words in ("Star", "Undo", "Copy code", "Next unread", "Export", "Prev date"):
            assert words.replace(" ", "&#160;") in svg, words
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_quit_and_relaunch_keeps_filter_and_selection(sample_store: Store,
                                                            make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"learning", "enter")
        await settle(app, pilot)
        await pilot.press("j", "j")
        chosen = current(app)
        await pilot.press("q")
    again = make_app(sample_store)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(again, pilot)
        assert again.main_screen.search_bar.input.value == "learning"
        assert current(again) == chosen


async def test_typing_a_query_saves_it_once_when_typing_stops(
    sample_store: Store, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[tuple[str, object]] = []
    set_pref = sample_store.set_pref

    def counted(key: str, value: object) -> None:
        writes.append((key, value))
        set_pref(key, value)

    monkeypatch.setattr(sample_store, "set_pref", counted)
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.7)  # whatever the start left to save is saved by now
        writes.clear()
        await pilot.press("slash", *"diffusion")
        await settle(app, pilot)
        await pilot.pause(0.7)
        # one write once typing stopped, not one (an fsync) per key
        assert [w for w in writes if w[0] == "query"] == [("query", "diffusion")]
        assert sample_store.get_pref("query") == "diffusion"
        await pilot.press("escape", "j")
        chosen = current(app)
        await pilot.press("q")  # a quit saves what is pending at once
    assert sample_store.get_pref("query") == ""
    assert sample_store.get_pref("selected") == chosen


async def test_theme_is_remembered(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
    assert sample_store.get_pref("theme") == "nord"
    again = make_app(sample_store)
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"


async def test_keymap_rebinds_star(sample_store: Store, make_app) -> None:
    app = make_app(sample_store, keymap={"main.star": "f"})
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("f")
        assert sample_store.state(pid).starred


async def test_narrow_terminal_stacks_detail(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.main_screen.has_class("narrow")
        detail = app.main_screen.query_one("#detail")
        assert detail.region.y > plist(app).region.y
        await pilot.press("v")
        assert not detail.display or detail.region.height == 0


async def test_sees_other_process_changes(sample_store: Store, make_app,
                                          data_dir: Path) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        with Store.open(data_dir, "alice") as other:
            other.set_starred([pid], True)
        app.poll_store()
        await settle(app, pilot)
        assert sample_store.state(pid).starred
        await pilot.press("r")  # a later write here must not undo the other's star
        with Store.open(data_dir, "alice") as check:
            assert check.state(pid).starred and check.state(pid).read


async def test_switch_user_keeps_states_apart(sample_store: Store, make_app,
                                              data_dir: Path) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("s")
        app.switch_user("bob")
        await settle(app, pilot)
        assert app.triage.store.user == "bob"
        assert not app.triage.store.state(pid).starred
        await pilot.press("r")
    with Store.open(data_dir, "alice") as alice:
        assert alice.state(pid).starred and not alice.state(pid).read
    with Store.open(data_dir, "bob") as bob:
        assert not bob.state(pid).starred


async def test_keys_typed_right_after_enter_go_to_the_list(sample_store: Store, make_app) -> None:
    """A fast typist's "enter j s" arrive together: j and s must move and star in the list,
    not land in the search box (the focus moves before the next key is handled)."""
    from textual import events

    app = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"learning")
        await settle(app, pilot)
        first = current(app)
        for key, char in (("enter", "\r"), ("j", "j"), ("s", "s")):
            app.post_message(events.Key(key, char))  # no pause in between
        await settle(app, pilot)
        assert app.main_screen.search_bar.input.value == "learning"
        assert current(app) != first
        assert sample_store.state(current(app)).starred

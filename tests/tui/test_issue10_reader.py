"""The reader's rough edges of issue 10, each pressed through with real keys."""

from __future__ import annotations

from test_triage_keys import current, plist, settle
from textual.widgets import Static

from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.screens.dialogs import LinkPicker


async def search(app: PapertermApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Put ``text`` in the search box at once (as a paste: typed, each keystroke's results
    would move the selection first), then Enter."""
    await pilot.press("slash")
    app.main_screen.search_bar.input.value = text
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_a_new_result_list_starts_at_its_first_row(sample_store: Store,
                                                         make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "has:code")
        await pilot.press("G")
        last = current(app)
        await search(app, pilot, "-has:code")
        assert last not in plist(app).ids
        assert plist(app).cursor == 0
        await pilot.press("j", "j")
        kept = current(app)
        await search(app, pilot, "-has:code -is:starred")  # still listed: stays on it
        assert current(app) == kept


async def test_enter_shows_a_hidden_detail_pane(sample_store: Store, make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        detail = app.main_screen.query_one("#detail")
        await pilot.press("v")
        await settle(app, pilot)
        assert not detail.display
        await pilot.press("enter")
        await settle(app, pilot)
        assert detail.display and detail.region.width > 0 and app.focused is detail
        await pilot.press("escape", "j")
        assert plist(app).cursor == 1


async def test_y_copies_code_links_only(sample_store: Store, make_app, system) -> None:  # type: ignore[no-untyped-def]
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        ids = list(plist(app).ids)
        row = next(i for i, pid in enumerate(ids)
                   if (links := sample_store.get(pid).links)
                   and all(link.kind != "code" for link in links))
        plist(app).move_to(row)
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        # no project page copied as "the code": the picker says so, offering only BibTeX
        assert system.copied == []
        assert isinstance(app.screen, LinkPicker) and app.screen.links == ()
        assert app.screen.hint == "This paper has no code link (Y copies any link)."
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("Y")
        await settle(app, pilot)
        assert isinstance(app.screen, LinkPicker)  # every link, then the BibTeX entry
        await pilot.press("1")
        await settle(app, pilot)
        assert system.copied == [sample_store.get(ids[row]).links[0].url]


async def test_a_search_matching_nothing_says_so(sample_store: Store, make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "tag:nosuchtag")
        detail = str(app.main_screen.query_one("#detail-body", Static).render())
        assert "No paper matches the search tag:nosuchtag" in detail
        assert "Escape" in detail and "Import" not in detail
        assert "No paper matches tag:nosuchtag." in plist(app).empty_text
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(plist(app).ids) == 139
        detail = str(app.main_screen.query_one("#detail-body", Static).render())
        assert "No paper matches" not in detail


async def test_each_user_has_their_own_filter_and_selection(sample_store: Store,
                                                            make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "has:code")
        await pilot.press("j", "j")
        alice_paper = current(app)
        app.switch_user("bob")
        await settle(app, pilot)
        assert app.main_screen.query_text == ""
        assert app.main_screen.search_bar.input.value == ""
        assert len(plist(app).ids) == 139 and plist(app).cursor == 0
        await search(app, pilot, "-has:code")
        await pilot.press("j")
        bob_paper = current(app)
        app.switch_user("alice")
        await settle(app, pilot)
        assert app.main_screen.search_bar.input.value == "has:code"
        assert current(app) == alice_paper
        app.switch_user("bob")
        await settle(app, pilot)
        assert app.main_screen.query_text == "-has:code" and current(app) == bob_paper


async def test_unsavable_preferences_are_reported_once_by_name(
        sample_store: Store, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from paperterm.errors import StoreWriteError

    def read_only(key: str, value: object) -> None:
        raise StoreWriteError("/data/users/alice/prefs.json: cannot save: Read-only file "
                              "system; the change was not saved")

    monkeypatch.setattr(sample_store, "set_pref", read_only)
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j")
        app.main_screen.prefs.flush()  # what the half-second timer after a move does
        await search(app, pilot, "has:code")
        app.main_screen.prefs.flush()
        app.save_session()
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1, messages
        assert messages[0].startswith("Could not save the reader's preferences")
        assert "Read-only file system" in messages[0]
        assert "the change was not saved" not in messages[0]


def footer_keys(app: PapertermApp) -> list[tuple[str, str]]:
    from textual.widgets._footer import FooterKey

    return [(key.key_display, key.description) for key in app.screen.query(FooterKey)
            if key.region.width and key.region.right <= app.size.width]


async def test_the_footer_shows_keys_from_the_first_screen(sample_store: Store,
                                                           make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        keys = footer_keys(app)
        assert ("s", "Star") in keys and ("?", "Help") in keys, keys


async def test_the_footer_fits_80_columns_with_help_and_quit(sample_store: Store,
                                                             make_app) -> None:
    from textual.widgets._footer import FooterKey

    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = footer_keys(app)
        assert ("?", "Help") in keys and ("q", "Quit") in keys, keys
        assert ("s", "Star") in keys and ("u", "Undo") in keys
        palette = app.screen.query_one("FooterKey.-command-palette", FooterKey).region
        others = [k.region for k in app.screen.query(FooterKey)
                  if not k.has_class("-command-palette")]
        assert max(region.right for region in others) <= palette.x  # none under it
        await pilot.resize_terminal(160, 48)
        await settle(app, pilot)
        wide = footer_keys(app)
        assert ("y", "Copy code") in wide and ("space", "Read+next") in wide, wide


async def test_every_action_has_a_distinct_label(sample_store: Store, make_app) -> None:
    from paperterm.tui.screens.help import HelpScreen

    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        labels = [label for _key, label in footer_keys(app)]
        assert len(labels) == len(set(labels)), labels
        assert "Details" in labels and "Read/unread" in labels
        await pilot.press("question_mark")
        await settle(app, pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        described = [b.description for _title, bindings in help_screen.sections
                     for b in bindings]
        duplicates = {d for d in described if described.count(d) > 1}
        assert not duplicates, duplicates
    narrow: PapertermApp = make_app(sample_store)
    async with narrow.run_test(size=(80, 24)) as pilot:
        await settle(narrow, pilot)
        labels = [label for _key, label in footer_keys(narrow)]
        assert len(labels) == len(set(labels)), labels


async def test_hints_follow_the_keymap_and_bad_entries_are_named(sample_store: Store,
                                                                 make_app) -> None:
    keymap = {"main.star": "f", "main.sparkle": "z", "main.tags": "r"}
    app: PapertermApp = make_app(sample_store, keymap=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = footer_keys(app)
        assert ("f", "Star") in keys and ("s", "Star") not in keys, keys
        helps = {name: help_text for name, _run, help_text in app.palette()}
        assert helps["Star / unstar paper"].endswith("(f)")
        messages = [n.message for n in app._notifications]
        assert "keymap.toml: unknown binding id 'main.sparkle', ignored" in messages
        clash = [m for m in messages if "'main.tags' = 'r' clashes with 'main.read'" in m]
        assert len(clash) == 1 and "\n" not in clash[0], messages
        await pilot.press("f")
        assert sample_store.state(current(app)).starred


async def test_a_search_error_gets_its_own_line_at_80_columns(sample_store: Store,
                                                              make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"foo:bar")
        await settle(app, pilot)
        query = app.main_screen.search_bar.input
        status = app.main_screen.query_one("#search-status", Static)
        assert query.region.width >= 70 and query.has_focus
        assert status.region.y >= query.region.bottom  # below the query, not beside it
        message = str(status.render())
        assert "unknown field 'foo'" in message
        assert status.region.width >= 70  # the whole line for the message (it wraps)
        assert status.region.height * (status.region.width - 2) >= len(message)
        await pilot.press("ctrl+a", "ctrl+k", *"has:code")
        await settle(app, pilot)
        assert status.region.y == query.region.y  # the count is back beside the query


async def test_no_horizontal_scrollbar_under_the_list(sample_store: Store, make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        papers = plist(app)
        assert papers.show_vertical_scrollbar
        assert not papers.show_horizontal_scrollbar
        assert papers.scrollable_content_region.height == papers.content_region.height


async def test_j_and_k_move_in_the_link_picker_and_the_help(sample_store: Store, make_app,
                                                            system) -> None:  # type: ignore[no-untyped-def]
    from textual.containers import VerticalScroll

    from paperterm.tui.screens.dialogs import LinkPicker
    from paperterm.tui.screens.help import HelpScreen

    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        ids = list(plist(app).ids)
        row = next(i for i, pid in enumerate(ids) if len(sample_store.get(pid).links) >= 2)
        plist(app).move_to(row)
        await pilot.press("Y")
        await settle(app, pilot)
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("j", "k", "j", "enter")
        await settle(app, pilot)
        assert system.copied == [sample_store.get(ids[row]).links[1].url]
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        pane = app.screen.query_one(VerticalScroll)
        assert pane.max_scroll_y > 3
        await pilot.press("j", "j", "j")
        await settle(app, pilot)
        assert pane.scroll_y == 3
        await pilot.press("k")
        await settle(app, pilot)
        assert pane.scroll_y == 2


async def test_dates_carry_the_year_when_the_store_spans_years(sample_store: Store,
                                                                make_app) -> None:
    import datetime as dt

    from paperterm.digest import parse_digest

    def row_text(app: PapertermApp, row: int) -> str:
        papers = plist(app)
        return "".join(seg.text for seg in papers.render_line(row - papers.scroll_offset.y))

    old = dt.date.today().replace(month=1, day=2) - dt.timedelta(days=365)
    text = f"{old:%b %d}\n\nA Paper From Last Year\n\nAbout the past.\n"
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert str(dt.date.today().year) not in row_text(app, 0)
        app.triage.import_digest(parse_digest(text, source="old.txt", date_override=old))
        app.store_changed(app.triage)
        await settle(app, pilot)
        first = sample_store.get(plist(app).ids[0]).newest
        assert f"{first:%b %d %Y}" in row_text(app, 0)
        await pilot.press("G")
        await settle(app, pilot)
        assert f"{old:%b %d %Y}" in row_text(app, len(plist(app).ids) - 1)


async def test_a_folder_import_is_one_toast_and_a_report(data_dir, tmp_path, make_app) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from paperterm.paths import sample_digest_paths

    folder = tmp_path / "incoming"
    folder.mkdir()
    for number, path in enumerate(sample_digest_paths()):
        shutil.copy(path, folder / f"good-{number}-{path.name}")
    for name in ("bad-1.txt", "bad-2.txt", "bad-3.txt"):
        (folder / name).write_bytes(b"\xff\xfe\x00garbage\x00" + name.encode())
    with Store.open(data_dir, "alice") as store:
        app: PapertermApp = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.screen.dismiss(None)  # the welcome screen of the empty store
            await settle(app, pilot)
            app.import_paths(sorted(folder.glob("*.txt")))
            await settle(app, pilot)
            assert len(plist(app).ids) == 139
            messages = [n.message for n in app._notifications]
            assert len(messages) == 1, messages
            assert messages[0].startswith("Imported 2 files: 139 new papers, 15 already known; "
                                          "3 files skipped (first: ")
            assert "bad-1.txt" in messages[0] and "Last import report" in messages[0]
            await pilot.press("ctrl+p", *"last import", "enter")
            await settle(app, pilot)
            from paperterm.tui.screens.report import TextScreen

            assert isinstance(app.screen, TextScreen)
            body = str(app.screen.query_one("#report-body", Static).render())
            for name in ("bad-1.txt", "bad-2.txt", "bad-3.txt", "good-0-", "good-1-"):
                assert name in body


async def test_the_welcome_is_centred_and_wraps_at_no_sentence(data_dir, make_app) -> None:  # type: ignore[no-untyped-def]
    from paperterm.tui.screens.welcome import WelcomeScreen

    for size in ((80, 24), (160, 48)):
        with Store.open(data_dir, "alice") as store:
            app: PapertermApp = make_app(store)
            async with app.run_test(size=size) as pilot:
                await settle(app, pilot)
                assert isinstance(app.screen, WelcomeScreen)
                card = app.screen.query_one(".welcome-dialog").region
                assert abs((card.x + card.right) / 2 - size[0] / 2) <= 1, card
                assert abs((card.y + card.bottom) / 2 - size[1] / 2) <= 2, card
                for paragraph in app.screen.query(".welcome-text, .welcome-command"):
                    text = str(paragraph.render())
                    assert paragraph.region.height == text.count("\n") + 1, text  # no wrap
                    assert paragraph.styles.text_align == "center"


async def test_the_tag_toast_shows_the_tag_as_stored(sample_store: Store, make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        pid = current(app)
        await pilot.press("t", *"+Bad!Tag", "enter")
        await settle(app, pilot)
        assert sample_store.state(pid).tags == ("bad!tag",)
        assert list(app._notifications)[-1].message == "tags +bad!tag"


async def test_the_help_lists_every_query_term(sample_store: Store, make_app) -> None:
    from paperterm.query_terms import QUERY_TERMS

    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        from textual.geometry import Region

        table = app.screen.query_one("#help-query", Static)
        lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        shown = " ".join("".join(segment.text for segment in line) for line in lines)
        shown = " ".join(shown.split())
        for term in QUERY_TERMS:
            assert term.syntax in shown and " ".join(term.meaning.split()) in shown, term


async def test_a_huge_abstract_is_shown_cut(data_dir, make_app) -> None:  # type: ignore[no-untyped-def]
    from paperterm.digest import parse_digest

    huge = "word " * 1_000_000  # 5 MB on one line
    text = f"Sep 09\n\nA Paper With A Huge Abstract\n\n{huge}\n\nA Small Paper\n\nShort.\n"
    with Store.open(data_dir, "alice") as store:
        store.import_digest(parse_digest(text, source="huge-2026-09-09.txt"))
        app: PapertermApp = make_app(store)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot)
            body = app.main_screen.query_one("#detail-body", Static)
            shown = str(body.render())
            assert "Huge Abstract" in shown
            assert len(shown) < 21_000  # the first 20,000 characters and a line on the rest
            assert "of 4,999,999 characters" in shown and "paperterm show" in shown
            await pilot.press("j", "k", "end", "home")
            await settle(app, pilot)
            assert plist(app).cursor == 0
            await pilot.press("enter", "end")
            await settle(app, pilot)
            detail = app.main_screen.query_one("#detail")
            assert detail.scroll_y == detail.max_scroll_y > 0


def test_the_import_report_names_each_file_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from paperterm.tui.import_report import ImportReport

    bad = tmp_path / "bad.txt"
    report = ImportReport(skipped=[(bad, f"{bad}: no date line"), (bad, "disk full")])
    lines = report.details().splitlines()
    assert lines[-2] == f"skipped   {bad}: no date line"
    assert lines[-1] == f"skipped   {bad}: disk full"
    assert report.summary() == f"Nothing imported; 2 files skipped (first: {bad}: no date line)"


async def test_the_palette_import_reads_every_capture_style(data_dir, tmp_path, make_app) -> None:  # type: ignore[no-untyped-def]
    """The reader's "Import digest file…" takes a folder of Markdown, JSON and HTML captures
    (detected as `paperterm import` does), naming the other files it skipped."""
    import shutil
    from pathlib import Path

    fixtures = Path(__file__).parents[1] / "fixtures" / "captures"
    folder = tmp_path / "captures"
    folder.mkdir()
    for name in ("daily-markdown-2026-11-30.md", "daily_papers-2026-11-30.json",
                 "papers-page-saved.html"):
        shutil.copy(fixtures / name, folder / name)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    with Store.open(data_dir, "alice") as store:
        app: PapertermApp = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.screen.dismiss(None)  # the welcome screen of the empty store
            await settle(app, pilot)
            await pilot.press("ctrl+p", *"import digest", "enter")
            await settle(app, pilot)
            await pilot.press(*str(folder), "enter")
            await settle(app, pilot)
            await app.workers.wait_for_complete()
            await settle(app, pilot)
            assert len(store) > 0
            assert any(paper.meta.arxiv_id for paper in store.papers())
            message = [n.message for n in app._notifications][-1]
            assert message.startswith("Imported 3 files: "), message
            assert "1 file skipped" in message and "notes.pdf" in message


async def test_the_list_and_its_scrollbar_follow_each_result_count(sample_store: Store,
                                                                    make_app) -> None:
    app: PapertermApp = make_app(sample_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        papers = plist(app)
        height = papers.container_size.height
        for query in ("learning", "reinforcement", "has:code", "", "zzzz-nothing"):
            await search(app, pilot, query)
            count = len(papers.ids)
            assert papers.virtual_size.height == count
            assert papers.show_vertical_scrollbar == (count > height)
            if count > height:  # the thumb's scale is the new count (set without a layout)
                assert papers.vertical_scrollbar.window_virtual_size == count
            assert papers.max_scroll_y == max(count - papers.scrollable_content_region.height, 0)
        await search(app, pilot, "learning")
        await pilot.press("G")  # scrolled to the end, then fewer results: back in range
        last = papers.current_id
        await search(app, pilot, "reinforcement")
        top = papers.scroll_offset.y
        assert top <= papers.max_scroll_y
        assert top <= papers.cursor < top + papers.scrollable_content_region.height
        assert papers.current_id == (last if last in papers.ids else papers.ids[0])

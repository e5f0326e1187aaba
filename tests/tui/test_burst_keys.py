"""Keys that arrive in one burst after "/" (a paste, a macro) belong to the query."""

from __future__ import annotations

from test_screens import settle
from textual import events

from paperterm.store import Store


async def test_letters_right_after_slash_go_to_the_query(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.main_screen
        # all queued before any is handled, as bytes read from the terminal at once are
        for key, char in [("slash", "/"), *((c, c) for c in "agent")]:
            app.post_message(events.Key(key, char))
        await settle(app, pilot)
        assert screen.search_bar.input.value == "agent"
        assert app.screen is screen  # no dialog opened by "e" or "t"
        assert not any(s.starred for s in sample_store.states().values())


async def test_a_slash_typed_in_the_query_is_part_of_it(sample_store: Store, make_app) -> None:
    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"a", "slash", "b")
        assert app.main_screen.search_bar.input.value == "a/b"


async def test_a_slash_in_a_dialog_is_typed_there(sample_store: Store, make_app) -> None:
    from textual.widgets import Input

    app = make_app(sample_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")  # the tag dialog
        await settle(app, pilot)
        await pilot.press(*"ml", "slash", *"cv")
        assert app.screen.query_one(Input).value == "ml/cv"

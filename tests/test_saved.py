"""Saved searches: kept in the user's preferences, recalled by name with @name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperterm.errors import PapertermError
from paperterm.saved import (
    PREF_SAVED,
    check_name,
    delete_search,
    expand,
    save_search,
    saved_searches,
)
from paperterm.store import Store


class Prefs:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get_pref(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set_pref(self, key: str, value: Any) -> None:
        self.values[key] = value


def test_save_recall_replace_delete() -> None:
    prefs = Prefs()
    assert saved_searches(prefs) == []
    assert save_search(prefs, " @morning ", "date:>=2025-09-01 is:unread") == "morning"
    save_search(prefs, "rl", "reinforcement")
    save_search(prefs, "morning", "is:unread")  # replaced in its place
    assert saved_searches(prefs) == [("morning", "is:unread"), ("rl", "reinforcement")]
    assert expand(prefs, "@rl") == "reinforcement"
    assert expand(prefs, "@rl has:code") == "reinforcement has:code"
    assert expand(prefs, "plain words") == "plain words"
    assert delete_search(prefs, "rl") and not delete_search(prefs, "rl")
    assert saved_searches(prefs) == [("morning", "is:unread")]


def test_unknown_name_is_one_line_error() -> None:
    prefs = Prefs()
    save_search(prefs, "rl", "x")
    with pytest.raises(PapertermError, match=r"unknown saved search @nope \(saved: @rl\)"):
        expand(prefs, "@nope")


@pytest.mark.parametrize("name", ["", "@", "two words", "-dash", "x" * 41, "a/b", "_x"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(PapertermError, match="saved search name"):
        check_name(name)


@pytest.mark.parametrize("damaged", ["text", {"a": 1}, [["ok", "q"], ["bad"], [1, 2], "x"]])
def test_damaged_preference_reads_as_what_is_sound(damaged: object) -> None:
    prefs = Prefs()
    prefs.values[PREF_SAVED] = damaged
    found = saved_searches(prefs)
    assert found == ([("ok", "q")] if isinstance(damaged, list) else [])


@given(st.text(max_size=60), st.text(max_size=80))
def test_any_name_either_saves_and_recalls_or_is_refused(name: str, query: str) -> None:
    prefs = Prefs()
    try:
        saved = save_search(prefs, name, query)
    except PapertermError:
        return
    assert expand(prefs, "@" + saved) == query.strip()


def test_per_user_in_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path, "alice") as alice:
        save_search(alice, "rl", "reinforcement")
    with Store.open(tmp_path, "bob") as bob:
        assert saved_searches(bob) == []
    with Store.open(tmp_path, "alice") as alice:
        assert saved_searches(alice) == [("rl", "reinforcement")]

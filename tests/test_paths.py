"""Tests for paperterm.paths' one rule of user names, which the CLI, the reader and the
store all follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paperterm.errors import PapertermError, StoreError
from paperterm.paths import is_user_name, resolve_user, user_name_from_login, validate_user
from paperterm.store import Store

GOOD = ["alice", "Bob", "a", "x" * 64, "j.doe", "team_2", "0day", "a-b.c_d"]
BAD = ["", ".hidden", "..", "../etc", "a/b", "a\\b", "-dash", "_under", "x" * 65, "a b",
       "café", "tab\there", "new\nline", "alice\n"]  # fmt: skip


@pytest.mark.parametrize("name", GOOD)
def test_good_names_pass_everywhere(name: str, tmp_path: Path) -> None:
    assert is_user_name(name)
    assert validate_user(name) == name
    with Store.open(tmp_path, name) as store:
        store.set_pref("theme", "dark")
        assert store.users() == [name]


@pytest.mark.parametrize("name", BAD)
def test_bad_names_fail_everywhere(name: str, tmp_path: Path) -> None:
    assert not is_user_name(name)
    with pytest.raises(PapertermError, match="invalid user name"):
        validate_user(name)
    with pytest.raises(StoreError, match="invalid user name"):
        Store.open(tmp_path, name)


def test_the_store_lists_only_profiles_it_could_open(tmp_path: Path) -> None:
    for folder in ("bob", "a b", ".trash", "-x"):
        (tmp_path / "users" / folder).mkdir(parents=True)
    with Store.open(tmp_path, "alice") as store:
        assert store.users() == ["alice", "bob"]


@given(st.text(max_size=80))
def test_a_login_always_becomes_a_user_name(login: str) -> None:
    assert is_user_name(user_name_from_login(login))


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", fullmatch=True))
def test_a_user_name_login_is_kept(login: str) -> None:
    assert user_name_from_login(login) == login


def test_login_cleaning() -> None:
    assert user_name_from_login("John Smith") == "John_Smith"
    assert user_name_from_login("..root") == "root"
    assert user_name_from_login("???") == "default"
    assert user_name_from_login("") == "default"
    assert user_name_from_login("._-") == "default"


def test_resolve_user_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERTERM_USER", "from-env")
    assert resolve_user("from-flag") == "from-flag"
    assert resolve_user(None) == "from-env"
    monkeypatch.setenv("PAPERTERM_USER", "../bad")
    with pytest.raises(PapertermError, match=r"invalid user name '\.\./bad'"):
        resolve_user(None)
    monkeypatch.delenv("PAPERTERM_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "Jane Doe")
    assert resolve_user(None) == "Jane_Doe"

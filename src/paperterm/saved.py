"""Saved searches: named queries, kept per user with the preferences.

The store keeps them as the preference ``saved_searches``: a list of ``[name, query]`` in the
order they were saved (the reader recalls the first nine with ``1``-``9``). ``@name`` stands
for a saved query wherever a query is typed (``paperterm list @morning``).
A damaged preference (not a list of pairs of strings) reads as no saved searches.
"""

from __future__ import annotations

import re
from typing import Any, Final, Protocol

from paperterm.errors import PapertermError

PREF_SAVED: Final = "saved_searches"
NAME_RE: Final = re.compile(r"[^\W_][\w.-]{0,39}")
"""A name: a letter or digit, then up to 39 letters, digits, ``_``, ``.`` or ``-``."""


class Prefs(Protocol):
    """What saved searches need of a store: its per-user preferences."""

    def get_pref(self, key: str, default: Any = None) -> Any: ...

    def set_pref(self, key: str, value: Any) -> None: ...


def saved_searches(prefs: Prefs) -> list[tuple[str, str]]:
    """The saved searches as (name, query), in the order they were saved."""
    raw = prefs.get_pref(PREF_SAVED, [])
    if not isinstance(raw, list):
        return []
    found: list[tuple[str, str]] = []
    for item in raw:
        if (
            isinstance(item, list | tuple) and len(item) == 2
            and isinstance(item[0], str) and isinstance(item[1], str)
            and NAME_RE.fullmatch(item[0])
        ):  # fmt: skip
            found.append((item[0], item[1]))
    return found


def check_name(name: str) -> str:
    """The name, stripped of spaces and a leading ``@``; raises PapertermError if invalid."""
    name = name.strip().removeprefix("@")
    if not NAME_RE.fullmatch(name):
        raise PapertermError(
            f"saved search name {name[:40]!r}: use letters, digits, '_', '.' or '-' "
            "(at most 40, starting with a letter or digit)"
        )
    return name


def save_search(prefs: Prefs, name: str, query: str) -> str:
    """Save ``query`` under ``name`` (replacing a search of that name, in its place);
    returns the name as saved."""
    name = check_name(name)
    searches = saved_searches(prefs)
    names = [n for n, _ in searches]
    if name in names:
        searches[names.index(name)] = (name, query)
    else:
        searches.append((name, query))
    prefs.set_pref(PREF_SAVED, [[n, q] for n, q in searches])
    return name


def delete_search(prefs: Prefs, name: str) -> bool:
    """Forget the saved search ``name``; False when there was none."""
    searches = saved_searches(prefs)
    kept = [(n, q) for n, q in searches if n != name]
    if len(kept) == len(searches):
        return False
    prefs.set_pref(PREF_SAVED, [[n, q] for n, q in kept])
    return True


def expand(prefs: Prefs, text: str) -> str:
    """``text`` with a leading ``@name`` replaced by that saved query (the rest of the text
    is added to it); raises PapertermError naming an unknown name."""
    stripped = text.strip()
    if not stripped.startswith("@"):
        return text
    head, _, rest = stripped.partition(" ")
    name = head[1:]
    for saved_name, query in saved_searches(prefs):
        if saved_name == name:
            return f"{query} {rest}".strip()
    known = ", ".join("@" + n for n, _ in saved_searches(prefs)) or "none saved yet"
    raise PapertermError(f"unknown saved search @{name[:40]} (saved: {known})")

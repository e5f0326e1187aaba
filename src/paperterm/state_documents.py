"""A user's states as stored in the TinyDB files, to and from ``PaperState``.

Only the non-default fields plus ``updated`` are stored. Tags and notes are cleaned of
control characters and escape sequences on the way in (``strip_controls``,
``normalize_tag``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from paperterm.errors import StoreError
from paperterm.model import PaperState
from paperterm.text import sanitize

Updater = Callable[[dict[str, dict[str, Any]]], None]
"""Changes a TinyDB table's raw documents in place."""


def _state_maker() -> Callable[[bool, bool, tuple[str, ...], str], PaperState]:
    """``PaperState``'s constructor (positional), or, when its layout is the expected one,
    a faster equivalent that sets the slots directly, as ``paperterm.documents`` does for ``Paper``
    (every state shard is read at once for ``is:starred``)."""
    if getattr(PaperState, "__slots__", None) != STATE_FIELDS or hasattr(
        PaperState, "__post_init__"
    ):
        return PaperState
    new = object.__new__
    s_starred, s_read, s_tags, s_note = (getattr(PaperState, n).__set__ for n in STATE_FIELDS)

    def make(starred: bool, read: bool, tags: tuple[str, ...], note: str) -> PaperState:
        state = new(PaperState)
        s_starred(state, starred)
        s_read(state, read)
        s_tags(state, tags)
        s_note(state, note)
        return state

    return make


STATE_FIELDS = ("starred", "read", "tags", "note")
make_state = _state_maker()


def state_from_doc(doc: Mapping[str, Any] | None) -> PaperState:
    """Build a PaperState from a stored document (None: the default state)."""
    if not doc:
        return PaperState()
    get = doc.get
    return make_state(
        bool(get("starred", False)),
        bool(get("read", False)),
        tuple(map(str, get("tags", ()))),
        str(get("note", "")),
    )


def state_to_doc(state: PaperState, updated: str) -> dict[str, Any]:
    """The stored document of a non-default ``state``: its non-default fields and a time."""
    doc: dict[str, Any] = {}
    if state.starred:
        doc["starred"] = True
    if state.read:
        doc["read"] = True
    if state.tags:
        doc["tags"] = list(state.tags)
    if state.note:
        doc["note"] = state.note
    doc["updated"] = updated
    return doc


def put_states(states: Mapping[str, PaperState]) -> Updater:
    """A ``StrTable.modify`` updater storing ``states`` (deleting the default ones)."""
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def update(docs: dict[str, dict[str, Any]]) -> None:
        for pid, state in states.items():
            if state.is_default:
                docs.pop(pid, None)
            else:
                docs[pid] = state_to_doc(state, stamp)

    return update


def strip_controls(text: str, *, keep: str = "") -> str:
    """Remove terminal escape sequences and control/format characters (except ``keep``)."""
    text = sanitize(text)  # escape sequences go whole, not just their introducer
    return "".join(ch for ch in text if ch in keep or not unicodedata.category(ch).startswith("C"))


MAX_TAG = 40


def normalize_tag(tag: str) -> str:
    """``" Deep Learning "`` -> ``"deep-learning"``; StoreError naming the tag if invalid."""
    cleaned = "-".join(strip_controls(tag, keep="\t\n\r").strip().lstrip("#").lower().split())
    if not cleaned or len(cleaned) > MAX_TAG:
        raise StoreError(f"invalid tag {tag!r}: a tag has 1 to {MAX_TAG} characters")
    return cleaned

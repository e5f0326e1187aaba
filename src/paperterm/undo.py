"""Field-level undo: what one action changed, and how to take back only that.

An action is remembered as the state of each paper it touched before and after it. Undoing
it reverts, field by field, only what it changed (starred, read, note; tags one by one),
and only where the field still holds what the action wrote: a value someone else wrote
since (another reader, the CLI) is kept and reported. The comparison is made against the
state read under the store's write lock (``Store.update_states``), not a cached copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from paperterm.model import PaperState
from paperterm.text import plural

SCALAR_FIELDS = ("starred", "read", "note")
FIELD_NAMES = {"starred": "star", "read": "read mark", "note": "note", "tags": "tags"}


@dataclass(frozen=True, slots=True)
class Edit:
    """One paper's state just before and just after an action."""

    before: PaperState
    after: PaperState

    @property
    def changed(self) -> bool:
        """True when the action changed anything on this paper."""
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One action: its description and, per paper it changed, the edit it made."""

    label: str
    edits: Mapping[str, Edit]


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo did: the action's label, the papers it touched (in order), and per
    paper the fields kept because someone changed them since the action."""

    label: str
    paper_ids: tuple[str, ...]
    kept: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def revert(edit: Edit, current: PaperState) -> tuple[PaperState, tuple[str, ...]]:
    """``current`` with ``edit`` taken back, and the fields kept as someone else set them.

    A scalar field goes back to its earlier value only while it still holds the value the
    action wrote. Tags the action added are removed (when still there), tags it removed
    come back (when still absent, at their old place); the other tags are left alone.
    """
    before, after = edit.before, edit.after
    changes: dict[str, object] = {}
    kept: list[str] = []
    for name in SCALAR_FIELDS:
        old, written, now = getattr(before, name), getattr(after, name), getattr(current, name)
        if old == written:
            continue  # the action did not touch it
        if now == written:
            changes[name] = old
        elif now != old:
            kept.append(name)
    added = [tag for tag in after.tags if tag not in before.tags]
    removed = [tag for tag in before.tags if tag not in after.tags]
    if added or removed:
        tags = [tag for tag in current.tags if tag not in added]
        for tag in removed:
            if tag not in tags:
                tags.insert(min(before.tags.index(tag), len(tags)), tag)
        changes["tags"] = tuple(tags)
    return replace(current, **changes), tuple(kept)  # type: ignore[arg-type]


def describe(undone: Undone, title_of: Mapping[str, str] | None = None,
             width: int = 40) -> str:
    """The status line for ``undone``: the action, the paper (its title cut to ``width``)
    and what was kept because it changed since."""
    message = f"undid: {undone.label}"
    if len(undone.paper_ids) == 1 and title_of:
        title = title_of.get(undone.paper_ids[0], "")
        if title:
            message += f" on “{shorten(title, width)}”"
    if undone.kept:
        if len(undone.paper_ids) == 1:
            fields = ", ".join(FIELD_NAMES[name] for name in next(iter(undone.kept.values())))
            message += f"; kept the {fields} changed since"
        else:
            count = len(undone.kept)
            message += f"; kept {plural(count, 'paper')} as changed since by someone else"
    return message


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(width - 1, 1)].rstrip() + "…"

"""Writing one user's states: each change read under the exclusive lock, after whatever
another process wrote, and one write per state shard touched (only that shard's file)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace

from paperterm.errors import UnknownPaperError
from paperterm.model import DEFAULT_STATE, PaperState
from paperterm.state_documents import normalize_tag, put_states, strip_controls
from paperterm.storage import file_key, shared_lock
from paperterm.store_shards import Shards

Change = Callable[[PaperState], PaperState]
"""Maps the state read under the write lock to the one to write."""


def becomes(state: PaperState) -> Change:
    """The change that replaces any state by ``state``."""
    return lambda _old: state


def starred(value: bool) -> Change:
    """The change that stars (or unstars) a paper."""
    return lambda state: replace(state, starred=bool(value))


def marked_read(value: bool) -> Change:
    """The change that marks a paper read (or unread)."""
    return lambda state: replace(state, read=bool(value))


def tags_added(tags: Sequence[str]) -> Change:
    """The change that adds ``tags`` (normalised; StoreError for an invalid one, at once)."""
    new = list(dict.fromkeys(normalize_tag(t) for t in tags))

    def add(state: PaperState) -> PaperState:
        return replace(state, tags=state.tags + tuple(t for t in new if t not in state.tags))

    return add


def tags_removed(tags: Sequence[str]) -> Change:
    """The change that removes ``tags`` (normalised)."""
    gone = {normalize_tag(t) for t in tags}
    return lambda state: replace(state, tags=tuple(t for t in state.tags if t not in gone))


def noted(text: str) -> Change:
    """The change that sets a paper's note (cleaned of control characters; empty: cleared)."""
    note = strip_controls(text, keep="\n\t").strip()
    return lambda state: replace(state, note=note)


def require(shards: Shards, ids: Iterable[str]) -> list[str]:
    """The distinct ``ids`` in order; UnknownPaperError (before any write) for an unknown
    one, after looking at what other processes imported."""
    wanted = list(dict.fromkeys(ids))
    if any(pid not in shards.month_of for pid in wanted):
        with shared_lock(shards.data_dir):
            if shards.cutoff is not None:
                shards.complete_now()
            shards.sync(states=False)
        for pid in wanted:
            if pid not in shards.month_of:
                raise UnknownPaperError(f"unknown paper id {pid!r}")
    return wanted


def apply(
    shards: Shards, plan: Mapping[str, Change], writing: AbstractContextManager[None]
) -> dict[str, PaperState]:
    """Change each planned paper's state inside ``writing`` (the exclusive lock); returns
    the previous states."""
    require(shards, plan)
    by_month: dict[str, list[str]] = {}
    for pid in plan:
        by_month.setdefault(shards.month_of[pid], []).append(pid)
    previous: dict[str, PaperState] = {}
    with writing:
        for month, ids in sorted(by_month.items()):
            path = shards.user_dir / f"{month}.json"
            if file_key(path) != shards.loaded.get(path):
                shards.load_states(month)  # another process wrote it: start from that
            old = {pid: shards.states.get(pid, DEFAULT_STATE) for pid in ids}
            previous.update(old)
            new = {pid: plan[pid](old[pid]) for pid in ids}
            changed = {pid: s for pid, s in new.items() if s != old[pid]}
            if changed:
                write(shards, month, changed)
    return previous


def write(shards: Shards, month: str, changed: Mapping[str, PaperState]) -> None:
    """Store ``changed`` in the state shard of ``month``, memory in step."""
    path = shards.user_dir / f"{month}.json"
    table = shards.table(path, "state")
    table.modify(put_states(changed))
    shards.loaded[path] = table.storage_key()
    ids_here = shards.state_ids.setdefault(month, set())
    for pid, state in changed.items():
        if state.is_default:
            shards.states.pop(pid, None)
            ids_here.discard(pid)
        else:
            shards.states[pid] = state
            ids_here.add(pid)

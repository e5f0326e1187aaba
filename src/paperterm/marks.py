"""One user's papers over a store: what they are and how the user marked them, their
preferences, and the undoable marks (stars, read marks, tags and notes).

Each mark action is one durable store write and one undo step; undo reverts field by
field, only where a field still holds what the action wrote (``paperterm.undo``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from paperterm.errors import PapertermError
from paperterm.model import Entry, Paper, PaperState
from paperterm.state_documents import normalize_tag
from paperterm.store import Store
from paperterm.text import plural
from paperterm.undo import Edit, Undone, UndoStep, revert

UNDO_DEPTH = 200


class Marking:
    """One user's reads of a store and mark-changing writes, each write remembered for
    undo."""

    def __init__(self, store: Store) -> None:
        self.store = store
        """The store; the domain's and the tests'. The reader uses this class's methods."""
        self._undo: list[UndoStep] = []

    # -- the store, read -------------------------------------------------------------------

    @property
    def user(self) -> str:
        """The user whose stars, tags and preferences these are."""
        return self.store.user

    def users(self) -> list[str]:
        """Every user of the store."""
        return self.store.users()

    @property
    def complete(self) -> bool:
        """False while a partial open has not loaded every paper (see ``adopt``)."""
        return self.store.complete

    def __len__(self) -> int:
        return len(self.store)

    def papers(self) -> list[Paper]:
        """Every loaded paper, newest first."""
        return self.store.papers()

    def paper(self, paper_id: str) -> Paper:
        """One paper. Raises PapertermError for an unknown id."""
        return self.store.get(paper_id)

    def state(self, paper_id: str) -> PaperState:
        """The user's state of one paper."""
        return self.store.state(paper_id)

    def entry_or_none(self, paper_id: str | None) -> Entry | None:
        """``entry`` of ``paper_id``, or None for None or an unknown id."""
        if paper_id is None:
            return None
        try:
            return self.entry(paper_id)
        except PapertermError:
            return None

    def tags(self) -> list[str]:
        """Every tag the user has used."""
        return self.store.all_tags()

    def pref(self, key: str) -> str | None:
        """The user's preference ``key`` when it is a string, else None."""
        value = self.store.get_pref(key)
        return value if isinstance(value, str) else None

    def set_pref(self, key: str, value: str) -> None:
        """Save the user's preference ``key`` (no write when unchanged; unset is "").
        Raises PapertermError when it cannot be saved."""
        if (self.pref(key) or "") != value:
            self.store.set_pref(key, value)

    def entry(self, paper_id: str) -> Entry:
        """The paper and the current user's state over it."""
        return Entry(self.store.get(paper_id), self.store.state(paper_id))

    # -- actions -----------------------------------------------------------------------

    def _record(self, label: str, previous: Mapping[str, PaperState]) -> str:
        """Remember what the write that returned ``previous`` changed, paper by paper.

        The store's in-memory state right after its own write is what that write stored.
        """
        edits = {pid: Edit(before, self.store.state(pid)) for pid, before in previous.items()}
        changed = {pid: edit for pid, edit in edits.items() if edit.changed}
        self._undo.append(UndoStep(label, changed))
        del self._undo[:-UNDO_DEPTH]
        return label

    def toggle_star(self, paper_id: str) -> str:
        """Star or unstar one paper; returns what happened, for the status line."""
        value = not self.store.state(paper_id).starred
        previous = self.store.set_starred([paper_id], value)
        return self._record("starred" if value else "unstarred", previous)

    def toggle_read(self, paper_id: str) -> str:
        """Mark one paper read or unread."""
        value = not self.store.state(paper_id).read
        previous = self.store.set_read([paper_id], value)
        return self._record("marked read" if value else "marked unread", previous)

    def mark_read(self, paper_ids: Sequence[str]) -> str:
        """Mark every given paper read (one undo step)."""
        previous = self.store.set_read(paper_ids, True)
        return self._record(f"marked {plural(len(paper_ids), 'paper')} read", previous)

    def change_tags(self, paper_id: str, add: Sequence[str], remove: Sequence[str]) -> str:
        """Add and remove tags on one paper as a single undo step."""
        previous: dict[str, PaperState] = {}
        if remove:
            previous.update(self.store.remove_tags([paper_id], remove))
        if add:
            try:
                added = self.store.add_tags([paper_id], add)
            except PapertermError:
                if previous:  # the removal was saved: it must stay undoable
                    self._record("tags " + " ".join(f"-{normalize_tag(t)}" for t in remove),
                                 previous)
                raise
            for pid, state in added.items():
                previous.setdefault(pid, state)
        # the tags as stored (lower case, spaces as -), not as typed
        parts = ([f"+{t}" for t in dict.fromkeys(map(normalize_tag, add))]
                 + [f"-{t}" for t in dict.fromkeys(map(normalize_tag, remove))])
        return self._record("tags " + " ".join(parts), previous)

    def set_note(self, paper_id: str, note: str) -> str:
        """Replace the note of one paper (empty clears it)."""
        previous = self.store.set_note(paper_id, note)
        return self._record("note saved" if note.strip() else "note cleared", previous)

    @property
    def can_undo(self) -> bool:
        """True when there is an action to undo."""
        return bool(self._undo)

    def undo(self) -> Undone | None:
        """Undo the last action, field by field; None when there is nothing to undo.

        Only the fields the action changed are reverted, and only where they still hold
        what it wrote (compared under the store's write lock, after any other process's
        write); a field someone changed since keeps their value and is listed in
        ``Undone.kept``. When the write fails the step stays, to be tried again.
        """
        if not self._undo:
            return None
        step = self._undo.pop()
        kept: dict[str, tuple[str, ...]] = {}

        def reverting(pid: str, edit: Edit) -> Callable[[PaperState], PaperState]:
            def change(current: PaperState) -> PaperState:
                state, fields = revert(edit, current)
                if fields:
                    kept[pid] = fields
                return state

            return change

        if step.edits:
            try:
                self.store.update_states(
                    {pid: reverting(pid, edit) for pid, edit in step.edits.items()})
            except PapertermError:
                self._undo.append(step)
                raise
        return Undone(step.label, tuple(step.edits), kept)

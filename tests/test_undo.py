"""Field-level undo: only what the action changed, only where it still holds that value.

Two sessions (two Store objects, as two readers or a reader and the CLI) write one store.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from paperterm.digest import read_digest_file
from paperterm.model import PaperState
from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.undo import Edit, Undone, describe, revert, shorten


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    with Store.open(data_dir, "alice") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path))
    return data_dir


def two(data: Path) -> tuple[Triage, Triage]:
    return Triage(Store.open(data, "alice")), Triage(Store.open(data, "alice"))


def fresh(data: Path, pid: str) -> PaperState:
    with Store.open(data, "alice") as store:
        return store.state(pid)


def test_undo_star_keeps_tags_and_note_written_since_elsewhere(data: Path) -> None:
    mine, other = two(data)
    pid = mine.store.papers()[0].id
    mine.toggle_star(pid)
    other.store.refresh()
    other.change_tags(pid, ["x"], [])
    other.set_note(pid, "n")
    result = mine.undo()
    assert result is not None and result.kept == {}
    assert describe(result) == "undid: starred"
    assert fresh(data, pid) == PaperState(starred=False, tags=("x",), note="n")


def test_undo_keeps_a_field_changed_since_and_says_so(data: Path) -> None:
    mine, other = two(data)
    pid = mine.store.papers()[0].id
    mine.set_note(pid, "mine")
    mine.toggle_star(pid)
    other.store.refresh()
    other.set_note(pid, "theirs")
    other.toggle_star(pid)  # unstarred there: the star is already what undo would write
    star = mine.undo()
    assert star is not None and star.kept == {}
    note = mine.undo()
    assert note is not None and note.kept == {pid: ("note",)}
    assert "kept the note changed since" in describe(note)
    assert fresh(data, pid).note == "theirs"


def test_undo_of_tags_removes_only_what_it_added(data: Path) -> None:
    mine, other = two(data)
    pid = mine.store.papers()[0].id
    mine.change_tags(pid, ["a", "old"], [])
    mine.change_tags(pid, ["x"], ["old"])
    other.store.refresh()
    other.change_tags(pid, ["y"], [])
    mine.undo()  # +x -old: x goes, old comes back at its place, y stays
    assert fresh(data, pid).tags == ("a", "old", "y")
    other.store.refresh()
    other.change_tags(pid, [], ["a"])  # removed elsewhere already: nothing to report
    result = mine.undo()  # +a +old
    assert result is not None and result.kept == {}
    assert fresh(data, pid).tags == ("y",)


def test_bulk_undo_reverts_only_the_untouched_papers(data: Path) -> None:
    mine, other = two(data)
    a, b, c = (p.id for p in mine.store.papers()[:3])
    mine.toggle_read(b)  # already read: A does not change it, its undo must not either
    mine.mark_read([a, b, c])
    other.store.refresh()
    other.set_note(a, "keep me")
    other.toggle_read(c)  # unread there already: nothing left for undo to do on it
    other.toggle_star(c)
    result = mine.undo()
    assert result is not None and set(result.paper_ids) == {a, c} and result.kept == {}
    assert fresh(data, a) == PaperState(note="keep me")
    assert fresh(data, b).read
    assert fresh(data, c) == PaperState(starred=True)


def test_a_failed_undo_stays_undoable(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperterm.errors import StoreWriteError

    mine = Triage(Store.open(data, "alice"))
    pid = mine.store.papers()[0].id
    mine.toggle_star(pid)

    def full_disk(changes: object) -> object:
        raise StoreWriteError("users/alice/2026-09.json: cannot save: No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(mine.store, "update_states", full_disk)
        with pytest.raises(StoreWriteError):
            mine.undo()
    assert mine.can_undo and mine.undo() is not None
    assert not mine.store.state(pid).starred


def test_revert_and_describe() -> None:
    before, after = PaperState(tags=("a",)), PaperState(starred=True, tags=("a", "b"))
    assert revert(Edit(before, after), after) == (before, ())
    assert revert(Edit(before, after), PaperState(starred=False, tags=("b", "c"))) == (
        PaperState(tags=("c",)), ())
    assert revert(Edit(PaperState(), PaperState(note="x")), PaperState(note="y")) == (
        PaperState(note="y"), ("note",))
    assert describe(Undone("starred", ("p",)), {"p": "A title"}) == 'undid: starred on “A title”'
    many = Undone("marked 3 papers read", ("p", "q", "r"), {"q": ("note",)})
    assert describe(many) == ("undid: marked 3 papers read; "
                              "kept 1 paper as changed since by someone else")
    assert shorten("a  very long\ntitle", 8) == "a very…"

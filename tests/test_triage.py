"""The triage session: undoable actions, searches over snapshots, incremental indexing."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from paperterm import triage as triage_module
from paperterm.digest import parse_digest, read_digest_file
from paperterm.errors import PapertermError, QueryError
from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage, next_unread, settle_heap
from paperterm.undo import describe


@pytest.fixture
def triage(tmp_path: Path) -> Triage:
    store = Store.open(tmp_path / "data", "alice")
    for path in sample_digest_paths():
        store.import_digest(read_digest_file(path))
    return Triage(store)


def undone(triage: Triage) -> str | None:
    result = triage.undo()
    return None if result is None else describe(result)


def test_each_action_is_one_undo_step(triage: Triage) -> None:
    store = triage.store
    a, b, c = (p.id for p in store.papers()[:3])
    assert triage.toggle_star(a) == "starred"
    assert triage.toggle_read(b) == "marked read"
    assert triage.change_tags(a, ["ml", "rl"], []) == "tags +ml +rl"
    assert triage.change_tags(a, ["cv"], ["ml"]) == "tags +cv -ml"
    assert triage.set_note(c, "see fig 2") == "note saved"
    assert triage.mark_read([a, c]) == "marked 2 papers read"
    assert store.state(a).tags == ("rl", "cv") and store.state(c).read
    assert undone(triage) == "undid: marked 2 papers read"
    assert not store.state(a).read and not store.state(c).read and store.state(b).read
    assert undone(triage) == "undid: note saved"
    assert store.state(c).note == ""
    assert undone(triage) == "undid: tags +cv -ml"
    assert store.state(a).tags == ("ml", "rl")
    assert undone(triage) == "undid: tags +ml +rl"
    assert store.state(a).tags == ()
    assert undone(triage) == "undid: marked read"
    assert undone(triage) == "undid: starred"
    assert undone(triage) is None and not triage.can_undo
    assert store.states() == {}


def test_filters_work_without_the_index(triage: Triage) -> None:
    first = triage.store.papers()[0]
    triage.toggle_star(first.id)
    assert triage.search("is:starred") == [first.id]
    assert triage.index is None, "a query without free words must not build the index"
    assert len(triage.search("-is:starred")) == 138
    with pytest.raises(QueryError):
        triage.search("is:sparkly")


def test_free_words_search_a_snapshot(triage: Triage) -> None:
    snapshot = triage.snapshot()
    triage.toggle_star(snapshot.papers[0].id)
    # The snapshot predates the star: a search over it does not see it.
    assert triage.search("is:starred", snapshot) == []
    ids = triage.search("continual learning", snapshot)
    assert ids and "Continual" in triage.store.get(ids[0]).title


def test_sync_index_adds_only_new_or_changed_papers(triage: Triage) -> None:
    triage.build_index()
    assert triage.sync_index(triage.store.papers()) == 0
    text = "Sep 10\n\nQuixotic Zebra Transformers\n\nWe study zebras.\n"
    result = triage.store.import_digest(parse_digest(text, source="x-2026-09-10.txt"))
    assert result.new == 1
    assert triage.sync_index(triage.store.papers()) == 1
    assert triage.search("quixotic zebra") == list(result.new_ids)


def test_papers_imported_while_the_index_builds_are_not_lost(triage: Triage) -> None:
    text = "Sep 10\n\nQuixotic Zebra Transformers\n\nWe study zebras.\n"
    before = triage.store.papers()
    triage.store.import_digest(parse_digest(text, source="x-2026-09-10.txt"))
    assert triage.sync_index(triage.store.papers()) == 140  # queued: no index yet
    triage.build_index(before)  # a build that started before the import
    assert len(triage.search("quixotic")) == 1


def test_counts(triage: Triage) -> None:
    papers = triage.store.papers()
    triage.toggle_star(papers[0].id)
    triage.mark_read([p.id for p in papers[:5]])
    counts = triage.counts()
    assert (counts.unread, counts.starred, counts.total) == (134, 1, 139)
    assert triage.counts().new == 139  # nothing seen yet: every paper is new


def test_new_papers_are_those_after_what_the_user_had_seen(triage: Triage) -> None:
    triage.set_pref("seen_through", "2026-09-03")
    assert Triage(triage.store).counts().new == 61  # first seen in the 09-09 digest
    triage.mark_seen()
    assert triage.pref("seen_through") == "2026-09-09"
    later = Triage(triage.store)
    assert later.counts().new == 0
    text = "Sep 10\n\nQuixotic Zebra Transformers\n\nWe study zebras.\n"
    later.import_digest(parse_digest(text, source="x-2026-09-10.txt"))
    assert later.counts().new == 1  # an import recounts at once


def test_search_without_waiting_for_the_index(triage: Triage) -> None:
    snapshot = triage.snapshot()
    # a small snapshot is answered by a throwaway index; the session's is still not built
    ids = triage.search("continual learning", snapshot, wait=False)
    assert ids and "Continual" in triage.paper(ids[0]).title
    assert triage.index is None
    big = triage_module.Snapshot(snapshot.papers * 40, snapshot.states)
    assert triage.search("continual learning", big, wait=False) is None
    assert triage.search("is:unread", big, wait=False) is not None  # filters never wait


def test_search_sorts_as_the_session_does(triage: Triage) -> None:
    by_relevance = triage.search("learning")
    triage.set_sort("date")
    by_date = triage.search("learning")
    assert sorted(by_date) == sorted(by_relevance) and by_date != by_relevance
    dates = [triage.paper(pid).newest for pid in by_date]
    assert dates == sorted(dates, reverse=True)
    assert Triage(triage.store).sort == "date"  # remembered


def test_another_user_shares_the_index_not_the_marks(triage: Triage) -> None:
    triage.build_index()
    pid = triage.papers()[0].id
    triage.toggle_star(pid)
    bob = triage.for_user("bob")
    try:
        assert bob.user == "bob" and bob.index is triage.index
        assert not bob.state(pid).starred and not bob.can_undo
        assert "alice" in bob.users()
        with pytest.raises(PapertermError):
            triage.for_user("../evil")
    finally:
        bob.close()


def test_refresh_indexes_what_another_process_wrote(triage: Triage, tmp_path: Path) -> None:
    triage.build_index()
    with Store.open(tmp_path / "data", "alice") as other:
        text = "Sep 10\n\nQuixotic Zebra Transformers\n\nWe study zebras.\n"
        other.import_digest(parse_digest(text, source="x-2026-09-10.txt"))
    assert triage.refresh()
    assert len(triage.search("quixotic")) == 1
    assert not triage.refresh()


def test_prefs_and_reads(triage: Triage) -> None:
    assert triage.pref("theme") is None
    triage.set_pref("theme", "nord")
    assert triage.pref("theme") == "nord"
    pid = triage.papers()[0].id
    triage.change_tags(pid, ["ml"], [])
    assert triage.tags() == ["ml"]
    assert triage.entry_or_none(pid) is not None
    assert triage.entry_or_none("nosuchid") is None and triage.entry_or_none(None) is None
    assert len(triage) == 139 and triage.complete


def test_next_unread() -> None:
    ids = ["a", "b", "c", "d"]
    read = {"b", "c"}
    assert next_unread(ids, 0, read.__contains__) == 3
    assert next_unread(ids, 3, read.__contains__) is None
    assert next_unread(ids, 3, read.__contains__, step=-1) == 0


def test_failed_tag_add_keeps_the_saved_removal_undoable(triage: Triage,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from paperterm.errors import StoreWriteError

    pid = triage.store.papers()[0].id
    triage.change_tags(pid, ["old", "keep"], [])

    def full_disk(ids: object, tags: object) -> object:
        raise StoreWriteError("users/alice/2026-09.json: cannot save: No space left on device")

    monkeypatch.setattr(triage.store, "add_tags", full_disk)
    with pytest.raises(StoreWriteError):
        triage.change_tags(pid, ["new"], ["old"])
    assert triage.store.state(pid).tags == ("keep",)
    assert undone(triage) == "undid: tags -old"
    assert triage.store.state(pid).tags == ("old", "keep")


class _Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_settle_heap_hides_live_objects_and_still_frees_dropped_cycles() -> None:
    node = _Node()
    ref = weakref.ref(node)
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert ref() is not None  # frozen: a collection does not look at it
        settle_heap()
        assert ref() is None  # the next settle does
    finally:
        gc.unfreeze()

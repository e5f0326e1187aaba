"""marks.Marking (one user's reads and undoable marks) and live_index.LiveIndex (the
reader's index, kept in step with the store), without the session around them."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperterm.digest import parse_digest, read_digest_file
from paperterm.live_index import LiveIndex
from paperterm.marks import Marking
from paperterm.paths import sample_digest_paths
from paperterm.query import parse_query
from paperterm.store import Store

ZEBRA = "Sep 10\n\nQuixotic Zebra Transformers\n\nWe study zebras.\n"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "data", "alice")
    for path in sample_digest_paths():
        store.import_digest(read_digest_file(path))
    return store


def test_marking_reads_and_undoes_one_field(store: Store) -> None:
    marks = Marking(store)
    pid = marks.papers()[0].id
    assert marks.user == "alice" and len(marks) == 139
    assert marks.toggle_star(pid) == "starred"
    assert marks.change_tags(pid, ["ML"], []) == "tags +ml"
    assert marks.entry(pid).state.tags == ("ml",) and marks.tags() == ["ml"]
    store.set_read([pid], True)  # someone else's write between the action and its undo
    assert marks.undo() is not None and marks.state(pid).tags == ()
    assert marks.undo() is not None
    assert not marks.state(pid).starred and marks.state(pid).read  # the read mark stays
    assert not marks.can_undo and marks.undo() is None


def test_marking_prefs_write_only_changes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    marks = Marking(store)
    writes: list[str] = []
    real = store.set_pref
    monkeypatch.setattr(store, "set_pref", lambda k, v: (writes.append(k), real(k, v)))
    marks.set_pref("query", "")  # unset is "": nothing to write
    marks.set_pref("query", "agents")
    marks.set_pref("query", "agents")
    assert writes == ["query"] and marks.pref("query") == "agents"
    store.set_pref("odd", 3)  # not a string: as if unset
    assert marks.pref("odd") is None


def test_live_index_queues_papers_imported_while_it_builds(store: Store) -> None:
    live = LiveIndex(None)
    before = store.papers()
    store.import_digest(parse_digest(ZEBRA, source="x-2026-09-10.txt"))
    assert live.sync(store.papers()) == 140  # no index yet: all queued
    live.build(before)  # a build that started before the import
    query = parse_query("quixotic")
    assert len(live.find(query, store.papers(), store.states(), "relevance")) == 1
    assert live.sync(store.papers()) == 0


def test_live_index_answers_filters_before_it_is_there(store: Store) -> None:
    live = LiveIndex(None)
    pid = store.papers()[2].id
    store.set_starred([pid], True)
    found = live.find(parse_query("is:starred"), store.papers(), store.states(), "relevance")
    assert found == [pid] and live.index is None

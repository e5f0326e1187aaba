"""The import history and undo: what each import did, and taking it back without losing marks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from paperterm.errors import StoreError
from paperterm.import_history import (
    HISTORY_LIMIT,
    ImportRecord,
    plan_undo,
    record_from_doc,
    record_to_doc,
)
from paperterm.model import NO_META, Digest, PaperMeta, ParsedPaper
from paperterm.store import Store

D1, D2, D3 = dt.date(2026, 9, 1), dt.date(2026, 9, 2), dt.date(2026, 10, 1)


def paper(title: str, **meta: object) -> ParsedPaper:
    return ParsedPaper(title, f"About {title}.", (), 1, PaperMeta(**meta) if meta else NO_META)  # type: ignore[arg-type]


def digest(day: dt.date, *titles: str, source: str = "") -> Digest:
    return Digest(day, tuple(paper(t) for t in titles), source or f"{day}.txt")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def ids_by_title(store: Store) -> dict[str, str]:
    return {p.title: p.id for p in store.papers()}


def test_each_import_that_changes_something_is_recorded(data: Path) -> None:
    with Store.open(data, "alice") as store:
        store.import_digests([digest(D1, "A", "B"), digest(D2, "B", "C")])
        store.import_digest(digest(D1, "A", "B"))  # a repeat changes nothing: no record
        store.import_digest(digest(D3, "C", "D", source="oct.txt"))
        first, second = store.imports()
        ids = ids_by_title(store)
    assert (first.number, second.number) == (1, 2)
    assert first.sources == ("2026-09-01.txt", "2026-09-02.txt") and first.formats == ("plain",)
    assert first.papers == 4 and set(first.added) == {ids["A"], ids["B"], ids["C"]}
    assert first.dated["2026-09-02"] == (ids["B"], ids["C"])
    assert second.sources == ("oct.txt",) and second.added == (ids["D"],)
    assert second.dated == {"2026-10-01": (ids["C"], ids["D"])} and second.known == 1
    assert dt.datetime.fromisoformat(second.at).tzinfo is not None


def test_the_history_keeps_the_last_imports_only(data: Path) -> None:
    with Store.open(data, "alice") as store:
        for number in range(HISTORY_LIMIT + 3):
            store.import_digest(digest(D1 + dt.timedelta(days=number), f"Paper {number}"))
        numbers = [r.number for r in store.imports()]
    assert numbers == list(range(4, HISTORY_LIMIT + 4))


def test_undo_removes_added_papers_and_dates_and_keeps_marked_ones(data: Path) -> None:
    with Store.open(data, "alice") as alice:
        alice.import_digest(digest(D1, "Old", "Older"))
        alice.import_digest(digest(D2, "Old", "New1", "New2", "New3", "New4"))
        ids = ids_by_title(alice)
        alice.set_starred([ids["New1"]], True)
        alice.set_read([ids["New2"]], True)
        alice.set_starred([ids["Old"]], True)
    with Store.open(data, "bob") as bob:
        bob.add_tags([ids["New3"]], ["mine"])
        bob.set_pref("query", "is:starred")
    with Store.open(data, "alice") as alice:
        done = alice.undo_import()
        assert done.record.number == 2
        assert [p.id for p in done.removed] == [ids["New4"]]
        assert {p.id for p in done.kept} == {ids["New1"], ids["New2"], ids["New3"]}
        assert [p.id for p in done.undated] == [ids["Old"]]
        assert alice.get(ids["Old"]).dates == (D1,)
        assert alice.state(ids["Old"]).starred  # marks untouched
        assert sorted(p.title for p in alice.papers()) == ["New1", "New2", "New3", "Old", "Older"]
        (rest,) = [r for r in alice.imports() if r.number == 2]
        assert set(rest.added) == {ids["New1"], ids["New2"], ids["New3"]}
    with Store.open(data, "bob") as bob:  # another user sees the same store and keeps his tag
        assert ids["New4"] not in {p.id for p in bob.papers()}
        assert bob.state(ids["New3"]).tags == ("mine",) and bob.get_pref("query") == "is:starred"
        forced = bob.undo_import(2, force=True)
        assert {p.id for p in forced.removed} == {ids["New1"], ids["New2"], ids["New3"]}
        assert [p.title for p in bob.papers()] == ["Old", "Older"]
        assert [r.number for r in bob.imports()] == [1]
    # the marks of removed papers are not deleted: the same paper imported again has them
    with Store.open(data, "alice") as alice:
        alice.import_digest(digest(D2, "New1"))
        assert alice.state(ids["New1"]).starred


def test_undo_of_an_older_import_keeps_the_dates_later_imports_gave(data: Path) -> None:
    with Store.open(data, "alice") as store:
        store.import_digest(digest(D1, "A"))
        store.import_digest(digest(D2, "A", "B"))
        ids = ids_by_title(store)
        done = store.undo_import(1)
        assert not done.removed and [p.id for p in done.undated] == [ids["A"]]
        assert store.get(ids["A"]).dates == (D2,)
        store.undo_import()
        assert store.count == 0 and store.imports() == []


def test_undo_gives_known_papers_their_metadata_back(data: Path) -> None:
    with Store.open(data, "alice") as store:
        store.import_digest(Digest(D1, (paper("A", arxiv_id="1", upvotes=3),), "a.json"))
        (pid,) = ids_by_title(store).values()
        store.import_digest(Digest(D2, (paper("A", arxiv_id="1", upvotes=9, authors=("X",)),), "b"))
        assert store.get(pid).meta.upvotes == 9
        store.undo_import()
        assert store.get(pid).meta == PaperMeta(arxiv_id="1", upvotes=3)
        assert store.get(pid).dates == (D1,)
    shard = json.loads((data / "papers" / "2026-09.json").read_text())["papers"]
    assert shard[pid]["meta"] == {"arxiv": "1", "upvotes": 3}


def test_undo_names_a_missing_import_and_an_empty_history(data: Path) -> None:
    with Store.open(data, "alice") as store:
        with pytest.raises(StoreError, match="no import to undo"):
            store.undo_import()
        store.import_digest(digest(D1, "A"))
        with pytest.raises(StoreError, match=r"no import number 5 .*holds 1"):
            store.undo_import(5)


def test_an_undo_seen_by_another_open_store_drops_the_papers(data: Path) -> None:
    with Store.open(data, "alice") as one, Store.open(data, "bob") as other:
        one.import_digest(digest(D1, "A", "B"))
        assert other.refresh() and other.count == 2
        one.undo_import()
        assert other.refresh() and other.count == 0 and other.papers() == []


def test_plan_undo_is_safe_to_repeat_and_skips_vanished_papers() -> None:
    record = ImportRecord(1, "2026-12-01T00:00:00+00:00", ("x",), ("plain",), 2,
                          ("p1", "p2"), {"2026-09-01": ("p1", "p2", "k")}, {})  # fmt: skip
    docs = {
        "p1": {"title": "P1", "dates": ["2026-09-01"]},
        "k": {"title": "K", "dates": ["2026-08-01", "2026-09-01"]},
    }
    months = {"p1": "2026-09", "k": "2026-08"}
    plan = plan_undo(record, docs, months, marked=set())
    assert plan.writes == {"2026-08": {"k": {"title": "K", "dates": ["2026-08-01"]}},
                           "2026-09": {"p1": None}}  # fmt: skip
    assert (plan.removed, plan.undated, plan.kept) == (("p1",), ("k",), ())
    again = plan_undo(record, {"k": {"title": "K", "dates": ["2026-08-01"]}}, months, set())
    assert again.writes == {} and again.removed == ()
    assert record_from_doc("1", json.loads(json.dumps(record_to_doc(record)))) == record

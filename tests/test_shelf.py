"""The abstract shelf: abstracts on disk, read back when asked, and never lost."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paperterm.shelf as shelf_module
from paperterm.digest import read_digest_file
from paperterm.model import Digest, Link, Paper, ParsedPaper
from paperterm.paths import sample_digest_paths
from paperterm.shelf import AbstractShelf, ShelfError, ShelvedPaper
from paperterm.store import Store
from paperterm.triage import Triage

HOSTILE = ["", "plain ascii", "Pokémon ✓ 数学", "\udcff lone surrogate", "x" * 70_000, "\n\t"]


def written(shelf: AbstractShelf) -> AbstractShelf:
    assert shelf.wait_written(10)
    return shelf


def test_texts_come_back_as_filed(tmp_path: Path) -> None:
    shelf = AbstractShelf(tmp_path)
    first = shelf.put(HOSTILE)
    second = shelf.put(["more", "é"])
    assert (first, second) == (0, len(HOSTILE))
    written(shelf)
    assert [shelf.text(n) for n in range(len(shelf))] == [*HOSTILE, "more", "é"]
    assert [shelf.length(n) for n in range(len(shelf))] == [len(t) for t in [*HOSTILE, "more", "é"]]
    assert shelf.held_bytes == 0  # all on disk now, none in memory


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(), max_size=8), max_size=6))
def test_any_batches_of_any_text_come_back(batches: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        shelf = AbstractShelf(Path(scratch))
        numbers = [shelf.put(batch) for batch in batches]
        expected = [text for batch in batches for text in batch]
        # read before and after the writer thread is done: the same texts either way
        assert [shelf.text(n) for n in range(len(shelf))] == expected
        written(shelf)
        assert [shelf.text(n) for n in range(len(shelf))] == expected
        assert numbers == [sum(map(len, batches[:i])) for i in range(len(batches))]
        shelf.close()


def test_the_file_is_private_and_leaves_nothing_behind(tmp_path: Path) -> None:
    shelf = AbstractShelf(tmp_path / "cache")
    shelf.put(["an abstract"])
    written(shelf)
    assert list((tmp_path / "cache").iterdir()) == []  # unlinked from the start
    assert shelf.text(0) == "an abstract"


def test_no_file_means_no_shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    shelf = AbstractShelf(tmp_path)
    assert shelf.put(["kept in the paper instead"]) is None
    assert len(shelf) == 0


def test_a_failed_write_keeps_the_texts_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shelf_module.os, "pwrite", full_disk)
    shelf = AbstractShelf(tmp_path)
    shelf.put(["first", "second"])
    written(shelf)
    assert shelf.held_bytes == len("firstsecond")
    assert [shelf.text(0), shelf.text(1)] == ["first", "second"]


def test_an_unreadable_file_is_one_clear_error(tmp_path: Path) -> None:
    shelf = AbstractShelf(tmp_path)
    shelf.put(["gone soon"])
    written(shelf)
    shelf.close()
    with pytest.raises(ShelfError, match="could not be read back"):
        shelf.text(0)
    assert shelf.put(["after close"]) is None  # nothing more is filed


def shelved_paper(shelf: AbstractShelf, **fields: object) -> ShelvedPaper:
    docs = {"p1": {"title": "T", "abstract": "A text", "links": [["https://x.org", "code"]],
                   "dates": ["2025-09-09"], "position": 2, "key": "t"}}  # fmt: skip
    from paperterm.documents import DateCache, papers_from_docs

    [(paper, key)] = papers_from_docs(docs, DateCache(), shelf)
    assert key == "t"
    assert isinstance(paper, ShelvedPaper)
    return paper


def test_a_shelved_paper_is_the_paper_it_stands_for(tmp_path: Path) -> None:
    paper = shelved_paper(AbstractShelf(tmp_path))
    plain = Paper("p1", "T", "A text", (Link("https://x.org", "code"),),
                  (dt.date(2025, 9, 9),), 2)  # fmt: skip
    assert paper.abstract == "A text"
    assert paper.abstract_length == plain.abstract_length == 6
    assert paper == plain and plain == paper
    assert not (paper != plain)  # noqa: SIM202 (the reflected __ne__ is under test)
    assert hash(paper) == hash(plain)
    assert {plain, paper} == {plain}
    assert type(copy.copy(paper)) is Paper and copy.deepcopy(paper) == plain
    assert type(pickle.loads(pickle.dumps(paper))) is Paper
    assert paper != Paper("p1", "T", "Another", plain.links, plain.dates, 2)
    with pytest.raises(AttributeError):
        paper.title = "changed"  # type: ignore[misc]


def sample_store(data_dir: Path) -> None:
    with Store.open(data_dir, "alice") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path))


def test_a_shelving_store_holds_the_same_papers(tmp_path: Path) -> None:
    sample_store(tmp_path)
    with (
        Store.open(tmp_path, "alice") as plain,
        Store.open(tmp_path, "alice", shelve=True) as shelved,
    ):
        assert shelved.shelves_abstracts and not plain.shelves_abstracts
        assert all(isinstance(p, ShelvedPaper) for p in shelved.papers())
        assert [(p.id, p.abstract) for p in shelved.papers()] == [
            (p.id, p.abstract) for p in plain.papers()
        ]
        assert shelved.papers() == plain.papers()


def test_shelved_abstracts_survive_a_rewrite_of_their_shard(tmp_path: Path) -> None:
    sample_store(tmp_path)
    with Store.open(tmp_path, "alice", shelve=True, eager=False) as store:
        store.load_remaining()
        before = {p.id: p for p in store.papers()}
        abstracts = {pid: p.abstract for pid, p in before.items()}
        day = max(p.newest for p in before.values()) + dt.timedelta(days=1)
        other = Store.open(tmp_path, "bob")  # another process imports into the shard
        other.import_digest(Digest(day, (ParsedPaper("A new paper", "New text.", (), 1),), "x"))
        other.close()
        assert store.refresh()
        assert {pid: p.abstract for pid, p in before.items()} == abstracts  # the old objects
        now = {p.id: p.abstract for p in store.papers()}
        assert {pid: now[pid] for pid in abstracts} == abstracts
        assert "New text." in now.values()


def test_an_import_through_a_shelving_store_keeps_every_abstract(tmp_path: Path) -> None:
    sample_store(tmp_path)
    with Store.open(tmp_path, "alice") as plain:
        expected = {p.id: p.abstract for p in plain.papers()}
        again = [read_digest_file(path) for path in sample_digest_paths()]
    with Store.open(tmp_path, "alice", shelve=True) as store:
        assert store._shards.id_by_key == {}  # the title keys are not kept
        results = store.import_digests(again)  # known by their titles' keys, made now
        assert sum(r.new for r in results) == 0
        assert sum(r.known for r in results) == sum(len(d.papers) for d in again)
        assert store._shards.id_by_key == {}
    with Store.open(tmp_path, "alice") as plain:
        assert {p.id: p.abstract for p in plain.papers()} == expected


def test_the_reader_session_and_its_index_over_shelved_papers(tmp_path: Path) -> None:
    sample_store(tmp_path)
    with Triage.open(tmp_path, "alice", eager=False, shelve=True) as session:
        session.store.load_remaining()
        session.build_index()
        assert session.store.shelves_abstracts
        papers = session.store.papers()
        phrase = " ".join(papers[3].abstract.split()[2:5])
        found = session.search(f'"{phrase}"')
        assert papers[3].id in found
        assert session.sync_index(papers) == 0  # the objects it was given: nothing to redo
        with session.for_user("bob") as other:
            assert other.store.shelves_abstracts


def test_the_reader_opens_its_store_shelved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import paperterm.tui.launch as launch

    opened: list[dict[str, object]] = []

    def run(session: Triage, *_args: object, **_kwargs: object) -> int:
        opened.append({"shelves": session.store.shelves_abstracts})
        session.close()
        return 0

    monkeypatch.setattr(launch, "_run", run)
    monkeypatch.setenv("PAPERTERM_CONFIG_DIR", str(tmp_path / "config"))
    sample_store(tmp_path / "store")
    assert launch.launch(data_dir=tmp_path / "store", user="alice") == 0
    assert opened == [{"shelves": True}]

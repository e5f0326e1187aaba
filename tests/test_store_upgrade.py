"""The schema upgrade: a store written by the schema-1 release (``tests/fixtures/store-v1``,
made by ``scripts/make_store_fixture.py`` with that release) opens in this version, is
upgraded in place once, and keeps every paper, date, star, tag, read mark, note and
preference; a store from a newer paperterm is still refused."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from paperterm import storage
from paperterm.errors import CorruptStoreError, StoreWriteError
from paperterm.model import Digest, PaperMeta, PaperState, ParsedPaper
from paperterm.store import SCHEMA_VERSION, Store

FIXTURE = Path(__file__).parent / "fixtures" / "store-v1"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(FIXTURE, target)
    return target


def test_the_fixture_is_a_schema_1_store() -> None:
    meta = json.loads((FIXTURE / "meta.json").read_text())
    assert meta == {"meta": {"schema": {"version": 1}}}
    assert SCHEMA_VERSION == 2


def test_a_schema_1_store_is_upgraded_keeping_everything(old_store: Path) -> None:
    papers_before = {p.name: p.read_bytes() for p in (old_store / "papers").iterdir()}
    with Store.open(old_store, "alice") as alice:
        assert alice.upgraded_from == 1
        by_title = {p.title: p for p in alice.papers()}
        assert sorted(by_title) == [
            "Agents That Read Manuals", "Diffusion Without Noise", "Long Context by Forgetting",
            "Sparse Mixtures of Tiny Experts", "Speech Tokens for Everyone",
            "Vision Transformers at Small Scale",
        ]  # fmt: skip
        assert by_title["Diffusion Without Noise"].dates == (d("2026-09-29"), d("2026-09-30"))
        assert by_title["Long Context by Forgetting"].dates == (d("2026-09-29"), d("2026-10-02"))
        assert by_title["Sparse Mixtures of Tiny Experts"].code_url == (
            "https://github.com/example/tiny-experts"
        )
        assert all(p.meta.is_empty for p in by_title.values())
        ids = {title: p.id for title, p in by_title.items()}
        assert alice.states() == {
            ids["Diffusion Without Noise"]: PaperState(True, False, ("generative", "to-read")),
            ids["Agents That Read Manuals"]: PaperState(starred=True),
            ids["Sparse Mixtures of Tiny Experts"]: PaperState(read=True),
            ids["Long Context by Forgetting"]: PaperState(note="Compare with the\nmemory paper."),
        }
        assert alice.get_pref("query") == "is:starred"
        assert alice.get_pref("theme") == "textual-light"
        assert alice.users() == ["alice", "bob"]
    with Store.open(old_store, "bob") as bob:
        assert bob.upgraded_from is None  # announced once: the upgrade is done
        assert bob.states() == {
            ids["Speech Tokens for Everyone"]: PaperState(starred=True),
            ids["Vision Transformers at Small Scale"]: PaperState(tags=("vision",)),
            ids["Agents That Read Manuals"]: PaperState(note="bob's note"),
        }
        assert bob.get_pref("query") == "tag:vision"
    meta = json.loads((old_store / "meta.json").read_text())["meta"]["schema"]
    assert meta["version"] == SCHEMA_VERSION and meta["upgraded"]["from"] == 1
    # nothing but meta.json was rewritten: the papers are version-2 documents as they stand
    assert {p.name: p.read_bytes() for p in (old_store / "papers").glob("*.json")} == (
        papers_before
    )


def test_an_upgraded_store_takes_metadata_and_keeps_the_marks(old_store: Path) -> None:
    with Store.open(old_store, "alice") as alice:
        pid = next(p.id for p in alice.papers() if p.title == "Diffusion Without Noise")
        meta = PaperMeta(arxiv_id="2610.00001", authors=("A. Smith",), upvotes=12)
        parsed = ParsedPaper("Diffusion without noise", "", (), 1, meta)
        result = alice.import_digest(Digest(d("2026-10-05"), (parsed,), "x.json", format="json"))
        assert (result.new, result.known, result.refreshed) == (0, 1, 1)
        assert alice.get(pid).meta == meta
        assert alice.state(pid).starred and alice.state(pid).tags == ("generative", "to-read")
    with Store.open(old_store, "bob") as bob:
        assert bob.get(pid).meta.arxiv_id == "2610.00001"


def test_an_interrupted_upgrade_leaves_the_old_store_whole(
    old_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (old_store / "meta.json").read_bytes()

    def failing(path: Path, payload: bytes, **kw: bool) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "write_file_atomic", failing)
    with pytest.raises(StoreWriteError, match="No space left"):
        Store.open(old_store, "alice")
    assert (old_store / "meta.json").read_bytes() == before
    monkeypatch.undo()
    with Store.open(old_store, "alice") as alice:
        assert alice.upgraded_from == 1 and alice.count == 6


def test_a_corrupt_shard_stops_the_upgrade_before_it_writes(old_store: Path) -> None:
    shard = old_store / "papers" / "2026-10.json"
    shard.write_text('{"papers": {"x": {"title": 3}}}')
    with pytest.raises(CorruptStoreError, match=r"2026-10\.json"):
        Store.open(old_store, "alice")
    assert json.loads((old_store / "meta.json").read_text())["meta"]["schema"]["version"] == 1


def test_a_store_from_a_newer_paperterm_is_still_refused(old_store: Path) -> None:
    (old_store / "meta.json").write_text('{"meta": {"schema": {"version": 3}}}')
    with pytest.raises(CorruptStoreError, match="newer paperterm"):
        Store.open(old_store, "alice")

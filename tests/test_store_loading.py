"""Loading large stores: batch imports, and opening the newest shards first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paperterm import digest as digests
from paperterm.model import Digest, Link, ParsedPaper
from paperterm.store import Store


def make_digest(day: dt.date, titles: list[str]) -> Digest:
    papers = tuple(
        ParsedPaper(t, f"Abstract of {t}. https://github.com/x/{i}",
                    (Link(f"https://github.com/x/{i}", "code"),), 1 + 3 * i)
        for i, t in enumerate(titles)
    )  # fmt: skip
    return Digest(day, papers, f"d-{day}.txt")


def month_digests(months: int, per_month: int = 3) -> list[Digest]:
    """Digests over ``months`` months (oldest first), each month's titles partly repeated."""
    out = []
    for m in range(months):
        day = dt.date(2023 + m // 12, m % 12 + 1, 10)
        titles = [f"Paper {m}-{i}" for i in range(per_month)]
        if m:
            titles.append(f"Paper {m - 1}-0")  # seen again a month later
        out.append(make_digest(day, titles))
        out.append(make_digest(day + dt.timedelta(days=1), [titles[0], f"Late {m}"]))
    return out


def state_of(store: Store) -> tuple[object, ...]:
    return (store.papers(), dict(store.states()), store.all_tags(), len(store))


def test_batch_import_equals_one_by_one(tmp_path: Path) -> None:
    batch = month_digests(5)
    with Store.open(tmp_path / "a", "u") as one, Store.open(tmp_path / "b", "u") as many:
        singles = [one.import_digest(d) for d in batch]
        results = many.import_digests(batch)
        assert results == singles
        assert many.papers() == one.papers()
        assert many.import_digests(batch) == one.import_digests(batch)
    with Store.open(tmp_path / "b", "u") as reopened:
        assert reopened.papers() == many.papers()


def test_batch_import_writes_each_shard_once(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from paperterm import storage

    writes: list[str] = []
    real = storage.write_file_atomic

    def counting(path: Path, payload: bytes, **kw: bool) -> tuple[int, int, int]:
        writes.append(path.name)
        return real(path, payload, **kw)

    monkeypatch.setattr(storage, "write_file_atomic", counting)
    with Store.open(tmp_path, "u") as store:
        store.import_digests(month_digests(4))
    papers = sorted(w for w in writes if w not in ("meta.json", "imports.json"))
    assert papers == ["2023-01.json", "2023-02.json", "2023-03.json", "2023-04.json"]


def test_batch_import_gives_colliding_ids_distinct_longer_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = digests.paper_id

    def colliding(key: str, length: int = 7) -> str:
        return "collide"[:length] if length == 7 else real(key, length)

    monkeypatch.setattr(digests, "paper_id", colliding)
    jan = make_digest(dt.date(2024, 1, 2), ["First"])
    feb = make_digest(dt.date(2024, 2, 2), ["Second", "First"])
    with Store.open(tmp_path, "u") as store:
        first, second = store.import_digests([jan, feb])
        assert first.new_ids == ("collide",)
        assert second.new_ids == (real(digests.paper_key("Second"), 8),)
        assert second.known == 1
        assert store.get("collide").dates == (jan.date, feb.date)


def test_paper_id_is_a_prefix_of_the_full_base32() -> None:
    import base64
    import hashlib

    for key in ("", "a", "attentionisallyouneed", "é" * 40):
        full = base64.b32encode(hashlib.blake2b(key.encode()).digest()).decode().lower()
        for length in (1, 7, 8, 9, 40, 64):
            assert digests.paper_id(key, length) == full[:length]


def test_fast_json_reads_and_writes_what_the_stdlib_did(tmp_path: Path) -> None:
    import json

    from paperterm.storage import dump_tables, parse_tables

    tables = {"papers": {"abc": {"title": "Pokémon ∑ \"q\" \\ \n\t\x01", "dates": ["2024-01-01"],
                                 "n": 2**40, "ok": True, "none": None}}}  # fmt: skip
    data = dump_tables(tables)
    assert json.loads(data.decode("utf-8")) == tables
    assert parse_tables(tmp_path / "x.json", data) == tables
    assert data == json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode()
    # what orjson refuses, the stdlib still reads and writes
    odd = b'{"t": {"d": {"v": NaN, "s": "a\\ud800b", "big": 123456789012345678901234567890}}}'
    parsed = parse_tables(tmp_path / "x.json", odd)
    assert parsed["t"]["d"]["s"] == "a\ud800b"
    assert parsed["t"]["d"]["big"] == 123456789012345678901234567890
    lone = {"t": {"d": {"s": "a\ud800b"}}}
    assert json.loads(dump_tables(lone)) == lone


# ------------------------------------------------------------------ partial open


@pytest.fixture
def six_months(tmp_path: Path) -> Path:
    """A store of six monthly shards with states (stars, tags, reads) spread over them."""
    data = tmp_path / "six"
    with Store.open(data, "u") as store:
        store.import_digests(month_digests(6))
        ids = [p.id for p in store.papers()]
        store.set_starred(ids[::3], True)
        store.add_tags(ids[1::4], ["rl"])
        store.set_read(ids[::2], True)
    return data


def full(data: Path) -> tuple[object, ...]:
    with Store.open(data, "u") as store:
        return state_of(store)


def test_partial_open_loads_the_newest_shards_first(
    six_months: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperterm.store as store_module

    monkeypatch.setattr(store_module, "FIRST_PAPERS", 4)
    expected = full(six_months)
    with Store.open(six_months, "u", eager=False) as store:
        assert not store.complete
        newest = store.papers()
        assert 4 <= len(newest) < len(expected[0])  # type: ignore[arg-type]
        assert newest == expected[0][: len(newest)]  # type: ignore[index]
        assert {p.dates[0].month for p in newest} == {6}
        assert set(store.states()) <= {p.id for p in newest}
        assert store.load_remaining()
        assert store.complete
        assert state_of(store) == expected
        assert not store.load_remaining()
        assert not store.refresh()  # what was read is known as read: nothing reloads


def test_read_remaining_in_a_thread_then_adopt(
    six_months: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import paperterm.store as store_module

    monkeypatch.setattr(store_module, "FIRST_PAPERS", 1)
    with Store.open(six_months, "u", eager=False) as store:
        box = []
        worker = threading.Thread(target=lambda: box.append(store.read_remaining()))
        worker.start()
        first = store.papers()[0]
        store.set_starred([first.id], not store.state(first.id).starred)  # meanwhile
        worker.join()
        assert store.adopt(box[0])
        assert state_of(store) == full(six_months)


def test_a_partial_store_loads_everything_before_an_import(
    six_months: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperterm.store as store_module

    monkeypatch.setattr(store_module, "FIRST_PAPERS", 1)
    with Store.open(six_months, "u", eager=False) as store:
        count = len(full(six_months)[0])  # type: ignore[arg-type]
        old = make_digest(dt.date(2024, 1, 5), ["Paper 0-1", "Brand new"])  # 0-1: month 1
        result = store.import_digest(old)
        assert (result.new, result.known) == (1, 1)
        assert store.complete
        assert len(store) == count + 1


def test_a_partial_store_writes_states_of_unloaded_papers(
    six_months: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperterm.store as store_module

    oldest = full(six_months)[0][-1].id  # type: ignore[index]
    monkeypatch.setattr(store_module, "FIRST_PAPERS", 1)
    with Store.open(six_months, "u", eager=False) as store:
        store.add_tags([oldest], ["old"])
        assert store.complete
        assert store.state(oldest).tags[-1] == "old"
    with Store.open(six_months, "u") as store:
        assert store.state(oldest).tags[-1] == "old"


def test_refresh_while_partial_and_after_adopt(
    six_months: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperterm.store as store_module

    monkeypatch.setattr(store_module, "FIRST_PAPERS", 1)
    everything = full(six_months)[0]
    newest, oldest = everything[0].id, everything[-1].id  # type: ignore[index]
    with Store.open(six_months, "u", eager=False) as store:
        loaded = len(store)
        remaining = store.read_remaining()
        with Store.open(six_months, "u") as other:  # another process writes both ends
            other.set_note(newest, "fresh")
            other.set_note(oldest, "old news")
        assert store.refresh()
        assert store.state(newest).note == "fresh"
        assert len(store) == loaded  # refresh never loads the older shards
        store.adopt(remaining)  # read before the other process wrote
        assert store.state(oldest).note == ""
        assert store.refresh()
        assert store.state(oldest).note == "old news"


def test_a_small_store_opens_complete(tmp_path: Path) -> None:
    with Store.open(tmp_path, "u") as store:
        store.import_digests(month_digests(2))
    with Store.open(tmp_path, "u", eager=False) as store:
        assert store.complete
        assert not store.load_remaining()
    with Store.open(tmp_path / "empty", "u", eager=False) as store:
        assert store.complete and len(store) == 0


# ------------------------------------------------------------------ CLI import in batches


def write_digest(path: Path, day: dt.date, titles: list[str]) -> None:
    body = "\n\n".join(f"{t}\n\nAbstract of {t}." for t in titles)
    path.write_text(f"{day:%b} {day.day}\n\n{body}\n", encoding="utf-8")


@pytest.mark.parametrize("refuse_batches", [False, True])
def test_cli_imports_a_folder_in_batches_reporting_each_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    refuse_batches: bool,
) -> None:
    from paperterm import cli, cli_import

    folder = tmp_path / "digests"
    folder.mkdir()
    write_digest(folder / "a-2025-01-02.txt", dt.date(2025, 1, 2), ["One", "Two"])
    (folder / "b-2025-01-03.txt").write_bytes(b"\x00\x01 not a digest")
    write_digest(folder / "c-2025-01-04.txt", dt.date(2025, 1, 4), ["Two", "Three"])
    write_digest(folder / "d-2025-02-01.txt", dt.date(2025, 2, 1), ["Four", "One"])
    monkeypatch.setattr(cli_import, "IMPORT_BATCH_PAPERS", 3)  # batches: a+b+c, d
    if refuse_batches:  # the store refuses several at once: one by one, same report
        real = Store.import_digests

        def refuse(self: Store, digests: list[Digest]) -> list[object]:
            from paperterm.errors import StoreError

            if len(digests) > 1:
                raise StoreError("refused")
            return list(real(self, digests))

        monkeypatch.setattr(Store, "import_digests", refuse)
    data = tmp_path / "store"
    code = cli.main(["import", str(folder), "--data-dir", str(data), "--user", "u"])
    out, err = capsys.readouterr()
    assert code == 1
    assert [line.split(": ", 1)[1] for line in out.splitlines()] == [
        "2025-01-02: 2 new, 0 already known",
        "2025-01-04: 1 new, 1 already known",
        "2025-02-01: 1 new, 1 already known",
    ]
    assert "b-2025-01-03.txt" in err and "1 of 4 inputs failed" in err
    with Store.open(data, "u") as store:
        assert len(store) == 4


def test_newest_first_ints_sort_like_newest_first_key() -> None:
    import random

    from paperterm.model import Paper, newest_first_ints, newest_first_key
    from paperterm.store import _newest_first

    rng = random.Random(3)
    start = dt.date(2024, 1, 1)
    papers = [
        Paper(f"p{i}", "t", "a", (), tuple(sorted(
            start + dt.timedelta(days=rng.randint(0, 30)) for _ in range(rng.randint(1, 3))
        )), rng.randint(0, 6))
        for i in range(2000)
    ]  # fmt: skip
    assert _newest_first(papers) == sorted(papers, key=newest_first_key)  # ties keep order
    assert newest_first_ints([*papers, Paper("x", "t", "a", (), ())]) is None
    assert newest_first_ints([Paper("y", "t", "a", (), (start,), -1)]) is None


def test_papers_in_order_is_never_changed_in_place(tmp_path: Path) -> None:
    with Store.open(tmp_path, "alice") as store:
        store.import_digest(Digest(dt.date(2025, 9, 1), (ParsedPaper("One", "a", (), 1),), "a"))
        shared = store.papers_in_order()
        before = list(shared)
        assert list(shared) == store.papers() and store.papers_in_order() is shared
        store.import_digest(Digest(dt.date(2025, 9, 2), (ParsedPaper("Two", "b", (), 1),), "b"))
        assert list(shared) == before  # a search worker reading it saw no change
        assert [p.title for p in store.papers_in_order()] == ["Two", "One"]

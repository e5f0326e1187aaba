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
    papers = sorted(w for w in writes if w != "meta.json")
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

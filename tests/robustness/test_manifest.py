"""The shard manifest (``cache/shards.manifest``) between real processes: deleted, damaged or
left stale by another process, it is rebuilt and never trusted; two CLI processes starring
at once through lazy stores lose nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import robust_workers as w
from robust_support import USER, CliLoop, Figures, cli, digest_text, write_digest

from paperterm.digest import parse_digest
from paperterm.store import Store
from paperterm.store_manifest import MAGIC, Manifest, manifest_path

JAN = [w.pid(t) for t in w.BASE_JAN]
FEB = [w.pid(t) for t in w.BASE_FEB]


def seed(data: Path) -> None:
    with Store.open(data, USER) as store:
        for day, titles in ((w.BASE_DAY, w.BASE_JAN), (w.BASE_DAY_2, w.BASE_FEB)):
            text = digest_text(day, [(t, f"Abstract of {t}.") for t in titles])
            store.import_digest(parse_digest(text, source="base.txt"))


def show_title(data: Path, pid: str) -> str:
    result = cli(data, "show", pid)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[0]


@pytest.mark.parametrize("damage", ["deleted", "corrupt"])
def test_cli_rebuilds_a_missing_or_corrupt_manifest(tmp_path: Path, damage: str) -> None:
    data = tmp_path / "store"
    seed(data)
    path = manifest_path(data)
    if damage == "deleted":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:-40] + b"garbage")
    assert w.BASE_FEB[3] in show_title(data, FEB[3])
    assert cli(data, "star", JAN[2]).returncode == 0
    listed = cli(data, "list", "is:starred")
    assert listed.returncode == 0 and listed.stdout.split()[0] == JAN[2], listed
    assert path.read_bytes().startswith(MAGIC)
    assert set(Manifest.load(path).shards) == {"2024-01", "2024-02"}


def test_manifest_left_stale_by_another_process(tmp_path: Path) -> None:
    """Another process imports into a listed shard; the manifest it leaves is replaced by
    the one from before (an interrupted or older writer): every command still sees the new
    papers, and the manifest is listed anew."""
    data = tmp_path / "store"
    seed(data)
    path = manifest_path(data)
    before = path.read_bytes()
    title = "A January paper imported by another process"
    write_digest(tmp_path / "more.txt", dt.date(2024, 1, 28), [(title, "Its abstract.")])
    with Store.open(data, USER, lazy=True) as lazy:  # open before the other process imports
        assert cli(data, "import", str(tmp_path / "more.txt")).returncode == 0
        path.write_bytes(before)
        new = w.pid(title)
        lazy.set_starred([new], True)  # an id it did not know: it looks again, and finds it
        assert lazy.get(new).title == title
    assert title in show_title(data, new)
    listed = cli(data, "list", "is:starred")
    assert listed.stdout.split()[0] == new, listed
    assert new in Manifest.load(path).shards["2024-01"].ids


@pytest.mark.slow
def test_two_processes_starring_at_once(tmp_path: Path, figures: Figures) -> None:
    data = tmp_path / "store"
    seed(data)
    rounds = 40
    # each process stars and reads papers of both shards, the same papers as the other
    left = [["star", JAN[i % 8], FEB[(i + 1) % 8]] for i in range(rounds)]
    right = [["read", JAN[(i + 3) % 8], FEB[i % 8]] for i in range(rounds)]
    one = CliLoop(data, left, tmp_path / "one", gates=2)
    two = CliLoop(data, right, tmp_path / "two", gates=2)
    for _ in range(2):
        one.open_gate()
        two.open_gate()
    one.finish()
    two.finish()
    with Store.open(data, USER) as fresh:
        assert all(fresh.state(pid).starred and fresh.state(pid).read for pid in JAN + FEB)
    with Store.open(data, USER, lazy=True) as lazy:
        assert [lazy.get(pid).id for pid in JAN + FEB] == JAN + FEB
    figures("manifest: two CLI processes starring and marking read at once",
            f"{2 * rounds} commands on the same 16 papers, every mark kept")

"""The benchmark's parts at a tiny size, so the script cannot rot. No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module", autouse=True)
def importable() -> None:
    sys.path.insert(0, str(BENCH))


def test_corpus_is_unique_spread_and_seeded() -> None:
    from corpus import PER_DAY, make_digests

    digests = make_digests(250)
    titles = [p.title for d in digests for p in d.papers]
    assert len(titles) == len(set(titles)) == 250
    assert [len(d.papers) for d in digests] == [250 - 2 * PER_DAY, PER_DAY, PER_DAY]
    assert len({d.date for d in digests}) == 3
    assert [p.title for d in make_digests(250) for p in d.papers] == titles


def test_measurements_at_a_tiny_size(tmp_path: Path) -> None:
    import bench
    from corpus import make_digests

    data = tmp_path / "store"
    imported = bench.measure_import(data, make_digests(300, per_day=40))
    assert imported["import_rate"] > 0 and imported["store_mb"] > imported["papers_mb"] > 0
    assert len(imported["ids"]) == 300 == len(imported["docs"])
    naive = bench.measure_naive_import(tmp_path / "naive.json", imported["docs"])
    assert naive["store_mb"] > 0
    latencies = bench.keystroke_latencies(data, ["robot", "is:unread x"])
    assert len(latencies) == len("robot") + len("is:unread x")
    assert len(bench.star_latencies(data, imported["ids"], count=3)) == 3
    assert len(bench.naive_search_latencies(tmp_path / "naive.json", ["robot"])) == 1
    text = bench.report(
        {300: {"paperterm": {"digests": 8, "shards": 1, "import_rate": 1.0, "star_p50": 3.0},
               "naive": {"import_rate": 0.5, "star_p50": 30.0}}}, (0.4, 50.0))  # fmt: skip
    assert "10.0x" in text and "2.0x" in text and "peak memory 50 MB" in text


def test_reader_keystrokes_at_a_tiny_size(tmp_path: Path) -> None:
    import bench
    from corpus import make_digests

    data = tmp_path / "store"
    bench.measure_import(data, make_digests(200, per_day=40))
    env = {"PAPERTERM_CONFIG_DIR": str(tmp_path / "config")}
    latencies = bench.reader_keystroke_latencies(data, env, ["robot", "is:u"])
    # every prefix painted, but "is:" and "is:u", which the search bar shows as errors
    assert len(latencies) == len("robot") + len("is") and all(ms > 0 for ms in latencies)


def test_reader_launches_at_a_tiny_size(tmp_path: Path) -> None:
    import bench
    from corpus import make_digests

    data = tmp_path / "store"
    bench.measure_import(data, make_digests(200, per_day=40))
    env = {"PAPERTERM_CONFIG_DIR": str(tmp_path / "config")}
    figures = bench.measure_reader(data, env, warm_runs=1)
    assert (data / "cache" / "term-vectors.bin").is_file()  # made for the warm launches
    assert figures["search_ready"] >= figures["first_screen"] > 0
    assert figures["peak_mb"] > 0 and figures["peak_mb_cold"] > 0


def test_ranking_benchmark_at_a_tiny_size(capsys: pytest.CaptureFixture[str]) -> None:
    import ranking

    assert ranking.main(["--size", "400"]) == 0
    out = capsys.readouterr().out
    assert "held-out mean rank" in out and "precision@10" in out
    assert "speed at 400 papers" in out and "rank the store" in out


def test_extra_day_holds_new_papers_after_the_corpus() -> None:
    from corpus import LAST_DAY, extra_day, make_digests

    corpus = {p.title for d in make_digests(200, per_day=50) for p in d.papers}
    day = extra_day(200, 30)
    assert len(day.papers) == 30 and day.date > LAST_DAY
    assert corpus.isdisjoint(p.title for p in day.papers)


def test_cli_measurements_at_a_tiny_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cli

    monkeypatch.setattr(cli, "OUT", tmp_path)
    place = cli.Place(120)
    place.write_digests()
    assert len(list(place.digests.glob("*.txt"))) == 2
    figures = cli.measure_import(place, 1)
    pid = place.mark_states()
    figures.update(cli.measure_commands(place, pid, 2))
    assert set(figures) == {"import", "first_list_import", "first_list_day", "pass",
                            "import_cli", "show", "star", "list_filter", "list_tag",
                            "list_broad", "list_words"}
    text = cli.report({120: figures}, (0.0, 0.0))
    assert "paperterm show ID" in text and "first list WORDS after +100 day" in text
    assert "paperterm list tag:to-read" in text

"""paperterm at 1k, 10k and 100k papers, each figure next to a naive baseline of the same run.

    python benchmarks/bench.py [--sizes 1000,10000,100000] [--quick] [--json FILE]

For each size it generates a corpus from the bundled sample digests (``corpus.py``: unique
titles, ~90 papers a digest day, ~5% starred, ~3% tagged, ~10% read) in a temporary
directory, then measures paperterm's real code paths:

import        ``Store.import_digests`` of the generated ``Digest`` objects (parsing excluded),
              papers/s; store size = the JSON shards (no ``.bak`` copies, no index cache).
list          ``python -m paperterm list QUERY`` as a process (wall time, median of 3), for a
              free-word query (index from its cache file) and a filter query.
first screen  ``python -m paperterm`` on a pseudo-terminal, from spawning the process to the
              refresh that paints the first papers (the reader's ``PAPERTERM_PROBE`` hook);
              median of the warm launches. Includes starting Python and importing Textual.
search ready  the same launches, until every paper is loaded and the search index is ready.
              "cold" is the first launch after the import, which builds the index cache.
keystroke     ``Triage.search`` (as the reader's search worker runs it: snapshot, parse,
              index) for every prefix of a few queries, one a typo; p50 and p95 in ms.
              "reader: keystroke to paint" types the same queries into the reader itself
              (``reader_keys.py``, headless) and times each from the query change to the
              end of the frame that shows its results: the search worker, the UI's updates
              and the reader's frame (at most 120 a second, see paperterm.tui.launch) included.
star toggle   ``Store.set_starred`` of one paper, fsync included; median and p95 of 20.
peak memory   the reader's peak RSS (``VmHWM``) over a warm launch, until everything is
              loaded: every paper, the search index, and the term vectors of related papers
              and "for you" (their cache file is made before the warm launches, as one R
              makes it), the heap settled (the probe's ``loaded``). Beside it: the naive
              reader's, and, in the header, a bare Textual app's and the papers' JSON size.

Baselines (``naive.py``): TinyDB with its default storage and every paper plus its state in
one table (import = one ``insert_multiple``; star = ``update``, which rewrites the file); a
Textual ``DataTable`` filled with every row, timed to its first paint as a process; and
``rapidfuzz.process.extract`` over every title + abstract (once per query: per keystroke it
would take minutes). Nothing here runs in CI or pytest (a smoke test only runs its parts at a
tiny size, without timing).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import naive  # noqa: E402
from corpus import TAGS, make_digests, pick_states  # noqa: E402
from harness import run_plain_rss, run_probed  # noqa: E402

import paperterm  # noqa: E402
from paperterm.errors import QueryError  # noqa: E402
from paperterm.model import Digest  # noqa: E402
from paperterm.store import Store  # noqa: E402
from paperterm.term_cache import open_terms, terms_path  # noqa: E402
from paperterm.triage import Triage, settle_heap  # noqa: E402

USER = "bench"
QUERIES = ("diffusion", "reinforcement learning", "transformr", "robot manipulation policy",
           "is:unread diffusion")  # fmt: skip
LIST_QUERY, FILTER_QUERY = "diffusion", "is:starred"
TARGETS: dict[tuple[str, int], tuple[str, float]] = {
    ("first_screen", 100_000): ("<=", 1.0),
    ("first_screen", 10_000): ("<=", 0.5),
    ("search_ready", 100_000): ("<=", 3.0),
    ("keystroke_p95", 100_000): ("<=", 50.0),
    ("reader_key_p95", 100_000): ("<=", 33.0),  # two frames at 60 Hz (issue 14)
    ("star_p50", 100_000): ("<=", 20.0),
    ("import_rate", 100_000): (">=", 20_000),
    ("peak_mb", 100_000): ("<=", 250.0),  # issue 14
}
ROWS: list[tuple[str, str, bool]] = [  # key, label, higher is better
    ("import_rate", "import (papers/s)", True),
    ("store_mb", "store on disk (MB)", False),
    ("list_free", f"list '{LIST_QUERY}' process (s)", False),
    ("list_filter", f"list '{FILTER_QUERY}' process (s)", False),
    ("first_screen", "first screen with papers (s)", False),
    ("search_ready", "search ready (s)", False),
    ("search_ready_cold", "search ready, first launch (s)", False),
    ("keystroke_p50", "search keystroke p50 (ms)", False),
    ("keystroke_p95", "search keystroke p95 (ms)", False),
    ("reader_key_p50", "reader: keystroke to paint p50 (ms)", False),
    ("reader_key_p95", "reader: keystroke to paint p95 (ms)", False),
    ("star_p50", "star toggle, durable, p50 (ms)", False),
    ("star_p95", "star toggle, durable, p95 (ms)", False),
    ("peak_mb", "peak memory, reader (MB)", False),
]


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def dir_mb(path: Path, keep: Callable[[Path], bool]) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and keep(p)) / 1e6


# --------------------------------------------------------------------------- measurements


def measure_import(data: Path, digests: Sequence[Digest]) -> dict[str, Any]:
    """Import every digest into a fresh store; then mark the seeded states."""
    papers = sum(len(d.papers) for d in digests)
    with Store.open(data, USER) as store:
        seconds = timed(lambda: store.import_digests(digests))
        ids = [p.id for p in store.papers()]
        picks = pick_states(ids)
        store.set_starred(picks["starred"], True)
        for number, pid in enumerate(picks["tagged"]):
            store.add_tags([pid], [TAGS[number % len(TAGS)]])
        store.set_read(picks["read"], True)
        states = {pid: {"starred": s.starred, "read": s.read, "tags": list(s.tags)}
                  for pid, s in store.states().items()}  # fmt: skip
        docs = [naive.paper_doc(p, states.get(p.id, {})) for p in store.papers()]
    size = dir_mb(data, lambda p: p.suffix == ".json")
    papers_mb = dir_mb(data / "papers", lambda p: p.suffix == ".json")
    return {"import_rate": papers / seconds, "store_mb": size, "papers_mb": papers_mb,
            "ids": ids, "docs": docs}  # fmt: skip


def measure_naive_import(path: Path, docs: list[dict[str, Any]]) -> dict[str, float]:
    seconds = timed(lambda: naive.import_all(path, docs))
    return {"import_rate": len(docs) / seconds, "store_mb": path.stat().st_size / 1e6}


def reader_cmd(data: Path) -> list[str]:
    return [sys.executable, "-m", "paperterm", "--data-dir", str(data), "--user", USER]


def measure_reader(data: Path, env: dict[str, str], warm_runs: int) -> dict[str, float]:
    """A cold launch (builds the index cache) then warm ones: medians of the warm ones,
    which load the term vectors too (their cache file is made between)."""
    cold = run_probed(reader_cmd(data), env=env)
    if "loaded" not in cold.events:
        raise RuntimeError(f"the reader did not report its start: {cold.output[-800:]!r}")
    with Store.open(data, USER) as store:
        open_terms(store.papers(), terms_path(data))
    warm = [run_probed(reader_cmd(data), env=env) for _ in range(warm_runs)]
    return {
        "first_screen": statistics.median(r.events["first_screen"] for r in warm),
        "search_ready": statistics.median(r.events["search_ready"] for r in warm),
        "search_ready_cold": cold.events["search_ready"],
        "peak_mb": max(r.max_rss_mb for r in warm),
        "peak_mb_cold": cold.max_rss_mb,
    }


def measure_naive_reader(db: Path) -> dict[str, float]:
    run = run_probed([sys.executable, str(HERE / "naive.py"), "tui", str(db)])
    if "first_screen" not in run.events:
        raise RuntimeError(f"the naive reader did not paint: {run.output[-800:]!r}")
    return {"first_screen": run.events["first_screen"], "peak_mb": run.max_rss_mb}


def measure_list(data: Path, env: dict[str, str], runs: int) -> dict[str, float]:
    out = {}
    for key, query in (("list_free", LIST_QUERY), ("list_filter", FILTER_QUERY)):
        cmd = [*reader_cmd(data)[:3], "list", "--data-dir", str(data), "--user", USER, query]
        walls = []
        for _ in range(runs):
            run = run_plain_rss(cmd, env=env)
            if run.status != 0:
                raise RuntimeError(f"{cmd} failed with {run.status}")
            walls.append(run.wall)
        out[key] = statistics.median(walls)
    return out


def measure_naive_list(db: Path) -> dict[str, float]:
    run = run_plain_rss([sys.executable, str(HERE / "naive.py"), "list", str(db), LIST_QUERY])
    return {"list_free": run.wall}


def keystroke_latencies(data: Path, queries: Sequence[str] = QUERIES) -> list[float]:
    """Milliseconds per keystroke: ``Triage.search`` of each prefix, as the reader runs it."""
    with Store.open(data, USER) as store:
        triage = Triage(store)
        triage.build_index()  # from the cache file the reader wrote
        settle_heap()  # as the reader does once everything is loaded
        latencies = []
        for query in queries:
            for end in range(1, len(query) + 1):
                start = time.perf_counter()
                with contextlib.suppress(QueryError):  # "is:" half typed: shown as an error
                    triage.search(query[:end], triage.snapshot())
                latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def reader_keystroke_latencies(
    data: Path, env: dict[str, str], queries: Sequence[str] = QUERIES
) -> list[float]:
    """Milliseconds per keystroke typed into the reader (``reader_keys.py``, a process)."""
    cmd = [sys.executable, str(HERE / "reader_keys.py"), str(data), USER, *queries]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env},
                          timeout=600, check=False)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"reader_keys.py failed: {done.stderr[-800:]}")
    return [float(ms) for ms in json.loads(done.stdout)]


def naive_search_latencies(db: Path, queries: Sequence[str] = QUERIES) -> list[float]:
    choices = naive.haystacks(db)
    return [timed(partial(naive.search, choices, q)) * 1000 for q in queries]


def star_latencies(data: Path, ids: Sequence[str], count: int = 20) -> list[float]:
    picked = random.Random(11).sample(list(ids), min(count, len(ids)))
    with Store.open(data, USER) as store:
        def toggle(pid: str) -> None:
            store.set_starred([pid], not store.state(pid).starred)

        return [timed(partial(toggle, pid)) * 1000 for pid in picked]


def naive_star_latencies(db: Path, ids: Sequence[str], count: int) -> list[float]:
    picked = random.Random(11).sample(list(ids), min(count, len(ids)))
    return [timed(partial(naive.toggle_star, db, pid)) * 1000 for pid in picked]


def bench_size(size: int, root: Path, *, quick: bool) -> dict[str, dict[str, float]]:
    """Every measurement at one corpus size: {"paperterm": {...}, "naive": {...}}."""
    root.mkdir(parents=True)
    data, db = root / "store", root / "naive.json"
    env = {"PAPERTERM_CONFIG_DIR": str(root / "config")}
    say(f"{size:,} papers: generating")
    digests = make_digests(size)
    ours: dict[str, float] = {"digests": len(digests)}
    say("  import")
    imported = measure_import(data, digests)
    ids, docs = imported.pop("ids"), imported.pop("docs")
    ours.update(imported)
    ours["shards"] = len(list((data / "papers").glob("*.json")))
    base = measure_naive_import(db, docs)
    del digests, docs
    say("  reader (a cold launch, then warm ones)")
    ours.update(measure_reader(data, env, warm_runs=2 if size >= 100_000 or quick else 3))
    base.update(measure_naive_reader(db))
    say("  paperterm list")
    ours.update(measure_list(data, env, runs=3))
    base.update(measure_naive_list(db))
    say("  keystrokes")
    latencies = keystroke_latencies(data)
    ours["keystroke_p50"], ours["keystroke_p95"] = percentile(latencies, 50), percentile(
        latencies, 95)
    in_reader = reader_keystroke_latencies(data, env)
    ours["reader_key_p50"] = percentile(in_reader, 50)
    ours["reader_key_p95"] = percentile(in_reader, 95)
    naive_latencies = naive_search_latencies(db)
    base["keystroke_p50"] = percentile(naive_latencies, 50)
    base["keystroke_p95"] = percentile(naive_latencies, 95)
    say("  star toggles")
    stars = star_latencies(data, ids)
    ours["star_p50"], ours["star_p95"] = percentile(stars, 50), percentile(stars, 95)
    naive_stars = naive_star_latencies(db, ids, 2 if size >= 100_000 else 5)
    base["star_p50"], base["star_p95"] = percentile(naive_stars, 50), percentile(naive_stars, 95)
    shutil.rmtree(root, ignore_errors=True)
    return {"paperterm": ours, "naive": base}


def textual_floor(root: Path) -> tuple[float, float]:
    """Seconds for a bare Textual app (a Static) to paint, the floor of any first screen;
    and its peak memory (MB), the floor of any reader's."""
    script = root / "floor.py"
    script.write_text(
        "import os, time\nfrom textual.app import App\nfrom textual.widgets import Static\n"
        "class A(App):\n    def compose(self):\n        yield Static('hello')\n"
        "    def on_mount(self):\n        self.call_after_refresh(self.done)\n"
        "    def done(self):\n        open(os.environ['PAPERTERM_PROBE'], 'a').write("
        "f'first_screen {time.time()}\\n')\n        self.exit()\nA().run()\n"
    )
    runs = [run_probed([sys.executable, str(script)]) for _ in range(3)]
    return (statistics.median(r.events.get("first_screen", float("nan")) for r in runs),
            statistics.median(r.max_rss_mb for r in runs))  # fmt: skip


# --------------------------------------------------------------------------- report


def say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"
    return f"{value:.2f}"


def verdict(key: str, size: int, value: float) -> tuple[str, str]:
    target = TARGETS.get((key, size))
    if target is None:
        return "", ""
    op, bound = target
    ok = value <= bound if op == "<=" else value >= bound
    return f"{op} {fmt(bound)}", "PASS" if ok else "MISS"


def report(results: dict[int, dict[str, dict[str, float]]], floor: tuple[float, float]) -> str:
    lines = [machine_line(), f"Textual's floor (a bare app): first paint {fmt(floor[0])} s, "
             f"peak memory {fmt(floor[1])} MB", ""]  # fmt: skip
    for size, both in results.items():
        ours, base = both["paperterm"], both["naive"]
        lines.append(f"== {size:,} papers ({ours['digests']:.0f} digests, "
                     f"{ours['shards']:.0f} monthly shards; the papers' JSON "
                     f"{fmt(ours.get('papers_mb'))} MB) ==")  # fmt: skip
        lines.append(f"{'':34} {'paperterm':>10} {'naive':>10} {'vs naive':>9} "
                     f"{'target':>9}")  # fmt: skip
        for key, label, higher in ROWS:
            value, other = ours.get(key), base.get(key)
            if value is None:
                continue
            ratio = ""
            if other:
                times = value / other if higher else other / value
                ratio = f"{times:.1f}x"
            target, ok = verdict(key, size, value)
            lines.append(f"{label:34} {fmt(value):>10} {fmt(other):>10} {ratio:>9} "
                         f"{target:>9} {ok}")  # fmt: skip
        lines.append("")
    sizes = list(results)
    if len(sizes) > 1:
        lines.append("== growth ==")
        lines.append(f"{'':34}" + "".join(f"{s:>10,}" for s in sizes) +
                     f" {'x' + format(sizes[-1] // sizes[0], ','):>9}")  # fmt: skip
        for key, label, _ in ROWS:
            found = [results[s]["paperterm"].get(key) for s in sizes]
            values = [v for v in found if v is not None]
            if len(values) < len(found):
                continue
            first, last = values[0], values[-1]
            growth = f"{last / first:.1f}x" if first else ""
            lines.append(f"{label:34}" + "".join(f"{fmt(v):>10}" for v in values) +
                         f" {growth:>9}")  # fmt: skip
    lines.append("'vs naive': how many times better than the baseline (higher is better).")
    return "\n".join(lines)


def machine_line() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.system()}; load average {load:.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="corpus sizes, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--quick", action="store_true", help="1000 and 10000 papers only")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    sizes = [1000, 10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    # Bytecode, as an installed package has it (an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would compile paperterm at every start: 0.1 s here).
    compileall.compile_dir(str(Path(paperterm.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory(prefix="paperterm-bench-") as scratch:
        root = Path(scratch)
        floor = textual_floor(root)
        results = {size: bench_size(size, root / str(size), quick=args.quick)
                   for size in sizes}  # fmt: skip
    print(report(results, floor))
    if args.json:
        Path(args.json).write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

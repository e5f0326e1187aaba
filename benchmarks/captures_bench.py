"""What reading a capture costs: format detection on 200 KB, the JSON reader at 100,000.

    python benchmarks/captures_bench.py [--papers 100000] [--runs 50]

detection     ``paperterm.captures.detect`` on a 200 KB capture of each style, made from the
              benchmark corpus (``corpus.py``) in the shapes of the test fixtures; median of
              ``--runs`` calls. Baselines of the same run: one ``str.splitlines()`` of the
              same text (the least any per-line look would cost), and trying every reader
              on it and keeping the one that reads (what detection spares).
JSON read     ``read_capture_bytes`` of ``/api/daily_papers``-shaped JSON holding
              ``--papers`` papers (authors, summary, upvotes, GitHub repository, AI summary
              and keywords each): decoding, detection, parsing, every field checked and
              sanitized, repeats merged, the junk check; papers/s, best of 3, by the wall
              clock and by CPU time. Baselines of the same run: ``orjson.loads`` and
              ``json.loads`` of the same bytes (parsing alone, nothing checked). Writing
              the papers to the store is not included.
JSON import   the same JSON read and imported into a new store (``Store.import_digests``),
              beside the plain copy of the same papers read and imported the same way in the
              same run (the target: the JSON import at the plain copy's speed, >= 20,000/s),
              and beside the same JSON read the general way (``orjson.loads``, then field
              by field: what the typed fast path spares); the forms take turns, best of 3.

Nothing here runs in pytest (a smoke test runs its parts at a tiny size, without timing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import html
import json
import statistics
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import orjson  # noqa: E402
from corpus import make_digests  # noqa: E402

from paperterm.captures import READERS, detect, read_capture, read_capture_bytes  # noqa: E402
from paperterm.errors import DigestError  # noqa: E402
from paperterm.model import Digest, ParsedPaper  # noqa: E402

CAPTURE_BYTES = 200 * 1024
TODAY = dt.date(2025, 10, 1)


def _papers(count: int) -> list[ParsedPaper]:
    return [paper for digest in make_digests(count) for paper in digest.papers][:count]


def _arxiv(number: int) -> str:
    return f"25{number // 99_999 % 12 + 1:02d}.{number % 99_999 + 1:05d}"


def api_items(papers: Sequence[ParsedPaper]) -> list[dict[str, object]]:
    """The papers as ``/api/daily_papers`` items."""
    items: list[dict[str, object]] = []
    for number, paper in enumerate(papers):
        # The API sends summaries hard-wrapped, as arXiv has them.
        summary = "\n".join(textwrap.wrap(paper.abstract, 80))
        items.append({
            "paper": {
                "id": _arxiv(number), "title": paper.title, "summary": summary,
                "authors": [{"name": f"Author {number % 97} {k}", "hidden": False}
                            for k in range(number % 7 + 1)],
                "publishedAt": "2025-09-29T17:59:58.000Z", "upvotes": number % 400,
                "githubRepo": f"https://github.com/lab{number % 50}/repo{number}"
                if number % 3 == 0 else None,
                "githubStars": number % 5000 if number % 3 == 0 else None,
                "ai_summary": summary[:160], "ai_keywords": ["keyword one", "keyword two"],
                "discussionId": f"d{number}",
            },
            "publishedAt": "2025-09-30T02:00:00.000Z", "title": paper.title,
            "numComments": number % 9, "submittedBy": {"name": "someone"},
        })  # fmt: skip
    return items


def _markdown(papers: Sequence[ParsedPaper]) -> str:
    out = ["# Daily Papers", "", "[Subscribe](https://huggingface.co/papers#subscribe)", ""]
    for number, paper in enumerate(papers):
        page = f"https://huggingface.co/papers/{_arxiv(number)}"
        out += [f"[{number % 300}](https://huggingface.co/login?next=%2Fpapers)", "",
                f"### [{paper.title}]({page})", "", f"· [4 authors]({page}#authors)", "",
                paper.abstract, ""]  # fmt: skip
    return "\n".join(out)


def _text_browser(papers: Sequence[ParsedPaper]) -> str:
    out = ["[Models][1] [Datasets][2]", ""]
    targets = ["https://huggingface.co/models", "https://huggingface.co/datasets"]
    for number, paper in enumerate(papers):
        targets.append(f"https://huggingface.co/papers/{_arxiv(number)}")
        out += [f"   [{paper.title}][{len(targets)}]", f"   {paper.abstract}", ""]
    return "\n".join([*out, "References", ""] + [f"   {i}. {u}" for i, u in enumerate(targets, 1)])


def _text_export(papers: Sequence[ParsedPaper]) -> str:
    out = ["Models", "Datasets", "Daily Papers", ""]
    for number, paper in enumerate(papers):
        out += [paper.title, f"https://huggingface.co/papers/{_arxiv(number)}", paper.abstract, ""]
    return "\n".join(out)


def _plain(papers: Sequence[ParsedPaper]) -> str:
    return "\n\n".join(["Sep 30", *(f"{p.title}\n\n{p.abstract}" for p in papers)]) + "\n"


def _html(papers: Sequence[ParsedPaper]) -> str:
    props = html.escape(json.dumps({"dailyPapers": api_items(papers)}), quote=True)
    return (f'<!doctype html><html><body><div data-target="DailyPapers" data-props="{props}">'
            "</div></body></html>")  # fmt: skip


STYLES: dict[str, Callable[[Sequence[ParsedPaper]], str]] = {
    "plain": _plain, "markdown": _markdown, "text-browser": _text_browser,
    "text-export": _text_export, "hf-json": lambda p: json.dumps(api_items(p), indent=1),
    "html": _html,
}  # fmt: skip


def capture(style: str, papers: Sequence[ParsedPaper], size: int = CAPTURE_BYTES) -> str:
    """A capture of ``style`` cut to about ``size`` bytes (as many whole papers as fit)."""
    render = STYLES[style]
    low, high = 1, len(papers)
    while low < high:  # the most papers whose rendering fits
        mid = (low + high + 1) // 2
        if len(render(papers[:mid]).encode()) <= size:
            low = mid
        else:
            high = mid - 1
    return render(papers[:low])


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def try_every_reader(text: str) -> str | None:
    """The naive detection: run each reader, keep the first that reads."""
    for name in READERS:
        try:
            read_capture(text, source="x.txt", format=name, today=TODAY)
        except DigestError:
            continue
        return name
    return None


def measure_detection(papers: Sequence[ParsedPaper], runs: int) -> dict[str, dict[str, float]]:
    """Per style: detect's median ms, and the baselines', on a 200 KB capture."""
    figures: dict[str, dict[str, float]] = {}
    for style in STYLES:
        text = capture(style, papers)
        assert detect(text) == style, style
        figures[style] = {
            "kb": len(text.encode()) / 1024,
            "detect_ms": median_ms(lambda t=text: detect(t), runs),  # type: ignore[misc]
            "splitlines_ms": median_ms(text.splitlines, runs),
            "every_reader_ms": median_ms(lambda t=text: try_every_reader(t), 3),  # type: ignore[misc]
        }
    return figures


def best_of(action: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``runs`` calls (on a shared machine the
    CPU time says what the code costs when the wall time includes waiting for a core)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def measure_json(papers: Sequence[ParsedPaper]) -> dict[str, float]:
    """The JSON reader's papers/s beside bare ``orjson``/``json`` parsing of the same bytes."""
    data = orjson.dumps(api_items(papers))
    digest = read_capture_bytes(data, source="daily_papers-2025-09-30.json", today=TODAY)
    assert digest.format == "hf-json" and len(digest.papers) == len(papers)
    del digest
    figures: dict[str, float] = {"papers": len(papers), "mb": len(data) / 1e6}
    for name, action in (
        ("read", lambda: read_capture_bytes(data, source="d.json", today=TODAY)),
        ("orjson", lambda: orjson.loads(data)),
        ("json", lambda: json.loads(data)),
    ):
        wall, cpu = best_of(action)
        figures[f"{name}_rate"], figures[f"{name}_cpu_rate"] = len(papers) / wall, len(papers) / cpu
    return figures


def measure_import(papers: Sequence[ParsedPaper], runs: int = 3) -> dict[str, float]:
    """Papers/s of a whole import into a new store: the JSON form, the same JSON read the
    general way (``orjson.loads`` and field by field, what the typed fast path spares) and
    the plain copy of the same papers, each read from its bytes and written. Best of
    ``runs``, wall and CPU, the forms taking turns so that a change of load hits them all."""
    import tempfile

    from paperterm.captures.hf_json import digest_from_api
    from paperterm.store import Store

    json_data = orjson.dumps(api_items(papers))

    def general(data: bytes, source: str, today: dt.date) -> Digest:
        return digest_from_api(orjson.loads(data), source=source, date=dt.date(2025, 9, 30))

    def detected(data: bytes, source: str, today: dt.date) -> Digest:
        return read_capture_bytes(data, source=source, today=today)

    forms: dict[str, tuple[bytes, str, Callable[[bytes, str, dt.date], Digest]]] = {
        "json_import": (json_data, "daily_papers-2025-09-30.json", detected),
        "general_import": (json_data, "daily_papers-2025-09-30.json", general),
        "plain_import": (_plain(papers).encode(), "daily-2025-09-30.txt", detected),
    }
    figures: dict[str, float] = {}
    for _ in range(runs):
        for name, (data, source, read) in forms.items():
            def run(data: bytes = data, source: str = source,
                    read: Callable[[bytes, str, dt.date], Digest] = read) -> None:  # fmt: skip
                with (tempfile.TemporaryDirectory() as scratch,
                      Store.open(Path(scratch), "b") as store):  # fmt: skip
                    store.import_digests([read(data, source, TODAY)])

            wall, cpu = best_of(run, 1)
            for key, rate in ((f"{name}_rate", len(papers) / wall),
                              (f"{name}_cpu_rate", len(papers) / cpu)):  # fmt: skip
                figures[key] = max(figures.get(key, 0.0), rate)
    return figures


def report(detection: dict[str, dict[str, float]], reading: dict[str, float]) -> str:
    header = f"  {'style':<13} {'KB':>5} {'detect':>8} {'splitlines':>11} {'every reader':>13}"
    lines = ["format detection on a 200 KB capture (median ms; target < 5 ms):", header]
    for style, f in detection.items():
        verdict = "✓" if f["detect_ms"] < 5 else "✗"
        lines.append(f"  {style:<13} {f['kb']:>5.0f} {f['detect_ms']:>7.2f}{verdict} "
                     f"{f['splitlines_ms']:>11.2f} {f['every_reader_ms']:>13.1f}")  # fmt: skip
    verdict = "✓" if reading["read_rate"] >= 20_000 else "✗"
    lines += [
        f"JSON read, {reading['papers']:,.0f} papers ({reading['mb']:.0f} MB), papers/s, "
        "wall (CPU); store writes excluded, target >= 20,000 with them:",
    ]
    for name, label in (("read", "read_capture_bytes"), ("orjson", "orjson.loads only"),
                        ("json", "json.loads only")):  # fmt: skip
        mark = f" {verdict}" if name == "read" else ""
        lines.append(f"  {label:<19} {reading[name + '_rate']:>10,.0f}{mark} "
                     f"({reading[name + '_cpu_rate']:,.0f})")  # fmt: skip
    if "json_import_rate" in reading:
        verdict = "✓" if reading["json_import_rate"] >= 20_000 else "✗"
        lines.append("whole import into a new store, papers/s, wall (CPU); target >= 20,000, "
                     "the plain copy's speed:")  # fmt: skip
        for name, label in (("json_import", "JSON form"), ("plain_import", "plain copy"),
                            ("general_import", "JSON, general path")):  # fmt: skip
            mark = f" {verdict}" if name == "json_import" else ""
            lines.append(f"  {label:<19} {reading[name + '_rate']:>10,.0f}{mark} "
                         f"({reading[name + '_cpu_rate']:,.0f})")  # fmt: skip
        ratio = reading["json_import_rate"] / reading["plain_import_rate"]
        cpu_ratio = reading["json_import_cpu_rate"] / reading["plain_import_cpu_rate"]
        # beside, not a target: the JSON form stores every paper's metadata too (authors,
        # upvotes, summary, keywords), which the plain copy does not have to write
        lines.append(f"  JSON form / plain copy: {ratio:.2f} ({cpu_ratio:.2f})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=100_000, help="papers in the JSON")
    parser.add_argument("--runs", type=int, default=50, help="detection runs per style")
    args = parser.parse_args(argv)
    papers = _papers(max(args.papers, 2000))
    detection = measure_detection(papers[:2000], args.runs)
    reading = measure_json(papers[: args.papers])
    reading.update(measure_import(papers[: args.papers]))
    print(report(detection, reading))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``benchmarks/captures_bench.py`` at a tiny size, so the script cannot rot. No timing is
asserted: each part runs once and its output is checked for shape."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module", autouse=True)
def importable() -> None:
    sys.path.insert(0, str(BENCH))


def test_every_style_is_built_detected_and_measured() -> None:
    import captures_bench

    papers = captures_bench._papers(300)
    for style in captures_bench.STYLES:
        text = captures_bench.capture(style, papers, size=20_000)
        assert 10_000 < len(text.encode()) <= 20_000
        assert captures_bench.try_every_reader(text) is not None
    figures = captures_bench.measure_detection(papers, runs=1)
    assert set(figures) == set(captures_bench.STYLES)
    reading = captures_bench.measure_json(papers[:200])
    assert reading["papers"] == 200 and reading["read_rate"] > 0
    reading.update(captures_bench.measure_import(papers[:200]))
    assert reading["json_import_rate"] > 0 and reading["plain_import_rate"] > 0
    assert reading["general_import_rate"] > 0
    text = captures_bench.report(figures, reading)
    assert "format detection" in text and "whole import into a new store" in text
    assert "JSON, general path" in text and "JSON form / plain copy" in text

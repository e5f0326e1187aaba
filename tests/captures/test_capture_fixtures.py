"""Every capture style, from a hand-written fixture, imports with the right papers.

The fixtures (tests/fixtures/captures/) are written by hand in the shapes the pages take
(Markdown from a scraping tool, lynx and w3m dumps, a reader-mode export, the API's JSON,
a saved HTML page); none is a copied page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from paperterm.captures import FORMATS, detect, read_capture, read_capture_file
from paperterm.digest import parse_digest
from paperterm.model import Digest
from paperterm.paths import sample_digest_paths

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "captures"
TODAY = dt.date(2026, 12, 1)
Row = tuple[str, str | None, int | None, str | None]  # title, arXiv id, upvotes, code URL

EXPECTED: dict[str, tuple[str, dt.date, list[Row]]] = {
    "daily-markdown-2026-11-30.md": (
        "markdown",
        dt.date(2026, 11, 30),
        [
            (
                "Sparse Attention Without Tears",
                "2411.01234",
                101,
                "https://github.com/acme/sparse-attention",
            ),
            (
                "A Very Long Title About Diffusion Models That the Capture Tool Wrapped Over two "
                "Heading Lines",
                "2411.05678",
                0,
                "https://github.com/lab/diffusion-wrap",
            ),
            ("Agents That Read the Manual", "2411.09999", 42, None),
        ],
    ),
    "trending-markdown.md": (
        "markdown",
        TODAY,
        [
            (
                "Learning to Compress Long Contexts Into Short Memories",
                "2403.05555",
                0,
                "https://github.com/mem/compress-ctx",
            ),
            ("Vision Transformers Need Registers, Again", "2405.17777", 57, None),
            ("A Benchmark for Tool-Using Agents on Spreadsheets", None, 9, None),
        ],
    ),
    "papers-lynx.txt": (
        "text-browser",
        dt.date(2026, 11, 29),
        [
            ("Grounded Video Question Answering with Small Models", "2411.11111", 65, None),
            (
                "Retrieval-Augmented Planning for Household Robots That Explain Themselves",
                "2411.22222",
                7,
                "https://github.com/kitchen/rap-robots",
            ),
        ],
    ),
    "w3m-dump-2026-11-28.txt": (
        "text-browser",
        dt.date(2026, 11, 28),
        [
            ("Learning Physical Simulators from Video Alone", None, 23, None),
            ("Privacy-Preserving Federated Fine-Tuning of Speech Models", None, 5, None),
        ],
    ),
    "reader-mode-export.txt": (
        "text-export",
        dt.date(2026, 12, 1),
        [
            (
                "Tokenizers Are Secretly Compressors",
                "2412.00001",
                88,
                "https://github.com/tok/compressors",
            ),
            (
                "Scaling Laws for Mixture-of-Experts Routing Under Memory Constraints in Edge "
                "Deployment Scenarios",
                "2412.00002",
                None,
                "https://github.com/edge/moe-routing",
            ),
        ],
    ),
    "daily_papers-2026-11-30.json": (
        "hf-json",
        dt.date(2026, 11, 30),
        [
            (
                "Small Models Can Check Their Own Proofs",
                "2412.01001",
                131,
                "https://github.com/proofs/self-check",
            ),
            (
                "Weather Forecasting with Graph Transformers",
                "2412.01002",
                0,
                "https://github.com/weather/gt-cast",
            ),
            (
                "Counting Objects in Crowded Scenes",
                "2412.01003",
                12,
                "https://gitlab.com/vision/crowdcount",
            ),
        ],
    ),
    "paper-2412.01001.json": (
        "hf-json",
        TODAY,
        [
            (
                "Small Models Can Check Their Own Proofs",
                "2412.01001",
                140,
                "https://github.com/proofs/self-check",
            ),
        ],
    ),
    "papers-page-saved.html": (
        "html",
        dt.date(2026, 11, 30),
        [
            (
                "Small Models Can Check Their Own Proofs",
                "2412.01001",
                131,
                "https://github.com/proofs/self-check",
            ),
            (
                "Weather Forecasting with Graph Transformers",
                "2412.01002",
                0,
                "https://github.com/weather/gt-cast",
            ),
        ],
    ),
}


def read(name: str, **kwargs: object) -> Digest:
    return read_capture_file(FIXTURES / name, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_every_fixture_is_listed() -> None:
    assert sorted(path.name for path in FIXTURES.iterdir()) == sorted(EXPECTED)
    assert {fmt for fmt, _, _ in EXPECTED.values()} == set(FORMATS) - {"plain"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_imports_with_the_right_papers(name: str) -> None:
    fmt, date, rows = EXPECTED[name]
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect(text) == fmt
    digest = read(name)
    assert (digest.format, digest.date) == (fmt, date)
    found = [(p.title, p.meta.arxiv_id, p.meta.upvotes, p.code_url) for p in digest.papers]
    assert found == rows
    assert read(name, format=fmt) == digest


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_date_given_wins_and_a_file_name_dates_an_undated_capture(name: str) -> None:
    day = dt.date(2020, 2, 29)
    assert read(name, date_override=day).date == day


def test_the_markdown_capture_keeps_every_field_it_shows() -> None:
    digest = read("trending-markdown.md")
    compress, registers, spreadsheets = digest.papers
    assert compress.meta.published == dt.date(2024, 3, 8)
    assert (
        compress.meta.ai_summary == "A model learns to squeeze long inputs into a few memory slots."
    )
    assert compress.abstract.startswith("Long contexts are expensive. We train a compressor")
    assert compress.meta.github_stars == 870
    assert compress.meta.project_page == "https://mem.github.io/compress-ctx/"
    assert compress.meta.hf_url == "https://huggingface.co/papers/2403.05555"
    assert registers.meta.published == dt.date(2026, 5, 29)  # "May 29 3": 3 comments
    assert spreadsheets.abstract == "We release 2,000 spreadsheet tasks with verified solutions."
    assert digest.warnings == (
        f"{FIXTURES / 'trending-markdown.md'}: markdown: 1 entry shown more than once was "
        "merged",
    )


def test_daily_markdown_details() -> None:
    sparse, wrapped, agents = read("daily-markdown-2026-11-30.md").papers
    assert sparse.meta.github_stars == 11300
    assert sparse.abstract == (
        "We show that sparse attention can match dense attention on long-context benchmarks "
        "while using a tenth of the memory. Code and weights are released."
    )
    assert wrapped.meta.github_stars == 1320
    assert agents.meta.published == dt.date(2026, 10, 4)
    assert (
        agents.abstract == "An agent that reads documentation before acting makes fewer mistakes."
    )
    assert sparse.meta.authors == ()  # "8 authors" is a count, not a name


def test_json_and_html_carry_authors_keywords_and_summaries() -> None:
    proofs = read("daily_papers-2026-11-30.json").papers[0]
    assert proofs.meta.authors == ("Mia Chen", "Ravi Patel", "Ola Nordmann")
    assert proofs.meta.ai_keywords == ("proof checking", "self-verification")
    assert proofs.meta.published == dt.date(2026, 11, 27)
    assert proofs.abstract == (
        "We train a 1B-parameter model to verify its own proofs step by step. It rejects 94% of "
        "flawed proofs while keeping nearly all correct ones."
    )
    assert read("papers-page-saved.html").papers[0] == proofs


def test_text_export_keeps_published_dates_and_stars() -> None:
    tokenizers, moe = read("reader-mode-export.txt").papers
    assert moe.meta.published == dt.date(2026, 11, 28)
    assert moe.meta.github_stars == 2400
    assert moe.abstract.endswith("We derive scaling laws that account for memory.")
    assert tokenizers.abstract.startswith("We argue that a tokenizer is a compression scheme")


@pytest.mark.parametrize("path", sample_digest_paths(), ids=lambda p: p.name)
def test_plain_copies_read_exactly_as_before(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert detect(text) == "plain"
    expected = parse_digest(text, source=path.name, today=TODAY)
    assert read_capture(text, source=path.name, today=TODAY) == expected
    assert read_capture(text, source=path.name, today=TODAY, format="plain") == expected

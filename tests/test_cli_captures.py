"""``paperterm import`` on every capture style, end to end through a subprocess:
detection, ``--format``, folders of capture files, ``--dry-run`` and junk refusal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from paperterm.capture_inputs import CAPTURE_SUFFIXES as CLI_SUFFIXES
from paperterm.captures import CAPTURE_SUFFIXES, FORMATS
from paperterm.cli_parser import CAPTURE_FORMATS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "captures"
MARKDOWN = FIXTURES / "daily-markdown-2026-11-30.md"


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAPERTERM_DATA_DIR": str(data_dir), "PAPERTERM_USER": "alice"}
    env.pop("PAPERTERM_CONFIG_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "paperterm", *args],
        capture_output=True, text=True, input=stdin, env=env, timeout=120, check=False,
    )  # fmt: skip


def titles(data: Path) -> list[str]:
    result = run(data, "list", "--json")
    assert result.returncode == 0, result.stderr
    return sorted(json.loads(line)["title"] for line in result.stdout.splitlines())


def test_the_light_copies_of_the_names_match_the_readers() -> None:
    assert CAPTURE_FORMATS == FORMATS
    assert CLI_SUFFIXES == CAPTURE_SUFFIXES


def test_a_folder_of_every_capture_style_imports(tmp_path: Path) -> None:
    folder = tmp_path / "captures"
    shutil.copytree(FIXTURES, folder)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    data = tmp_path / "data"
    result = run(data, "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr == f"paperterm: {folder / 'notes.pdf'}: skipped, not a capture file "
        "(.txt, .md, .json, .html, .htm)\n"
    )
    assert len(result.stdout.splitlines()) == 8 + 3  # eight inputs, three with a warning
    found = titles(data)
    assert len(found) == 15  # the JSON, the saved page and the single paper share titles
    assert "Sparse Attention Without Tears" in found
    assert "Grounded Video Question Answering with Small Models" in found
    assert not [title for title in found if "[" in title or "·" in title or len(title) < 10]


def test_dry_run_shows_format_papers_and_warnings_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(data, "import", "--dry-run", str(MARKDOWN))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{MARKDOWN}: markdown, 2026-11-30: 3 papers (dry run, nothing written)",
        "  1. Sparse Attention Without Tears (arXiv 2411.01234, 101 upvotes, "
        "https://github.com/acme/sparse-attention)",
        "  2. A Very Long Title About Diffusion Models That the Capture Tool Wrapped Over two "
        "Heading Lines (arXiv 2411.05678, 0 upvotes, https://github.com/lab/diffusion-wrap)",
        "  3. Agents That Read the Manual (arXiv 2411.09999, 42 upvotes)",
        f"  warning: {MARKDOWN}: markdown: 1 entry shown more than once was merged",
    ]
    assert not data.exists()


def test_stdin_is_detected_and_format_forces_a_reader(tmp_path: Path) -> None:
    data = tmp_path / "data"
    text = (FIXTURES / "daily_papers-2026-11-30.json").read_text(encoding="utf-8")
    piped = run(data, "import", "-", "--date", "2026-11-30", stdin=text)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == "<stdin>: 2026-11-30: 3 new, 0 already known\n"
    forced = run(data, "import", "--format", "markdown", "-", stdin=text)
    assert forced.returncode == 1
    assert forced.stderr.splitlines() == [
        "paperterm: <stdin>: markdown: no papers found (no paper titles in the capture)",
        "paperterm: 1 of 1 inputs failed",
    ]


def test_junk_is_refused_naming_the_format_and_suggesting_format(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(data, "import", "--format", "plain", "--date", "2026-11-30", str(MARKDOWN))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    first, summary = result.stderr.splitlines()
    assert first.startswith(f"paperterm: {MARKDOWN}: plain: not imported, this looks like junk:")
    assert "--format" in first and summary == "paperterm: 1 of 1 inputs failed"
    assert not (data / "papers").exists()


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "data", "import", "--format", "yaml", str(MARKDOWN))
    assert result.returncode == 2 and "invalid choice: 'yaml'" in result.stderr

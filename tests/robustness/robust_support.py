"""Helpers of the robustness suite: real CLI processes, digest texts, file checks."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from paperterm.errors import ClipboardError

USER = "alice"
Figures = Callable[[str, object], None]
"""The ``figures`` fixture: record a headline number for the terminal summary."""


def cli_env(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PAPERTERM_DATA_DIR": str(data_dir), "PAPERTERM_USER": USER}
    env["PAPERTERM_CONFIG_DIR"] = str(tmp_path / "config")
    return env


def cli(
    data_dir: Path, *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``python -m paperterm`` with ``PAPERTERM_DATA_DIR=data_dir``."""
    env = cli_env(data_dir, data_dir.parent)
    result = subprocess.run(
        [sys.executable, "-m", "paperterm", *args],
        capture_output=True, input=stdin, env=env, timeout=300, check=False, cwd=cwd,
    )  # fmt: skip
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )  # fmt: skip


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1, exactly one line on stderr holding every needle, no traceback."""
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def digest_text(day: dt.date, papers: Sequence[tuple[str, str]]) -> str:
    """A digest's page text: the header, the date line, then title/abstract paragraphs."""
    body = "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in papers)
    return f"Daily Papers\n\n{day.isoformat()}\n\n{body}\n"


def write_digest(path: Path, day: dt.date, papers: Sequence[tuple[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(digest_text(day, papers), encoding="utf-8")
    return path


def store_files(data_dir: Path) -> list[Path]:
    """Every store file and last good copy under ``data_dir``."""
    return sorted(
        p for p in data_dir.rglob("*") if p.is_file() and p.name.endswith((".json", ".json.bak"))
    )


def assert_every_file_parses(data_dir: Path) -> int:
    """Every store file and backup is a JSON object of tables; returns how many were read."""
    files = store_files(data_dir)
    for path in files:
        tables = json.loads(path.read_bytes())
        assert isinstance(tables, dict), path
        assert all(isinstance(table, dict) for table in tables.values()), path
    return len(files)


# C0 (except tab/newline), DEL, C1, bidi controls: none may reach a terminal or a file.
FORBIDDEN_CHARS = frozenset(
    [*map(chr, range(0x00, 0x09)), *map(chr, range(0x0B, 0x20)), *map(chr, range(0x7F, 0xA0)),
     "\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
     *map(chr, range(0x2066, 0x206A))]
)  # fmt: skip


def forbidden_in(text: str) -> list[str]:
    """The forbidden characters found in ``text`` (empty when clean)."""
    return sorted({repr(ch) for ch in text if ch in FORBIDDEN_CHARS})


class FakeSystem:
    """Records what the app copied and opened instead of touching the real machine."""

    def __init__(self) -> None:
        self.copied: list[str] = []
        self.opened: list[str] = []

    def copy(self, text: str) -> None:
        self.copied.append(text)

    def open(self, url: str) -> None:
        self.opened.append(url)


class NoClipboard(FakeSystem):
    def copy(self, text: str) -> None:
        raise ClipboardError("no clipboard in tests")


class CliLoop:
    """``paperterm`` commands run one after another by the real CLI in another process."""

    def __init__(
        self, data_dir: Path, jobs: Sequence[Sequence[str]], scratch: Path, *, gates: int = 0
    ) -> None:
        """Start the loop; with ``gates``, the jobs run in ``gates + 1`` blocks and each block
        after the first waits for ``open_gate`` (so both processes surely overlap)."""
        scratch.mkdir(parents=True, exist_ok=True)
        job_file = scratch / "jobs.tsv"
        job_file.write_text("\n".join("\t".join(job) for job in jobs) + "\n", encoding="utf-8")
        self.jobs = len(jobs)
        self.gates, self.opened, self.scratch = gates, 0, scratch
        script = Path(__file__).with_name("robust_workers.py")
        gating = [str(scratch), str(gates + 1)] if gates else []
        self.proc = subprocess.Popen(
            [sys.executable, str(script), "cli-loop", str(data_dir), str(job_file), *gating],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            env=cli_env(data_dir, scratch), text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        ready = self.proc.stdout.readline()  # it has imported paperterm and starts now
        assert ready == "ready\n", (ready, self.proc.stderr and self.proc.stderr.read())

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def open_gate(self) -> None:
        """Let the next block of jobs run."""
        if self.opened < self.gates:
            self.opened += 1
            (self.scratch / f"gate-{self.opened}").touch()

    def finish(self) -> None:
        """Open every gate, wait for the end; every command must have succeeded."""
        while self.opened < self.gates:
            self.open_gate()
        out, err = self.proc.communicate(timeout=300)
        assert self.proc.returncode == 0, err
        assert out.strip() == f"done {self.jobs} failures 0", (out, err)

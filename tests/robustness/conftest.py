"""Fixtures of the robustness suite.

The suite's headline figures (kills survived, concurrent writes kept, fuzz cases run, the
50 MB import) are recorded with the ``figures`` fixture and printed in the terminal summary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from robust_support import FakeSystem

_FIGURES: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("robustness figures")
        for name, value in _FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture
def figures() -> Callable[[str, object], None]:
    """Record one figure (shown in the terminal summary)."""

    def record(name: str, value: object) -> None:
        _FIGURES[name] = str(value)

    return record


@pytest.fixture
def system() -> FakeSystem:
    return FakeSystem()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"

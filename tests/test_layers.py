"""The layers of ARCHITECTURE.md, enforced: ``lint-imports`` checks the import-linter
contracts of pyproject.toml against the package, and fails this suite when one is broken.

The contracts are only worth something if they can fail, so a copy of the package with a
forbidden import in each layer must break each contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
PACKAGE = ROOT / "src" / "paperterm"

# lint-imports, run by this interpreter: the venv's import-linter, the package as installed
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint_imports(*, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _top_level_modules() -> set[str]:
    return {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }


def test_the_contracts_are_kept() -> None:
    result = _lint_imports(cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def test_every_domain_module_is_a_source_of_the_domain_contract() -> None:
    # the forbidden contract names its modules one by one: a new domain module left out
    # would be free to import Textual
    front_ends = {"__main__", "tui", "cli"} | {
        m for m in _top_level_modules() if m.startswith("cli_")}
    domain = {"paperterm." + m for m in _top_level_modules() - front_ends}
    contract = _contracts()["domain-no-front-ends"]
    assert set(contract["source_modules"]) == domain
    assert {"paperterm." + m for m in front_ends} <= set(contract["forbidden_modules"])


def test_the_layers_name_every_module_once() -> None:
    named: list[str] = []
    for layer in _contracts()["layers"]["layers"]:
        named.extend(part.strip() for part in layer.replace(":", "|").split("|"))
    assert sorted(named) == sorted(_top_level_modules())


def _broken_copy(tmp_path: Path) -> Path:
    """A copy of the package with one forbidden import per contract, and a new module that
    no layer names."""
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "paperterm",
                    ignore=shutil.ignore_patterns("__pycache__", "samples"))  # fmt: skip
    with (copy / "paperterm" / "text.py").open("a", encoding="utf-8") as text:
        text.write("\nfrom textual.widgets import Static  # noqa: E402\n")
    with (copy / "paperterm" / "model.py").open("a", encoding="utf-8") as model:
        model.write("\nfrom paperterm import store  # noqa: E402\n")
    with (copy / "paperterm" / "tui" / "messages.py").open("a", encoding="utf-8") as messages:
        messages.write("\nimport tinydb  # noqa: E402\n")
    (copy / "paperterm" / "unplaced.py").write_text('"""A module no layer names."""\n')
    return copy


def test_a_forbidden_import_breaks_its_contract(tmp_path: Path) -> None:
    copy = _broken_copy(tmp_path)
    result = _lint_imports(cwd=tmp_path, pythonpath=copy)
    out = result.stdout
    assert result.returncode != 0, out
    assert "4 broken" in out, out  # tinydb in tui breaks two: tui's and TinyDB's own
    assert "paperterm.text -> textual" in out, out
    assert "paperterm.model -> paperterm.store" in out, out
    assert "paperterm.tui.messages -> tinydb" in out, out
    assert "paperterm.unplaced" in out, out

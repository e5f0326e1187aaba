"""The domain layer never imports Textual; the CLI imports it only to launch the TUI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "paperterm"
DOMAIN_MODULES = sorted(p for p in SRC.rglob("*.py") if "tui" not in p.relative_to(SRC).parts)


@pytest.mark.parametrize("path", DOMAIN_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_domain_module_does_not_import_textual(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    offenders = [
        name for name in imported
        if name.split(".")[0] in ("textual", "rich") or name.startswith("paperterm.tui")
    ]
    if path.name == "cli.py":
        offenders = [name for name in offenders if name != "paperterm.tui.launch"]
    assert offenders == [], f"{path.name} imports {offenders}"


def test_only_store_modules_touch_tinydb() -> None:
    users = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "import tinydb" in text or "from tinydb" in text:
            users.append(path.name)
    assert sorted(users) == ["storage.py", "store.py"] or sorted(users) == ["storage.py"]


@pytest.mark.parametrize("args", [["--help"], ["list", "--help"], ["import", "--help"]])
def test_cli_does_not_load_textual(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from paperterm.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb',"
        " 'rapidfuzz'))\n"
        "print('LOADED', loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "LOADED []" in out, out

"""read_toml: one way to read the reader's TOML files, with one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperterm.errors import PapertermError
from paperterm.tui.toml_file import read_toml


def test_a_missing_file_is_empty_and_a_good_one_is_read(tmp_path: Path) -> None:
    assert read_toml(tmp_path / "nope.toml", "keymap file") == {}
    good = tmp_path / "config.toml"
    good.write_text("[reader]\nfetch_on_start = true\n", encoding="utf-8")
    assert read_toml(good, "config file") == {"reader": {"fetch_on_start": True}}


def test_unreadable_and_invalid_files_are_one_line_errors(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()  # reading a folder fails with an OSError other than FileNotFoundError
    with pytest.raises(PapertermError, match=r"folder: cannot read config file: "):
        read_toml(folder, "config file")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff = 1")
    with pytest.raises(PapertermError, match=r"bad\.toml: invalid keymap file: "):
        read_toml(bad, "keymap file")

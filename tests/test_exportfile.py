"""exportfile: an export is a normal user file, written atomically, never creating folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperterm import exportfile
from paperterm.exportfile import ExportError, NothingToExport, require_papers, write_export


@pytest.fixture
def umask() -> Iterator[int]:
    """Run the test under umask 022, then put the caller's umask back."""
    previous = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "list.md"
    assert write_export(target, "# Reading list\n") == target
    assert target.read_text(encoding="utf-8") == "# Reading list\n"
    assert mode(target) == 0o666 & ~umask == 0o644
    os.umask(0o002)
    group = tmp_path / "group.md"
    write_export(group, "x\n")
    assert mode(group) == 0o664


def test_replacing_keeps_the_files_permissions(tmp_path: Path, umask: int) -> None:
    target = tmp_path / "private.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    write_export(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.md"]


def test_missing_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    with pytest.raises(ExportError) as caught:
        write_export(missing / "x.md", "x\n")
    assert str(caught.value) == f"{missing / 'x.md'}: cannot write: folder {missing} does not exist"
    assert not (tmp_path / "no").exists()


def test_parent_that_is_a_file_or_target_that_is_a_folder(tmp_path: Path) -> None:
    afile = tmp_path / "a.txt"
    afile.write_text("keep\n", encoding="utf-8")
    with pytest.raises(ExportError, match="is not a folder"):
        write_export(afile / "x.md", "x\n")
    with pytest.raises(ExportError, match="it is a folder"):
        write_export(tmp_path, "x\n")
    assert afile.read_text(encoding="utf-8") == "keep\n"


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "list.md"
    target.write_text("old\n", encoding="utf-8")

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exportfile.os, "write", full_disk)
    with pytest.raises(ExportError, match="No space left on device"):
        write_export(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["list.md"]


def test_require_papers() -> None:
    require_papers([1], "is:starred")
    with pytest.raises(NothingToExport, match="no paper matches 'tag:rl'"):
        require_papers([], " tag:rl ")
    with pytest.raises(NothingToExport, match="there are no papers"):
        require_papers([], "")

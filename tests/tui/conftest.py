"""Fixtures for Pilot tests: a store of the sample digests and an app with fake side effects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paperterm.digest import read_digest_file
from paperterm.errors import ClipboardError
from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp


class FakeSystem:
    """Records what the app copied and opened instead of touching the real machine."""

    def __init__(self, clipboard_works: bool = True) -> None:
        self.clipboard_works = clipboard_works
        self.copied: list[str] = []
        self.opened: list[str] = []

    def copy(self, text: str) -> None:
        if not self.clipboard_works:
            raise ClipboardError("system clipboard unavailable: no display")
        self.copied.append(text)

    def open(self, url: str) -> None:
        self.opened.append(url)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def sample_store(data_dir: Path) -> Iterator[Store]:
    store = Store.open(data_dir, "alice")
    for path in sample_digest_paths():
        store.import_digest(read_digest_file(path))
    yield store
    store.close()


@pytest.fixture
def system() -> FakeSystem:
    return FakeSystem()


@pytest.fixture
def make_app(system: FakeSystem, tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(store: Store, **kwargs: object) -> PapertermApp:
        return PapertermApp(
            Triage(store),
            copier=system.copy,
            opener=system.open,
            export_dir=tmp_path,
            poll_seconds=3600,
            **kwargs,  # type: ignore[arg-type]
        )

    return make

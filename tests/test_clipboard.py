"""Tests for paperterm.clipboard: every failure becomes ClipboardError, success passes through.

pyperclip itself is replaced by a fake module in ``sys.modules``, so no test touches the real
clipboard or depends on xclip/xsel/wl-copy or a display being present.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import pyperclip
import pytest

from paperterm.clipboard import copy_text, paste_text
from paperterm.errors import ClipboardError, PapertermError


class FakeClipboard:
    """An in-memory stand-in for the system clipboard."""

    def __init__(self) -> None:
        self.value = ""
        self.copies: list[str] = []

    def copy(self, text: str) -> None:
        self.copies.append(text)
        self.value = text

    def paste(self) -> str:
        return self.value


def _fake_module(
    copy: Callable[..., object], paste: Callable[..., object], *, resolved: bool = True
) -> types.ModuleType:
    module = types.ModuleType("pyperclip")
    module.copy = copy  # type: ignore[attr-defined]
    module.paste = paste  # type: ignore[attr-defined]
    module.PyperclipException = pyperclip.PyperclipException  # type: ignore[attr-defined]
    module.is_available = lambda: resolved  # type: ignore[attr-defined]
    return module


def _install(monkeypatch: pytest.MonkeyPatch, module: types.ModuleType) -> None:
    monkeypatch.setitem(sys.modules, "pyperclip", module)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeClipboard:
    board = FakeClipboard()
    _install(monkeypatch, _fake_module(board.copy, board.paste))
    return board


def _raiser(exc: BaseException) -> Callable[..., object]:
    def fail(*_args: object) -> object:
        raise exc

    return fail


NO_MECHANISM = pyperclip.PyperclipException(
    "Pyperclip could not find a copy/paste mechanism for your system. For more information, "
    "please visit https://pyperclip.readthedocs.io/\nOn Linux, you can run "
    "`sudo apt-get install xclip`"
)


def test_copy_success_passes_text_through(fake: FakeClipboard) -> None:
    copy_text("hello\nworld ✓")
    assert fake.copies == ["hello\nworld ✓"]


def test_paste_success_returns_text(fake: FakeClipboard) -> None:
    fake.value = "pasted ✓"
    assert paste_text() == "pasted ✓"


def test_round_trip(fake: FakeClipboard) -> None:
    copy_text("# Reading list\n")
    assert paste_text() == "# Reading list\n"


@pytest.mark.parametrize(
    "value, expected", [(None, ""), (b"bytes \xe2\x9c\x93", "bytes ✓"), (42, "42")]
)
def test_paste_odd_values_become_str(
    monkeypatch: pytest.MonkeyPatch, value: object, expected: str
) -> None:
    _install(monkeypatch, _fake_module(lambda _t: None, lambda: value))
    assert paste_text() == expected


@pytest.mark.parametrize(
    "exc",
    [
        NO_MECHANISM,
        pyperclip.PyperclipTimeoutException("timed out"),
        FileNotFoundError(2, "No such file or directory", "xclip"),
        RuntimeError(""),
        UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed"),
    ],
)
def test_copy_failure_is_clipboard_error(
    monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    _install(monkeypatch, _fake_module(_raiser(exc), _raiser(exc)))
    with pytest.raises(ClipboardError) as info:
        copy_text("x")
    message = str(info.value)
    assert message.startswith("system clipboard unavailable: ")
    assert "\n" not in message and message.isprintable()
    assert info.value.__cause__ is exc
    assert isinstance(info.value, PapertermError)


@pytest.mark.parametrize("exc", [NO_MECHANISM, OSError("broken pipe"), ValueError("bad")])
def test_paste_failure_is_clipboard_error(
    monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    _install(monkeypatch, _fake_module(_raiser(exc), _raiser(exc)))
    with pytest.raises(ClipboardError, match=r"^system clipboard unavailable: \S"):
        paste_text()


def test_no_mechanism_message_is_one_line_and_keeps_the_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _install(monkeypatch, _fake_module(_raiser(NO_MECHANISM), _raiser(NO_MECHANISM)))
    with pytest.raises(ClipboardError) as info:
        copy_text("x")
    assert "could not find a copy/paste mechanism" in str(info.value)
    assert "xclip" in str(info.value)
    assert "\n" not in str(info.value)


def test_empty_reason_names_the_exception_type(monkeypatch: pytest.MonkeyPatch) -> None:
    _install(monkeypatch, _fake_module(_raiser(RuntimeError()), _raiser(RuntimeError())))
    with pytest.raises(ClipboardError, match=r"RuntimeError$"):
        copy_text("x")


def test_long_reason_is_shortened(monkeypatch: pytest.MonkeyPatch) -> None:
    exc = RuntimeError("x" * 5000)
    _install(monkeypatch, _fake_module(_raiser(exc), _raiser(exc)))
    with pytest.raises(ClipboardError) as info:
        copy_text("x")
    assert len(str(info.value)) < 500


def test_import_failure_is_clipboard_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyperclip", None)  # makes `import pyperclip` fail
    with pytest.raises(ClipboardError):
        copy_text("x")
    with pytest.raises(ClipboardError):
        paste_text()


def test_real_pyperclip_without_mechanism(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real library, forced to its 'no clipboard' back-end (as on a headless Linux box)."""
    no_copy, no_paste = pyperclip.init_no_clipboard()
    monkeypatch.setattr(pyperclip, "copy", no_copy)
    monkeypatch.setattr(pyperclip, "paste", no_paste)
    with pytest.raises(ClipboardError, match="could not find a copy/paste mechanism"):
        copy_text("x")
    with pytest.raises(ClipboardError):
        paste_text()


def test_pyperclip_is_imported_lazily() -> None:
    import subprocess

    code = "import sys, paperterm.clipboard; print('pyperclip' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"

"""The system clipboard, through pyperclip, failing only with :class:`ClipboardError`.

pyperclip is imported inside the functions, not at module import, so that starting the
CLI does not pay for it. Whatever goes wrong underneath (``PyperclipException`` on a Linux
box without a display or without xclip/xsel/wl-copy, a helper program that crashes, an
odd return value) comes out as one ``ClipboardError`` with a one-line reason; callers (the
TUI falls back to OSC 52) need to catch nothing else.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import shutil
import sys
from pathlib import Path

from paperterm.errors import ClipboardError

__all__ = ["copy_text", "paste_text", "system_clipboard_available"]

_REASON_MAX = 400


def _reason(exc: BaseException) -> str:
    """``exc`` as a short, single, printable line (pyperclip's messages span lines)."""
    text = " ".join(str(exc).split())
    text = "".join(ch for ch in text if ch.isprintable())
    if not text:
        text = type(exc).__name__
    if len(text) > _REASON_MAX:
        text = text[: _REASON_MAX - 1].rstrip() + "…"
    return text


def _unavailable(exc: BaseException) -> ClipboardError:
    return ClipboardError(f"system clipboard unavailable: {_reason(exc)}")


def copy_text(text: str) -> None:
    """Put ``text`` on the system clipboard.

    Raises:
        ClipboardError: the clipboard cannot be reached (no mechanism, helper failed, ...).
    """
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception as exc:  # pyperclip wraps little: PyperclipException, OSError, ...
        raise _unavailable(exc) from exc


def paste_text() -> str:
    """The text currently on the system clipboard ("" when it holds no text).

    Raises:
        ClipboardError: the clipboard cannot be reached (no mechanism, helper failed, ...).
    """
    try:
        import pyperclip

        value = pyperclip.paste()
    except Exception as exc:
        raise _unavailable(exc) from exc
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def system_clipboard_available() -> bool:
    """Whether a system clipboard mechanism looks usable, without touching the clipboard.

    If pyperclip has already picked its mechanism in this process, that choice decides.
    Otherwise this mirrors pyperclip's own selection using only the platform, environment
    variables and ``PATH`` look-ups: it never imports pyperclip's Qt back-ends nor runs a
    helper program, so it is cheap; it may answer True for a helper that then fails, in
    which case :func:`copy_text` raises :class:`ClipboardError`. Never raises.
    """
    try:
        return _available()
    except Exception:
        return False


def _available() -> bool:
    pyperclip = sys.modules.get("pyperclip")
    if pyperclip is not None and pyperclip.is_available():
        # Already resolved: pyperclip's "no clipboard" stubs are falsy.
        return bool(pyperclip.copy)

    system = platform.system()
    if "cygwin" in system.lower():
        return Path("/dev/clipboard").exists()
    if os.name == "nt" or system == "Windows":
        return True
    if system == "Darwin":
        return shutil.which("pbcopy") is not None or _has_module("AppKit")
    if system == "Linux" and _is_wsl():
        return shutil.which("clip.exe") is not None
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy") and shutil.which("wl-paste"):
        return True
    if os.environ.get("DISPLAY"):
        if shutil.which("xclip") or shutil.which("xsel"):
            return True
        if shutil.which("klipper") and shutil.which("qdbus"):
            return True
        return _has_module("qtpy") or _has_module("PyQt5")
    return False


def _is_wsl() -> bool:
    try:
        return "microsoft" in Path("/proc/version").read_text(errors="replace").lower()
    except OSError:
        return False


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False

"""The system clipboard, through pyperclip, failing only with :class:`ClipboardError`.

pyperclip is imported inside the functions, not at module import, so that starting the
CLI does not pay for it. Whatever goes wrong underneath (``PyperclipException`` on a Linux
box without a display or without xclip/xsel/wl-copy, a helper program that crashes, an
odd return value) comes out as one ``ClipboardError`` with a one-line reason; callers (the
TUI falls back to OSC 52) need to catch nothing else.
"""

from __future__ import annotations

from paperterm.errors import ClipboardError

__all__ = ["copy_text", "paste_text"]

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


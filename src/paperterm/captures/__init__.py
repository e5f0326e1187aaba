"""Capture readers: the Daily Papers page, however it was captured, as a ``Digest``.

A *capture* is what a person saved of the page (or of its trending, weekly, monthly and
search views): the text a browser copies (``plain``), a Markdown capture (``markdown``),
a text browser's dump (``text-browser``), a plain-text export (``text-export``), the JSON
of ``/api/daily_papers`` (``hf-json``) or the saved HTML page (``html``). ``detect`` picks
the reader; ``read_capture`` runs it and refuses results that look like junk. Everything
raises only ``DigestError``, one line naming the source, the format and the position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import orjson

from paperterm.captures.common import digest_date
from paperterm.captures.detect import detect
from paperterm.captures.hf_json import digest_from_api, paper_from_api, typed_digest
from paperterm.captures.html_page import read_html
from paperterm.captures.markdown import read_markdown
from paperterm.captures.quality import junk_reason, junk_title
from paperterm.captures.text_browser import read_text_browser
from paperterm.captures.text_export import read_text_export
from paperterm.digest import decode_text, parse_digest, read_bytes
from paperterm.errors import DigestError
from paperterm.heap import no_gc
from paperterm.model import Digest
from paperterm.text import sanitize

__all__ = [
    "CAPTURE_SUFFIXES",
    "FORMATS",
    "READERS",
    "Reader",
    "detect",
    "digest_from_api",
    "junk_reason",
    "junk_title",
    "paper_from_api",
    "read_capture",
    "read_capture_bytes",
    "read_capture_file",
    "read_hf_json",
]

CAPTURE_SUFFIXES = (".txt", ".md", ".json", ".html", ".htm")
"""File name endings a folder import reads (case-insensitive)."""


class Reader(Protocol):
    """A capture reader: text (sanitized unless the reader says otherwise) -> Digest."""

    def __call__(
        self, text: str, *, source: str, date_override: dt.date | None = None,
        today: dt.date | None = None,
    ) -> Digest: ...  # fmt: skip


def read_hf_json(
    text: str, *, source: str, date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    """The JSON of ``/api/daily_papers`` (or one item or paper of it) as a ``Digest``,
    dated by ``date_override``, else the date in ``source``'s file name, else ``today``."""
    return _read_hf_json_data(text, source=source, date_override=date_override, today=today)


def _read_hf_json_data(
    data: str | bytes, *, source: str, date_override: dt.date | None,
    today: dt.date | None,
) -> Digest:  # fmt: skip
    date = digest_date(None, source=source, date_override=date_override, today=today)
    fast = typed_digest(data, source=source, date=date)
    if fast is not None:
        return fast
    with no_gc():
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            raise DigestError(f"{source}: hf-json: not valid JSON (line {error.lineno}, column "
                              f"{error.colno}): {error.msg}") from None  # fmt: skip
        digest = digest_from_api(parsed, source=source, date=date)
        # Freed while the collector is still paused: alive when it resumes, the parsed
        # JSON (several objects per paper) would all be walked by its next collection.
        del parsed
    return digest


def _read_plain(
    text: str, *, source: str, date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    try:
        return parse_digest(text, source=source, date_override=date_override, today=today)
    except DigestError as error:  # name the format, as the other readers do
        message = str(error)
        if message.startswith(f"{source}: ") and not message.startswith(f"{source}: plain: "):
            message = f"{source}: plain: {message[len(source) + 2 :]}"
        raise DigestError(message) from None


READERS: Mapping[str, Reader] = {
    "plain": _read_plain,
    "markdown": read_markdown,
    "text-browser": read_text_browser,
    "text-export": read_text_export,
    "hf-json": read_hf_json,
    "html": read_html,
}
"""Every reader by its format name (``--format NAME``)."""

FORMATS = tuple(READERS)
"""The format names, as ``--format`` takes them."""

_HEAD = 4096  # bytes looked at to tell JSON from the other forms
_RAW: frozenset[str] = frozenset(("plain", "hf-json"))  # they sanitize field by field


def read_capture(
    text: str,
    *,
    source: str,
    format: str | None = None,
    date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:
    """Read a capture's text with the reader ``format`` names, else the one ``detect``
    picks; the digest's ``format`` says which. A capture without a digest date is dated
    by ``date_override``, else the ``YYYY-MM-DD`` in ``source``'s file name, else ``today``.
    Raises ``DigestError`` when the capture cannot be read, or when what was read looks
    like junk (most titles are link syntax, very short or page chrome)."""
    if not text or text.isspace():
        raise DigestError(f"{source}: empty file")
    text = text.removeprefix("\ufeff")
    name = format or detect(text)
    reader: Callable[..., Digest] | None = READERS.get(name)
    if reader is None:
        raise DigestError(f"{source}: unknown capture format '{sanitize(name, single_line=True)}'"
                          f" (one of: {', '.join(FORMATS)})")  # fmt: skip
    if name not in _RAW:
        text = sanitize(text)
    digest = reader(text, source=source, date_override=date_override, today=today)
    reason = junk_reason(digest)
    if reason is not None:
        raise _junk(source, name, reason)
    return digest


def _junk(source: str, name: str, reason: str) -> DigestError:
    others = ", ".join(other for other in FORMATS if other != name)
    return DigestError(f"{source}: {name}: not imported, this looks like junk: {reason}; "
                       f"if it is another kind of capture, say which with --format "
                       f"({others})")  # fmt: skip


def read_capture_bytes(
    data: bytes,
    *,
    source: str,
    format: str | None = None,
    date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:
    """Decode a capture's bytes as digest files are decoded (UTF-8, UTF-16/32 with a BOM)
    and read it with ``read_capture``."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if format in (None, "hf-json") and detect(body[:_HEAD].decode("utf-8", "ignore")) == "hf-json":
        # UTF-8 JSON goes to the parser as bytes: decoding it to text first would copy a
        # large file twice (orjson checks the UTF-8 itself).
        digest = _read_hf_json_data(body, source=source, date_override=date_override,
                                    today=today)  # fmt: skip
        reason = junk_reason(digest)
        if reason is not None:
            raise _junk(source, "hf-json", reason)
        return digest
    text = decode_text(data, source)
    return read_capture(text, source=source, format=format, date_override=date_override,
                        today=today)  # fmt: skip


def read_capture_file(
    path: Path,
    *,
    format: str | None = None,
    date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:
    """Read a capture file (any of the formats) with ``read_capture_bytes``."""
    return read_capture_bytes(read_bytes(path), source=str(path), format=format,
                              date_override=date_override, today=today)  # fmt: skip

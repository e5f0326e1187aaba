"""A saved huggingface.co/papers page: its papers sit as JSON in the ``data-props``
attribute of the element whose ``data-target`` is ``DailyPapers``.

The page is read with the standard library's HTML parser (which also undoes the
attribute's entity escaping); nothing else of the page is trusted or shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from html.parser import HTMLParser

import orjson

from paperterm.captures.common import digest_date
from paperterm.captures.fields import iso_date
from paperterm.captures.hf_json import digest_from_api
from paperterm.errors import DigestError
from paperterm.model import Digest
from paperterm.text import sanitize

FORMAT = "html"
TARGET = "DailyPapers"
_MAX_MENTIONS = 20


class _Stop(Exception):
    """Raised by the finder to end parsing at the first start tag."""


class _PropsFinder(HTMLParser):
    """Reads the first start tag fed to it and keeps its ``data-props`` when its
    ``data-target`` is ``DailyPapers``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.props: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("data-target") == TARGET:
            self.props = values.get("data-props") or ""
        raise _Stop

    handle_startendtag = handle_starttag


def _find_props(text: str) -> tuple[str, int] | None:
    """(data-props, line) of the first element whose ``data-target`` is ``DailyPapers``.

    Only the tag around each of the first mentions of ``DailyPapers`` is parsed, from its
    ``<`` to its end: the rest of the page (scripts, styles, megabytes of markup, or a
    hostile file's endless unclosed tags) is never read by the parser.
    """
    pos = text.find(TARGET)
    for _ in range(_MAX_MENTIONS):
        if pos == -1:
            break
        start = text.rfind("<", 0, pos)
        if start != -1:
            finder = _PropsFinder()
            with contextlib.suppress(_Stop):
                finder.feed(text[start:])
            if finder.props is not None:
                return finder.props, text.count("\n", 0, start) + 1
        pos = text.find(TARGET, pos + len(TARGET))
    return None


def _papers_of(props: object) -> tuple[object, dt.date | None]:
    """The list of papers in the props (``dailyPapers``, else ``papers``) and their date."""
    if isinstance(props, list):
        return props, None
    if not isinstance(props, dict):
        return props, None
    day = iso_date(props.get("date"))
    for key in ("dailyPapers", "papers"):
        if isinstance(props.get(key), list):
            return props[key], day
    return props, day


def read_html(
    text: str, *, source: str, date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    """A saved papers page (sanitized text) as a ``Digest`` of format ``html``; dated by
    its props' ``date``, else by ``digest_date``'s rules."""
    try:
        found = _find_props(text)
    except Exception as error:  # the parser's failures on broken markup vary by version
        raise DigestError(f"{source}: {FORMAT}: cannot parse the HTML page: "
                          f"{type(error).__name__}") from None  # fmt: skip
    if found is None:
        raise DigestError(
            f"{source}: {FORMAT}: no Daily Papers data in this HTML page (no element with "
            f'data-target="{TARGET}"); save the huggingface.co/papers page itself, or copy '
            "its text instead"
        )
    props_text, line = found
    try:
        # Entities in the attribute may have put raw control characters into the JSON.
        props = orjson.loads(sanitize(props_text))
    except orjson.JSONDecodeError as error:
        raise DigestError(f"{source}: {FORMAT}: the {TARGET} data-props (line {line}) are not "
                          f"JSON: {error.msg} at character {error.pos}") from None  # fmt: skip
    papers, day = _papers_of(props)
    date = digest_date(day, source=source, date_override=date_override, today=today)
    return digest_from_api(papers, source=source, date=date, format=FORMAT)

"""Text-browser dumps (``lynx -dump``, ``w3m -dump`` with numbered links): links appear
as ``[Title][32]`` and ``[ 65 ][35]``, their targets maybe listed at the end
(``[32]: https://...`` or lynx's `` 32. https://...``), navigation menus come first.

A paper is a line that is one link to a paper page (``huggingface.co/papers/ID`` or
``arxiv.org/abs/ID``). A dump without its link list has no targets: then a paper is a
one-link line whose text reads like a title, unless it directly follows a paper's title
(that is the card's organisation).
"""

from __future__ import annotations

import datetime as dt
import re

from paperterm.captures.cards import assemble
from paperterm.captures.fields import arxiv_id_in_url
from paperterm.captures.tokens import (
    Token,
    classify,
    is_title_like,
    resolve_references,
    strip_images,
    title_text,
)
from paperterm.model import Digest

FORMAT = "text-browser"
_TARGET = re.compile(r"\s*(?:\[(?P<a>\d{1,5})\]:?|(?P<b>\d{1,5})\.)\s+(?P<url>https?://\S+)\s*")
_BULLET = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_MIN_TITLE_WORDS = 3
_MAX_JOIN = 3


def _join_wrapped(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, text) with a link text wrapped over lines (an open ``[``) joined."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        text, start = lines[i], i
        while text.count("[") > text.count("]") and i + 1 < len(lines) and i - start < _MAX_JOIN:
            i += 1
            text = f"{text.rstrip()} {lines[i].strip()}"
        out.append((start, text))
        i += 1
    return out


def _is_title(body: str, *, known_targets: bool, after_title: bool) -> bool:
    """True when a line (its bullet taken off) is one link that names a paper."""
    if not (body.startswith("[") and body.endswith(")")) or body.count("](") != 1:
        return False
    title, url = title_text(body)
    if not is_title_like(title) or classify(body, 0)[0].kind in _META:
        return False
    if arxiv_id_in_url(url):
        return True
    return not known_targets and not after_title and len(title.split()) >= _MIN_TITLE_WORDS


def read_text_browser(
    text: str, *, source: str, date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    """A text-browser dump (sanitized text) as a ``Digest`` of format ``text-browser``."""
    lines = text.split("\n")
    targets: dict[str, str] = {}
    for i, line in enumerate(lines):
        if "://" in line and (target := _TARGET.fullmatch(line)) is not None:
            targets[target.group("a") or target.group("b") or ""] = target.group("url")
            lines[i] = ""
    tokens: list[Token] = []
    after_title = False
    for index, raw in _join_wrapped(lines):
        line = strip_images(resolve_references(raw, targets)).strip()
        body = _BULLET.sub("", line, count=1)
        if _is_title(body, known_targets=bool(targets), after_title=after_title):
            title, url = title_text(body)
            tokens.append(Token("title", index + 1, text=title, url=url))
            after_title = True
            continue
        found = classify(line, index + 1)
        tokens.extend(found)
        if any(token.kind not in ("blank", "chrome") for token in found):
            after_title = False
    return assemble(tokens, source=source, fmt=FORMAT, date_override=date_override, today=today)


_META = frozenset(("upvotes", "github", "arxiv", "project", "chrome", "count"))

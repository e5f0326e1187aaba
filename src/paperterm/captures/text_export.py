"""Plain-text exports of the page ("reader mode", save-as-text): the navigation first, then
each paper's title with a URL line after it, then its abstract, maybe followed by a URL
line too.

A title is found by the URL line under it: one naming a paper page
(``huggingface.co/papers/ID`` or ``arxiv.org/abs/ID``). The title is the line above it,
with the lines above that when they are as long as a wrapped line is (a short line above
is navigation or the previous paper's last words).
"""

from __future__ import annotations

import datetime as dt
import re

from paperterm.captures.cards import assemble
from paperterm.captures.fields import arxiv_id_in_url
from paperterm.captures.tokens import (
    Token,
    card_date,
    classify,
    is_chrome,
    is_title_like,
    title_text,
)
from paperterm.model import Digest

FORMAT = "text-export"
_URL_LINE = re.compile(r"\s*<?(?P<url>https?://\S+?)>?\s*")
_WRAPPED = 40  # a line at least this long, not ending a sentence, may go on below
_MAX_TITLE = 300
_MAX_TITLE_LINES = 3


def _title_block(lines: list[str], below: int) -> list[int]:
    """Indices of the lines making the title above the paper URL on line ``below``."""
    start = below - 1
    last = lines[start].strip() if start >= 0 else ""
    if not last or _URL_LINE.fullmatch(last) or is_chrome(last) or card_date(last):
        return []
    block = [start]
    while len(block) < _MAX_TITLE_LINES and start > 0:
        above = lines[start - 1].strip()
        if (len(above) < _WRAPPED or above.endswith((".", "!", "?")) or _URL_LINE.fullmatch(above)
                or card_date(above) is not None):  # fmt: skip
            break
        start -= 1
        block.insert(0, start)
    title = " ".join(lines[j].strip() for j in block)
    return block if is_title_like(title) else []


def _under_abstract(lines: list[str], below: int, *, same: bool) -> bool:
    """True when the paper URL on line ``below`` ends an abstract, not a title: the line
    above ends a sentence, and names the paper just read or is a paragraph's last line."""
    above = lines[below - 1].strip() if below else ""
    if not above.endswith((".", "!", "?")):
        return False
    return same or (below >= 2 and bool(lines[below - 2].strip()))


def read_text_export(
    text: str, *, source: str, date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    """A plain-text export (sanitized text) as a ``Digest`` of format ``text-export``."""
    lines = text.split("\n")
    titles: dict[int, tuple[int, str, str]] = {}  # first line -> (lines, title, url)
    used: set[int] = set()
    current: str | None = None
    for i, line in enumerate(lines):
        match = _URL_LINE.fullmatch(line) if "://" in line else None
        found = arxiv_id_in_url(match.group("url")) if match else None
        if match is None or found is None or _under_abstract(lines, i, same=found == current):
            continue  # the URL under an abstract stays a link
        block = [j for j in _title_block(lines, i) if j not in used]
        title = " ".join(lines[j].strip() for j in block)
        if not block or len(title) > _MAX_TITLE:
            continue
        titles[block[0]] = (len(block) + 1, title_text(title)[0], match.group("url"))
        used.update(block)
        used.add(i)
        current = found
    tokens: list[Token] = []
    i = 0
    while i < len(lines):
        if i in titles:
            count, title, url = titles[i]
            tokens.append(Token("title", i + 1, text=title, url=url))
            i += count
            continue
        tokens.extend(classify(lines[i], i + 1))
        i += 1
    return assemble(tokens, source=source, fmt=FORMAT, date_override=date_override, today=today)

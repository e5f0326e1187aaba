"""Markdown captures (a scraping tool's or a browser extension's Markdown of the page):
papers are headings, ``### Title`` or ``### [Title](https://huggingface.co/papers/ID)``.

Which heading level holds the papers is read from the capture: the level of headings that
link to a paper page, else the most common level of title-like headings. A title wrapped
over two heading lines (an open ``[``, a lowercase start, a dangling ``:``/``,``/"and")
or continued by an indented line is joined.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from paperterm.captures.cards import assemble
from paperterm.captures.fields import arxiv_id_in_url
from paperterm.captures.tokens import (
    Token,
    classify,
    is_chrome,
    is_title_like,
    resolve_references,
    strip_images,
    title_text,
)
from paperterm.model import Digest

FORMAT = "markdown"
_HEADING_START = re.compile(r" {0,3}(?P<marks>#{1,6})(?:[ \t]+|$)")
_REF_DEF = re.compile(r" {0,3}\[(?P<ref>[^\[\]\n]{1,40})\]:[ \t]*<?(?P<url>\S+?)>?(?:[ \t]+.*)?")
_DANGLING = re.compile(r"(?:[:,\-–—]|\b(?:and|of|for|the|with|in|to|a|an|via|on|from|by))$",
                       re.IGNORECASE)  # fmt: skip
_HANGING = re.compile(r"(?: {2,}|\t)\S")
_MAX_TITLE_LINES = 3


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line, its closing ``#``s taken off; else None."""
    if not line.lstrip(" ").startswith("#"):
        return None
    start = _HEADING_START.match(line)
    if start is None:
        return None
    text = line[start.end() :].rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):  # a closing sequence: "## T ##"
        text = bare.rstrip(" \t")
    return len(start.group("marks")), text


def _continues(first: str, second: str) -> bool:
    """True when heading text ``second`` goes on with ``first`` (a wrapped title)."""
    if first.count("[") > first.count("]"):
        return True
    return bool(second) and (second[0].islower() or _DANGLING.search(first) is not None)


def _headings(lines: list[str]) -> dict[int, tuple[int, str, int]]:
    """Line index -> (level, joined text, lines used) of every heading."""
    found: dict[int, tuple[int, str, int]] = {}
    i = 0
    while i < len(lines):
        heading = _heading(lines[i])
        if heading is None:
            i += 1
            continue
        level, text = heading
        used = 1
        while used < _MAX_TITLE_LINES and i + used < len(lines):
            nxt = lines[i + used]
            cont = _heading(nxt)
            if cont is not None:
                more = cont[1]
                if cont[0] != level or not _continues(text, more):
                    break
            elif _HANGING.match(nxt) and nxt.strip()[:1] not in "-*+>":
                more = nxt.strip()  # a hanging indent: the title goes on
            else:
                break
            text, used = f"{text} {more}", used + 1
        found[i] = (level, text, used)
        i += used
    return found


def _paper_level(headings: dict[int, tuple[int, str, int]]) -> int | None:
    linked = Counter(level for level, text, _ in headings.values()
                     if arxiv_id_in_url(title_text(text)[1]))  # fmt: skip
    if linked:
        return linked.most_common(1)[0][0]
    plain = Counter(level for level, text, _ in headings.values()
                    if is_title_like(title_text(text)[0]) and len(text.split()) >= 2)  # fmt: skip
    if not plain:
        return None
    best = max(plain.values())
    return max(level for level, n in plain.items() if n == best)  # ties: the deeper level


def read_markdown(
    text: str, *, source: str, date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    """A Markdown capture (sanitized text) as a ``Digest`` of format ``markdown``."""
    lines = text.split("\n")
    targets: dict[str, str] = {}
    for i, line in enumerate(lines):
        if "]:" in line and (ref := _REF_DEF.fullmatch(line)) is not None:
            targets[ref.group("ref").casefold()] = ref.group("url")
            lines[i] = ""
    lines = [strip_images(resolve_references(line, targets)) for line in lines]
    headings = _headings(lines)
    level = _paper_level(headings)
    tokens: list[Token] = []
    i = 0
    while i < len(lines):
        heading = headings.get(i)
        if heading is None:
            tokens.extend(classify(lines[i], i + 1))
            i += 1
            continue
        depth, raw, used = heading
        title, url = title_text(raw)
        if depth == level and is_title_like(title) and not is_chrome(title):
            tokens.append(Token("title", i + 1, text=title, url=url))
        else:  # a section heading: a label or a date may matter, its text is never prose
            tokens.extend(token for token in classify(raw, i + 1) if token.kind != "prose")
        i += used
    return assemble(tokens, source=source, fmt=FORMAT, date_override=date_override, today=today)

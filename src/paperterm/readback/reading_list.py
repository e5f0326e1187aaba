r"""A paperterm Markdown reading list (``paperterm export``, the reader's ``x``) read back.

The list is what :func:`paperterm.export.export_markdown` writes: a ``# Reading list``
heading, a ``Query:`` line, then one task-list item per paper::

    - [x] ★ **Title**\
      2026-09-09 · 2026-09-03 · `#rl` `#agents` · 120 upvotes · id: `k3q9zfa`\
      By Ana Smith, Jan van der Berg\
      Code: <https://github.com/a/b>\
      Links: [project](https://a.github.io/) · [arXiv](https://arxiv.org/abs/2509.01055) ·
      [Hugging Face](https://huggingface.co/papers/2509.01055)

      > The note, line by line\
      > second line

      The abstract's first sentences. …

(the ``Links:`` line is one line). ``[x]`` is the read mark and ``★`` the star; the code
spans ``#NAME`` are tags; ``By`` names the authors (kept only when it names them all, not
``… +3``); a link to ``arxiv.org/abs/ID`` or ``huggingface.co/papers/ID`` gives the arXiv id
(and is not kept as a link: it follows from the id). Markdown
escapes are undone, so titles, tags and notes come back as they were exported. Lines the
list does not hold (edited in by hand) are skipped with a warning; a file that is not a
reading list at all is a ``DigestError``.
"""

from __future__ import annotations

import datetime as dt
import re

from paperterm.errors import DigestError
from paperterm.export import ELLIPSIS
from paperterm.links import link_kind
from paperterm.model import NO_META, Link, LinkKind, PaperMeta
from paperterm.readback.carried import CarriedList, CarriedPaper
from paperterm.text import sanitize

__all__ = ["looks_like_reading_list", "parse_reading_list", "unescape_markdown"]

FORMAT = "reading-list"
_HEADING = "# Reading list"
_ITEM = re.compile(r"^- \[([ xX])\] (★ )?\*\*(.*)\*\*\\?$")
_CODE_SPAN = re.compile(r"(`+) ?(.*?) ?\1(?!`)")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(((?:\\.|[^)\\\s])*)\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/"
    r"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$"
)
_LABEL_KINDS: dict[str, LinkKind] = {
    "code": "code", "project": "project", "video": "video", "dataset": "dataset",
    "demo": "demo", "link": "other", "other": "other",
}  # fmt: skip
_SEP = " · "


def looks_like_reading_list(text: str) -> bool:
    """True when ``text`` starts like a paperterm reading list: the heading, then a
    ``Query:`` line."""
    head = text.lstrip("\ufeff").lstrip()[:4096].splitlines()
    lines = [line.strip() for line in head if line.strip()]
    return len(lines) >= 2 and lines[0] == _HEADING and lines[1].startswith("Query: ")


def unescape_markdown(text: str) -> str:
    r"""Undo Markdown backslash escapes (``\*`` -> ``*``), as CommonMark reads them.

    >>> unescape_markdown(r"\*bold\* a\|b 1\. x \\ y \é")
    '*bold* a|b 1. x \\ y \\é'
    """
    return _ESCAPED.sub(r"\1", text)


def _clean(text: str) -> str:
    return sanitize(text, single_line=True)


def _unlink_target(url: str) -> str:
    return url.replace("\\&", "&")


class _Item:
    """The lines of one list item, and what they said."""

    def __init__(self, line: int, read: bool, starred: bool, title: str) -> None:
        self.line = line
        self.read = read
        self.starred = starred
        self.title = title
        self.head: list[str] = []
        self.quote: list[str] = []
        self.body: list[str] = []
        self.in_head = True


def parse_reading_list(text: str, *, source: str) -> CarriedList:
    """The papers of a reading list, in its order; ``DigestError`` naming ``source`` when
    ``text`` is not one."""
    text = sanitize(text.lstrip("\ufeff"))
    if not looks_like_reading_list(text):
        raise DigestError(f"{source}: {FORMAT}: line 1: no '# Reading list' heading and "
                          "'Query:' line: not a paperterm reading list")  # fmt: skip
    items: list[_Item] = []
    warnings: list[str] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        match = _ITEM.match(line)
        if match:
            items.append(_Item(number, match.group(1) != " ", bool(match.group(2)),
                               match.group(3)))  # fmt: skip
            continue
        if not items:
            if line.strip() and line not in (_HEADING, "No papers match.") and not (
                line.startswith("Query: ")
            ):
                warnings.append(f"{source}: line {number}: skipped, not part of a paper")
            continue
        item = items[-1]
        if not line.strip():
            item.in_head = False
            if item.body and item.body[-1] != "":
                item.body.append("")
            continue
        if not line.startswith("  "):
            warnings.append(f"{source}: line {number}: skipped, not part of a paper")
            continue
        content = line[2:]
        if item.in_head:
            item.head.append(content.removesuffix("\\"))
        elif content.startswith(">"):
            item.quote.append(content[1:].removeprefix(" "))
        else:
            item.body.append(content)
    papers = tuple(_paper(item, source, warnings) for item in items)
    return CarriedList(source, FORMAT, papers, tuple(warnings))


def _paper(item: _Item, source: str, warnings: list[str]) -> CarriedPaper:
    dates: list[dt.date] = []
    tags: list[str] = []
    links: list[Link] = []
    arxiv: str | None = None
    authors: list[str] = []
    for number, line in enumerate(item.head):
        if line.startswith("By "):
            names = [_clean(name) for name in unescape_markdown(line[3:]).split(", ")]
            # "… +3": the list names only the first few; a partial author list would cite
            # the paper wrongly, so it is not kept
            authors = [] if names and names[-1].startswith("… +") else names
        elif line.startswith("Code: "):
            links += [Link(_unlink_target(u), "code") for u in _AUTOLINK.findall(line)]
        elif line.startswith("Links: "):
            for label, target in _LINK.findall(line[len("Links: "):]):
                url = _unlink_target(target)
                kind = _LABEL_KINDS.get(unescape_markdown(label).lower(), link_kind(url))
                links.append(Link(url, kind))
        elif number == 0:
            for part in line.split(_SEP):
                if _ISO_DATE.match(part.strip()):
                    try:
                        dates.append(dt.date.fromisoformat(part.strip()))
                    except ValueError:
                        warnings.append(f"{source}: line {item.line + 1}: bad date {part!r}")
                elif not part.startswith("id: "):
                    tags += [span[1:] for _, span in _CODE_SPAN.findall(part)
                             if span.startswith("#") and len(span) > 1]  # fmt: skip
    kept: list[Link] = []
    for link in links:
        found = _ARXIV_URL.match(link.url)
        if found is None:
            kept.append(link)
        elif arxiv is None:
            arxiv = found.group(1)
    # the paper's arXiv and Hugging Face pages follow from its arXiv id: not links to keep
    links = kept
    note = _note(item.quote)
    abstract = "\n\n".join(" ".join(p) for p in _paragraphs(item.body))
    abstract = unescape_markdown(abstract).removesuffix(ELLIPSIS)
    title = _clean(unescape_markdown(item.title))
    shown = tuple(name for name in authors if name)
    meta = PaperMeta(arxiv_id=arxiv, authors=shown) if arxiv or shown else NO_META
    return CarriedPaper(
        title=title if title != "(untitled)" else "",
        abstract=abstract,
        links=tuple(links),
        meta=meta,
        dates=tuple(sorted(set(dates))),
        starred=item.starred,
        read=item.read,
        tags=tuple(dict.fromkeys(_clean(tag) for tag in tags if _clean(tag))),
        note=note,
        line=item.line,
    )


def _paragraphs(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line == "":
            out.append([])
        else:
            out[-1].append(line.strip())
    return [p for p in out if p]


def _note(quote: list[str]) -> str:
    """The note's text: blockquote lines (hard breaks) kept as lines, ``>`` alone as a
    paragraph break."""
    paragraphs: list[list[str]] = [[]]
    for line in quote:
        text = line.removesuffix("\\").strip()
        if not text:
            paragraphs.append([])
        else:
            paragraphs[-1].append(unescape_markdown(text))
    return "\n\n".join("\n".join(p) for p in paragraphs if p)

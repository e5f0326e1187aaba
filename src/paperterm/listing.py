"""Plain-text and JSON renderings of papers for ``paperterm list``.

Both go to a terminal or a pipe, so every field passes through ``sanitize`` once more on
the way out: whatever a digest smuggled in, no escape sequence reaches the terminal.
"""

from __future__ import annotations

import json
from typing import Any

from paperterm.model import Entry
from paperterm.paper_info import short_authors
from paperterm.text import display_title, sanitize

STAR = "★"
UNREAD = "●"


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """The JSON object ``paperterm list --json`` prints for one paper.

    Text fields are sanitized too: ``jq -r .title`` prints them to a terminal as they are.
    """
    paper, state = entry.paper, entry.state
    code_url, meta = paper.code_url, paper.meta
    return {
        "id": paper.id,
        "title": sanitize(paper.title),
        "abstract": sanitize(paper.abstract),
        "dates": [d.isoformat() for d in paper.dates],
        "arxiv_id": None if meta.arxiv_id is None else sanitize(meta.arxiv_id, single_line=True),
        "authors": [sanitize(name, single_line=True) for name in meta.authors],
        "upvotes": meta.upvotes,
        "published": None if meta.published is None else meta.published.isoformat(),
        "links": [
            {"url": sanitize(link.url, single_line=True), "kind": link.kind}
            for link in paper.links
        ],
        "code_url": None if code_url is None else sanitize(code_url, single_line=True),
        "starred": state.starred,
        "read": state.read,
        "tags": [sanitize(tag, single_line=True) for tag in state.tags],
        "note": sanitize(state.note),
    }


def entry_json_line(entry: Entry, extra: dict[str, Any] | None = None) -> str:
    """One JSON line (no newline), with ``extra`` fields added; non-ASCII is escaped so any
    terminal shows it safely."""
    fields = entry_to_json(entry)
    if extra:
        fields.update(extra)
    return json.dumps(fields, ensure_ascii=True, separators=(",", ":"))


def related_fields(score: float, reason: str) -> dict[str, Any]:
    """What ``paperterm related --json`` adds to a paper's ``list --json`` object."""
    return {"score": round(score, 4), "reason": sanitize(reason, single_line=True)}


def entry_text_line(entry: Entry) -> str:
    """One human line: id, star, unread mark, newest date, title, tags, code mark, then
    what the metadata knows: upvotes (``▲42``), authors (shortened), arXiv id."""
    paper, state = entry.paper, entry.state
    star = STAR if state.starred else " "
    unread = " " if state.read else UNREAD
    title = display_title(paper.title)
    parts = [f"{paper.id}  {star}{unread} {paper.newest.isoformat()}  {title}"]
    if state.tags:
        parts.append(" ".join("#" + sanitize(tag, single_line=True) for tag in state.tags))
    if paper.code_url:
        parts.append("[code]")
    meta = paper.meta
    if meta.upvotes is not None:
        parts.append(f"▲{meta.upvotes}")
    if meta.authors:
        parts.append(sanitize(short_authors(meta.authors), single_line=True))
    if meta.arxiv_id:
        parts.append("arXiv:" + sanitize(meta.arxiv_id, single_line=True))
    return "  ".join(parts)

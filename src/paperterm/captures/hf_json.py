"""The JSON of the Daily Papers page: what ``GET /api/daily_papers`` returns.

The API gives a list of items, each holding a ``paper`` object (``id`` = arXiv id,
``title``, ``summary``, ``authors[].name``, ``upvotes``, ``publishedAt``, ``githubRepo``,
``githubStars``, ``projectPage``, ``ai_summary``, ``ai_keywords``). A saved file may hold
that list, one item, one paper object or a list of paper objects. Everything in it is
untrusted: a field that is missing, null or of the wrong type is left unknown, unknown
fields are ignored, and all text is sanitized.
"""

from __future__ import annotations

import datetime as dt

from paperterm.captures.fields import (
    arxiv_id,
    clean_line,
    github_repo,
    http_url,
    iso_date,
    non_negative_int,
)
from paperterm.digest import paper_key
from paperterm.errors import DigestError
from paperterm.heap import no_gc
from paperterm.links import extract_links
from paperterm.model import NO_META, Digest, PaperMeta, ParsedPaper
from paperterm.text import plural

FORMAT = "hf-json"
_MAX_AUTHORS = 500
_MAX_KEYWORDS = 50
_MAX_TITLE = 2000
_MAX_NAME = 500


def _paper_object(obj: dict[str, object]) -> dict[str, object]:
    inner = obj.get("paper")
    return inner if isinstance(inner, dict) else obj


def _names(value: object, limit: int) -> tuple[str, ...]:
    """The names in a list of ``{"name": ...}`` objects or of strings, cleaned, each once."""
    if not isinstance(value, list) or not value:
        return ()
    raw = [entry.get("name") if isinstance(entry, dict) else entry for entry in value[:limit]]
    try:
        joined = "\n".join(raw)  # type: ignore[arg-type]  # a TypeError says: not all text
    except TypeError:
        joined = ""
    # One look at them all: printable names without stray spaces need no cleaning.
    if (joined and joined.count("\n") == len(raw) - 1  # no newline inside a name
            and joined.replace("\n", "").isprintable() and "  " not in joined
            and " \n" not in joined and "\n " not in joined and "\n\n" not in joined
            and joined[0] not in " \n" and joined[-1] not in " \n"
            and max(map(len, raw)) <= _MAX_NAME):  # type: ignore[arg-type]  # fmt: skip
        return tuple(dict.fromkeys(raw))  # type: ignore[arg-type]
    names = (clean_line(name, _MAX_NAME) for name in raw)
    return tuple(dict.fromkeys(name for name in names if name))


def paper_from_api(obj: object, *, line: int = 0) -> ParsedPaper | None:
    """One paper of the API (a ``paper`` object, or an item holding one under ``"paper"``)
    as a ``ParsedPaper``; None when it is not an object or has no usable title.

    ``line`` is recorded as the paper's position (the API has no lines: callers pass the
    item's 1-based index). The summary is unwrapped to one line; ``githubRepo`` becomes a
    full GitHub URL whether it was one or ``OWNER/REPO``; the arXiv id loses its version.
    """
    if not isinstance(obj, dict):
        return None
    paper = _paper_object(obj)
    get = paper.get
    # An item repeats the paper's title and summary; a paper object may lack them.
    title = clean_line(get("title") or obj.get("title"), _MAX_TITLE)
    if not title:
        return None
    abstract = clean_line(get("summary") or obj.get("summary"))
    code = get("githubRepo")
    meta = PaperMeta(
        arxiv_id=arxiv_id(get("id")),
        authors=_names(get("authors"), _MAX_AUTHORS),
        upvotes=non_negative_int(get("upvotes")),
        published=iso_date(get("publishedAt")),
        github_repo=github_repo(code),
        github_stars=non_negative_int(get("githubStars")),
        project_page=http_url(get("projectPage")),
        ai_summary=clean_line(get("ai_summary")),
        ai_keywords=_names(get("ai_keywords"), _MAX_KEYWORDS),
    )
    links = extract_links(abstract)
    if meta.github_repo is None and (other := http_url(code)) is not None:
        # A repository on another code host: kept as a link, where code_url finds it.
        links = extract_links(other) + links
    return ParsedPaper(title, abstract, links, line, NO_META if meta.is_empty else meta)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)  # fmt: skip


def digest_from_api(data: object, *, source: str, date: dt.date, format: str = FORMAT) -> Digest:
    """The papers of parsed API JSON as a ``Digest`` of ``date`` (``format`` names the
    reader in the digest and in messages: ``hf-json``, or ``html`` for a saved page).

    ``data`` is a list of items, one item, one paper object or a list of paper objects.
    Entries without a title are skipped and repeats (same arXiv id, or same title) kept
    once, each with a warning. Raises ``DigestError`` naming ``source`` and the position
    when ``data`` is not of that shape or holds no paper at all.
    """
    with no_gc():
        return _digest(data, source, date, format)


def _digest(data: object, source: str, date: dt.date, format: str) -> Digest:
    if isinstance(data, dict):
        entries: list[object] = [data]
    elif isinstance(data, list):
        entries = data
    else:
        raise DigestError(f"{source}: {format}: top level: expected a list or an object of "
                          f"papers, got {_kind(data)}")  # fmt: skip
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise DigestError(
                f"{source}: {format}: item {index}: expected an object, got {_kind(entry)}"
            )
        parsed = paper_from_api(entry, line=index)
        if parsed is None:
            _warn(warnings, f"item {index}: no title, skipped")
            continue
        keys = [paper_key(parsed.title)]
        if parsed.meta.arxiv_id:
            keys.append("arxiv:" + parsed.meta.arxiv_id)
        first = next((seen[key] for key in keys if key in seen), None)
        if first is not None:
            _warn(warnings, f"item {index}: duplicate of item {first}, skipped: "
                            f"'{parsed.title[:60]}'")  # fmt: skip
            continue
        for key in keys:
            seen[key] = index
        papers.append(parsed)
    if not papers:
        where = f"{plural(len(entries), 'item')} without a title" if entries else "an empty list"
        raise DigestError(f"{source}: {format}: no papers found ({where})")
    more = len(warnings) - _MAX_WARNINGS
    shown = warnings[:_MAX_WARNINGS] + ([f"... and {more} more warnings"] if more > 0 else [])
    return Digest(
        date=date, papers=tuple(papers), source=source,
        warnings=tuple(f"{source}: {warning}" for warning in shown), format=format,
    )  # fmt: skip


_MAX_WARNINGS = 50


def _warn(warnings: list[str], warning: str) -> None:
    # Beyond the shown ones only the count matters: keep a cheap placeholder.
    warnings.append(warning if len(warnings) < _MAX_WARNINGS else "")

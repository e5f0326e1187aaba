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
from operator import itemgetter

import msgspec

from paperterm.captures.fields import (
    arxiv_id,
    clean_line,
    github_repo,
    http_url,
    iso_date,
    non_negative_int,
    printable,
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
_NAME = itemgetter("name")


def _paper_object(obj: dict[str, object]) -> dict[str, object]:
    inner = obj.get("paper")
    return inner if isinstance(inner, dict) else obj


def _names(value: object, limit: int) -> tuple[str, ...]:
    """The names in a list of ``{"name": ...}`` objects or of strings, cleaned, each once."""
    if not isinstance(value, list) or not value:
        return ()
    entries = value if len(value) <= limit else value[:limit]
    raw: list[object] = entries
    if type(entries[0]) is dict:  # authors: all objects, most likely
        try:
            raw = list(map(_NAME, entries))
        except (KeyError, TypeError):  # not all objects, or one without a name
            raw = [entry.get("name") if isinstance(entry, dict) else entry for entry in entries]
    try:
        joined = "\n".join(raw)  # type: ignore[arg-type]  # a TypeError says: not all text
    except TypeError:
        return _cleaned_names(raw)
    # One look at them all: printable names without stray spaces need no cleaning. Framed
    # by newlines, an empty name, a space at either end of a name or a double space all
    # show as two whitespace characters in a row.
    framed = f"\n{joined}\n"
    if ("  " in framed or " \n" in framed or "\n " in framed or "\n\n" in framed
            or joined.count("\n") != len(raw) - 1  # a newline inside a name
            or not printable(joined.replace("\n", " "))
            or (len(joined) > _MAX_NAME and max(map(len, raw)) > _MAX_NAME)):  # type: ignore[arg-type]  # fmt: skip
        return _cleaned_names(raw)
    return tuple(dict.fromkeys(raw))  # type: ignore[arg-type]


def _cleaned_names(raw: list[object]) -> tuple[str, ...]:
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
    get = _paper_object(obj).get
    # An item repeats the paper's title and summary; a paper object may lack them.
    return _paper(
        line, get("title") or obj.get("title"), get("summary") or obj.get("summary"),
        get("id"), get("authors"), get("upvotes"), get("publishedAt"), get("githubRepo"),
        get("githubStars"), get("projectPage"), get("ai_summary"), get("ai_keywords"),
    )  # fmt: skip


def _paper(
    line: int, title_value: object, summary: object, arxiv: object, authors: object,
    upvotes: object, published: object, code: object, stars: object, project: object,
    ai_summary: object, ai_keywords: object,
) -> ParsedPaper | None:  # fmt: skip
    """The paper of the raw API fields (each checked; anything unusable left unknown)."""
    title = clean_line(title_value, _MAX_TITLE)
    if not title:
        return None
    abstract = clean_line(summary)
    fields = (
        arxiv_id(arxiv),
        _names(authors, _MAX_AUTHORS),
        non_negative_int(upvotes),
        iso_date(published),
        github_repo(code),
        non_negative_int(stars),
        http_url(project),
        clean_line(ai_summary),
        _names(ai_keywords, _MAX_KEYWORDS),
    )
    meta = PaperMeta(*fields)
    if fields[0] is None and meta == NO_META:  # nothing known (a known arXiv id is something)
        meta = NO_META
    links = extract_links(abstract)
    if fields[4] is None and (other := http_url(code)) is not None:
        # A repository on another code host: kept as a link, where code_url finds it.
        links = extract_links(other) + links
    return ParsedPaper(title, abstract, links, line, meta)


# ------------------------------------------------------------------ typed fast path
# A list of items as the API sends it, decoded by msgspec straight into the few fields
# read (the others skipped in C, never built), each of the type the API gives it. Any
# other shape or type fails the decoding, and the file is read the general way instead,
# which gives the same papers (a test compares the two) and the position-naming errors.


class _Author(msgspec.Struct, gc=False):
    name: str | None = None


class _Fields(msgspec.Struct, gc=False):
    id: str | None = None
    title: str | None = None
    summary: str | None = None
    authors: list[_Author] | None = None
    upvotes: int | None = None
    published: str | None = msgspec.field(default=None, name="publishedAt")
    code: str | None = msgspec.field(default=None, name="githubRepo")
    stars: int | None = msgspec.field(default=None, name="githubStars")
    project: str | None = msgspec.field(default=None, name="projectPage")
    ai_summary: str | None = None
    ai_keywords: list[str] | None = None


class _Item(_Fields, gc=False):
    paper: _Fields | None = None


_ITEMS = msgspec.json.Decoder(list[_Item])


def _item_paper(item: _Item, line: int) -> ParsedPaper | None:
    """``paper_from_api`` of the item's JSON, from its typed fields."""
    paper = item if item.paper is None else item.paper
    authors = paper.authors
    return _paper(
        line, paper.title or item.title, paper.summary or item.summary, paper.id,
        None if authors is None else [author.name for author in authors], paper.upvotes,
        paper.published, paper.code, paper.stars, paper.project, paper.ai_summary,
        paper.ai_keywords,
    )  # fmt: skip


def typed_digest(data: bytes | str, *, source: str, date: dt.date) -> Digest | None:
    """``digest_from_api`` of the JSON text ``data`` when it is a list of API items or paper
    objects whose read fields have the API's types; None for anything else (then parse it
    and call ``digest_from_api``). Fields paperterm does not read are skipped unchecked."""
    with no_gc():
        try:
            items = _ITEMS.decode(data)
        # Also deep nesting (even in a skipped field) and text with lone surrogates (which
        # msgspec encodes to UTF-8 first): the general path names what is wrong.
        except (msgspec.MsgspecError, RecursionError, ValueError):
            return None
        papers = [_item_paper(item, index) for index, item in enumerate(items, 1)]
        count = len(items)
        del items  # freed while the collector is paused (its lists would be walked)
        return _collect(papers, count, source, date, FORMAT)


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
    read: list[ParsedPaper | None] = []
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise DigestError(
                f"{source}: {format}: item {index}: expected an object, got {_kind(entry)}"
            )
        read.append(paper_from_api(entry, line=index))
    return _collect(read, len(entries), source, date, format)


def _collect(
    read: list[ParsedPaper | None], entries: int, source: str, date: dt.date, format: str
) -> Digest:
    """The digest of the papers read from ``entries`` items (None: an item without a
    title), repeats skipped, each skipped item with a warning."""
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    for index, parsed in enumerate(read, 1):
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
        where = f"{plural(entries, 'item')} without a title" if entries else "an empty list"
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

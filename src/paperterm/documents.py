"""Documents as stored in the TinyDB files, to and from the model's frozen dataclasses.

Papers: ``{"title", "abstract", "links": [[url, kind], ...], "dates": [...], "position",
"key"}`` and, when anything beyond the text is known, ``"meta"``: only the known fields of
its ``PaperMeta`` (``arxiv``, ``authors``, ``upvotes``, ``published``, ``github``, ``stars``,
``project``, ``summary``, ``keywords``), so a paper known by its text alone costs nothing more.
A user's states are ``paperterm.state_documents``'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from paperterm.model import NO_META, Link, Paper, PaperMeta
from paperterm.shelf import AbstractShelf, ShelvedPaper, new_shelved, shelved


class DateCache(dict[str, dt.date]):
    """Interns dates: one ``date`` object per ISO string, and one tuple per paper dated
    once (most are; ``dates_of``)."""

    def __init__(self) -> None:
        super().__init__()
        self._single: dict[str, tuple[dt.date]] = {}

    def __missing__(self, text: str) -> dt.date:
        value = self[text] = dt.date.fromisoformat(text)
        return value

    def dates_of(self, texts: list[str]) -> tuple[dt.date, ...]:
        """The dates of ISO strings, as a tuple (shared by every paper of one date)."""
        if len(texts) != 1:
            return tuple(map(self.__getitem__, texts))
        found = self._single.get(texts[0])
        if found is None:
            found = self._single[texts[0]] = (self[texts[0]],)
        return found


PaperMaker = Callable[[str, str, str, tuple[Link, ...], tuple[dt.date, ...], int, PaperMeta], Paper]
ShelvedMaker = Callable[
    [str, str, int, tuple[Link, ...], tuple[dt.date, ...], int, PaperMeta], ShelvedPaper
]
"""A maker like ``PaperMaker`` taking, for the abstract, its number on a shelf."""
PAPER_FIELDS = ("id", "title", "abstract", "links", "dates", "position")


def _paper_setters() -> tuple[Callable[[Any, Any], None], ...] | None:
    """The slot setters of ``Paper``'s fields (``PAPER_FIELDS``, then ``meta``), or None
    when its layout is not the expected one (or it has a ``__post_init__``).

    A frozen slots dataclass sets each field through ``object.__setattr__``; setting the
    slots directly skips that call per field, which adds up over a whole store. Any change
    to ``Paper``'s fields falls back to the real constructor (and shelving is off).
    """
    if getattr(Paper, "__slots__", None) != (*PAPER_FIELDS, "meta") or hasattr(
        Paper, "__post_init__"
    ):
        return None
    return tuple(getattr(Paper, name).__set__ for name in (*PAPER_FIELDS, "meta"))


_SETTERS = _paper_setters()


def _paper_maker() -> PaperMaker:
    """``Paper``'s constructor, or, when its layout is the expected one, a faster equivalent
    (``_paper_setters``)."""
    if _SETTERS is None:
        return Paper
    new = object.__new__
    s_id, s_title, s_abstract, s_links, s_dates, s_position, s_meta = _SETTERS

    def make(
        pid: str,
        title: str,
        abstract: str,
        links: tuple[Link, ...],
        dates: tuple[dt.date, ...],
        position: int,
        meta: PaperMeta,
    ) -> Paper:
        paper = new(Paper)
        s_id(paper, pid)
        s_title(paper, title)
        s_abstract(paper, abstract)
        s_links(paper, links)
        s_dates(paper, dates)
        s_position(paper, position)
        s_meta(paper, meta)
        return paper

    return make


def _shelved_maker(shelf: AbstractShelf) -> ShelvedMaker | None:
    """``_paper_maker``'s twin for ``ShelvedPaper``s of ``shelf``; None when ``Paper``'s
    layout is not the expected one."""
    if _SETTERS is None:
        return None
    s_id, s_title, _, s_links, s_dates, s_position, s_meta = _SETTERS

    def make(
        pid: str,
        title: str,
        number: int,
        links: tuple[Link, ...],
        dates: tuple[dt.date, ...],
        position: int,
        meta: PaperMeta,
    ) -> ShelvedPaper:
        paper = new_shelved()
        s_id(paper, pid)
        s_title(paper, title)
        s_links(paper, links)
        s_dates(paper, dates)
        s_position(paper, position)
        s_meta(paper, meta)
        return shelved(paper, shelf, number)

    return make


make_paper = _paper_maker()


def paper_from_doc(pid: str, doc: Mapping[str, Any], dates: DateCache) -> Paper:
    """Build a Paper from a stored document (KeyError/TypeError/ValueError if malformed)."""
    links = doc["links"]
    return make_paper(
        pid,
        doc["title"],
        doc["abstract"],
        tuple([Link(url, kind) for url, kind in links]) if links else (),
        tuple(map(dates.__getitem__, doc["dates"])),
        doc["position"],
        meta_from_doc(doc.get("meta"), dates),
    )


def papers_from_docs(
    docs: Mapping[str, Mapping[str, Any]], dates: DateCache, shelf: AbstractShelf | None = None
) -> Iterator[tuple[Paper, str]]:
    """Each stored paper document as ``(Paper, paper_key)``; the loading hot path.

    With a ``shelf``, the abstracts go to it and the papers are ``ShelvedPaper``s that read
    theirs when asked (``paperterm.shelf``); should the shelf refuse them, plain papers.
    """
    make: Callable[..., Paper] = make_paper
    abstracts: Iterable[Any] = map(itemgetter("abstract"), docs.values())
    make_shelved = _shelved_maker(shelf) if shelf is not None else None
    if shelf is not None and make_shelved is not None:
        texts = list(abstracts)
        first = shelf.put(texts) if all(type(text) is str for text in texts) else None
        # a text that is not a str stays in its paper, as a plain load has it
        abstracts = texts if first is None else range(first, first + len(texts))
        make = make if first is None else make_shelved
    dates_of, no_meta = dates.dates_of, NO_META
    for (pid, doc), abstract in zip(docs.items(), abstracts, strict=True):
        links = doc["links"]
        meta = doc.get("meta")
        paper = make(
            pid,
            doc["title"],
            abstract,
            tuple([Link(url, kind) for url, kind in links]) if links else (),
            dates_of(doc["dates"]),
            doc["position"],
            no_meta if meta is None else meta_from_doc(meta, dates),
        )
        yield paper, doc["key"]


def paper_doc(
    title: str,
    abstract: str,
    links: tuple[Link, ...],
    dates: list[str],
    position: int,
    key: str,
    meta: PaperMeta = NO_META,
) -> dict[str, Any]:
    """A paper as stored (``key`` is its ``paper_key``; links as ``[[url, kind], ...]``;
    ``"meta"`` only when something beyond the text is known)."""
    doc: dict[str, Any] = {
        "title": title,
        "abstract": abstract,
        "links": [[link.url, link.kind] for link in links],
        "dates": dates,
        "position": position,
        "key": key,
    }
    if meta is not NO_META:
        stored = meta_to_doc(meta)
        if stored or meta != NO_META:  # known fields make it differ: no need to compare
            doc["meta"] = stored
    return doc


def paper_to_doc(paper: Paper, key: str) -> dict[str, Any]:
    """``paper`` as stored (``key`` is its ``paper_key``)."""
    dates = [d.isoformat() for d in paper.dates]
    return paper_doc(
        paper.title, paper.abstract, paper.links, dates, paper.position, key, paper.meta
    )


def meta_to_doc(meta: PaperMeta) -> dict[str, Any]:
    """The known fields of ``meta`` under their short stored names (absent ones left out)."""
    doc: dict[str, Any] = {}
    if meta.arxiv_id:
        doc["arxiv"] = meta.arxiv_id
    if meta.authors:
        doc["authors"] = list(meta.authors)
    if meta.upvotes is not None:
        doc["upvotes"] = meta.upvotes
    if meta.published is not None:
        doc["published"] = meta.published.isoformat()
    if meta.github_repo:
        doc["github"] = meta.github_repo
    if meta.github_stars is not None:
        doc["stars"] = meta.github_stars
    if meta.project_page:
        doc["project"] = meta.project_page
    if meta.ai_summary:
        doc["summary"] = meta.ai_summary
    if meta.ai_keywords:
        doc["keywords"] = list(meta.ai_keywords)
    return doc


def meta_from_doc(doc: Any, dates: DateCache | None = None) -> PaperMeta:
    """The ``PaperMeta`` of a stored ``"meta"`` document (None or empty: ``NO_META``).

    Raises TypeError/ValueError when a field has the wrong type, like the rest of a paper.
    """
    if doc is None:
        return NO_META
    if not isinstance(doc, Mapping):
        raise TypeError(f"expected a meta document, got {doc!r}")
    if not doc:
        return NO_META
    published = doc.get("published")
    return make_meta(
        _opt_str(doc.get("arxiv")),
        tuple(map(_str, doc.get("authors", ()))),
        _opt_int(doc.get("upvotes")),
        None if published is None else (dates or DateCache())[_str(published)],
        _opt_str(doc.get("github")),
        _opt_int(doc.get("stars")),
        _opt_str(doc.get("project")),
        _str(doc.get("summary", "")),
        tuple(map(_str, doc.get("keywords", ()))),
    )


META_FIELDS = (
    "arxiv_id", "authors", "upvotes", "published", "github_repo", "github_stars",
    "project_page", "ai_summary", "ai_keywords",
)  # fmt: skip
MetaMaker = Callable[
    [
        str | None, tuple[str, ...], int | None, dt.date | None, str | None, int | None,
        str | None, str, tuple[str, ...],
    ],
    PaperMeta,
]  # fmt: skip


def _meta_maker() -> MetaMaker:
    """``PaperMeta``'s constructor (positional), or, when its layout is the expected one,
    a faster equivalent that sets the slots directly, as ``_paper_maker`` does for
    ``Paper``; any change to its fields (or a ``__post_init__``) falls back."""
    if getattr(PaperMeta, "__slots__", None) != META_FIELDS or hasattr(
        PaperMeta, "__post_init__"
    ):
        return PaperMeta
    new = object.__new__
    (s_arxiv, s_authors, s_upvotes, s_published, s_github, s_stars, s_project, s_summary,
     s_keywords) = (getattr(PaperMeta, name).__set__ for name in META_FIELDS)  # fmt: skip

    def make(
        arxiv_id: str | None,
        authors: tuple[str, ...],
        upvotes: int | None,
        published: dt.date | None,
        github_repo: str | None,
        github_stars: int | None,
        project_page: str | None,
        ai_summary: str,
        ai_keywords: tuple[str, ...],
    ) -> PaperMeta:
        meta = new(PaperMeta)
        s_arxiv(meta, arxiv_id)
        s_authors(meta, authors)
        s_upvotes(meta, upvotes)
        s_published(meta, published)
        s_github(meta, github_repo)
        s_stars(meta, github_stars)
        s_project(meta, project_page)
        s_summary(meta, ai_summary)
        s_keywords(meta, ai_keywords)
        return meta

    return make


make_meta = _meta_maker()


def _str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _opt_int(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def with_date(doc: Mapping[str, Any], day: str, position: int) -> dict[str, Any] | None:
    """``doc`` seen in the digest of ``day`` at ``position``; None when it already was.

    The position follows the newest digest, so a paper keeps its place on the newest page.
    """
    if day in doc["dates"]:
        return None
    dates = sorted([*doc["dates"], day])
    return dict(doc, dates=dates, position=position if dates[-1] == day else doc["position"])

"""The domain's value types: links, parsed digests, papers and a user's state over them.

Everything here is a frozen dataclass: values are replaced, never mutated, so the TUI,
the store and the search index can share them without copying.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, attrgetter, itemgetter, mul, neg
from typing import Literal

LinkKind = Literal["code", "project", "video", "dataset", "demo", "other", "arxiv", "hf"]
LINK_KINDS: tuple[LinkKind, ...] = ("code", "project", "video", "dataset", "demo", "other")
"""The kinds of the links found in abstracts; ``arxiv`` and ``hf`` (a paper's arXiv and
Hugging Face pages) come from its metadata (``paperterm.paper_info.paper_links``)."""


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in an abstract, with what it points at."""

    url: str
    kind: LinkKind


def first_code_url(links: tuple[Link, ...]) -> str | None:
    """The URL of the first ``code`` link, or None."""
    for link in links:
        if link.kind == "code":
            return link.url
    return None


@dataclass(frozen=True, slots=True)
class PaperMeta:
    """What a capture or the Hugging Face API may tell about a paper beyond its text.

    Every field is optional: ``None`` (or empty) means "not known", never "known to be
    nothing", so a later capture that lacks a field cannot erase it (see ``merged``).
    ``github_repo`` is a full ``https://github.com/OWNER/REPO`` URL; ``published`` is the
    paper's own publication date, not the digest's.
    """

    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    upvotes: int | None = None
    published: dt.date | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str = ""
    ai_keywords: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing is known beyond the paper's text."""
        return self == NO_META

    @property
    def arxiv_url(self) -> str | None:
        """The paper's arXiv abstract page, when its arXiv id is known."""
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def hf_url(self) -> str | None:
        """The paper's Hugging Face paper page, when its arXiv id is known."""
        return f"https://huggingface.co/papers/{self.arxiv_id}" if self.arxiv_id else None

    def merged(self, newer: PaperMeta) -> PaperMeta:
        """This metadata refreshed by ``newer``: its known fields win, absent ones never erase.

        Upvotes and stars are volatile, so the newer capture's count replaces the older one.
        """
        if newer in (NO_META, self):
            return self
        if self == NO_META:
            return newer
        return PaperMeta(
            arxiv_id=newer.arxiv_id or self.arxiv_id,
            authors=newer.authors or self.authors,
            upvotes=self.upvotes if newer.upvotes is None else newer.upvotes,
            published=newer.published or self.published,
            github_repo=newer.github_repo or self.github_repo,
            github_stars=self.github_stars if newer.github_stars is None else newer.github_stars,
            project_page=newer.project_page or self.project_page,
            ai_summary=newer.ai_summary or self.ai_summary,
            ai_keywords=newer.ai_keywords or self.ai_keywords,
        )


def arxiv_key(arxiv_id: str) -> str:
    """How arXiv ids compare: stripped, casefolded, without a version suffix
    (``2609.01234v2`` and ``2609.01234`` are one paper)."""
    key = arxiv_id.strip().casefold()
    stem = key.rstrip("0123456789")
    if stem != key and stem.endswith("v") and len(stem) > 1:
        return stem[:-1]
    return key


NO_META = PaperMeta()
"""The metadata of a paper known only by its text (one shared instance)."""


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One paper as it stands in a capture: its text, its links and what else it told."""

    title: str
    abstract: str
    links: tuple[Link, ...]
    line: int  # 1-based line number of the title in the source text
    meta: PaperMeta = NO_META

    @property
    def code_url(self) -> str | None:
        """The paper's code link: its GitHub repository when known, else its first ``code``
        link, else None."""
        return self.meta.github_repo or first_code_url(self.links)


@dataclass(frozen=True, slots=True)
class Digest:
    """A parsed digest: its date, its papers in page order, and what was odd about it.

    ``format`` names the capture reader that made it (``"plain"`` for a copied page).
    """

    date: dt.date
    papers: tuple[ParsedPaper, ...]
    source: str
    warnings: tuple[str, ...] = ()
    format: str = "plain"


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper in the store: one per arXiv id (or, unknown, per distinct title), whatever
    the digests it came in.

    ``abstract`` keeps the text as imported (control characters removed, TeX left as is);
    ``dates`` lists every digest date it appeared on, ascending; ``position`` is its index
    in the newest of those digests, so papers of one day keep the page's order.
    """

    id: str
    title: str
    abstract: str
    links: tuple[Link, ...]
    dates: tuple[dt.date, ...]
    position: int = 0
    meta: PaperMeta = NO_META

    @property
    def newest(self) -> dt.date:
        """The most recent digest date the paper appeared on."""
        return self.dates[-1]

    @property
    def abstract_length(self) -> int:
        """``len(abstract)``, known without reading an abstract kept on disk
        (``paperterm.shelf``)."""
        return len(self.abstract)

    @property
    def code_url(self) -> str | None:
        """The paper's code link: its GitHub repository when known, else its first ``code``
        link, else None."""
        return self.meta.github_repo or first_code_url(self.links)


@dataclass(frozen=True, slots=True)
class PaperState:
    """One user's judgement of one paper. The default value means 'untouched'."""

    starred: bool = False
    read: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_default(self) -> bool:
        """True when nothing has been recorded for the paper."""
        return not (self.starred or self.read or self.tags or self.note)


DEFAULT_STATE = PaperState()


@dataclass(frozen=True, slots=True)
class Entry:
    """A paper together with the current user's state over it."""

    paper: Paper
    state: PaperState = field(default=DEFAULT_STATE)

    @property
    def id(self) -> str:
        """The paper's id."""
        return self.paper.id


def newest_first_key(paper: Paper) -> tuple[int, int]:
    """Sort key that puts the newest digest first and keeps each page's order."""
    return (-paper.newest.toordinal(), paper.position)


def newest_first_ints(papers: Sequence[Paper]) -> list[int] | None:
    """Per paper, an int that sorts like ``newest_first_key``: made and compared in C, where
    the tuple key costs a Python call per paper, which dominates a large sort.
    None when some paper has no date or an odd position (then use ``newest_first_key``)."""
    if not all(map(attrgetter("dates"), papers)):
        return None
    positions = list(map(attrgetter("position"), papers))
    if positions and not 0 <= min(positions) <= max(positions) < _POSITIONS:
        return None
    newest = map(dt.date.toordinal, map(itemgetter(-1), map(attrgetter("dates"), papers)))
    return list(map(add, map(mul, map(neg, newest), repeat(_POSITIONS)), positions))


_POSITIONS = 1 << 40

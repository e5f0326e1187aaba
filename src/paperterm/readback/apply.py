"""An exported file's papers applied to the store, through the store's public methods.

Every carried paper is matched to a stored one by arXiv id (without its version), else by
title (folded as ``paper_key`` folds it, and also in display form: an export writes
``Pok\\'emon`` as ``Pokémon``). Papers of the file that the store lacks are imported, dated
by the digest dates the file lists (a BibTeX entry lists none: it is dated ``today``), and
papers repeated in the file count once. Then the current user gets what the file carries:

- a star, where the file has one (a star of yours is never taken away);
- the file's tags added to yours (a tag the store cannot hold is skipped, with a warning);
- its note: set when you have none, added below yours (after a blank line) when yours
  does not already hold it, so importing the same file twice changes nothing.

Read marks are not applied: that a teammate read a paper says nothing of whether you did.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from paperterm.digest import paper_key
from paperterm.errors import StoreError
from paperterm.model import Digest, Paper, ParsedPaper
from paperterm.readback import CarriedList, CarriedPaper
from paperterm.state_documents import normalize_tag
from paperterm.store import Store
from paperterm.text import clean_tex, sanitize

__all__ = ["CarryResult", "apply_carried", "match_in", "match_papers"]

_VERSION = re.compile(r"v\d+$")


@dataclass(frozen=True, slots=True)
class CarryResult:
    """What applying one exported file did."""

    source: str
    format: str
    papers: int  # distinct papers in the file
    matched: int  # of them already in the store
    added: int  # of them imported as new papers
    starred: int  # newly starred for the user
    tagged: int  # papers that got at least one new tag
    noted: int  # papers whose note was set or extended
    warnings: tuple[str, ...] = ()


def _arxiv_key(arxiv_id: str | None) -> str | None:
    return _VERSION.sub("", arxiv_id.strip().lower()) if arxiv_id else None


def _title_keys(title: str) -> set[str]:
    keys = {paper_key(title), paper_key(clean_tex(sanitize(title)))}
    keys.discard("")
    return keys


class _Index:
    """Stored papers by arXiv id and by folded title."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self.by_arxiv: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for paper in papers:
            arxiv = _arxiv_key(paper.meta.arxiv_id)
            if arxiv:
                self.by_arxiv.setdefault(arxiv, paper.id)
            for key in _title_keys(paper.title):
                self.by_title.setdefault(key, paper.id)

    def find(self, carried: CarriedPaper) -> str | None:
        arxiv = _arxiv_key(carried.meta.arxiv_id)
        if arxiv and arxiv in self.by_arxiv:
            return self.by_arxiv[arxiv]
        for key in _title_keys(carried.title):
            if key in self.by_title:
                return self.by_title[key]
        return None


def _identity(carried: CarriedPaper) -> str:
    arxiv = _arxiv_key(carried.meta.arxiv_id)
    return f"arxiv:{arxiv}" if arxiv else f"title:{paper_key(carried.title)}"


def _merged(first: CarriedPaper, other: CarriedPaper) -> CarriedPaper:
    """One paper listed twice in a file: its marks joined."""
    note = first.note
    if other.note and other.note not in note:
        note = f"{note}\n\n{other.note}" if note else other.note
    return CarriedPaper(
        title=first.title, abstract=first.abstract or other.abstract,
        links=first.links or other.links, meta=first.meta.merged(other.meta),
        dates=tuple(sorted(set(first.dates) | set(other.dates))),
        starred=first.starred or other.starred, read=first.read or other.read,
        tags=tuple(dict.fromkeys((*first.tags, *other.tags))), note=note, line=first.line,
    )  # fmt: skip


def _distinct(papers: Sequence[CarriedPaper]) -> list[CarriedPaper]:
    by_identity: dict[str, CarriedPaper] = {}
    for carried in papers:
        if not paper_key(carried.title) and not carried.meta.arxiv_id:
            continue
        identity = _identity(carried)
        known = by_identity.get(identity)
        by_identity[identity] = carried if known is None else _merged(known, carried)
    return list(by_identity.values())


def match_in(stored: Iterable[Paper], papers: Sequence[CarriedPaper]) -> list[str | None]:
    """Each carried paper's id among ``stored``: by arXiv id, else by title; None when
    none of them is that paper."""
    index = _Index(stored)
    return [index.find(carried) for carried in papers]


def match_papers(store: Store, papers: Sequence[CarriedPaper]) -> list[str | None]:
    """Each carried paper's id in the store, or None when the store does not hold it."""
    return match_in(store.papers(), papers)


def _digests(
    papers: Sequence[CarriedPaper], source: str, format: str, today: dt.date
) -> list[Digest]:
    """New papers as digests, one per date they list (today when they list none)."""
    by_date: defaultdict[dt.date, list[ParsedPaper]] = defaultdict(list)
    for carried in papers:
        parsed = ParsedPaper(carried.title, carried.abstract, carried.links, carried.line,
                             carried.meta)  # fmt: skip
        for day in carried.dates or (today,):
            by_date[day].append(parsed)
    return [Digest(day, tuple(by_date[day]), source, format=format) for day in sorted(by_date)]


def _note_holds(note: str, other: str) -> bool:
    return " ".join(other.split()) in " ".join(note.split())


def apply_carried(store: Store, carried: CarriedList, *, today: dt.date) -> CarryResult:
    """Add the file's papers the store lacks and apply its stars, tags and notes to the
    store's current user (see the module docstring). Raises ``StoreError`` when a write
    fails; what was written before it stays."""
    warnings = list(carried.warnings)
    papers = _distinct(carried.papers)
    ids = match_papers(store, papers)
    missing = [paper for paper, pid in zip(papers, ids, strict=True) if pid is None]
    added = 0
    if missing:
        results = store.import_digests(_digests(missing, carried.source, carried.format,
                                                today))  # fmt: skip
        added = sum(result.new for result in results)
        ids = match_papers(store, papers)
    starred: list[str] = []
    tag_groups: defaultdict[tuple[str, ...], list[str]] = defaultdict(list)
    noted = 0
    for paper, pid in zip(papers, ids, strict=True):
        if pid is None:  # the store refused it (no title after cleaning): nothing to mark
            warnings.append(f"{carried.source}: line {paper.line}: paper not imported")
            continue
        state = store.state(pid)
        if paper.starred and not state.starred:
            starred.append(pid)
        new_tags: list[str] = []
        for tag in paper.tags:
            try:
                name = normalize_tag(tag)
            except StoreError:
                warnings.append(f"{carried.source}: line {paper.line}: tag {tag[:40]!r} "
                                "skipped: a tag has 1 to 40 characters")  # fmt: skip
                continue
            if name not in state.tags and name not in new_tags:
                new_tags.append(name)
        if new_tags:
            tag_groups[tuple(new_tags)].append(pid)
        note = paper.note.strip()
        if note and not _note_holds(state.note, note):
            store.set_note(pid, f"{state.note.rstrip()}\n\n{note}" if state.note.strip()
                           else note)  # fmt: skip
            noted += 1
    if starred:
        store.set_starred(starred, True)
    for tags, tagged_ids in tag_groups.items():
        store.add_tags(tagged_ids, tags)
    return CarryResult(
        source=carried.source,
        format=carried.format,
        papers=len(papers),
        matched=len(papers) - len(missing),
        added=added,
        starred=len(starred),
        tagged=sum(len(group) for group in tag_groups.values()),
        noted=noted,
        warnings=tuple(warnings),
    )

"""Import planning: which papers of a batch of digests are new and which are known, and the
shard documents that record it.

A paper's identity is its arXiv id when known: the same id in two captures is one paper,
and a paper known by its title alone and the same title with an arXiv id are one paper
(its metadata merged by ``PaperMeta.merged``, its dates joined; the user's marks, keyed by
its id, stay). Otherwise a paper is known by its title key (``paper_key``).

Pure: the store holds its lock, passes in what it knows (ids by title key and by arXiv id,
shard months, papers) and writes what ``plan_import`` returns, each touched shard once.
The plan also says what the batch did to known papers, for the import history's undo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from paperterm.digest import paper_key
from paperterm.documents import (
    make_paper,
    meta_from_doc,
    meta_to_doc,
    paper_doc,
    paper_to_doc,
    with_date,
)
from paperterm.heap import no_gc
from paperterm.model import NO_META, Digest, Paper, ParsedPaper, arxiv_key

Doc = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one digest did: counts, the digest's warnings and the new papers' ids.

    ``new + known == len(digest.papers)``: a paper repeated within the digest counts as
    known. ``refreshed`` counts the known papers whose metadata the digest changed.
    """

    source: str
    date: dt.date
    new: int
    known: int
    warnings: tuple[str, ...] = ()
    new_ids: tuple[str, ...] = ()
    refreshed: int = 0
    format: str = "plain"


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The documents to write (shard month -> paper id -> document, months in order, only
    those with a change) and one result per digest.

    For the import history: ``added`` (the new papers' ids), ``dated`` (paper id -> the
    digest dates the batch gave it, new papers included) and ``changed`` (known paper id ->
    stored field -> ``[before, after]``, for the fields the batch changed: ``meta``,
    ``abstract``, ``links``).
    """

    writes: dict[str, dict[str, Doc]]
    results: list[ImportResult]
    added: tuple[str, ...] = ()
    dated: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    built: dict[str, Paper] = field(default_factory=dict)
    """The new papers as their written documents describe them, so that the store need not
    rebuild them from those documents."""


def plan_import(
    digests: Sequence[Digest],
    *,
    id_of_key: Mapping[str, str],
    month_of: Mapping[str, str],
    papers: Mapping[str, Paper],
    new_id: Callable[[str, Container[str]], str],
    id_of_arxiv: Mapping[str, str] | None = None,
) -> ImportPlan:
    """Plan importing ``digests`` in turn, as one digest after another would.

    A paper known by its arXiv id (``id_of_arxiv``, keyed by ``arxiv_key``) or its title
    key (``id_of_key``; unless that paper has another arXiv id), or new earlier in the
    batch, gets the digest's date in the shard it lives in (``month_of``), its metadata
    merged and an empty abstract filled;
    a new one gets ``new_id(key, ids new in this batch)`` and goes to the shard of the
    digest's month. Re-importing a digest plans no write.
    """
    with no_gc():  # several new containers per paper, none cyclic: no collection walks them
        return _plan(digests, id_of_key, month_of, papers, new_id, id_of_arxiv or {})


def _plan(
    digests: Sequence[Digest],
    id_of_key: Mapping[str, str],
    month_of: Mapping[str, str],
    papers: Mapping[str, Paper],
    new_id: Callable[[str, Container[str]], str],
    by_arxiv: Mapping[str, str],
) -> ImportPlan:
    pending: dict[str, dict[str, Doc]] = {}  # shard month -> id -> new doc
    new_month: dict[str, str] = {}  # id -> shard month of the papers new in this batch
    fresh: dict[str, str] = {}  # key -> id of the papers new in this batch
    fresh_arxiv: dict[str, str] = {}  # arXiv id -> id of the papers new in this batch
    dated: dict[str, list[str]] = {}
    changed: dict[str, dict[str, list[Any]]] = {}
    results: list[ImportResult] = []
    built: dict[str, Paper] = {}

    def current(pid: str) -> tuple[dict[str, Doc], Doc]:
        """The shard of ``pid`` and its document as the batch has it so far."""
        shard = pending.setdefault(new_month.get(pid) or month_of[pid], {})
        return shard, shard.get(pid) or paper_to_doc(papers[pid], paper_key(papers[pid].title))

    def identify(key: str, arxiv: str) -> str | None:
        if arxiv and (pid := fresh_arxiv.get(arxiv) or by_arxiv.get(arxiv)):
            return pid
        pid = fresh.get(key) or id_of_key.get(key)
        if pid is None or not arxiv:
            return pid
        other = arxiv_key((current(pid)[1].get("meta") or {}).get("arxiv") or "")
        return None if other and other != arxiv else pid  # same title, another paper

    for digest in digests:
        day, month = digest.date.isoformat(), f"{digest.date:%Y-%m}"
        dates = (digest.date,)  # one tuple for every new paper of the digest
        new_ids: list[str] = []
        known = refreshed = 0
        for index, parsed in enumerate(digest.papers):
            key = paper_key(parsed.title)
            meta = parsed.meta
            arxiv = arxiv_key(meta.arxiv_id) if meta.arxiv_id else ""
            pid = identify(key, arxiv)
            if pid is None:
                pid = new_id(key, new_month)
                fresh.setdefault(key, pid)
                if arxiv:
                    fresh_arxiv[arxiv] = pid
                new_month[pid] = month
                doc = pending.setdefault(month, {})[pid] = paper_doc(
                    parsed.title, parsed.abstract, parsed.links, [day], index, key, meta
                )
                if _round_trips(parsed):
                    built[pid] = make_paper(
                        pid, parsed.title, parsed.abstract, parsed.links, dates, index,
                        meta if "meta" in doc else NO_META,  # equal metadata, one instance
                    )
                new_ids.append(pid)
                dated[pid] = [day]
                continue
            known += 1
            shard, doc = current(pid)
            dirty = False
            if (seen := with_date(doc, day, index)) is not None:
                doc, dirty = seen, True
                dated.setdefault(pid, []).append(day)
            updated = _refreshed(doc, parsed)
            if updated is not doc:
                dirty = True
                refreshed += 1
                if pid not in new_month:
                    record = changed.setdefault(pid, {})
                    for name in ("meta", "abstract", "links"):
                        if updated.get(name) != doc.get(name):
                            record.setdefault(name, [doc.get(name), None])[1] = updated.get(name)
                doc = updated
            if dirty:
                shard[pid] = doc
                built.pop(pid, None)  # its document changed: the store reads that one
        results.append(ImportResult(
            digest.source, digest.date, len(new_ids), known, digest.warnings, tuple(new_ids),
            refreshed, digest.format,
        ))  # fmt: skip
    writes = {month: docs for month, docs in sorted(pending.items()) if docs}
    added = tuple(new_month)
    return ImportPlan(writes, results, added, dated, changed, built)


def _round_trips(parsed: ParsedPaper) -> bool:
    """True when ``parsed``'s fields are what its stored document gives back (its document
    leaves out an empty string where a field is optional, and stores tuples as lists)."""
    meta = parsed.meta
    return (
        type(parsed.links) is tuple
        and type(meta.authors) is tuple
        and type(meta.ai_keywords) is tuple
        and "" not in (meta.arxiv_id, meta.github_repo, meta.project_page)
    )


def _refreshed(doc: Doc, parsed: ParsedPaper) -> Doc:
    """``doc`` with ``parsed``'s metadata merged in and an empty abstract filled (with its
    links); ``doc`` itself when nothing changes."""
    updates: Doc = {}
    if not parsed.meta.is_empty:
        old = meta_from_doc(doc.get("meta"))
        merged = old.merged(parsed.meta)
        if merged != old:
            updates["meta"] = meta_to_doc(merged)
    if not doc["abstract"].strip() and parsed.abstract.strip():
        updates["abstract"] = parsed.abstract
        updates["links"] = [[link.url, link.kind] for link in parsed.links]
    return dict(doc, **updates) if updates else doc

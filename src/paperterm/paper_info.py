"""What a paper's metadata looks like to a reader: shortened author lists, the facts line
``list``/``show``/the detail pane print, and every link a paper has.

Pure text; the callers sanitize what they print (author names come from captures).
"""

from __future__ import annotations

import re

from paperterm.model import Link, Paper, PaperMeta
from paperterm.text import plural

ARXIV_ID = re.compile(r"(?:[0-9]{4}\.[0-9]{4,5}|[a-z][a-z.\-]{1,20}/[0-9]{7})(?:v[0-9]{1,3})?")
"""An arXiv identifier: ``2609.01234`` (or ``0704.0001``), ``hep-th/9901001``, a version
suffix allowed. Only such an id is made into arXiv and Hugging Face links."""

AUTHORS_SHOWN = 2
"""How many authors a shortened list names before "… +N"."""


def short_authors(authors: tuple[str, ...], shown: int = AUTHORS_SHOWN) -> str:
    """``"A. Smith, B. Jones, … +6"``: the first ``shown`` names and how many more; every
    name when at most one more would be left out (``"+1"`` saves nothing)."""
    names = [" ".join(name.split()) for name in authors]
    names = [name for name in names if name]
    if len(names) <= shown + 1:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f", … +{len(names) - shown}"


def upvotes_text(upvotes: int) -> str:
    """``"1 upvote"``, ``"42 upvotes"``."""
    return plural(upvotes, "upvote")


def meta_facts(meta: PaperMeta) -> list[tuple[str, str]]:
    """The metadata worth a line, as (label, value) pairs, in display order; empty when
    nothing is known. Authors shortened; links are ``paper_links``' business."""
    facts: list[tuple[str, str]] = []
    if meta.authors:
        facts.append(("Authors", short_authors(meta.authors)))
    if meta.upvotes is not None:
        facts.append(("Upvotes", str(meta.upvotes)))
    if meta.published is not None:
        facts.append(("Published", meta.published.isoformat()))
    if meta.arxiv_id:
        facts.append(("arXiv", meta.arxiv_id))
    if meta.github_stars is not None and meta.github_repo:
        facts.append(("GitHub stars", str(meta.github_stars)))
    if meta.ai_keywords:
        facts.append(("Keywords", ", ".join(meta.ai_keywords)))
    return facts


def paper_links(paper: Paper) -> tuple[Link, ...]:
    """Every link of ``paper``: its GitHub repository and project page when known (unless
    its abstract already links them), the abstract's links, then its arXiv and Hugging Face
    pages (when its arXiv id is one, see ``ARXIV_ID``). What the reader's link picker
    offers, ``show`` numbers and the Markdown export writes."""
    meta = paper.meta
    seen = {link.url.rstrip("/") for link in paper.links}
    first: list[Link] = []
    if meta.github_repo and meta.github_repo.rstrip("/") not in seen:
        first.append(Link(meta.github_repo, "code"))
    if meta.project_page and meta.project_page.rstrip("/") not in seen:
        first.append(Link(meta.project_page, "project"))
    last: list[Link] = []
    if meta.arxiv_url and meta.hf_url and ARXIV_ID.fullmatch(meta.arxiv_id or ""):
        last += [Link(meta.arxiv_url, "arxiv"), Link(meta.hf_url, "hf")]
    return (*first, *paper.links, *last)

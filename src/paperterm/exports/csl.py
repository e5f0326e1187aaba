"""CSL JSON, the bibliography data of pandoc, citeproc and Zotero: a JSON array of items.

One item per paper, of type ``article`` (what CSL and Zotero use for a preprint)::

    {"id": "jiang2025verltool", "type": "article", "title": "VerlTool: ...",
     "author": [{"family": "Jiang", "given": "Dongfu"}],
     "issued": {"date-parts": [[2025, 9, 1]]}, "abstract": "...",
     "publisher": "arXiv", "number": "arXiv:2509.01055", "DOI": "10.48550/arXiv.2509.01055",
     "URL": "https://arxiv.org/abs/2509.01055", "keyword": "rl, agents", "note": "..."}

Names follow the CSL schema: ``family``/``given``, a lower-case particle as
``non-dropping-particle`` (``van der``), a ``suffix``, or a ``literal`` for a name that
cannot be split. The ids are the BibTeX citation keys, so ``pandoc --citeproc`` cites
``@jiang2025verltool`` with either file. JSON does its own escaping; the text is cleaned of
control characters first, and non-ASCII is written as is (UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from paperterm.exports.bibtex import citation_keys
from paperterm.exports.common import (
    arxiv_id_of,
    clean_line,
    clean_text,
    paper_date,
    paper_title,
    paper_url,
    split_name,
    tags_of,
)
from paperterm.model import Entry

__all__ = ["csl_item", "export_csl_json"]


def _csl_name(raw: str) -> dict[str, str]:
    name = split_name(raw)
    if name.literal:
        return {"literal": name.literal}
    out = {"family": name.family}
    if name.given:
        out["given"] = name.given
    if name.particle:
        out["non-dropping-particle"] = name.particle
    if name.suffix:
        out["suffix"] = name.suffix
    return out


def csl_item(entry: Entry, key: str) -> dict[str, Any]:
    """The CSL JSON item for ``entry`` with id ``key``."""
    paper = entry.paper
    item: dict[str, Any] = {"id": key, "type": "article", "title": paper_title(paper)}
    authors = [_csl_name(name) for name in paper.meta.authors if clean_line(name)]
    if authors:
        item["author"] = authors
    parts = [part for part in paper_date(paper) if part is not None]
    item["issued"] = {"date-parts": [parts]}
    abstract = clean_text(paper.abstract)
    if abstract:
        item["abstract"] = abstract
    arxiv = arxiv_id_of(paper)
    if arxiv:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{arxiv}"
        item["DOI"] = f"10.48550/arXiv.{arxiv}"
    url = paper_url(paper)
    if url:
        item["URL"] = url
    tags = tags_of(entry)
    if tags:
        item["keyword"] = ", ".join(tags)
    note = clean_text(entry.state.note)
    if note:
        item["note"] = note
    return item


def export_csl_json(entries: Sequence[Entry]) -> str:
    """The entries as a CSL JSON array, indented, ending in a newline."""
    keys = citation_keys(entries)
    items = [csl_item(entry, key) for entry, key in zip(entries, keys, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"

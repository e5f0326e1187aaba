"""RIS, the tagged format Zotero, Mendeley and EndNote import, written by rispy.

One ``UNPB`` (unpublished work: a preprint) record per paper::

    TY  - UNPB
    ID  - jiang2025verltool
    TI  - VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use
    AU  - Jiang, Dongfu
    PY  - 2025
    DA  - 2025/09/01/
    AB  - Reinforcement learning with verifiable rewards ...
    DO  - 10.48550/arXiv.2509.01055
    UR  - https://arxiv.org/abs/2509.01055
    PB  - arXiv
    KW  - rl
    N1  - Compare with ReTool before Friday.
    ER  -

RIS has no escaping: a line is a tag, two spaces, a dash, a space and the value, and a
value holding a newline would start a new tag (``ER  -`` ends the record). So every value
is one line (``sanitize(..., single_line=True)``): paragraphs of an abstract are joined by
a space, and nothing in a title or note can begin a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import rispy

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

__all__ = ["export_ris", "ris_record"]


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's RIS writer without its ``1.``, ``2.`` counter lines (not RIS), records
    separated by a blank line."""

    SEPARATOR = ""

    def set_header(self, count: int) -> str:
        return ""


def _ris_name(raw: str) -> str:
    name = split_name(raw)
    if name.literal:
        return name.literal
    parts = [name.family_full, name.given] if name.given else [name.family_full]
    if name.suffix:
        parts.append(name.suffix)
    return ", ".join(parts)


def ris_record(entry: Entry, key: str) -> dict[str, Any]:
    """The rispy record (tag names as rispy's keys) for ``entry`` with citation key ``key``."""
    paper = entry.paper
    year, month, day = paper_date(paper)
    record: dict[str, Any] = {
        "type_of_reference": "UNPB",
        "id": key,
        "title": paper_title(paper),
    }
    authors = [_ris_name(name) for name in paper.meta.authors if clean_line(name)]
    if authors:
        record["authors"] = authors
    record["year"] = str(year)
    if month is not None:
        record["date"] = f"{year:04d}/{month:02d}/{'' if day is None else f'{day:02d}'}/"
    abstract = " ".join(clean_text(paper.abstract).split())
    if abstract:
        record["abstract"] = abstract
    arxiv = arxiv_id_of(paper)
    if arxiv:
        record["doi"] = f"10.48550/arXiv.{arxiv}"
    url = paper_url(paper)
    if url:
        record["urls"] = [url]
    if arxiv:
        record["publisher"] = "arXiv"
    tags = tags_of(entry)
    if tags:
        record["keywords"] = tags
    note = clean_line(entry.state.note)
    if note:
        record["notes"] = [note]
    return record


def export_ris(entries: Sequence[Entry]) -> str:
    """The entries as an RIS file (UTF-8 text, LF line ends)."""
    if not entries:
        return ""
    keys = citation_keys(entries)
    records = [ris_record(entry, key) for entry, key in zip(entries, keys, strict=True)]
    text: str = rispy.dumps(records, implementation=_Writer)
    return text

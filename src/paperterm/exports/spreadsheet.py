"""CSV for spreadsheets: a header row, then one row per paper.

Columns: ``id, title, authors, arxiv_id, url, code, published, dates, starred, read,
tags, note, abstract``. Lists (authors, dates, tags) are joined with ``; ``; dates are ISO;
``starred``/``read`` are ``true``/``false``. The file is RFC 4180 quoting (the ``csv``
module's) with LF row ends, which every spreadsheet reads, rather than CRLF: a carriage
return printed to a terminal (``paperterm export --format csv`` with no ``-o``) moves the
cursor, and none may reach one. UTF-8 with a byte-order mark, which Excel needs to read
UTF-8.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be a
formula to Excel, LibreOffice and Google Sheets (CSV injection): such text cells get a
leading ``'``, which spreadsheets show as text. Newlines inside a note or an abstract stay
(quoted, as CSV allows); control characters are removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from paperterm.exports.common import (
    arxiv_id_of,
    clean_line,
    clean_text,
    code_url,
    paper_title,
    paper_url,
    tags_of,
)
from paperterm.model import Entry

__all__ = ["CSV_COLUMNS", "csv_row", "export_csv"]

CSV_COLUMNS = (
    "id", "title", "authors", "arxiv_id", "url", "code", "published", "dates", "starred",
    "read", "tags", "note", "abstract",
)  # fmt: skip
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text as a cell no spreadsheet evaluates."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_row(entry: Entry) -> list[str]:
    """The CSV cells of one entry, in ``CSV_COLUMNS`` order."""
    paper, state = entry.paper, entry.state
    published = paper.meta.published
    return [
        _cell(clean_line(paper.id)),
        _cell(paper_title(paper)),
        _cell("; ".join(name for raw in paper.meta.authors if (name := clean_line(raw)))),
        arxiv_id_of(paper) or "",
        paper_url(paper) or "",
        code_url(paper) or "",
        published.isoformat() if published else "",
        "; ".join(day.isoformat() for day in paper.dates),
        "true" if state.starred else "false",
        "true" if state.read else "false",
        _cell("; ".join(tags_of(entry))),
        _cell(clean_text(state.note)),
        _cell(clean_text(paper.abstract)),
    ]


def export_csv(entries: Sequence[Entry]) -> str:
    """The entries as CSV text (with its BOM; see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(entry))
    return BOM + out.getvalue()

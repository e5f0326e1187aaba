"""The naive baselines the benchmark measures paperterm against, in the same run.

* store: TinyDB with its default ``JSONStorage``, every paper and its state in one table of
  one file (``naive.json``);
* reader: a Textual app filling a ``DataTable`` with every row, timed to its first paint;
* search: ``rapidfuzz.process.extract`` over every title + abstract.

Run as a script it is the baseline's processes: ``naive.py list DB QUERY`` (load, search,
print) and ``naive.py tui DB`` (the DataTable reader, which appends ``first_screen`` to the
``PAPERTERM_PROBE`` file after its first paint and quits).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils
from tinydb import TinyDB

LIMIT = 50


def paper_doc(paper: Any, state: dict[str, Any]) -> dict[str, Any]:
    """One row of the naive table: a paper and its state together."""
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "links": [[link.url, link.kind] for link in paper.links],
        "dates": [d.isoformat() for d in paper.dates],
        "starred": state.get("starred", False),
        "read": state.get("read", False),
        "tags": state.get("tags", []),
        "note": "",
    }


def import_all(path: Path, docs: Sequence[dict[str, Any]]) -> None:
    """Insert every document into a fresh TinyDB file (one write: the baseline's best case)."""
    db = TinyDB(path)
    db.table("papers").insert_multiple(docs)
    db.close()


def toggle_star(path: Path, paper_id: str) -> None:
    """Star one paper: TinyDB reads and rewrites the whole file."""
    from tinydb import Query

    db = TinyDB(path)
    table = db.table("papers")
    doc = table.get(Query().id == paper_id)
    assert isinstance(doc, dict)
    table.update({"starred": not doc["starred"]}, Query().id == paper_id)
    db.close()


def haystacks(path: Path) -> list[str]:
    db = TinyDB(path)
    rows = db.table("papers").all()
    db.close()
    return [row["title"] + "\n" + row["abstract"] for row in rows]


def search(choices: Sequence[str], query: str) -> list[tuple[str, float, int]]:
    """The baseline search: the best ``LIMIT`` fuzzy matches (rapidfuzz WRatio)."""
    return process.extract(query, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                           limit=LIMIT)  # fmt: skip


def _list(db_path: Path, query: str) -> None:
    for text, score, _ in search(haystacks(db_path), query):
        sys.stdout.write(f"{score:5.1f} {text.partition(chr(10))[0]}\n")


def _tui(db_path: Path) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    db = TinyDB(db_path)
    rows = db.table("papers").all()
    probe = os.environ.get("PAPERTERM_PROBE", "")

    class NaiveReader(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table: DataTable[str] = self.query_one(DataTable)
            table.add_columns("", "date", "title")
            table.add_rows(
                ("★" if row["starred"] else " ", row["dates"][-1], row["title"]) for row in rows
            )
            self.call_after_refresh(self.painted)

        def painted(self) -> None:
            if probe:
                with Path(probe).open("a") as out:
                    out.write(f"first_screen {time.time():.6f}\n")
            self.exit()

    NaiveReader().run()


if __name__ == "__main__":
    if sys.argv[1] == "list":
        _list(Path(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "tui":
        _tui(Path(sys.argv[2]))
    else:
        raise SystemExit(f"usage: {sys.argv[0]} list DB QUERY | tui DB")

"""Write ``tests/fixtures/store-v1/``: a small store as paperterm's schema-1 release wrote it.

Run once, with the release that writes schema 1 (commit e6b09c8), from the repository root:
``python scripts/make_store_fixture.py``. The files it writes are committed; the schema
upgrade test (``tests/test_store_upgrade.py``) opens a copy and checks that every paper,
date, star, tag, read mark, note and preference is still there. Running it with a later
paperterm would write that paperterm's schema instead, so it refuses to.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from paperterm.digest import parse_digest
from paperterm.store import SCHEMA_VERSION, Store

TARGET = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "store-v1"

DIGESTS = [
    (
        dt.date(2026, 9, 29),
        "Sparse Mixtures of Tiny Experts\n\nWe route tokens to tiny experts. "
        "Code: https://github.com/example/tiny-experts\n\n"
        "Diffusion Without Noise\n\nA deterministic view of diffusion models.\n\n"
        "Long Context by Forgetting\n\nWe forget on purpose to remember longer.\n",
    ),
    (
        dt.date(2026, 9, 30),
        "Diffusion Without Noise\n\nA deterministic view of diffusion models.\n\n"
        "Agents That Read Manuals\n\nTool-using agents read documentation first. "
        "Project page: https://example.org/manuals\n",
    ),
    (
        dt.date(2026, 10, 2),
        "Vision Transformers at Small Scale\n\nViTs trained on a laptop.\n\n"
        "Long Context by Forgetting\n\nWe forget on purpose to remember longer.\n\n"
        "Speech Tokens for Everyone\n\nA tokenizer for speech in 40 languages.\n",
    ),
]


def main() -> int:
    """Write the fixture store; refuse unless this paperterm writes schema 1."""
    if SCHEMA_VERSION != 1:
        print(f"this paperterm writes schema {SCHEMA_VERSION}, not 1", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    with Store.open(TARGET, "alice") as store:
        for day, text in DIGESTS:
            store.import_digest(parse_digest(text, source=f"{day}.txt", date_override=day))
        ids = {p.title: p.id for p in store.papers()}
        store.set_starred([ids["Diffusion Without Noise"], ids["Agents That Read Manuals"]], True)
        store.add_tags([ids["Diffusion Without Noise"]], ["generative", "to-read"])
        store.set_read([ids["Sparse Mixtures of Tiny Experts"]], True)
        store.set_note(ids["Long Context by Forgetting"], "Compare with the\nmemory paper.")
        store.set_pref("query", "is:starred")
        store.set_pref("theme", "textual-light")
    with Store.open(TARGET, "bob") as store:
        store.set_starred([ids["Speech Tokens for Everyone"]], True)
        store.add_tags([ids["Vision Transformers at Small Scale"]], ["vision"])
        store.set_note(ids["Agents That Read Manuals"], "bob's note")
        store.set_pref("query", "tag:vision")
    for leftover in [*TARGET.rglob("*.bak"), TARGET / ".lock"]:
        leftover.unlink(missing_ok=True)  # last good copies and the lock are not the store
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the SVG screenshots in screenshots/ from the bundled sample digests.

    python scripts/screenshots.py [OUTPUT_DIR]

Each picture is taken from a scripted session (real key presses through Textual's Pilot)
on a throwaway store, so the images always match the current UI.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from paperterm.digest import read_digest_file
from paperterm.paths import sample_digest_paths
from paperterm.store import Store
from paperterm.triage import Triage
from paperterm.tui.app import PapertermApp

ROOT = Path(__file__).resolve().parents[1]
WIDE = (120, 34)
NARROW = (80, 24)


def _prepare(data_dir: Path) -> Store:
    store = Store.open(data_dir, "alice")
    for path in sample_digest_paths():
        store.import_digest(read_digest_file(path))
    papers = store.papers()
    store.set_starred([papers[1].id, papers[4].id], True)
    store.set_read([p.id for p in papers[5:9]], True)
    store.add_tags([papers[1].id], ["memory", "to-read"])
    store.add_tags([papers[4].id], ["rl"])
    return store


async def _shoot(out: Path) -> list[Path]:
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="paperterm-shots-") as scratch:
        store = _prepare(Path(scratch))

        async def session(size: tuple[int, int], name: str, keys: list[str]) -> None:
            app = PapertermApp(Triage(store), copier=lambda _text: None, opener=lambda _url: None,
                               poll_seconds=3600)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
                app.clear_notifications()
                await pilot.pause()
                path = out / f"{name}.svg"
                app.save_screenshot(filename=path.name, path=str(out))
                written.append(path)

        await session(WIDE, "main", ["j"])
        await session(WIDE, "search", ["slash", *"continual learning", "enter"])
        await session(WIDE, "detail", ["escape", "escape", "j", "enter"])
        await session(WIDE, "tags", ["escape", "t", "r"])
        await session(WIDE, "help", ["escape", "question_mark"])
        await session(NARROW, "narrow", ["escape"])
        await session(WIDE, "related", ["escape", "j", "R"])
        await session(WIDE, "export", ["escape", "x"])
        store.close()
    return written


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(_shoot(out)):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

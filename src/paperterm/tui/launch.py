"""Start the TUI: open (or, for ``--demo``, make) the store, then run the app."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from paperterm.paths import config_file, keymap_file, sample_digest_paths
from paperterm.triage import Triage

FPS = "120"
"""Textual's frame rate unless ``TEXTUAL_FPS`` says otherwise. Textual paints at most that
many frames a second and reads the variable when first imported, so it is set before the
app is imported. At the default of 60 a search's results typed in the reader often waited
for the next frame and the one after; frames are painted only when something changed, so an
idle reader costs nothing more."""


def launch(*, data_dir: Path, user: str, demo: bool = False) -> int:
    """Run the reader until the user quits; returns the exit code."""
    os.environ.setdefault("TEXTUAL_FPS", FPS)
    # Textual is imported from here on, after the frame rate is set
    from paperterm.tui.fetching import load_fetch_on_start
    from paperterm.tui.keymap import load_keymap

    keymap = load_keymap(keymap_file())
    if demo:  # a throwaway store of the samples: no fetch unless asked (F)
        from paperterm.digest import read_digest_file

        with tempfile.TemporaryDirectory(prefix="paperterm-demo-") as scratch:
            session = Triage.open(Path(scratch), user)
            for path in sample_digest_paths():
                session.import_digest(read_digest_file(path))
            return _run(session, keymap)
    # The newest shards only: the first screen shows at once; the main screen loads the
    # rest (and the search index) in a worker. The abstracts wait on disk until shown: they
    # are most of a large store, and the reader shows one at a time.
    fetch_on_start = load_fetch_on_start(config_file())
    session = Triage.open(data_dir, user, eager=False, shelve=True)
    return _run(session, keymap, fetch_on_start=fetch_on_start)


def _run(session: Triage, keymap: dict[str, str], *, fetch_on_start: bool = False) -> int:
    from paperterm.tui.app import PapertermApp

    with session:
        app = PapertermApp(session, keymap=keymap, fetch_on_start=fetch_on_start)
        app.run()
    return app.return_code or 0

"""Start the TUI: open (or, for ``--demo``, make) the store, then run the app."""

from __future__ import annotations

import tempfile
from pathlib import Path

from paperterm.paths import keymap_file, sample_digest_paths
from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.keymap import load_keymap


def launch(*, data_dir: Path, user: str, demo: bool = False) -> int:
    """Run the reader until the user quits; returns the exit code."""
    keymap = load_keymap(keymap_file())
    if demo:
        from paperterm.digest import read_digest_file

        with tempfile.TemporaryDirectory(prefix="paperterm-demo-") as scratch:
            store = Store.open(Path(scratch), user)
            for path in sample_digest_paths():
                store.import_digest(read_digest_file(path))
            return _run(store, keymap)
    # The newest shards only: the first screen shows at once; the app loads the rest (and
    # the search index) in a worker.
    return _run(Store.open(data_dir, user, eager=False), keymap)


def _run(store: Store, keymap: dict[str, str]) -> int:
    with store:
        # Read the preferences before taking over the terminal: a corrupt prefs.json is then
        # the CLI's one-line error, not a traceback inside the app.
        store.get_pref("theme")
        app = PapertermApp(store, keymap=keymap)
        app.run()
    return app.return_code or 0

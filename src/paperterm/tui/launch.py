"""Start the TUI: open (or, for ``--demo``, make) the store, then run the app."""

from __future__ import annotations

import tempfile
from pathlib import Path

from paperterm.paths import config_file, keymap_file, sample_digest_paths
from paperterm.store import Store
from paperterm.tui.app import PapertermApp
from paperterm.tui.fetching import load_fetch_on_start
from paperterm.tui.keymap import load_keymap


def launch(*, data_dir: Path, user: str, demo: bool = False) -> int:
    """Run the reader until the user quits; returns the exit code."""
    keymap = load_keymap(keymap_file())
    if demo:  # a throwaway store of the samples: no fetch unless asked (F)
        from paperterm.digest import read_digest_file

        with tempfile.TemporaryDirectory(prefix="paperterm-demo-") as scratch:
            store = Store.open(Path(scratch), user)
            for path in sample_digest_paths():
                store.import_digest(read_digest_file(path))
            return _run(store, keymap)
    # The newest shards only: the first screen shows at once; the app loads the rest (and
    # the search index) in a worker.
    fetch_on_start = load_fetch_on_start(config_file())
    return _run(Store.open(data_dir, user, eager=False), keymap, fetch_on_start=fetch_on_start)


def _run(store: Store, keymap: dict[str, str], *, fetch_on_start: bool = False) -> int:
    with store:
        # Read the preferences before taking over the terminal: a corrupt prefs.json is then
        # the CLI's one-line error, not a traceback inside the app.
        store.get_pref("theme")
        app = PapertermApp(store, keymap=keymap, fetch_on_start=fetch_on_start)
        app.run()
    return app.return_code or 0

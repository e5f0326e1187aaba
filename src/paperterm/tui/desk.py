"""What the reader's screens use of the outside world: clipboard, browser, key names and the
start-up probe. The app makes one and hands it to its screens; it imports no screen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from paperterm.errors import ClipboardError
from paperterm.tui.keymap import binding_keys
from paperterm.tui.probe import Probe

Copier = Callable[[str], None]
Opener = Callable[[str], None]


def open_in_browser(url: str) -> None:
    """Open ``url`` in a graphical browser; refuse where only a console browser could run,
    since lynx or w3m would take over the terminal the reader is drawing on."""
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        raise RuntimeError("no graphical display (DISPLAY is not set)")
    import webbrowser  # here: most sessions never open a link, and it is slow to import

    if not webbrowser.open(url, new=2):
        raise RuntimeError("no browser found")


@dataclass
class Desk:
    """The app's side effects, for screens: each reports what it did in a toast."""

    app: App[None]
    copier: Copier
    opener: Opener
    scopes: Callable[[], Mapping[str, list[Binding]]]  # bindings.binding_scopes
    keymap: dict[str, str] = field(default_factory=dict)
    export_dir: Path | None = None
    probe: Probe | None = None

    def copy_text(self, text: str, label: str | None = None) -> None:
        """Copy to the system clipboard, else to the terminal's (OSC 52); say which, naming
        what was copied by ``label`` when given (a BibTeX entry is too long to show)."""
        try:
            self.copier(text)
            where = "clipboard"
        except ClipboardError:
            where = "terminal clipboard (OSC 52)"
        # Always keep it in the app too: OSC 52 for remote sessions, `app.clipboard` for tests.
        self.app.copy_to_clipboard(text)
        self.app.notify(f"Copied to {where}: {label or text}", timeout=4)

    def open_link(self, url: str) -> None:
        """Open an http(s) link in the browser; anything else is refused."""
        if not url.startswith(("https://", "http://")):
            self.app.notify(f"Refusing to open a non-web link: {url[:60]}", severity="warning")
            return
        try:
            self.opener(url)
        except Exception as error:  # webbrowser may raise anything a browser launcher does
            self.app.notify(f"Could not open a browser ({error}); copying the link instead.",
                            severity="warning")  # fmt: skip
            self.copy_text(url)
            return
        self.app.notify(f"Opened {url}", timeout=3)

    def key_display(self, binding_id: str) -> str:
        """The (first) key of binding ``binding_id`` as the footer shows it, keymap applied."""
        for bindings in self.scopes().values():
            for binding in bindings:
                if binding.id == binding_id:
                    key = binding_keys(binding, self.keymap)[0]
                    return self.app.get_key_display(Binding(key, binding.action))
        raise KeyError(binding_id)

    def probed(self, event: str) -> None:
        """Tell the benchmark's probe (when there is one) that ``event`` happened."""
        if self.probe is not None:
            self.probe(event)

"""The optional keymap file: rebinding keys by binding id.

``keymap.toml`` in the config dir (``$PAPERTERM_CONFIG_DIR`` or the platform's)::

    [keymap]
    "main.star" = "f"
    "list.down" = "j,down,ctrl+n"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from paperterm.errors import PapertermError


def load_keymap(path: Path) -> dict[str, str]:
    """Binding id → comma-separated keys; a missing file is an empty keymap."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise PapertermError(f"{path}: cannot read keymap: {error.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PapertermError(f"{path}: invalid keymap file: {error}") from None
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        raise PapertermError(f"{path}: [keymap] must be a table of binding id = \"keys\"")
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            raise PapertermError(f"{path}: keymap entry {binding_id!r} must be a non-empty string")
        keymap[str(binding_id)] = keys
    return keymap

"""The optional keymap file: rebinding keys by binding id.

``keymap.toml`` in the config dir (``$PAPERTERM_CONFIG_DIR`` or the platform's)::

    [keymap]
    "main.star" = "f"
    "list.down" = "j,down,ctrl+n"
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from textual.binding import Binding

from paperterm.errors import PapertermError
from paperterm.tui.toml_file import read_toml


def load_keymap(path: Path) -> dict[str, str]:
    """Binding id → comma-separated keys; a missing file is an empty keymap."""
    data = read_toml(path, "keymap file")
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        raise PapertermError(f"{path}: [keymap] must be a table of binding id = \"keys\"")
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            raise PapertermError(f"{path}: keymap entry {binding_id!r} must be a non-empty string")
        keymap[str(binding_id)] = keys
    return keymap


def binding_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys ``binding`` answers to once ``keymap`` is applied."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [key.strip() for key in keys.split(",") if key.strip()]


def keymap_warnings(keymap: Mapping[str, str],
                    scopes: Mapping[str, Sequence[Binding]]) -> list[str]:
    """One line per keymap entry that names no binding, or that binds a key another binding
    active at the same time (one scope: a screen and its focused widget) already has."""
    known = {binding.id for bindings in scopes.values() for binding in bindings if binding.id}
    warnings = [f"keymap.toml: unknown binding id {binding_id!r}, ignored"
                for binding_id in keymap if binding_id not in known]
    for bindings in scopes.values():
        owner: dict[str, Binding] = {}
        for binding in bindings:
            for key in binding_keys(binding, keymap):
                other = owner.setdefault(key, binding)
                if other is binding or other.action == binding.action:
                    continue
                rebound = binding if binding.id in keymap else other
                if rebound.id not in keymap:
                    continue  # a clash of the defaults themselves is not the user's
                clash = other if rebound is binding else binding
                line = (f"keymap.toml: {rebound.id!r} = {key!r} clashes with "
                        f"{clash.id or clash.action!r} ({clash.description or clash.action})")
                if line not in warnings:
                    warnings.append(line)
    return warnings

"""The reader's TOML files (``keymap.toml``, ``config.toml``), read one way."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from paperterm.errors import PapertermError


def read_toml(path: Path, kind: str) -> dict[str, Any]:
    """The parsed file, or ``{}`` when it does not exist; PapertermError, one line naming
    the file and ``kind`` (``"keymap file"``), when it cannot be read or is not TOML."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise PapertermError(f"{path}: cannot read {kind}: {error.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PapertermError(f"{path}: invalid {kind}: {error}") from None

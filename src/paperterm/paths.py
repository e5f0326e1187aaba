"""Every path and per-user name paperterm uses, resolved lazily in one place.

Nothing is created at import time: callers ask for a directory and the function creates it.
Precedence for each setting: command-line flag, then environment variable, then default.
"""

from __future__ import annotations

import getpass
import os
import re
from importlib import resources
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from paperterm.errors import PapertermError

APP_NAME = "paperterm"
DATA_DIR_ENV = "PAPERTERM_DATA_DIR"
USER_ENV = "PAPERTERM_USER"
CONFIG_DIR_ENV = "PAPERTERM_CONFIG_DIR"
CACHE_DIR_ENV = "PAPERTERM_CACHE_DIR"

_USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_NOT_IN_USER_NAME = re.compile(r"[^A-Za-z0-9._-]")


def resolve_data_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    """The store's directory: ``--data-dir``, else ``$PAPERTERM_DATA_DIR``, else platformdirs."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_config_dir() -> Path:
    """Where the keymap file lives: ``$PAPERTERM_CONFIG_DIR``, else platformdirs."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False))


def keymap_file() -> Path:
    """The optional TOML file that rebinds keys (``[keymap]`` table of binding id to keys)."""
    return resolve_config_dir() / "keymap.toml"


def config_file() -> Path:
    """The optional TOML file of reader settings (``fetch_on_start = true``)."""
    return resolve_config_dir() / "config.toml"


def resolve_cache_dir() -> Path:
    """Where re-creatable downloads live: ``$PAPERTERM_CACHE_DIR``, else platformdirs
    (``~/.cache/paperterm`` on Linux). Nothing is created here."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def fetched_days_dir() -> Path:
    """The raw JSON of each day ``paperterm fetch`` fetched (``daily-papers-YYYY-MM-DD.json``),
    which ``paperterm import`` reads again offline."""
    return resolve_cache_dir() / "daily-papers"


def is_user_name(name: str) -> bool:
    """Whether ``name`` is a profile name: 1-64 letters, digits, '.', '_' or '-', the first a
    letter or digit (so it is one path component, never hidden, never ``..``). The one rule
    of user names: the CLI, the reader's user switch and ``Store`` all ask it."""
    return _USER_NAME.fullmatch(name) is not None


def validate_user(name: str) -> str:
    """Return ``name`` if it is usable as a profile name, else raise PapertermError."""
    if not is_user_name(name):
        raise PapertermError(
            f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_' or '-'"
        )
    return name


def resolve_user(flag: str | None = None) -> str:
    """The current profile: ``--user``, else ``$PAPERTERM_USER``, else the login name."""
    if flag:
        return validate_user(flag)
    env = os.environ.get(USER_ENV)
    if env:
        return validate_user(env)
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "default"
    return user_name_from_login(login)


def user_name_from_login(login: str) -> str:
    """The login name made a profile name (``is_user_name``): other characters become
    ``_``, leading punctuation goes, at most 64 characters; ``default`` when nothing is left."""
    cleaned = _NOT_IN_USER_NAME.sub("_", login).lstrip("._-")[:64]
    return cleaned or "default"


def sample_digest_paths() -> list[Path]:
    """The digests bundled with the package, for ``--demo`` and the welcome screen."""
    root = resources.files("paperterm") / "samples"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))

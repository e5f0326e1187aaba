"""The expected failures of paperterm, each with a one-line message naming what and where.

The CLI prints ``str(error)`` and exits non-zero; the TUI shows it in a notification.
Anything that is not a ``PapertermError`` is a bug.
"""

from __future__ import annotations


class PapertermError(Exception):
    """Base of every expected failure. ``str()`` is one line fit to show a person."""


class DigestError(PapertermError):
    """A file or text is not a digest paperterm can read."""


class QueryError(PapertermError):
    """A search query is malformed or names an unknown field."""


class StoreError(PapertermError):
    """The store cannot be read or written."""


class UnknownPaperError(StoreError):
    """A paper id (or prefix) matches no paper, or more than one."""


class CorruptStoreError(StoreError):
    """A store file is truncated, not JSON, or of an unknown schema version."""


class StoreWriteError(StoreError):
    """A change could not be saved (read-only data dir, full disk, ...)."""


class ClipboardError(PapertermError):
    """The system clipboard cannot be reached."""

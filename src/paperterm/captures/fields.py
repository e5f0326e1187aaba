"""Field helpers shared by the capture readers: arXiv ids, GitHub repositories, counts.

Every function takes untrusted text, never raises and returns ``None`` for anything it
does not recognise, so a reader can pass whatever a capture holds straight in.
"""

from __future__ import annotations

import datetime as dt
import re

from paperterm.text import sanitize

# New-style ids (2007 on: YYMM.NNNN or YYMM.NNNNN) and old-style ones (archive/YYMMNNN).
_ARXIV_ID = re.compile(
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]{1,15}(?:\.[A-Z]{2})?/\d{7})(?:v\d{1,3})?",
)
_ARXIV_URL = re.compile(
    r"https?://(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers"
    r"|hf\.co/papers)/(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]{1,15}(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v\d{1,3})?(?:\.pdf)?(?![\w.])",
    re.IGNORECASE,
)
_GITHUB_URL = re.compile(
    r"https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))"
    r"/(?P<repo>[A-Za-z0-9._-]{1,100})(?:[/?#].*)?",
    re.IGNORECASE,
)
_OWNER_REPO = re.compile(
    r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<repo>[A-Za-z0-9._-]{1,100})"
)
_NOT_OWNERS = frozenset(
    ("about", "apps", "collections", "enterprise", "explore", "features", "login", "orgs",
     "marketplace", "pricing", "search", "settings", "signup", "sponsors", "topics", "trending")
)  # fmt: skip
_COUNT = re.compile(r"(?P<n>\d{1,9}(?:[.,]\d{1,3})?)\s?(?P<unit>[kKmM]?)")
_MAX_ID = 64


def arxiv_id(value: object) -> str | None:
    """``value`` as an arXiv id without its version (``2401.01234``, ``hep-th/9901001``),
    or None when it is not a string holding exactly one."""
    if not isinstance(value, str) or len(value) > _MAX_ID:
        return None
    match = _ARXIV_ID.fullmatch(value.strip())
    return match.group("id") if match else None


def arxiv_id_in_url(url: str) -> str | None:
    """The arXiv id of an ``arxiv.org/abs|pdf/ID`` or ``huggingface.co/papers/ID`` URL."""
    match = _ARXIV_URL.match(url.strip())
    return match.group("id") if match else None


def github_repo(value: object) -> str | None:
    """``https://github.com/OWNER/REPO`` from a GitHub URL (any deeper path dropped) or an
    ``OWNER/REPO`` string; None for anything else."""
    if not isinstance(value, str) or len(value) > 2048:
        return None
    text = value.strip()
    match = _GITHUB_URL.fullmatch(text) or _OWNER_REPO.fullmatch(text)
    if match is None:
        return None
    owner, repo = match.group("owner"), match.group("repo").removesuffix(".git")
    if owner.lower() in _NOT_OWNERS or repo in ("", ".", ".."):
        return None
    return f"https://github.com/{owner}/{repo}"


def http_url(value: object) -> str | None:
    """``value`` when it is a single-line http(s) URL without spaces, else None."""
    if not isinstance(value, str) or len(value) > 2048:
        return None
    text = sanitize(value, single_line=True)
    if " " in text or not text.lower().startswith(("http://", "https://")) or len(text) < 11:
        return None
    return text


def count(text: str) -> int | None:
    """A count as pages print it: ``101``, ``1,234``, ``11.3k``, ``1.2M``; else None."""
    match = _COUNT.fullmatch(text.strip())
    if match is None:
        return None
    number, unit = match.group("n"), match.group("unit").lower()
    if not unit:
        if "." in number:
            return None
        return int(number.replace(",", ""))
    value = float(number.replace(",", "."))
    return round(value * (1000 if unit == "k" else 1_000_000))


def non_negative_int(value: object) -> int | None:
    """``value`` when it is an int (not a bool) between 0 and 10**12, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**12:
        return None
    return value


def iso_date(value: object) -> dt.date | None:
    """The date of an ISO 8601 string (``2024-03-07`` or ``2024-03-07T00:00:00.000Z``)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    head = value[:10]
    if len(value) > 10 and value[10] not in "T ":
        return None
    try:
        return dt.date.fromisoformat(head) if head[4] == "-" and head[7] == "-" else None
    except ValueError:
        return None


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_SHORT = 64  # below this many characters ``str.isprintable`` is the cheaper check


def printable(text: str) -> bool:
    """``text.isprintable()``, computed for longer ASCII text by deleting its printable
    bytes (one pass of ``bytes.translate``) instead of one Unicode table look-up per
    character; any other text gets ``str.isprintable`` itself."""
    if len(text) > _SHORT and text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def clean_line(value: object, limit: int = 100_000) -> str:
    """``value`` sanitized to one line (whitespace runs to one space); '' if not a string."""
    if not isinstance(value, str):
        return ""
    text = value[:limit]
    # Hard-wrapped (as API summaries are), printable text holds no control, bidi or other
    # unsafe character and no whitespace but spaces: sanitizing it would only split and
    # join it again.
    line = (text.replace("\n", " ") if "\n" in text else text).strip(" ")
    if "  " not in line and printable(line):
        return line
    return sanitize(text, single_line=True)

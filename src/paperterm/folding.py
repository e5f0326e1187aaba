"""Text folding for search: the form titles, abstracts and queries are compared in (TeX
accents folded, casefolded, accents stripped, whitespace runs collapsed) and its tokens.

Shared by the query language (``paperterm.query``), the search index and the term vectors.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from paperterm.model import Paper

#: A token: a maximal run of two or more letters or digits (underscore separates).
TOKEN_RE: Final = re.compile(r"[^\W_]{2,}")

_TEX_ACCENT = re.compile(r"\\[`'^\"~=.]\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_TEX_LETTER_ACCENT = re.compile(r"\\[cvuHkrdbt](?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_TEX_SPECIAL = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\})?")
_TEX_BRACED_LETTER = re.compile(r"\{([A-Za-z])\}")


def _fold_tex(text: str) -> str:
    r"""Crudely turn TeX accent escapes into letters: ``\'e`` and ``{\"o}`` -> ``e``, ``o``."""
    text = _TEX_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TEX_LETTER_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TEX_SPECIAL.sub(lambda m: m.group(1), text)
    return _TEX_BRACED_LETTER.sub(r"\1", text)


def fold(text: str) -> str:
    """The search form of a text: TeX accents folded, casefolded, accents stripped (NFKD),
    and every run of whitespace turned into one space (ends stripped)."""
    if "\\" in text:
        text = _fold_tex(text)
    if text.isascii():
        text = text.lower()
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # fast path: nothing to collapse
    else:
        text = text.casefold()
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(text.split())


_ASCII_SEPARATORS: Final = str.maketrans({c: " " for c in range(128) if not chr(c).isalnum()})
_ASCII_SINGLES: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def token_set(folded: str) -> set[str]:
    """The distinct tokens of an already folded text (same as ``TOKEN_RE``, faster)."""
    if folded.isascii():
        tokens = set(folded.translate(_ASCII_SEPARATORS).split())
        tokens -= _ASCII_SINGLES
        return tokens
    return set(TOKEN_RE.findall(folded))


def tokenize(text: str) -> list[str]:
    """The search tokens of a raw text, in order (duplicates kept)."""
    return TOKEN_RE.findall(fold(text))


def token_matches(query_token: str, tokens: set[str]) -> bool:
    """True when some token equals ``query_token`` or starts with it."""
    return any(token.startswith(query_token) for token in tokens)


def fold_tag(tag: str) -> str:
    """How tags compare: casefolded, whitespace runs folded to one space."""
    return " ".join(tag.casefold().split())


def haystack(paper: Paper) -> str:
    """What phrases are searched in: folded title, a newline, folded abstract."""
    return fold(paper.title) + "\n" + fold(paper.abstract)


# A-Z to a-z, every other ASCII non-alphanumeric to a space: fold + token_set in one pass.
_ASCII_TOKENS: Final = str.maketrans(
    {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)
_SINGLES: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def index_tokens(text: str) -> set[str]:
    """``token_set(fold(text))``, as the search index takes a text's tokens; ASCII text
    without TeX escapes in one translate."""
    if text.isascii() and "\\" not in text:
        tokens = set(text.translate(_ASCII_TOKENS).split())
        tokens -= _SINGLES
        return tokens
    return token_set(fold(text))

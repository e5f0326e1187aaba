"""Which reader a capture needs, from cheap looks at its text.

Each test is a search for a literal-led pattern (C-speed scans, no per-line Python work,
no copy of the text), tried from the most specific form to the least: JSON, HTML,
Markdown headings, a text-browser's numbered links, a text export's paper URL lines;
anything else is a plain copy of the page.
"""

from __future__ import annotations

import re
from itertools import chain, islice

_JSON_START = re.compile(r"\s*(?:\[\s*[\[{\]]|\{\s*[\"}])")
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|script)(?![\w-])",
    re.IGNORECASE | re.DOTALL,
)
# Line patterns, each twice: at a line start after a newline (a literal to scan for) and
# at the very start of the text.
_MD_HEADING = r" {0,3}#{1,6}[ \t]+\S"
_MD_PAPER_HEADING = r" {0,3}#{1,6}[ \t]+\[[^\n]*\]\(https?://(?:huggingface\.co|hf\.co|arxiv\.org)/"
_REF_TARGET = r"[ \t]*(?:\[\d{1,5}\]:?|\d{1,5}\.)[ \t]+https?://"
_PAPER_URL_LINE = (
    r"[ \t]*<?https?://(?:www\.)?(?:huggingface\.co/papers|hf\.co/papers|arxiv\.org/abs)/"
    r"[^\s>]+>?[ \t]*(?:\n|$)"
)
_REFERENCE = re.compile(r"\]\[\d{1,5}\]")
_HEAD = 4096
_MIN_HEADINGS = 2
_MIN_REFERENCES = 3


class _Lines:
    """A line pattern found at the start of the text or after any newline."""

    def __init__(self, pattern: str) -> None:
        self.first = re.compile(pattern)
        self.later = re.compile("\n" + pattern)

    def count(self, text: str, start: int, at_most: int) -> int:
        first = [None] if self.first.match(text, start) else []
        return sum(1 for _ in islice(chain(first, self.later.finditer(text, start)), at_most))


_LINES = {name: _Lines(pattern) for name, pattern in (
    ("heading", _MD_HEADING), ("paper heading", _MD_PAPER_HEADING),
    ("target", _REF_TARGET), ("paper url", _PAPER_URL_LINE),
)}  # fmt: skip


def detect(text: str) -> str:
    """The name of the reader ``text`` looks made for: ``hf-json``, ``html``, ``markdown``,
    ``text-browser``, ``text-export`` or ``plain``. Never raises; cheap on large text."""
    start = 1 if text.startswith("\ufeff") else 0
    head = text[start : start + _HEAD]
    if _JSON_START.match(head):
        return "hf-json"
    if _HTML_START.match(head) or 'data-target="DailyPapers"' in text:
        return "html"
    lines = _LINES
    if lines["paper heading"].count(text, start, 1) or (
        lines["heading"].count(text, start, _MIN_HEADINGS) >= _MIN_HEADINGS
    ):
        return "markdown"
    references = sum(1 for _ in islice(_REFERENCE.finditer(text), _MIN_REFERENCES))
    if references >= _MIN_REFERENCES or (
        lines["target"].count(text, start, _MIN_REFERENCES) >= _MIN_REFERENCES
    ):
        return "text-browser"
    if lines["paper url"].count(text, start, 1):
        return "text-export"
    return "plain"

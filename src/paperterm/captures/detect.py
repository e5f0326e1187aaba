"""Which reader a capture needs, from cheap looks at its text.

Each test is a search for a literal-led pattern (C-speed scans, no per-line Python work),
tried from the most specific form to the least: JSON, HTML, Markdown headings, a
text-browser's numbered links, a text export's paper URL lines; anything else is a plain
copy of the page.
"""

from __future__ import annotations

import re
from itertools import islice

_JSON_START = re.compile(r"\s*(?:\[\s*[\[{\]]|\{\s*[\"}])")
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|script)(?![\w-])",
    re.IGNORECASE | re.DOTALL,
)
_MD_HEADING = re.compile(r"\n {0,3}#{1,6}[ \t]+\S")
_MD_PAPER_HEADING = re.compile(
    r"\n {0,3}#{1,6}[ \t]+\[[^\n]*\]\(https?://(?:huggingface\.co|hf\.co|arxiv\.org)/"
)
_REFERENCE = re.compile(r"\]\[\d{1,5}\]")
_REF_TARGET = re.compile(r"\n[ \t]*(?:\[\d{1,5}\]:?|\d{1,5}\.)[ \t]+https?://")
_PAPER_URL_LINE = re.compile(
    r"\n[ \t]*<?https?://(?:www\.)?(?:huggingface\.co/papers|hf\.co/papers|arxiv\.org/abs)/"
    r"[^\s>]+>?[ \t]*(?:\n|$)"
)
_HEAD = 4096
_MIN_HEADINGS = 2
_MIN_REFERENCES = 3


def _at_least(pattern: re.Pattern[str], text: str, n: int) -> bool:
    return sum(1 for _ in islice(pattern.finditer(text), n)) >= n


def detect(text: str) -> str:
    """The name of the reader ``text`` looks made for: ``hf-json``, ``html``, ``markdown``,
    ``text-browser``, ``text-export`` or ``plain``. Never raises; cheap on large text."""
    head = text[:_HEAD].lstrip("\ufeff")
    if _JSON_START.match(head):
        return "hf-json"
    if _HTML_START.match(head) or 'data-target="DailyPapers"' in text:
        return "html"
    framed = "\n" + text.lstrip("\ufeff")
    if _MD_PAPER_HEADING.search(framed) or _at_least(_MD_HEADING, framed, _MIN_HEADINGS):
        return "markdown"
    if _at_least(_REFERENCE, text, _MIN_REFERENCES) or _at_least(
        _REF_TARGET, framed, _MIN_REFERENCES
    ):
        return "text-browser"
    if _PAPER_URL_LINE.search(framed):
        return "text-export"
    return "plain"

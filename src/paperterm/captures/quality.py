"""Is what a reader made of a capture a list of papers, or the page's furniture?

A capture read with the wrong reader gives "papers" titled ``·``, ``[101](...)``,
``Subscribe`` or ``8 authors``. Such a digest is refused rather than imported: once in
the store, junk has to be taken out again by hand.
"""

from __future__ import annotations

import re

from paperterm.captures.tokens import MIN_TITLE_LETTERS, classify
from paperterm.model import Digest

_SYNTAX_START = ("{", "}", '"', "</", "<!", "```")
_SYNTAX_END = ("{", "[", ",", "}", "],", "},")
_SHOWN = 40
_SAMPLE = 500
_NOT_LETTERS = re.compile(r"[\W\d_]+")
# Menu entries of the page: several of them in one "title" are its navigation run together.
_NAVIGATION = frozenset(("models", "datasets", "spaces", "docs", "pricing", "subscribe",
                         "login", "posts", "enterprise", "collections", "community"))  # fmt: skip
_NAVIGATION_HITS = 3


def junk_title(title: str) -> str | None:
    """Why ``title`` cannot be a paper's title (link syntax, JSON or markup, too short,
    page chrome, a count or a date), or None when it can."""
    if "](" in title or "][" in title or title.startswith(("[", "![", "<")) or "://" in title:
        return "link syntax"
    if title.startswith(_SYNTAX_START) or title.endswith(_SYNTAX_END):
        return "JSON or markup syntax"
    if len(_NOT_LETTERS.sub("", title[:100])) < MIN_TITLE_LETTERS:
        return "too short"
    if classify(title, 0)[0].kind != "prose":
        return "page chrome, a count or a date"
    words = {word.strip(".,:;!?·|").casefold() for word in title.split()}
    if len(words & _NAVIGATION) >= _NAVIGATION_HITS:
        return "the page's navigation"
    return None


def junk_reason(digest: Digest) -> str | None:
    """Why ``digest`` looks like junk (most titles fail ``junk_title``), or None.

    A large digest is judged by ``_SAMPLE`` titles spread evenly over it: "most" does not
    need every one of 100,000 titles looked at.
    """
    papers = digest.papers
    step = max(1, len(papers) // _SAMPLE)
    judged = papers[::step]
    bad = [(paper, reason) for paper in judged if (reason := junk_title(paper.title))]
    if not judged or 2 * len(bad) <= len(judged):
        return None
    paper, reason = bad[0]
    of = f"{len(bad)} of {len(judged)}" + (f" sampled from {len(papers)}" if step > 1 else "")
    return (f"{of} titles are link or JSON syntax, very short or page chrome "
            f"(line {paper.line}: '{paper.title[:_SHOWN]}': {reason})")  # fmt: skip

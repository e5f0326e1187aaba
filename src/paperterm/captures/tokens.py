"""The vocabulary of a captured papers page, line by line: what is a count, a date, a
GitHub link, page chrome, a label, or prose.

The line-based readers (markdown, text-browser, text-export) turn each line into a
``Token`` with ``classify`` and leave it to ``cards`` to decide which paper it belongs to.
Lines come in with links in Markdown form (``[text](url)``; an unknown target is empty).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from paperterm.captures.fields import arxiv_id_in_url, count
from paperterm.text import sanitize

TokenKind = Literal[
    "title", "blank", "rule", "chrome", "count", "upvotes", "submitted", "published", "date",
    "github", "arxiv", "project", "link", "label-ai", "label-abstract", "prose",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Token:
    """One line (or one ``·``-separated part of one) of a capture, classified.

    ``text`` is the prose, title, date text or user name; ``url`` a link target;
    ``number`` an upvote or star count; ``line`` the 1-based line in the capture.
    """

    kind: TokenKind
    line: int
    text: str = ""
    url: str = ""
    number: int | None = None


_CHROME = frozenset(
    "".join(text.split()).casefold()
    for text in (
        "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
        "byAK and the research community", "Daily Papers by AK and the research community",
        "Hugging Face", "Models", "Datasets", "Spaces", "Posts", "Docs", "Enterprise",
        "Pricing", "Log In", "Login", "Sign Up", "Papers", "Trending Papers", "Trending",
        "Daily", "Weekly", "Monthly", "Previous", "Next", "Previous day", "Next day",
        "Search", "Load more", "View all", "Show more", "Collections", "Community", "Upvote",
        "Submit", "Submit a paper", "Join the discussion", "Copy link", "Share",
        "Back to top", "Skip to main content", "Skip to content", "Menu", "Home", "Terms",
        "Privacy", "About", "Jobs", "Careers", "Company", "Blog", "Status", "Learn",
        "Discord", "Forum", "Twitter", "LinkedIn", "Solutions", "Inference Endpoints",
        "HuggingChat", "Search models, datasets, users...", "Sort by", "Most upvoted",
        "Most recent", "Top", "Hot", "Recent", "Today", "This week", "This month", "Website",
        "References", "Visible links", "Hidden links:", "Follow", "System theme", "Tasks",
        "Explore", "Discover", "Upvoted", "Sign in", "Read more", "Paper page", "Comment",
        "Comments", "Authors", "Organizations",
        "Trending papers", "Search papers", "Get this paper in your inbox", "Footer",
    )
)  # fmt: skip
_LABELS_AI = frozenset(("ai-generatedsummary", "aisummary", "summary", "tl;dr", "tldr"))
_LABELS_ABSTRACT = frozenset(("abstract",))

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A card's date, maybe with its comment count glued on ("May 29 3", "Mar 8, 2024·12").
_CARD_DATE = re.compile(
    rf"(?P<date>{_MONTHS}\.?\s+(?:[12]\d|3[01]|0?[1-9])(?:,?\s+(?:19|20)\d\d)?"
    r"|(?:19|20)\d\d-\d\d-\d\d)(?:\s*[·•]?\s*\d{1,6})?",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(r"published\s+on\s+(?P<date>.+)", re.IGNORECASE)
_SUBMITTED = re.compile(r"submitted\s+by(?:\s+(?P<user>.*))?", re.IGNORECASE)
_COUNT_WORD = re.compile(
    r"\d{1,7}(?:[.,]\d{1,3})?[kKmM]?\s*(?:authors?|comments?|upvotes?|likes?|citations?"
    r"|models?|datasets?|spaces?|collections?|papers?)?",
    re.IGNORECASE,
)
_UPVOTES_WORD = re.compile(r"(?P<n>\d{1,7})\s+upvotes?|upvotes?:?\s+(?P<m>\d{1,7})", re.IGNORECASE)
_UPVOTE_TEXT = re.compile(r"\s*(?:upvote\s*)?(?P<n>\d{1,7}|-)\s*", re.IGNORECASE)
_GITHUB_TEXT = re.compile(
    r"\s*(?:link:\s*)?github(?:\s+(?P<stars>\d{1,7}(?:[.,]\d{1,3})?\s?[kKmM]?))?\s*",
    re.IGNORECASE,
)
_ARXIV_TEXT = re.compile(r"\s*(?:link:\s*)?arxiv(?:\s+page)?\s*", re.IGNORECASE)
_PROJECT_TEXT = re.compile(
    r"\s*(?:link:\s*)?(?:project\s+page|project|homepage|website|demo\s+page)\s*",
    re.IGNORECASE,
)
# Link text may hold one level of brackets: [A [bold] title](url).
_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<url>[^()\s]*)(?:\s+\"[^\"\n]*\")?\)"
)
_BARE_URL = re.compile(r"<?(?P<url>https?://[^\s<>]+)>?")
_RULE = re.compile(r"(?:[-*_]\s*){3,}|={3,}")
_SEPARATORS = re.compile(r"\s*[·•|]\s*")
_BULLET = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s+")

_MAX_USER = 40
MIN_TITLE_LETTERS = 3
"""Fewer letters than this and a line is too short to be a paper's title."""


def compact(text: str) -> str:
    """``text`` without whitespace, casefolded: how chrome and labels are compared."""
    return "".join(text.split()).casefold()


def is_chrome(text: str) -> bool:
    """True for the page's navigation and boilerplate lines ("Subscribe", "Models", ...)."""
    return len(text) < 80 and compact(text.strip("#*:_ ")) in _CHROME


def card_date(text: str) -> str | None:
    """The date text of a card date line ("May 29", "Mar 8, 2024", "May 29 3"), or None."""
    match = _CARD_DATE.fullmatch(text.strip())
    return match.group("date") if match else None


def _stars(text: str | None) -> int | None:
    return count(text) if text else None


def _classify_part(part: str, line: int) -> Token | None:
    """The token of one part of a line when it is one of the page's metadata, else None."""
    if not part:
        return Token("blank", line)
    if is_chrome(part):
        return Token("chrome", line)
    link = _LINK.fullmatch(part)
    if link is not None:
        text, url = link.group("text").strip(), link.group("url")
        if (upvote := _UPVOTE_TEXT.fullmatch(text)) is not None:
            if arxiv_id_in_url(url):  # a number linking to the paper page: its comments
                return Token("count", line)
            number = upvote.group("n")
            return Token("upvotes", line, number=0 if number == "-" else int(number))
        if (github := _GITHUB_TEXT.fullmatch(text)) is not None:
            return Token("github", line, url=url, number=_stars(github.group("stars")))
        if _ARXIV_TEXT.fullmatch(text):
            return Token("arxiv", line, url=url)
        if _PROJECT_TEXT.fullmatch(text):
            return Token("project", line, url=url)
        if is_chrome(text) or _COUNT_WORD.fullmatch(text):
            return Token("chrome", line, url=url)
        return Token("link", line, text=text, url=url)
    if part in ("[-]", "[ - ]"):
        return Token("upvotes", line, number=0)
    if (bare := _BARE_URL.fullmatch(part)) is not None:
        return Token("link", line, url=bare.group("url"))
    if (github := _GITHUB_TEXT.fullmatch(part)) is not None:
        return Token("github", line, number=_stars(github.group("stars")))
    if (published := _PUBLISHED.fullmatch(part)) is not None:
        date = card_date(published.group("date"))
        return Token("published", line, text=date) if date else Token("chrome", line)
    if (submitted := _SUBMITTED.fullmatch(part)) is not None:
        return Token("submitted", line, text=(submitted.group("user") or "").strip())
    if (date := card_date(part)) is not None:
        return Token("date", line, text=date)
    if (upvotes := _UPVOTES_WORD.fullmatch(part)) is not None:
        return Token("upvotes", line, number=int(upvotes.group("n") or upvotes.group("m")))
    if _COUNT_WORD.fullmatch(part):
        return Token("count", line)
    return None


def classify(raw: str, line: int) -> list[Token]:
    """The tokens of one capture line (images already taken out): one per ``·``-separated
    part when every part is metadata, else a single label, rule or prose token."""
    text = raw.strip().removesuffix("\\").rstrip()
    if not text:
        return [Token("blank", line)]
    if _RULE.fullmatch(text):
        return [Token("rule", line)]
    text = _BULLET.sub("", text, count=1) if _BULLET.match(text) else text
    label = compact(text.strip("#*_: "))
    if label in _LABELS_AI:
        return [Token("label-ai", line)]
    if label in _LABELS_ABSTRACT:
        return [Token("label-abstract", line)]
    parts = _SEPARATORS.split(text) if _SEPARATORS.search(text) else [text]
    tokens: list[Token] = []
    for part in parts:
        token = _classify_part(part.strip(), line)
        if token is None:
            return [Token("prose", line, text=text)]
        if token.kind != "blank":
            tokens.append(token)
    return tokens or [Token("chrome", line)]


def is_user_name(token: Token) -> bool:
    """True for what follows "Submitted by": a short name, or a link to a profile."""
    if token.kind == "link":
        return True
    return token.kind == "prose" and len(token.text) <= _MAX_USER and len(token.text.split()) <= 3


def inline_text(text: str) -> str:
    """Prose with Markdown links shown as ``text (url)`` (relative targets dropped) and
    emphasis markers and backslash escapes taken out."""
    if "](" in text:
        text = _LINK.sub(_show_link, text)
    if "**" in text or "__" in text:
        text = text.replace("**", "").replace("__", "")
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


_MD_ESCAPE = re.compile(r"\\([\[\]()*_#!`>|])")


def _show_link(match: re.Match[str]) -> str:
    text, url = match.group("text").strip(), match.group("url")
    if not url.lower().startswith(("http://", "https://")) or url == text:
        return text or url
    return f"{text} ({url})" if text else url


_IMAGE = re.compile(
    r"!\[[^\[\]\n]*\]\([^()\n]*\)"  # ![alt](src)
    r"|!\[[^\[\]\n]*\](?:\[[^\[\]\n]*\])?"  # ![alt] and ![alt][ref]
    # text-browser marks, with the link or reference they may carry: [IMG][30]
    r"|\[(?:IMG|INLINE|BUTTON|image|Image|IMAGE)(?::[^\[\]\n]*)?\]"
    r"(?:\[[^\[\]\n]{0,40}\]|\([^()\s]*\))?"
    r"|<img\b[^>\n]{0,2000}>",  # bounded: a line of unclosed "<img" stays linear
)
_REF_USE = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\[(?P<ref>[^\[\]\n]{1,40})\]")
_EMPTY_LINK = re.compile(r"\[\s*\]\([^()\s]*\)")


def strip_images(line: str) -> str:
    """``line`` without image placeholders (``![alt](src)``, ``[IMG]``, ``[Image: x]``) and
    the empty links an image inside a link leaves (``[![](a)](b)`` -> '')."""
    if "[" not in line and "<img" not in line:
        return line
    line = _IMAGE.sub("", line)
    return _EMPTY_LINK.sub("", line) if "[" in line else line


def resolve_references(line: str, targets: dict[str, str]) -> str:
    """Reference links (``[Title][32]``) in Markdown form, ``[Title](target)``; a reference
    with no listed target gets an empty one."""
    if "][" not in line:
        return line
    return _REF_USE.sub(
        lambda m: f"[{m.group('text')}]({targets.get(m.group('ref').casefold(), '')})", line
    )


def title_text(raw: str) -> tuple[str, str]:
    """(clean title, link target) of a title that may be a link: ``[Title](url)``."""
    text = raw.strip().strip("*_").strip()
    url = ""
    link = _LINK.fullmatch(text)
    if link is not None:
        text, url = link.group("text"), link.group("url")
    return sanitize(inline_text(text), single_line=True).strip("*_ "), url


def is_title_like(text: str) -> bool:
    """True for text that can be a paper's title: not chrome, not a count or a date, and
    with a few letters in it."""
    letters = sum(ch.isalpha() for ch in text[:200])
    return (
        letters >= MIN_TITLE_LETTERS
        and not is_chrome(text)
        and not _COUNT_WORD.fullmatch(text)
        and (card_date(text) is None)
    )

"""Tokens of a line-based capture -> papers: which count, date and link belongs to which
paper, and the digest they make.

On the Daily Papers page a card shows the submitter and the upvote count *before* the
title, and organisation, authors, comments, links and abstract after it. A capture keeps
that order, or (a hand-written or reworked file) puts everything after the title. Which of
the two a capture uses is read from its start: upvotes or "Submitted by" before the first
title mean "before", and then each such item belongs to the title that follows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from paperterm.captures.common import Warnings, digest_date, merge_repeats
from paperterm.captures.fields import arxiv_id_in_url, github_repo, http_url
from paperterm.captures.tokens import Token, inline_text, is_user_name
from paperterm.digest import date_line
from paperterm.errors import DigestError
from paperterm.links import extract_links, link_kind
from paperterm.model import NO_META, Digest, Link, PaperMeta, ParsedPaper
from paperterm.text import sanitize

_LEAD = frozenset(("upvotes", "submitted"))
_SKIPPED = frozenset(("chrome", "count"))
_KEPT_LINK_KINDS = frozenset(("code", "project", "video", "dataset", "demo"))


@dataclass(slots=True)
class _Card:
    title: str
    line: int
    arxiv_id: str | None = None
    upvotes: int | None = None
    published: dt.date | None = None
    github: str | None = None
    stars: int | None = None
    project: str | None = None
    abstract: list[str] = field(default_factory=list)
    ai_summary: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    closed: bool = False  # after a horizontal rule: what follows is the page's footer


def clean(text: str) -> str:
    """Capture text as a paper keeps it: links shown, Markdown marks out, one safe line."""
    return sanitize(inline_text(text), single_line=True)


class _Assembler:
    def __init__(self, source: str, fmt: str, date: dt.date, before: bool) -> None:
        self.source, self.fmt, self.date, self.before = source, fmt, date, before
        self.cards: list[_Card] = []
        self.pending: list[Token] = []
        self.paragraph: list[str] = []
        self.ai_mode = False
        self.skip_user = False

    @property
    def card(self) -> _Card:
        return self.cards[-1]

    def flush(self) -> None:
        if self.paragraph:
            target = self.card.ai_summary if self.ai_mode else self.card.abstract
            target.append(" ".join(self.paragraph))
            self.paragraph = []
            self.ai_mode = False

    def feed(self, token: Token) -> None:
        kind = token.kind
        if self.skip_user:
            self.skip_user = kind == "blank"
            if kind == "blank" or is_user_name(token):
                return
        if kind == "title":
            self.flush()
            self.ai_mode = False
            self.cards.append(_Card(token.text, token.line, arxiv_id_in_url(token.url)))
            for lead in self.pending:
                self.apply(lead)
            self.pending = []
        elif kind == "submitted":
            self.skip_user = not token.text
        elif kind in _LEAD:
            if self.before:
                self.pending.append(token)
            else:
                self.apply(token)
        elif kind == "prose":
            if not self.card.closed:
                self.paragraph.append(token.text)
        elif kind in _SKIPPED:
            return
        else:
            self.flush()
            if kind == "rule":
                self.card.closed = True
            elif kind == "label-ai":
                self.ai_mode = True
            elif kind != "label-abstract":
                self.apply(token)

    def card_date(self, token: Token) -> dt.date | None:
        try:
            return date_line(token.text, lineno=token.line, source=self.source, today=self.date)
        except DigestError:
            return None

    def apply(self, token: Token) -> None:
        card, kind = self.card, token.kind
        if kind == "upvotes":
            card.upvotes = token.number if card.upvotes is None else card.upvotes
        elif kind in ("date", "published"):
            day = self.card_date(token)
            if day is not None and (kind == "published" or card.published is None):
                card.published = day
        elif kind == "github":
            self.github(card, token.url)
            if token.number is not None and card.stars is None:
                card.stars = token.number
        elif kind == "project":
            card.project = card.project or http_url(token.url)
        else:  # "arxiv", "link": whatever the target tells
            if (found := arxiv_id_in_url(token.url)) is not None:
                card.arxiv_id = card.arxiv_id or found
            elif kind == "link":
                self.github(card, token.url)

    @staticmethod
    def github(card: _Card, url: str) -> None:
        repo = github_repo(url)
        if repo is not None:
            card.github = card.github or repo
            return
        other = http_url(url)
        if other is not None and other not in card.links and link_kind(other) in _KEPT_LINK_KINDS:
            card.links.append(other)


def _paper(card: _Card) -> ParsedPaper:
    abstract = clean(" ".join(card.abstract))
    links = extract_links(abstract)
    known = {link.url for link in links}
    extra = tuple(Link(url, link_kind(url)) for url in card.links if url not in known)
    meta = PaperMeta(
        arxiv_id=card.arxiv_id,
        upvotes=card.upvotes,
        published=card.published,
        github_repo=card.github,
        github_stars=card.stars,
        project_page=card.project,
        ai_summary=clean(" ".join(card.ai_summary)),
    )
    return ParsedPaper(card.title, abstract, links + extra, card.line,
                       NO_META if meta.is_empty else meta)  # fmt: skip


def assemble(
    tokens: list[Token],
    *,
    source: str,
    fmt: str,
    date_override: dt.date | None,
    today: dt.date | None,
) -> Digest:
    """The digest the tokens of a capture make, dated by a date line before the first
    title (else by ``digest_date``'s rules). Raises ``DigestError`` when there is no
    title, or the date line is impossible."""
    first = next((i for i, token in enumerate(tokens) if token.kind == "title"), None)
    if first is None:
        raise DigestError(f"{source}: {fmt}: no papers found (no paper titles in the capture)")
    preamble = tokens[:first]
    found: dt.date | None = None
    for token in preamble:
        if token.kind == "date" and date_override is None:
            try:
                found = date_line(token.text, lineno=token.line, source=source, today=today)
            except DigestError:
                raise DigestError(f"{source}: {fmt}: invalid date '{token.text}' "
                                  f"(line {token.line})") from None  # fmt: skip
            break
    date = digest_date(found, source=source, date_override=date_override, today=today)
    before = any(token.kind in _LEAD for token in preamble)
    assembler = _Assembler(source, fmt, date, before)
    assembler.pending = [token for token in preamble if token.kind in _LEAD] if before else []
    for token in tokens[first:]:
        assembler.feed(token)
    assembler.flush()
    papers, repeats = merge_repeats(_paper(card) for card in assembler.cards if card.title)
    warnings = Warnings(source)
    if repeats:
        shown = "1 entry shown more than once was" if repeats == 1 else (
            f"{repeats} entries shown more than once were")
        warnings.add(f"{fmt}: {shown} merged")
    if not papers:
        raise DigestError(f"{source}: {fmt}: no papers found (titles empty)")
    return Digest(date=date, papers=papers, source=source, warnings=warnings.render(),
                  format=fmt)  # fmt: skip

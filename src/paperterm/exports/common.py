"""What every bibliography format needs from a paper: clean text, a year, a URL, names
split into family and given parts, and a valid arXiv id.

Titles, abstracts, names, tags and notes are untrusted web text. Each helper here returns
text without control characters, escape sequences or bidi controls (``sanitize``), in
Unicode normal form C (what biber and citeproc expect), TeX left-overs turned into their
display form (``clean_tex``, so ``Pok\\'emon`` is ``Pokémon`` in every format). Each format
then escapes that text for its own syntax.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from paperterm.export import safe_url
from paperterm.model import Entry, Paper
from paperterm.text import clean_tex, sanitize

__all__ = [
    "Name",
    "arxiv_id_of",
    "clean_line",
    "clean_text",
    "paper_date",
    "paper_title",
    "paper_url",
    "primary_class",
    "split_name",
    "tags_of",
]

# New-style (0704.0001 onwards: YYMM.NNNN or YYMM.NNNNN) and old-style (hep-th/9901001)
# arXiv identifiers, with an optional version.
_NEW_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?$")
_OLD_ID = re.compile(r"^([a-z][a-z-]*(?:\.[A-Z]{2})?)/(\d{2})(\d{2})\d{3}(?:v\d+)?$")

_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "dos",
     "das", "ter", "ten", "zu", "zur", "af", "al", "bin", "ibn", "st"}
)  # fmt: skip
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def clean_line(text: str) -> str:
    """Untrusted text on one line: controls out, whitespace collapsed, NFC."""
    return unicodedata.normalize("NFC", sanitize(text, single_line=True))


def clean_text(text: str) -> str:
    """Untrusted text in its display form, its paragraphs kept (blank-line separated),
    each paragraph on one line, NFC."""
    shown = clean_tex(sanitize(text))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t\r\f\v]*\n", sanitize(shown))]
    return unicodedata.normalize("NFC", "\n\n".join(p for p in paragraphs if p))


def paper_title(paper: Paper) -> str:
    """The paper's title in display form on one line, ``(untitled)`` when it has none."""
    return clean_line(clean_tex(clean_line(paper.title))) or "(untitled)"


def arxiv_id_of(paper: Paper) -> str | None:
    """The paper's arXiv id when it is a well-formed one (new or old style), else None:
    a malformed id in a capture must not become an ``eprint`` or a URL."""
    raw = paper.meta.arxiv_id
    if not raw:
        return None
    text = raw.strip()
    if _NEW_ID.match(text):
        return text
    old = _OLD_ID.match(text)
    if old is None:
        return None
    # an old-style id's subject class is not part of it: math.AG/0309136 is math/0309136
    archive = old.group(1).split(".")[0]
    return archive + text[len(old.group(1)) :]


def primary_class(paper: Paper) -> str | None:
    """The primary category when the paper's id says it (old style: ``hep-th/9901001``,
    ``math.AG/0309136``); new-style ids do not, and the digests do not give categories."""
    match = _OLD_ID.match((paper.meta.arxiv_id or "").strip())
    return match.group(1) if match else None


def paper_date(paper: Paper) -> tuple[int, int | None, int | None]:
    """(year, month, day) of publication as far as known: the published date, else the
    month an arXiv id encodes, else the first digest the paper appeared in."""
    if paper.meta.published is not None:
        day = paper.meta.published
        return day.year, day.month, day.day
    arxiv = arxiv_id_of(paper)
    if arxiv:
        match = _NEW_ID.match(arxiv) or _OLD_ID.match(arxiv)
        assert match is not None
        yy, mm = int(match.groups()[-2]), int(match.groups()[-1])
        year = 2000 + yy if yy < 91 else 1900 + yy  # arXiv began in August 1991
        if 1 <= mm <= 12:
            return year, mm, None
    first = paper.dates[0] if paper.dates else dt.date.today()
    return first.year, None, None


def paper_url(paper: Paper) -> str | None:
    """The paper's own page: arXiv, else its project page, else its code, else its first
    http(s) link; always a safe http(s) URL (see ``paperterm.export.safe_url``) or None."""
    arxiv = arxiv_id_of(paper)
    if arxiv:
        return f"https://arxiv.org/abs/{arxiv}"
    candidates = [paper.meta.project_page, paper.code_url, *(link.url for link in paper.links)]
    for url in candidates:
        safe = safe_url(url) if url else None
        if safe:
            return safe
    return None


def code_url(paper: Paper) -> str | None:
    """The paper's code link as a safe http(s) URL, or None."""
    url = paper.code_url
    return safe_url(url) if url else None


def tags_of(entry: Entry) -> list[str]:
    """The entry's tags on one line each, without a leading ``#``, deduplicated."""
    seen: list[str] = []
    for tag in entry.state.tags:
        clean = clean_line(tag).lstrip("#")
        if clean and clean not in seen:
            seen.append(clean)
    return seen


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name split the way bibliographies want it. ``literal`` is set instead
    for a name that cannot be split safely (an organisation, a name with a comma)."""

    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""

    @property
    def family_full(self) -> str:
        """The family name with its particle: ``van der Berg``."""
        return f"{self.particle} {self.family}".strip()


def split_name(raw: str) -> Name:
    """``"Jan van der Berg"`` -> family ``Berg``, particle ``van der``, given ``Jan``.

    Hugging Face lists names as written (given names first). The last word is the family
    name, lower-case particles before it belong to it, ``Jr.``/``III`` are suffixes. A
    single word is a family name; a name holding a comma or the word "and" is kept whole
    (``literal``), since splitting it would guess.
    """
    name = clean_line(clean_tex(clean_line(raw)))
    words = name.split()
    if not words:
        return Name(literal="Anonymous")
    if "," in name or any(word.lower() == "and" for word in words):
        return Name(literal=name)
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop()
    family = words.pop()
    particles: list[str] = []
    while len(words) > 1 and words[-1].lower() in _PARTICLES and words[-1].islower():
        particles.insert(0, words.pop())
    return Name(family=family, given=" ".join(words), particle=" ".join(particles),
                suffix=suffix)  # fmt: skip

"""Synthetic corpora for the benchmark, made from the bundled sample digests.

``make_digests(n)`` returns ``Digest`` objects holding ``n`` papers in total, about
``PER_DAY`` per digest day, going back day by day from ``LAST_DAY`` (so 100,000 papers span
about three years and 37 monthly shards). Each paper is new:

* its title is a coined name (``Vorakem-17``, unique per paper, like a model acronym) and the
  subtitle of a random sample title, so titles are unique and the vocabulary grows with the
  corpus as real vocabularies do;
* its abstract is six to nine sentences drawn from random sample abstracts, with the coined
  name mentioned once; links come with the sentences that hold them.

Everything is seeded, so the same ``n`` always gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from paperterm.digest import read_digest_file
from paperterm.links import extract_links
from paperterm.model import Digest, Link, ParsedPaper
from paperterm.paths import sample_digest_paths

PER_DAY = 90
LAST_DAY = dt.date(2025, 9, 30)
STARRED = 0.05
TAGGED = 0.03
READ = 0.10
TAGS = ("to-read", "rl", "diffusion", "survey", "later")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_SYLLABLES = (
    "ka", "vo", "ra", "ke", "mi", "lu", "zen", "tor", "qua", "fi", "dra", "nex", "sol", "vi",
    "ta", "mo", "rex", "pli", "sa", "gu", "ber", "cy", "lo", "nu", "pha", "tri", "xe", "om",
    "da", "wen", "ze", "hal", "io", "ry", "sti", "bo", "mar", "ul", "cor", "fen",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class _Pool:
    subtitles: tuple[str, ...]
    sentences: tuple[_Sentence, ...]


def _pool() -> _Pool:
    subtitles: list[str] = []
    sentences: list[_Sentence] = []
    for path in sample_digest_paths():
        for paper in read_digest_file(path).papers:
            _, sep, tail = paper.title.partition(": ")
            subtitles.append(tail if sep and len(tail) > 12 else paper.title)
            for text in _SENTENCE_END.split(paper.abstract):
                if text.strip():
                    sentences.append(_Sentence(text.strip(), extract_links(text)))
    return _Pool(tuple(subtitles), tuple(sentences))


def coined_name(number: int) -> str:
    """A unique, pronounceable name for paper ``number`` (``Vorakem-17``-like)."""
    n = len(_SYLLABLES)
    a, b, c = number % n, (number // n) % n, (number // (n * n)) % n
    name = _SYLLABLES[a] + _SYLLABLES[b] + _SYLLABLES[c]
    return f"{name.capitalize()}-{number // (n * n * n) + 1}"


def _papers(total: int, seed: int) -> Iterator[ParsedPaper]:
    pool = _pool()
    rng = random.Random(seed)
    for number in range(total):
        name = coined_name(number)
        title = f"{name}: {rng.choice(pool.subtitles)}"
        chosen = rng.sample(pool.sentences, rng.randint(6, 9))
        texts = [s.text for s in chosen]
        texts.insert(1, f"We call the method {name}.")
        links: dict[Link, None] = {}
        for sentence in chosen:
            links.update(dict.fromkeys(sentence.links))
        yield ParsedPaper(title, " ".join(texts), tuple(links), 0)


def make_digests(total: int, *, seed: int = 5, per_day: int = PER_DAY) -> list[Digest]:
    """``total`` new papers in digests of ``per_day`` papers, newest day ``LAST_DAY``."""
    papers = list(_papers(total, seed))
    digests: list[Digest] = []
    for day_index, start in enumerate(range(0, total, per_day)):
        day = LAST_DAY - dt.timedelta(days=day_index)
        chunk = tuple(
            ParsedPaper(p.title, p.abstract, p.links, line * 2 + 1)
            for line, p in enumerate(papers[start : start + per_day])
        )
        digests.append(Digest(day, chunk, f"bench-{day.isoformat()}.txt"))
    digests.reverse()  # oldest first, the order a user imports them in
    return digests


def pick_states(ids: list[str], *, seed: int = 7) -> dict[str, list[str]]:
    """Which ids to star, tag and mark read: ~5%, ~3% and ~10%, seeded."""
    rng = random.Random(seed)
    return {
        "starred": [pid for pid in ids if rng.random() < STARRED],
        "tagged": [pid for pid in ids if rng.random() < TAGGED],
        "read": [pid for pid in ids if rng.random() < READ],
    }


def digest_text(digest: Digest) -> str:
    """The digest as the text of a daily-papers page (for importing through the CLI)."""
    parts = [digest.date.isoformat(), ""]
    for paper in digest.papers:
        parts += [paper.title, "", paper.abstract, ""]
    return "\n".join(parts)


def extra_day(total: int, count: int = 100, *, seed: int = 5) -> Digest:
    """One more digest day after ``make_digests(total)``'s newest: its next ``count`` papers
    (new ones: the corpus's own sequence goes on), dated the day after ``LAST_DAY``."""
    papers = list(_papers(total + count, seed))[total:]
    chunk = tuple(ParsedPaper(p.title, p.abstract, p.links, line * 2 + 1)
                  for line, p in enumerate(papers))  # fmt: skip
    day = LAST_DAY + dt.timedelta(days=1)
    return Digest(day, chunk, f"bench-{day.isoformat()}.txt")

r"""BibTeX: one ``@misc`` entry per paper, in the form arXiv recommends.

An example, for a paper with an arXiv id, tagged and annotated::

    @misc{jiang2025verltool,
      title = {VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use},
      author = {Jiang, Dongfu and Lu, Yi and van der Berg, Jan},
      year = {2025},
      eprint = {2509.01055},
      archivePrefix = {arXiv},
      url = {https://arxiv.org/abs/2509.01055},
      keywords = {rl, agents},
      annote = {Compare with ReTool before Friday.},
    }

``primaryClass`` is written only when the arXiv id names it (old-style ids); the digests do
not give categories. A paper without an arXiv id is still a ``@misc`` with its title, its
year and the best URL it has (project page, code, first link). ``keywords`` (the tags) and
``annote`` (the note) carry the user's state, so ``paperterm import`` can read it back.

Citation keys are ``familyYEARword`` (``jiang2025verltool``): the first author's family
name and the first title word that is not a stop word, both folded to ASCII letters and
digits. Papers sharing a key get ``b``, ``c``, ... in the order of their arXiv ids (then
paper ids), so a key does not depend on the order of the export.

Escaping: every value is one line of display text (``clean_tex``: ``Pok\'emon`` is written
``Pokémon``: biber and LaTeX with UTF-8 read it as is) with the characters TeX or BibTeX
would read as syntax escaped: ``\ { } $ & % # _ ^ ~``. Braces become ``\textbraceleft{}``
and ``\textbraceright{}`` rather than ``\{``, because BibTeX counts every brace, escaped or
not, when it looks for the end of a value. URLs are http(s) only and percent-encoded where a
brace or a backslash could end them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from paperterm.exports.common import (
    Name,
    arxiv_id_of,
    clean_line,
    paper_date,
    paper_title,
    paper_url,
    primary_class,
    split_name,
    tags_of,
)
from paperterm.model import Entry

__all__ = ["bibtex_entry", "bibtex_of", "citation_keys", "export_bibtex", "tex_escape"]

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_TEX_TABLE = str.maketrans(_TEX_SPECIALS)
_AND = re.compile(r"\band\b", re.IGNORECASE)

_STOP_WORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "is", "are", "at", "by",
     "from", "towards", "toward", "via", "do", "does", "can", "how", "what", "why", "when"}
)  # fmt: skip


def tex_escape(text: str) -> str:
    r"""One line of untrusted text as a safe BibTeX/LaTeX value (see the module docstring).

    >>> print(tex_escape("100% {robust} & fast_er: $5 #1"))
    100\% \textbraceleft{}robust\textbraceright{} \& fast\_er: \$5 \#1
    >>> print(tex_escape("~x^2 \\o/"))
    \textasciitilde{}x\textasciicircum{}2 \textbackslash{}o/
    """
    return clean_line(text).translate(_TEX_TABLE)


def _author_value(raw: str) -> str:
    name = split_name(raw)
    if name.literal:
        # an organisation or a name we will not split: braces keep BibTeX from reading
        # "and" or a comma inside it as a separator
        return "{" + tex_escape(name.literal) + "}"
    return _bib_name(name)


def _bib_name(name: Name) -> str:
    family = tex_escape(name.family_full)
    parts = [family]
    if name.suffix:
        parts.append(tex_escape(name.suffix))
    if name.given:
        parts.append(tex_escape(name.given))
    return ", ".join(parts)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum()).lower()


def _key_base(entry: Entry) -> str:
    paper = entry.paper
    authors = paper.meta.authors
    family = ""
    if authors:
        name = split_name(authors[0])
        family = _ascii_word(name.family or name.literal.split()[0])
    family = family or "anon"
    year = paper_date(paper)[0]
    word = ""
    for raw in re.split(r"[\s\-:/]+", paper_title(paper)):
        candidate = _ascii_word(raw)
        if candidate and candidate not in _STOP_WORDS:
            word = candidate
            break
    return f"{family[:30]}{year}{word[:30]}"


def citation_keys(entries: Sequence[Entry]) -> list[str]:
    """The entries' citation keys, in their order: ``familyYEARword``, made unique.

    Colliding papers are suffixed ``b``, ``c``, ... ``z``, ``ba``... by arXiv id then paper
    id, so the same papers get the same keys whatever order they are exported in.
    """
    bases = [_key_base(entry) for entry in entries]
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for index, base in enumerate(bases):
        groups[base].append(index)
    keys = list(bases)
    taken = set(bases)
    for base, indexes in groups.items():
        if len(indexes) < 2:
            continue
        ordered = sorted(
            indexes,
            key=lambda i: (arxiv_id_of(entries[i].paper) or "~", entries[i].paper.id, i),
        )
        number = 1
        for index in ordered[1:]:
            while True:
                candidate = base + _letters(number)
                number += 1
                if candidate not in taken:
                    break
            taken.add(candidate)
            keys[index] = candidate
    return keys


def _letters(number: int) -> str:
    """1 -> ``b``, 24 -> ``z``, 25 -> ``ba``: the suffixes after the unsuffixed first."""
    out = ""
    while True:
        number, rest = divmod(number, 26)
        out = chr(ord("a") + rest) + out
        if number == 0:
            return out


def bibtex_entry(entry: Entry, key: str) -> str:
    """One ``@misc`` entry for ``entry`` under citation key ``key``, ending in a newline."""
    paper = entry.paper
    fields: list[tuple[str, str]] = [("title", tex_escape(paper_title(paper)))]
    authors = [_author_value(name) for name in paper.meta.authors if clean_line(name)]
    if authors:
        fields.append(("author", " and ".join(authors)))
    fields.append(("year", str(paper_date(paper)[0])))
    arxiv = arxiv_id_of(paper)
    if arxiv:
        fields += [("eprint", arxiv), ("archivePrefix", "arXiv")]
        category = primary_class(paper)
        if category:
            fields.append(("primaryClass", category))
    url = paper_url(paper)
    if url:
        # ``url`` is verbatim to biber and hyperref: ``%`` stays; a brace or backslash that
        # could end the value was percent-encoded by paper_url
        fields.append(("url", url))
    tags = tags_of(entry)
    if tags:
        fields.append(("keywords", ", ".join(tex_escape(tag) for tag in tags)))
    note = clean_line(entry.state.note)
    if note:
        fields.append(("annote", tex_escape(note)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def export_bibtex(entries: Sequence[Entry]) -> str:
    """The entries as a BibTeX file: one ``@misc`` each, separated by a blank line."""
    keys = citation_keys(entries)
    return "\n".join(bibtex_entry(entry, key) for entry, key in zip(entries, keys, strict=True))


def bibtex_of(entry: Entry) -> tuple[str, str]:
    """One paper's citation key and BibTeX entry, as the reader's ``y`` copies it."""
    (key,) = citation_keys([entry])
    return key, bibtex_entry(entry, key)

r"""A BibTeX file of arXiv entries read back: what ``paperterm export --format bibtex``
writes, what arXiv's "Export BibTeX citation" gives, and what Google Scholar or a
reference manager exports for a preprint.

An entry is ``@TYPE{KEY, name = value, ...}`` (or with parentheses); a value is
``{braced}`` (braces nest), ``"quoted"``, a number or a ``@string`` macro name, joined with
``#``. Text outside entries, ``@comment`` and ``@preamble`` are skipped, as BibTeX skips
them. The arXiv id comes from ``eprint`` (with ``archivePrefix = {arXiv}`` or none), else
from an ``arxiv.org/abs/ID`` URL, an arXiv DOI (``10.48550/arXiv.ID``) or an ``arXiv:ID`` in
``journal``/``note``. Authors ``Last, First and ...`` become ``First Last``; ``keywords``
become tags and ``annote``/``annotation`` the note (what paperterm's own export writes).

Values are decoded to display text: paperterm's own escapes (``\textbraceleft{}``...),
then TeX accents, symbols and math (``paperterm.text.clean_tex``), then case-protecting
braces dropped. A file with no entry, or an entry whose braces never close, is a
``DigestError`` naming the file and the line.
"""

from __future__ import annotations

import re

from paperterm.errors import DigestError
from paperterm.links import link_kind
from paperterm.model import NO_META, Link, PaperMeta
from paperterm.readback.carried import CarriedList, CarriedPaper
from paperterm.text import clean_tex, sanitize

__all__ = ["decode_value", "looks_like_bibtex", "parse_bibtex", "parse_entries", "person"]

FORMAT = "bibtex"
_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\n]*([{(])")
_LOOKS = re.compile(r"^\s*(?:%[^\n]*\n\s*)*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.ASCII)
_NAME = re.compile(r"[ \t\n]*([^\s=,{}()\"#%'~]+)[ \t\n]*")
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"^(?:arXiv:)?({_NEW_ID}|{_OLD_ID})(?:v\d+)?$", re.IGNORECASE)
_ARXIV_IN = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.|arxiv:\s*)({_NEW_ID}|{_OLD_ID})",
    re.IGNORECASE,
)
_OUR_MACROS = {
    "\\textbackslash{}": "\ue000",
    "\\textbraceleft{}": "\ue001",
    "\\textbraceright{}": "\ue002",
    "\\textasciicircum{}": "^",
    "\\textasciitilde{}": "~",
    "\\{": "\ue001",
    "\\}": "\ue002",
}
_OUR_MACRO = re.compile("|".join(re.escape(m) for m in _OUR_MACROS))
_PLACEHOLDERS = str.maketrans({"\ue000": "\\", "\ue001": "{", "\ue002": "}"})
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def looks_like_bibtex(text: str) -> bool:
    """True when ``text`` starts (after ``%`` comment lines) with a BibTeX entry."""
    return bool(_LOOKS.match(text.lstrip("\ufeff")[:4096]))


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _error(source: str, text: str, offset: int, what: str) -> DigestError:
    return DigestError(f"{source}: {FORMAT}: line {_line_of(text, offset)}: {what}")


def _braced(text: str, start: int, source: str) -> tuple[str, int]:
    """The text inside the braces opening at ``start``, and the offset after them."""
    depth = 0
    for index in range(start, len(text)):
        ch = text[index]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
    raise _error(source, text, start, "a '{' is never closed")


def _quoted(text: str, start: int, source: str) -> tuple[str, int]:
    depth = 0
    for index in range(start + 1, len(text)):
        ch = text[index]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth <= 0:
            return text[start + 1 : index], index + 1
    raise _error(source, text, start, 'a \'"\' is never closed')


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n":
        index += 1
    return index


def _value(
    text: str, index: int, source: str, macros: dict[str, str]
) -> tuple[str, int]:
    """A field value (pieces joined by ``#``) starting at ``index``."""
    pieces: list[str] = []
    while True:
        index = _skip_space(text, index)
        if index >= len(text):
            raise _error(source, text, index, "the file ends inside an entry")
        ch = text[index]
        if ch == "{":
            piece, index = _braced(text, index, source)
        elif ch == '"':
            piece, index = _quoted(text, index, source)
        else:
            match = _NAME.match(text, index)
            if match is None or not match.group(1):
                raise _error(source, text, index, f"expected a value, found {ch!r}")
            word = match.group(1)
            index = match.end()
            piece = macros.get(word.lower(), word)
        pieces.append(piece)
        index = _skip_space(text, index)
        if index < len(text) and text[index] == "#":
            index += 1
            continue
        return "".join(pieces), index


def parse_entries(text: str, *, source: str) -> list[tuple[int, str, str, dict[str, str]]]:
    """Every entry as (line, type, key, raw fields by lower-case name), ``@string`` macros
    expanded; ``@comment`` and ``@preamble`` skipped."""
    macros: dict[str, str] = {month: str(n) for n, month in enumerate(_MONTHS, 1)}
    entries: list[tuple[int, str, str, dict[str, str]]] = []
    index = 0
    while True:
        match = _ENTRY_START.search(text, index)
        if match is None:
            return entries
        kind = match.group(1).lower()
        opener = match.group(2)
        closer = "}" if opener == "{" else ")"
        start = match.start()
        index = match.end()
        if kind == "comment":
            if opener == "{":
                _, index = _braced(text, match.end() - 1, source)
            continue
        if kind == "preamble":
            _, index = _value(text, index, source, macros)
            index = _skip_space(text, index) + 1
            continue
        key = ""
        if kind != "string":
            end = index
            while end < len(text) and text[end] not in ",\n" + closer:
                end += 1
            key = text[index:end].strip()
            index = end + 1 if end < len(text) and text[end] == "," else end
        fields: dict[str, str] = {}
        while True:
            index = _skip_space(text, index)
            if index >= len(text):
                raise _error(source, text, start, "the entry is never closed")
            if text[index] == closer:
                index += 1
                break
            if text[index] == ",":
                index += 1
                continue
            name_match = _NAME.match(text, index)
            if name_match is None:
                raise _error(source, text, index, f"expected a field name, found "
                                                  f"{text[index]!r}")  # fmt: skip
            name = name_match.group(1).lower()
            index = _skip_space(text, name_match.end())
            if index >= len(text) or text[index] != "=":
                raise _error(source, text, index, f"expected '=' after field {name!r}")
            value, index = _value(text, index + 1, source, macros)
            fields[name] = value
        if kind == "string":
            macros.update(fields)
            continue
        entries.append((_line_of(text, start), kind, key, fields))


def decode_value(raw: str) -> str:
    r"""A BibTeX value as display text on one line.

    >>> decode_value(r"Pok{\'e}mon \textbraceleft{}x\textbraceright{} 100\% {BERT} $\alpha$")
    'Pokémon {x} 100% BERT α'
    """
    text = _OUR_MACRO.sub(lambda m: _OUR_MACROS[m.group(0)], raw)
    text = clean_tex(text)
    text = text.replace("{", "").replace("}", "")
    return sanitize(text.translate(_PLACEHOLDERS), single_line=True)


def _split_top(raw: str, pattern: re.Pattern[str]) -> list[str]:
    """``raw`` split where ``pattern`` matches outside braces."""
    parts: list[str] = []
    depth = 0
    last = 0
    index = 0
    while index < len(raw):
        ch = raw[index]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            match = pattern.match(raw, index)
            if match and match.end() > index:
                parts.append(raw[last:index])
                last = index = match.end()
                continue
        index += 1
    parts.append(raw[last:])
    return [part for part in parts if part.strip()]


def person(raw: str) -> str:
    """One BibTeX name as it is written in prose: ``van der Berg, Jan`` -> ``Jan van der
    Berg``; ``King, Jr., Martin`` -> ``Martin King Jr.``; ``{Google and Co}`` stays whole."""
    stripped = raw.strip()
    if stripped.startswith("{") and stripped.endswith("}") and _balanced(stripped[1:-1]):
        return decode_value(stripped[1:-1])
    parts = [decode_value(part) for part in _split_top(stripped, re.compile(r"\s*,\s*"))]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}".strip()
    if len(parts) >= 3:
        return f"{parts[2]} {parts[0]} {parts[1]}".strip()
    return parts[0] if parts else ""


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _arxiv_id(fields: dict[str, str]) -> str | None:
    prefix = decode_value(fields.get("archiveprefix", "arXiv")).lower()
    eprint = decode_value(fields.get("eprint", ""))
    found = _ARXIV_ID.match(eprint)
    if found and prefix == "arxiv":
        return found.group(1)
    for name in ("url", "doi", "journal", "note", "howpublished", "eprint"):
        found = _ARXIV_IN.search(fields.get(name, ""))
        if found:
            return found.group(1)
    return None


def parse_bibtex(text: str, *, source: str) -> CarriedList:
    """The entries of a BibTeX file as papers, in file order. An entry without a title is
    skipped with a warning; a file with no entry is a ``DigestError``."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    entries = parse_entries(text, source=source)
    if not entries:
        raise DigestError(f"{source}: {FORMAT}: line 1: no BibTeX entry found")
    papers: list[CarriedPaper] = []
    warnings: list[str] = []
    for line, _kind, key, fields in entries:
        title = decode_value(fields.get("title", ""))
        if not title:
            warnings.append(f"{source}: line {line}: entry {key!r} skipped: it has no title")
            continue
        authors = tuple(name for raw in _split_top(fields.get("author", ""), _AND)
                        if (name := person(raw)))  # fmt: skip
        arxiv = _arxiv_id(fields)
        links: list[Link] = []
        url = decode_value(fields.get("url", "")).replace(" ", "%20")
        if url.lower().startswith(("http://", "https://")):
            links.append(Link(url, link_kind(url)))
        keywords = re.split(r"[,;]", decode_value(fields.get("keywords", "")))
        note = decode_value(fields.get("annote", fields.get("annotation", "")))
        meta = PaperMeta(arxiv_id=arxiv, authors=authors) if (arxiv or authors) else NO_META
        papers.append(CarriedPaper(
            title=title,
            abstract=decode_value(fields.get("abstract", "")),
            links=tuple(links),
            meta=meta,
            tags=tuple(dict.fromkeys(tag.strip() for tag in keywords if tag.strip())),
            note=note,
            line=line,
        ))  # fmt: skip
    return CarriedList(source, FORMAT, tuple(papers), tuple(warnings))

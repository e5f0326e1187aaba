"""Digest text -> ``Digest``: parsing, decoding files and paper ids (links: ``links``).

A digest is the text of a daily-papers page: optional header lines ("new", "Subscribe",
...), a date line ("Sep 9"), then paragraphs alternating title and abstract. Everything
here raises only ``DigestError``, with a one-line message naming the source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path, PurePath

from paperterm.errors import DigestError
from paperterm.links import extract_links
from paperterm.model import Digest, ParsedPaper
from paperterm.text import clean_tex, plural, sanitize

# --------------------------------------------------------------------------- parsing

_HEADER_LINES = frozenset(
    "".join(line.split()).casefold()
    for line in ("new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
                 "byAK and the research community")
)  # fmt: skip
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_LINE = re.compile(
    rf"{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})",
    re.IGNORECASE,
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_NONBLANK_LINE = re.compile(r"^[^\S\n]*+\S.*", re.MULTILINE)
_HTML_START = re.compile(
    r"\s*+(?:<!--.*?-->\s*+)*+<(?:!doctype\s+html|html(?![\w-]))", re.IGNORECASE | re.DOTALL
)
_HTML_BODY = re.compile(r"<[bB][oO][dD][yY][\s>]")
_MAX_HEADER_LINES = 10  # non-blank lines searched for the date line
_LONG_TITLE = 400
_MAX_WARNINGS = 50


class _Warnings:
    """The first ``_MAX_WARNINGS`` warnings in full; the rest only counted."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.more = 0

    @property
    def full(self) -> bool:
        return len(self.shown) >= _MAX_WARNINGS

    def append(self, warning: str) -> None:
        if self.full:
            self.more += 1
        else:
            self.shown.append(warning)

    def render(self, source: str) -> tuple[str, ...]:
        more = [f"... and {self.more} more warnings"] if self.more else []
        return tuple(f"{source}: {warning}" for warning in [*self.shown, *more])


def _is_header(line: str) -> bool:
    return (
        len(line) < 60
        and line[0] in "nNgGsSdDbB"
        and "".join(line.split()).casefold() in _HEADER_LINES
    )


def _is_date(line: str) -> bool:
    return len(line) < 30 and _DATE_LINE.fullmatch(line) is not None


def _clip(text: str) -> str:
    return text[:60]


def _one_line(text: str) -> str:
    if text.isascii() and "  " not in text:  # already collapsed: sanitize made tabs spaces
        return text
    return " ".join(text.split())


def _nonblank_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, stripped text) of every non-blank line, without splitting."""
    lineno, pos = 1, 0
    for match in _NONBLANK_LINE.finditer(text):
        lineno += text.count("\n", pos, match.start())
        pos = match.start()
        yield lineno, match.group().strip()


def _paragraphs(lines: Iterable[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    paragraphs: list[tuple[int, list[str]]] = []
    previous = -1
    for lineno, line in lines:
        if lineno == previous + 1 and paragraphs:
            paragraphs[-1][1].append(line)
        else:
            paragraphs.append((lineno, [line]))
        previous = lineno
    return paragraphs


def _units(paragraphs: list[tuple[int, list[str]]], warn: _Warnings) -> list[tuple[int, str]]:
    """Title and abstract candidates in order; copies without blank lines are unfolded."""
    single_block = len(paragraphs) == 1 and len(paragraphs[0][1]) > 1
    all_pairs = bool(paragraphs) and all(len(lines) == 2 for _, lines in paragraphs)
    if single_block or all_pairs:
        if single_block:
            warn.append(f"line {paragraphs[0][0]}: no blank lines between paragraphs; "
                        "reading one line per title and per abstract")  # fmt: skip
        return [(ln + i, line) for ln, lines in paragraphs for i, line in enumerate(lines)]
    return [(ln, " ".join(lines)) for ln, lines in paragraphs]


def _date_from_line(
    match: re.Match[str], lineno: int, source: str, today: dt.date | None
) -> dt.date:
    where = f"{source}: invalid date '{match.group()}' (line {lineno})"
    try:
        if match.group("iy"):
            return dt.date(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
        month = _month_number(match.group("mon"))
        day = int(match.group("day"))
        if match.group("year"):
            return dt.date(int(match.group("year")), month, day)
        named = _date_in_name(source)
        if named is not None:
            return dt.date(named.year, month, day)
        today = today or dt.date.today()
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
        for candidate in range(year, year - 8, -1):  # Feb 29 waits for a leap year
            try:
                return dt.date(candidate, month, day)
            except ValueError:
                continue
    except ValueError:
        pass
    raise DigestError(where)


def date_line(line: str, *, lineno: int, source: str, today: dt.date | None) -> dt.date | None:
    """The date a digest's date line gives (``Sep 9``, ``Mar 8, 2024``, ``2025-09-09``),
    its year found as ``parse_digest`` finds it; None when ``line`` is not a date line.
    Raises ``DigestError`` for an impossible date (``Feb 30``)."""
    match = _DATE_LINE.fullmatch(line) if len(line) < 30 else None
    return None if match is None else _date_from_line(match, lineno, source, today)


def date_in_name(source: str) -> dt.date | None:
    """The ``YYYY-MM-DD`` date in a file name, if any."""
    return _date_in_name(source)


def _month_number(name: str) -> int:
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return months.index(name[:3].lower()) + 1


def _date_in_name(source: str) -> dt.date | None:
    match = _FILE_DATE.search(PurePath(source).name)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_digest(
    text: str,
    *,
    source: str = "<text>",
    date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:
    """Parse a digest's text into its date and papers.

    ``source`` names the text in messages and may carry the date: without a year on the
    date line, the year comes from a ``YYYY-MM-DD`` in its file name, else it is the most
    recent such day not after ``today``. ``date_override`` wins over everything and makes
    the date line optional. Raises ``DigestError`` for empty text, HTML pages (a ``<body``
    tag counts only before the date line, so an abstract may mention one), a missing date
    line, or no title/abstract pairs; odd but readable input gives warnings.
    """
    text = sanitize(text)
    if not text or text.isspace():
        raise DigestError(f"{source}: empty file")
    html = DigestError(
        f"{source}: looks like an HTML page, not a digest text; copy the page's text instead"
    )
    if _HTML_START.match(text):
        raise html
    warn = _Warnings()
    lines = _nonblank_lines(text)
    header: list[tuple[int, str]] = []
    date_line: tuple[int, re.Match[str]] | None = None
    for lineno, line in lines:
        if _HTML_BODY.search(line):
            raise html
        match = _DATE_LINE.fullmatch(line)
        if match:
            date_line = (lineno, match)
            break
        header.append((lineno, line))
        if len(header) >= _MAX_HEADER_LINES:
            break
    if date_line is not None:
        unknown = [(ln, line) for ln, line in header if not _is_header(line)]
        if unknown:
            warn.append(f"line {unknown[0][0]}: skipped {plural(len(unknown), 'unknown line')} "
                        f"before the date line: '{_clip(unknown[0][1])}'")  # fmt: skip
        body: Iterable[tuple[int, str]] = lines
        date = date_override or _date_from_line(date_line[1], date_line[0], source, today)
        where = f"after the date line (line {date_line[0]})"
    else:
        first = next((i for i, (_, line) in enumerate(header) if not _is_header(line)), None)
        rest = header[first:] if first is not None else []
        body = chain(rest, lines)
        if _HTML_BODY.search(text):
            raise html
        found = date_override or _date_in_name(source)
        if found is None:
            raise DigestError(
                f"{source}: no date line (expected a line like 'Sep 9' before the papers)"
            )
        date = found
        where = f"after the header (line {rest[0][0]})" if rest else "after the header"
    papers = _pair(_units(_paragraphs(body), warn), warn)
    if not any(paper.abstract for paper in papers):
        raise DigestError(f"{source}: no papers found {where}")
    return Digest(date=date, papers=papers, source=source, warnings=warn.render(source))


def _pair(units: list[tuple[int, str]], warn: _Warnings) -> tuple[ParsedPaper, ...]:
    papers: list[ParsedPaper] = []
    seen: dict[str, int] = {}  # paper_key -> line; exact repeats skip computing the key
    seen_titles: dict[str, int] = {}
    i = 0
    while i < len(units):
        lineno, title = units[i]
        if _is_header(title) or _is_date(title):
            # Several days pasted into one file: skip the next day's header, keep going.
            warn.append(f"line {lineno}: another digest header '{_clip(title)}' inside the "
                        "file; its papers are read with this digest's date")  # fmt: skip
            i += 1
            continue
        title = _one_line(title)
        abstract = _one_line(units[i + 1][1]) if i + 1 < len(units) else ""
        i += 2
        if not abstract:
            warn.append(f"line {lineno}: title with no abstract: '{_clip(title)}'")
        if len(title) > _LONG_TITLE:
            warn.append(f"line {lineno}: a {len(title)}-character title; titles and "
                        "abstracts may be out of step")  # fmt: skip
        first = seen_titles.get(title)
        if first is None:
            key = paper_key(title)
            first = seen.get(key)
            if first is None:
                seen[key] = seen_titles[title] = lineno
        if first is not None:
            if warn.full:  # skip formatting: a file of repeats has thousands
                warn.more += 1
            else:
                warn.append(f"line {lineno}: duplicate title (first on line {first}), "
                            f"skipped: '{_clip(title)}'")  # fmt: skip
            continue
        papers.append(ParsedPaper(title, abstract, extract_links(abstract), lineno))
    return tuple(papers)


# --------------------------------------------------------------------------- files

_MAX_BYTES = 256 * 1024 * 1024
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_digest_file(
    path: Path, *, date_override: dt.date | None = None, today: dt.date | None = None
) -> Digest:
    """Read and parse a digest file (UTF-8 with or without BOM, or UTF-16/32 with BOM)."""
    data = read_bytes(path)
    return parse_digest_bytes(data, source=str(path), date_override=date_override, today=today)


def read_bytes(path: Path) -> bytes:
    """A digest or capture file's bytes; ``DigestError`` for a folder, an unreadable file
    or one too large to be a digest."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except IsADirectoryError:
        raise DigestError(f"{path}: is a directory, not a digest file") from None
    except OSError as error:
        raise DigestError(f"{path}: cannot read: {error.strerror or error}") from error
    if len(data) > _MAX_BYTES:
        raise DigestError(f"{path}: larger than {_MAX_BYTES >> 20} MiB, not a digest")
    return data


def decode_text(data: bytes, source: str) -> str:
    """A digest or capture's text from its bytes: UTF-8 (BOM optional), or UTF-16/UTF-32
    with a BOM; ``DigestError`` naming ``source`` and the offset for anything else."""
    return _decode(data, source)


def parse_digest_bytes(
    data: bytes, *, source: str = "<bytes>", date_override: dt.date | None = None,
    today: dt.date | None = None,
) -> Digest:  # fmt: skip
    """Decode a digest's bytes (as ``read_digest_file`` does) and parse them."""
    text = _decode(data, source)
    return parse_digest(text, source=source, date_override=date_override, today=today)


def _decode(data: bytes, source: str) -> str:
    # UTF-8 (BOM optional), or UTF-16/UTF-32 with a BOM. No legacy-encoding guessing:
    # a wrong guess would garble titles silently.
    codec = None
    if data.startswith(_UTF32_BOMS):
        codec = "utf-32"
    elif data.startswith(_UTF16_BOMS):
        codec = "utf-16"
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as error:
            raise DigestError(
                f"{source}: not valid {codec.upper()} text (bad data at offset {error.start}); "
                "re-save it as UTF-8"
            ) from None
    if b"\x00" in data[:8192]:
        raise DigestError(f"{source}: binary file, not a digest")
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + skip
        raise DigestError(
            f"{source}: not UTF-8 text (invalid byte 0x{data[offset]:02x} at offset {offset}); "
            "re-save it as UTF-8"
        ) from None


# --------------------------------------------------------------------------- identity

_NOT_ALNUM = re.compile(r"[\W_]+")
_ASCII_NOT_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())


def paper_key(title: str) -> str:
    """A title folded for identity: TeX cleaned, NFKC, casefolded, only letters and digits.

    ``Pok\\'emon`` and ``Pokémon`` (and ``POKÉMON``) give the same key.
    """
    folded = unicodedata.normalize("NFKC", clean_tex(title)).casefold()
    if folded.isascii():  # bytes.translate does in one C pass what the regex does per match
        return folded.encode("ascii").translate(None, _ASCII_NOT_ALNUM).decode("ascii")
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", folded))


def paper_id(key: str, length: int = 7) -> str:
    """The first ``length`` characters of the lowercase, unpadded RFC 4648 base32 of the
    BLAKE2b digest of ``key`` (UTF-8). The store lengthens ids that collide."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass")).digest()
    # base32 turns each 5 bytes into 8 characters on their own: encode only what is kept,
    # 10 bits per table look-up (base64.b32encode of the whole digest was most of an
    # import's id work).
    out: list[str] = []
    for start in range(0, 5 * -(-length // 8), 5):
        n = int.from_bytes(digest[start : start + 5], "big")
        out += (_B32_PAIRS[n >> 30], _B32_PAIRS[n >> 20 & 1023],
                _B32_PAIRS[n >> 10 & 1023], _B32_PAIRS[n & 1023])  # fmt: skip
    return "".join(out)[:length]


_B32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lowercase
_B32_PAIRS = [a + b for a in _B32 for b in _B32]

"""Digest text -> ``Digest``: parsing, decoding files, links and their kinds, paper ids.

A digest is the text of a daily-papers page: optional header lines ("new", "Subscribe",
...), a date line ("Sep 9"), then paragraphs alternating title and abstract. Everything
here raises only ``DigestError``, with a one-line message naming the source.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from paperterm.errors import DigestError
from paperterm.model import Digest, Link, LinkKind, ParsedPaper
from paperterm.text import clean_tex, sanitize

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
            warn.append(f"line {unknown[0][0]}: skipped {len(unknown)} unknown line(s) "
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
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except IsADirectoryError:
        raise DigestError(f"{path}: is a directory, not a digest file") from None
    except OSError as error:
        raise DigestError(f"{path}: cannot read: {error.strerror or error}") from error
    if len(data) > _MAX_BYTES:
        raise DigestError(f"{path}: larger than {_MAX_BYTES >> 20} MiB, not a digest")
    return parse_digest_bytes(data, source=str(path), date_override=date_override, today=today)


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


# --------------------------------------------------------------------------- links

_FORBIDDEN = (
    r"\s<>\"`\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
    r"\u3000-\u303f\uff00-\uffef\ud800-\udfff"
)
# TeX-escaped characters (``foo\_bar``) are part of a URL and get unescaped.
_URL_BODY = rf"(?:[^{_FORBIDDEN}]++|\\[_%&#~])++"
_HTTP_URL = re.compile(r"[hH][tT][tT][pP][sS]?://" + _URL_BODY)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_BARE_TAIL = re.compile(r"(?:www\.)?[a-z]+\.[a-z]{3}/" + _URL_BODY, re.IGNORECASE)
_BARE_BEFORE = re.compile(r"[\w.@/\\-]")
_TEX_ESCAPE = re.compile(r"\\([_%&#~])")
_QUERY = re.compile(r"[?#]")
_BARE_HINT = re.compile(r"\.(?:[cC][oO][mM]|[oO][rR][gG])/")
_URL_PARTS = re.compile(r"(https?)://([^/?#]*)(.*)", re.IGNORECASE | re.DOTALL)
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?(?::\d{{1,5}})?")
_TRAILING = frozenset(".,;:!?'\"*“”‘’«»…")
_OPENERS = {")": "(", "]": "[", "}": "{"}
_MAX_URL = 2048
_MAX_CANDIDATES = 1000  # URLs looked at per text: bounds the work on hostile input
_HTTPS_ONLY = (
    *_CODE_HOSTS, "github.io", "gitlab.io", "huggingface.co", "hf.co", "hf.space",
    "youtube.com", "youtu.be", "vimeo.com", "arxiv.org", "doi.org", "openreview.net",
    "google.com", "kaggle.com", "zenodo.org", "paperswithcode.com",
)  # fmt: skip


def _on(host: str, domains: Iterable[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _trim(url: str, extra: str = "") -> str:
    """``url`` without trailing punctuation, ``extra`` characters and closing brackets it
    does not open. Linear: counts once, then walks back from the end."""
    unmatched = {close: url.count(close) - url.count(open_) for close, open_ in _OPENERS.items()}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _OPENERS and unmatched[last] > 0:
            unmatched[last] -= 1
        elif last not in _TRAILING and last not in extra:
            break
        end -= 1
    return url[:end]


def _normalize(raw: str, bare: bool) -> tuple[str, str] | None:
    """(normalized URL, dedupe key), or None when it is not a usable http(s) URL."""
    if len(raw) > _MAX_URL:
        return None
    if "\\" in raw:
        raw = _TEX_ESCAPE.sub(r"\1", raw)
    match = _URL_PARTS.fullmatch(_trim("https://" + raw if bare else raw))
    if match is None or not _HOST.fullmatch(match.group(2)):
        return None
    scheme, host, rest = match.group(1).lower(), match.group(2).lower(), match.group(3)
    host = host.replace(".:", ":").rstrip(".")
    plain = host.removeprefix("www.")
    if plain in _CODE_HOSTS:
        host, scheme = plain, "https"
        if not _QUERY.search(rest):
            rest = _trim(rest, "/")
            if rest.count("/") == 2:  # the repository itself: drop ".git"
                rest = _trim(rest.removesuffix(".git"), "/")
        return f"{scheme}://{host}{rest}", (host + rest).casefold()
    if _on(plain, _HTTPS_ONLY):
        scheme = "https"
    return f"{scheme}://{host}{rest}", host + rest.rstrip("/")


def _bare_mentions(text: str) -> Iterator[tuple[int, str, bool]]:
    """``github.com/owner/...`` without a scheme: found from the ``.com/``/``.org/`` hits
    (a literal scan) instead of a case-insensitive regex tried at every character."""
    for hit in islice(_BARE_HINT.finditer(text), 4 * _MAX_CANDIDATES):
        dot = hit.start()
        domain = (text[max(dot - 9, 0) : dot] + text[dot : dot + 4]).lower()
        name = next((host for host in _CODE_HOSTS if domain.endswith(host)), None)
        if name is None:
            continue
        start = dot + 4 - len(name)
        if text[max(start - 4, 0) : start].lower() == "www.":
            start -= 4
        if start > 0 and _BARE_BEFORE.match(text, start - 1):
            continue  # part of a URL with a scheme, an e-mail address or another domain
        match = _BARE_TAIL.match(text, start)
        if match is not None:
            yield start, match.group(), True


def extract_links(text: str) -> tuple[Link, ...]:
    """Every http(s) URL and bare ``github.com/owner/repo`` (also GitLab, Bitbucket,
    Codeberg) mention in ``text``, in order of appearance, as ``Link``s.

    URLs lose trailing punctuation and closing brackets not opened inside them; bare
    mentions and known https-only hosts get ``https://``; repository URLs lose a trailing
    ``/`` or ``.git``. Duplicates (after that normalization) are dropped. Only the first
    1000 candidate URLs of a text are looked at. Never raises.
    """
    scheme = "://" in text
    bare = _BARE_HINT.search(text) is not None
    if not (scheme or bare):
        return ()
    streams: list[Iterator[tuple[int, str, bool]]] = []
    if scheme:
        streams.append((m.start(), m.group(), False) for m in _HTTP_URL.finditer(text))
    if bare:
        streams.append(_bare_mentions(text))
    links: list[Link] = []
    seen: set[str] = set()
    for _, raw, is_bare in islice(heapq.merge(*streams), _MAX_CANDIDATES):
        normalized = _normalize(raw, is_bare)
        if normalized is None or normalized[1] in seen:
            continue
        seen.add(normalized[1])
        links.append(Link(normalized[0], link_kind(normalized[0])))
    return tuple(links)


_GITHUB_NOT_OWNERS = frozenset(
    ("about", "apps", "collections", "enterprise", "explore", "features", "login",
     "marketplace", "pricing", "search", "settings", "signup", "sponsors", "topics", "trending")
)  # fmt: skip
_VIDEO = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "bilibili.com",
          "b23.tv")  # fmt: skip
_DATASET = ("zenodo.org", "figshare.com", "dataverse.harvard.edu")
_DEMO = ("hf.space", "gradio.live", "gradio.app", "colab.research.google.com")
_PAPER_HOSTS = (
    "arxiv.org", "alphaxiv.org", "doi.org", "openreview.net", "aclanthology.org", "aclweb.org",
    "ieee.org", "acm.org", "springer.com", "sciencedirect.com", "elsevier.com", "nature.com",
    "science.org", "wiley.com", "neurips.cc", "nips.cc", "icml.cc", "iclr.cc", "mlr.press",
    "jmlr.org", "aaai.org", "ijcai.org", "thecvf.com", "ecva.net", "semanticscholar.org",
    "paperswithcode.com", "researchgate.net", "biorxiv.org", "medrxiv.org", "ssrn.com",
    "ncbi.nlm.nih.gov", "scholar.google.com", "dblp.org", "huggingface.co", "hf.co",
    "twitter.com", "x.com", "drive.google.com", "docs.google.com",
)  # fmt: skip


def link_kind(url: str) -> LinkKind:
    """What a URL points at, from its host and path:

    - ``code``: a repository on github.com, gitlab.com, bitbucket.org, codeberg.org
      (``/owner/repo`` with any deeper path), gist.github.com, raw.githubusercontent.com;
    - ``dataset``: huggingface.co/datasets/..., kaggle.com/datasets/..., zenodo.org,
      figshare.com, paperswithcode.com/dataset(s)/...;
    - ``demo``: huggingface.co/spaces/..., *.hf.space, gradio.live, colab.research.google.com;
    - ``video``: youtube.com, youtu.be, vimeo.com, bilibili.com;
    - ``other``: paper and publisher hosts (arxiv.org, doi.org, openreview.net, ACL, IEEE,
      ACM, Springer, ...), other huggingface.co pages (models, papers), social media,
      site pages of the code hosts (github.com/topics, ...), and anything unparsable;
    - ``project``: everything else: *.github.io and *.gitlab.io sites, sites.google.com,
      a code host's owner page (github.com/owner), personal and lab homepages.
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return "other"
    if parts.scheme.lower() not in ("http", "https") or not host:
        return "other"
    host = host.removeprefix("www.").removeprefix("m.")
    segments = [segment for segment in parts.path.split("/") if segment]
    first = segments[0].lower() if segments else ""
    if host in _CODE_HOSTS:
        if host == "github.com" and first in _GITHUB_NOT_OWNERS:
            return "other"
        return "code" if len(segments) >= 2 else "project" if segments else "other"
    if host in ("gist.github.com", "raw.githubusercontent.com"):
        return "code"
    if host in ("huggingface.co", "hf.co") and len(segments) >= 2:
        if first == "datasets":
            return "dataset"
        if first == "spaces":
            return "demo"
    if _on(host, _VIDEO):
        return "video"
    if _on(host, _DATASET) or (
        (host == "kaggle.com" and first == "datasets")
        or (host == "paperswithcode.com" and first in ("dataset", "datasets"))
    ):
        return "dataset"
    if _on(host, _DEMO):
        return "demo"
    if _on(host, _PAPER_HOSTS):
        return "other"
    return "project"


# --------------------------------------------------------------------------- identity

_NOT_ALNUM = re.compile(r"[\W_]+")
_ASCII_NOT_ALNUM = bytes(b for b in range(128) if not chr(b).isalnum())


def paper_key(title: str) -> str:
    """A title folded for identity: TeX cleaned, NFKC, casefolded, only letters and digits.

    ``Pok\\'emon`` and ``Pokémon`` (and ``POKÉMON``) give the same key.
    """
    folded = unicodedata.normalize("NFKC", clean_tex(title)).casefold()
    if folded.isascii():  # bytes.translate is ~30x faster than the regex
        return folded.encode("ascii").translate(None, _ASCII_NOT_ALNUM).decode("ascii")
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", folded))


def paper_id(key: str, length: int = 7) -> str:
    """The first ``length`` characters of the lowercase, unpadded RFC 4648 base32 of the
    BLAKE2b digest of ``key`` (UTF-8). The store lengthens ids that collide."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()[:length]

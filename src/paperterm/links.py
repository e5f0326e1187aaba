"""Links in abstracts: every http(s) URL and bare repository mention, with its kind.

Untrusted text: only http and https links are ever produced, trailing punctuation is
trimmed, and the work per text is bounded so a hostile digest cannot stall an import.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from urllib.parse import urlsplit

from paperterm.model import Link, LinkKind

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

r"""Reading lists as Markdown: for reading, pasting into notes, or sending to a team.

:func:`export_markdown` turns entries (papers with the user's state) into a GitHub-flavoured
Markdown document. An example, for one starred, read paper (the ``Links:`` line is one line)::

    # Reading list

    Query: `is:starred` · 1 paper · exported 2026-11-22

    - [x] ★ **VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use**\
      2026-09-09 · 2026-09-03 · `#rl` `#agents` · 120 upvotes · id: `k3q9zfa`\
      By Dongfu Jiang, Yi Lu, Zhuofeng Li, Zhiheng Lyu, Ping Nie, Haozhe Wang, … +3\
      Code: <https://github.com/TIGER-AI-Lab/verl-tool>\
      Links: [project](https://verltool.github.io/) · [arXiv](https://arxiv.org/abs/2509.01055) ·
      [Hugging Face](https://huggingface.co/papers/2509.01055)

      > Compare with ReTool before Friday.

      RLVR helps LLMs reason, e.g. on math. We introduce VerlTool, a modular framework. …

Each paper is a task-list item, ``[x]`` when read; its continuation lines are indented two
spaces so they stay inside the item, and the title block's lines end in ``\`` (a hard line
break) so that they render as separate lines without trailing spaces. Digest dates are ISO,
newest first, then the upvotes when known; the authors follow (the first six, then how many
more), then the code link (the GitHub repository when known) and the other links, the
paper's arXiv and Hugging Face pages last; the abstract is its first two sentences (at most
about 300 characters, `` …`` marking the cut) unless ``full=True``, in display form
(:func:`paperterm.text.clean_tex`).

Titles, abstracts, authors, notes and tags are untrusted web text: they are stripped of control
characters, escape sequences and bidirectional controls (:func:`paperterm.text.sanitize`),
then Markdown-escaped so that they show literally (``<script>`` shows as text; emphasis,
links, tables, headings and lists cannot be injected). Only http and https links are
written; any other scheme is dropped, and link targets are percent-encoded where Markdown
would misread them. The output is deterministic: the same input gives byte-identical text,
ending in one newline.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from paperterm.model import Entry, Link
from paperterm.paper_info import paper_links, short_authors, upvotes_text
from paperterm.text import clean_tex, plural, sanitize

__all__ = [
    "ABSTRACT_LIMIT",
    "ABSTRACT_SENTENCES",
    "code_span",
    "export_markdown",
    "first_sentences",
    "markdown_escape",
    "safe_url",
]

ABSTRACT_SENTENCES = 2
"""How many sentences of the abstract a default export shows."""

ABSTRACT_LIMIT = 300
"""The most characters of abstract a default export shows (before the `` …``)."""

ELLIPSIS = " …"
_SEP = " · "
_HARD_BREAK = "\\"

# Characters that are Markdown syntax anywhere on a line (CommonMark + GFM: strikethrough
# ``~``, tables ``|``, math ``$`` on GitHub and in note apps). ``\`` first, by construction.
_INLINE_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|~$"})
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LINE_START_MARKERS = frozenset("#+-=")

# Characters a link destination or autolink cannot hold literally.
_URL_UNSAFE = frozenset(' "<>()\\`{}|^')
_URL_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")

_LINK_LABELS: dict[str, str] = {"other": "link", "arxiv": "arXiv", "hf": "Hugging Face"}
EXPORT_AUTHORS = 6
"""How many authors an entry names before "… +N"."""

# Tokens before a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "al",
        "approx",
        "cf",
        "eq",
        "eqs",
        "fig",
        "figs",
        "resp",
        "sec",
        "vs",
        "viz",
        "e.g",
        "i.e",
        "dr",
        "prof",
        "mr",
        "ms",
    }
)
_DOTTED_ABBREVIATION = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}$")
_SENTENCE_END = re.compile(r"([.!?]+)([\"'”’)\]]*)(\s+)")
_TOKEN_BEFORE = re.compile(r"(\S+)$")


def export_markdown(
    entries: Sequence[Entry], *, query: str, today: dt.date, full: bool = False
) -> str:
    r"""The entries, in the given order, as a Markdown reading list.

    ``query`` is the search that selected them (shown in a code span; empty means all
    papers), ``today`` the export date, ``full`` whether to show whole abstracts.

    >>> import datetime as dt
    >>> from paperterm.model import Entry, Link, Paper, PaperState
    >>> paper = Paper(
    ...     id="k3q9zfa",
    ...     title="Pok\\'emon *Battles*",
    ...     abstract="We reach 4.23\\% error, e.g. on VGC. It is fast. More follows.",
    ...     links=(Link("https://github.com/a/b", "code"),),
    ...     dates=(dt.date(2026, 9, 3), dt.date(2026, 9, 9)),
    ... )
    >>> entry = Entry(paper, PaperState(read=True, tags=("games",)))
    >>> print(export_markdown([entry], query="is:read", today=dt.date(2026, 11, 22)), end="")
    # Reading list
    <BLANKLINE>
    Query: `is:read` · 1 paper · exported 2026-11-22
    <BLANKLINE>
    - [x] **Pokémon \*Battles\***\
      2026-09-09 · 2026-09-03 · `#games` · id: `k3q9zfa`\
      Code: <https://github.com/a/b>
    <BLANKLINE>
      We reach 4.23% error, e.g. on VGC. It is fast. …
    """
    lines = ["# Reading list", "", _query_line(query, len(entries), today)]
    if not entries:
        lines += ["", "No papers match."]
    for entry in entries:
        lines.append("")
        lines.extend(_entry_lines(entry, full=full))
    text = "\n".join(line.rstrip() for line in lines)
    return text.rstrip("\n") + "\n"


# --------------------------------------------------------------------------- pieces


def _query_line(query: str, count: int, today: dt.date) -> str:
    shown_query = _clean(query, single_line=True)
    shown = f"Query: {code_span(shown_query)}" if shown_query else "Query: (all papers)"
    return _SEP.join((shown, plural(count, "paper"), f"exported {today.isoformat()}"))


def _entry_lines(entry: Entry, *, full: bool) -> list[str]:
    paper, state = entry.paper, entry.state
    title = _clean(clean_tex(_clean(paper.title, single_line=True)), single_line=True)
    box = "[x]" if state.read else "[ ]"
    star = "★ " if state.starred else ""
    head = [f"- {box} {star}**{markdown_escape(title or '(untitled)', line_start=False)}**"]

    meta = [d.isoformat() for d in sorted(set(paper.dates), reverse=True)]
    tag_names = _unique(_clean(tag, single_line=True).lstrip("#") for tag in state.tags)
    tags = [code_span("#" + tag) for tag in tag_names]
    if tags:
        meta.append(" ".join(tags))
    if paper.meta.upvotes is not None:
        meta.append(upvotes_text(paper.meta.upvotes))
    meta.append(f"id: {code_span(_clean(paper.id, single_line=True) or '?')}")
    head.append("  " + _SEP.join(meta))
    authors = short_authors(tuple(_clean(a, single_line=True) for a in paper.meta.authors),
                            EXPORT_AUTHORS)  # fmt: skip
    if authors:
        head.append(f"  By {markdown_escape(authors, line_start=False)}")

    code, others = _split_links(paper_links(paper))
    if code is not None:
        head.append(f"  Code: <{code}>")
    if others:
        links = _SEP.join(f"[{_link_label(kind)}]({_link_target(url)})" for kind, url in others)
        head.append(f"  Links: {links}")

    out = [line + _HARD_BREAK for line in head[:-1]] + head[-1:]

    note = _note_lines(state.note)
    if note:
        out += ["", *note]

    for paragraph in _abstract_paragraphs(paper.abstract, full=full):
        out += ["", "  " + paragraph]
    return out


def _note_lines(note: str) -> list[str]:
    """The note as a blockquote inside the list item; its lines kept as hard breaks."""
    paragraphs: list[list[str]] = [[]]
    for raw in _clean(note).split("\n"):
        line = " ".join(raw.split())
        if line:
            paragraphs[-1].append(markdown_escape(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    out: list[str] = []
    for paragraph in (p for p in paragraphs if p):
        if out:
            out.append("  >")
        out += [f"  > {line}{_HARD_BREAK}" for line in paragraph[:-1]]
        out.append(f"  > {paragraph[-1]}")
    return out


def _abstract_paragraphs(abstract: str, *, full: bool) -> list[str]:
    text = clean_tex(_clean(abstract))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t\r\f\v]*\n", _clean(text))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return []
    if full:
        return [markdown_escape(p) for p in paragraphs]
    joined = " ".join(paragraphs)
    shown = first_sentences(joined)
    if shown == joined:
        return [markdown_escape(shown)]
    return [markdown_escape(shown) + ELLIPSIS]


def _split_links(links: Iterable[Link]) -> tuple[str | None, list[tuple[str, str]]]:
    """The first safe code URL, and every other safe link as (kind, url), deduplicated."""
    code: str | None = None
    others: list[tuple[str, str]] = []
    seen: set[str] = set()
    for link in links:
        url = safe_url(link.url)
        if url is None or url in seen:
            continue
        seen.add(url)
        if link.kind == "code" and code is None:
            code = url
        else:
            others.append((link.kind, url))
    return code, others


def _link_label(kind: str) -> str:
    """The link text for a link kind ("other" reads better as "link")."""
    return markdown_escape(_LINK_LABELS.get(kind, kind), line_start=False)


def _link_target(url: str) -> str:
    """A safe URL as a ``[label](target)`` destination, where entities would be decoded."""
    return _URL_ENTITY.sub(r"\\&", url)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _clean(text: str, *, single_line: bool = False) -> str:
    """Untrusted text without control characters, escape sequences or bidi controls."""
    return sanitize(text, single_line=single_line)


# --------------------------------------------------------------------------- public helpers


def markdown_escape(text: str, *, line_start: bool = True) -> str:
    r"""``text`` escaped so that Markdown renders it literally, on one line.

    Escapes what is syntax anywhere on a line (``\ ` * _ [ ] < > | ~ $`` and ``&`` when it
    would start an entity) and, when ``line_start`` (the text begins a line), what is syntax
    only there: ``#``, ``+``, ``-``, ``=`` and an ordered-list marker (``1.`` becomes ``1\.``).
    Other punctuation is left alone.

    >>> markdown_escape("*bold* [x](y) <b> a|b 4.2-3 (ok)")
    '\\*bold\\* \\[x\\](y) \\<b\\> a\\|b 4.2-3 (ok)'
    >>> markdown_escape("1. first"), markdown_escape("- item"), markdown_escape("# h")
    ('1\\. first', '\\- item', '\\# h')
    """
    escaped = _ENTITY.sub("\\&", text.translate(_INLINE_ESCAPES))
    if line_start and escaped:
        if escaped[0] in _LINE_START_MARKERS:
            escaped = "\\" + escaped
        else:
            escaped = _ORDERED_MARKER.sub(r"\1\\\2", escaped, count=1)
    return escaped


def code_span(text: str) -> str:
    """``text`` as an inline code span, with enough backticks to hold any it contains.

    >>> code_span("is:starred"), code_span("a`b"), code_span("`x`")
    ('`is:starred`', '``a`b``', '`` `x` ``')
    """
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = text.startswith("`") or text.endswith("`")
    pad = pad or (text.startswith(" ") and text.endswith(" ") and text.strip() != "")
    inner = f" {text} " if pad else text
    return f"{fence}{inner}{fence}"


def safe_url(url: str) -> str | None:
    """``url`` fit for a Markdown link target or autolink, or None unless http(s).

    Whitespace, controls, and characters that would end or alter the target (``<``,
    ``>``, ``(``, ``)``, ``\\``, backtick, ...) are percent-encoded; an ``&`` that would
    read as an HTML entity is left to the caller (a link target escapes it as ``\\&``).

    >>> safe_url("https://example.org/a b(1)")
    'https://example.org/a%20b%281%29'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    out: list[str] = []
    for ch in url:
        if ch in _URL_UNSAFE or not ch.isprintable() or unicodedata.category(ch)[0] in "CZ":
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def first_sentences(text: str, count: int = ABSTRACT_SENTENCES, limit: int = ABSTRACT_LIMIT) -> str:
    """The first ``count`` sentences of ``text``, as many as fit in ``limit`` characters.

    Whitespace is collapsed. Sentences end at ``.``, ``!`` or ``?`` followed by a space and
    not a lower-case letter; abbreviations (``e.g.``, ``i.e.``, ``et al.``, ``vs.``,
    ``Fig.``, ...) and decimals (``4.23``) do not end one. When even the first sentence is
    longer than ``limit`` it is cut at the last space before it. Returns ``text`` (collapsed)
    when nothing had to be left out; no ellipsis is added here.

    >>> first_sentences("We use e.g. BERT, i.e. a model. It gets 4.23 points vs. 3.9. Done.")
    'We use e.g. BERT, i.e. a model. It gets 4.23 points vs. 3.9.'
    """
    text = " ".join(text.split())
    if count < 1:
        return ""
    if len(text) <= limit and len(_sentence_ends(text)) < count:
        return text
    taken = ""
    for end in _sentence_ends(text)[:count]:
        if end > limit:
            break
        taken = text[:end]
    if taken:
        return taken
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    head = text[:cut] if cut > limit // 2 else text[:limit]
    return head.rstrip(" ,;:–—-")


def _sentence_ends(text: str) -> list[int]:
    """Offsets just past each sentence's final punctuation (and closing quotes)."""
    ends: list[int] = []
    for match in _SENTENCE_END.finditer(text):
        after = match.end()
        if after >= len(text) or text[after].islower():
            continue
        if match.group(1) == ".":
            token = _TOKEN_BEFORE.search(text, 0, match.start())
            word = token.group(1).lstrip("([\"'“‘").lower() if token else ""
            if word in _ABBREVIATIONS or _DOTTED_ABBREVIATION.match(word):
                continue
        ends.append(match.end(2))
    return ends

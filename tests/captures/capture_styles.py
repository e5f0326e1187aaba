"""Papers rendered in each capture style, for the property tests: the shapes of the
hand-written fixtures, with the wrapping, order and repeats under the test's control."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One paper as a page shows it."""

    title: str
    abstract: str
    arxiv_id: str
    upvotes: int
    repo: str  # OWNER/REPO, or "" for none
    stars: int

    @property
    def page(self) -> str:
        return f"https://huggingface.co/papers/{self.arxiv_id}"

    @property
    def code_url(self) -> str | None:
        return f"https://github.com/{self.repo}" if self.repo else None


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def markdown(entries: list[Entry], width: int, *, before: bool, backslashes: bool) -> str:
    """A Markdown capture: navigation, then per paper the upvote link before (``before``)
    or after the heading, a linked heading (wrapped with an open ``[`` when long), the
    author count, links and the hard-wrapped abstract."""
    out = [
        "[Hugging Face](https://huggingface.co/)",
        "",
        "* [Models](https://huggingface.co/models)",
        "* [Datasets](https://huggingface.co/datasets)",
        "",
        "# Daily Papers",
        "",
        "[Subscribe](https://huggingface.co/papers#subscribe)",
        "",
    ]
    for entry in entries:
        vote = f"[{entry.upvotes or '-'}](https://huggingface.co/login?next=%2Fpapers)"
        if before:
            out += [
                f"[![](https://cdn.example/{entry.arxiv_id}.png)]({entry.page})",
                "",
                "Submitted by",
                "",
                "![](https://cdn.example/a.png) someone",
                "",
                vote,
                "",
            ]
        words = entry.title.split()
        if len(entry.title) > width and len(words) > 3:
            half = len(words) // 2
            out += [
                f"### [{' '.join(words[:half])}",
                f"### {' '.join(words[half:])}]({entry.page})",
            ]
        else:
            out.append(f"### [{entry.title}]({entry.page})")
        out += ["", "· [5 authors](" + entry.page + "#authors)", "· 2", ""]
        if not before:
            out += [vote, ""]
        if entry.repo:
            out += [
                f"[GitHub {entry.stars}](https://github.com/{entry.repo}) · "
                f"[arXiv Page](https://arxiv.org/abs/{entry.arxiv_id})",
                "",
            ]
        lines = _wrap(entry.abstract, width)
        if backslashes:
            lines = [line + "\\" for line in lines[:-1]] + lines[-1:]
        out += [*lines, ""]
    out += ["---", "", "Company · TOS · Privacy", ""]
    return "\n".join(out)


def text_browser(entries: list[Entry], width: int) -> str:
    """A lynx-style dump: numbered references, their targets listed at the end."""
    out = [
        "   [Hugging Face][1] [Models][2] [Datasets][3]",
        "",
        "Daily Papers",
        "",
        "   [Subscribe][4]",
        "",
    ]
    targets = [
        "https://huggingface.co/",
        "https://huggingface.co/models",
        "https://huggingface.co/datasets",
        "https://huggingface.co/papers#subscribe",
    ]

    def ref(url: str) -> int:
        targets.append(url)
        return len(targets)

    for entry in entries:
        out.append(f"   [IMG][{ref(entry.page)}]")
        out.append(f"   [ {entry.upvotes} ][{ref('https://huggingface.co/login?next=x')}]")
        title = _wrap(f"[{entry.title}][{ref(entry.page)}]", width)
        out += ["   " + line for line in title]
        out.append(f"   · [5 authors][{ref(entry.page + '#authors')}]")
        if entry.repo:
            out.append(f"   [GitHub {entry.stars}][{ref(entry.code_url or '')}]")
        out += ["   " + line for line in _wrap(entry.abstract, width)]
        out.append("")
    out += ["References", ""]
    out += [f"   {number}. {url}" for number, url in enumerate(targets, 1)]
    return "\n".join(out) + "\n"


def text_export(entries: list[Entry], width: int) -> str:
    """A reader-mode export: navigation, then title, URL line, metadata, abstract."""
    out = ["Hugging Face", "Models", "Datasets", "Daily Papers", "Subscribe", ""]
    for entry in entries:
        title = _wrap(entry.title, max(width, 60))
        if len(title) > 1 and len(title[0]) < 40:
            title = [entry.title]
        out += [*title, entry.page, f"{entry.upvotes} upvotes"]
        if entry.repo:
            out += [f"GitHub {entry.stars}", f"https://github.com/{entry.repo}"]
        out += [*_wrap(entry.abstract, width), ""]
    return "\n".join(out)


def hf_json(entries: list[Entry], width: int) -> str:
    """The API's list of items, summaries hard-wrapped as the API sends them."""
    items = [
        {
            "paper": {
                "id": entry.arxiv_id,
                "title": entry.title,
                "summary": "\n".join(_wrap(entry.abstract, width)),
                "upvotes": entry.upvotes,
                "githubRepo": entry.repo or None,
                "githubStars": entry.stars if entry.repo else None,
            },
            "numComments": 1,
        }
        for entry in entries
    ]
    return json.dumps(items, indent=1)

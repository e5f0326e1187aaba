"""PaperMeta: what is known beyond a paper's text, and how a newer capture refreshes it."""

from __future__ import annotations

import datetime as dt

from paperterm.model import NO_META, Link, Paper, PaperMeta, ParsedPaper


def test_merged_keeps_known_fields_that_the_newer_capture_lacks() -> None:
    old = PaperMeta(arxiv_id="2509.01234", authors=("Ada Lovelace",), upvotes=3,
                    github_repo="https://github.com/a/b", github_stars=10)
    new = PaperMeta(upvotes=7)
    merged = old.merged(new)
    assert merged.arxiv_id == "2509.01234"
    assert merged.authors == ("Ada Lovelace",)
    assert merged.github_repo == "https://github.com/a/b"
    assert merged.upvotes == 7  # volatile counts follow the newer capture
    assert merged.github_stars == 10


def test_merged_takes_a_newer_zero_count_and_never_erases_with_none() -> None:
    old = PaperMeta(upvotes=5, github_stars=2)
    assert old.merged(PaperMeta(upvotes=0)).upvotes == 0
    assert old.merged(PaperMeta(upvotes=None)).upvotes == 5
    assert old.merged(NO_META) is old
    assert NO_META.merged(old) is old


def test_urls_follow_the_arxiv_id() -> None:
    assert NO_META.arxiv_url is None and NO_META.hf_url is None
    meta = PaperMeta(arxiv_id="2509.01234")
    assert meta.arxiv_url == "https://arxiv.org/abs/2509.01234"
    assert meta.hf_url == "https://huggingface.co/papers/2509.01234"
    assert not meta.is_empty and NO_META.is_empty


def test_code_url_prefers_the_github_repository_over_abstract_links() -> None:
    links = (Link("https://gitlab.com/x/y", "code"),)
    plain = Paper("p", "T", "A", links, (dt.date(2025, 9, 9),))
    assert plain.code_url == "https://gitlab.com/x/y"
    repo = PaperMeta(github_repo="https://github.com/o/r")
    assert ParsedPaper("T", "A", links, 1, repo).code_url == "https://github.com/o/r"
    assert ParsedPaper("T", "A", (), 1).code_url is None

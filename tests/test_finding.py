"""finding.find_ids: the one query entry point of the reader and ``paperterm list``."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperterm.digest import read_digest_file
from paperterm.finding import find_ids, wants_index
from paperterm.model import Paper, PaperState
from paperterm.paths import sample_digest_paths
from paperterm.query import parse_query
from paperterm.search import SearchIndex


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    from paperterm.store import Store

    with Store.open(tmp_path_factory.mktemp("data"), "alice") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path))
        return store.papers()


def test_which_queries_want_the_index() -> None:
    assert wants_index(parse_query("agents"))
    assert wants_index(parse_query("author:smith"))
    assert not wants_index(parse_query("is:starred has:code"))
    assert not wants_index(parse_query(""))


def test_filters_give_the_same_ids_with_or_without_the_index(papers: list[Paper]) -> None:
    index = SearchIndex(papers)
    states = {papers[3].id: PaperState(starred=True), papers[5].id: PaperState(read=True)}
    for text in ("is:starred", "-is:read", "has:code", "", "date:2026-09-03"):
        query = parse_query(text)
        plain = find_ids(query, papers, states)
        assert plain == find_ids(query, papers, states, index=index), text
    assert find_ids(parse_query("is:starred"), papers, states) == [papers[3].id]


def test_empty_query_is_every_paper_newest_first(papers: list[Paper]) -> None:
    assert find_ids(parse_query(""), papers, {}) == [paper.id for paper in papers]
    assert find_ids(parse_query(""), papers, {}, limit=3) == [p.id for p in papers[:3]]


def test_limit_cuts_after_the_sort(papers: list[Paper]) -> None:
    from dataclasses import replace

    # upvotes rising with age: the upvotes order is the reverse of the newest-first order
    voted = [replace(paper, meta=replace(paper.meta, upvotes=n))
             for n, paper in enumerate(papers)]
    query = parse_query("")
    assert find_ids(query, voted, {}, sort="upvotes", limit=5) == [
        paper.id for paper in voted[::-1][:5]]
    assert find_ids(query, voted, {}, limit=5) == [paper.id for paper in voted[:5]]


def test_free_words_rank_by_the_index(papers: list[Paper]) -> None:
    index = SearchIndex(papers)
    ids = find_ids(parse_query("continual learning"), papers, {}, index=index)
    by_id = {paper.id: paper for paper in papers}
    assert ids and "Continual" in by_id[ids[0]].title
    dated = find_ids(parse_query("continual learning"), papers, {}, index=index, sort="date")
    assert sorted(dated) == sorted(ids)
    assert [by_id[i].newest for i in dated] == sorted((by_id[i].newest for i in dated),
                                                      reverse=True)


def test_cli_list_uses_it(tmp_path: Path) -> None:
    from paperterm.cli_common import _query_entries
    from paperterm.store import Store

    with Store.open(tmp_path, "alice") as store:
        for path in sample_digest_paths():
            store.import_digest(read_digest_file(path))
        entries = _query_entries(store, "continual learning", 2)
        assert len(entries) == 2 and "Continual" in entries[0].paper.title
        assert [e.id for e in _query_entries(store, "", None)] == [
            p.id for p in store.papers()]

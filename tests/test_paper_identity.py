"""A paper's identity: its arXiv id when known, else its title; metadata merged, never erased."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperterm.documents import DateCache, meta_from_doc, meta_to_doc, paper_from_doc
from paperterm.importing import plan_import
from paperterm.model import NO_META, Digest, PaperMeta, ParsedPaper
from paperterm.store import Store

D1, D2, D3 = dt.date(2026, 9, 1), dt.date(2026, 9, 2), dt.date(2026, 10, 1)


def paper(title: str, abstract: str = "", **meta: object) -> ParsedPaper:
    return ParsedPaper(title, abstract, (), 1, PaperMeta(**meta) if meta else NO_META)  # type: ignore[arg-type]


def digest(day: dt.date, *papers: ParsedPaper, fmt: str = "json") -> Digest:
    return Digest(day, papers, f"{day}.{fmt}", format=fmt)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data", "alice")


def test_meta_documents_hold_only_the_known_fields_and_round_trip() -> None:
    full = PaperMeta(
        arxiv_id="2609.01234", authors=("A. Smith", "B. Jones"), upvotes=0,
        published=dt.date(2026, 8, 30), github_repo="https://github.com/o/r", github_stars=0,
        project_page="https://o.github.io/r", ai_summary="Short.", ai_keywords=("rl", "llm"),
    )  # fmt: skip
    loaded = meta_from_doc(meta_to_doc(full))
    assert loaded == full and hash(loaded) == hash(full) and repr(loaded) == repr(full)
    with pytest.raises(AttributeError):  # built without the constructor, still frozen
        loaded.upvotes = 1  # type: ignore[misc]
    assert meta_to_doc(PaperMeta(upvotes=0)) == {"upvotes": 0}  # zero is known, not absent
    assert meta_to_doc(NO_META) == {} and meta_from_doc(None) is NO_META
    with pytest.raises(TypeError):
        meta_from_doc({"upvotes": "many"})
    with pytest.raises(TypeError):
        meta_from_doc(["arxiv"])
    with pytest.raises(TypeError):
        meta_from_doc({"authors": ["A. Smith", 7]})


def test_papers_without_metadata_share_no_meta_and_store_no_meta_key(store: Store) -> None:
    store.import_digest(digest(D1, paper("Plain One", "a"), paper("Plain Two", "b"), fmt="plain"))
    assert all(p.meta is NO_META for p in store.papers())
    shard = json.loads((store.data_dir / "papers" / "2026-09.json").read_text())["papers"]
    assert all("meta" not in doc for doc in shard.values())
    reopened = Store.open(store.data_dir, "alice")
    assert all(p.meta is NO_META for p in reopened.papers())


def test_the_same_arxiv_id_is_one_paper_whatever_the_title(store: Store) -> None:
    first = store.import_digest(
        digest(D1, paper("Tiny Experts", "abs", arxiv_id="2609.1", upvotes=5))
    )
    (pid,) = first.new_ids
    again = store.import_digest(
        digest(D2, paper("Tiny Experts: a longer title", "", arxiv_id="2609.1", upvotes=9,
                         authors=("A. Smith",)))
    )  # fmt: skip
    assert (again.new, again.known, again.refreshed) == (0, 1, 1)
    got = store.get(pid)
    assert got.title == "Tiny Experts" and got.dates == (D1, D2)
    assert got.meta.upvotes == 9 and got.meta.authors == ("A. Smith",)  # refreshed, added
    assert got.abstract == "abs"  # an empty abstract never erases one


def test_a_title_only_paper_and_the_same_title_with_an_arxiv_id_are_one(store: Store) -> None:
    (pid,) = store.import_digest(digest(D1, paper("Long Context", "text"), fmt="plain")).new_ids
    store.set_starred([pid], True)
    store.add_tags([pid], ["later"])
    result = store.import_digest(
        digest(D3, paper("long context!", "", arxiv_id="2610.7", upvotes=3))
    )
    assert (result.new, result.known) == (0, 1)
    got = store.get(pid)
    assert got.dates == (D1, D3) and got.meta.arxiv_id == "2610.7"
    assert store.state(pid).starred and store.state(pid).tags == ("later",)
    # and later a plain copy of the same title is that paper too
    assert store.import_digest(digest(D2, paper("Long Context", "text"), fmt="plain")).known == 1
    # reopened: the arXiv id still finds it
    reopened = Store.open(store.data_dir, "bob")
    later = reopened.import_digest(
        digest(D3.replace(day=2), paper("Renamed", "", arxiv_id="2610.7"))
    )
    assert later.known == 1 and reopened.get(pid).dates == (D1, D2, D3, D3.replace(day=2))


def test_a_same_title_with_another_arxiv_id_is_another_paper(store: Store) -> None:
    (one,) = store.import_digest(digest(D1, paper("Attention", "x", arxiv_id="1706.1"))).new_ids
    result = store.import_digest(digest(D2, paper("Attention", "y", arxiv_id="2609.2")))
    assert result.new == 1 and result.new_ids[0] != one
    assert store.get(one).meta.arxiv_id == "1706.1"  # the existing ids stay


def test_later_captures_refresh_volatile_fields_and_never_erase_known_ones(store: Store) -> None:
    rich = paper("Agents", "abs", arxiv_id="2609.3", upvotes=10, github_repo="https://github.com/a/b",
                 github_stars=100, authors=("X. Y.",), published=dt.date(2026, 8, 1))  # fmt: skip
    (pid,) = store.import_digest(digest(D1, rich)).new_ids
    store.import_digest(
        digest(D2, paper("Agents", "", arxiv_id="2609.3", upvotes=4, github_stars=120))
    )
    meta = store.get(pid).meta
    assert (meta.upvotes, meta.github_stars) == (4, 120)
    assert meta.github_repo == "https://github.com/a/b" and meta.authors == ("X. Y.",)
    assert meta.published == dt.date(2026, 8, 1)
    store.import_digest(digest(D3, paper("Agents", "abs"), fmt="plain"))  # knows nothing more
    assert store.get(pid).meta == meta
    assert store.get(pid).code_url == "https://github.com/a/b"


def test_ids_of_existing_papers_stay_stable(store: Store) -> None:
    (pid,) = store.import_digest(digest(D1, paper("Stable Id", "a"), fmt="plain")).new_ids
    store.import_digest(digest(D2, paper("Stable Id", "", arxiv_id="2609.9")))
    assert [p.id for p in store.papers()] == [pid]


def test_the_plan_merges_repeats_within_one_batch_by_arxiv_id() -> None:
    plan = plan_import(
        [digest(D1, paper("A", "x", arxiv_id="1"), paper("A (v2)", "", arxiv_id="1", upvotes=2)),
         digest(D2, paper("a", "", upvotes=3))],
        id_of_key={}, month_of={}, papers={}, new_id=lambda key, taken: f"p{len(taken)}",
    )  # fmt: skip
    first, second = plan.results
    assert (first.new, first.known, second.new, second.known) == (1, 1, 0, 1)
    doc = plan.writes["2026-09"]["p0"]
    assert doc["dates"] == ["2026-09-01", "2026-09-02"] and doc["meta"] == {
        "arxiv": "1",
        "upvotes": 3,
    }
    assert plan.added == ("p0",) and plan.dated == {"p0": ["2026-09-01", "2026-09-02"]}
    assert plan.changed == {}  # a paper new in the batch has no "before"
    made = paper_from_doc("p0", doc, DateCache())
    assert made.meta == PaperMeta(arxiv_id="1", upvotes=3)


def test_arxiv_versions_and_case_are_one_paper(store: Store) -> None:
    (pid,) = store.import_digest(
        digest(D1, paper("Versioned", "x", arxiv_id="2609.00042v1"))
    ).new_ids
    again = store.import_digest(digest(D2, paper("Versioned (v2)", "", arxiv_id=" 2609.00042V2 ")))
    assert again.known == 1 and store.get(pid).dates == (D1, D2)
    reopened = Store.open(store.data_dir, "alice")
    later = reopened.import_digest(digest(D3, paper("Other title", "", arxiv_id="2609.00042")))
    assert later.known == 1


POOL = [("Alpha Model", "2609.00001"), ("Beta Bench", "2609.00002"), ("Gamma Agents", None),
        ("Delta Data", "2609.00004"), ("alpha model", None)]  # fmt: skip
# the last is a title-only capture of the first: one paper with it


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.booleans(), st.integers(0, 500)),
        min_size=1, max_size=12,
    ),
    st.integers(1, 4),
)  # fmt: skip
def test_any_order_of_captures_gives_one_paper_per_identity(
    captures: list[tuple[int, int, bool, int]], batch: int
) -> None:
    """Captures of a few papers, with or without their arXiv id, on a few days, imported in
    batches in any order: one paper per identity, holding every day it was seen on and the
    last known upvotes; an arXiv id is on one paper only."""
    digests = []
    seen_days: dict[str, set[dt.date]] = {}
    for day_number, which, with_id, votes in captures:
        title, arxiv = POOL[which]
        day = D1 + dt.timedelta(days=day_number)
        meta = {"arxiv_id": arxiv, "upvotes": votes} if with_id and arxiv else {}
        digests.append(digest(day, paper(title, "abstract", **meta)))
        seen_days.setdefault(title.casefold(), set()).add(day)
    with tempfile.TemporaryDirectory() as scratch, Store.open(Path(scratch), "u") as store:
        for start in range(0, len(digests), batch):
            store.import_digests(digests[start : start + batch])
        papers = store.papers()
        assert sorted(p.title.casefold() for p in papers) == sorted(seen_days)
        for p in papers:
            assert set(p.dates) == seen_days[p.title.casefold()]
        ids = [p.meta.arxiv_id for p in papers if p.meta.arxiv_id]
        assert len(ids) == len(set(ids))
        last_votes = {}
        for _day, which, with_id, votes in captures:
            if with_id and POOL[which][1]:
                last_votes[POOL[which][0].casefold()] = votes
        assert {
            p.title.casefold(): p.meta.upvotes for p in papers if p.meta.upvotes is not None
        } == (last_votes)

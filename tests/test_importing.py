"""Import planning, without a store: new and known papers, their shards and their dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container

from paperterm.digest import paper_key
from paperterm.documents import DateCache, paper_from_doc
from paperterm.importing import plan_import
from paperterm.model import Digest, Link, Paper, PaperMeta, ParsedPaper


def digest(day: dt.date, *titles: str) -> Digest:
    papers = tuple(ParsedPaper(t, f"Abstract of {t}.", (), 1 + 2 * i) for i, t in enumerate(titles))
    return Digest(day, papers, f"{day}.txt")


def ids_from(prefix: str) -> Callable[[str, Container[str]], str]:
    """A ``new_id`` giving prefix0, prefix1, ... (skipping those ``taken``)."""
    def new_id(key: str, taken: Container[str]) -> str:
        number = 0
        while f"{prefix}{number}" in taken:
            number += 1
        return f"{prefix}{number}"

    return new_id


SEP9, SEP10, OCT1 = dt.date(2025, 9, 9), dt.date(2025, 9, 10), dt.date(2025, 10, 1)


def test_a_batch_counts_new_and_known_papers_and_groups_writes_by_month() -> None:
    plan = plan_import(
        [digest(SEP9, "Alpha", "Beta", "alpha!"), digest(OCT1, "Beta", "Gamma")],
        id_of_key={}, month_of={}, papers={}, new_id=ids_from("p"),
    )  # fmt: skip
    first, second = plan.results
    assert (first.new, first.known) == (2, 1)  # "alpha!" folds to Alpha's key: known
    assert (second.new, second.known) == (1, 1)
    assert first.new_ids == ("p0", "p1") and second.new_ids == ("p2",)
    assert list(plan.writes) == ["2025-09", "2025-10"]
    assert plan.writes["2025-09"]["p1"]["dates"] == ["2025-09-09", "2025-10-01"]  # Beta: home
    assert plan.writes["2025-10"]["p2"]["title"] == "Gamma"


def test_known_papers_get_the_date_in_their_own_shard_and_a_repeat_plans_nothing() -> None:
    first = plan_import([digest(SEP9, "Alpha")], id_of_key={}, month_of={}, papers={},
                        new_id=ids_from("p"))  # fmt: skip
    doc = first.writes["2025-09"]["p0"]
    papers: dict[str, Paper] = {"p0": paper_from_doc("p0", doc, DateCache())}
    known = {"id_of_key": {paper_key("Alpha"): "p0"}, "month_of": {"p0": "2025-09"},
             "papers": papers}  # fmt: skip
    again = plan_import([digest(SEP9, "Alpha")], new_id=ids_from("q"), **known)
    assert again.writes == {} and again.results[0].known == 1
    later = plan_import([digest(OCT1, "Alpha")], new_id=ids_from("q"), **known)
    assert list(later.writes) == ["2025-09"]  # the shard the paper lives in
    assert later.writes["2025-09"]["p0"]["dates"] == ["2025-09-09", "2025-10-01"]


def test_new_ids_avoid_the_ids_given_earlier_in_the_batch() -> None:
    taken_seen: list[set[str]] = []

    def new_id(key: str, taken: Container[str]) -> str:
        taken_seen.append(set(taken))
        return f"id{len(taken_seen)}"

    plan_import([digest(SEP9, "One"), digest(SEP10, "Two")], id_of_key={}, month_of={},
                papers={}, new_id=new_id)  # fmt: skip
    assert taken_seen == [set(), {"id1"}]


def test_the_built_papers_are_what_their_written_documents_give_back() -> None:
    meta = PaperMeta(arxiv_id="2509.00001", authors=("Ann", "Bo"), upvotes=0,
                     published=dt.date(2025, 9, 1), ai_keywords=("k",))  # fmt: skip
    links = (Link("https://github.com/o/r", "code"),)
    with_meta = ParsedPaper("Delta", "See https://github.com/o/r.", links, 1, meta)
    empty_id = ParsedPaper("Eps", "", (), 2, PaperMeta(arxiv_id=""))  # stored without it
    plan = plan_import(
        [Digest(SEP9, (with_meta, empty_id), "a.json"), digest(SEP10, "Alpha"),
         digest(OCT1, "Alpha", "Beta")],
        id_of_key={}, month_of={}, papers={}, new_id=ids_from("p"),
    )  # fmt: skip
    docs = {pid: doc for shard in plan.writes.values() for pid, doc in shard.items()}
    assert set(plan.built) == {"p0", "p3"}  # not Eps (no round trip), not Alpha (re-dated)
    for pid, paper in plan.built.items():
        assert paper == paper_from_doc(pid, docs[pid], DateCache())

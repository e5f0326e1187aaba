"""Tests for paperterm.readback: exported reading lists and BibTeX files read back, and
applied to a store (matching, new papers, stars, tags and notes, nothing duplicated)."""

from __future__ import annotations

import datetime as dt
import doctest
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from export_fixtures import GOLDEN_ENTRIES, OLD_STYLE, TITLE_ONLY, TRICKY, VERLTOOL
from paperterm.errors import DigestError
from paperterm.export import export_markdown
from paperterm.exports.bibtex import export_bibtex
from paperterm.exports.common import clean_line, paper_title
from paperterm.model import Digest, Entry, Link, Paper, PaperMeta, PaperState, ParsedPaper
from paperterm.readback import (
    CarriedList,
    CarriedPaper,
    bibtex_file,
    detect_carried,
    read_carried,
    reading_list,
)
from paperterm.readback.apply import apply_carried, match_in
from paperterm.readback.bibtex_file import parse_bibtex, person
from paperterm.readback.reading_list import parse_reading_list
from paperterm.store import Store

bibtexparser = pytest.importorskip("bibtexparser")

TODAY = dt.date(2026, 11, 22)
ENTRIES = list(GOLDEN_ENTRIES)


def test_doctests() -> None:
    for module in (bibtex_file, reading_list):
        assert doctest.testmod(module).failed == 0, module.__name__


# --------------------------------------------------------------------------- reading list


def test_reading_list_round_trip() -> None:
    text = export_markdown(ENTRIES, query="is:starred", today=TODAY, full=True)
    assert detect_carried(text) == "reading-list"
    carried = parse_reading_list(text, source="list.md")
    assert carried.format == "reading-list" and carried.warnings == ()
    assert [p.title for p in carried.papers] == [paper_title(e.paper) for e in ENTRIES]
    verl = carried.papers[0]
    assert (verl.starred, verl.read, verl.tags) == (True, True, ("rl", "agents"))
    assert verl.note == "Compare with ReTool before Friday.\n\nAsk Ana about the speed-up."
    assert verl.dates == VERLTOOL.paper.dates
    assert verl.meta.arxiv_id == "2509.01055"
    assert verl.meta.authors == VERLTOOL.paper.meta.authors
    assert verl.abstract.startswith("Reinforcement Learning with Verifiable Rewards (RLVR) "
                                    "reaches 4.23% error on Pokémon battles.\n\nWe release")
    # the arXiv and Hugging Face pages give the id; they are not kept as links
    assert [link.kind for link in verl.links] == ["code", "project"]
    tricky = carried.papers[-1]
    assert tricky.tags == ("c++", "[/]", "2024") and tricky.starred and not tricky.read
    assert tricky.note == "-1 + @SUM(A1)\n# not a heading\nER - end"  # spaces collapsed
    assert tricky.meta.arxiv_id is None  # "not an id}" is not linked as an arXiv page


def test_reading_list_cut_abstract_loses_its_ellipsis() -> None:
    text = export_markdown([Entry(Paper("x", "T", "One. Two. Three. Four.", (), (TODAY,)))],
                           query="", today=TODAY)  # fmt: skip
    (paper,) = parse_reading_list(text, source="l.md").papers
    assert paper.abstract == "One. Two."



def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text(), st.lists(st.text(min_size=1, max_size=12), max_size=3),
       st.booleans(), st.booleans())  # fmt: skip
@example("\uf900 a", "", ["\uf900"], False, False)  # a compatibility ideograph
def test_reading_list_any_text_round_trips(
    title: str, note: str, tags: list[str], starred: bool, read: bool
) -> None:
    entry = Entry(Paper("x", title, "", (), (TODAY,)),
                  PaperState(starred=starred, read=read, tags=tuple(tags), note=note))
    text = export_markdown([entry, Entry(TITLE_ONLY.paper)], query=title, today=TODAY)
    first, second = parse_reading_list(text, source="l.md").papers
    # the same text up to canonical equivalence: the Markdown list keeps code points as
    # they were (U+F900 stays U+F900), while paper_title and clean_line give the NFC form
    shown = paper_title(entry.paper)
    assert nfc(first.title) == ("" if shown == "(untitled)" else shown)
    assert (first.starred, first.read) == (starred, read)
    assert second.title == paper_title(TITLE_ONLY.paper)
    lines = [" ".join(line.split()) for line in clean_line_keep(note).split("\n")]
    assert first.note.split() == " ".join(lines).split()
    shown_tags = [t for t in (clean_line(tag).lstrip("#") for tag in tags) if t]
    assert list(dict.fromkeys(map(nfc, first.tags))) == list(
        dict.fromkeys(clean_line(t) for t in shown_tags)
    )


def clean_line_keep(text: str) -> str:
    from paperterm.text import sanitize

    return sanitize(text)


def test_reading_list_hand_edits_are_warnings_and_junk_is_an_error() -> None:
    text = export_markdown([VERLTOOL], query="", today=TODAY)
    edited = text.replace("\n\n- [x]", "\n\nMy own line\n\n- [x]") + "Not indented\n"
    carried = parse_reading_list(edited, source="l.md")
    assert len(carried.papers) == 1
    assert [w.split(": ", 1)[1] for w in carried.warnings] == [
        "line 5: skipped, not part of a paper", "line 18: skipped, not part of a paper",
    ]  # fmt: skip
    with pytest.raises(DigestError, match=r"^l\.md: reading-list: line 1: .*not a paperterm"):
        parse_reading_list("# Notes\n\nhello\n", source="l.md")
    assert detect_carried("Daily Papers\n\nSep 9\n") is None


# --------------------------------------------------------------------------- BibTeX

ARXIV_STYLE = r"""% exported from arXiv
@string{arx = "arXiv"}
@comment{ignored {nested} text}
@misc{vaswani2017attention,
      title={Attention Is All You Need},
      author={Ashish Vaswani and Noam Shazeer and Niki Parmar},
      year={2017},
      eprint={1706.03762v7},
      archivePrefix=arx,
      primaryClass={cs.CL},
      url={https://arxiv.org/abs/1706.03762},
}

Text between entries is a comment to BibTeX.

@article{scholar2024,
  title = "Pok{\'e}mon {BERT}: 100\% $\alpha$-fine" # { tuning},
  author = {M{\"u}ller, J{\"o}rg and {Google DeepMind} and van der Berg, Jr., Jan},
  journal = {arXiv preprint arXiv:2401.00001},
  keywords = {rl; agents},
  annote = {Read \textbraceleft{}this\textbraceright{}},
  month = sep,
}
@misc(untitled, note = {no title here})
"""


def test_bibtex_from_arxiv_and_scholar() -> None:
    assert detect_carried(ARXIV_STYLE) == "bibtex"
    carried = parse_bibtex(ARXIV_STYLE, source="refs.bib")
    attention, pokemon = carried.papers
    assert attention.title == "Attention Is All You Need"
    assert attention.meta.arxiv_id == "1706.03762"
    assert attention.meta.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")
    assert attention.links == (Link("https://arxiv.org/abs/1706.03762", "other"),)
    assert pokemon.title == "Pokémon BERT: 100% α-fine tuning"
    assert pokemon.meta.arxiv_id == "2401.00001"
    assert pokemon.meta.authors == ("Jörg Müller", "Google DeepMind", "Jan van der Berg Jr.")
    assert pokemon.tags == ("rl", "agents") and pokemon.note == "Read {this}"
    assert carried.warnings == ("refs.bib: line 24: entry 'untitled' skipped: it has no title",)


def test_bibtex_round_trip_of_our_export() -> None:
    carried = parse_bibtex(export_bibtex(ENTRIES), source="x.bib")
    assert [p.title for p in carried.papers] == [paper_title(e.paper) for e in ENTRIES]
    assert carried.papers[0].meta.authors == VERLTOOL.paper.meta.authors
    assert carried.papers[2].meta.arxiv_id == "math/0309136"
    assert carried.papers[2].meta.authors == OLD_STYLE.paper.meta.authors
    assert carried.papers[-1].tags == ("c++", "[/]", "2024")
    assert carried.papers[-1].note == clean_line(TRICKY.state.note)


@settings(max_examples=150, deadline=None)
@given(st.text(), st.lists(st.text(), max_size=3), st.text())
def test_bibtex_reader_agrees_with_bibtexparser(title: str, authors: list[str], note: str) -> None:
    entry = Entry(Paper("x", title, "", (), (TODAY,), meta=PaperMeta(authors=tuple(authors))),
                  PaperState(note=note))  # fmt: skip
    text = export_bibtex([entry, VERLTOOL])
    ours = bibtex_file.parse_entries(text, source="x.bib")
    theirs = bibtexparser.parse_string(text)
    assert not theirs.failed_blocks
    assert [(kind, key, fields) for _, kind, key, fields in ours] == [
        (e.entry_type, e.key, {f.key.lower(): f.value for f in e.fields}) for e in theirs.entries
    ]
    (carried, _) = parse_bibtex(text, source="x.bib").papers
    assert carried.title == paper_title(entry.paper)


@pytest.mark.parametrize(("text", "where"), [
    ("@misc{a,\n title = {never {closed,\n}\n", "line 2: a '{' is never closed"),
    ("@misc{a,\n title = {x}\n", "line 1: the entry is never closed"),
    ("@misc{a,\n title {x}}\n", "line 2: expected '=' after field 'title'"),
    ("no entries at all\n", "line 1: no BibTeX entry found"),
])  # fmt: skip
def test_bibtex_errors_name_file_format_and_line(text: str, where: str) -> None:
    with pytest.raises(DigestError) as error:
        parse_bibtex(text, source="refs.bib")
    assert str(error.value) == f"refs.bib: bibtex: {where}"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_bibtex_reader_raises_only_digest_error(text: str) -> None:
    try:
        parse_bibtex("@misc{k,\n title = {" + text + "}}\n" + text, source="f.bib")
    except DigestError as error:
        assert "\n" not in str(error) and str(error).startswith("f.bib: bibtex: line ")


def test_person() -> None:
    assert person("van der Berg, Jan") == "Jan van der Berg"
    assert person("{Team, The Evil}") == "Team, The Evil"
    assert person("Plato") == "Plato"


# --------------------------------------------------------------------------- applying


def store_with(tmp_path: Path, *papers: tuple[str, str], user: str = "bob") -> Store:
    store = Store.open(tmp_path / "store", user)
    parsed = tuple(ParsedPaper(title, abstract, (), n) for n, (title, abstract) in
                   enumerate(papers, 1))  # fmt: skip
    store.import_digest(Digest(dt.date(2025, 9, 9), parsed, "seed.txt"))
    return store


def by_title(store: Store) -> dict[str, str]:
    return {paper.title: paper.id for paper in store.papers()}


def test_import_back_applies_marks_without_duplicates(tmp_path: Path) -> None:
    # bob's store holds VerlTool under its raw TeX title, and S2A
    with store_with(tmp_path, (VERLTOOL.paper.title.replace("Tool Use", "Tool Use"), "a"),
                    ("S2A: A Unified Framework for Parameter and Memory Efficient Transfer "
                     "Learning", "b"), ("Pok\\'emon Battles", "c")) as store:  # fmt: skip
        ids = by_title(store)
        verl = ids[VERLTOOL.paper.title]
        pokemon = ids["Pok\\'emon Battles"]
        store.set_note(verl, "My own thoughts.")
        store.add_tags([verl], ["mine"])
        alice = [VERLTOOL, TITLE_ONLY, OLD_STYLE,
                 Entry(Paper("q", "Pokémon battles", "", (), (TODAY,)),
                       PaperState(starred=True, tags=("games",)))]  # fmt: skip
        text = export_markdown(alice, query="", today=TODAY, full=True)
        carried = read_carried(text, source="alice.md", format="reading-list")
        result = apply_carried(store, carried, today=TODAY)
        assert (result.papers, result.matched, result.added) == (4, 3, 1)
        assert (result.starred, result.tagged, result.noted) == (2, 3, 1)
        assert store.count == 4  # one new paper: OLD_STYLE; nothing duplicated
        state = store.state(verl)
        assert state.starred and not state.read  # a teammate's read mark is not yours
        assert state.tags == ("mine", "rl", "agents")
        assert state.note == ("My own thoughts.\n\nCompare with ReTool before Friday.\n\n"
                              "Ask Ana about the speed-up.")  # fmt: skip
        assert store.state(pokemon).tags == ("games",) and store.state(pokemon).starred
        new = next(p for p in store.papers() if p.title == OLD_STYLE.paper.title)
        assert new.dates == OLD_STYLE.paper.dates and store.state(new.id).tags == ("geometry",)
        before = {pid: store.state(pid) for pid in by_title(store).values()}
        again = apply_carried(store, carried, today=TODAY)
        assert (again.added, again.starred, again.tagged, again.noted) == (0, 0, 0, 0)
        assert {pid: store.state(pid) for pid in by_title(store).values()} == before


def test_import_back_never_unstars_and_merges_repeats(tmp_path: Path) -> None:
    with store_with(tmp_path, ("Known paper", "x")) as store:
        pid = by_title(store)["Known paper"]
        store.set_starred([pid], True)
        twice = CarriedList("f.md", "reading-list", (
            CarriedPaper("Known paper", tags=("a",), note="one"),
            CarriedPaper("known  PAPER!", tags=("b",), note="two", starred=False),
            CarriedPaper("", note="no title: skipped"),
        ))  # fmt: skip
        result = apply_carried(store, twice, today=TODAY)
        assert result.papers == 1 and store.count == 1
        assert store.state(pid) == PaperState(starred=True, tags=("a", "b"), note="one\n\ntwo")


def test_import_back_of_bibtex_dates_new_papers_today(tmp_path: Path) -> None:
    with store_with(tmp_path, ("Attention Is All You Need", "x")) as store:
        carried = parse_bibtex(ARXIV_STYLE, source="refs.bib")
        result = apply_carried(store, carried, today=TODAY)
        assert (result.matched, result.added, result.tagged, result.noted) == (1, 1, 1, 1)
        new = next(p for p in store.papers() if p.title.startswith("Pokémon"))
        assert new.dates == (TODAY,)
        assert store.state(new.id) == PaperState(tags=("rl", "agents"), note="Read {this}")
        assert "refs.bib: line 24" in result.warnings[0]


def test_import_back_skips_tags_the_store_refuses(tmp_path: Path) -> None:
    with store_with(tmp_path, ("Known paper", "x")) as store:
        carried = CarriedList("f.md", "reading-list",
                              (CarriedPaper("Known paper", tags=("x" * 41, "ok")),))
        result = apply_carried(store, carried, today=TODAY)
        assert store.state(by_title(store)["Known paper"]).tags == ("ok",)
        assert any("skipped: a tag has 1 to 40 characters" in w for w in result.warnings)


def test_match_by_arxiv_id_before_title() -> None:
    stored = [
        Paper("p1", "A different title", "", (), (TODAY,), meta=PaperMeta(arxiv_id="2509.01055")),
        Paper("p2", paper_title(VERLTOOL.paper),
              "", (), (TODAY,)),
    ]
    carried = [
        CarriedPaper(paper_title(VERLTOOL.paper), meta=PaperMeta(arxiv_id="2509.01055v2")),
        CarriedPaper(paper_title(VERLTOOL.paper)),
        CarriedPaper("Nothing like it"),
    ]
    assert match_in(stored, carried) == ["p1", "p2", None]


# --------------------------------------------------------------------------- inputs


def test_split_sources_detects_exported_files(tmp_path: Path) -> None:
    from paperterm.readback.inputs import carried_report, read_source, split_sources

    listing = tmp_path / "list.md"
    listing.write_text("\ufeff" + export_markdown([VERLTOOL], query="", today=TODAY),
                       encoding="utf-8")  # fmt: skip
    bib = tmp_path / "refs.bib"
    bib.write_text(ARXIV_STYLE, encoding="utf-8")
    capture = tmp_path / "digest.txt"
    capture.write_text("Daily Papers\n\nSep 9\n\nA title\n\nAn abstract.\n", encoding="utf-8")
    sources = [(str(p), p) for p in (capture, listing, bib)] + [("<stdin>", "-")]
    carried, captures = split_sources(sources, None)
    assert [(source[1], fmt) for source, fmt in carried] == [(listing, "reading-list"),
                                                             (bib, "bibtex")]  # fmt: skip
    assert captures == [(str(capture), capture), ("<stdin>", "-")]
    forced, rest = split_sources(sources, "bibtex")
    assert len(forced) == 4 and rest == []
    assert split_sources(sources, "markdown") == ([], sources)
    report = carried_report(read_source((str(listing), listing), "reading-list"))
    assert report[0] == f"{listing}: reading-list: 1 paper, 1 starred, 1 tagged, 1 with a note " \
        "(dry run, nothing written)"  # fmt: skip
    assert report[1] == f"  1. {paper_title(VERLTOOL.paper)} (arXiv 2509.01055)"
    with pytest.raises(DigestError, match="empty file"):
        empty = tmp_path / "empty.bib"
        empty.write_text("  \n", encoding="utf-8")
        read_source((str(empty), empty), "bibtex")


def test_import_back_matches_a_stored_arxiv_id(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store", "bob") as store:
        meta = PaperMeta(arxiv_id="2509.01055", authors=("Dongfu Jiang",))
        store.import_digest(Digest(dt.date(2025, 9, 9),
                                   (ParsedPaper("VerlTool (v1 title)", "a", (), 1, meta),),
                                   "seed.json"))  # fmt: skip
        (pid,) = by_title(store).values()
        text = export_bibtex([VERLTOOL])
        result = apply_carried(store, parse_bibtex(text, source="v.bib"), today=TODAY)
        assert (result.matched, result.added, store.count) == (1, 0, 1)
        assert store.state(pid).tags == ("rl", "agents")


@pytest.mark.parametrize("name", ["export_default.md", "export_full.md", "export_hostile.md",
                                  "export_empty.md"])  # fmt: skip
def test_every_golden_reading_list_reads_back(name: str) -> None:
    text = (Path(__file__).parent / "golden" / name).read_text(encoding="utf-8")
    carried = parse_reading_list(text, source=name)
    items = [line for line in text.splitlines() if line.startswith("- [")]
    assert len(carried.papers) == len(items) and carried.warnings == ()
    for paper in carried.papers:
        assert paper.title and "\x1b" not in paper.title + paper.note + paper.abstract

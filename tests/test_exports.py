"""Tests for the export formats (paperterm.exports): golden files, and each format read back
by a real parser of that format: bibtexparser 2, rispy, json + citeproc-py, the csv module,
PyYAML for the Obsidian front matter.

After an intended change of the output, regenerate the golden files and review the diff::

    PAPERTERM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_exports.py
    git diff tests/golden/
"""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
import rispy
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from export_fixtures import (
    GOLDEN_ENTRIES,
    OLD_STYLE,
    TITLE_ONLY,
    TRICKY,
    TWIN_A,
    TWIN_B,
    VERLTOOL,
)
from paperterm import cli_parser
from paperterm.errors import PapertermError
from paperterm.exports import FORMATS, bibtex, common, obsidian, render
from paperterm.exports.bibtex import citation_keys, export_bibtex, tex_escape
from paperterm.exports.common import clean_line, paper_title, split_name
from paperterm.exports.csl import export_csl_json
from paperterm.exports.obsidian import (
    MARKER,
    export_obsidian,
    front_matter,
    note_file_names,
    render_note,
    safe_file_name,
)
from paperterm.exports.ris import export_ris
from paperterm.exports.spreadsheet import BOM, CSV_COLUMNS, export_csv
from paperterm.model import Entry, Paper, PaperMeta, PaperState

bibtexparser = pytest.importorskip("bibtexparser")
citeproc = pytest.importorskip("citeproc")

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PAPERTERM_UPDATE_GOLDEN") == "1"
TODAY = dt.date(2026, 11, 22)
ENTRIES = list(GOLDEN_ENTRIES)

# what tex_escape writes, undone: the test's own reading of the escapes
_UNTEX = [("\\textbackslash{}", "\\"), ("\\textbraceleft{}", "{"), ("\\textbraceright{}", "}"),
          ("\\textasciicircum{}", "^"), ("\\textasciitilde{}", "~"), ("\\$", "$"),
          ("\\&", "&"), ("\\%", "%"), ("\\#", "#"), ("\\_", "_")]  # fmt: skip


def untex(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for escaped, plain in _UNTEX:
            if value.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text, f"{name} differs from its golden file"


def no_controls(text: str) -> bool:
    return all(ch in "\n\r" or (ch.isprintable() and ch not in "\u202e\u202c") for ch in text)


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize(("name", "suffix"), [("bibtex", "bib"), ("ris", "ris"),
                                              ("csl-json", "json"), ("csv", "csv")])  # fmt: skip
def test_golden_file(name: str, suffix: str) -> None:
    check_golden(f"export_formats.{suffix}", render(name, ENTRIES, query="", today=TODAY))


def test_golden_obsidian_notes(tmp_path: Path) -> None:
    result = export_obsidian(ENTRIES, tmp_path / "vault")
    assert len(result.created) == len(ENTRIES)
    for path in sorted(result.created):
        check_golden(f"obsidian/{path.name}", path.read_text(encoding="utf-8"))
    assert sorted(p.name for p in (GOLDEN / "obsidian").iterdir()) == sorted(
        p.name for p in result.created
    )


def test_every_format_is_deterministic_and_registered() -> None:
    assert tuple(FORMATS) == cli_parser.EXPORT_FORMATS
    for name, fmt in FORMATS.items():
        if fmt.folder:
            with pytest.raises(PapertermError, match="folder"):
                render(name, ENTRIES, query="", today=TODAY)
            continue
        first = render(name, ENTRIES, query="q", today=TODAY)
        assert first == render(name, ENTRIES, query="q", today=TODAY)
        assert render(name, [], query="", today=TODAY) is not None
    with pytest.raises(PapertermError, match="unknown export format 'nope'"):
        render("nope", ENTRIES, query="", today=TODAY)


def test_doctests_of_the_export_modules() -> None:
    for module in (bibtex, common, obsidian):
        failed, _ = doctest.testmod(module)
        assert failed == 0, module.__name__


# --------------------------------------------------------------------------- BibTeX


def parse_bib(text: str) -> Any:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_bibtex_parses_with_bibtexparser_field_by_field() -> None:
    text = export_bibtex(ENTRIES)
    library = parse_bib(text)
    assert [e.key for e in library.entries] == citation_keys(ENTRIES)
    assert all(e.entry_type == "misc" for e in library.entries)
    for entry, parsed in zip(ENTRIES, library.entries, strict=True):
        fields = {f.key: f.value for f in parsed.fields}
        assert untex(fields["title"]) == paper_title(entry.paper)
        assert set(fields) <= {"title", "author", "year", "eprint", "archivePrefix",
                               "primaryClass", "url", "keywords", "annote"}  # fmt: skip
        if entry.state.note:
            assert untex(fields["annote"]) == clean_line(entry.state.note)
    verl = {f.key: f.value for f in library.entries[0].fields}
    assert verl["eprint"] == "2509.01055" and verl["archivePrefix"] == "arXiv"
    assert verl["url"] == "https://arxiv.org/abs/2509.01055" and verl["year"] == "2025"
    assert "primaryClass" not in verl
    assert verl["author"] == "Jiang, Dongfu and Lu, Yi and van der Berg, Jan and Chen, Wenhu"
    assert verl["keywords"] == "rl, agents"


def test_bibtex_authors_split_by_bibtexparser() -> None:
    library = bibtexparser.parse_string(
        export_bibtex([VERLTOOL, OLD_STYLE]),
        append_middleware=[bibtexparser.middlewares.SeparateCoAuthors(),
                           bibtexparser.middlewares.SplitNameParts()],
    )  # fmt: skip
    verl, old = (e["author"] for e in library.entries)
    assert [(n.first, n.von, n.last) for n in verl][2] == (["Jan"], ["van", "der"], ["Berg"])
    assert [(n.first, n.last, n.jr) for n in old] == [
        (["Martin", "Luther"], ["King"], ["Jr."]), ([], ["Plato"], []),
        (["Ludwig"], ["Beethoven"], []),
    ]  # fmt: skip
    assert old[2].von == ["van"]


def test_bibtex_without_arxiv_id_is_a_usable_misc() -> None:
    (parsed,) = parse_bib(export_bibtex([TITLE_ONLY])).entries
    fields = {f.key: f.value for f in parsed.fields}
    assert set(fields) == {"title", "year", "url"}
    assert fields["url"] == "https://s2a.example.org/" and fields["year"] == "2025"
    assert parsed.key == "anon2025s2a"


def test_bibtex_old_style_id_names_its_primary_class() -> None:
    (parsed,) = parse_bib(export_bibtex([OLD_STYLE])).entries
    # the subject class is not part of an old-style id: math.AG/0309136 is math/0309136
    assert parsed["primaryClass"] == "math.AG" and parsed["eprint"] == "math/0309136"
    assert parsed["url"] == "https://arxiv.org/abs/math/0309136"
    assert parsed["year"] == "2003"  # from the id: September 2003
    assert parsed.key == "king2003geometry"


def test_citation_keys_are_unique_and_do_not_depend_on_order() -> None:
    keys = dict(zip((e.id for e in ENTRIES), citation_keys(ENTRIES), strict=True))
    assert keys["k3q9zfa"] == "jiang2025verltool"
    # the twins share smith2025scaling; the lower arXiv id keeps it whatever the order
    assert keys["a1twin1"] == "smith2025scaling" and keys["b2twin2"] == "smith2025scalingb"
    reordered = citation_keys([TWIN_B, TWIN_A])
    assert reordered == ["smith2025scalingb", "smith2025scaling"]
    many = [Entry(Paper(id=f"p{i}", title="Same", abstract="", links=(),
                        dates=(dt.date(2025, 1, 1),))) for i in range(30)]  # fmt: skip
    assert len(set(citation_keys(many))) == 30


def test_bibtex_hostile_title_cannot_break_out() -> None:
    text = export_bibtex([TRICKY])
    (parsed,) = parse_bib(text).entries
    fields = {f.key: f.value for f in parsed.fields}
    assert untex(fields["title"]) == paper_title(TRICKY.paper)
    assert "eprint" not in fields  # "not an id}" is no arXiv id
    assert fields["url"] == "https://ok.example/a%20b%7D"
    # braces balance in every value, as BibTeX itself counts them (escaped or not)
    for value in fields.values():
        depth = 0
        for ch in value:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0
        assert depth == 0
    assert fields["author"].startswith("{Team, The Evil} and {Tom and Jerry} and ")
    assert "\x1b" not in text and "\u202e" not in text
    assert text.count("\n@") == 0 and text.startswith("@misc{")


@settings(max_examples=150, deadline=None)
@given(st.text(), st.lists(st.text(), max_size=3), st.text())
def test_bibtex_any_text_round_trips(title: str, authors: list[str], note: str) -> None:
    entry = Entry(Paper(id="x", title=title, abstract="", links=(), dates=(dt.date(2025, 1, 1),),
                        meta=PaperMeta(authors=tuple(authors))),
                  PaperState(note=note))  # fmt: skip
    (parsed,) = parse_bib(export_bibtex([entry, TITLE_ONLY])).entries[:1]
    assert untex(parsed["title"]) == paper_title(entry.paper)
    if clean_line(note):
        assert untex(parsed["annote"]) == clean_line(note)


def test_tex_escape_leaves_unicode_for_biber() -> None:
    assert tex_escape("Pokémon Zoë 東京 αβ") == "Pokémon Zoë 東京 αβ"
    assert tex_escape("e\u0301") == "é"  # NFC: one code point, as biber compares names


# --------------------------------------------------------------------------- RIS


def test_ris_round_trips_through_rispy() -> None:
    records = rispy.loads(export_ris(ENTRIES))
    assert len(records) == len(ENTRIES)
    verl = records[0]
    assert verl["type_of_reference"] == "UNPB" and verl["id"] == "jiang2025verltool"
    assert verl["title"] == paper_title(VERLTOOL.paper)
    assert verl["authors"] == ["Jiang, Dongfu", "Lu, Yi", "van der Berg, Jan", "Chen, Wenhu"]
    assert verl["year"] == "2025" and verl["date"] == "2025/09/01/"
    assert verl["doi"] == "10.48550/arXiv.2509.01055"
    assert verl["urls"] == ["https://arxiv.org/abs/2509.01055"]
    assert verl["keywords"] == ["rl", "agents"]
    assert verl["notes"] == ["Compare with ReTool before Friday. Ask Ana about the speed-up."]
    assert verl["abstract"].startswith("Reinforcement Learning with Verifiable Rewards (RLVR) "
                                       "reaches 4.23% error on Pokémon battles. We release")


def test_ris_hostile_text_stays_in_its_record() -> None:
    text = export_ris([TRICKY, VERLTOOL])
    records = rispy.loads(text)
    assert len(records) == 2
    tricky = records[0]
    assert tricky["title"] == paper_title(TRICKY.paper)
    assert tricky["notes"] == ["-1 + @SUM(A1) # not a heading ER - end"]
    assert set(tricky) == {"type_of_reference", "id", "title", "authors", "year", "abstract",
                           "urls", "keywords", "notes"}  # fmt: skip
    assert no_controls(text)
    assert not text.startswith("1.") and "\n1." not in text


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text())
def test_ris_any_text_round_trips(title: str, abstract: str) -> None:
    entry = Entry(Paper(id="x", title=title, abstract=abstract, links=(),
                        dates=(dt.date(2025, 1, 1),)))  # fmt: skip
    (record, other) = rispy.loads(export_ris([entry, TITLE_ONLY]))
    assert record["title"] == paper_title(entry.paper)
    assert other["title"] == paper_title(TITLE_ONLY.paper)


# --------------------------------------------------------------------------- CSL JSON


def test_csl_json_is_valid_and_citeproc_renders_it() -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export_csl_json(ENTRIES))
    assert [item["id"] for item in items] == citation_keys(ENTRIES)
    verl = items[0]
    assert verl["type"] == "article" and verl["issued"] == {"date-parts": [[2025, 9, 1]]}
    assert verl["author"][2] == {"family": "Berg", "given": "Jan",
                                 "non-dropping-particle": "van der"}  # fmt: skip
    assert items[2]["author"][0] == {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    assert items[5]["author"][:2] == [{"literal": "Team, The Evil"}, {"literal": "Tom and Jerry"}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL fields it does not use
        source = CiteProcJSON(items)
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bib = CitationStylesBibliography(style, source, formatter.plain)
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
        rendered = [str(line) for line in bib.bibliography()]
    assert any(line.startswith("Jiang, D.") and "VerlTool" in line and "arXiv" in line
               for line in rendered)  # fmt: skip
    assert len(rendered) == len(items)
    assert any(line.startswith("King, M.L., Jr., Plato and van Beethoven, L.") for line in rendered)


def test_csl_json_hostile_text_is_data() -> None:
    (item,) = json.loads(export_csl_json([TRICKY]))
    assert item["title"] == paper_title(TRICKY.paper)
    assert "DOI" not in item and "number" not in item
    assert no_controls(json.dumps(item, ensure_ascii=False))


# --------------------------------------------------------------------------- CSV


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):], newline="")))


def test_csv_round_trips_through_the_csv_module() -> None:
    rows = read_csv(export_csv(ENTRIES))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(ENTRIES) + 1
    verl = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert verl["title"] == paper_title(VERLTOOL.paper)
    assert verl["authors"] == "Dongfu Jiang; Yi Lu; Jan van der Berg; Wenhu Chen"
    assert verl["dates"] == "2025-09-03; 2025-09-09" and verl["published"] == "2025-09-01"
    assert (verl["starred"], verl["read"], verl["tags"]) == ("true", "true", "rl; agents")
    assert verl["note"] == "Compare with ReTool before Friday.\n\nAsk Ana about the speed-up."


def test_csv_cells_cannot_become_formulas() -> None:
    row = dict(zip(CSV_COLUMNS, read_csv(export_csv([TRICKY]))[1], strict=True))
    assert row["note"].startswith("'-1 + @SUM(A1)")
    assert row["abstract"].startswith("'=HYPERLINK(")
    assert row["code"] == "" and row["title"] == paper_title(TRICKY.paper)
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@")), cell
        assert no_controls(cell)


# --------------------------------------------------------------------------- Obsidian


def split_note(text: str) -> tuple[dict[str, Any], str]:
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def test_obsidian_front_matter_reads_back_with_pyyaml() -> None:
    data, body = split_note(render_note(VERLTOOL))
    assert data == {
        "title": paper_title(VERLTOOL.paper),
        "authors": ["Dongfu Jiang", "Yi Lu", "Jan van der Berg", "Wenhu Chen"],
        "arxiv": "2509.01055",
        "url": "https://arxiv.org/abs/2509.01055",
        "code": "https://github.com/TIGER-AI-Lab/verl-tool",
        "tags": ["rl", "agents"],
        "starred": True,
        "read": True,
        "dates": [dt.date(2025, 9, 3), dt.date(2025, 9, 9)],
        "published": dt.date(2025, 9, 1),
        "paperterm": "k3q9zfa",
    }
    assert body.startswith("# VerlTool: Towards") and MARKER in body
    assert "## Note\n\nCompare with ReTool before Friday.\n\nAsk Ana" in body


def test_obsidian_hostile_text_stays_in_its_field() -> None:
    data, body = split_note(render_note(TRICKY))
    assert data["title"] == paper_title(TRICKY.paper)
    assert data["tags"] == ["c", "tag-2024"]  # c++ -> c; [/] is no tag; 2024 not all digits
    assert data["arxiv"] is None and data["code"] is None
    assert set(data) == set(front_matter(TRICKY))
    assert body.count("\n---\n") == 0 and "title: injected" in body
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert headings == ["# " + headings[0][2:], "## Note"] and no_controls(body)
    assert "title: injected" in body and "\\=HYPERLINK" in body


@settings(max_examples=150, deadline=None)
@given(st.text(), st.lists(st.text(), max_size=3), st.lists(st.text(min_size=1), max_size=3))
def test_obsidian_front_matter_any_text(title: str, authors: list[str], tags: list[str]) -> None:
    entry = Entry(Paper(id="x", title=title, abstract=title, links=(),
                        dates=(dt.date(2025, 1, 1),), meta=PaperMeta(authors=tuple(authors))),
                  PaperState(tags=tuple(tags), note=title))  # fmt: skip
    data, body = split_note(render_note(entry, "\nmine\n"))
    assert data == front_matter(entry)
    assert data["title"] == paper_title(entry.paper)
    assert body.endswith(MARKER + "\n\nmine\n")
    assert obsidian.user_parts(render_note(entry, "\nmine\n")) == ({}, "\nmine\n")


def test_obsidian_re_export_keeps_what_the_user_wrote(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    first = export_obsidian([VERLTOOL, TITLE_ONLY], vault)
    note = vault / "VerlTool - Towards Holistic Agentic Reinforcement Learning with Tool Use.md"
    assert note in first.created
    mine = "\n## My thoughts\n\nThe ablation in §4 is weak.\n---\nnot: front matter\n"
    text = note.read_text(encoding="utf-8") + mine.lstrip("\n")
    note.write_text(text.replace("---\n#", "status: reading\n---\n#", 1), encoding="utf-8")
    (vault / "Unrelated.md").write_text("my own note\n", encoding="utf-8")
    changed = Entry(VERLTOOL.paper, PaperState(starred=False, tags=("rl", "read-later")))
    second = export_obsidian([changed, TITLE_ONLY], vault)
    assert second.updated == (note,) and len(second.unchanged) == 1
    data, body = split_note(note.read_text(encoding="utf-8"))
    assert data["starred"] is False and data["tags"] == ["rl", "read-later"]
    assert data["status"] == "reading"
    assert "## Note" not in body.split(MARKER)[0]
    assert body.split(MARKER + "\n")[1] == mine
    assert (vault / "Unrelated.md").read_text(encoding="utf-8") == "my own note\n"
    third = export_obsidian([changed, TITLE_ONLY], vault)
    assert len(third.unchanged) == 2 and not third.updated


def test_obsidian_note_without_marker_keeps_its_body(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    name = note_file_names([TITLE_ONLY])[0]
    (vault / name).write_text("---\nstatus: reading\ntitle: Old\n---\nHand-written text.\n",
                              encoding="utf-8")  # fmt: skip
    export_obsidian([TITLE_ONLY], vault)
    data, body = split_note((vault / name).read_text(encoding="utf-8"))
    assert body.endswith(MARKER + "\n\nHand-written text.\n")
    assert data["status"] == "reading" and data["title"] == paper_title(TITLE_ONLY.paper)
    broken = "---\n: [unclosed\n---\nText.\n"
    (vault / name).write_text(broken, encoding="utf-8")
    export_obsidian([TITLE_ONLY], vault)
    assert (vault / name).read_text(encoding="utf-8").endswith(MARKER + "\n\n" + broken)


def test_obsidian_file_names_are_safe_and_unique() -> None:
    assert safe_file_name("a/b\\c:d*e?f\"g<h>i|j#k^l[m]n", "x") == "a - b - c - d - e - f - g - h - i - j - k - l - m - n"  # noqa: E501
    assert safe_file_name(".hidden", "x") == "hidden"
    assert safe_file_name("nul.txt", "x") == "nul.txt_"
    assert safe_file_name("\x1b[31m\u202e", "k3q9zfa") == "k3q9zfa"
    long = safe_file_name("é" * 300, "x")
    assert len(long.encode("utf-8")) <= 120
    same = [Entry(Paper(id=pid, title=title, abstract="", links=(), dates=(dt.date(2025, 1, 1),)))
            for pid, title in (("bbb", "Same Title"), ("aaa", "same title"), ("ccc", "Same/Title"))]
    names = note_file_names(same)
    assert names == ["Same Title (bbb).md", "same title.md", "Same - Title.md"]
    assert len({n.casefold() for n in note_file_names(ENTRIES)}) == len(ENTRIES)


def test_obsidian_missing_parent_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PapertermError, match="cannot make the folder"):
        export_obsidian([VERLTOOL], tmp_path / "no" / "vault")


# --------------------------------------------------------------------------- names


def test_split_name() -> None:
    assert split_name("Jan van der Berg").family_full == "van der Berg"
    assert split_name("Plato").family == "Plato" and split_name("Plato").given == ""
    assert split_name("Van Morrison").family == "Morrison"  # capitalised: a given name
    assert split_name("  ").literal == "Anonymous"
    assert split_name("Deep and Mind").literal == "Deep and Mind"


def test_obsidian_finds_a_renamed_note_by_its_paper_id(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (first,) = export_obsidian([VERLTOOL], vault).created
    retitled = Entry(Paper(VERLTOOL.paper.id, "VerlTool v2", "", (), VERLTOOL.paper.dates),
                     VERLTOOL.state)  # fmt: skip
    # a new paper with the old title would get the note's name: it gets its id added
    other = Entry(Paper("zzother", VERLTOOL.paper.title, "", (), (dt.date(2025, 1, 1),)))
    result = export_obsidian([retitled, other], vault)
    assert result.updated == (first,)
    assert result.created == (vault / f"{first.stem} (zzother).md",)
    assert split_note(first.read_text(encoding="utf-8"))[0]["title"] == "VerlTool v2"
    # renamed in the vault, and written in: still the paper's note
    renamed = vault / "My VerlTool.md"
    first.rename(renamed)
    renamed.write_text(renamed.read_text(encoding="utf-8") + "Mine.\n", encoding="utf-8")
    again = export_obsidian([VERLTOOL, other], vault)
    assert again.updated == (renamed,) and not again.created
    data, body = split_note(renamed.read_text(encoding="utf-8"))
    assert data["title"] == paper_title(VERLTOOL.paper) and body.endswith("\nMine.\n")
    assert len(list(vault.glob("*.md"))) == 2

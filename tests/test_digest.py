"""Tests for paperterm.digest: parsing, file decoding, links, link kinds and paper ids."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from pathlib import Path

import pytest

import paperterm
from paperterm.digest import (
    paper_id,
    paper_key,
    parse_digest,
    parse_digest_bytes,
    read_digest_file,
)
from paperterm.errors import DigestError
from paperterm.links import extract_links, link_kind
from paperterm.model import Digest

SAMPLE_DIR = Path(paperterm.__file__).parent / "samples"
SAMPLE_0 = SAMPLE_DIR / "000_5db1fc142ec420d6.txt"
SAMPLE_3 = SAMPLE_DIR / "003_627925dc2224a4bb.txt"
TODAY = dt.date(2025, 10, 1)
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\n"
)


def digest_text(*pairs: tuple[str, str], date_line: str = "Sep 9", header: str = HEADER) -> str:
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in pairs)
    return f"{header}{date_line}\n\n{body}"


def content(digest: Digest) -> list[tuple[str, str, tuple[object, ...]]]:
    return [(p.title, p.abstract, p.links) for p in digest.papers]


# --------------------------------------------------------------------------- samples


@pytest.fixture(scope="module")
def samples() -> tuple[Digest, Digest]:
    return (read_digest_file(SAMPLE_0, today=TODAY), read_digest_file(SAMPLE_3, today=TODAY))


def test_samples_parse_completely(samples: tuple[Digest, Digest]) -> None:
    first, second = samples
    assert (len(first.papers), len(second.papers)) == (76, 78)
    assert (first.date, second.date) == (dt.date(2025, 9, 9), dt.date(2025, 9, 3))
    assert first.warnings == () and second.warnings == ()
    assert first.source == str(SAMPLE_0)
    keys = {paper_key(p.title) for d in samples for p in d.papers}
    assert len(keys) == 139
    assert all(p.title and p.abstract for d in samples for p in d.papers)


def test_sample_paper_fields(samples: tuple[Digest, Digest]) -> None:
    paper = samples[0].papers[0]
    assert paper.title == (
        "S2A: A Unified Framework for Parameter and Memory Efficient Transfer Learning"
    )
    assert paper.abstract.startswith("Parameter-efficient transfer learning (PETL) aims")
    assert paper.line == 13
    assert samples[0].papers[-1].abstract.endswith("integrating tables within data lakes.")
    pokemon = next(p for p in samples[0].papers if "Pokémon" in p.title)
    assert "Pok\\'emon" in pokemon.abstract  # TeX kept: clean_tex is for display only
    assert pokemon.code_url == "https://github.com/cameronangliss/VGC-Bench"


def test_sample_links(samples: tuple[Digest, Digest]) -> None:
    urls = [link.url for d in samples for p in d.papers for link in p.links]
    assert len(urls) == 37
    assert "https://github.com/NVlabs/gbrl" in urls
    assert "https://ltlhuuu.github.io/PSEC/" in urls
    assert "https://sites.google.com/view/fightladder/home" in urls
    assert all(not url.endswith((".", ")", ",")) for url in urls)
    codes = sum(1 for d in samples for p in d.papers if p.code_url)
    assert codes == 28


def test_sample_dates_follow_the_year_rules() -> None:
    text = SAMPLE_0.read_text(encoding="utf-8")
    assert parse_digest(text, today=dt.date(2025, 9, 9)).date == dt.date(2025, 9, 9)
    assert parse_digest(text, today=dt.date(2025, 9, 8)).date == dt.date(2024, 9, 9)
    assert parse_digest(text, today=dt.date(2026, 1, 2)).date == dt.date(2025, 9, 9)
    named = parse_digest(text, source="/tmp/x/digest-2023-09-09.txt", today=TODAY)
    assert named.date == dt.date(2023, 9, 9)
    # the date in the name only supplies the year; only the file name counts
    assert parse_digest(text, source="daily_2021-01-15.txt").date == dt.date(2021, 9, 9)
    assert parse_digest(text, source="/d/2020-01-01/x.txt", today=TODAY).date.year == 2025
    override = dt.date(2024, 2, 29)
    assert parse_digest(text, date_override=override).date == override


def test_parsing_the_samples_is_fast() -> None:
    for path in (SAMPLE_0, SAMPLE_3):
        data = path.read_bytes()
        timings = []
        for _ in range(7):
            start = time.perf_counter()
            parse_digest_bytes(data, source=path.name, today=TODAY)
            timings.append(time.perf_counter() - start)
        assert sorted(timings)[3] < 0.020, timings


@pytest.mark.slow
def test_50mb_digest_parses_in_seconds(tmp_path: Path) -> None:
    text = SAMPLE_0.read_text(encoding="utf-8")
    head, _, body = text.partition("Sep 9\n")
    blocks = [body.replace("\n\n", f" {k}\n\n", 1) for k in range(400)]  # vary one title
    path = tmp_path / "big.txt"
    path.write_text(head + "Sep 9\n" + "\n".join(blocks), encoding="utf-8")
    assert path.stat().st_size > 50_000_000
    start = time.perf_counter()
    digest = read_digest_file(path, today=TODAY)
    elapsed = time.perf_counter() - start
    # 75 titles repeat in every block (duplicates, warned about), one varies per block
    assert len(digest.papers) == 75 + 400
    assert len(digest.warnings) == 51  # capped
    assert digest.warnings[-1].endswith("more warnings")
    assert elapsed < 10


# --------------------------------------------------------------------------- tolerance


def test_line_ending_bom_tab_and_blank_run_variants_agree() -> None:
    text = SAMPLE_3.read_text(encoding="utf-8")
    base = parse_digest(text, today=TODAY)
    variants = {
        "crlf": text.replace("\n", "\r\n"),
        "cr": text.replace("\n", "\r"),
        "bom": "\ufeff" + text,
        "tabs_and_trailing": text.replace("\n", " \t \n").replace(" ", "\t", 3),
        "blank_runs": text.replace("\n\n", "\n \n\t\n\n\n"),
        "no_header": text.split("Sep 3\n", 1)[1].join(["Sep 3\n", ""]),
        "shouting_header": text.replace("Daily Papers", "DAILY  PAPERS"),
        "nul_and_escapes": text.replace("Learning", "Lear\x00ning\x1b[0m"),
    }
    for name, variant in variants.items():
        parsed = parse_digest(variant, today=TODAY)
        assert content(parsed) == content(base), name
        assert parsed.date == base.date, name
        assert parsed.warnings == (), name
    lines = [p.line for p in parse_digest(variants["crlf"], today=TODAY).papers]
    assert lines == [p.line for p in base.papers]


def test_sanitizes_titles_and_abstracts() -> None:
    text = digest_text(
        (
            "\x1b]0;pwn\x07A \u202etitle\x1b[31m  with\tjunk ",
            "The\x00 abstract\x9b1m\r\n continues.",
        ),
    )
    paper = parse_digest(text, today=TODAY).papers[0]
    assert paper.title == "A title with junk"
    assert paper.abstract == "The abstract continues."


def test_paragraph_lines_join_and_line_numbers() -> None:
    text = "Sep 9\n\n\nFirst title\n\nAbstract line one\nline two\n\n\nSecond\ntitle\n\nAbs two\n"
    digest = parse_digest(text, today=TODAY)
    assert [(p.title, p.abstract, p.line) for p in digest.papers] == [
        ("First title", "Abstract line one line two", 4),
        ("Second title", "Abs two", 10),
    ]


def test_final_title_without_abstract_is_kept_with_warning() -> None:
    text = digest_text(("T1", "A1"), ("T2", "A2")) + "A lonely final title\n"
    digest = parse_digest(text, source="d.txt", today=TODAY)
    assert [p.title for p in digest.papers] == ["T1", "T2", "A lonely final title"]
    assert digest.papers[-1].abstract == ""
    line = digest.papers[-1].line
    assert digest.warnings == (
        f"d.txt: line {line}: title with no abstract: 'A lonely final title'",
    )


def test_duplicate_titles_keep_the_first() -> None:
    text = digest_text(("Pokémon Agents", "first"), ("Other", "x"), ("Pok\\'emon  agents!", "dup"))
    digest = parse_digest(text, source="d.txt", today=TODAY)
    assert [p.abstract for p in digest.papers] == ["first", "x"]
    assert len(digest.warnings) == 1
    assert digest.warnings[0].startswith("d.txt: line 21: duplicate title (first on line 13)")


def test_date_line_forms() -> None:
    for line, expected in [
        ("Sep 9", dt.date(2025, 9, 9)),
        ("sept 9", dt.date(2025, 9, 9)),
        ("SEPTEMBER 9", dt.date(2025, 9, 9)),
        ("Sep. 09", dt.date(2025, 9, 9)),
        ("Dec 31", dt.date(2024, 12, 31)),
        ("Sep 9, 2021", dt.date(2021, 9, 9)),
        ("2022-09-09", dt.date(2022, 9, 9)),
    ]:
        assert parse_digest(digest_text(("T", "A"), date_line=line), today=TODAY).date == expected


def test_feb_29_goes_back_to_a_leap_year() -> None:
    text = digest_text(("T", "A"), date_line="Feb 29")
    assert parse_digest(text, today=dt.date(2025, 3, 1)).date == dt.date(2024, 2, 29)
    assert parse_digest(text, today=dt.date(2024, 2, 28)).date == dt.date(2020, 2, 29)
    assert parse_digest(text, today=dt.date(2024, 2, 29)).date == dt.date(2024, 2, 29)
    with pytest.raises(
        DigestError, match=r"^x-2023-01-01\.txt: invalid date 'Feb 29' \(line 11\)$"
    ):
        parse_digest(text, source="x-2023-01-01.txt")


def test_invalid_dates() -> None:
    for line in ("Sep 31", "Feb 30", "2025-13-01", "Sep 0"):
        with pytest.raises(DigestError, match=rf"^d\.txt: invalid date '{line}' \(line 11\)$"):
            parse_digest(digest_text(("T", "A"), date_line=line), source="d.txt", today=TODAY)


def test_no_date_line_needs_override_or_dated_file_name() -> None:
    text = HEADER + "Title one\n\nAbstract one\n\nTitle two\n\nAbstract two\n"
    with pytest.raises(DigestError, match=r"^notes\.txt: no date line"):
        parse_digest(text, source="notes.txt", today=TODAY)
    digest = parse_digest(text, date_override=dt.date(2025, 1, 2))
    assert digest.date == dt.date(2025, 1, 2)
    assert [p.title for p in digest.papers] == ["Title one", "Title two"]
    assert parse_digest(text, source="papers-2024-05-06.txt").date == dt.date(2024, 5, 6)


def test_unknown_lines_before_the_date_are_skipped_with_warning() -> None:
    text = "Trending Papers\n\nnew\n\nSep 9\n\nT\n\nA\n"
    digest = parse_digest(text, source="d.txt", today=TODAY)
    assert [p.title for p in digest.papers] == ["T"]
    assert digest.warnings == (
        "d.txt: line 1: skipped 1 unknown line before the date line: 'Trending Papers'",
    )


def test_several_days_in_one_file_keep_titles_and_abstracts_in_step() -> None:
    text = digest_text(("T1", "A1")) + digest_text(("T2", "A2"), date_line="Sep 8")
    digest = parse_digest(text, source="d.txt", today=TODAY)
    assert [(p.title, p.abstract) for p in digest.papers] == [("T1", "A1"), ("T2", "A2")]
    assert len(digest.warnings) == 6
    assert "another digest header 'Sep 8'" in digest.warnings[-1]


def test_copies_without_blank_lines() -> None:
    flat = "Sep 9\nT1\nA1\nT2\nA2\n"
    digest = parse_digest(flat, today=TODAY)
    assert [(p.title, p.abstract, p.line) for p in digest.papers] == [
        ("T1", "A1", 2),
        ("T2", "A2", 4),
    ]
    assert "no blank lines" in digest.warnings[0]
    paired = "Sep 9\n\nT1\nA1\n\nT2\nA2\n"
    assert [p.title for p in parse_digest(paired, today=TODAY).papers] == ["T1", "T2"]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("text", ["", "   \n\t\r\n  ", "\ufeff", "\x00\x1b[0m\n"])
def test_empty_text(text: str) -> None:
    with pytest.raises(DigestError, match=r"^d\.txt: empty file$"):
        parse_digest(text, source="d.txt")


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><head></head><body>Sep 9</body></html>",
        "\n  <html lang='en'>\nSep 9\n",
        "<!-- saved from url=(0042)https://huggingface.co/papers -->\n<HTML>\n<body>Sep 9",
        "<div class='x'><BODY class=x>\nSep 9\n\nT\n\nA\n",
        "<div><body>no date line anywhere</body></div>",
    ],
)
def test_html_page(text: str) -> None:
    with pytest.raises(DigestError) as info:
        parse_digest(text, source="page.txt")
    assert str(info.value) == (
        "page.txt: looks like an HTML page, not a digest text; copy the page's text instead"
    )


def test_an_abstract_may_mention_html_tags() -> None:
    text = digest_text(("Web agents", "We parse the <body> and <html> of pages."))
    assert parse_digest(text, today=TODAY).papers[0].abstract.startswith("We parse the <body>")


def test_no_papers_after_the_date_line() -> None:
    for text in (HEADER + "Sep 9\n", HEADER + "Sep 9\n\nOnly a title\n"):
        with pytest.raises(DigestError) as info:
            parse_digest(text, source="d.txt", today=TODAY)
        assert str(info.value) == "d.txt: no papers found after the date line (line 11)"


def test_read_digest_file_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(DigestError, match=rf"^{missing}: cannot read: No such file or directory$"):
        read_digest_file(missing)
    with pytest.raises(DigestError, match=rf"^{tmp_path}: is a directory"):
        read_digest_file(tmp_path)
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DigestError, match=rf"^{binary}: binary file, not a digest$"):
        read_digest_file(binary)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(("Sep 9\n\nPokémon\n\nabstract\n").encode("cp1252"))
    with pytest.raises(DigestError) as info:
        read_digest_file(latin)
    assert str(info.value) == (
        f"{latin}: not UTF-8 text (invalid byte 0xe9 at offset 10); re-save it as UTF-8"
    )
    bom_latin = tmp_path / "bom.txt"
    bom_latin.write_bytes(b"\xef\xbb\xbfSep 9\n\xff")
    with pytest.raises(DigestError, match=r"invalid byte 0xff at offset 9\)"):
        read_digest_file(bom_latin)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DigestError, match=rf"^{empty}: empty file$"):
        read_digest_file(empty)


def test_read_digest_file_encodings(tmp_path: Path) -> None:
    text = SAMPLE_0.read_text(encoding="utf-8")
    expected = content(parse_digest(text, today=TODAY))
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        path = tmp_path / f"{encoding}.txt"
        data = text.encode(encoding)
        if encoding in ("utf-16-le", "utf-16-be"):
            data = ("\ufeff" + text).encode(encoding)
        path.write_bytes(data)
        assert content(read_digest_file(path, today=TODAY)) == expected, encoding
    no_bom = tmp_path / "utf16-nobom.txt"
    no_bom.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(DigestError, match="binary file"):
        read_digest_file(no_bom)


def test_read_digest_file_reports_the_file_name_and_date(tmp_path: Path) -> None:
    path = tmp_path / "2023-09-09.txt"
    path.write_bytes(SAMPLE_0.read_bytes())
    digest = read_digest_file(path, today=TODAY)
    assert (digest.source, digest.date) == (str(path), dt.date(2023, 9, 9))
    assert read_digest_file(path, date_override=TODAY).date == TODAY


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        # every form in the samples
        ("details (https://github.com/NVlabs/gbrl).", ["https://github.com/NVlabs/gbrl"]),
        ("Code available at: https://github.com/miccunifi/iamcl2r.", ["https://github.com/miccunifi/iamcl2r"]),
        (
            "at https://github.com/CIAM-Group/NCO_code/tree/main/single_objective/UDC-Large-scale-CO-master.",
            ["https://github.com/CIAM-Group/NCO_code/tree/main/single_objective/UDC-Large-scale-CO-master"],
        ),
        ("page: https://sites.google.com/view/fightladder/home.", ["https://sites.google.com/view/fightladder/home"]),
        ("site https://one-reward.github.io", ["https://one-reward.github.io"]),
        ("at https://lei-kun.github.io/uni-o4/ and", ["https://lei-kun.github.io/uni-o4/"]),
        ("at https://ltlhuuu.github.io/PSEC/.", ["https://ltlhuuu.github.io/PSEC/"]),
        (
            "videos https://youtu.be/gCuUyGETbTU and https://youtu.be/XsaGI01b-1o",
            ["https://youtu.be/gCuUyGETbTU", "https://youtu.be/XsaGI01b-1o"],
        ),
        # bare mentions
        ("code: github.com/owner/repo.", ["https://github.com/owner/repo"]),
        ("code at www.GitHub.com/Owner/Repo/tree/main", ["https://github.com/Owner/Repo/tree/main"]),
        (
            "gitlab.com/g/sub/r, bitbucket.org/a/b; codeberg.org/c/d!",
            ["https://gitlab.com/g/sub/r", "https://bitbucket.org/a/b", "https://codeberg.org/c/d"],
        ),
        ("mygithub.com/x/y git@github.com:a/b x@github.com/a/b github.com/", []),
        # punctuation, brackets, quotes
        ("see https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("(see https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("[code](https://github.com/a/b)", ["https://github.com/a/b"]),
        ('"https://x.org/p", <https://y.org/q>', ["https://x.org/p", "https://y.org/q"]),
        ("`https://z.org/r`", ["https://z.org/r"]),
        ("https://x.org/a?b=1&c=2#frag;", ["https://x.org/a?b=1&c=2#frag"]),
        ("{https://x.org/a}", ["https://x.org/a"]),
        ("代码：https://github.com/a/b。更多", ["https://github.com/a/b"]),
        ("TeX: https://github.com/foo\\_bar.", ["https://github.com/foo_bar"]),
        # schemes and normalization
        ("HTTPS://GitHub.COM/A/B http://github.com/A/B/", ["https://github.com/A/B"]),
        ("http://www.cs.example.edu/~user/", ["http://www.cs.example.edu/~user/"]),
        ("http://arxiv.org/abs/1.2", ["https://arxiv.org/abs/1.2"]),
        ("ftp://x.org/a javascript:alert(1) file:///etc/passwd ftp://github.com/a/b", []),
        ("https:// https://. https://-", []),
        ("https://x.org/a\x1b[31mred https://y.org\u202e/b", ["https://x.org/a", "https://y.org"]),
        # dedupe after normalization
        (
            "https://github.com/a/b github.com/a/b/ https://github.com/a/b.git https://github.com/A/B",
            ["https://github.com/a/b"],
        ),
        ("https://x.org/p/ https://x.org/p", ["https://x.org/p/"]),
        ("no links at all", []),
    ],
)  # fmt: skip
def test_extract_links(text: str, urls: list[str]) -> None:
    assert [link.url for link in extract_links(text)] == urls


def test_extract_links_kinds_and_order() -> None:
    links = extract_links(
        "Paper https://arxiv.org/abs/2401.1, code github.com/a/b, "
        "demo https://huggingface.co/spaces/a/b and data https://huggingface.co/datasets/a/b."
    )
    assert [(link.url, link.kind) for link in links] == [
        ("https://arxiv.org/abs/2401.1", "other"),
        ("https://github.com/a/b", "code"),
        ("https://huggingface.co/spaces/a/b", "demo"),
        ("https://huggingface.co/datasets/a/b", "dataset"),
    ]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://github.com/NVlabs/gbrl", "code"),
        ("https://github.com/a/b/tree/main/x", "code"),
        ("https://www.github.com/a/b", "code"),
        ("https://gitlab.com/group/sub/repo", "code"),
        ("https://bitbucket.org/a/b", "code"),
        ("https://codeberg.org/a/b", "code"),
        ("https://gist.github.com/a/123", "code"),
        ("https://github.com/NVlabs", "project"),
        ("https://github.com/topics/llm", "other"),
        ("https://one-reward.github.io", "project"),
        ("https://lab.gitlab.io/site/", "project"),
        ("https://sites.google.com/view/mamql", "project"),
        ("https://dibyaghosh.com/vptr/", "project"),
        ("http://www.cs.example.edu/~user/", "project"),
        ("https://youtu.be/gCuUyGETbTU", "video"),
        ("https://www.youtube.com/watch?v=x", "video"),
        ("https://m.youtube.com/watch?v=x", "video"),
        ("https://vimeo.com/123", "video"),
        ("https://www.bilibili.com/video/BV1", "video"),
        ("https://huggingface.co/datasets/org/data", "dataset"),
        ("https://www.kaggle.com/datasets/a/b", "dataset"),
        ("https://zenodo.org/records/1", "dataset"),
        ("https://paperswithcode.com/dataset/coco", "dataset"),
        ("https://huggingface.co/spaces/org/demo", "demo"),
        ("https://org-demo.hf.space", "demo"),
        ("https://abc123.gradio.live", "demo"),
        ("https://colab.research.google.com/drive/1", "demo"),
        ("https://huggingface.co/org/model", "other"),
        ("https://huggingface.co/papers/2401.1", "other"),
        ("https://arxiv.org/abs/2401.00001", "other"),
        ("https://doi.org/10.1/x", "other"),
        ("https://openreview.net/forum?id=x", "other"),
        ("https://aclanthology.org/2023.acl-long.1", "other"),
        ("https://ieeexplore.ieee.org/document/1", "other"),
        ("https://dl.acm.org/doi/10.1/x", "other"),
        ("https://link.springer.com/article/1", "other"),
        ("https://paperswithcode.com/paper/x", "other"),
        ("not a url", "other"),
        ("ftp://github.com/a/b", "other"),
        ("https://[::1", "other"),
    ],
)
def test_link_kind(url: str, kind: str) -> None:
    assert link_kind(url) == kind


# --------------------------------------------------------------------------- identity


def test_paper_key_folds_spelling_variants() -> None:
    key = paper_key("Pokémon")
    assert key == "pokémon"
    for variant in ("Pok\\'emon", "POKÉMON", "Poke\u0301mon", "  Pokémon!? ", "Ｐｏｋéｍｏｎ"):
        assert paper_key(variant) == key, variant
    assert paper_key("S2A: A Unified Framework") == "s2aaunifiedframework"
    assert paper_key("{\\tau}-Learning") == "τlearning"
    assert paper_key("Straße") == paper_key("STRASSE")
    assert paper_key("...") == ""


def test_paper_id() -> None:
    key = "pokemon"
    expected = base64.b32encode(hashlib.blake2b(key.encode()).digest()).decode().lower()
    assert paper_id(key) == expected[:7] == "efm2cym"
    assert paper_id(key, 12) == expected[:12]
    assert set(paper_id("x", 100)) <= set("abcdefghijklmnopqrstuvwxyz234567")
    assert paper_id("\ud800") == paper_id("\ud800")  # never raises, even on surrogates

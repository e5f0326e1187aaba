"""Tests for paperterm.export: golden reading lists, escaping, sentence cutting, determinism.

The golden files in ``tests/golden/`` are compared byte for byte. After an intended change
of the output, regenerate them and review the diff::

    PAPERTERM_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_export.py
    git diff tests/golden/

Rendering checks parse the export with markdown-it-py (a Textual dependency) configured like
GitHub: tables, strikethrough, task lists and dollar math.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperterm.export import (
    code_span,
    export_markdown,
    first_sentences,
    markdown_escape,
    safe_url,
)
from paperterm.model import Entry, Link, Paper, PaperMeta, PaperState

markdown_it = pytest.importorskip("markdown_it")
tasklists = pytest.importorskip("mdit_py_plugins.tasklists")
dollarmath = pytest.importorskip("mdit_py_plugins.dollarmath")

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PAPERTERM_UPDATE_GOLDEN") == "1"
TODAY = dt.date(2026, 11, 22)
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --------------------------------------------------------------------------- fixtures

VERLTOOL = Entry(
    Paper(
        id="k3q9zfa",
        title="VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use",
        abstract=(
            "Reinforcement Learning with Verifiable Rewards (RLVR) reaches 4.23\\% error "
            "on Pok\\'emon battles, e.g. VGC, and beats Smith et al. by 2 points vs. PPO. "
            "The temperature {\\tau} controls the strength of the penalty, i.e. how far "
            "the policy may drift. We release code at https://github.com/TIGER-AI-Lab/verl-tool."
        ),
        links=(
            Link("https://github.com/TIGER-AI-Lab/verl-tool", "code"),
            Link("https://verltool.github.io/", "project"),
            Link("https://www.youtube.com/watch?v=abc123", "video"),
            Link("https://github.com/TIGER-AI-Lab/verl-tool-extras", "code"),
            Link("https://huggingface.co/datasets/tiger/verl-data", "dataset"),
            Link("https://verltool.github.io/", "project"),
        ),
        dates=(d("2026-09-03"), d("2026-09-09"), d("2026-10-01")),
        position=2,
    ),
    PaperState(
        starred=True,
        read=True,
        tags=("rl", "agents"),
        note="Compare with ReTool before Friday.\nAsk Ana about the 2x speed-up.",
    ),
)

S2A = Entry(
    Paper(
        id="m2c4x7q",
        title="S2A: A Unified Framework for Parameter and Memory Efficient Transfer Learning",
        abstract=(
            "Parameter-efficient transfer learning (PETL) aims to reduce the scales of "
            "pretrained models for multiple downstream tasks. However, as the models keep "
            "scaling up, the memory footprint of existing PETL methods is not significantly "
            "reduced compared to the reduction of learnable parameters. This limitation "
            "hinders the practical deployment of PETL methods on memory-constrained devices."
        ),
        links=(),
        dates=(d("2026-09-09"),),
        meta=PaperMeta(
            arxiv_id="2503.08154",
            authors=("Tian Jin", "Enjun Du", "Changwei Wang", "Wenhao Xu", "Ding Jiang",
                     "Yu Liu", "Jian Li", "Xiaoming Wei"),
            upvotes=12,
            github_repo="https://github.com/example/s2a",
        ),
    ),
)

LONG_SENTENCE = Entry(
    Paper(
        id="p8r2t5v",
        title="Stepsize anything: A unified learning rate schedule for budgeted-iteration training",
        abstract=(
            "The expanding computational costs and limited resources underscore the critical "
            "need for budgeted-iteration training, which aims to achieve optimal learning "
            "within predetermined iteration budgets, while learning rate schedules "
            "fundamentally govern the performance of different networks and tasks, "
            "particularly in budgeted-iteration scenarios, where their design remains "
            "largely heuristic and lacks theoretical foundations. Short second sentence."
        ),
        links=(
            Link("https://example.org/demo?a=1&b=2", "demo"),
            Link("https://example.org/wiki/Stepsize_(optimization)", "other"),
        ),
        dates=(d("2026-09-03"),),
    ),
    PaperState(starred=True, tags=("optimization",), note=""),
)

SHORT = Entry(
    Paper(
        id="a1b2c3d",
        title="Parameter-free Online Test-time Adaptation",
        abstract="We adapt the model's output, not its parameters.",
        links=(Link("https://github.com/fiveai/LAME", "code"),),
        dates=(d("2026-08-30"),),
    ),
    PaperState(read=True),
)

HOSTILE = Entry(
    Paper(
        id="zz9evil",
        title=(
            "*bold* _x_ [link](javascript:alert(1)) <script>alert(1)</script> "
            "\x1b[31mred\x1b[0m \u202eevil\u202c ~~gone~~ $x$ a|b \\ `tick` &amp;"
        ),
        abstract=(
            "# Heading one\n\n"
            "| col | col |\n|-----|-----|\n| a | b |\n\n"
            "- bullet\n+ plus\n1. numbered\n> quote\n"
            "<img src=x onerror=alert(1)> [click](javascript:alert(1)) "
            "![pixel](https://evil.example/p.gif) <https://evil.example> "
            "***strong*** __under__ `code` \\*escaped\\* costs $5 and $10 ~50% vs ~2x &copy;."
        ),
        links=(
            Link("javascript:alert(1)", "code"),
            Link("JavaScript:alert(document.cookie)", "project"),
            Link(" data:text/html,<script>alert(1)</script>", "other"),
            Link("https://evil.example/a b)c(d)<e>\x1b[2J`f`\u202e", "code"),
            Link("https://example.org/watch?v=1&copy;x", "video"),
            Link("ftp://example.org/file", "dataset"),
            Link("https://", "demo"),
        ),
        dates=(d("2026-09-09"),),
        meta=PaperMeta(
            arxiv_id="2609.1](javascript:alert(1))",
            authors=("*Evil* [x](data:text/html,1)", "<b>Bob</b>\x1b[2J", "`tick`", "\u202eRTL"),
            upvotes=-1,
            github_repo="javascript:alert(2)",
            project_page="https://evil.example/p)<x>",
        ),
    ),
    PaperState(
        read=False,
        starred=True,
        tags=("ok", "`sneaky`", "<b>x</b>", "a\x07b", "#hash"),
        note="# not a heading\n- not a list\n\n1. not numbered <i>x</i> \u2067trick\u2069",
    ),
)

DEFAULT_ENTRIES = [VERLTOOL, S2A, LONG_SENTENCE, SHORT]


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``tests/golden/NAME`` byte for byte (or rewrite it)."""
    path = GOLDEN / name
    data = text.encode("utf-8")
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"missing {path}; run with PAPERTERM_UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs; PAPERTERM_UPDATE_GOLDEN=1 to update"


def check_shape(text: str) -> None:
    """The invariants every export holds."""
    assert text.endswith("\n") and not text.endswith("\n\n")
    for line in text.split("\n"):
        assert line == line.rstrip(), repr(line)
        assert all(ch.isprintable() for ch in line), repr(line)
        assert not set(line) & set(BIDI), repr(line)


def render(text: str) -> str:
    """HTML as a GitHub-like renderer would produce it."""
    md = (
        markdown_it.MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(tasklists.tasklists_plugin)
        .use(dollarmath.dollarmath_plugin)
    )
    return str(md.render(text))


# --------------------------------------------------------------------------- goldens


def test_golden_default() -> None:
    text = export_markdown(DEFAULT_ENTRIES, query="is:starred or tag:rl", today=TODAY)
    check_shape(text)
    check_golden("export_default.md", text)


def test_golden_full() -> None:
    text = export_markdown(DEFAULT_ENTRIES, query="is:starred or tag:rl", today=TODAY, full=True)
    check_shape(text)
    check_golden("export_full.md", text)


def test_golden_empty() -> None:
    text = export_markdown([], query="tag:nothing", today=TODAY)
    check_shape(text)
    check_golden("export_empty.md", text)
    assert "No papers match." in text


def test_golden_hostile() -> None:
    text = export_markdown([HOSTILE], query="`evil` query\x1b[2J", today=TODAY, full=True)
    check_shape(text)
    check_golden("export_hostile.md", text)


# --------------------------------------------------------------------------- structure


def test_header_and_counts() -> None:
    text = export_markdown([S2A], query="is:starred", today=TODAY)
    assert text.startswith(
        "# Reading list\n\nQuery: `is:starred` · 1 paper · exported 2026-11-22\n\n"
    )
    text = export_markdown(DEFAULT_ENTRIES, query="", today=TODAY)
    assert "\nQuery: (all papers) · 4 papers · exported 2026-11-22\n" in text


def test_empty_list_exact() -> None:
    assert export_markdown([], query="is:read", today=TODAY) == (
        "# Reading list\n\nQuery: `is:read` · 0 papers · exported 2026-11-22\n\nNo papers match.\n"
    )


def test_entry_layout() -> None:
    text = export_markdown([VERLTOOL], query="x", today=TODAY)
    item = text.split("\n\n", 2)[2]
    assert item.startswith(
        "- [x] ★ **VerlTool: Towards Holistic Agentic Reinforcement Learning with Tool Use**\\\n"
        "  2026-10-01 · 2026-09-09 · 2026-09-03 · `#rl` `#agents` · id: `k3q9zfa`\\\n"
        "  Code: <https://github.com/TIGER-AI-Lab/verl-tool>\\\n"
        "  Links: [project](https://verltool.github.io/) · "
        "[video](https://www.youtube.com/watch?v=abc123) · "
        "[code](https://github.com/TIGER-AI-Lab/verl-tool-extras) · "
        "[dataset](https://huggingface.co/datasets/tiger/verl-data)\n"
        "\n"
        "  > Compare with ReTool before Friday.\\\n"
        "  > Ask Ana about the 2x speed-up.\n"
        "\n"
        "  Reinforcement Learning with Verifiable Rewards (RLVR) reaches 4.23% error on "
        "Pokémon battles, e.g. VGC, and beats Smith et al. by 2 points vs. PPO. The "
        "temperature τ controls the strength of the penalty, i.e. how far the policy may "
        "drift. …\n"
    )


def test_unread_unstarred_entry_names_authors_and_links_arxiv() -> None:
    text = export_markdown([S2A], query="x", today=TODAY)
    assert "\n- [ ] **S2A: A Unified Framework" in text
    assert "★" not in text
    assert "  2026-09-09 · 12 upvotes · id: `m2c4x7q`\\\n" in text
    assert "  By Tian Jin, Enjun Du, Changwei Wang, Wenhao Xu, Ding Jiang, Yu Liu, … +2\\\n" in text
    assert "  Code: <https://github.com/example/s2a>\\\n" in text  # the GitHub repository
    assert "  Links: [arXiv](https://arxiv.org/abs/2503.08154) · [Hugging Face](" in text
    assert "\n  >" not in text  # no note


def test_order_is_kept() -> None:
    text = export_markdown([SHORT, S2A, VERLTOOL], query="x", today=TODAY)
    positions = [text.index(e.paper.title[:20]) for e in (SHORT, S2A, VERLTOOL)]
    assert positions == sorted(positions)


def test_full_shows_whole_abstract() -> None:
    text = export_markdown([VERLTOOL], query="x", today=TODAY, full=True)
    assert "We release code at https://github.com/TIGER-AI-Lab/verl-tool.\n" in text
    assert "…" not in text


def test_short_abstract_has_no_ellipsis() -> None:
    text = export_markdown([SHORT], query="x", today=TODAY)
    assert text.endswith("  We adapt the model's output, not its parameters.\n")


def test_long_first_sentence_is_cut_at_a_word() -> None:
    text = export_markdown([LONG_SENTENCE], query="x", today=TODAY)
    abstract = text.rstrip("\n").rsplit("\n", 1)[1]
    assert abstract.endswith(" …")
    assert len(abstract.strip()) <= 300 + 2
    assert "Short second sentence" not in abstract
    body = abstract.strip()[: -len(" …")]
    assert LONG_SENTENCE.paper.abstract.startswith(body)
    assert LONG_SENTENCE.paper.abstract[len(body)] in " ,"


def test_link_targets_are_escaped_and_only_http() -> None:
    text = export_markdown([LONG_SENTENCE, HOSTILE], query="x", today=TODAY)
    assert "[demo](https://example.org/demo?a=1&b=2)" in text
    assert "[link](https://example.org/wiki/Stepsize_%28optimization%29)" in text
    assert "Code: <https://evil.example/a%20b%29c%28d%29%3Ce%3E%1B[2J%60f%60%E2%80%AE>" in text
    assert "[video](https://example.org/watch?v=1\\&copy;x)" in text
    link_lines = [line for line in text.split("\n") if line.startswith(("  Code:", "  Links:"))]
    assert len(link_lines) == 3
    for bad in ("javascript:", "data:", "ftp:", "(https://)", "<https://>"):
        assert all(bad not in line.lower() for line in link_lines)


def test_empty_title_and_abstract() -> None:
    entry = Entry(Paper(id="e", title=" \x1b[0m ", abstract="", links=(), dates=(TODAY,)))
    text = export_markdown([entry], query="x", today=TODAY)
    assert text.endswith("- [ ] **(untitled)**\\\n  2026-11-22 · id: `e`\n")


def test_tex_in_title_is_display_form() -> None:
    entry = Entry(Paper(id="t", title="Pok\\'emon at 4.23\\%", abstract="", links=(), dates=()))
    assert "**Pokémon at 4.23%**" in export_markdown([entry], query="x", today=TODAY)


def test_multi_paragraph_note() -> None:
    entry = Entry(S2A.paper, PaperState(note="first\nsecond\n\n\n  third  \n"))
    text = export_markdown([entry], query="x", today=TODAY)
    assert "\n  > first\\\n  > second\n  >\n  > third\n" in text


# --------------------------------------------------------------------------- rendering


def test_rendered_default_structure() -> None:
    page = render(export_markdown(DEFAULT_ENTRIES, query="is:starred", today=TODAY))
    assert page.count("<h1>") == 1
    assert page.count('<li class="task-list-item') == 4
    assert len(re.findall(r"<input[^>]*checked", page)) == 2
    assert page.count("<strong>") == 4
    assert page.count("<blockquote>") == 1
    assert '<a href="https://github.com/TIGER-AI-Lab/verl-tool">' in page
    assert '<a href="https://www.youtube.com/watch?v=abc123">video</a>' in page
    assert "<br />" in page
    assert "<h2>" not in page and "<ol>" not in page and "<pre>" not in page


def test_rendered_hostile_is_inert() -> None:
    page = render(export_markdown([HOSTILE], query="`q`", today=TODAY, full=True))
    allowed_tags = {
        "h1", "p", "ul", "li", "strong", "code", "br", "a", "blockquote", "input",
    }  # fmt: skip
    tags = set(re.findall(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)", page))
    assert tags <= allowed_tags, tags - allowed_tags
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
    assert page.count("<strong>") == 1  # the title's bold only
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript" not in page.replace("[link](javascript:alert(1))", "").replace(
        "[click](javascript:alert(1))", ""
    )
    assert "~~gone~~" in page and "$5 and $10" in page and "&amp;copy;" in page


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain words, 4.2-3 (ok). e.g. fine!", "plain words, 4.2-3 (ok). e.g. fine!"),
        ("*a* _b_", "\\*a\\* \\_b\\_"),
        ("[x](y)", "\\[x\\](y)"),
        ("<script>", "\\<script\\>"),
        ("a`b", "a\\`b"),
        ("a|b", "a\\|b"),
        ("back\\slash", "back\\\\slash"),
        ("~strike~", "\\~strike\\~"),
        ("$x$", "\\$x\\$"),
        ("AT&amp;T &#169; &x &", "AT\\&amp;T \\&#169; &x &"),
        ("# heading", "\\# heading"),
        ("a # b", "a # b"),
        ("- item", "\\- item"),
        ("-based", "\\-based"),
        ("a - b", "a - b"),
        ("+ item", "\\+ item"),
        ("= = =", "\\= = ="),
        ("> quote", "\\> quote"),
        ("1. numbered", "1\\. numbered"),
        ("2026) paren", "2026\\) paren"),
        ("4.23 points", "4.23 points"),
        ("1.5x faster", "1.5x faster"),
        ("3.", "3\\."),
        ("", ""),
    ],
)
def test_escape_table(text: str, expected: str) -> None:
    assert markdown_escape(text) == expected


@pytest.mark.parametrize("text", ["# h", "- x", "+ x", "1. x", "=== x"])
def test_escape_mid_line_leaves_line_start_markers(text: str) -> None:
    assert markdown_escape(text, line_start=False) == text


printable = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf", "Co", "Cn"),
        blacklist_characters="\t",
    )
    | st.sampled_from(list("*_[]()<>`|\\#-+=.!~$&;:1 ")),
    max_size=40,
).map(lambda s: " ".join(s.split()))


@settings(max_examples=300, deadline=None)
@given(printable)
def test_escaped_text_renders_literally(text: str) -> None:
    escaped = markdown_escape(text)
    page = render(escaped)
    if not text:
        assert page == ""
        return
    assert page.startswith("<p>") and page.endswith("</p>\n")
    inner = page[len("<p>") : -len("</p>\n")]
    assert "<" not in inner
    assert html.unescape(inner) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("is:starred", "`is:starred`"),
        ("a`b", "``a`b``"),
        ("a``b`c", "```a``b`c```"),
        ("`x`", "`` `x` ``"),
        (" x ", "`  x  `"),
        ("#rl", "`#rl`"),
    ],
)
def test_code_span(text: str, expected: str) -> None:
    span = code_span(text)
    assert span == expected
    page = render(span)
    assert page.startswith("<p><code>") and page.endswith("</code></p>\n")
    assert html.unescape(page[len("<p><code>") : -len("</code></p>\n")]) == text


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://github.com/a/b", "https://github.com/a/b"),
        ("HTTP://Example.org/x", "HTTP://Example.org/x"),
        ("  https://example.org/  ", "https://example.org/"),
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://en.wikipedia.org/wiki/A_(b)", "https://en.wikipedia.org/wiki/A_%28b%29"),
        ("https://example.org/<x>", "https://example.org/%3Cx%3E"),
        ("https://example.org/\\`", "https://example.org/%5C%60"),
        ("https://example.org/\u202e", "https://example.org/%E2%80%AE"),
        ("https://example.org/café", "https://example.org/café"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("vbscript:x", None),
        ("ftp://example.org", None),
        ("//example.org/x", None),
        ("/relative", None),
        ("https://", None),
        ("https://[::1", None),
        ("", None),
    ],
)
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two. Three.", "One. Two."),
        ("One sentence only.", "One sentence only."),
        ("One. Two.", "One. Two."),
        ("We use e.g. BERT here. Then more. Rest.", "We use e.g. BERT here. Then more."),
        ("We use E.g. BERT here. Then more. Rest.", "We use E.g. BERT here. Then more."),
        ("Methods, i.e. Adam, win. Then. Rest.", "Methods, i.e. Adam, win. Then."),
        ("As in Smith et al. We agree. Rest.", "As in Smith et al. We agree. Rest."),
        ("Smith et al. (2020) did it. Then. Rest.", "Smith et al. (2020) did it. Then."),
        ("PPO vs. DPO compared. Then. Rest.", "PPO vs. DPO compared. Then."),
        ("It got 4.23 points. It got 5.1. Rest.", "It got 4.23 points. It got 5.1."),
        ("See Fig. 3 for it. Then. Rest.", "See Fig. 3 for it. Then."),
        ("Made in the U.S. Army labs. Then. Rest.", "Made in the U.S. Army labs. Then."),
        ("Why? Because! Rest.", "Why? Because!"),
        ('He said "stop." Then. Rest.', 'He said "stop." Then.'),
        ("It is (see below.) Fine. Rest.", "It is (see below.) Fine."),
        ("Wait... What now. Rest.", "Wait... What now."),
        ("lowercase. after full stop. Next. Rest.", "lowercase. after full stop. Next."),
        ("Glued.Together. Next.", "Glued.Together. Next."),
        ("  spaced \n  out.   Next.  Rest. ", "spaced out. Next."),
        ("", ""),
    ],
)
def test_first_sentences(text: str, expected: str) -> None:
    assert first_sentences(text) == expected


def test_first_sentences_count_and_limit() -> None:
    one, two = "A" * 150 + ".", "B" * 150 + "."
    assert first_sentences(f"{one} {two} C.") == one  # both would exceed 300
    assert first_sentences(f"{one} {two} C.", limit=400) == f"{one} {two}"
    assert first_sentences("One. Two. Three.", count=1) == "One."
    assert first_sentences("One. Two. Three.", count=3) == "One. Two. Three."


def test_first_sentences_cuts_a_long_sentence_at_a_space() -> None:
    text = " ".join(["word"] * 100) + ". Next."
    cut = first_sentences(text)
    assert len(cut) <= 300 and cut.endswith("word") and text.startswith(cut + " ")


def test_first_sentences_hard_cut_without_spaces() -> None:
    assert first_sentences("x" * 1000) == "x" * 300
    assert first_sentences("a " + "x" * 1000) == "a " + "x" * 298


def test_first_sentences_drops_dangling_punctuation() -> None:
    text = "y" * 296 + ", andthenmore words go on."
    assert first_sentences(text) == "y" * 296


# --------------------------------------------------------------------------- determinism


def test_same_input_same_bytes() -> None:
    entries = [*DEFAULT_ENTRIES, HOSTILE]
    first = export_markdown(entries, query="q", today=TODAY)
    again = export_markdown(list(entries), query="q", today=TODAY)
    assert first == again


def test_output_does_not_depend_on_hash_seed() -> None:
    code = (
        "import sys, datetime as dt\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import test_export as t\n"
        "from paperterm.export import export_markdown\n"
        "sys.stdout.write(export_markdown([*t.DEFAULT_ENTRIES, t.HOSTILE], query='q',"
        " today=t.TODAY))\n"
    )
    outputs = set()
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
        result = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent)],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_no_textual_import() -> None:
    code = "import sys, paperterm.export, paperterm.clipboard; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- real abstracts

SAMPLES = Path(__file__).parents[1] / "src" / "paperterm" / "samples"


def _sample_abstracts() -> list[str]:
    lines: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        lines += [line for line in text.splitlines() if len(line) > 200]
    return lines


def test_sample_abstracts_cut_cleanly() -> None:
    abstracts = _sample_abstracts()
    assert len(abstracts) > 20
    entries = [
        Entry(Paper(id=f"s{i}", title=f"Paper {i}", abstract=a, links=(), dates=(TODAY,)))
        for i, a in enumerate(abstracts)
    ]
    text = export_markdown(entries, query="", today=TODAY)
    check_shape(text)
    shown = [line[2:] for line in text.split("\n") if line.startswith("  ") and len(line) > 40]
    assert len(shown) == len(abstracts)
    for line in shown:
        assert len(line) <= 300 + 40  # escapes add a little
        assert line.endswith(" …") or not line.endswith("…")
    page = render(text)
    assert page.count("<li") == len(abstracts)
    assert "<h2>" not in page and "<ol>" not in page and "<em>" not in page


def test_sample_sentences_are_prefixes() -> None:
    for abstract in _sample_abstracts():
        shown = first_sentences(abstract)
        collapsed = " ".join(abstract.split())
        assert collapsed.startswith(shown)
        assert 0 < len(shown) <= 300

"""Tests for paperterm.text: terminal-text hygiene and the display form of TeX."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import paperterm
from paperterm.text import clean_tex, display_title, plural, sanitize

SAMPLES = sorted((Path(paperterm.__file__).parent / "samples").glob("*.txt"))
C0_C1 = {chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}


# --------------------------------------------------------------------------- sanitize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[1;38;5;196mbold\x1b[m text", "bold text"),
        ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here", "click here"),
        ("\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"),
        ("\x1b]0;pwned title\x07Title", "Title"),
        ("\x1bP+q544e\x1b\\after", "after"),  # DCS
        ("\x1b_apc payload\x1b\\after", "after"),  # APC
        ("\x1b^pm\x1b\\x", "x"),  # PM
        ("\x1bXsos\x1b\\x", "x"),  # SOS
        ("\x9b31mC1 CSI\x9b0m", "C1 CSI"),
        ("\x9d0;title\x9cok", "ok"),  # 8-bit OSC ... ST
        ("\x9d0;title\x1b\\ok", "ok"),  # 8-bit OSC ... ESC \
        ("\x1bcreset \x1b7saved\x1b8 \x1b(Bcharset", "reset saved charset"),
        ("bell\x07 back\x08space nul\x00 del\x7f", "bell backspace nul del"),
        ("nel\x85 c1\x80\x9f", "nel c1"),
        (
            "abc\u202edcba\u202c \u2066iso\u2069 \u200eltr\u200f \u061carabic",
            "abcdcba iso ltr arabic",
        ),
        ("lone \ud800surrogate \udfff", "lone surrogate "),
        ("\ufeffbom", "bom"),
        ("incomplete \x1b[31", "incomplete 31"),  # ESC [ goes; harmless digits stay
        ("dangling \x1b", "dangling "),
    ],
)
def test_sanitize_removes_escapes_and_controls(raw: str, expected: str) -> None:
    assert sanitize(raw) == expected


def test_sanitize_keeps_text_newlines_and_unicode() -> None:
    text = "Pokémon α≤β 日本語 emoji 🙂\nsecond line — “quotes” ~ 0.25B"
    assert sanitize(text) == text


def test_sanitize_is_not_markup_escaping() -> None:
    text = "[bold red]x[/] <b>y</b> [link=https://x]z[/link] $a$ *b*"
    assert sanitize(text) == text
    assert sanitize(text, single_line=True) == text


def test_sanitize_line_endings_and_tabs() -> None:
    assert sanitize("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert sanitize("a\tb") == "a b"


def test_sanitize_single_line() -> None:
    assert sanitize("  a\n\n b\t\tc\r\n d \u00a0 e\u2028f  ", single_line=True) == "a b c d e f"
    assert sanitize("\x1b[1m  Title \x1b[0m\n", single_line=True) == "Title"
    assert sanitize("", single_line=True) == ""


def test_sanitize_does_not_swallow_text_after_unterminated_osc() -> None:
    # An OSC without terminator must not eat the following lines up to a later BEL.
    out = sanitize("\x1b]0;no end\nimportant line\nmore\x07")
    assert "important line" in out
    assert "\x1b" not in out


def test_sanitize_output_has_no_controls() -> None:
    nasty = "".join(chr(c) for c in range(0x00, 0xA0)) + "\x1b[" + "\x1b]" + "\x9b"
    out = sanitize(nasty)
    assert not (set(out) & (C0_C1 - {"\n"}))
    assert not (set(sanitize(nasty, single_line=True)) & C0_C1)


@pytest.mark.slow
def test_sanitize_is_fast_on_50mb() -> None:
    text = SAMPLES[0].read_text(encoding="utf-8") * 400  # ~50 MB
    start = time.perf_counter()
    assert sanitize(text) == text
    hostile = text[:1_000_000] + "\x1b[31m\x9b1m\x00" + text[:1_000_000]
    assert "\x1b" not in sanitize(hostile)
    assert time.perf_counter() - start < 5


# --------------------------------------------------------------------------- clean_tex


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # real strings from the sample digests
        (r"achieves 4.23\% test error rate", "achieves 4.23% test error rate"),
        (r"a record 34.2\% higher task success rate", "a record 34.2% higher task success rate"),
        (r"Pok\'emon Video Game Championships", "Pokémon Video Game Championships"),
        (r"the temperature {\tau} controls", "the temperature τ controls"),
        (r"approximately 10^{139} - far larger", "approximately 10¹³⁹ - far larger"),
        (
            r"an excess risk of mathcal{O}(mathcal{C_Phi/m} + mathcal{C_Psi/n}) for",
            "an excess risk of O(C_Phi/m + C_Psi/n) for",
        ),
        (
            r"of mathcal{O}(mathcal{C_{Phi circ Psi}/n}) achieved",
            "of O(C_{Phi circ Psi}/n) achieved",
        ),
        (r"under a mild ''informative'' condition", "under a mild “informative” condition"),
        (r"the highest ``quality'' subset", "the highest “quality” subset"),
        (r"We propose \oni, a distributed", "We propose oni, a distributed"),
        ("the ~ 0.25B parameter UnIVAL model", "the ~ 0.25B parameter UnIVAL model"),
        (r"model w.r.t.~the likelihood", "model w.r.t. the likelihood"),  # a TeX tie
        (r"1)~a relabeler", "1) a relabeler"),
        (r"about ~50% faster", "about ~50% faster"),  # a leading ~ means "about"
        (r"see https://x.org/~user/a~b now", "see https://x.org/~user/a~b now"),
        # escapes
        (r"R\&D \_x \#1 costs \$5", "R&D _x #1 costs $5"),
        (r"\$5 and \$10", "$5 and $10"),  # escaped dollars never pair up as math
        (r"\{0,1\}", "{0,1}"),
        # accents, with and without braces
        (r"\'{e}", "é"),
        (r"{\"o}", "ö"),
        (r"{\"{o}}", "ö"),
        (r"\`a \^o \~n \"u \=a \.z", "à ô ñ ü ā ż"),
        (r"\c{c}a \c c", "ça ç"),
        (r"\v{s} \u{a} \H{o} \r{a} \k{e}", "š ă ő å ę"),
        (r"Erd\H{o}s and Sch\"olkopf", "Erdős and Schölkopf"),
        (r"na\"{\i}ve", "naïve"),
        (r"\ss{} \o \AE", "ß{} ø Æ"),
        # Greek
        (r"$\alpha$-divergence", "α-divergence"),
        (r"\tau and {\Omega} and \varepsilon", "τ and Ω and ε"),
        (r"$\beta$-VAE, $\lambda=0.1$", "β-VAE, λ=0.1"),
        # symbols
        (r"a \times b \leq c \geq d \approx e", "a × b ≤ c ≥ d ≈ e"),
        (r"$\sim$3x, \infty, x \rightarrow y, f: A \to B", "~3x, ∞, x → y, f: A → B"),
        (r"$\pm$0.5, a \cdot b", "±0.5, a · b"),
        (r"90^\circ", "90°"),
        # commands shown by their content
        (r"$\mathcal{O}(n \log n)$", "O(n log n)"),
        (r"\mathbf{x} and \textbf{bold} and \emph{it} and \text{t}", "x and bold and it and t"),
        (r"\textbf{nested \emph{deep}}", "nested deep"),
        (r"{\bf Bold} and {\em it}", "Bold and it"),
        (r"\mathbb{R}^n", "ℝ^n"),
        (r"$\mathbb{R}^d$", "ℝᵈ"),
        (r"$\frac{1}{2}$ and \frac{a+b}{c}", "1/2 and (a+b)/c"),
        (r"$\mathcal{O}(1/\sqrt{T})$", "O(1/√T)"),
        (r"$\hat{y}$", "ŷ"),
        (r"$x^2 + y_{ij}$", "x² + yᵢⱼ"),
        (r"\url{https://github.com/a/b_c}", "https://github.com/a/b_c"),
        (r"\href{https://x.org}{the site}", "the site (https://x.org)"),
        # left alone
        ("plain text, nothing to do", "plain text, nothing to do"),
        ("https://x.org/a_{b}~c^2", "https://x.org/a_{b}~c^2"),
        ("f''(x) is the second derivative", "f''(x) is the second derivative"),
        (r"$\frac{\partial}{\partial x}\Big|$", "∂/(∂ x)|"),
        ("a lone $ sign and 5$", "a lone $ sign and 5$"),
        ("{", "{"),
        ("\\", "\\"),
    ],
)
def test_clean_tex_table(raw: str, expected: str) -> None:
    assert clean_tex(raw) == expected
    assert clean_tex(expected) == expected or "{" in expected


def test_clean_tex_keeps_unresolved_math_delimited() -> None:
    # Content that is still TeX keeps its dollars, so it stays recognisable as math.
    out = clean_tex(r"$\begin{x}$")
    assert out.startswith("$") and out.endswith("$")


def test_clean_tex_is_idempotent_on_the_samples() -> None:
    changed = 0
    for path in SAMPLES:
        for line in path.read_text(encoding="utf-8").splitlines():
            once = clean_tex(line)
            assert clean_tex(once) == once
            changed += once != line
            assert "\\" not in once, once  # every backslash in the samples is resolved
    assert changed == 10  # the lines with TeX left-overs (and ties) in the two samples


def test_clean_tex_never_raises_on_odd_input() -> None:
    odd = [
        "\\" * 50,
        "{" * 1000 + "}" * 3,
        r"\mathcal{" * 200,
        "$" * 301,
        "``" * 400 + "''",
        r"\frac{\frac{\frac{a}{b}}{c}}{d}",
        "\ud800\\'\ud800",
        "\ufdd0\ufdd1 placeholder-like noncharacters \\$",
    ]
    for text in odd:
        assert isinstance(clean_tex(text), str)


def test_clean_tex_is_linear_on_pathological_input() -> None:
    start = time.perf_counter()
    clean_tex(r"mathcal{" * 20_000 + "``x" * 20_000 + "$a " * 20_000)
    assert time.perf_counter() - start < 2


def test_plural_says_one_paper_and_two_papers() -> None:
    assert plural(1, "paper") == "1 paper"
    assert plural(0, "paper") == "0 papers" and plural(2, "day") == "2 days"
    assert plural(-1, "paper") == "-1 papers"


def test_plural_takes_an_irregular_plural() -> None:
    assert plural(1, "try", "tries") == "1 try"
    assert plural(3, "try", "tries") == "3 tries"
    assert plural(2, "entry", "entries") == "2 entries"


# --------------------------------------------------------------------------- display_title


def test_display_title_cleans_tex_and_keeps_one_line() -> None:
    title = "Pok\\'emon\nGo: \x1b[31m$\\alpha$-nets\x1b[0m\tfor \\textbf{all}"
    assert display_title(title) == "Pokémon Go: α-nets for all"


def test_display_title_is_what_the_list_and_the_reader_show() -> None:
    # the three places that used to spell it out: sanitize after clean_tex, on one line
    for title in ("A $O(n^2)$ bound", "x\r\ny", "\x9b2Jcleared", "  spaced   out  "):
        assert display_title(title) == sanitize(clean_tex(title), single_line=True)


@given(st.text(max_size=200))
def test_display_title_never_lets_a_control_through(title: str) -> None:
    shown = display_title(title)
    assert "\n" not in shown
    assert not (set(shown) & C0_C1)

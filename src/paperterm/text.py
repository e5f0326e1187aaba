"""Hygiene for untrusted web text: ``sanitize()`` takes control and escape sequences out,
``clean_tex()`` turns TeX left-overs in abstracts into their display form.

Both are pure, never raise, and are written to stay linear on very large inputs
(precompiled regular expressions with literal prefixes, fast paths for clean text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# --------------------------------------------------------------------------- sanitize

# String terminator of OSC/DCS/SOS/PM/APC: BEL, ESC \ or 8-bit ST. The payload is bounded
# and stops at a newline, so a stray introducer cannot swallow text up to a far-away BEL
# (nor shift the line numbers the parser reports).
_ST = "(?:\x07|\x1b\\\\|\x9c)"
_STRING_BODY = "[^\x07\x1b\x9c\n]{0,4096}"
_ESC_SEQ = re.compile(
    "\x1b(?:"
    "\\[[0-?]*[ -/]*[@-~]"  # CSI: parameters, intermediates, final byte
    f"|[\\]PX^_]{_STRING_BODY}{_ST}"  # OSC, DCS, SOS, PM, APC strings
    "|[ -/]*[0-~]"  # two-character (plus intermediates) escapes: ESC c, ESC ( B, ...
    ")"
)
_C1_SEQ = re.compile(f"\x9b[0-?]*[ -/]*[@-~]|[\x90\x98\x9d\x9e\x9f]{_STRING_BODY}{_ST}")
_C1_INTRO = re.compile("[\x90\x98\x9b\x9d\x9e\x9f]")
# Every single character that must go: C0 except \t and \n, DEL, C1, bidi controls,
# the BOM / zero-width no-break space, and lone surrogates.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def sanitize(text: str, *, single_line: bool = False) -> str:
    """Make untrusted text safe to show in a terminal.

    Removes complete terminal escape sequences (CSI, OSC, DCS/SOS/PM/APC strings and
    two-character ``ESC x`` sequences, 7- and 8-bit forms), then every remaining C0 control
    except newline and tab, DEL, C1 controls (U+0080-U+009F), Unicode bidi controls
    (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), U+FEFF and lone surrogates.
    CR LF and lone CR become a newline; tabs become a space. With ``single_line`` every
    run of whitespace (newlines included) becomes one space and the ends are stripped.

    This is not markup escaping: ``[bold]`` or ``<b>`` stay literal text.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BAD_CHARS.search(text):
        # 8-bit sequences first, so ESC \ ending an 8-bit OSC is not eaten as ``ESC x``.
        if _C1_INTRO.search(text):
            text = _C1_SEQ.sub("", text)
        if "\x1b" in text:
            text = _ESC_SEQ.sub("", text)
        text = _BAD_CHARS.sub("", text)
    if single_line:
        return " ".join(text.split())
    if "\t" in text:
        text = text.replace("\t", " ")
    return text


# --------------------------------------------------------------------------- clean_tex tables


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GREEK: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
    "iota": "ι", "kappa": "κ", "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Alpha": "Α", "Beta": "Β", "Gamma": "Γ", "Delta": "Δ", "Epsilon": "Ε", "Zeta": "Ζ",
    "Eta": "Η", "Theta": "Θ", "Iota": "Ι", "Kappa": "Κ", "Lambda": "Λ", "Mu": "Μ",
    "Nu": "Ν", "Xi": "Ξ", "Omicron": "Ο", "Pi": "Π", "Rho": "Ρ", "Sigma": "Σ", "Tau": "Τ",
    "Upsilon": "Υ", "Phi": "Φ", "Chi": "Χ", "Psi": "Ψ", "Omega": "Ω",
    "varGamma": "Γ", "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ",
    "varPi": "Π", "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ",
    "varOmega": "Ω",
}  # fmt: skip

_SYMBOLS: dict[str, str] = {
    "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "leqslant": "≤",
    "geqslant": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "simeq": "≃", "cong": "≅",
    "sim": "~", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "infty": "∞",
    "rightarrow": "→", "to": "→", "longrightarrow": "⟶", "leftarrow": "←", "gets": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "leftrightarrow": "↔",
    "implies": "⟹", "iff": "⟺", "mapsto": "↦", "uparrow": "↑", "downarrow": "↓",
    "pm": "±", "mp": "∓", "cdot": "·", "cdots": "⋯", "ldots": "…", "dots": "…",
    "div": "÷", "ast": "∗", "star": "⋆", "circ": "∘", "bullet": "•", "oplus": "⊕",
    "otimes": "⊗", "odot": "⊙", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂",
    "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩",
    "setminus": "∖", "emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃",
    "neg": "¬", "lnot": "¬", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
    "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮",
    "ell": "ℓ", "hbar": "ħ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "top": "⊤",
    "bot": "⊥", "perp": "⊥", "parallel": "∥", "mid": "|", "vert": "|", "lvert": "|",
    "rvert": "|", "Vert": "‖", "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉",
    "lfloor": "⌊", "rfloor": "⌋", "prime": "′", "dagger": "†", "ddagger": "‡",
    "checkmark": "✓", "surd": "√", "angle": "∠", "triangle": "△", "square": "□",
    "degree": "°", "textdegree": "°", "S": "§", "P": "¶", "copyright": "©",
    "textregistered": "®", "texttrademark": "™", "textasciitilde": "~",
    "textasciicircum": "^", "textbar": "|", "textless": "<", "textgreater": ">",
    "textendash": "–", "textemdash": "—", "textbullet": "•", "dag": "†",
    "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ", "space": " ",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
    "LaTeX": "LaTeX", "TeX": "TeX", "eg": "e.g.", "ie": "i.e.", "etal": "et al.",
    "etc": "etc.", "wrt": "w.r.t.", "vs": "vs.",
    "log": "log", "ln": "ln", "exp": "exp", "min": "min", "max": "max", "sin": "sin",
    "cos": "cos", "tan": "tan", "arg": "arg", "argmin": "argmin", "argmax": "argmax",
    "lim": "lim", "sup": "sup", "inf": "inf", "det": "det", "dim": "dim", "Pr": "Pr",
}  # fmt: skip

# Control words that only steer layout; they vanish together with the spaces after them.
_DROP = _words(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr middle displaystyle "
    "textstyle scriptstyle limits nolimits nonumber noindent centering small footnotesize "
    "tiny large Large normalsize bf it em rm sf tt sc sl mathcal mathbf mathrm mathit "
    "mathsf mathtt mathbb boldsymbol bm cal"
)

_ACCENT_MARKS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
    "H": "\u030b", "k": "\u0328", "r": "\u030a",
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304",
    "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
    "vec": "\u20d7", "check": "\u030c", "breve": "\u0306", "acute": "\u0301",
    "grave": "\u0300",
}  # fmt: skip

_SUPERSCRIPT = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzT⊤′*",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀᵀ′*",
        strict=True,
    )
)
_SUBSCRIPT = dict(
    zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
_OPERATORS = frozenset(" +-−*/=<>,±·×")
_DOUBLE_STRUCK_SPECIAL = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}

# Commands whose single argument is shown as is (bare forms like ``mathcal{O}`` come from
# pages that ate the backslash, so they are recognised without it).
_CONTENT_CMDS = _words(
    "mathcal mathbf mathrm mathit mathsf mathtt mathscr mathfrak mathnormal boldsymbol bm "
    "textbf textit texttt textrm textsf textsc textsl textup textnormal textmd emph text "
    "underline operatorname mbox hbox ref eqref"
)
_BARE_OK = "mathcal|mathbf|mathrm|mathit|mathsf|mathtt|mathbb|mathscr|mathfrak|boldsymbol|" + (
    "textbf|textit|texttt|textrm|textsf|textsc|emph"
)
_ARG_NAMES = sorted(
    _CONTENT_CMDS
    | {"mathbb", "sqrt", "cite", "citep", "citet", "textsuperscript", "textsubscript"}
    | {k for k in _ACCENT_MARKS if len(k) > 1},
    key=len,
    reverse=True,
)
# One level of nested braces inside an argument; the caller loops for deeper nesting.
_ARG = r"\{((?:[^{}]++|\{[^{}]*+\})*+)\}"
_ARG_CMD = re.compile(
    rf"(?:\\|(?<![A-Za-z\\])(?=(?:{_BARE_OK})\{{))({'|'.join(_ARG_NAMES)})\s*{_ARG}"
)
_FRAC = re.compile(rf"\\[dt]?frac\s*{_ARG}\s*{_ARG}")
_OLD_FONT = re.compile(r"\{\\(?:bf|it|em|rm|sf|tt|sc|sl|bfseries|itshape)\s+([^{}\\]*)\}")
_DEGREE = re.compile(r"\^\s*(?:\{\\circ\}|\\circ(?![A-Za-z]))")
_CMD = re.compile(
    r"(\{)?\\(?:"
    r"""(?P<acc>['`^"~=.])\s*(?:\{(?P<a1>\\[ij](?![A-Za-z])|[A-Za-z]|)\}|(?P<a2>\\[ij](?![A-Za-z])|[A-Za-z]))?"""
    r"|(?P<lacc>[cvuHkr])(?:\{(?P<l1>\\[ij](?![A-Za-z])|[A-Za-z])\}|\s+(?P<l2>[A-Za-z])(?![A-Za-z]))"
    r"|(?P<name>[A-Za-z]+)(?P<sp>[ ]*)"
    r"|(?P<esc>[%&#_${}\\,;:! @/\-])"
    r")(?(1)\})"
)
_SUPER_BRACED = re.compile(r"(?<!\\)\^\{([^{}]{1,40})\}")
_SUPER_DIGITS = re.compile(r"(?<=[\w)\]])\^(-?\d+)")
_SUB_BRACED = re.compile(r"(?<!\\)_\{([^{}]{1,40})\}")
_MATH_SCRIPT = re.compile(r"([_^])([A-Za-z0-9])")
_MATH = re.compile(r"\$(?=[^\s$])([^$\n]{0,300}?[^\s$\\])\$")
_PAREN_MATH = re.compile(r"\\\((.{1,300}?)\\\)")
_TEX_QUOTES = re.compile(r"(?:``|(?<![^\s(\[])'')(?=\S)((?:[^`'\n]|'(?!')){1,300}?)''(?![\w'])")
# URLs are left untouched (``_`` or ``~`` in them are not TeX); a TeX escape inside one
# still gets unescaped because the backslash ends the protected span.
_URL_CMD = re.compile(r"\\url\{([^{}\s]*)\}|\\href\{([^{}\s]*)\}\{([^{}]*)\}")
_URL_SPAN = re.compile(r"((?:[hH][tT][tT][pP][sS]?://|www\.)[^\s<>\"`\\]+)")

# Escaped characters wait as noncharacters until the end, so later passes cannot mistake
# an escaped ``$`` for math or an escaped ``{`` for a group.
_HOLD = {"$": "\ufdd0", "{": "\ufdd1", "}": "\ufdd2", "_": "\ufdd3", "\\": "\ufdd4"}
_RELEASE = str.maketrans({v: k for k, v in _HOLD.items()})
_DROP_HOLDS = str.maketrans(dict.fromkeys(map(ord, _HOLD.values())))
_ESCAPES = {"%": "%", "&": "&", "#": "#", " ": " ", ",": " ", ";": " ", ":": " ", "!": "",
            "@": "", "/": "", "-": ""} | _HOLD  # fmt: skip


def _url_cmd(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    return f"{m.group(3)} ({m.group(2)})"


def _accent(base: str, mark: str) -> str:
    if base in ("\\i", "\\j"):  # dotless i/j under an accent: the accent supplies the dot
        base = base[1]
    return unicodedata.normalize("NFC", base + mark)


def _scripted(text: str, table: dict[str, str]) -> str | None:
    out = [table.get(ch) for ch in text]
    return None if None in out else "".join(o for o in out if o is not None)


def _wrap(arg: str) -> str:
    arg = _CMD.sub(_cmd, arg.strip())
    return f"({arg})" if any(ch in _OPERATORS for ch in arg) else arg


def _arg_cmd(m: re.Match[str]) -> str:
    name, arg = m.group(1), m.group(2)
    if name == "mathbb":
        return "".join(_double_struck(ch) for ch in arg)
    if name in _ACCENT_MARKS:
        if len(arg) == 1 and arg.isalpha():
            return _accent(arg, _ACCENT_MARKS[name])
        return arg
    if name == "sqrt":
        return "√" + _wrap(arg)
    if name.startswith("cite"):
        return f"[{arg}]"
    if name in ("textsuperscript", "textsubscript"):
        table = _SUPERSCRIPT if name == "textsuperscript" else _SUBSCRIPT
        return _scripted(arg, table) or arg
    return arg


def _double_struck(ch: str) -> str:
    if ch in _DOUBLE_STRUCK_SPECIAL:
        return _DOUBLE_STRUCK_SPECIAL[ch]
    if "A" <= ch <= "Z":
        return chr(0x1D538 + ord(ch) - ord("A"))
    if "a" <= ch <= "z":
        return chr(0x1D552 + ord(ch) - ord("a"))
    if "0" <= ch <= "9":
        return chr(0x1D7D8 + ord(ch) - ord("0"))
    return ch


def _frac(m: re.Match[str]) -> str:
    return f"{_wrap(m.group(1))}/{_wrap(m.group(2))}"


def _cmd(m: re.Match[str]) -> str:
    if m.group("acc"):
        base = m.group("a1") if m.group("a1") is not None else m.group("a2")
        if not base:  # \~{} or an accent with nothing to sit on: the character itself
            return m.group("acc")
        return _accent(base, _ACCENT_MARKS[m.group("acc")])
    if m.group("lacc"):
        return _accent(m.group("l1") or m.group("l2"), _ACCENT_MARKS[m.group("lacc")])
    name = m.group("name")
    if name is not None:
        sp = m.group("sp")
        if name in _GREEK:
            return _GREEK[name] + sp
        if name in _SYMBOLS:
            return _SYMBOLS[name] + sp
        if name in _DROP:
            return ""
        if len(name) == 1:  # \n, \t in prose are more likely literal than macros
            return m.group(0)
        return name + sp  # an unknown macro such as \oni: show its name
    esc = m.group("esc")
    if esc == "\\":  # \\ is a TeX line break
        return " "
    return _ESCAPES[esc]


def _super_braced(m: re.Match[str]) -> str:
    return _scripted(m.group(1), _SUPERSCRIPT) or m.group(0)


def _super_digits(m: re.Match[str]) -> str:
    return _scripted(m.group(1), _SUPERSCRIPT) or m.group(0)


def _sub_braced(m: re.Match[str]) -> str:
    arg = m.group(1)
    scripted = _scripted(arg, _SUBSCRIPT)
    if scripted:
        return scripted
    return "_" + arg if not any(ch.isspace() for ch in arg) else m.group(0)


def _math_script(m: re.Match[str]) -> str:
    table = _SUPERSCRIPT if m.group(1) == "^" else _SUBSCRIPT
    return table.get(m.group(2)) or m.group(0)


def _math(m: re.Match[str]) -> str:
    end = m.end()
    if m.group(1)[0].isdigit() and m.string[end : end + 1].isdigit():
        return m.group(0)  # "$5-$10": two amounts of money, not math
    content = _MATH_SCRIPT.sub(_math_script, m.group(1))
    if any(ch in content for ch in "\\{}"):
        return "$" + content + "$"  # still real TeX: keep it recognisable as math
    return content


def _paren_math(m: re.Match[str]) -> str:
    content = _MATH_SCRIPT.sub(_math_script, m.group(1))
    return m.group(0) if any(ch in content for ch in "\\{}") else content


_PASSES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_SUPER_BRACED, _super_braced),
    (_SUPER_DIGITS, _super_digits),
    (_SUB_BRACED, _sub_braced),
    (_MATH, _math),
    (_PAREN_MATH, _paren_math),
)


def _needs_work(text: str) -> bool:
    # Substring tests run at memchr speed, far faster than a regex alternation.
    return (
        "\\" in text or "{" in text or "}" in text or "$" in text or "^" in text
        or "``" in text or "''" in text or "~" in text
    )  # fmt: skip


# A TeX tie (non-breaking space) glued between words: ``w.r.t.~the``, ``Fig.~3``. A ``~``
# that starts a word (``~50%``, "about") or follows a slash (``/~user``) is kept.
_TIE = re.compile(r"(?<=[\w.,;:)\]])~(?=[\w(])")


def _clean_segment(text: str) -> str:
    if not _needs_work(text):
        return text
    text = text.translate(_DROP_HOLDS)
    for _ in range(4):  # innermost arguments surface one nesting level per round
        before = text
        text = _OLD_FONT.sub(r"\1", text)
        text = _FRAC.sub(_frac, text)
        text = _ARG_CMD.sub(_arg_cmd, text)
        if text == before:
            break
    text = _DEGREE.sub("°", text)
    text = _CMD.sub(_cmd, text)
    for pattern, repl in _PASSES:
        text = pattern.sub(repl, text)
    text = _TEX_QUOTES.sub(r"“\1”", text)
    text = _TIE.sub(" ", text)
    return text.translate(_RELEASE)


def clean_tex(text: str) -> str:
    """The display form of TeX left-overs in an abstract or title.

    Unescapes ``\\%``, ``\\&``, ``\\_``, ``\\#``, ``\\$``; applies accents (``Pok\\'emon`` ->
    ``Pokémon``, ``{\\"o}``, ``\\c{c}``); turns Greek letters and common symbols into
    Unicode (``{\\tau}`` -> ``τ``, ``\\leq`` -> ``≤``); shows the argument of font and text
    commands, with or without their backslash (``mathcal{O}`` -> ``O``); renders simple
    super- and subscripts (``10^{139}`` -> ``10¹³⁹``), ``\\frac`` and ``\\sqrt``; drops
    ``$...$`` when what is inside became plain text; turns ````x''`` quotes into “x”.
    a ``~`` tie between words becomes a space (``w.r.t.~the``), a leading ``~`` (``~50%``)
    stays, ``\\~`` is an accent; unknown macros lose their backslash,
    URLs are never touched. Never raises; applying it twice changes nothing more on
    real abstracts.
    """
    if not _needs_work(text):
        return text
    if "\\url{" in text or "\\href{" in text:
        text = _URL_CMD.sub(_url_cmd, text)
    parts = _URL_SPAN.split(text)
    return "".join(part if i % 2 else _clean_segment(part) for i, part in enumerate(parts))


def display_title(title: str) -> str:
    """``title`` as one line of display text: TeX cleaned (``clean_tex``), then control and
    escape sequences out and white space folded (``sanitize``, single line)."""
    return sanitize(clean_tex(title), single_line=True)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``"1 paper"``, ``"3 papers"``: a count with its noun, ``many`` its plural when it is
    not ``noun + "s"`` (``plural(n, "try", "tries")``)."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun + 's' if many is None else many}"

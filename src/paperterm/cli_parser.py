"""The ``paperterm`` command line's grammar: every command, its options and its help.

Usage errors are one line plus a hint, exit code 2 (``EXIT_USAGE``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from paperterm import __version__
from paperterm.cli_args import date_arg
from paperterm.cli_fetch import configure_parser as configure_fetch
from paperterm.sorting import SORTS

EXIT_USAGE = 2

# the names of paperterm.exports.FORMATS, spelled out so that parsing imports no exporter
EXPORT_FORMATS = ("markdown", "bibtex", "ris", "csl-json", "csv", "obsidian")

QUERY_HELP = (
    "query language: free words (fuzzy), \"exact phrase\", is:starred, is:read, is:unread, "
    "tag:NAME, has:code, date:YYYY-MM-DD, date:>=YYYY-MM-DD, date:<=YYYY-MM-DD, "
    "author:NAME, arxiv:ID, upvotes:>=N; "
    "prefix any term with - to negate it (put the query after -- if it starts with -); "
    "@NAME runs a search saved in the reader"
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line plus a hint, exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"paperterm: {message} (see '{self.prog} --help')\n")


CAPTURE_FORMATS = ("plain", "markdown", "text-browser", "text-export", "hf-json", "html")
"""``paperterm.captures.FORMATS``, spelled out so that parsing arguments stays light."""

CARRIED_FORMATS = ("reading-list", "bibtex")
"""``paperterm.readback.CARRIED_FORMATS``: exported files ``paperterm import`` reads back."""


def _count_arg(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: use a whole number") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: must be 0 or more")
    return count


def _common() -> _Parser:
    """Options every command accepts, before or after the command name."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="store directory (default: $PAPERTERM_DATA_DIR, else the platform's data dir)",
    )
    common.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="whose stars, tags, read marks and notes (default: $PAPERTERM_USER, else login)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with an example in every command's help."""
    common = _common()
    fmt = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog="paperterm",
        description="A terminal reader and reading list for daily research-paper digests.\n"
        "With no command, opens the interactive reader.",
        epilog="examples:\n  paperterm --demo\n  paperterm import ~/digests/\n"
        "  paperterm list 'diffusion is:unread'\n  paperterm export -o reading.md",
        formatter_class=fmt,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"paperterm {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the reader on a throwaway store preloaded with the bundled sample digests",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help_: str, example: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=f"example:\n  {example}",
            formatter_class=fmt,
            parents=[common],
        )
        return parser

    p = add("import", "import digest files, folders of them, or standard input",
            "paperterm import daily-2025-09-09.txt ~/digests/  # or: pbpaste | paperterm import -")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="a capture file, a folder (its .txt, .md, .json, .html and .htm "
                        "files, recursively) or - for stdin")
    p.add_argument("--clipboard", action="store_true", help="import the clipboard's text")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD",
                   help="digest date, overriding the date line and the file name")
    p.add_argument("--format", choices=CAPTURE_FORMATS + CARRIED_FORMATS, metavar="NAME",
                   help="read every input with this reader instead of detecting it: "
                        + ", ".join(CAPTURE_FORMATS + CARRIED_FORMATS) + " (reading-list "
                        "and bibtex: exported files whose stars, tags and notes are applied)")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be imported (format, papers, warnings); write nothing")
    p.add_argument("--undo", nargs="?", const=0, type=int, metavar="N",
                   help="take back import N of `paperterm imports` (default: the last one): "
                   "remove the papers it added and the dates it gave known papers")
    p.add_argument("--force", action="store_true",
                   help="with --undo: remove the papers it added even when marked")

    add("imports", "list the import history (the imports --undo can take back)",
        "paperterm imports  # then: paperterm import --undo 3")

    p = add("list", "list papers matching a query",
            "paperterm list 'is:unread has:code diffusion' --json")
    p.add_argument("query", nargs="*", help=QUERY_HELP)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--limit", type=_count_arg, metavar="N", help="print at most N papers")
    p.add_argument("--sort", choices=SORTS, default=None,
                   help="order: relevance (the default with free words), date (newest digest "
                   "first, the default otherwise), upvotes (most first, unknown last) or "
                   "for-you (by resemblance to what you starred and tagged)")

    p = add("related", "list the papers most similar to one, with the shared terms",
            "paperterm related k3f9qab --limit 5 --json")
    p.add_argument("id", help="paper id (or a unique prefix of at least 3 characters)")
    p.add_argument("--limit", type=int, default=10, metavar="N",
                   help="print at most N papers (default 10)")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per line: as list --json, plus score and reason")

    p = add("show", "print one paper in full", "paperterm show k3f9qab")
    p.add_argument("id", help="paper id (or a unique prefix of at least 3 characters)")

    for name, what in (("star", "star"), ("unstar", "unstar"),
                       ("read", "mark as read"), ("unread", "mark as unread")):
        p = add(name, f"{what} papers", f"paperterm {name} k3f9qab 7xw2mpa")
        p.add_argument("ids", nargs="+", metavar="ID", help="paper ids or unique prefixes")

    p = add("tag", "add or remove tags: paper ids, then tag words as in the reader",
            "paperterm tag k3f9qab 7xw2mpa rl +to-read -later")
    p.add_argument("items", nargs="+", metavar="ID... WORD",
                   help="paper ids (or unique prefixes), then tag words: NAME or +NAME adds, "
                   "-NAME removes; the first word that is not a paper id starts the tags")
    p.add_argument("--remove", action="append", default=[], metavar="TAG",
                   help="tag to remove (repeatable)")

    p = add("note", "set a paper's note (empty text clears it)",
            "paperterm note k3f9qab 'compare with our baseline'")
    p.add_argument("id", help="paper id")
    p.add_argument("text", help="the note")

    p = add("export", "export papers: Markdown, BibTeX, RIS, CSL JSON, CSV or Obsidian notes",
            "paperterm export 'tag:rl' -o rl-reading.md --full\n"
            "  paperterm export --format bibtex -o refs.bib\n"
            "  paperterm export --format obsidian -o ~/vault/papers 'is:starred'")
    p.add_argument("query", nargs="*", help=QUERY_HELP + " (default: is:starred)")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="markdown", metavar="NAME",
                   help=f"one of {', '.join(EXPORT_FORMATS)} (default: markdown)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE instead of stdout (obsidian: the notes' folder, required)")
    p.add_argument("--full", action="store_true", help="whole abstracts, not first sentences")

    add("doctor", "check the store, set corrupt files aside and restore the last good copies",
        "paperterm doctor")

    configure_fetch(add("fetch", "fetch the daily papers from Hugging Face into the store",
                        "paperterm fetch"))
    return parser


_COMMON_VALUE_OPTIONS = ("--data-dir", "--user")
_TAG_VALUE_OPTIONS = (*_COMMON_VALUE_OPTIONS, "--remove")


def _takes_value(token: str, options: Sequence[str]) -> bool:
    """Whether ``token`` is one of ``options`` (or an abbreviation) with its value to follow."""
    return (token.startswith("--") and len(token) > 2 and "=" not in token
            and any(option.startswith(token) for option in options))


def _tag_words_as_positionals(argv: Sequence[str]) -> list[str]:
    """``paperterm tag ID -old``: a tag word such as ``-old`` is not an option. The tag
    command's options (``--remove TAG``, ``--user NAME``, ``-h``...) go first, then ``--``,
    then its words in their order, so that argparse takes every word as a positional."""
    words = list(argv)
    at = 0
    while at < len(words) and words[at].startswith("-") and words[at] != "--":
        at += 2 if _takes_value(words[at], _COMMON_VALUE_OPTIONS) else 1
    if at >= len(words) or words[at] != "tag":
        return words
    options: list[str] = []
    positionals: list[str] = []
    rest = iter(words[at + 1 :])
    for token in rest:
        if token == "--":
            positionals.extend(rest)
        elif token.startswith("--") or token == "-h":
            options.append(token)
            if _takes_value(token, _TAG_VALUE_OPTIONS):
                options.extend(value for value in [next(rest, None)] if value is not None)
        else:
            positionals.append(token)
    return [*words[: at + 1], *options, "--", *positionals]


def parse_args(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """Parse, letting negated query terms such as ``-is:read`` and tag words such as
    ``-old`` through as words."""
    args, extras = parser.parse_known_args(_tag_words_as_positionals(argv))
    if extras:
        options = [word for word in extras if word.startswith("--")]
        if getattr(args, "command", None) in ("list", "export") and not options:
            args.query = [*args.query, *extras]
        else:
            parser.error(f"unrecognized arguments: {' '.join(options or extras)}")
    return args

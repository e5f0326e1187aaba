"""The ``paperterm`` command: each command's work, done by the domain layer (the grammar of
the command line is ``paperterm.cli_parser``; the commands live in ``cli_import``,
``cli_papers`` and ``cli_fetch``, what they share in ``cli_common``).

Kept thin and quick to start: the store, the search index and Textual are imported only by
the commands that need them. Expected failures print one line to stderr and exit 1; usage
errors exit 2 (``paperterm.cli_parser``), as the README's table of exit codes says.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext

from paperterm import cli_fetch
from paperterm.cli_common import EXIT_FAILED, EXIT_OK, _err, _out
from paperterm.cli_import import cmd_import, cmd_imports
from paperterm.cli_papers import (
    cmd_export,
    cmd_list,
    cmd_mark,
    cmd_note,
    cmd_related,
    cmd_show,
    cmd_tag,
)
from paperterm.cli_parser import build_parser, parse_args
from paperterm.errors import PapertermError
from paperterm.heap import no_gc
from paperterm.paths import resolve_data_dir, resolve_user


def cmd_doctor(args: argparse.Namespace) -> int:
    """Check every store file; report what was repaired."""
    from paperterm.doctor import doctor

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    actions = doctor(data_dir)
    for line in actions:
        _out(line)
    if not actions:
        _out(f"{data_dir}: store is healthy")
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch the daily papers from Hugging Face (``paperterm.cli_fetch``)."""
    return cli_fetch.run(args)


def cmd_tui(args: argparse.Namespace) -> int:
    """Launch the interactive reader (the only path that imports Textual)."""
    from paperterm.tui.launch import launch

    return launch(
        data_dir=resolve_data_dir(getattr(args, "data_dir", None)),
        user=resolve_user(getattr(args, "user", None)),
        demo=args.demo,
    )


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_tui,
    "import": cmd_import,
    "imports": cmd_imports,
    "list": cmd_list,
    "related": cmd_related,
    "show": cmd_show,
    "star": cmd_mark,
    "unstar": cmd_mark,
    "read": cmd_mark,
    "unread": cmd_mark,
    "tag": cmd_tag,
    "note": cmd_note,
    "export": cmd_export,
    "doctor": cmd_doctor,
    "fetch": cmd_fetch,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``paperterm`` console script; returns the exit code."""
    parser = build_parser()
    args = parse_args(parser, list(sys.argv[1:] if argv is None else argv))
    # A command lives for a moment and frees everything at exit: the cyclic collector would
    # only walk its 100,000 papers again and again while they load (the reader, which lives
    # on, settles its heap instead: paperterm.heap.settle_heap). Paused, not switched off,
    # so that a caller of main() in its own process gets its collector back.
    pause = nullcontext() if args.command is None else no_gc()
    try:
        with pause:
            return COMMANDS[args.command](args)
    except PapertermError as error:
        _err(str(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("paperterm: interrupted\n")
        return 130
    except BrokenPipeError:
        # `paperterm list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK

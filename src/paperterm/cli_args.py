"""Argument types shared by the command line's parsers (``cli_parser`` and ``cli_fetch``)."""

from __future__ import annotations

import argparse
import datetime as dt


def date_arg(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` argument; a usage error naming the text otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: use YYYY-MM-DD") from None

"""The values the commands' options take, checked as argparse reads them, in the same words
for every command; and how a command joins ``8x8-events``."""

from __future__ import annotations

import argparse
from typing import Any, Literal


def whole(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{value} is not {least} or more")
    return value


def count(text: str) -> int:
    """A whole number where 0 means off."""
    return whole(text, 0)


def positive(text: str) -> int:
    return whole(text, 1)


def jobs(text: str) -> int | Literal["auto"]:
    """A number of processes, or ``auto`` for every core."""
    if text == "auto":
        return "auto"
    if not text.strip().lstrip("+-").isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is neither a number nor auto")
    return whole(text, 1)


def subcommand(commands: Any, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    """A command of ``8x8-events``: its one-line summary in the list, and a ``--help`` whose
    text keeps the line breaks it was written with."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser

"""The values the commands' options take, checked as argparse reads them, in the same words
for every command."""

from __future__ import annotations

import argparse


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

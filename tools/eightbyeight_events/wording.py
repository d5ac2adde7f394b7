"""How counts are said in messages and reports."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """``1 line``, ``2 lines``: a count with its noun, plural where English wants it."""
    return f"{count:,} {noun}{'s' * (count != 1)}"

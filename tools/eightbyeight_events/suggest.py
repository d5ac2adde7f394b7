""" "Did you mean": the closest known name to a misspelt one.

One rule for every name a person can misspell (a wrapper, an event, a
field): the candidate within two edits (an insertion, a deletion, a
substitution, or two neighbours swapped), letter case ignored; the fewest
edits wins, then the alphabetically first. The TypeScript package's
``route`` applies the same rule, so both packages word an unknown name alike.
"""

from __future__ import annotations

from collections.abc import Iterable

MOST_EDITS = 2


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` most likely misspells, or None when none is within reach."""
    best: tuple[int, str] | None = None
    folded = name.lower()
    letters = set(folded)
    for candidate in candidates:
        if candidate == name or abs(len(candidate) - len(name)) > MOST_EDITS:
            continue
        other = candidate.lower()
        # each edit brings at most one letter to each side that the other lacks: a cheap
        # bound that spares the distance for nearly every candidate
        if len(letters.symmetric_difference(other)) > 2 * MOST_EDITS:
            continue
        edits = distance(folded, other)
        if edits <= MOST_EDITS and (best is None or (edits, candidate) < best):
            best = (edits, candidate)
    return None if best is None else best[1]


def distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and swaps of two
    neighbours (the optimal string alignment distance)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char != other),
            )
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]

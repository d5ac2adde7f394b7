"""The "did you mean" rule: the letter-set bound that skips most candidates never skips
the one the full rule would choose."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from eightbyeight_events.suggest import MOST_EDITS, closest, distance

NAMES = st.text(alphabet="abcdeEIDxyz", min_size=0, max_size=9)


def _brute_force(name: str, candidates: list[str]) -> str | None:
    """The rule as stated, with no shortcut: fewest edits within reach, then alphabetical."""
    scored = [
        (distance(name.lower(), candidate.lower()), candidate)
        for candidate in candidates
        if candidate != name
    ]
    within = [pair for pair in scored if pair[0] <= MOST_EDITS]
    return min(within)[1] if within else None


@st.composite
def misspellings(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Candidates, and a name a few random edits away from one of them."""
    candidates = draw(st.lists(NAMES, min_size=1, max_size=12))
    name = list(draw(st.sampled_from(candidates)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(name)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
        letter = draw(st.sampled_from("abxyzQ"))
        if edit == "insert":
            name.insert(at, letter)
        elif edit == "delete" and at < len(name):
            del name[at]
        elif edit == "replace" and at < len(name):
            name[at] = letter
        elif edit == "swap" and at + 1 < len(name):
            name[at], name[at + 1] = name[at + 1], name[at]
    return "".join(name), candidates


@given(misspellings())
def test_the_shortcut_chooses_what_the_full_rule_chooses(case: tuple[str, list[str]]) -> None:
    name, candidates = case
    assert closest(name, candidates) == _brute_force(name, candidates)


def test_known_misspellings() -> None:
    fields = ["priority", "interactionGUID", "agentId", "queueId"]
    assert closest("priorty", fields) == "priority"
    assert closest("interactionGuid", fields) == "interactionGUID"  # letter case ignored
    assert closest("agnetId", fields) == "agentId"  # two neighbours swapped: one edit
    assert closest("customerName", fields) is None

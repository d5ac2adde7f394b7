"""Which findings fail a run: the failure classes a CI job chooses with ``--fail-on``.

A team that owns a consumer wants a misspelt field (``priorty``) to fail its
build while the tenant's own attachedData keys pass, or a new event type to
pass while the service rolls it out. Each kind of finding is a class; a run
fails when a class it was asked to fail on has a count above zero. The one
place that names the classes, parses them and counts them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from eightbyeight_events.verdict import FAILING, DriftKind, WarningKind

if TYPE_CHECKING:
    from eightbyeight_events.tally import Ledger

DRIFT_CLASSES = {
    "undeclared-field": DriftKind.UNDECLARED_FIELD,
    "unknown-key": DriftKind.UNKNOWN_KEY,
    "key-type": DriftKind.KEY_TYPE,
    "new-value": DriftKind.NEW_VALUE,
}
CLASSES: tuple[str, ...] = (*FAILING, *DRIFT_CLASSES, "call-state", "stream")
"""Every failure class, in report order."""
GROUPS: dict[str, tuple[str, ...]] = {"drift": tuple(DRIFT_CLASSES), "all": CLASSES}
DEFAULT: frozenset[str] = frozenset(FAILING)
"""What fails a run unless asked otherwise: a message that is invalid, unknown or unreadable."""
MEANINGS = {
    "invalid": "a message the schemas reject",
    "unknown": "a wrapper or event name the catalogue lacks",
    "unreadable": "not JSON, bad base64, not UTF-8, too deep or too long",
    "undeclared-field": "a field the schemas do not declare",
    "unknown-key": "an attachedData key outside the catalogue",
    "key-type": "an attachedData value of another type than the catalogue's",
    "new-value": "a value outside an open list (a new mediaType, say)",
    "call-state": "a call state outside the event table",
    "stream": "any stream finding (redelivery, order, lifecycle, sequence)",
}


class FailOnError(ValueError):
    """A ``--fail-on`` list naming no class."""


def parse_fail_on(text: str | Iterable[str]) -> frozenset[str]:
    """``invalid,undeclared-field`` (or the names as a list) as a set of classes; a group
    (``drift``, ``all``) stands for its members."""
    names = text.split(",") if isinstance(text, str) else list(text)
    found: set[str] = set()
    for name in (name.strip() for name in names):
        if name in GROUPS:
            found.update(GROUPS[name])
        elif name in CLASSES:
            found.add(name)
        else:
            valid = ", ".join((*CLASSES, *GROUPS))
            raise FailOnError(f"{name!r} is not a failure class; choose from {valid}")
    if not found:
        raise FailOnError("no failure class given")
    return frozenset(found)


def class_counts(ledger: Ledger) -> dict[str, int]:
    """How often each class occurred in a run, every class named, in report order."""
    tally = ledger.tally
    counts = dict.fromkeys(CLASSES, 0)
    for status in FAILING:
        counts[status] = tally.statuses[status]
    kinds = {kind: name for name, kind in DRIFT_CLASSES.items()}
    for (kind, _), seen in tally.drift.items():
        counts[kinds[kind]] += seen.count
    for (warning, _), seen in tally.warnings.items():
        if warning is WarningKind.CALL_STATE:
            counts["call-state"] += seen.count
    counts["stream"] = sum(ledger.stream_kinds.values())
    return counts


def shown(classes: Iterable[str]) -> str:
    """Classes as ``--fail-on`` takes them, in report order."""
    chosen = set(classes)
    return ",".join(name for name in CLASSES if name in chosen)

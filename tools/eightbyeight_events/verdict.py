"""What the contract says about one message: the verdict, and the names of its parts.

Every path through the validator and the loader ends in a ``Verdict``; the
reports, the books and the API only read verdicts. The kinds of drift and of
warnings are named here once, so a report cannot invent or misspell one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from eightbyeight_events.explain import Finding

Status = Literal["valid", "invalid", "unknown", "unreadable", "control"]
STATUSES: tuple[Status, ...] = ("valid", "invalid", "unknown", "unreadable", "control")
FAILING: tuple[Status, ...] = ("invalid", "unknown", "unreadable")
"""The statuses that fail a run; ``control`` (a Pulsar control message) is counted apart."""
FRAME_TYPE = "(frame)"
"""The event-type bucket of drift found in a Pulsar frame rather than in its event."""


class DriftKind(enum.Enum):
    """What the spec does not say: reported, but a failure only under ``--strict``."""

    UNDECLARED_FIELD = "undeclared field"
    UNKNOWN_KEY = "attachedData key outside the catalogue"
    KEY_TYPE = "attachedData value of another type"
    NEW_VALUE = "new value of an open list"

    @property
    def section(self) -> str:
        """The key of this kind's list in the JSON report's ``drift`` object."""
        return _DRIFT_SECTIONS[self]


_DRIFT_SECTIONS = {
    DriftKind.UNDECLARED_FIELD: "undeclared_fields",
    DriftKind.UNKNOWN_KEY: "attached_data_keys",
    DriftKind.KEY_TYPE: "attached_data_types",
    DriftKind.NEW_VALUE: "open_list_values",
}


class WarningKind(enum.Enum):
    """What the spec expects but does not require: reported, never a failure."""

    CALL_STATE = "call state outside the event table"
    EMPTY_SOURCE = "source without messages"


@dataclass(frozen=True, slots=True)
class Drift:
    kind: DriftKind
    subject: str
    """what differs, e.g. ``newState 7`` or ``/Interaction/surveyScore``"""
    event_type: str
    suggestion: str | None = None
    """for an undeclared field, the declared field it most likely misspells"""


@dataclass(frozen=True, slots=True)
class Warning:
    kind: WarningKind
    subject: str
    message: str
    event_type: str


class Verdict(NamedTuple):
    """The contract's answer for one message.

    A named tuple rather than a frozen dataclass: it is made once per message
    on every path, and a tuple is built several times faster.
    """

    status: Status
    event_type: str | None = None
    errors: tuple[Finding, ...] = ()
    warnings: tuple[Warning, ...] = ()
    drift: tuple[Drift, ...] = ()
    message_id: str | None = None
    """the ``messageId`` of the Pulsar frame the message came in, if it came in one"""
    message: Any = None
    """the decoded message (the event, not the frame); None when there was none to decode"""
    frame: Any = None
    """the decoded Pulsar frame the message came in, if it came in one"""

    @property
    def clean(self) -> bool:
        """Valid, and nothing to report: no warning, no drift."""
        return self.status == "valid" and not self.warnings and not self.drift


def unreadable(finding: Finding, message_id: str | None = None) -> Verdict:
    return Verdict("unreadable", errors=(finding,), message_id=message_id)

"""What the changes between two specs mean under a policy: each change's BACKWARD and
FORWARD compatibility, the event types it reaches, the classes of the whole, and the
version bump they call for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from eightbyeight_events.schemas import UNION
from eightbyeight_events.specdiff.compare import Change, Comparison
from eightbyeight_events.specdiff.kinds import KINDS, Policy
from eightbyeight_events.specdiff.places import event_types, reach
from eightbyeight_events.specdiff.sentences import sentence
from eightbyeight_events.specdiff.sources import Spec
from eightbyeight_events.version import Bump, version_bump


@dataclass(frozen=True)
class Finding:
    """One change, judged."""

    change: Change
    backward: bool
    """The new spec accepts everything the old one did here."""
    forward: bool
    """The old spec accepts everything the new one does here."""
    events: tuple[str, ...]
    message: str

    @property
    def annotation(self) -> bool:
        return KINDS[self.change.kind].annotation

    def as_json(self) -> dict[str, Any]:
        change = self.change
        return {
            "kind": change.kind,
            "pointer": change.pointer,
            "definition": change.unit,
            "events": list(self.events),
            "backward": self.backward,
            "forward": self.forward,
            "message": self.message,
            "before": change.before,
            "after": change.after,
        }


@dataclass(frozen=True)
class EventChange:
    status: Literal["added", "removed", "changed"]
    backward: bool
    forward: bool
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    old: Spec
    new: Spec
    policy: Policy
    findings: tuple[Finding, ...]
    events: dict[str, EventChange]
    catalogue: int
    """how many event types the new side has"""

    @property
    def backward(self) -> bool:
        return all(finding.backward for finding in self.findings)

    @property
    def forward(self) -> bool:
        return all(finding.forward for finding in self.findings)

    @property
    def full(self) -> bool:
        return self.backward and self.forward

    @property
    def bump(self) -> Bump:
        """What the version must at least take: major when something accepted before is
        rejected now, minor for any other change of what validates, patch for annotations."""
        if not self.findings:
            return "none"
        if not self.backward:
            return "major"
        if not self.forward or not all(finding.annotation for finding in self.findings):
            return "minor"
        return "patch"


def stated_bump(report: Report) -> Bump | None:
    """The step the two sides' own versions take, when both name one and the new is after."""
    old, new = report.old.version, report.new.version
    if old is None or new is None:
        return None
    try:
        return version_bump(old, new)
    except ValueError:
        return None


def diff_specs(old: Spec, new: Spec, policy: Policy = "strict") -> Report:
    changes = Comparison(old, new, policy).run()
    old_reach, new_reach = reach(old), reach(new)
    before, after = set(event_types(old)), set(event_types(new))
    known = before | after
    findings: list[Finding] = []
    for change in sorted(changes, key=lambda change: (change.pointer, change.kind)):
        events = change.events or _events(change, known, old_reach, new_reach)
        backward = KINDS[change.kind].compatible_under(policy)
        forward = KINDS[change.inverse].compatible_under(policy)
        message = sentence(change, backward, forward, policy)
        findings.append(Finding(change, backward, forward, events, message))
    by_event = _by_event(findings, before, after)
    return Report(old, new, policy, tuple(findings), by_event, len(after))


def _events(
    change: Change,
    known: set[str],
    old_reach: dict[str, set[str]],
    new_reach: dict[str, set[str]],
) -> tuple[str, ...]:
    if change.document == UNION:
        # the union's lists name event types; a change there reaches the ones it names
        named = [
            value
            for side in (change.before, change.after)
            for value in (side if isinstance(side, list) else [side])
        ]
        return tuple(
            sorted({value for value in named if isinstance(value, str) and value in known})
        )
    return tuple(sorted(old_reach.get(change.unit, set()) | new_reach.get(change.unit, set())))


def _by_event(findings: list[Finding], before: set[str], after: set[str]) -> dict[str, EventChange]:
    events: dict[str, EventChange] = {}
    for name in sorted(before | after):
        mine = [finding for finding in findings if name in finding.events]
        status: Literal["added", "removed", "changed"]
        if name not in before:
            status = "added"
        elif name not in after:
            status = "removed"
        elif mine:
            status = "changed"
        else:
            continue
        events[name] = EventChange(
            status,
            all(finding.backward for finding in mine),
            all(finding.forward for finding in mine),
            tuple(sorted({finding.change.kind for finding in mine})),
        )
    return events

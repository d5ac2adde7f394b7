"""The faults a live stream shows, put into generated traffic on purpose and written down.

Each fault goes into an interaction of its own, so that no two meet, and is placed so that
``8x8-events validate`` reports exactly one finding for it, on the line recorded here:

- ``redelivered``: a message sent again (the same line; in frames, the same ``messageId``
  with ``redeliveryCount`` 1), right after the first;
- ``out-of-order``: an abandoned call's ``InteractionUnqueued`` moved before its
  ``InteractionQueued`` (reported at the ``InteractionQueued``);
- ``after-end``: a message of an event type no lifecycle rule pairs, sent again with
  another ``transactionNum`` after the interaction's ``InteractionDeleted``;
- ``missing-step``: an abandoned call's ``InteractionQueued`` left out (reported at its
  ``InteractionUnqueued`` when the interaction ends);
- ``never-ended``: an early interaction's ``InteractionDeleted`` left out (reported at
  its last message, once the capture runs past the stream window);
- ``sequence-regression``: a message's ``msgInfo.sequenceId`` set below every number its
  instance used before it;
- ``invalid``: a broken copy of a message (``interactionEventTS`` as a string), inserted;
- ``drift``: a field the schemas do not declare (``queueLanguage``), added to a message.

A message that a fault moves or copies carries ``msgInfo`` as ``{}`` (a documented form),
so that it does not also look like a sequence regression.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from eightbyeight_events.stream import DEFAULT_WINDOW, Rules
from eightbyeight_events.traffic.kinds import FAULTS
from eightbyeight_events.traffic.shift import Event

QUEUED, UNQUEUED = "InteractionQueued", "InteractionUnqueued"
LOWEST_SEQUENCE = 1000
"""Below every ``sequenceId`` the generator numbers (its instance starts at 1001)."""


class FaultError(ValueError):
    """A fault that this traffic has no room for (too few interactions of the kind it needs)."""


@dataclass(eq=False)
class Line:
    """One line to write: an event, the number of the frame that carries it, and whether it
    is that frame sent again."""

    event: Event
    number: int
    redelivery: int = 0

    @property
    def payload(self) -> dict[str, Any]:
        ((_, payload),) = self.event.items()
        return payload  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        ((wrapper, payload),) = self.event.items()
        return str(payload.get("event", wrapper))

    @property
    def interaction(self) -> str | None:
        found = self.payload.get("interactionGUID")
        return found if isinstance(found, str) else None


@dataclass(frozen=True)
class Fault:
    kind: str
    line: Line
    """where ``validate`` reports it: a message of the interaction the fault is in"""
    what: str

    @property
    def interaction(self) -> str:
        return self.line.interaction or ""


@dataclass
class _Traffic:
    """The shift's lines, and the edits the faults make to them, kept apart and applied in
    one pass at the end (an insertion into a list of a million lines copies the list)."""

    lines: list[Line]
    pick: random.Random
    groups: dict[str, list[Line]] = field(default_factory=dict)
    """interaction -> its messages, in order (no fault edits one another fault took)"""
    order: list[str] = field(default_factory=list)
    """the interactions, in the order faults take them"""
    used: set[str] = field(default_factory=set)
    after: dict[int, list[Line]] = field(default_factory=dict)
    before: dict[int, list[Line]] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    next_number: int = 0
    place: dict[int, int] = field(default_factory=dict)
    """id of a line -> where it was generated"""
    latest: int = 0
    """the last second of the shift"""

    def __post_init__(self) -> None:
        for line in self.lines:
            if line.interaction is not None:
                self.groups.setdefault(line.interaction, []).append(line)
        self.order = list(self.groups)
        self.pick.shuffle(self.order)
        self.next_number = max((line.number for line in self.lines), default=0) + 1
        self.place = {id(line): number for number, line in enumerate(self.lines)}
        self.latest = max((time for line in self.lines if (time := _time(line))), default=0)

    def take(self, fits: Callable[[list[Line]], bool], kind: str, needs: str) -> list[Line]:
        """The messages of an interaction no fault has touched yet that ``fits``."""
        for guid in self.order:
            if guid not in self.used and fits(self.groups[guid]):
                self.used.add(guid)
                return self.groups[guid]
        article = "an" if kind[0] in "aeiou" else "a"
        raise FaultError(
            f"no interaction left for {article} {kind} fault: it needs {needs} "
            "(ask for fewer, or for more --interactions)"
        )

    def put_after(self, anchor: Line, line: Line) -> None:
        self.after.setdefault(id(anchor), []).append(line)

    def put_before(self, anchor: Line, line: Line) -> None:
        self.before.setdefault(id(anchor), []).append(line)

    def remove(self, line: Line) -> None:
        self.removed.add(id(line))

    def fresh_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def ordered(self) -> list[Line]:
        """The lines with every edit made."""
        out: list[Line] = []
        for line in self.lines:
            key = id(line)
            out.extend(self.before.get(key, ()))
            if key not in self.removed:
                out.append(line)
            out.extend(self.after.get(key, ()))
        return out


def inject(
    lines: list[Line], kinds: Iterable[str], each: int, seed: int
) -> tuple[list[Line], list[Fault]]:
    """``lines`` with ``each`` fault of every kind in ``kinds`` put in, and the faults."""
    traffic = _Traffic(lines, random.Random(seed * 7919 + 2))
    chosen = set(kinds)
    faults: list[Fault] = []
    for kind in FAULTS:  # one order whatever the order asked: sequences are numbered last
        if kind in chosen:
            faults.extend(_INJECT[kind](traffic) for _ in range(each))
    return traffic.ordered(), faults


def _names(members: list[Line]) -> list[str]:
    return [line.name for line in members]


def _abandoned(members: list[Line]) -> bool:
    names = _names(members)
    return names.count(QUEUED) == 1 and names.count(UNQUEUED) == 1


def _blank(*lines: Line) -> None:
    for line in lines:
        if "msgInfo" in line.payload:
            line.payload["msgInfo"] = {}


def _redelivered(traffic: _Traffic) -> Fault:
    members = traffic.take(lambda m: len(m) >= 3, "redelivered", "three messages")
    first = members[len(members) // 2]
    again = Line(copy.deepcopy(first.event), first.number, redelivery=1)
    traffic.put_after(first, again)
    return Fault("redelivered", again, f"{first.name} sent again")


def _out_of_order(traffic: _Traffic) -> Fault:
    members = traffic.take(_abandoned, "out-of-order", "an abandoned call (queued, unqueued)")
    queued = next(line for line in members if line.name == QUEUED)
    unqueued = next(line for line in members if line.name == UNQUEUED)
    traffic.remove(unqueued)
    traffic.put_before(queued, unqueued)
    _blank(queued, unqueued)
    return Fault("out-of-order", queued, f"{UNQUEUED} sent before {QUEUED}")


def _after_end(traffic: _Traffic) -> Fault:
    rules = Rules.of()
    paired = {rules.start, rules.end} | {
        name for pair in rules.pairs for name in (pair.first.event, pair.then.event)
    }

    def fits(members: list[Line]) -> bool:
        names = _names(members)
        return rules.end in names and any(name not in paired for name in names)

    members = traffic.take(fits, "after-end", "a message no lifecycle rule pairs")
    source = next(line for line in members if line.name not in paired)
    end = next(line for line in members if line.name == rules.end)
    late = Line(copy.deepcopy(source.event), traffic.fresh_number())
    late.payload["transactionNum"] = late.payload.get("transactionNum", 0) + 1
    _blank(late)
    traffic.put_after(end, late)
    return Fault("after-end", late, f"{source.name} after {end.name}")


def _missing_step(traffic: _Traffic) -> Fault:
    members = traffic.take(_abandoned, "missing-step", "an abandoned call (queued, unqueued)")
    traffic.remove(next(line for line in members if line.name == QUEUED))
    unqueued = next(line for line in members if line.name == UNQUEUED)
    return Fault("missing-step", unqueued, f"{QUEUED} left out")


def _time(line: Line) -> int | None:
    found = line.payload.get("interactionEventTS", line.payload.get("statusEventTS"))
    return found if isinstance(found, int) else None


def _never_ended(traffic: _Traffic) -> Fault:
    end = Rules.of().end
    horizon = traffic.latest - DEFAULT_WINDOW - 60

    def fits(members: list[Line]) -> bool:
        times = [time for line in members if (time := _time(line)) is not None]
        return end in _names(members) and bool(times) and max(times) < horizon

    members = traffic.take(fits, "never-ended", "an interaction over 4 hours before the last")
    traffic.remove(next(line for line in members if line.name == end))
    last = [line for line in members if line.name != end][-1]
    return Fault("never-ended", last, f"{end} left out")


def _sequence(line: Line) -> int | None:
    info = line.payload.get("msgInfo")
    found = info.get("sequenceId") if isinstance(info, dict) else None
    return found if isinstance(found, int) else None


def _sequence_regression(traffic: _Traffic) -> Fault:
    # an agent's message is never moved by a fault: the first one numbered stays before
    # every message numbered after it, which can then go back below it
    firsts = (n for n, line in enumerate(traffic.lines) if not line.interaction and _sequence(line))
    anchor = next(firsts, None)
    if anchor is None:
        raise FaultError("a sequence-regression fault needs an agent's numbered message")

    def numbered_later(members: list[Line]) -> Line | None:
        place = traffic.place
        later = (line for line in members if _sequence(line) and place[id(line)] > anchor)
        return next(later, None)

    members = traffic.take(
        lambda m: numbered_later(m) is not None, "sequence-regression", "a numbered message"
    )
    line = numbered_later(members)
    assert line is not None  # take() found it
    line.payload["msgInfo"]["sequenceId"] = LOWEST_SEQUENCE
    return Fault("sequence-regression", line, "sequenceId went back")


def _invalid(traffic: _Traffic) -> Fault:
    members = traffic.take(lambda m: True, "invalid", "an interaction")
    source = members[0]
    broken = Line(copy.deepcopy(source.event), traffic.fresh_number())
    broken.payload["interactionEventTS"] = "soon"
    traffic.put_after(source, broken)
    return Fault("invalid", broken, "interactionEventTS as a string")


def _drift(traffic: _Traffic) -> Fault:
    line = traffic.take(lambda m: True, "drift", "an interaction")[0]
    line.payload["queueLanguage"] = "en-GB"
    return Fault("drift", line, "queueLanguage, a field not declared")


_INJECT: dict[str, Callable[[_Traffic], Fault]] = {
    "redelivered": _redelivered,
    "out-of-order": _out_of_order,
    "after-end": _after_end,
    "missing-step": _missing_step,
    "never-ended": _never_ended,
    "sequence-regression": _sequence_regression,
    "invalid": _invalid,
    "drift": _drift,
}

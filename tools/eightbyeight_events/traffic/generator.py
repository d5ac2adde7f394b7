"""What ``8x8-events generate`` writes: a seeded shift of traffic as decoded events or as
Pulsar frames, with the faults asked for, and the truth about it (every fault with its line,
every interaction's planned metrics) for a consumer to test its own numbers against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO, Any

import orjson

from eightbyeight_events.traffic.faults import Fault, Line, inject
from eightbyeight_events.traffic.shift import START, Variations, as_frame, events

DOCUMENTED = Variations(undeclared_fields=0.0)
"""Every documented variation at its rate, and no field the schemas do not declare: the
traffic a team's ``--fail-on invalid,unreadable,undeclared-field`` must pass. The
variations are drawn all the same, so a capture differs from one with the service's own
additions in those fields only."""


@dataclass(frozen=True)
class Plan:
    """What to generate."""

    interactions: int = 150
    seed: int = 8
    start: int = START
    """the shift's first second (Unix time)"""
    agents: int = 6
    frames: bool = False
    faults: tuple[str, ...] = ()
    each: int | None = None
    """how many of each fault; by default one per 100 interactions, at least one"""
    rates: Variations = field(default=DOCUMENTED)

    @property
    def per_kind(self) -> int:
        return self.each if self.each is not None else max(1, self.interactions // 100)


def generate(plan: Plan, out: IO[bytes]) -> dict[str, Any]:
    """Write the traffic of ``plan`` to ``out``, a line a message; return the truth about it.
    Raises ``FaultError`` when the traffic has no room for a fault asked for."""
    planned: dict[str, dict[str, Any]] = {}
    shift = events(plan.seed, plan.interactions, plan.rates, planned, plan.start, plan.agents)
    lines: Iterable[Line] = (Line(event, number) for number, event in enumerate(shift, start=1))
    faults: list[Fault] = []
    if plan.faults:  # faults move messages across the shift: it is held whole
        lines, faults = inject(list(lines), plan.faults, plan.per_kind, plan.seed)
    faulty = {id(fault.line) for fault in faults}
    numbers: dict[int, int] = {}
    count = 0
    for count, line in enumerate(lines, start=1):
        out.write(_text(line, plan.frames) + b"\n")
        if id(line) in faulty:
            numbers[id(line)] = count
    faults.sort(key=lambda fault: numbers[id(fault.line)])
    return _truth(plan, count, [(fault, numbers[id(fault.line)]) for fault in faults], planned)


def _text(line: Line, frames: bool) -> bytes:
    if not frames:
        return orjson.dumps(line.event)
    frame = as_frame(line.event, line.number)
    if line.redelivery:
        frame["redeliveryCount"] = line.redelivery
    return orjson.dumps(frame)


def _truth(
    plan: Plan,
    count: int,
    faults: list[tuple[Fault, int]],
    planned: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    touched = {fault.interaction for fault, _ in faults}
    return {
        "generated": {
            "interactions": plan.interactions,
            "seed": plan.seed,
            "start": datetime.fromtimestamp(plan.start, tz=timezone.utc).isoformat(),
            "agents": plan.agents,
            "frames": plan.frames,
            "faults": list(plan.faults),
            "each": plan.per_kind if plan.faults else 0,
        },
        "lines": count,
        "faults": [
            {"kind": fault.kind, "line": line, "interaction": fault.interaction, "what": fault.what}
            for fault, line in faults
        ],
        "interactions": {
            guid: {**metrics, "faulted": guid in touched} for guid, metrics in planned.items()
        },
    }

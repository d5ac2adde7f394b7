"""The event catalogue, read from the dispatch branches of the union schema.

The union's if/then branches are the one place that says which wrapper and
which ``event`` value select which event schema; reading them here keeps the
validator's own dispatch from becoming a second list that could drift.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from eightbyeight_events.schemas import UNION, SchemaSet, load_schemas


@dataclass(frozen=True)
class EventType:
    """One event type: its name, the wrapper key it travels in, and its schema."""

    name: str
    wrapper: str
    schema_path: str
    evidence: str
    group: str

    @property
    def discriminated(self) -> bool:
        """True when the wrapper carries several event types told apart by ``event``."""
        return self.wrapper != self.name


def _branch_target(branch: dict[str, Any]) -> tuple[str, str | None] | None:
    """(wrapper, event name or None) selected by one if/then branch, if it selects a schema."""
    then = branch["then"]
    if "$ref" not in then:
        return None
    condition = branch["if"]
    wrapper = condition["required"][0]
    inner = condition.get("properties", {}).get(wrapper)
    event = inner["properties"]["event"]["const"] if inner else None
    return wrapper, event


@functools.cache
def event_types(schemas: SchemaSet | None = None) -> tuple[EventType, ...]:
    """Every event type, in the order of the source catalogue."""
    schema_set = schemas or load_schemas()
    union = schema_set.document(UNION)
    found: list[EventType] = []
    for branch in union["allOf"]:
        target = _branch_target(branch)
        if target is None:
            continue
        wrapper, event = target
        name = event or wrapper
        facts = schema_set.annotations["events"][name]
        found.append(
            EventType(
                name=name,
                wrapper=wrapper,
                schema_path=branch["then"]["$ref"],
                evidence=facts["evidence"],
                group=facts["group"],
            )
        )
    return tuple(found)


def by_name(schemas: SchemaSet | None = None) -> dict[str, EventType]:
    return {event_type.name: event_type for event_type in event_types(schemas)}

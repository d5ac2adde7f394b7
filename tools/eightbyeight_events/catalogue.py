"""The event catalogue, read from the dispatch branches of the union schema.

The union's if/then branches are the one place that says which wrapper and
which ``event`` value select which event schema; reading them here keeps the
validator's own dispatch from becoming a second list that could drift.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from eightbyeight_events.explain import Finding, show
from eightbyeight_events.schemas import UNION, SchemaSet, load_schemas


@dataclass(frozen=True)
class EventType:
    """One event type: its name, the wrapper key it travels in, and its schema."""

    name: str
    wrapper: str
    event: str | None
    """The ``event`` value that selects this type inside its wrapper; None when the
    wrapper alone does (AgentStatusChange)."""
    schema_path: str
    evidence: str
    group: str


def _branch_target(branch: dict[str, Any]) -> tuple[str, str | None] | None:
    """(wrapper, event name or None) selected by one if/then branch, if it selects a schema."""
    then = branch["then"]
    if "$ref" not in then:
        return None
    condition = branch["if"]
    wrapper = condition["required"][0]
    event_test = condition["properties"][wrapper].get("properties", {}).get("event")
    return wrapper, event_test["const"] if event_test else None


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
                event=event,
                schema_path=branch["then"]["$ref"],
                evidence=facts["evidence"],
                group=facts["group"],
            )
        )
    return tuple(found)


@functools.cache
def _routes(schemas: SchemaSet | None) -> dict[tuple[str, str | None], EventType]:
    return {(t.wrapper, t.event): t for t in event_types(schemas)}


def dispatch(message: object, schemas: SchemaSet | None = None) -> EventType | None:
    """The event type a decoded message claims to be, or None when the catalogue lacks it.

    Looks only at the wrapper key and, for wrappers that carry several event
    types, at ``event``; whether the rest of the message is valid is the
    event schema's business.
    """
    if not isinstance(message, dict) or len(message) != 1:
        return None
    ((wrapper, payload),) = message.items()
    routes = _routes(schemas)
    found = routes.get((wrapper, None))
    if found is not None:
        return found
    event = payload.get("event") if isinstance(payload, dict) else None
    return routes.get((wrapper, event)) if isinstance(event, str) else None


def unknown_finding(message: object, schemas: SchemaSet | None = None) -> Finding | None:
    """Why a well-formed message is of no type in the catalogue; None when it is malformed
    (or of a known type): malformed messages are the union schema's to explain."""
    if not isinstance(message, dict) or len(message) != 1:
        return None
    ((wrapper, payload),) = message.items()
    families = {t.wrapper: t.event is not None for t in event_types(schemas)}
    if wrapper not in families:
        known = ", ".join(sorted(families))
        return Finding(
            "",
            "unknown-wrapper",
            f"wrapper {show(wrapper)} is not in the catalogue (known: {known})",
        )
    event = payload.get("event") if isinstance(payload, dict) else None
    if families[wrapper] and isinstance(event, str) and dispatch(message, schemas) is None:
        return Finding(
            f"/{wrapper}/event",
            "unknown-event",
            f"event {show(event)} is not a {wrapper} event in the catalogue",
        )
    return None

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
from eightbyeight_events.suggest import closest


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


class Router:
    """Tells which event type a decoded message is: the one routing of the project.

    Looks only at the wrapper key and, for wrappers that carry several event
    types, at ``event``; whether the rest of the message is valid is the
    event schema's business.
    """

    def __init__(self, types: tuple[EventType, ...]) -> None:
        self.single: dict[str, EventType] = {}
        """wrapper -> its one event type (AgentStatusChange and the like)"""
        self.families: dict[str, dict[str, EventType]] = {}
        """wrapper -> ``event`` value -> event type (Interaction, AgentProvChange)"""
        for event_type in types:
            if event_type.event is None:
                self.single[event_type.wrapper] = event_type
            else:
                self.families.setdefault(event_type.wrapper, {})[event_type.event] = event_type

    def route(self, message: object) -> EventType | None:
        """The event type a message claims to be, or None when the catalogue lacks it."""
        if not isinstance(message, dict) or len(message) != 1:
            return None
        for wrapper, payload in message.items():
            found = self.single.get(wrapper)
            if found is not None:
                return found
            family = self.families.get(wrapper)
            if family is None or not isinstance(payload, dict):
                return None
            event = payload.get("event")
            return family.get(event) if isinstance(event, str) else None
        return None

    def unknown_reason(self, message: object) -> Finding | None:
        """Why a well-formed message is of no type in the catalogue; None when it is malformed
        (or of a known type): malformed messages are the union schema's to explain."""
        if not isinstance(message, dict) or len(message) != 1:
            return None
        ((wrapper, payload),) = message.items()
        if wrapper not in self.single and wrapper not in self.families:
            known = ", ".join(sorted([*self.single, *self.families]))
            guess = closest(wrapper, [*self.single, *self.families])
            return Finding(
                "",
                "unknown-wrapper",
                f"wrapper {show(wrapper)} is not in the catalogue{_did_you_mean(guess)} "
                f"(known: {known})",
                suggestion=guess,
            )
        event = payload.get("event") if isinstance(payload, dict) else None
        if wrapper in self.families and isinstance(event, str) and self.route(message) is None:
            guess = closest(event, self.families[wrapper])
            return Finding(
                f"/{wrapper}/event",
                "unknown-event",
                f"event {show(event)} is not one of the catalogue's {wrapper} events"
                + _did_you_mean(guess),
                suggestion=guess,
            )
        return None


def _did_you_mean(guess: str | None) -> str:
    return "" if guess is None else f"; did you mean {show(guess)}?"


@functools.cache
def router(schemas: SchemaSet | None = None) -> Router:
    return Router(event_types(schemas))

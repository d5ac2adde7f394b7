"""Realistic events of every type, built from the example message the spec keeps for each
(the vendor's printed example where there is one, ours where the vendor printed none)."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from typing import Any

import orjson

from eightbyeight_events import models
from eightbyeight_events.contract import load_contract
from eightbyeight_events.loader import parse_event
from eightbyeight_events.model_base import plain_value
from eightbyeight_events.schemas import data_dir
from eightbyeight_events.suggest import closest

EXAMPLE_FOLDERS = ("examples/vendor", "examples/ours")
"""Where the example messages are, the vendor's first: an event type takes the first found."""


@functools.cache
def _examples() -> dict[str, dict[str, Any]]:
    contract = load_contract()
    found: dict[str, dict[str, Any]] = {}
    for folder in EXAMPLE_FOLDERS:
        for path in sorted(data_dir(folder).glob("*.json")):
            message = orjson.loads(path.read_bytes())
            event_type = contract.route(message)
            if event_type is not None:
                found.setdefault(event_type.name, message)
    return found


def example_message(event_type: str) -> dict[str, Any]:
    """A copy of the example message of ``event_type``, wrapper included; a name the
    catalogue lacks is a ``ValueError`` that names the closest one."""
    examples = _examples()
    if event_type not in examples:
        guess = closest(event_type, examples)
        hint = f' (did you mean "{guess}"?)' if guess else ""
        raise ValueError(f"no event type {event_type!r} in the catalogue{hint}")
    return copy.deepcopy(examples[event_type])


def make_event(event_type: str, /, *, omit: Iterable[str] = (), **overrides: Any) -> models.Event:
    """A valid ``event_type`` event as its model: the example message with the fields in
    ``omit`` left out and ``overrides`` set (a value may be a model, or a tuple of them).
    The result is checked as ``parse_event`` checks a message: an override the schema
    refuses raises its ``EventError``, which names the field."""
    message = example_message(event_type)
    ((_, payload),) = message.items()
    for name in omit:
        if name not in payload:
            raise ValueError(f"{event_type} has no field {name!r} to omit")
        del payload[name]
    payload.update((name, plain_value(value)) for name, value in overrides.items())
    return parse_event(message)

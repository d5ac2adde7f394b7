"""Machine-readable contract of 8x8 Contact Center Event Streaming.

The public API, importable from here::

    from eightbyeight_events import parse_event, validate_event, event_types

- reading messages into typed models: ``parse_event``, ``parse_frame``,
  ``to_dict``, ``EventError`` (the one family every failure belongs to),
  ``UnknownEventError``, ``ControlMessage`` and ``Control``; ``Redeliveries``
  skips the messages the service sends again;
- validating: ``validate_event`` (one message's ``Verdict``),
  ``validate_capture`` and ``iter_capture`` (whole captures);
- the spec itself: ``load_schemas``, ``event_types``, ``load_contract``.

Names are imported on first use, so the command line starts without loading
the generated models it may never need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "__version__": "version",
    "parse_event": "loader",
    "parse_frame": "loader",
    "to_dict": "loader",
    "Delivery": "loader",
    "Control": "loader",
    "ControlMessage": "loader",
    "Redeliveries": "dedupe",
    "EventError": "loader",
    "UnknownEventError": "loader",
    "UnknownEvent": "loader",
    "validate_event": "api",
    "validate_capture": "api",
    "iter_capture": "api",
    "Verdict": "verdict",
    "fold_events": "api",
    "InteractionSummary": "stream",
    "StreamFinding": "stream",
    "Contract": "contract",
    "load_contract": "contract",
    "load_schemas": "schemas",
    "SchemaSet": "schemas",
    "event_types": "catalogue",
    "EventType": "catalogue",
}

__all__ = [
    "Contract",
    "Control",
    "ControlMessage",
    "Delivery",
    "EventError",
    "EventType",
    "InteractionSummary",
    "Redeliveries",
    "SchemaSet",
    "StreamFinding",
    "UnknownEvent",
    "UnknownEventError",
    "Verdict",
    "__version__",
    "event_types",
    "fold_events",
    "iter_capture",
    "load_contract",
    "load_schemas",
    "parse_event",
    "parse_frame",
    "to_dict",
    "validate_capture",
    "validate_event",
]

if TYPE_CHECKING:
    from eightbyeight_events.api import fold_events, iter_capture, validate_capture, validate_event
    from eightbyeight_events.catalogue import EventType, event_types
    from eightbyeight_events.contract import Contract, load_contract
    from eightbyeight_events.dedupe import Redeliveries
    from eightbyeight_events.loader import (
        Control,
        ControlMessage,
        Delivery,
        EventError,
        UnknownEvent,
        UnknownEventError,
        parse_event,
        parse_frame,
        to_dict,
    )
    from eightbyeight_events.schemas import SchemaSet, load_schemas
    from eightbyeight_events.stream import InteractionSummary, StreamFinding
    from eightbyeight_events.verdict import Verdict
    from eightbyeight_events.version import __version__


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'eightbyeight_events' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"eightbyeight_events.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

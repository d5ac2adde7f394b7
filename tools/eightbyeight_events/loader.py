"""Turning messages into the generated dataclasses, and back, without loss.

``parse_event`` asks the contract for the message's verdict (routed by its
wrapper and ``event``, checked against that event's schema) and, when it is
valid, builds the dataclasses. Validation comes first, so building needs no
conversion at all: each value is kept as the JSON parser produced it (an
integer stays an integer in a ``float`` field, a number never becomes a
string) and fields the spec does not declare are kept on the instance.
``to_dict`` gives the message back.

Written by hand rather than with a structuring library: cattrs' default
hooks convert (``float(100)`` is ``100.0``) and dacite drops unknown keys,
both of which break the round trip; after validation a direct build is also
the fastest.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, Union, overload

from eightbyeight_events import models
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.contract import load_contract
from eightbyeight_events.explain import Finding
from eightbyeight_events.model_base import Model
from eightbyeight_events.verdict import Verdict

__all__ = [
    "Delivery",
    "EventError",
    "UnknownEvent",
    "UnknownEventError",
    "parse_event",
    "parse_frame",
    "to_dict",
]


class EventError(ValueError):
    """A message that is not valid: ``pointer`` says where, ``errors`` lists every finding."""

    def __init__(
        self,
        errors: list[Finding],
        event_type: str | None = None,
        *,
        message_id: str | None = None,
    ) -> None:
        self.errors = errors
        self.event_type = event_type
        self.message_id = message_id
        """the ``messageId`` of the frame the message came in, when it came in one"""
        self.pointer = errors[0].pointer if errors else ""
        where = f" at {self.pointer}" if self.pointer else ""
        kind = f"{event_type} " if event_type else ""
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"invalid {kind}message{where}: {errors[0].message}{more}")


class UnknownEventError(EventError):
    """A well-formed message whose wrapper or event name the catalogue lacks."""


Converter = Callable[[Any], Any]


def _model_in(hint: Any) -> type[Model] | None:
    """The model class inside ``X | None``, if any."""
    if isinstance(hint, type) and issubclass(hint, Model):
        return hint
    if typing.get_origin(hint) in (Union, types.UnionType):
        found = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _model_in(found[0]) if len(found) == 1 else None
    return None


def _converter(hint: Any) -> Converter | None:
    """How to build a field's value from JSON; None when it is kept as it is."""
    model = _model_in(hint)
    if model is not None:
        return _builder(model)
    inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if len(inner) == 1 and typing.get_origin(inner[0]) is list:
        item = _model_in(typing.get_args(inner[0])[0])
        if item is not None:
            build = _builder(item)
            return lambda values: [build(value) for value in values]
    return None


_BUILDERS: dict[type[Model], Converter] = {}


def _builder(model: type[Model]) -> Converter:
    """The function that builds ``model`` from validated JSON, made once per class."""
    if model not in _BUILDERS:
        _BUILDERS[model] = _make_builder(model)
    return _BUILDERS[model]


def _make_builder(model: type[Model]) -> Converter:
    hints = typing.get_type_hints(model)
    names = [field.name for field in dataclasses.fields(model) if field.name != "_extra"]
    plan = {name: _converter(hints[name]) for name in names}
    nested = [(name, convert) for name, convert in plan.items() if convert is not None]
    declared = frozenset(names)
    blank = dict.fromkeys(names)

    def build(data: Mapping[str, Any]) -> Any:
        if data.keys() <= declared:
            # Nearly every payload declares all its fields: the values are taken over in
            # one dict merge, and only the nested models are built one by one.
            values = {**blank, **data}
            for name, build_nested in nested:
                value = data.get(name)
                if value is not None:
                    values[name] = build_nested(value)
            values["_extra"] = {}
        else:
            values = dict(blank)
            extra = {}
            for key, value in data.items():
                if key in plan:
                    convert = plan[key]
                    values[key] = value if convert is None else convert(value)
                else:
                    extra[key] = value
            values["_extra"] = extra
        instance = model.__new__(model)
        # The data is validated, so __init__'s only work (setting each field through
        # the frozen __setattr__) is done at once here.
        object.__setattr__(instance, "__dict__", values)
        return instance

    return build


_WRAPPERS = {event_type.name: event_type.wrapper for event_type in event_types()}
_PAYLOADS: dict[str, tuple[str, Converter]] = {}
"""event type -> (its wrapper, the builder of its payload class), made on first use"""


def _payload_builder(name: str) -> tuple[str, Converter]:
    found = _PAYLOADS.get(name)
    if found is None:
        found = _PAYLOADS[name] = (_WRAPPERS[name], _builder(getattr(models, name)))
    return found


def _built(verdict: Verdict) -> models.Event:
    """The verdict's message as its dataclass, or the error the verdict gives."""
    if verdict.status == "unknown":
        raise UnknownEventError(list(verdict.errors), message_id=verdict.message_id)
    if verdict.status != "valid" or verdict.event_type is None:
        in_frame = any(finding.document == "frame" for finding in verdict.errors)
        event_type = "PulsarFrame" if in_frame else verdict.event_type
        raise EventError(list(verdict.errors), event_type, message_id=verdict.message_id)
    wrapper, build = _payload_builder(verdict.event_type)
    event: models.Event = build(verdict.message[wrapper])
    return event


@dataclass(frozen=True)
class UnknownEvent:
    """A well-formed message of a type the catalogue lacks, as a value: the service adds
    event types over time, and a forward-compatible consumer skips or logs these."""

    wrapper: str
    name: str | None
    """the ``event`` value inside the wrapper, when there is one"""
    message: Mapping[str, Any]


@overload
def parse_event(
    data: bytes | str | Mapping[str, Any], *, unknown: Literal["raise"] = "raise"
) -> models.Event: ...


@overload
def parse_event(
    data: bytes | str | Mapping[str, Any], *, unknown: Literal["value"]
) -> models.Event | UnknownEvent: ...


def parse_event(
    data: bytes | str | Mapping[str, Any], *, unknown: Literal["raise", "value"] = "raise"
) -> models.Event | UnknownEvent:
    """A decoded message (JSON text or a mapping) as its event's dataclass.

    Raises ``UnknownEventError`` for a wrapper or event name the catalogue
    lacks (``unknown="value"`` returns an ``UnknownEvent`` instead) and
    ``EventError`` (with ``pointer`` and ``errors``) for anything invalid, JSON
    that does not parse included.
    """
    judge = load_contract()
    if isinstance(data, bytes | str):
        verdict = judge.judge_text(data, "events", drift=False)
    else:
        verdict = judge.judge_value(data, "events", drift=False)
    return _event(verdict, unknown)


def _event(verdict: Verdict, unknown: Literal["raise", "value"]) -> models.Event | UnknownEvent:
    """The verdict's event: built, or as an ``UnknownEvent`` when asked, or its error."""
    if unknown == "value" and verdict.status == "unknown":
        ((wrapper, payload),) = verdict.message.items()
        told = payload.get("event") if isinstance(payload, dict) else None
        return UnknownEvent(wrapper, told if isinstance(told, str) else None, verdict.message)
    return _built(verdict)


def to_dict(event: Model) -> dict[str, Any]:
    """The message ``event`` was parsed from, wrapper included, unknown fields included."""
    wrapper = _WRAPPERS.get(type(event).__name__)
    if wrapper is None:
        return event.as_dict()
    return {wrapper: event.as_dict()}


EventT = TypeVar("EventT", models.Event, "models.Event | UnknownEvent")


@dataclass(frozen=True)
class Delivery(Generic[EventT]):
    """One Pulsar frame and the event its payload holds."""

    frame: models.PulsarFrame
    event: EventT

    @property
    def message_id(self) -> str:
        return self.frame.messageId

    @property
    def publish_time(self) -> str:
        return self.frame.publishTime


@overload
def parse_frame(
    data: bytes | str | Mapping[str, Any], *, unknown: Literal["raise"] = "raise"
) -> Delivery[models.Event]: ...


@overload
def parse_frame(
    data: bytes | str | Mapping[str, Any], *, unknown: Literal["value"]
) -> Delivery[models.Event | UnknownEvent]: ...


def parse_frame(
    data: bytes | str | Mapping[str, Any], *, unknown: Literal["raise", "value"] = "raise"
) -> Delivery[models.Event] | Delivery[models.Event | UnknownEvent]:
    """A WebSocket frame as received: the frame checked, its payload decoded and parsed.

    Every failure is an ``EventError`` carrying the frame's ``message_id`` when
    it has one, bad base64 and JSON that does not parse included. With
    ``unknown="value"`` a payload of an event type the catalogue lacks is an
    ``UnknownEvent``, as with ``parse_event``.
    """
    judge = load_contract()
    if isinstance(data, bytes | str):
        verdict = judge.judge_text(data, "frames", drift=False)
    else:
        verdict = judge.judge_value(data, "frames", drift=False)
    event = _event(verdict, unknown)
    built: models.PulsarFrame = _builder(models.PulsarFrame)(verdict.frame)
    return Delivery(built, event)

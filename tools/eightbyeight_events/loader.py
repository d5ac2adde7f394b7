"""Turning messages into the generated models, and back, without loss.

``parse_event`` asks the contract for the message's verdict (routed by its
wrapper and ``event``, checked against that event's schema) and, when it is
valid, builds the models. Two ways lead there:

- the bytes of a message in which every field is declared, which is nearly
  every message: msgspec decodes them straight into the model classes, and
  that decode is the check (``narrower`` proves the models accept no more
  than the contract's own one-pass check);
- anything else (a mapping, a message with undeclared fields, an invalid
  one): the full verdict, then a build from the decoded JSON that keeps the
  undeclared fields on each model.

Either way each value stays as the JSON parser produced it (an integer stays
an integer, a number never becomes a string), and ``to_dict`` gives the
message back.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, Union, overload

import msgspec
from typing_extensions import TypeVar

from eightbyeight_events import models
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.contract import as_json_text, load_contract
from eightbyeight_events.explain import Finding
from eightbyeight_events.fastpath import PayloadKind, Unsupported, WrapperDecoder
from eightbyeight_events.framepath import FrameReader, frame_reader
from eightbyeight_events.model_base import EXTRA_KEY, Model
from eightbyeight_events.narrower import looser
from eightbyeight_events.schemas import FRAME
from eightbyeight_events.verdict import Verdict

__all__ = [
    "Control",
    "ControlMessage",
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


class ControlMessage(EventError):
    """A Pulsar control message where an event frame was expected: a text message that
    carries ``type`` or ``endOfTopic`` (the answer to ``isEndOfTopic``, for one). A consumer
    skips it; ``control`` holds it as a value."""

    def __init__(self, control: Control) -> None:
        shown = ", ".join(f"{key}={value!r}" for key, value in control.message.items())
        finding = Finding("", "control", f"a Pulsar control message ({shown}), not an event frame")
        super().__init__([finding], "PulsarFrame")
        self.control = control


@dataclass(frozen=True)
class Control:
    """A Pulsar control message as a value (``parse_frame(..., control="value")``)."""

    type: str | None
    """the command or answer it names, such as ``isEndOfTopic``, when it names one"""
    end_of_topic: bool | None
    """the answer to ``isEndOfTopic``: whether the topic has nothing more, when it says"""
    message: Mapping[str, Any]
    """the whole message, as received"""

    @classmethod
    def of(cls, message: Mapping[str, Any]) -> Control:
        told, end = message.get("type"), message.get("endOfTopic")
        return cls(
            told if isinstance(told, str) else None,
            end if isinstance(end, bool) else None,
            message,
        )


Input = Union[bytes, bytearray, memoryview, str, Mapping[str, Any]]  # noqa: UP007
"""What the loaders read: JSON text as ``str`` or any bytes-like object, or a decoded
mapping. Any other value is an ``EventError`` too, never another exception."""

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
    union = typing.get_origin(hint) in (Union, types.UnionType)
    inner = [arg for arg in typing.get_args(hint) if arg is not type(None)] if union else [hint]
    if len(inner) == 1 and typing.get_origin(inner[0]) is tuple:
        item = _model_in(typing.get_args(inner[0])[0])
        build = _builder(item) if item is not None else None
        if build is not None:
            return lambda values: tuple(build(value) for value in values)
        return tuple
    return None


_BUILDERS: dict[type[Model], Converter] = {}


def _builder(model: type[Model]) -> Converter:
    """The function that builds ``model`` from validated JSON, made once per class."""
    if model not in _BUILDERS:
        _BUILDERS[model] = _make_builder(model)
    return _BUILDERS[model]


def _make_builder(model: type[Model]) -> Converter:
    hints = typing.get_type_hints(model)
    plan = {name: _converter(hints[name]) for name in model.__struct_fields__ if name != "_extra"}

    tag = model.__struct_config__.tag_field  # the full look checked its value

    def build(data: Mapping[str, Any]) -> Any:
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key == tag:
                continue
            if key not in plan:
                extra[key] = value
                continue
            convert = plan[key]
            values[key] = value if convert is None or value is None else convert(value)
        return model(**values, _extra=extra) if extra else model(**values)

    return build


_WRAPPERS = {event_type.name: event_type.wrapper for event_type in event_types()}
_PAYLOADS: dict[str, tuple[str, Converter]] = {}
"""event type -> (its wrapper, the builder of its payload class), made on first use"""


def _payload_builder(name: str) -> tuple[str, Converter]:
    found = _PAYLOADS.get(name)
    if found is None:
        found = _PAYLOADS[name] = (_WRAPPERS[name], _builder(getattr(models, name)))
    return found


ESCAPED_OWN_KEY = re.compile(rb"\\u007[fF]")
"""How a message could spell the key the models read ``_extra`` from (``EXTRA_KEY``) with an
escape; written plainly, it holds a DEL byte. Either sends it to the full look, as
``narrower`` assumes: no message fills ``_extra`` in one pass."""
_OWN_KEY_START = EXTRA_KEY[0].encode()
_READINGS: dict[bytes, WrapperDecoder] | None = None


def _readings() -> dict[bytes, WrapperDecoder]:
    """wrapper -> the decoder of its events straight into the models (a constant ``event``
    is their tag), for the wrappers all of whose event types have models that accept no
    more than the contract's check; made once, on first use (read from ``_READINGS``
    without a call on the hot path). Like the contract's own decoders it matches, after
    decoding, the identifiers that check leaves until then."""
    global _READINGS
    if _READINGS is None:
        _READINGS = _wrapper_readings()
    return _READINGS


def _wrapper_readings() -> dict[bytes, WrapperDecoder]:
    contract = load_contract()
    families: dict[str, list[str]] = {}
    for event_type in contract.event_types:
        families.setdefault(event_type.wrapper, []).append(event_type.name)
    found = {}
    for wrapper, names in families.items():
        kinds: dict[type[Model], PayloadKind] = {}
        for name in names:
            checked = contract.strict_payload(name)
            model = getattr(models, name)
            if checked is not None and looser(model, checked[0]) is None:
                kinds[model] = checked[1]
        tagged = any(kind.__struct_config__.tag_field for kind in kinds)
        # msgspec reads a lone tagged struct's tag as optional; in a union it is required
        if len(kinds) < len(names) or (tagged and len(kinds) == 1):
            continue
        payload = Union[tuple(kinds)] if len(kinds) > 1 else next(iter(kinds))  # noqa: UP007
        message = msgspec.defstruct(
            f"{wrapper}Message", [(wrapper, payload)], forbid_unknown_fields=True
        )
        decode = msgspec.json.Decoder(message).decode
        found[wrapper.encode()] = WrapperDecoder(decode, wrapper, dict(kinds), loose=False)
    return found


def _one_pass(raw: bytes) -> models.Event | None:
    """The model of a valid message in which every field is declared, in one pass of
    msgspec; None when this road does not decide (the contract's check does then)."""
    start = raw.find(b'"') + 1
    reading = (_READINGS or _readings()).get(raw[start : raw.find(b'"', start)]) if start else None
    if reading is None or _OWN_KEY_START in raw:
        return None
    if b"\\" in raw and ESCAPED_OWN_KEY.search(raw):  # a one-byte look first: escapes are rare
        return None
    found = reading.read(raw)
    return None if found is None else found[1]


def _built(verdict: Verdict) -> models.Event:
    """The verdict's message as its model, or the error the verdict gives."""
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
def parse_event(data: Input, *, unknown: Literal["raise"] = "raise") -> models.Event: ...


@overload
def parse_event(data: Input, *, unknown: Literal["value"]) -> models.Event | UnknownEvent: ...


def parse_event(
    data: Input, *, unknown: Literal["raise", "value"] = "raise"
) -> models.Event | UnknownEvent:
    """A decoded message (JSON text or a mapping) as its event's model.

    Raises ``UnknownEventError`` for a wrapper or event name the catalogue
    lacks (``unknown="value"`` returns an ``UnknownEvent`` instead) and
    ``EventError`` (with ``pointer`` and ``errors``) for anything invalid, JSON
    that does not parse included.
    """
    found: models.Event | Verdict = _one_pass_or_verdict(data, "events", _one_pass)
    if isinstance(found, Verdict):
        return _event(found, unknown)
    return found


Read = TypeVar("Read")


def _one_pass_or_verdict(
    data: Input,
    content: Literal["events", "frames"],
    one_pass: Callable[[bytes], Read | None],
) -> Read | Verdict:
    """What ``one_pass`` reads from JSON text, or, where it steps aside and for a mapping,
    the contract's full verdict."""
    text = as_json_text(data)
    found = None if text is None else one_pass(text)
    if found is not None:
        return found
    return load_contract().judge_input(data if text is None else text, content, drift=False)


def _event(verdict: Verdict, unknown: Literal["raise", "value"]) -> models.Event | UnknownEvent:
    """The verdict's event: built, or as an ``UnknownEvent`` when asked, or its error."""
    if unknown == "value" and verdict.status == "unknown":
        ((wrapper, payload),) = verdict.message.items()
        told = payload.get("event") if isinstance(payload, dict) else None
        return UnknownEvent(wrapper, told if isinstance(told, str) else None, verdict.message)
    return _built(verdict)


def to_dict(event: Model | Input) -> dict[str, Any]:
    """The message ``event`` was parsed from, wrapper included, unknown fields included.
    Given anything else, the message ``parse_event`` reads from it (or its ``EventError``)."""
    if not isinstance(event, Model):
        event = parse_event(event)
    wrapper = _WRAPPERS.get(type(event).__name__)
    if wrapper is None:
        return event.as_dict()
    return {wrapper: event.as_dict()}


EventT = TypeVar("EventT", bound="models.Event | UnknownEvent", default=models.Event)
"""What a delivery carries: a bare ``Delivery`` carries an event of the catalogue."""


class Delivery(msgspec.Struct, Generic[EventT], frozen=True, gc=False):
    """One Pulsar frame and the event its payload holds (a frozen struct, as the models)."""

    frame: models.PulsarFrame
    event: EventT

    @property
    def message_id(self) -> str:
        """What to acknowledge, and what a redelivery repeats."""
        return self.frame.messageId

    @property
    def publish_time(self) -> str:
        return self.frame.publishTime

    @property
    def redelivery_count(self) -> int:
        """How often the service sent this message again (0 when the frame does not say)."""
        return self.frame.redeliveryCount or 0


Unknown = Literal["raise", "value"]
ControlMode = Literal["raise", "value"]


@overload
def parse_frame(
    data: Input, *, unknown: Literal["raise"] = "raise", control: Literal["raise"] = "raise"
) -> Delivery[models.Event]: ...


@overload
def parse_frame(
    data: Input, *, unknown: Literal["value"], control: Literal["raise"] = "raise"
) -> Delivery[models.Event | UnknownEvent]: ...


@overload
def parse_frame(
    data: Input, *, unknown: Literal["raise"] = "raise", control: Literal["value"]
) -> Delivery[models.Event] | Control: ...


@overload
def parse_frame(
    data: Input, *, unknown: Literal["value"], control: Literal["value"]
) -> Delivery[models.Event | UnknownEvent] | Control: ...


def parse_frame(
    data: Input, *, unknown: Unknown = "raise", control: ControlMode = "raise"
) -> Delivery[models.Event] | Delivery[models.Event | UnknownEvent] | Control:
    """A WebSocket message as received: a frame checked, its payload decoded and parsed.

    Every failure is an ``EventError`` carrying the frame's ``message_id`` when
    it has one, bad base64 and JSON that does not parse included. With
    ``unknown="value"`` a payload of an event type the catalogue lacks is an
    ``UnknownEvent``, as with ``parse_event``. A control message (one carrying
    ``type`` or ``endOfTopic``, such as the answer to ``isEndOfTopic``) raises
    ``ControlMessage``, or with ``control="value"`` is returned as a ``Control``.
    """
    verdict = _one_pass_or_verdict(data, "frames", _delivered)
    if not isinstance(verdict, Verdict):
        return verdict
    if verdict.status == "control":
        found = Control.of(verdict.message)
        if control == "value":
            return found
        raise ControlMessage(found)
    event = _event(verdict, unknown)
    built: models.PulsarFrame = _builder(models.PulsarFrame)(verdict.frame)
    return Delivery(built, event)


@functools.cache
def _frame_reader() -> FrameReader | None:
    """Frames read straight into the frame's model, held to the strict frame schema (made
    once, on first use; None when the model reads frames otherwise than the schema says)."""
    try:
        return frame_reader(load_contract().strict_schemas, FRAME, into=models.PulsarFrame)
    except Unsupported:
        return None


def _delivered(raw: bytes) -> Delivery[models.Event] | None:
    """A valid frame that declares every field, whose payload is a message in which every
    field is declared, read without the full look; None for any other (the full look
    decides those, and keeps the fields a frame's schema lacks on its model)."""
    reader = _frame_reader()
    read = None if reader is None else reader.read(raw)
    event = None if read is None else _one_pass(read[1])
    if read is None or event is None:
        return None
    frame: models.PulsarFrame = read[0]
    return Delivery(frame, event)

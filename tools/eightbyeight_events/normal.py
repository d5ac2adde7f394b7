"""One normal form for the documented variations, so typed code never reads a raw variant.

The service sends the same facts in more than one form: flags
as booleans or as the strings "true"/"false", ``recordingMode`` as yes/no or
the codes 0/1/2, ``inboundChannelid`` as a number or "N/A",
``dispositionCode`` as a number or a name, ``participatingAgents`` joined by
"," or ";", timestamps in seconds or milliseconds. Each function here takes
the wire form (as the generated models keep it, so ``to_dict`` stays
lossless) and gives the one form a consumer should use, and says which
documented contradiction it absorbs::

    from eightbyeight_events import normal, parse_event

    event = parse_event(line)
    if normal.flag(getattr(event, "isOutboundCall", None)):  # "false" is False here
        ...
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, Union

from eightbyeight_events.schemas import load_schemas
from eightbyeight_events.walk import subschemas

if TYPE_CHECKING:
    from typing import TypeAlias

    from eightbyeight_events.models import Event

Payload: TypeAlias = Union["Event", Mapping[str, Any]]
"""What the accessors read: a parsed event (a generated model) or a decoded payload (the
mapping inside the wrapper). A frame or a ``Delivery`` is neither: pass its ``event``."""


class VariationError(ValueError):
    """A value a normal form cannot read: outside every documented spelling."""


def _field(container: Any, name: str) -> Any:
    if container is None:
        return None
    return container.get(name) if isinstance(container, dict) else getattr(container, name, None)


def flag(value: bool | str | None) -> bool | None:
    """A flag as a bool: ``True``, ``"true"`` -> True; ``False``, ``"false"`` -> False.

    Absorbs the contradiction *boolean flags*: JSON booleans in the examples,
    the strings "true"/"false" in some contexts (field page). A plain
    ``if event.isOutboundCall:`` would take the string "false" for true.
    """
    if isinstance(value, bool) or value is None:
        return value
    if value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise VariationError(f"{value!r} is not a documented flag value")


class RecordingMode(enum.Enum):
    OFF = "off"
    RECORD = "record"
    MONITOR = "monitor"


_RECORDING = {
    "no": RecordingMode.OFF,
    "yes": RecordingMode.RECORD,
    0: RecordingMode.OFF,
    1: RecordingMode.RECORD,
    2: RecordingMode.MONITOR,
}


def recording_mode(value: str | int | None) -> RecordingMode | None:
    """``recordingMode`` as one enumeration. Absorbs *recordingMode*: the string yes/no,
    or the internal codes 0 (off), 1 (record), 2 (monitor)."""
    if value is None:
        return None
    found = _RECORDING.get(value.lower() if isinstance(value, str) else value)
    if found is None:
        raise VariationError(f"{value!r} is not a documented recording mode")
    return found


def channel(value: int | str | None) -> int | None:
    """``inboundChannelid`` as an int, None when there is none: outbound interactions carry
    the string "N/A"."""
    if value is None or value == "N/A":
        return None
    if isinstance(value, int):
        return value
    return int(value)


@dataclass(frozen=True)
class Disposition:
    """A wrap-up code: a number such as 1000, or a name such as ``SALE``."""

    code: int | str
    kind: Literal["numeric", "named"]


def disposition(value: int | str | None) -> Disposition | None:
    """``dispositionCode`` with its kind. Absorbs *dispositionCode*: an integer (1000) in
    one statement, a string (SALE, CALLBACK) in another."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Disposition(value, "numeric")
    return Disposition(str(value), "named")


def agents(value: str | None) -> tuple[str, ...]:
    """``participatingAgents`` as agent ids. Absorbs *participatingAgents*: joined by ","
    at some stages and by ";" at others."""
    if not value:
        return ()
    return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())


EPOCH_UNITS = {"epochSeconds": 1.0, "epochMilliseconds": 1e-3, "epochNanoseconds": 1e-9}
"""The epoch-time forms of ``values.schema.json``, in seconds per unit."""


_NESTED = {
    "common/msgInfo.schema.json": "msgInfo",
    "common/attachedData.schema.json": "attachedData",
}
"""Schemas whose fields sit inside an object of the event, and that object's field."""


VALUE_FORMS = "values.schema.json#/$defs/"
"""Where the value forms are defined; a field refers to one by this and the form's name."""


@functools.cache
def value_forms() -> dict[str, str]:
    """Every field whose schema is one of the value forms of ``values.schema.json`` (``flag``,
    ``epochSeconds``...), with that form: by name at the top level, as
    ``msgInfo.timestamp``, and as ``attachedData.{key}`` for the keys of the catalogue."""
    schemas = load_schemas()
    found: dict[str, str] = {}
    for uri, document in schemas.documents.items():
        inside = _NESTED.get(schemas.relative_path(uri))
        for pointer, schema in subschemas(document):
            keyword, _, name = pointer.rpartition("/")
            refs = [schema.get("$ref"), *(part.get("$ref") for part in schema.get("allOf", ()))]
            forms = [ref.partition(VALUE_FORMS)[2] for ref in refs if isinstance(ref, str)]
            form = next((form for form in forms if form), None)
            if keyword.endswith("/properties") and form is not None:
                found[name if inside is None else f"{inside}.{name}"] = form
    return found


@functools.cache
def time_units() -> dict[str, float]:
    """Every field the schemas type as an epoch time, with its unit in seconds per unit."""
    forms = value_forms().items()
    return {place: EPOCH_UNITS[form] for place, form in forms if form in EPOCH_UNITS}


@functools.cache
def flag_fields() -> tuple[str, ...]:
    """The fields documented as booleans or the strings "true"/"false"."""
    return tuple(place for place, form in value_forms().items() if form == "flag")


def at(place: str, value: Any) -> datetime | None:
    """``value`` of the time field ``place`` (named as in ``time_units``) as an aware UTC
    datetime, read in the unit the schemas give that field; None when it is not a number."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return datetime.fromtimestamp(value * time_units()[place], tz=timezone.utc)


def _value(event: Any, place: str) -> Any:
    """The value of a top-level field (``queueTime``) or of a field of msgInfo
    (``msgInfo.timestamp``)."""
    inside, _, name = place.rpartition(".")
    return _field(_field(event, inside) if inside else event, name)


def timestamps(event: Payload) -> dict[str, datetime]:
    """Every time an event carries, as an aware UTC datetime read in its documented unit,
    named as in ``time_units`` (``queueTime``, ``msgInfo.timestamp``,
    ``attachedData.callAnsweredTime``...); the unit of each comes from the schemas."""
    attached = AttachedData.of(event)
    found: dict[str, datetime] = {}
    for place in time_units():
        inside, _, name = place.rpartition(".")
        when = at(place, attached.get(name) if inside == "attachedData" else _value(event, place))
        if when is not None:
            found[place] = when
    return found


OCCURRED = ("interactionEventTS", "statusEventTS", "msgInfo.timestamp", "eventTS")
"""The times that say when an event happened, best first: the event's own time, then when
the service emitted it, then the interaction's original time."""


def occurred_at(event: Payload) -> datetime | None:
    """When the event happened, best first: ``interactionEventTS``
    (``statusEventTS`` for agent events), then ``msgInfo.timestamp``, then ``eventTS``.

    ``eventTS`` looks like the event's time but is the interaction's *original*
    time (lifted from ``otim``), the same on every event: it is a last resort.
    """
    return next(
        (when for place in OCCURRED if (when := at(place, _value(event, place))) is not None),
        None,
    )


@dataclass(frozen=True)
class QueueRef:
    """The ``que`` attached key, ``{tenant}~~queue~~{media}~~{id}``, taken apart."""

    tenant: str
    media: str
    queue_id: int


class AttachedData(Mapping[str, Any]):
    """An event's attachedData as a mapping: look-up by key (the first pair of that key),
    iteration in the order sent, and every pair in ``pairs`` (duplicates kept)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs
        self._first: dict[str, Any] = {}
        for key, value in pairs:
            self._first.setdefault(key, value)

    @classmethod
    def of(cls, event: Payload) -> AttachedData:
        """From a parsed event (a generated model) or a decoded payload dict."""
        datum = _field(_field(event, "attachedData"), "attachedDatum") or []
        return cls([(_field(p, "attachedDataKey"), _field(p, "attachedDataValue")) for p in datum])

    def __getitem__(self, key: str) -> Any:
        return self._first[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)

    def all(self, key: str) -> list[Any]:
        """Every value sent under ``key``, in order."""
        return [value for name, value in self.pairs if name == key]

    def time(self, key: str) -> datetime | None:
        """A time key of the catalogue, read in the unit the schemas give it."""
        return at(f"attachedData.{key}", self.get(key))

    def answered_at(self) -> datetime | None:
        """``callAnsweredTime`` (milliseconds since the epoch)."""
        return self.time("callAnsweredTime")

    def hung_up_at(self) -> datetime | None:
        """``callHangupTime`` (milliseconds since the epoch)."""
        return self.time("callHangupTime")

    def queued_at(self) -> datetime | None:
        """``tim``: when the interaction entered the queue (seconds since the epoch)."""
        return self.time("tim")

    def originally_at(self) -> datetime | None:
        """``otim``: the interaction's original time (seconds since the epoch)."""
        return self.time("otim")

    def queue(self) -> QueueRef | None:
        """``que`` taken apart into tenant, media and queue id."""
        text = self.get("que")
        if not isinstance(text, str):
            return None
        parts = text.rsplit("~~", 3)
        well_formed = len(parts) == 4 and parts[1] == "queue"
        if not well_formed or not (parts[-1].isascii() and parts[-1].isdigit()):
            raise VariationError(f"que {text!r} is not tenant~~queue~~media~~id")
        tenant, _, media, number = parts
        return QueueRef(tenant, media, int(number))

"""A Pulsar frame checked, and its payload decoded, in one pass over its bytes.

A frame is some 1.7 KB of which nearly all is the base64 payload. The full
look parses it with orjson and checks it with jsonschema-rs, whose pattern
check walks the whole payload. Here msgspec checks the frame's fields while
it decodes them, the types built from the frame schema by the same builder
as the events' fast path; the two rules msgspec cannot check are done after
it: the publish time's format, and the payload's base64 (``payload_bytes``,
which both roads decode with, accepts exactly the strings the schema's
pattern allows).

Like the events' fast path, it is never looser than the schema: a frame it
does not take goes to the full look, which decides and explains.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import msgspec.inspect as mi

from eightbyeight_events.fastpath import ANNOTATIONS, TypeBuilder, Unsupported, unique_keys
from eightbyeight_events.frames import payload_bytes
from eightbyeight_events.narrower import looser_fields, within
from eightbyeight_events.schemas import Schema, SchemaSet

BASE64 = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
"""The payload pattern that ``payload_bytes`` stands for (a test holds them equal)."""
PAYLOAD_KEYWORDS = {
    "type": "string",
    "pattern": BASE64,
    "contentEncoding": "base64",
    "contentMediaType": "application/json",
}
"""A payload as the frame schema describes it (beside ``contentSchema``, the event)."""
STAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z")
"""The UTC date-times Pulsar writes: a part of RFC 3339 (no offset, no leap second) that
the full look's format check accepts too. Any other date-time goes to the full look."""
DAYS_MEMO = 10_000
DATE_TIME = {"type": "string", "format": "date-time"}
"""The branch of a field that takes other forms too which the reader's stamps satisfy."""


@dataclass(frozen=True)
class FrameReader:
    """Reads a frame that declares only its schema's fields; None for any other."""

    decode: Callable[[bytes], Any]
    fields: tuple[str, ...]
    payload: str
    """the field that carries the event"""
    stamps: tuple[str, ...]
    """the fields that hold a date-time"""
    days: dict[str, bool]
    """calendar dates seen, and whether each exists (a frame's date repeats all day)"""
    bounded: tuple[tuple[str, Callable[[Any], bool]], ...] = ()
    """fields whose type in the struct read into is looser than the schema's, with a test
    of the bounds the schema sets, which their values are held to after decoding"""
    floatless: bool = True
    """no frame it reads holds a float (see ``unique_keys``)"""

    def read(self, raw: bytes) -> tuple[Any, bytes] | None:
        """The frame (a struct with ``fields``) and the event text its payload carries."""
        try:
            frame = self.decode(raw)
        except (msgspec.DecodeError, ValueError, RecursionError):
            return None
        if not unique_keys(raw, frame, self.floatless):
            return None
        for name in self.stamps:
            value = getattr(frame, name)
            if value is not None and not self.is_stamp(value):
                return None
        for name, holds in self.bounded:
            value = getattr(frame, name)
            if value is not None and not holds(value):  # None: absent (null is refused)
                return None
        try:
            return frame, payload_bytes(getattr(frame, self.payload))
        except ValueError:
            return None

    def is_stamp(self, value: str) -> bool:
        found = STAMP.fullmatch(value)
        if found is None:
            return False
        day = value[:10]
        known = self.days.get(day)
        if known is None:
            if len(self.days) >= DAYS_MEMO:
                self.days.clear()
            known = self.days[day] = _calendar_day(*found.groups())
        return known

    def as_dict(self, frame: Any) -> dict[str, Any]:
        """The frame as the JSON it came in (its fields in the schema's order)."""
        return {name: value for name in self.fields if (value := getattr(frame, name)) is not None}


def _bounds(kind: mi.Type) -> Callable[[Any], bool]:
    """A test of the length or range ``kind`` sets, for a value already of its type."""
    if isinstance(kind, mi.StrType) and kind.pattern is None:
        shortest, longest = kind.min_length or 0, kind.max_length
        return lambda value: shortest <= len(value) and (longest is None or len(value) <= longest)
    if isinstance(kind, mi.IntType) and (kind.gt, kind.lt, kind.multiple_of) == (None,) * 3:
        return functools.partial(within, option=kind)
    raise Unsupported(f"a check after decoding for {kind}")


def _calendar_day(year: str, month: str, day: str) -> bool:
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def frame_reader(schemas: SchemaSet, path: str, into: type | None = None) -> FrameReader:
    """The reader of frames as the schema at ``path`` describes them (closed or open: an
    open schema's reader would drop undeclared fields, so only a closed one is accepted).

    With ``into``, frames are read into that struct (a model) instead of one made from
    the schema; it must accept no more than the schema, except in field values, which
    are then held to the schema's types after decoding."""
    uri = schemas.uri(path)
    schema = {key: value for key, value in schemas.documents[uri].items() if key not in ANNOTATIONS}
    if schema.get("additionalProperties") is not False:
        raise Unsupported("a frame reader would drop the fields an open schema lets through")
    properties: dict[str, Schema] = {}
    stamps, payload = [], None
    for name, definition in schema["properties"].items():
        rules = {key: value for key, value in definition.items() if key not in ANNOTATIONS}
        form = rules.pop("format", None)
        if form is None and DATE_TIME in rules.get("anyOf", ()) and rules.keys() == {"anyOf"}:
            # a date-time or another form: the date-times read here satisfy the first,
            # and any other value goes to the full look
            form, rules = "date-time", {"type": "string"}
        if form == "date-time":
            stamps.append(name)
        elif form is not None:
            raise Unsupported(f"{name}: format {form}")
        if "contentSchema" in rules:
            rules.pop("contentSchema")
            if rules != PAYLOAD_KEYWORDS or payload is not None:
                raise Unsupported(f"a payload described otherwise: {sorted(rules)}")
            payload, rules = name, {"type": "string"}
        properties[name] = rules
    if payload is None:
        raise Unsupported("a frame without a payload")
    builder = TypeBuilder(schemas, floats=False)  # a frame holds no number but integers
    struct = builder.object({**schema, "properties": properties}, uri)
    bounded: dict[str, mi.Type] = {}
    if into is not None:
        reason, bounded = looser_fields(into, struct)
        if reason is not None:
            raise Unsupported(f"{into.__name__} reads frames otherwise: {reason}")
    decoder = msgspec.json.Decoder(into or struct, dec_hook=builder.dec_hook)
    tests = tuple((name, _bounds(kind)) for name, kind in bounded.items())
    fields = tuple(properties)
    # an object of any content may hold a float, which no integer-only type keeps out
    return FrameReader(decoder.decode, fields, payload, tuple(stamps), {}, tests, not builder.loose)

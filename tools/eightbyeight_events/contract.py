"""The contract, compiled once: where a message is routed and judged.

A ``Contract`` is built from one schema set and is the only place that
decides what a message is and what is wrong with it:

- ``route``: which event type a message claims to be (the catalogue's router);
- ``quick``: the verdict of a valid line without undeclared fields, from the
  msgspec fast path in one pass over the bytes (its warnings and drift read
  from the decoded values); None sends the line to the full look;
- ``judge``, ``judge_text``, ``judge_frame``: the full ``Verdict`` of a
  message, a line, or a Pulsar frame: status, errors, warnings and drift.

The validator, the loader and the API all ask it; the books only record its
verdicts. Compiled parts are built on first use, so a one-line run or a
loader that never looks for drift compiles only what it needs;
``warm`` builds the fast path before worker processes fork.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import jsonschema_rs
import orjson

from eightbyeight_events.catalogue import EventType, event_types, router
from eightbyeight_events.codes import CODES, open_lists
from eightbyeight_events.documents import NESTING, too_deep, unparseable
from eightbyeight_events.engines import fast_validator
from eightbyeight_events.expected import expected_variant
from eightbyeight_events.explain import Finding, explain, json_type, show
from eightbyeight_events.fastpath import PayloadKind, Unsupported, WrapperDecoder, decoders
from eightbyeight_events.flatten import inline_bases, join
from eightbyeight_events.framepath import FrameReader, frame_reader
from eightbyeight_events.frames import PayloadError, decode_payload, message_id_of
from eightbyeight_events.json_text import Repeat, read_json
from eightbyeight_events.keyrules import KeyRule, key_rules
from eightbyeight_events.plain import NotJson, json_value
from eightbyeight_events.pulsar import is_control, is_frame
from eightbyeight_events.schemas import FRAME, UNION, Schema, SchemaSet, load_schemas
from eightbyeight_events.strict import strict_variant
from eightbyeight_events.suggest import closest
from eightbyeight_events.verdict import (
    FRAME_TYPE,
    Drift,
    DriftKind,
    Status,
    Verdict,
    Warning,
    WarningKind,
    unreadable,
)
from eightbyeight_events.walk import json_pointer, subschemas

GUESSES_REMEMBERED = 10_000
Content = Literal["auto", "events", "frames"]
"""What a document is: told per message (``auto``), or fixed by the caller."""


@dataclass(frozen=True)
class EventRules:
    """What the spec expects of one event type beyond its schema: warnings and drift."""

    event_type: EventType
    open_lists: dict[str, frozenset[Any]]
    """payload field -> the known values of the open code list that types it"""
    call_states: frozenset[str]
    """the call states the event table gives (empty: the table says N/A)"""
    also_documented: dict[str, str]
    """call state -> the documented contradiction it matches"""


def _generalise(path: list[str | int]) -> str:
    """A pointer with array indexes replaced by ``*``, naming a place in every message."""
    return json_pointer("*" if isinstance(part, int) else part for part in path)


class Contract:
    """The schemas of one folder, compiled to route and judge messages."""

    def __init__(self, schemas: SchemaSet | None = None) -> None:
        self.schemas = schemas or load_schemas()
        self.event_types = event_types(self.schemas)
        self.router = router(self.schemas)
        self._rules: dict[str, EventRules] = {}
        self._validators: dict[str, jsonschema_rs.Validator] = {}
        self._strict: dict[str, jsonschema_rs.Validator] = {}
        self._clean = {t.name: Verdict("valid", t.name) for t in self.event_types}
        self._types = {t.name: t for t in self.event_types}
        self._declared: dict[str, frozenset[str]] = {}
        self._guesses: dict[tuple[str, str], str | None] = {}

    # -- compiled parts, each on first use ----------------------------------

    def rules(self, event_type: EventType) -> EventRules:
        found = self._rules.get(event_type.name)
        if found is None:
            found = self._rules[event_type.name] = self._compile_rules(event_type)
        return found

    def validator(self, event_type: EventType) -> jsonschema_rs.Validator:
        """The published schema of ``event_type``: decides valid or invalid."""
        return _compiled(self._validators, self.schemas, event_type)

    def _compile_rules(self, event_type: EventType) -> EventRules:
        facts = self.schemas.annotations["events"][event_type.name]
        return EventRules(
            event_type=event_type,
            open_lists=self._open_list_fields(event_type),
            call_states=frozenset(facts["callStates"] or ()),
            also_documented={
                entry["callState"]: f"{entry['contradiction']} ({entry['source']})"
                for entry in facts.get("alsoDocumented", ())
            },
        )

    def _open_list_fields(self, event_type: EventType) -> dict[str, frozenset[Any]]:
        known_values = open_lists(self.schemas)
        uri = self.schemas.uri(event_type.schema_path)
        payload = inline_bases(
            self.schemas.documents[uri]["$defs"][event_type.name], uri, self.schemas
        )
        found = {}
        for name, definition in payload.get("properties", {}).items():
            refs = [definition.get("$ref")]
            refs += [part.get("$ref") for part in definition.get("allOf", ())]
            for ref in refs:
                target = join(uri, ref) if ref else None
                if target in known_values:
                    found[name] = frozenset(known_values[target])
        return found

    @functools.cached_property
    def strict_schemas(self) -> SchemaSet:
        return strict_variant(self.schemas)

    def strict(self, event_type: EventType) -> jsonschema_rs.Validator:
        """The strict schema of ``event_type``, which finds undeclared fields."""
        return _compiled(self._strict, self.strict_schemas, event_type)

    @functools.cached_property
    def fast(self) -> dict[bytes, WrapperDecoder]:
        """A msgspec decoder per wrapper (as bytes), from the expected variant: a message it
        accepts is valid with nothing to report. It reads no float (an attachedData value
        seldom is one): a message holding one goes on to ``fast_strict``, and one that holds
        none is checked for repeated keys at less cost (``unique_keys``)."""
        found, _ = decoders(expected_variant(self.schemas), floats=False)
        return found

    @functools.cached_property
    def fast_strict(self) -> dict[bytes, WrapperDecoder]:
        """A msgspec decoder per wrapper, from the strict variant: a message it accepts is
        valid with no undeclared field; its warnings and drift are read from the values."""
        found, _ = decoders(self.strict_schemas)
        return found

    @functools.cached_property
    def union(self) -> jsonschema_rs.Validator:
        return fast_validator(self.schemas, UNION)

    @functools.cached_property
    def frame(self) -> jsonschema_rs.Validator:
        return fast_validator(self.schemas, FRAME)

    @functools.cached_property
    def frame_strict(self) -> jsonschema_rs.Validator:
        return fast_validator(self.strict_schemas, FRAME)

    @functools.cached_property
    def attached_data_keys(self) -> dict[str, KeyRule]:
        """Catalogue key -> whether a value follows the rules the catalogue gives it."""
        return key_rules(self.schemas)

    @functools.cached_property
    def call_states(self) -> frozenset[str]:
        return frozenset(self.schemas.document(CODES)["$defs"]["callState"]["enum"])

    def warm(self) -> Contract:
        """Build what the fast path needs now (before forking workers, so they inherit it);
        what only the full look needs is built by whichever process first needs it."""
        for event_type in self.event_types:
            self.rules(event_type)
        _ = self.fast, self.fast_strict, self.frame_reader, self.attached_data_keys
        _ = self.call_states
        return self

    # -- routing ---------------------------------------------------------

    def route(self, message: Any) -> EventType | None:
        return self.router.route(message)

    # -- the fast path -----------------------------------------------------

    def quick(self, raw: bytes) -> Verdict | None:
        """The verdict of a valid line without undeclared fields, in one pass over its bytes;
        None for any other line (the full look decides those)."""
        found = self.quick_read(raw)
        return None if found is None else found[0]

    def quick_read(self, raw: bytes) -> tuple[Verdict, Any] | None:
        """``quick``, with the decoded payload (a msgspec struct) for those who read on."""
        return self._quick_read(raw, _wrapper_of(raw))

    def _quick_read(self, raw: bytes, wrapper: bytes) -> tuple[Verdict, Any] | None:
        decoder = self.fast.get(wrapper)
        if decoder is None:
            return None
        found = decoder.read(raw)
        if found is None:
            return self._quick_strict(raw, wrapper)
        if decoder.loose and not _readable(raw):
            return None
        return self._clean[found[0]], found[1]

    @functools.cached_property
    def frame_reader(self) -> FrameReader | None:
        """msgspec's reader of frames that declare every field; None if the frame schema
        uses what it cannot check (then every frame takes the full look)."""
        try:
            return frame_reader(self.strict_schemas, FRAME)
        except Unsupported:
            return None

    def strict_payload(self, name: str) -> tuple[type, PayloadKind] | None:
        """The msgspec struct that the strict fast path reads an event type's payload
        into, and what it checks after decoding; None when the event is not read that way."""
        event_type = self._types[name]
        decoder = self.fast_strict.get(event_type.wrapper.encode())
        if decoder is None or decoder.loose:
            return None
        for kind, read in decoder.kinds.items():
            if read.name == name:
                return kind, read
        return None

    def quick_frame(self, raw: bytes) -> tuple[Verdict, Any] | None:
        """``quick_read`` for a Pulsar frame: one pass over a frame that declares every
        field (a field the frame schema lacks is drift to report), then the fast path over
        the message its payload carries; None for any other frame."""
        reader = self.frame_reader
        read = None if reader is None else reader.read(raw)
        found = None if read is None else self.quick_read(read[1])
        if reader is None or read is None or found is None:
            return None
        verdict, payload = found
        frame = reader.as_dict(read[0])
        return verdict._replace(message_id=frame["messageId"], frame=frame), payload

    def quick_message(self, raw: bytes) -> tuple[Verdict, Any] | None:
        """``quick_frame`` for what starts like a frame, ``quick_read`` for anything else:
        messages told apart one by one, as the full look tells them."""
        wrapper = _wrapper_of(raw)
        if wrapper in self._frame_keys:
            return self.quick_frame(raw)
        return self._quick_read(raw, wrapper)

    @functools.cached_property
    def _frame_keys(self) -> frozenset[bytes]:
        """The fields of a frame, as the first key of a message that may be one."""
        properties = self.schemas.document(FRAME)["properties"]
        return frozenset(name.encode() for name in properties)

    def _quick_strict(self, raw: bytes, wrapper: bytes) -> tuple[Verdict, Any] | None:
        """A valid message with something to report (a documented variation's warning, an
        open-list value, an attachedData key outside the catalogue), still in one pass."""
        decoder = self.fast_strict[wrapper]
        found = decoder.read(raw)
        if found is None or (decoder.loose and not _readable(raw)):
            return None  # invalid, undeclared fields, or not readable: the full look says
        name, payload = found
        warnings, drift = self._observe(
            self.rules(self._types[name]),
            lambda field: getattr(payload, field, None),
            _struct_pairs(payload),
        )
        if not warnings and not drift:
            return self._clean[name], payload
        return Verdict("valid", name, (), warnings, drift), payload

    # -- the full look -----------------------------------------------------

    def judge_text(
        self, raw: bytes | str, content: Content = "auto", *, drift: bool = True
    ) -> Verdict:
        """The full verdict of one JSON text: a decoded event, a frame, or a control message."""
        where = "frame" if content == "frames" else "event"
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        if too_deep(data):
            return unreadable(Finding("", "unreadable", NESTING, where))
        try:
            document, repeats = read_json(data)
        except orjson.JSONDecodeError as error:
            return unreadable(Finding("", "unreadable", unparseable(data, error), where))
        verdict = self.judge_document(document, content, drift=drift)
        framed = content == "frames" or (content == "auto" and is_frame(document))
        return _with_repeats(verdict, repeats, "frame" if framed else "event")

    def judge_document(
        self, document: Any, content: Content = "auto", *, drift: bool = True
    ) -> Verdict:
        """The full verdict of a decoded document, told apart per message when ``auto``:
        an object with ``messageId`` and ``payload`` is a Pulsar frame, one with ``type`` or
        ``endOfTopic`` a Pulsar control message (an answer or a command, never an event),
        anything else an event."""
        if content != "events":
            if is_frame(document):
                return self.judge_frame(document, drift=drift)
            if is_control(document):
                return Verdict("control", message=document)
        if content == "frames":
            return self.judge_frame(document, drift=drift)
        return self.judge(document, drift=drift)

    def judge_value(self, value: Any, content: Content = "auto", *, drift: bool = True) -> Verdict:
        """The full verdict of a value decoded by someone else (the API's callers): any
        Mapping or sequence is read as JSON data; what JSON cannot hold is unreadable."""
        try:
            document = json_value(value)
        except NotJson as error:
            where = "frame" if content == "frames" else "event"
            return unreadable(Finding(error.pointer, "unreadable", error.message, where))
        return self.judge_document(document, content, drift=drift)

    def judge_input(self, data: Any, content: Content = "auto", *, drift: bool = True) -> Verdict:
        """The full verdict of whatever a caller hands over: JSON text as ``str`` or any
        bytes-like object, or a decoded value."""
        text = as_json_text(data)
        if text is not None:
            return self.judge_text(text, content, drift=drift)
        return self.judge_value(data, content, drift=drift)

    def judge_frame(self, frame: Any, *, drift: bool = True) -> Verdict:
        """A Pulsar frame: the frame checked, its payload decoded, the event inside judged."""
        message_id = message_id_of(frame)
        frame_errors: tuple[Finding, ...] = ()
        frame_drift: tuple[Drift, ...] = ()
        if not self.frame.is_valid(frame):
            frame_errors = tuple(explain(self.frame, frame, document="frame"))
        elif drift and not self.frame_strict.is_valid(frame):
            frame_drift = tuple(self._undeclared(self.frame_strict, frame, FRAME_TYPE, "frame:"))
        payload = frame.get("payload") if isinstance(frame, dict) else None
        if not isinstance(payload, str):
            return Verdict("invalid", errors=frame_errors, message_id=message_id)
        try:
            message, repeats = decode_payload(payload)
        except PayloadError as error:
            return unreadable(error.finding, message_id)
        verdict = self.judge(
            message,
            drift=drift,
            message_id=message_id,
            frame_errors=frame_errors + _repeat_findings(repeats, "event"),
            frame_drift=frame_drift,
        )
        return verdict._replace(frame=frame)

    def judge(
        self,
        message: Any,
        *,
        drift: bool = True,
        message_id: str | None = None,
        frame_errors: tuple[Finding, ...] = (),
        frame_drift: tuple[Drift, ...] = (),
    ) -> Verdict:
        """The full verdict of a decoded message.

        ``drift=False`` skips warnings and drift (the loader needs only the
        status and the errors); the status and the errors are the same either way.
        """
        event_type = self.router.route(message)
        if event_type is None:
            return self._unrouted(message, message_id, frame_errors)
        validator = self._validators.get(event_type.name) or self.validator(event_type)
        errors = frame_errors
        if not validator.is_valid(message):
            errors += tuple(explain(validator, message))
        status: Status = "invalid" if errors else "valid"
        if not drift:
            return Verdict(status, event_type.name, errors, (), (), message_id, message)
        name = event_type.name
        undeclared = tuple(self._undeclared(self.strict(event_type), message, name))
        payload = message[event_type.wrapper]
        if not isinstance(payload, dict):
            found = frame_drift + undeclared
            return Verdict(status, name, errors, (), found, message_id, message)
        warnings, observed = self._observe(
            self.rules(event_type), payload.get, _dict_pairs(payload)
        )
        found = frame_drift + undeclared + observed
        return Verdict(status, name, errors, warnings, found, message_id, message)

    def _unrouted(
        self, message: Any, message_id: str | None, frame_errors: tuple[Finding, ...]
    ) -> Verdict:
        """A message of no type in the catalogue (unknown), or of no form at all (invalid)."""
        reason = self.router.unknown_reason(message)
        if reason is not None and not frame_errors:
            return Verdict("unknown", None, (reason,), (), (), message_id, message)
        errors = frame_errors + tuple(explain(self.union, message))
        return Verdict("invalid", None, errors, (), (), message_id, message)

    # -- warnings and drift ------------------------------------------------

    def _observe(
        self,
        rules: EventRules,
        get: Callable[[str], Any],
        pairs: Iterable[tuple[Any, Any]],
    ) -> tuple[tuple[Warning, ...], tuple[Drift, ...]]:
        """The warnings and drift of a valid payload, read through ``get`` (a field's value,
        None when absent) and its attachedData ``pairs``: the one place that decides them,
        for a decoded dict and a fast-path struct alike."""
        name = rules.event_type.name
        warnings: tuple[Warning, ...] = ()
        state = get("callState")
        if (
            rules.call_states
            and isinstance(state, str)
            and state not in rules.call_states
            and state in self.call_states  # anything else is already a schema error
        ):
            expected = ", ".join(sorted(rules.call_states))
            source = rules.also_documented.get(state)
            text = f"{name} with callState {state}: the event table expects {expected}; " + (
                f"matches documented contradiction {source}"
                if source
                else "no page of the reference documents it"
            )
            warnings = (Warning(WarningKind.CALL_STATE, f"{name} {state}", text, name),)
        drift: list[Drift] = []
        for field, known in rules.open_lists.items():
            value = get(field)
            if isinstance(value, str | int) and value not in known:
                drift.append(Drift(DriftKind.NEW_VALUE, f"{field} {show(value)}", name))
        catalogue = self.attached_data_keys
        for key, value in pairs:
            rule = catalogue.get(key)
            if rule is None:
                drift.append(Drift(DriftKind.UNKNOWN_KEY, key, name))
            elif value.__class__ not in rule.passes and not rule.check(value):
                drift.append(Drift(DriftKind.KEY_TYPE, f"{key} is {json_type(value)}", name))
        return warnings, tuple(drift)

    def _undeclared(
        self, strict: jsonschema_rs.Validator, document: Any, name: str, prefix: str = ""
    ) -> Iterator[Drift]:
        for error in strict.iter_errors(document):
            if error.kind.name != "additionalProperties":
                continue
            where = _generalise(list(error.instance_path))
            for field in error.kind.as_dict()["unexpected"]:
                subject = f"{prefix}{where}/{field}"
                yield Drift(DriftKind.UNDECLARED_FIELD, subject, name, self._guess(name, field))

    def _guess(self, name: str, field: str) -> str | None:
        """The declared field ``field`` most likely misspells, remembered: the same
        undeclared field recurs on every message of a tenant that sends it."""
        key = (name, field)
        if key not in self._guesses:
            if len(self._guesses) >= GUESSES_REMEMBERED:
                self._guesses.clear()
            self._guesses[key] = closest(field, self._declared_names(name))
        return self._guesses[key]

    def _declared_names(self, name: str) -> frozenset[str]:
        """The field names an event type's schema declares at any depth (its own document
        and the shared definitions): what a misspelt field most likely meant."""
        found = self._declared.get(name)
        if found is None:
            event_type = self._types.get(name)
            own = self.schemas.document(event_type.schema_path if event_type else FRAME)
            found = self._declared[name] = _field_names(own) | self._shared_names
        return found

    @functools.cached_property
    def _shared_names(self) -> frozenset[str]:
        """The field names the shared definitions declare, walked once for every event."""
        return frozenset().union(
            *(_field_names(doc) for uri, doc in self.schemas.documents.items() if "/common/" in uri)
        )


def _compiled(
    cache: dict[str, jsonschema_rs.Validator], schemas: SchemaSet, event_type: EventType
) -> jsonschema_rs.Validator:
    """The validator of ``event_type`` in ``schemas``, compiled the first time it is asked."""
    found = cache.get(event_type.name)
    if found is None:
        found = cache[event_type.name] = fast_validator(schemas, event_type.schema_path)
    return found


def _field_names(document: Schema) -> frozenset[str]:
    """The field names a schema document declares at any depth."""
    return frozenset(
        field for _, schema in subschemas(document) for field in schema.get("properties", {})
    )


def _dict_pairs(payload: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The well-formed attachedData pairs of a decoded payload (a malformed pair is a schema
    error, not drift)."""
    attached = payload.get("attachedData")
    pairs = attached.get("attachedDatum") if isinstance(attached, dict) else None
    for pair in pairs if isinstance(pairs, list) else ():
        key = pair.get("attachedDataKey") if isinstance(pair, dict) else None
        value = pair.get("attachedDataValue") if isinstance(pair, dict) else None
        if isinstance(key, str) and isinstance(value, str | int | float):
            yield key, value


def _struct_pairs(payload: Any) -> list[tuple[str, Any]]:
    """The attachedData pairs of a payload the strict fast path decoded (all well-formed)."""
    attached = getattr(payload, "attachedData", None)
    pairs = getattr(attached, "attachedDatum", None)
    if not pairs:
        return []
    return [(pair.attachedDataKey, pair.attachedDataValue) for pair in pairs]


def as_json_text(data: Any) -> bytes | None:
    """``data`` as the bytes of a JSON text when it is one (``str``, ``bytes``, ``bytearray``,
    ``memoryview``); None for a decoded value."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    return None


def _with_repeats(verdict: Verdict, repeats: tuple[Repeat, ...], document: str) -> Verdict:
    """The verdict of a message whose objects repeat keys: invalid, whatever its values
    (even its wrapper or ``event`` name), since which value counts depends on who reads it."""
    if not repeats or verdict.status not in ("valid", "invalid", "unknown"):
        return verdict
    return verdict._replace(
        status="invalid", errors=_repeat_findings(repeats, document) + verdict.errors
    )


def _repeat_findings(repeats: tuple[Repeat, ...], document: str) -> tuple[Finding, ...]:
    return tuple(
        Finding(repeat.pointer, "uniqueKeys", repeat.message, document) for repeat in repeats
    )


def _wrapper_of(raw: bytes) -> bytes:
    """The first key of a message, the wrapper when it is one (a guess the decoder checks)."""
    start = raw.find(b'"') + 1
    return raw[start : raw.find(b'"', start)] if start else b""


def _readable(raw: bytes) -> bool:
    """Whether the full look's reader (orjson, within the nesting limit) reads ``raw``."""
    if too_deep(raw):
        return False
    try:
        orjson.loads(raw)
    except orjson.JSONDecodeError:
        return False
    return True


@functools.cache
def load_contract() -> Contract:
    """The contract of the packaged schemas, one per process."""
    return Contract()

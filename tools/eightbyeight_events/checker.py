"""Checking lines: the fast path for lines that hold no surprise, the slow path for the rest.

The fast path reads the wrapper key from a line's first bytes and lets that
wrapper's msgspec decoder (see ``fastpath``) parse the line and check it
against the expected variant in one pass: valid, no drift, no warning.
Nearly every line of real traffic ends there. A line that does not is parsed
with orjson and looked at completely with jsonschema-rs: is it valid at all,
which errors, which drift, which warnings.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import jsonschema_rs
import msgspec
import orjson

from eightbyeight_events.catalogue import EventType, event_types, unknown_finding
from eightbyeight_events.engines import fast_validator
from eightbyeight_events.expected import ATTACHED_DATA, CODES, expected_variant
from eightbyeight_events.explain import Finding, explain, json_type, show
from eightbyeight_events.fastpath import decoders
from eightbyeight_events.flatten import inline_bases
from eightbyeight_events.readers import Batch, Content, Problem
from eightbyeight_events.results import LineResult, Place, Tally
from eightbyeight_events.schemas import FRAME, UNION, SchemaSet, load_schemas
from eightbyeight_events.strict import strict_variant
from eightbyeight_events.walk import json_pointer

UNDECLARED_FIELD = "undeclared field"
UNKNOWN_KEY = "attachedData key outside the catalogue"
KEY_TYPE = "attachedData value of another type"
NEW_VALUE = "new value of an open list"
CALL_STATE = "call state outside the event table"


@dataclass(frozen=True)
class EventChecks:
    """Everything compiled for one event type."""

    event_type: EventType
    expected: jsonschema_rs.Validator
    normal: jsonschema_rs.Validator
    strict: jsonschema_rs.Validator
    open_lists: dict[str, frozenset[Any]]
    call_states: frozenset[str]
    """the call states the event table gives (empty: the table says N/A)"""
    also_documented: dict[str, str]
    """call state -> the documented contradiction it matches"""


def _open_lists(schemas: SchemaSet, event_type: EventType) -> dict[str, frozenset[Any]]:
    """Payload fields typed by an open code list, with the list's known values."""
    codes_uri = schemas.uri(CODES)
    open_codes = {
        f"{codes_uri}#/$defs/{name}": frozenset(definition["examples"])
        for name, definition in schemas.document(CODES)["$defs"].items()
        if "examples" in definition and "enum" not in definition
    }
    uri = schemas.uri(event_type.schema_path)
    payload = inline_bases(schemas.documents[uri]["$defs"][event_type.name], uri, schemas)
    found = {}
    for name, definition in payload.get("properties", {}).items():
        refs = [definition.get("$ref")] + [part.get("$ref") for part in definition.get("allOf", ())]
        for ref in refs:
            target = urljoin(uri, ref) if ref else None
            if target in open_codes:
                found[name] = open_codes[target]
    return found


def _event_checks(
    schemas: SchemaSet, strict: SchemaSet, expected: SchemaSet, event_type: EventType
) -> EventChecks:
    facts = schemas.annotations["events"][event_type.name]
    return EventChecks(
        event_type=event_type,
        expected=fast_validator(expected, event_type.schema_path),
        normal=fast_validator(schemas, event_type.schema_path),
        strict=fast_validator(strict, event_type.schema_path),
        open_lists=_open_lists(schemas, event_type),
        call_states=frozenset(facts["callStates"] or ()),
        also_documented={
            entry["callState"]: f"{entry['contradiction']} ({entry['source']})"
            for entry in facts.get("alsoDocumented", ())
        },
    )


def _key_validators(schemas: SchemaSet) -> dict[str, jsonschema_rs.Validator]:
    catalogue = schemas.document(ATTACHED_DATA)["$defs"]["catalogue"]["properties"]
    base = schemas.uri(ATTACHED_DATA)
    return {
        key: jsonschema_rs.validator_for(
            {"$ref": base + "#" + json_pointer(["$defs", "catalogue", "properties", key])},
            registry=schemas.rs_registry,
            offline=True,
            validate_formats=True,
        )
        for key in catalogue
    }


def _generalise(path: list[str | int]) -> str:
    """A pointer with array indexes replaced by ``*``, naming a place in every message."""
    return json_pointer("*" if isinstance(part, int) else part for part in path)


class Checker:
    """Checks the lines of captures against one schema set."""

    def __init__(self, schemas: SchemaSet | None = None) -> None:
        self.schemas = schemas or load_schemas()
        strict, expected = strict_variant(self.schemas), expected_variant(self.schemas)
        self.checks = {
            event_type.name: _event_checks(self.schemas, strict, expected, event_type)
            for event_type in event_types(self.schemas)
        }
        self.routes: dict[str, EventChecks | dict[str, EventChecks]] = {}
        for checks in self.checks.values():
            event_type = checks.event_type
            if event_type.event is None:
                self.routes[event_type.wrapper] = checks
            else:
                family = self.routes.setdefault(event_type.wrapper, {})
                assert isinstance(family, dict)
                family[event_type.event] = checks
        self.fast_decoders, self.fast_left_out = decoders(expected)
        self.union = fast_validator(self.schemas, UNION)
        self.frame = fast_validator(self.schemas, FRAME)
        self.frame_strict = fast_validator(strict, FRAME)
        self.key_validators = _key_validators(self.schemas)
        self.call_states = frozenset(self.schemas.document(CODES)["$defs"]["callState"]["enum"])

    def route(self, message: Any) -> EventChecks | None:
        """The checks of the event type a message claims to be (wrapper, then ``event``)."""
        if not isinstance(message, dict) or len(message) != 1:
            return None
        wrapper = next(iter(message))
        route = self.routes.get(wrapper)
        if not isinstance(route, dict):
            return route
        payload = message[wrapper]
        name = payload.get("event") if isinstance(payload, dict) else None
        return route.get(name) if isinstance(name, str) else None

    def fast_line(self, raw: bytes) -> str | None:
        """The event type of a line that holds nothing to report; None for any other line.

        Exactly "the line parses and passes the expected variant" (the property
        the tests hold it to). msgspec decodes and checks in one pass; a wrapper
        msgspec types could not express is checked by jsonschema-rs instead.
        """
        start = raw.find(b'"') + 1
        decoder = self.fast_decoders.get(raw[start : raw.find(b'"', start)]) if start else None
        if decoder is not None:
            try:
                return decoder.event_type(decoder.decode(raw))
            except msgspec.DecodeError:
                return None
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None
        checks = self.route(message)
        if checks is not None and checks.expected.is_valid(message):
            return checks.event_type.name
        return None

    def check_batch(
        self, batch: Batch, source: str, content: Content, tally: Tally, keep_valid: bool = False
    ) -> None:
        """Check a batch of lines, taking the fast path wherever it applies."""
        if not batch.clean or content == "frames":
            for offset, line in enumerate(batch.lines):
                self.check_line(
                    line, Place(source, batch.first + offset), content, tally, keep_valid
                )
            return
        fast_line = self.fast_line
        passed: list[str] = []
        passes = passed.append
        for index, raw in enumerate(batch.lines):
            name = fast_line(raw)  # type: ignore[arg-type]  # a clean batch holds only bytes
            if name is None:
                self.check_line(raw, Place(source, batch.first + index), content, tally, keep_valid)
            elif keep_valid:
                tally.count("valid", name)
                tally.results.append(LineResult(Place(source, batch.first + index), "valid", name))
            else:
                passes(name)
        for name, times in Counter(passed).items():
            tally.count("valid", name, times)

    # -- the slow path --------------------------------------------------

    def check_line(
        self,
        line: bytes | Problem,
        place: Place,
        content: Content,
        tally: Tally,
        keep_valid: bool = False,
    ) -> None:
        """Check one line completely, whatever it holds."""
        if isinstance(line, Problem):
            self.unreadable(place, line.reason, tally)
            return
        try:
            document = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            if not line.strip():
                tally.blank += 1
            else:
                self.unreadable(place, f"not JSON: {error}", tally)
            return
        if content == "frames":
            self.examine_frame(document, place, tally, keep_valid)
        else:
            self.examine(document, place, tally, keep_valid)

    def unreadable(self, place: Place, reason: str, tally: Tally) -> None:
        tally.count("unreadable", None)
        tally.results.append(
            LineResult(place, "unreadable", None, [Finding("", "unreadable", reason)])
        )

    def examine_frame(self, frame: Any, place: Place, tally: Tally, keep_valid: bool) -> None:
        """A Pulsar frame: check the frame, decode its payload, check the event inside."""
        message_id = frame.get("messageId") if isinstance(frame, dict) else None
        place = Place(place.source, place.line, message_id if isinstance(message_id, str) else None)
        frame_errors: list[Finding] = []
        if not self.frame_strict.is_valid(frame):
            if self.frame.is_valid(frame):
                self.undeclared(self.frame_strict, frame, "(frame)", place, tally, prefix="frame:")
            else:
                frame_errors = explain(self.frame, frame, document="frame")
        payload = frame.get("payload") if isinstance(frame, dict) else None
        if not isinstance(payload, str):
            tally.count("invalid", None)
            tally.results.append(LineResult(place, "invalid", None, frame_errors))
            return
        try:
            decoded = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as error:
            self.unreadable(place, f"payload is not valid base64: {error}", tally)
            return
        try:
            message = orjson.loads(decoded)
        except orjson.JSONDecodeError as error:
            self.unreadable(place, f"payload does not decode to JSON: {error}", tally)
            return
        self.examine(message, place, tally, keep_valid, frame_errors)

    def examine(
        self,
        message: Any,
        place: Place,
        tally: Tally,
        keep_valid: bool,
        frame_errors: list[Finding] | None = None,
    ) -> None:
        """A decoded message, looked at completely."""
        errors = list(frame_errors or ())
        checks = self.route(message)
        if checks is None:
            reason = unknown_finding(message, self.schemas)
            if reason is not None and not errors:
                tally.count("unknown", None)
                tally.results.append(LineResult(place, "unknown", None, [reason]))
            else:
                errors += explain(self.union, message)
                tally.count("invalid", None)
                tally.results.append(LineResult(place, "invalid", None, errors))
            return
        name = checks.event_type.name
        if not checks.normal.is_valid(message):
            errors += explain(checks.normal, message)
        warnings = self.call_state_warnings(checks, message, place, tally)
        self.drift(checks, message, place, tally)
        status = "invalid" if errors else "valid"
        tally.count(status, name)
        if errors or keep_valid:
            tally.results.append(LineResult(place, status, name, errors, warnings))

    # -- warnings and drift ---------------------------------------------

    def call_state_warnings(
        self, checks: EventChecks, message: dict[str, Any], place: Place, tally: Tally
    ) -> list[str]:
        payload = next(iter(message.values()))
        state = payload.get("callState") if isinstance(payload, dict) else None
        if (
            not checks.call_states
            or not isinstance(state, str)
            or state in checks.call_states
            or state not in self.call_states
        ):
            return []  # no expectation, as expected, or already an error of the schema
        name = checks.event_type.name
        expected = ", ".join(sorted(checks.call_states))
        source = checks.also_documented.get(state)
        text = f"{name} with callState {state}: the event table expects {expected}; " + (
            f"matches documented contradiction {source}"
            if source
            else "no page of the reference documents it"
        )
        tally.observe(tally.warnings, (CALL_STATE, f"{name} {state}"), name, place, text)
        return [text]

    def drift(
        self, checks: EventChecks, message: dict[str, Any], place: Place, tally: Tally
    ) -> None:
        name = checks.event_type.name
        self.undeclared(checks.strict, message, name, place, tally)
        payload = next(iter(message.values()))
        if not isinstance(payload, dict):
            return
        for field, known in checks.open_lists.items():
            value = payload.get(field)
            if field in payload and isinstance(value, str | int) and value not in known:
                tally.observe(tally.drift, (NEW_VALUE, f"{field} {show(value)}"), name, place)
        attached = payload.get("attachedData")
        pairs = attached.get("attachedDatum") if isinstance(attached, dict) else None
        for pair in pairs if isinstance(pairs, list) else ():
            key = pair.get("attachedDataKey") if isinstance(pair, dict) else None
            value = pair.get("attachedDataValue") if isinstance(pair, dict) else None
            if not isinstance(key, str) or not isinstance(value, str | int | float):
                continue  # a malformed pair is a schema error, not drift
            validator = self.key_validators.get(key)
            if validator is None:
                tally.observe(tally.drift, (UNKNOWN_KEY, key), name, place)
            elif not validator.is_valid(value):
                found = json_type(value)
                tally.observe(tally.drift, (KEY_TYPE, f"{key} is {found}"), name, place)

    def undeclared(
        self,
        strict: jsonschema_rs.Validator,
        document: Any,
        name: str,
        place: Place,
        tally: Tally,
        prefix: str = "",
    ) -> None:
        for error in strict.iter_errors(document):
            if error.kind.name != "additionalProperties":
                continue
            where = _generalise(list(error.instance_path))
            for field in error.kind.as_dict()["unexpected"]:
                tally.observe(
                    tally.drift, (UNDECLARED_FIELD, f"{prefix}{where}/{field}"), name, place
                )

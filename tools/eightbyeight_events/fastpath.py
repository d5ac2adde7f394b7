"""The expected variant as msgspec types: parsing and checking a clean line in one pass.

Most lines of a capture are exactly as documented. For them, parsing the
JSON into Python objects and then walking those objects again with a
validator is double work; msgspec decodes the bytes straight into typed
structs and rejects anything the types do not allow while it parses. The
types are derived mechanically from the expected variant (see ``expected``)
and are never looser than it: a line msgspec accepts would pass the
expected variant, and any line it rejects simply takes the slow path, which
decides. Constructs msgspec cannot express exactly raise ``Unsupported``; the
event types that use one keep the jsonschema-rs check instead.

The one known place where msgspec is stricter than the schema: JSON Schema
counts an integral float (``0.0``) as an integer and msgspec does not. Such a
line takes the slow path, which reports it exactly as the fast path would
have; it is only slower.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

import msgspec

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.flatten import join, resolve
from eightbyeight_events.json_text import repeated_keys, surely_unique
from eightbyeight_events.schemas import Schema, SchemaSet

ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "$id", "$schema", "$defs"})
"""Keywords that constrain nothing ($defs holds definitions, used only through $ref)."""
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INT64 = Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]
"""An integer orjson reads exactly; a larger one is left to the slow path, which decides."""
NUMBER = Union[INT64, float]  # noqa: UP007
"""A JSON number, kept an int when it is written as one (a float type would turn 5 into 5.0)."""
SIMPLE = {"string": str, "integer": INT64, "number": NUMBER, "boolean": bool, "null": type(None)}


class Unsupported(Exception):
    """A schema construct that msgspec types cannot express exactly."""


def python_pattern(pattern: str) -> str:
    """``pattern`` with jsonschema-rs (ECMA-262) meaning under Python's ``re``.

    ``.`` excludes the four ECMA line terminators, and ``$`` matches only at
    the very end (Python's also matches before a final newline).
    """
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            out.append(char)
            in_class = char != "]"
        elif char == "[":
            out.append(char)
            in_class = True
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
        elif char == "$":
            out.append("\\Z")
        else:
            out.append(char)
    if escaped or in_class:
        raise Unsupported(f"pattern {pattern!r} is not complete")
    return "".join(out)


def _chain(schema: Any) -> list[tuple[list[str], Schema]] | None:
    """The (keys, value rules) of an attachedData if/then/else chain, ending in ``false``."""
    groups = []
    while schema is not False:
        if not isinstance(schema, dict) or set(schema) != {"if", "then", "else"}:
            return None
        condition = schema["if"].get("properties", {}).get("attachedDataKey", {})
        rules = schema["then"].get("properties", {}).get("attachedDataValue")
        if set(schema["if"]) != {"properties"} or set(condition) != {"enum"} or rules is None:
            return None
        groups.append((condition["enum"], rules))
        schema = schema["else"]
    return groups


PATTERN_MEMO = 50_000
"""Strings remembered per pattern as matching (identifiers repeat across an interaction)."""


@dataclass
class _Pattern:
    regex: re.Pattern[str]
    matched: dict[str, str]
    """value -> the marker-typed copy handed back to msgspec"""
    marker: type

    def accepts(self, value: str) -> str | None:
        """The marker-typed copy of ``value`` when it matches, else None; remembered."""
        known = self.matched.get(value)
        if known is not None:
            return known
        if self.regex.search(value) is None:
            return None
        if len(self.matched) >= PATTERN_MEMO:
            self.matched.clear()
        copy: str = self.marker(value)
        self.matched[value] = copy
        return copy


class TypeBuilder:
    """msgspec types from JSON Schemas, never looser than the schemas."""

    def __init__(self, expected: SchemaSet, floats: bool = True) -> None:
        self.schemas = expected
        self.floats = floats
        """whether a schema number reads a float too; without, only an integer (a message
        with a float is left to another reader)"""
        self.structs = 0
        self.by_ref: dict[str, tuple[Any, bool]] = {}
        """$ref target -> (its type, whether it holds an object of any content)"""
        self.loose = False
        """an object of any content was built (msgspec reads it with its own limits)"""
        self.patterns: dict[type, _Pattern] = {}
        self.pattern_types: dict[str, type] = {}
        self.deferred: dict[type, tuple[tuple[str, _Pattern], ...]] = {}
        """payload struct -> its fields typed ``str`` whose pattern is checked after decoding
        (a check in Python beats msgspec calling back into Python for every one)"""

    def pattern_type(self, pattern: str) -> type:
        """A marker type msgspec hands to ``dec_hook``, which checks the pattern."""
        if pattern not in self.pattern_types:
            marker = type(f"Pattern{len(self.pattern_types)}", (str,), {"pattern": pattern})
            self.pattern_types[pattern] = marker
            self.patterns[marker] = _Pattern(re.compile(python_pattern(pattern)), {}, marker)
        return self.pattern_types[pattern]

    def dec_hook(self, kind: type, value: Any) -> Any:
        """Checks a string against its pattern, remembering the strings that matched.

        Python's ``re`` is far slower than the rest of a decode, and the same
        identifiers come back in every event of an interaction.
        """
        pattern = self.patterns.get(kind)
        if pattern is None:
            raise NotImplementedError(kind)
        if value.__class__ is not str:
            raise TypeError("expected a string")
        known = pattern.accepts(value)
        if known is None:
            raise ValueError(f"does not match {kind.pattern}")  # type: ignore[attr-defined]
        return known

    def pattern_of(self, schema: Any, base: str) -> str | None:
        """The pattern of a schema that is exactly a string with a pattern (through $ref)."""
        while isinstance(schema, dict):
            rest = {key: value for key, value in schema.items() if key not in ANNOTATIONS}
            if set(rest) == {"$ref"}:
                base = join(base, rest["$ref"])
                schema = resolve(self.schemas, base)
                base = base.partition("#")[0]
            elif set(rest) == {"allOf"} and len(rest["allOf"]) == 1:
                schema = rest["allOf"][0]
            else:
                return (
                    rest["pattern"]
                    if set(rest) == {"type", "pattern"} and (rest["type"] == "string")
                    else None
                )
        return None

    def name(self, prefix: str) -> str:
        self.structs += 1
        return f"{prefix}{self.structs}"

    def type_of(self, schema: Any, base: str) -> Any:
        if not isinstance(schema, dict):
            raise Unsupported(f"boolean schema {schema!r}")
        schema = {key: value for key, value in schema.items() if key not in ANNOTATIONS}
        if set(schema) == {"$ref"}:
            target = join(base, schema["$ref"])
            found = self.by_ref.get(target)
            if found is None:  # built once: every event refers to the same shared definitions
                outer, self.loose = self.loose, False
                built = self.type_of(resolve(self.schemas, target), target.partition("#")[0])
                found = self.by_ref[target] = (built, self.loose)
                self.loose = outer
            self.loose = self.loose or found[1]
            return found[0]
        if "allOf" in schema and schema.get("type") != "object":
            parts = schema.pop("allOf")
            if len(parts) != 1 or schema:
                raise Unsupported(f"allOf beside other keywords: {sorted(schema)}")
            return self.type_of(parts[0], base)
        if "const" in schema:
            return self.literal([schema.pop("const")], schema)
        if "enum" in schema:
            return self.literal(schema.pop("enum"), schema)
        if "anyOf" in schema:
            branches = schema.pop("anyOf")
            if schema:
                raise Unsupported(f"anyOf beside other keywords: {sorted(schema)}")
            return self.union([self.type_of(branch, base) for branch in branches])
        kind = schema.pop("type", None)
        if isinstance(kind, list):
            if schema:
                raise Unsupported(f"a list of types with constraints: {sorted(schema)}")
            return self.union([self.simple(item) for item in kind])
        if kind == "string":
            pattern = schema.pop("pattern", None)
            if pattern is not None:
                self.no_more(schema)
                return self.pattern_type(pattern)
            shortest, longest = schema.pop("minLength", None), schema.pop("maxLength", None)
            self.no_more(schema)
            if shortest is None and longest is None:
                return str
            # msgspec counts a string's length in code points, as JSON Schema does
            return Annotated[str, msgspec.Meta(min_length=shortest, max_length=longest)]
        if kind == "integer":
            low, high = schema.pop("minimum", None), schema.pop("maximum", None)
            self.no_more(schema)
            if low is None and high is None:
                return INT64
            return Annotated[
                int,
                msgspec.Meta(
                    ge=INT64_MIN if low is None else max(low, INT64_MIN),
                    le=INT64_MAX if high is None else min(high, INT64_MAX),
                ),
            ]
        if kind in ("number", "boolean", "null"):
            self.no_more(schema)
            return self.simple(kind)
        if kind == "array":
            items = schema.pop("items", {})
            self.no_more(schema)
            return list[self.type_of(items, base)]  # type: ignore[misc]
        if kind == "object":
            return self.object(schema, base)
        raise Unsupported(f"schema without a type: {sorted(schema)}")

    def simple(self, kind: str) -> Any:
        return INT64 if kind == "number" and not self.floats else SIMPLE[kind]

    def no_more(self, schema: Schema) -> None:
        if schema:
            raise Unsupported(f"keywords msgspec cannot check: {sorted(schema)}")

    def literal(self, values: list[Any], rest: Schema) -> Any:
        rest.pop("type", None)  # every value is of the type already; Literal checks both
        self.no_more(rest)
        if not all(
            isinstance(value, str | int) and not isinstance(value, bool) for value in values
        ):
            raise Unsupported(f"literal values msgspec cannot match exactly: {values}")
        return Literal[tuple(values)]

    def union(self, members: list[Any]) -> Any:
        literals = [
            arg
            for member in members
            if getattr(member, "__origin__", None) is Literal
            for arg in member.__args__
        ]
        others = [
            member for member in members if getattr(member, "__origin__", None) is not Literal
        ]
        if literals:
            others.append(Literal[tuple(literals)])
        return Union[tuple(others)] if len(others) > 1 else others[0]  # noqa: UP007

    def object(
        self, schema: Schema, base: str, tag: tuple[str, str] | None = None, payload: bool = False
    ) -> Any:
        if schema.pop("type", "object") != "object":
            raise Unsupported("properties on a schema that is not an object")
        properties = schema.pop("properties", None)
        additional = schema.pop("additionalProperties", True)
        closed = additional is False
        required = set(schema.pop("required", ()))
        chain = _chain(schema.pop("allOf", [None])[0]) if "allOf" in schema else None
        self.no_more(schema)
        if isinstance(additional, dict):
            if properties is not None or required:
                raise Unsupported("additionalProperties with a schema beside properties")
            return dict[str, self.type_of(additional, base)]  # type: ignore[misc]
        if properties is None:
            if required:
                raise Unsupported("required names without properties")
            self.loose = True
            return dict[str, Any]
        if chain is not None:
            return self.tagged_pairs(properties, required, closed, chain, base)
        fields: list[tuple[Any, ...]] = []
        deferred: list[tuple[str, _Pattern]] = []
        for name, definition in properties.items():
            if tag is not None and name == tag[0]:
                continue
            pattern = self.pattern_of(definition, base) if payload else None
            if pattern is not None:
                kind: Any = str
                deferred.append((name, self.patterns[self.pattern_type(pattern)]))
            else:
                kind = self.type_of(definition, base)
            # An absent field reads None, as a decoded dict's ``get`` does; the type keeps
            # rejecting an explicit null wherever the schema does (msgspec never checks a
            # default against the type).
            fields.append((name, kind) if name in required else (name, kind, None))
        fields.sort(key=len)  # required fields (no default) first
        # written anew without the fields that were absent, to count its keys (unique_keys)
        options: dict[str, Any] = {
            "forbid_unknown_fields": closed,
            "gc": False,
            "omit_defaults": True,
        }
        if tag is not None:
            options.update(tag_field=tag[0], tag=tag[1])
        struct = msgspec.defstruct(tag[1] if tag else self.name("Object"), fields, **options)
        self.deferred[struct] = tuple(deferred)
        return struct

    def tagged_pairs(
        self,
        properties: Schema,
        required: set[str],
        closed: bool,
        chain: list[tuple[list[str], Schema]],
        base: str,
    ) -> Any:
        """One struct per catalogue key, told apart by ``attachedDataKey``."""
        if set(properties) != {"attachedDataKey", "attachedDataValue"} or required != set(
            properties
        ):
            raise Unsupported("an if/then/else chain on another object than an attached pair")
        if not closed:
            raise Unsupported("an open attached pair")
        allowed = set(properties["attachedDataValue"].get("type", []))
        if "number" in allowed:
            allowed.add("integer")  # every integer is a number
        pairs = []
        for keys, rules in chain:
            kinds = rules.get("type")
            if not set([kinds] if isinstance(kinds, str) else kinds or ["?"]) <= allowed:
                raise Unsupported(f"value rules {rules} reach beyond the pair's own types")
            value = self.type_of(rules, base)
            for key in keys:
                pairs.append(
                    msgspec.defstruct(
                        self.name("Pair"),
                        [("attachedDataValue", value)],
                        tag_field="attachedDataKey",
                        tag=key,
                        forbid_unknown_fields=True,
                        gc=False,
                    )
                )
        return Union[tuple(pairs)]  # noqa: UP007

    def payload(self, schema: Schema, base: str, event: str | None, name: str) -> Any:
        """An event payload: tagged by ``event`` when its wrapper carries several types."""
        flat = {key: value for key, value in schema.items() if key not in ANNOTATIONS}
        if event is None:
            if flat.get("type") == "object":
                return self.object(flat, base, payload=True)
            return self.type_of(flat, base)
        constant = flat.get("properties", {}).get("event", {}).get("const")
        if constant != event or "event" not in flat.get("required", ()):
            raise Unsupported(f"{name}: event is not a required constant")
        return self.object(flat, base, tag=("event", event), payload=True)


@dataclass(frozen=True)
class PayloadKind:
    """What a decoded payload class is, and the identifiers checked after decoding."""

    name: str
    """its event type"""
    deferred: tuple[tuple[str, _Pattern], ...]
    """the fields whose pattern is checked after decoding, each with its pattern"""


@dataclass(frozen=True)
class WrapperDecoder:
    """Decodes messages of one wrapper; says which event type an accepted one is."""

    decode: Callable[[bytes], Any]
    wrapper: str
    kinds: dict[type, PayloadKind]
    """payload class -> its event type and the fields whose pattern is checked after decoding"""
    loose: bool
    """some payload holds an object of any content, which msgspec reads with other limits
    (depth, number size) than orjson: a line it accepts is confirmed by the slow path's reader"""
    floatless: bool = False
    """no message it reads holds a float (see ``unique_keys``)"""

    def read(self, raw: bytes) -> tuple[str, Any] | None:
        """(event type, payload) of a message these types accept; None for any other."""
        try:
            message = self.decode(raw)
        except (msgspec.DecodeError, ValueError, RecursionError):
            return None  # what msgspec rejects, or cannot read, the full look explains
        payload = getattr(message, self.wrapper)
        kind = self.kinds[payload.__class__]
        for field, pattern in kind.deferred:
            value = getattr(payload, field)
            if value in pattern.matched:  # identifiers recur: most are known already
                continue
            if value.__class__ is str and pattern.accepts(value) is None:
                return None
        if not unique_keys(raw, message, self.floatless):
            return None  # the full look names the key
        return kind.name, payload


def unique_keys(raw: bytes, read: Any, floatless: bool) -> bool:
    """Whether no object of ``raw`` repeats a key, given what msgspec read from it (structs
    that leave out the fields that were absent): sure at once for nearly every text.

    Written anew, a message that holds no float is never longer than its text: msgspec
    writes every other value in as few bytes as JSON allows (an integer as its digits, a
    string with only the escapes JSON requires, no space) and leaves out what was absent or
    null, while a repeated key adds at least five bytes (``"":0,``). So for a ``floatless``
    reader, the same length is proof; a float may be written longer than it came
    (``1e5`` as ``100000.0``), and then the quotes are counted."""
    again = _WRITE(read)
    if floatless and len(raw) == len(again):
        return True
    return surely_unique(raw, again) or not repeated_keys(raw)


_WRITE = msgspec.json.Encoder(enc_hook=str).encode
"""Writes a decoded message anew; ``str`` writes the string types that check a pattern."""


def _answer_none(payloads: list[Any]) -> None:
    """Every payload struct reads None for the payload fields of other event types it does
    not declare, as a decoded dict's ``get`` does, so that readers of many event types (the
    stream checks) take them all with one ``attrgetter`` instead of a ``getattr`` each."""
    structs = [
        kind for kind in payloads if isinstance(kind, type) and issubclass(kind, msgspec.Struct)
    ]
    names = {name for kind in structs for name in kind.__struct_fields__}
    for kind in structs:
        for name in names.difference(kind.__struct_fields__):
            setattr(kind, name, None)


def _origin(kind: Any) -> Any:
    return getattr(kind, "__origin__", None)


def decoders(
    expected: SchemaSet, floats: bool = True
) -> tuple[dict[bytes, WrapperDecoder], list[str]]:
    """A decoder per wrapper, keyed by the wrapper's name as bytes, and the event types left
    to the jsonschema-rs check (with why); without ``floats``, a message holding a float is
    left to another reader."""
    builder = TypeBuilder(expected, floats)
    families: dict[str, list[tuple[str, Any]]] = {}
    left_out: list[str] = []
    failed: set[str] = set()
    loose: set[str] = set()
    for event_type in event_types(expected):
        builder.loose = False
        uri = expected.uri(event_type.schema_path)
        payload = expected.documents[uri]["$defs"][event_type.name]
        try:
            built = builder.payload(payload, uri, event_type.event, event_type.name)
        except Unsupported as reason:
            left_out.append(f"{event_type.name}: {reason}")
            failed.add(event_type.wrapper)
            continue
        families.setdefault(event_type.wrapper, []).append((event_type.name, built))
        if builder.loose:
            loose.add(event_type.wrapper)
    _answer_none([kind for members in families.values() for _, kind in members])
    found = {}
    for wrapper, members in families.items():
        if wrapper in failed:  # a wrapper is decoded whole or not at all
            continue
        kinds = [kind for _, kind in members]
        payload_type = Union[tuple(kinds)] if len(kinds) > 1 else kinds[0]  # noqa: UP007
        message = msgspec.defstruct(
            f"{wrapper}Message", [(wrapper, payload_type)], forbid_unknown_fields=True, gc=False
        )
        by_class = {
            (dict if _origin(kind) is dict else kind): PayloadKind(
                name, builder.deferred.get(kind, ())
            )
            for name, kind in members
        }
        decoder = msgspec.json.Decoder(message, dec_hook=builder.dec_hook)
        mixed = wrapper in loose  # an object of any content may hold a float
        found[wrapper.encode()] = WrapperDecoder(
            decoder.decode, wrapper, by_class, mixed, floatless=not floats and not mixed
        )
    return found, left_out

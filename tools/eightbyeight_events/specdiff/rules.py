"""The rules a change's kind is read by: each takes the OLD and the NEW value of one keyword
(or the schemas around it) and names the kind, so that the same rule read the other way
names the inverse."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from eightbyeight_events.readers import UsageError
from eightbyeight_events.specdiff.places import Loc, Obj, canonical, unit_of

ANNOTATIONS = {
    "title": "TITLE_CHANGED",
    "description": "DESCRIPTION_CHANGED",
    "default": "DEFAULT_CHANGED",
    "examples": "EXAMPLES_CHANGED",
    "$id": "ID_CHANGED",
}
"""Keywords that change no verdict; ``examples`` holds an open list's known values."""


UPPER_BOUNDS = {
    "maxLength": "MAX_LENGTH",
    "maximum": "MAXIMUM",
    "exclusiveMaximum": "EXCLUSIVE_MAXIMUM",
    "maxProperties": "MAX_PROPERTIES",
    "maxItems": "MAX_ITEMS",
    "maxContains": "MAX_CONTAINS",
}


LOWER_BOUNDS = {
    "minLength": "MIN_LENGTH",
    "minimum": "MINIMUM",
    "exclusiveMinimum": "EXCLUSIVE_MINIMUM",
    "minProperties": "MIN_PROPERTIES",
    "minItems": "MIN_ITEMS",
    "minContains": "MIN_CONTAINS",
}


COMBINATORS = ("allOf", "anyOf", "oneOf")


NOT_VALIDATING = {"$defs", "definitions", "$schema", "$comment", "$id", "$anchor", *ANNOTATIONS}


EVERY_TYPE = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})


def is_true(schema: Any) -> bool:
    return schema is True or schema == {}


def has_default(schema: Any) -> bool:
    return isinstance(schema, dict) and "default" in schema


def requiring(schema: Any) -> str:
    """The kind of a name becoming required: with a default, a reader can fill it in."""
    if has_default(schema):
        return "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
    return "REQUIRED_ATTRIBUTE_ADDED"


def listed_values(schema: Obj) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return list(enum) if isinstance(enum, list) else None


def accepted_types(declared: Any) -> frozenset[str]:
    if declared is None:
        return EVERY_TYPE
    names = {declared} if isinstance(declared, str) else set(declared)
    if "number" in names:
        names.add("integer")
    return frozenset(names)


def set_kind(
    prefix: str, before: set[str] | frozenset[str], after: set[str] | frozenset[str]
) -> str:
    if before < after:
        return f"{prefix}_EXTENDED"
    if after < before:
        return f"{prefix}_NARROWED"
    return f"{prefix}_CHANGED"


def bound_kind(prefix: str, before: Any, after: Any) -> str:
    if before is None:
        return f"{prefix}_ADDED"
    if after is None:
        return f"{prefix}_REMOVED"
    return f"{prefix}_INCREASED" if after > before else f"{prefix}_DECREASED"


def multiple_kind(before: Any, after: Any) -> str:
    if before is None:
        return "MULTIPLE_OF_ADDED"
    if after is None:
        return "MULTIPLE_OF_REMOVED"
    old, new = Fraction(str(before)), Fraction(str(after))
    if (new / old).denominator == 1:
        return "MULTIPLE_OF_EXPANDED"
    if (old / new).denominator == 1:
        return "MULTIPLE_OF_REDUCED"
    return "MULTIPLE_OF_CHANGED"


def keyword_kind(prefix: str, before: Any, after: Any) -> str:
    if before is None:
        return f"{prefix}_ADDED"
    return f"{prefix}_REMOVED" if after is None else f"{prefix}_CHANGED"


def criterion_kind(before: str, after: str, old: list[Any], new: list[Any]) -> str:
    """Confluent's rule: to anyOf widens; to oneOf only from a single subschema; to allOf
    only between single subschemas."""
    if after == "anyOf":
        return "COMBINED_TYPE_EXTENDED"
    if after == "oneOf":
        return "COMBINED_TYPE_EXTENDED" if len(old) == 1 else "COMBINED_TYPE_CHANGED"
    if len(old) == 1 and len(new) == 1:
        return "COMBINED_TYPE_EXTENDED"
    return "COMBINED_TYPE_CHANGED"


def bare_union(schema: Obj) -> str | None:
    """``anyOf`` or ``oneOf`` when the schema asks nothing else of a value."""
    validating = [key for key in schema if key not in NOT_VALIDATING]
    if len(validating) == 1 and validating[0] in ("anyOf", "oneOf"):
        return validating[0]
    return None


def without(schema: Obj, keyword: str) -> Obj:
    return {key: value for key, value in schema.items() if key != keyword}


def number(schema: Obj, keyword: str, loc: Loc) -> Any:
    value = schema.get(keyword)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise UsageError(f"{loc[0]}: {keyword} at {unit_of(loc)} is not a number")
    return value


def is_open(schema: Obj, name: str) -> bool:
    """Would this object have taken any value under ``name``? Confluent's open content model
    (no additional or unevaluated property schema, no pattern properties), and here also
    ``propertyNames`` that did not rule the name out."""
    if schema.get("patternProperties"):
        return False
    if not (
        is_true(schema.get("additionalProperties", True))
        and is_true(schema.get("unevaluatedProperties", True))
    ):
        return False
    names = schema.get("propertyNames")
    allowed = listed_values(names) if isinstance(names, dict) else None
    return allowed is None or name in allowed


def partial_holder(schema: Obj, name: str) -> tuple[Any, tuple[str, ...]] | None:
    """The schema a partially open object holds a property it does not declare to."""
    for pattern, inner in (schema.get("patternProperties") or {}).items():
        if re.search(pattern, name):
            return inner, ("patternProperties", pattern)
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        inner = schema.get(keyword)
        if isinstance(inner, dict) and inner:
            return inner, (keyword,)
    return None


def short_name(schema: Any) -> str:
    if isinstance(schema, dict):
        for keyword in ("$ref", "title"):
            if isinstance(schema.get(keyword), str):
                return str(schema[keyword])
    return canonical(schema)[:60]

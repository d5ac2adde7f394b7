"""Every change kind of ``8x8-events diff``, both ways, on small schemas, with its classes
checked against Confluent Schema Registry's documented JSON Schema rules.

Each case is a pair of schemas, the kind expected where they differ, and the classes
Confluent gives it: BACKWARD is whether the kind is in Confluent's compatible set,
FORWARD is that of the kind the reverse comparison reports. Each case runs both ways:
NEW against OLD must report the inverse, with the two classes swapped.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from eightbyeight_events.specdiff.judge import Report, diff_specs
from eightbyeight_events.specdiff.kinds import KINDS
from eightbyeight_events.specdiff.sources import SINGLE, Spec

# Confluent's compatible sets, as SchemaDiff.java (json-schema-provider) lists them: the
# names are the checker's, written down here so the table in kinds.py is checked against
# them rather than against itself.
CONFLUENT_STRICT = {
    "ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED",
    "SCHEMA_REMOVED", "TYPE_EXTENDED", "MAX_LENGTH_INCREASED", "MAX_LENGTH_REMOVED",
    "MIN_LENGTH_DECREASED", "MIN_LENGTH_REMOVED", "PATTERN_REMOVED", "MAXIMUM_INCREASED",
    "MAXIMUM_REMOVED", "MINIMUM_DECREASED", "MINIMUM_REMOVED", "EXCLUSIVE_MAXIMUM_INCREASED",
    "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MINIMUM_DECREASED", "EXCLUSIVE_MINIMUM_REMOVED",
    "MULTIPLE_OF_REDUCED", "MULTIPLE_OF_REMOVED", "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
    "REQUIRED_ATTRIBUTE_REMOVED", "DEPENDENCY_ARRAY_NARROWED", "DEPENDENCY_ARRAY_REMOVED",
    "DEPENDENCY_SCHEMA_REMOVED", "MAX_PROPERTIES_INCREASED", "MAX_PROPERTIES_REMOVED",
    "MIN_PROPERTIES_DECREASED", "MIN_PROPERTIES_REMOVED", "ADDITIONAL_PROPERTIES_ADDED",
    "ADDITIONAL_PROPERTIES_EXTENDED", "UNEVALUATED_PROPERTIES_ADDED",
    "UNEVALUATED_PROPERTIES_EXTENDED", "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "MAX_ITEMS_INCREASED",
    "MAX_ITEMS_REMOVED", "MIN_ITEMS_DECREASED", "MIN_ITEMS_REMOVED", "MAX_CONTAINS_INCREASED",
    "MAX_CONTAINS_REMOVED", "MIN_CONTAINS_DECREASED", "MIN_CONTAINS_REMOVED",
    "UNIQUE_ITEMS_REMOVED", "ADDITIONAL_ITEMS_ADDED", "ADDITIONAL_ITEMS_EXTENDED",
    "UNEVALUATED_ITEMS_ADDED", "UNEVALUATED_ITEMS_EXTENDED",
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "ENUM_ARRAY_EXTENDED",
    "COMBINED_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED", "SUM_TYPE_EXTENDED", "NOT_TYPE_NARROWED",
}  # fmt: skip
OPEN_ADDITIONS = {
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
}
"""What ``--policy lenient`` adds to the strict set: additions to an open content model."""
CONFLUENT_LENIENT = CONFLUENT_STRICT | {
    "ADDITIONAL_PROPERTIES_NARROWED", "ADDITIONAL_PROPERTIES_REMOVED",
    "UNEVALUATED_PROPERTIES_NARROWED", "UNEVALUATED_PROPERTIES_REMOVED",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
}  # fmt: skip

S: dict[str, Any] = {"type": "string"}
N: dict[str, Any] = {"type": "integer"}


def obj(**extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"a": S}, **extra}


def tup(*items: Any, rest: Any = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "prefixItems": list(items)}
    if rest is not None:
        schema["items"] = rest
    return schema


def bounds(keyword: str, prefix: str, upper: bool, low: int, high: int) -> list[Any]:
    """The four changes of a bound; an upper bound may grow or go, a lower one shrink or go."""
    return [
        (f"{prefix}_ADDED", {}, {keyword: low}, f"/{keyword}", False, True),
        (f"{prefix}_REMOVED", {keyword: low}, {}, f"/{keyword}", True, False),
        (f"{prefix}_INCREASED", {keyword: low}, {keyword: high}, f"/{keyword}", upper, not upper),
        (f"{prefix}_DECREASED", {keyword: high}, {keyword: low}, f"/{keyword}", not upper, upper),
    ]


# (kind, OLD, NEW, pointer below the file, BACKWARD, FORWARD) under Confluent's strict rules
CASES: list[tuple[str, Any, Any, str, bool, bool]] = [
    ("DESCRIPTION_CHANGED", {"description": "a"}, {"description": "b"}, "/description", True, True),
    ("TITLE_CHANGED", {"title": "A"}, {"title": "B"}, "/title", True, True),
    ("DEFAULT_CHANGED", {"default": 1}, {"default": 2}, "/default", True, True),
    ("EXAMPLES_CHANGED", {"examples": ["a"]}, {"examples": ["a", "b"]}, "/examples", True, True),
    ("ID_CHANGED", {"$id": "urn:a"}, {"$id": "urn:b"}, "/$id", True, True),
    ("TYPE_EXTENDED", N, {"type": "number"}, "/type", True, False),
    ("TYPE_NARROWED", {"type": ["string", "null"]}, S, "/type", False, True),
    ("TYPE_CHANGED", S, N, "/type", False, False),
    *bounds("maxLength", "MAX_LENGTH", True, 2, 5),
    *bounds("minLength", "MIN_LENGTH", False, 2, 5),
    *bounds("maximum", "MAXIMUM", True, 2, 5),
    *bounds("minimum", "MINIMUM", False, 2, 5),
    *bounds("exclusiveMaximum", "EXCLUSIVE_MAXIMUM", True, 2, 5),
    *bounds("exclusiveMinimum", "EXCLUSIVE_MINIMUM", False, 2, 5),
    *bounds("maxProperties", "MAX_PROPERTIES", True, 2, 5),
    *bounds("minProperties", "MIN_PROPERTIES", False, 2, 5),
    *bounds("maxItems", "MAX_ITEMS", True, 2, 5),
    *bounds("minItems", "MIN_ITEMS", False, 2, 5),
    *bounds("maxContains", "MAX_CONTAINS", True, 2, 5),
    *bounds("minContains", "MIN_CONTAINS", False, 2, 5),
    ("PATTERN_ADDED", S, {**S, "pattern": "^a"}, "/pattern", False, True),
    ("PATTERN_REMOVED", {**S, "pattern": "^a"}, S, "/pattern", True, False),
    ("PATTERN_CHANGED", {**S, "pattern": "^a"}, {**S, "pattern": "^b"}, "/pattern", False, False),
    ("FORMAT_ADDED", S, {**S, "format": "uuid"}, "/format", False, True),
    ("FORMAT_REMOVED", {**S, "format": "uuid"}, S, "/format", True, False),
    ("FORMAT_CHANGED", {**S, "format": "uuid"}, {**S, "format": "email"}, "/format", False, False),
    ("MULTIPLE_OF_ADDED", {}, {"multipleOf": 2}, "/multipleOf", False, True),
    ("MULTIPLE_OF_REMOVED", {"multipleOf": 2}, {}, "/multipleOf", True, False),
    ("MULTIPLE_OF_EXPANDED", {"multipleOf": 2}, {"multipleOf": 4}, "/multipleOf", False, True),
    ("MULTIPLE_OF_REDUCED", {"multipleOf": 4}, {"multipleOf": 2}, "/multipleOf", True, False),
    ("MULTIPLE_OF_CHANGED", {"multipleOf": 2}, {"multipleOf": 3}, "/multipleOf", False, False),
    ("REQUIRED_ATTRIBUTE_ADDED", obj(), obj(required=["a"]), "/required", False, True),
    ("REQUIRED_ATTRIBUTE_REMOVED", obj(required=["a"]), obj(), "/required", True, False),
    (
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        {"properties": {"a": {"default": "x"}}},
        {"properties": {"a": {"default": "x"}}, "required": ["a"]},
        "/required",
        True,
        True,
    ),
    ("ADDITIONAL_PROPERTIES_ADDED", obj(additionalProperties=False), obj(), "/additionalProperties", True, False),
    ("ADDITIONAL_PROPERTIES_REMOVED", obj(), obj(additionalProperties=False), "/additionalProperties", False, True),
    ("ADDITIONAL_PROPERTIES_EXTENDED", obj(additionalProperties=N), obj(), "/additionalProperties", True, False),
    ("ADDITIONAL_PROPERTIES_NARROWED", obj(), obj(additionalProperties=N), "/additionalProperties", False, True),
    ("UNEVALUATED_PROPERTIES_ADDED", obj(unevaluatedProperties=False), obj(), "/unevaluatedProperties", True, False),
    ("UNEVALUATED_PROPERTIES_REMOVED", obj(), obj(unevaluatedProperties=False), "/unevaluatedProperties", False, True),
    ("UNEVALUATED_PROPERTIES_EXTENDED", obj(unevaluatedProperties=N), obj(), "/unevaluatedProperties", True, False),
    ("UNEVALUATED_PROPERTIES_NARROWED", obj(), obj(unevaluatedProperties=N), "/unevaluatedProperties", False, True),
    ("PATTERN_PROPERTY_ADDED", obj(), obj(patternProperties={"^x": N}), "/patternProperties/^x", False, True),
    ("PATTERN_PROPERTY_REMOVED", obj(patternProperties={"^x": N}), obj(), "/patternProperties/^x", True, False),
    ("DEPENDENCY_ARRAY_ADDED", obj(), obj(dependentRequired={"a": ["b"]}), "/dependentRequired/a", False, True),
    ("DEPENDENCY_ARRAY_REMOVED", obj(dependentRequired={"a": ["b"]}), obj(), "/dependentRequired/a", True, False),
    ("DEPENDENCY_ARRAY_EXTENDED", obj(dependentRequired={"a": ["b"]}), obj(dependentRequired={"a": ["b", "c"]}), "/dependentRequired/a", False, True),
    ("DEPENDENCY_ARRAY_NARROWED", obj(dependentRequired={"a": ["b", "c"]}), obj(dependentRequired={"a": ["b"]}), "/dependentRequired/a", True, False),
    ("DEPENDENCY_ARRAY_CHANGED", obj(dependentRequired={"a": ["b"]}), obj(dependentRequired={"a": ["c"]}), "/dependentRequired/a", False, False),
    ("DEPENDENCY_SCHEMA_ADDED", obj(), obj(dependentSchemas={"a": {"required": ["b"]}}), "/dependentSchemas/a", False, True),
    ("DEPENDENCY_SCHEMA_REMOVED", obj(dependentSchemas={"a": {"required": ["b"]}}), obj(), "/dependentSchemas/a", True, False),
    # the content models: open (anything goes for an undeclared name), closed, partially open
    ("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", {"properties": {}}, {"properties": {"b": N}}, "/properties/b", False, True),
    ("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", {"properties": {}}, {"properties": {"b": N}, "required": ["b"]}, "/properties/b", False, True),
    ("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", {"properties": {}}, {"properties": {"b": {**N, "default": 1}}, "required": ["b"]}, "/properties/b", False, True),
    ("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", {"properties": {}}, {"properties": {"b": {}}}, "/properties/b", True, True),
    ("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", {"properties": {"b": N}}, {"properties": {}}, "/properties/b", True, False),
    ("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", obj(additionalProperties=False), {**obj(additionalProperties=False), "properties": {"a": S, "b": N}}, "/properties/b", True, False),
    ("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", obj(additionalProperties=False), {**obj(additionalProperties=False), "properties": {"a": S, "b": N}, "required": ["b"]}, "/properties/b", False, False),
    ("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", obj(additionalProperties=False), {**obj(additionalProperties=False), "properties": {"a": S, "b": {**N, "default": 1}}, "required": ["b"]}, "/properties/b", True, False),
    ("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", {"properties": {"b": N}, "additionalProperties": False}, {"properties": {}, "additionalProperties": False}, "/properties/b", False, True),
    ("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", {"properties": {"b": False}, "additionalProperties": False}, {"properties": {}, "additionalProperties": False}, "/properties/b", True, True),
    ("PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", {"properties": {}, "additionalProperties": S}, {"properties": {"b": {"type": ["string", "null"]}}, "additionalProperties": S}, "/properties/b", True, False),
    ("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", {"properties": {}, "additionalProperties": S}, {"properties": {"b": N}, "additionalProperties": S}, "/properties/b", False, False),
    ("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", {"properties": {"b": S}, "patternProperties": {"^b": S}}, {"properties": {}, "patternProperties": {"^b": S}}, "/properties/b", True, True),
    ("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", {"properties": {"b": N}, "additionalProperties": S}, {"properties": {}, "additionalProperties": S}, "/properties/b", False, False),
    # a name propertyNames ruled out was never open: declaring it narrows nothing
    ("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", {"properties": {}, "propertyNames": {"enum": ["a"]}}, {"properties": {"b": N}, "propertyNames": {"enum": ["a"]}}, "/properties/b", True, False),
    ("UNIQUE_ITEMS_ADDED", {"type": "array"}, {"type": "array", "uniqueItems": True}, "/uniqueItems", False, True),
    ("UNIQUE_ITEMS_REMOVED", {"type": "array", "uniqueItems": True}, {"type": "array"}, "/uniqueItems", True, False),
    ("ADDITIONAL_ITEMS_ADDED", tup(S, rest=False), tup(S), "/items", True, False),
    ("ADDITIONAL_ITEMS_REMOVED", tup(S), tup(S, rest=False), "/items", False, True),
    ("ADDITIONAL_ITEMS_EXTENDED", tup(S, rest=N), tup(S), "/items", True, False),
    ("ADDITIONAL_ITEMS_NARROWED", tup(S), tup(S, rest=N), "/items", False, True),
    ("UNEVALUATED_ITEMS_ADDED", {"unevaluatedItems": False}, {}, "/unevaluatedItems", True, False),
    ("UNEVALUATED_ITEMS_REMOVED", {}, {"unevaluatedItems": False}, "/unevaluatedItems", False, True),
    ("UNEVALUATED_ITEMS_EXTENDED", {"unevaluatedItems": N}, {}, "/unevaluatedItems", True, False),
    ("UNEVALUATED_ITEMS_NARROWED", {}, {"unevaluatedItems": N}, "/unevaluatedItems", False, True),
    ("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", tup(S), tup(S, N), "/prefixItems/1", False, True),
    ("ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", tup(S), tup(S, {}), "/prefixItems/1", True, True),
    ("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", tup(S, N), tup(S), "/prefixItems/1", True, False),
    ("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", tup(S, rest=False), tup(S, N, rest=False), "/prefixItems/1", True, False),
    ("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", tup(S, N, rest=False), tup(S, rest=False), "/prefixItems/1", False, True),
    ("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", tup(S, False, rest=False), tup(S, rest=False), "/prefixItems/1", True, True),
    ("ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", tup(S, rest=S), tup(S, S, rest=S), "/prefixItems/1", True, True),
    ("ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", tup(S, rest=S), tup(S, N, rest=S), "/prefixItems/1", False, False),
    ("ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", tup(S, S, rest=S), tup(S, rest=S), "/prefixItems/1", True, True),
    ("ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", tup(S, N, rest=S), tup(S, rest=S), "/prefixItems/1", False, False),
    ("ENUM_ARRAY_EXTENDED", {"enum": ["a"]}, {"enum": ["a", "b"]}, "/enum", True, False),
    ("ENUM_ARRAY_NARROWED", {"enum": ["a", "b"]}, {"enum": ["a"]}, "/enum", False, True),
    ("ENUM_ARRAY_CHANGED", {"enum": ["a"]}, {"enum": ["b"]}, "/enum", False, False),
    ("ENUM_ARRAY_CHANGED", {"const": "a"}, {"const": "b"}, "/const", False, False),
    # an open list (known values under examples) turned into a closed one
    ("ENUM_ARRAY_NARROWED", {**S, "examples": ["a"]}, {**S, "examples": ["a"], "enum": ["a"]}, "/enum", False, True),
    ("COMBINED_TYPE_EXTENDED", {"allOf": [S, {"maxLength": 3}]}, {"anyOf": [S, {"maxLength": 3}]}, "/anyOf", True, False),
    ("COMBINED_TYPE_CHANGED", {"anyOf": [S, N]}, {"oneOf": [S, N]}, "/oneOf", False, True),
    ("PRODUCT_TYPE_EXTENDED", {"allOf": [S]}, {"allOf": [S, {"maxLength": 3}]}, "/allOf/1", False, True),
    ("PRODUCT_TYPE_NARROWED", {"allOf": [S, {"maxLength": 3}]}, {"allOf": [S]}, "/allOf/1", True, False),
    ("SUM_TYPE_EXTENDED", {"anyOf": [S]}, {"anyOf": [S, N]}, "/anyOf/1", True, False),
    ("SUM_TYPE_NARROWED", {"oneOf": [S, N]}, {"oneOf": [S]}, "/oneOf/1", False, True),
    # a plain schema becoming one of several forms: the old form is among them
    ("SUM_TYPE_EXTENDED", S, {"anyOf": [S, N]}, "/anyOf", True, False),
    ("PRODUCT_TYPE_EXTENDED", {}, {"if": {"required": ["a"]}, "then": {"required": ["b"]}}, "/if", False, True),
    ("COMBINED_TYPE_CHANGED", {"if": {"required": ["a"]}, "then": N}, {"if": {"required": ["c"]}, "then": N}, "/if", False, False),
    ("NOT_TYPE_EXTENDED", {"not": {"enum": ["a"]}}, {"not": {"enum": ["a", "b"]}}, "/not", False, True),
    ("NOT_TYPE_NARROWED", {"not": {"enum": ["a", "b"]}}, {"not": {"enum": ["a"]}}, "/not", True, False),
]  # fmt: skip


def lone(schema: Any, label: str) -> Spec:
    return Spec(label, {SINGLE: schema})


def run(old: Any, new: Any, policy: str = "strict") -> Report:
    return diff_specs(lone(old, "old.json"), lone(new, "new.json"), policy)  # type: ignore[arg-type]


def test_the_table_of_kinds_agrees_with_confluents_compatible_sets() -> None:
    for kind in KINDS.values():
        if kind.ours:
            continue
        assert kind.compatible == (kind.name in CONFLUENT_STRICT), kind.name
        lenient = kind.name in CONFLUENT_STRICT | OPEN_ADDITIONS
        assert kind.compatible_under("lenient") == lenient, kind.name
    # our lenient set is within Confluent's, which also lets an object close
    assert OPEN_ADDITIONS < CONFLUENT_LENIENT - CONFLUENT_STRICT
    # ours are named only where Confluent's checker has no name for the change
    assert {k.name for k in KINDS.values() if k.ours} == {
        "EXAMPLES_CHANGED", "FORMAT_ADDED", "FORMAT_REMOVED", "FORMAT_CHANGED",
        "PATTERN_PROPERTY_ADDED", "PATTERN_PROPERTY_REMOVED",
        "DEFINITION_ADDED", "DEFINITION_REMOVED",
    }  # fmt: skip


def test_every_kind_has_a_case() -> None:
    covered = {case[0] for case in CASES} | {"DEFINITION_ADDED", "DEFINITION_REMOVED"}
    assert set(KINDS) - covered == set()


@pytest.mark.parametrize(
    ("kind", "old", "new", "pointer", "backward", "forward"),
    CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)],
)
def test_each_kind_both_ways(
    kind: str, old: Any, new: Any, pointer: str, backward: bool, forward: bool
) -> None:
    report = run(old, new)
    found = [f for f in report.findings if f.change.kind == kind]
    assert found, [f.change.kind for f in report.findings]
    (finding,) = found
    assert finding.change.pointer == SINGLE + "#" + pointer
    assert (finding.backward, finding.forward) == (backward, forward)
    assert (
        finding.message.endswith(".") and "`" in finding.message
    ) or "event type" in finding.message
    # the other way round: the inverse kind, with the classes swapped
    reverse = run(new, old)
    back = [f for f in reverse.findings if f.change.kind == finding.change.inverse]
    assert back, (finding.change.inverse, [f.change.kind for f in reverse.findings])
    assert (back[0].backward, back[0].forward) == (forward, backward)
    assert Counter(f.change.kind for f in reverse.findings) == Counter(
        f.change.inverse for f in report.findings
    )
    assert report.backward == all(f.backward for f in report.findings)


def test_an_unchanged_schema_has_no_change_and_needs_no_version() -> None:
    for _, old, _, _, _, _ in CASES:
        report = run(old, old)
        assert report.findings == ()
        assert (report.bump, report.full) == ("none", True)


@pytest.mark.parametrize(
    ("kind", "strict", "lenient"),
    [
        ("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "major", "minor"),
        ("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", "major", "minor"),
        ("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", "major", "major"),
        ("ADDITIONAL_PROPERTIES_REMOVED", "major", "major"),
        ("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "major", "major"),
        ("ENUM_ARRAY_NARROWED", "major", "major"),
        ("DESCRIPTION_CHANGED", "patch", "patch"),
        ("ENUM_ARRAY_EXTENDED", "minor", "minor"),
    ],
)
def test_the_policy_decides_how_content_model_changes_count(
    kind: str, strict: str, lenient: str
) -> None:
    old, new = next((case[1], case[2]) for case in CASES if case[0] == kind)
    assert (run(old, new, "strict").bump, run(old, new, "lenient").bump) == (strict, lenient)

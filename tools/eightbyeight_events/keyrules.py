"""The attachedData catalogue's value rules as plain Python checks.

Whether a known key's value has the documented type is asked of every pair
of every valid message, on the fast path as well as in the full look, so
both ask this one table. The rules are simple (a JSON type, an enum, a
pattern); a key whose rules hold anything else keeps a jsonschema-rs check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from eightbyeight_events.codes import ATTACHED_DATA
from eightbyeight_events.expected import attached_data_groups
from eightbyeight_events.fastpath import python_pattern
from eightbyeight_events.schemas import Schema, SchemaSet
from eightbyeight_events.walk import json_pointer

Check = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class KeyRule:
    """How to tell whether a value follows one key's documented rules, quickly: a value of
    one of ``passes`` (its exact class) does; any other is asked of ``check``."""

    passes: frozenset[type]
    check: Check


_TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    ),
}
_CLASSES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "boolean": frozenset({bool}),
    "number": frozenset({int, float}),
    "integer": frozenset({int}),  # an integral float passes too, through the full check
}


def _never(value: Any) -> bool:
    return False


def _plain_rule(rules: Schema) -> KeyRule | None:
    """A rule equal to ``rules`` under JSON Schema, or None when they hold more than a type,
    an enum and a pattern."""
    if set(rules) - {"type", "enum", "pattern"} or "type" not in rules:
        return None
    kinds = [rules["type"]] if isinstance(rules["type"], str) else list(rules["type"])
    if not set(kinds) <= set(_TYPES):
        return None
    types = [_TYPES[kind] for kind in kinds]
    allowed = rules.get("enum")
    if allowed is not None and not all(isinstance(item, str) for item in allowed):
        return None
    pattern = re.compile(python_pattern(rules["pattern"])) if "pattern" in rules else None
    if allowed is None and pattern is None:
        passes = frozenset().union(*(_CLASSES[kind] for kind in kinds))
        if "integer" not in kinds:
            return KeyRule(passes, _never)
        return KeyRule(passes, lambda value: any(is_type(value) for is_type in types))

    def check(value: Any) -> bool:
        if not any(is_type(value) for is_type in types):
            return False
        if allowed is not None and value not in allowed:
            return False
        return pattern is None or not isinstance(value, str) or pattern.search(value) is not None

    return KeyRule(frozenset(), check)


def key_rules(schemas: SchemaSet) -> dict[str, KeyRule]:
    """Catalogue key -> how to tell whether a value follows the key's documented rules."""
    base = schemas.uri(ATTACHED_DATA)
    found: dict[str, KeyRule] = {}
    for keys, rules in attached_data_groups(schemas):
        rule = _plain_rule(rules)
        if rule is None:  # the keys of a group share their rules: one validator serves all
            pointer = json_pointer(["$defs", "catalogue", "properties", keys[0]])
            validator = jsonschema_rs.validator_for(
                {"$ref": f"{base}#{pointer}"},
                registry=schemas.rs_registry,
                offline=True,
                validate_formats=True,
            )
            rule = KeyRule(frozenset(), validator.is_valid)
        found.update(dict.fromkeys(keys, rule))
    return found

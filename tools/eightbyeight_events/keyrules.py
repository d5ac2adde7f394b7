"""The attachedData catalogue's value rules as plain Python checks.

Whether a known key's value has the documented type is asked of every pair
of every valid message, on the fast path as well as in the full look, so
both ask this one table. The rules are simple (a JSON type, an enum, a
pattern); a key whose rules hold anything else keeps a jsonschema-rs check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jsonschema_rs

from eightbyeight_events.codes import ATTACHED_DATA
from eightbyeight_events.expected import attached_data_groups
from eightbyeight_events.fastpath import python_pattern
from eightbyeight_events.schemas import Schema, SchemaSet
from eightbyeight_events.walk import json_pointer

Check = Callable[[Any], bool]

_TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    ),
}


def _plain_check(rules: Schema) -> Check | None:
    """A check equal to ``rules`` under JSON Schema, or None when they hold more than
    a type, an enum and a pattern."""
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

    def check(value: Any) -> bool:
        if not any(is_type(value) for is_type in types):
            return False
        if allowed is not None and value not in allowed:
            return False
        return pattern is None or not isinstance(value, str) or pattern.search(value) is not None

    return check


def key_checks(schemas: SchemaSet) -> dict[str, Check]:
    """Catalogue key -> whether a value follows the key's documented rules."""
    base = schemas.uri(ATTACHED_DATA)
    checks: dict[str, Check] = {}
    for keys, rules in attached_data_groups(schemas):
        check = _plain_check(rules)
        if check is None:  # the keys of a group share their rules: one validator serves all
            pointer = json_pointer(["$defs", "catalogue", "properties", keys[0]])
            check = jsonschema_rs.validator_for(
                {"$ref": f"{base}#{pointer}"},
                registry=schemas.rs_registry,
                offline=True,
                validate_formats=True,
            ).is_valid
        checks.update(dict.fromkeys(keys, check))
    return checks

"""One plain sentence per change: what changed, then what it means for a consumer."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from eightbyeight_events.specdiff.compare import Change
from eightbyeight_events.specdiff.kinds import KINDS
from eightbyeight_events.specdiff.sources import SINGLE


def subject(change: Change) -> str:
    """A readable name of the place: ``callState``, ``interaction.queueId``."""
    path = change.path
    if path[:1] in (("$defs",), ("definitions",)) and len(path) > 1:
        base = path[1]
    else:
        base = (
            PurePosixPath(change.document).name.removesuffix(".schema.json").removesuffix(".json")
        )
    names = [path[i + 1] for i in range(len(path) - 1) if path[i] == "properties"]
    return ".".join([base if change.document != SINGLE else "schema", *names])


def _value(value: Any) -> str:
    return "any" if value is None else json.dumps(value, ensure_ascii=False)


def _values(values: Any) -> str:
    items = values if isinstance(values, list) else [values]
    return ", ".join(_value(item) for item in items)


PLAIN = {
    "SUM_TYPE_EXTENDED": "{where} may take one more form ({keyword})",
    "SUM_TYPE_NARROWED": "{where} may take fewer forms ({keyword})",
    "PRODUCT_TYPE_EXTENDED": "{where} must also match a new condition ({keyword})",
    "PRODUCT_TYPE_NARROWED": "{where} no longer has to match one of its conditions ({keyword})",
    "COMBINED_TYPE_EXTENDED": "{where} combines its subschemas in a way that asks less ({keyword})",
    "COMBINED_TYPE_CHANGED": "{where} combines or selects its subschemas differently ({keyword})",
    "NOT_TYPE_EXTENDED": "{where} rules out more values (not)",
    "NOT_TYPE_NARROWED": "{where} rules out fewer values (not)",
    "UNIQUE_ITEMS_ADDED": "{where} must hold distinct items",
    "UNIQUE_ITEMS_REMOVED": "{where} may hold repeated items",
    "PATTERN_PROPERTY_ADDED": "{where} holds properties whose names match {keyword} to a schema",
    "PATTERN_PROPERTY_REMOVED": "{where} stops holding properties matching {keyword} to a schema",
    "DEPENDENCY_SCHEMA_ADDED": "{where} applies a further schema when {keyword} is present",
    "DEPENDENCY_SCHEMA_REMOVED": "{where} stops applying a schema when {keyword} is present",
    "ADDITIONAL_PROPERTIES_EXTENDED": "undeclared properties of {where} may hold any value",
    "ADDITIONAL_PROPERTIES_NARROWED": "undeclared properties of {where} must match a schema",
    "UNEVALUATED_PROPERTIES_EXTENDED": "unevaluated properties of {where} may hold any value",
    "UNEVALUATED_PROPERTIES_NARROWED": "unevaluated properties of {where} must match a schema",
    "ADDITIONAL_ITEMS_EXTENDED": "items of {where} past its tuple may hold any value",
    "ADDITIONAL_ITEMS_NARROWED": "items of {where} past its tuple must match a schema",
    "UNEVALUATED_ITEMS_EXTENDED": "unevaluated items of {where} may hold any value",
    "UNEVALUATED_ITEMS_NARROWED": "unevaluated items of {where} must match a schema",
}
"""Kinds whose sentence needs no value: the place and the keyword say it."""


def _what(change: Change) -> str:
    kind, before, after = change.kind, change.before, change.after
    where = f"`{subject(change)}`"
    keyword = change.path[-1] if change.path else ""
    if kind == "DESCRIPTION_CHANGED":
        return f"the description of {where} is reworded"
    if kind == "TITLE_CHANGED":
        return f"{where} is titled {_value(after)} (was {_value(before)}); generated types follow"
    if kind == "EXAMPLES_CHANGED":
        return f"the known values of {where} are now {_values(after or [])}"
    if kind in ("DEFAULT_CHANGED", "ID_CHANGED"):
        return f"{where}: {keyword} {_value(before)} → {_value(after)}"
    if kind.startswith("ENUM_ARRAY_"):
        return _enum(where, kind, before, after)
    if kind == "SUM_TYPE_EXTENDED" and change.events and after in change.events:
        return f"event type {after} is new"
    if kind == "SUM_TYPE_NARROWED" and change.events and before in change.events:
        return f"event type {before} is gone from the catalogue"
    if kind in PLAIN:
        keyword = next((part for part in reversed(change.path) if not part.isdigit()), keyword)
        return PLAIN[kind].format(where=where, keyword=keyword)
    if kind == "DEFINITION_ADDED":
        return f"the definition {change.unit} ({after}) is new"
    if kind == "DEFINITION_REMOVED":
        return f"the definition {change.unit} ({before}) is gone"
    if "PROPERTY" in kind and kind.endswith("CONTENT_MODEL"):
        if "_ADDED" in kind:
            required = "required" if kind.startswith("REQUIRED") else "optional"
            return f"{where} is a newly declared {required} field"
        return f"{where} is no longer declared"
    if kind.startswith("ITEM_"):
        if "_ADDED" in kind:
            return f"{where} gains a tuple item at position {keyword}"
        return f"{where} loses its tuple item at position {keyword}"
    if kind.startswith("DEPENDENCY_ARRAY_"):
        return f"{where}: the names required with {keyword}: {_value(before)} → {_value(after)}"
    if kind.startswith("REQUIRED_ATTRIBUTE_"):
        if kind.endswith("REMOVED"):
            return f"{where}: {before} is no longer required"
        return f"{where}: {after} becomes required"
    if kind.startswith("TYPE_") or before is not None or after is not None:
        return f"{where}: {keyword} {_value(before)} → {_value(after)}"
    return f"{where}: {kind.lower().replace('_', ' ')}"


def _enum(where: str, kind: str, removed: Any, added: Any) -> str:
    if removed is None:
        return f"{where} becomes a closed list: {_values(added)}"
    if added is None:
        return f"{where} is no longer a closed list"
    if kind == "ENUM_ARRAY_EXTENDED":
        return f"{where} gains {_values(added)}"
    if kind == "ENUM_ARRAY_NARROWED":
        return f"{where} loses {_values(removed)}"
    return f"{where} loses {_values(removed)} and gains {_values(added)}"


def sentence(change: Change, backward: bool, forward: bool, policy: str) -> str:
    what = _what(change)
    if KINDS[change.kind].annotation:
        meaning = "no message validates differently"
    elif not backward and not forward:
        meaning = "a message valid under either spec can fail the other"
    elif not backward:
        meaning = "the new spec rejects messages the old one accepted"
    elif not forward:
        meaning = (
            "the new spec accepts more, so a consumer built on the old one may meet what it "
            "does not know"
        )
    else:
        meaning = f"compatible both ways under the {policy} policy"
    return f"{what[:1].upper()}{what[1:]}: {meaning}."

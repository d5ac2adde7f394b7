"""Schema errors in words a person can act on.

Each jsonschema-rs error becomes a ``Finding``: the JSON pointer of the
failing value, the rule (the JSON Schema keyword that failed) and a sentence
that names the field, the value found and what was expected, such as
``callState "CS_RINGING" is not one of CS_IDLE, CS_QUEUED, …``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import orjson

from eightbyeight_events.walk import json_pointer

LISTED_VALUES = 8


@dataclass(frozen=True, slots=True)
class Finding:
    pointer: str
    rule: str
    message: str
    document: str = "event"
    """``event`` for the decoded message, ``frame`` for the Pulsar frame around it."""
    suggestion: str | None = None
    """the name of the catalogue a misspelt wrapper or event most likely meant"""

    def as_dict(self) -> dict[str, str]:
        found = {
            "pointer": self.pointer,
            "rule": self.rule,
            "message": self.message,
            "document": self.document,
        }
        if self.suggestion is not None:
            found["suggestion"] = self.suggestion
        return found


def show(value: Any) -> str:
    """A value as it appears in JSON, shortened when long."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:  # integers beyond 64 bits, from values not parsed by orjson
        text = json.dumps(value, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def listing(values: list[Any]) -> str:
    shown = [value if isinstance(value, str) else show(value) for value in values[:LISTED_VALUES]]
    return ", ".join(shown) + (", …" if len(values) > LISTED_VALUES else "")


def field_name(path: list[str | int]) -> str:
    """``callState``, ``attachedDatum[1]``; the whole message when the path is empty."""
    if not path:
        return "the message"
    last = path[-1]
    if isinstance(last, int):
        parent = path[-2] if len(path) > 1 else "item"
        return f"{parent}[{last}]"
    return str(last)


def _alternatives(context: list[list[jsonschema_rs.ValidationError]]) -> str:
    described = []
    for branch in context:
        kinds = {error.kind.name: error.kind.as_dict() for error in branch}
        if "enum" in kinds:
            described.append("one of " + listing(kinds["enum"]["options"]))
        elif "const" in kinds:
            described.append(show(kinds["const"]["expected_value"]))
        elif "type" in kinds:
            described.append(" or ".join(kinds["type"]["types"]))
        elif "format" in kinds:
            described.append(f"a {kinds['format']['format']}")
        elif "pattern" in kinds:
            described.append(f"the form {kinds['pattern']['pattern']}")
        else:
            described.append(branch[0].message if branch else "another form")
    return "; or ".join(described)


def sentence(error: jsonschema_rs.ValidationError) -> str:
    path = list(error.instance_path)
    name = field_name(path)
    value: Any = error.instance
    facts: dict[str, Any] = error.kind.as_dict()
    match error.kind.name:
        case "enum":
            return f"{name} {show(value)} is not one of {listing(facts['options'])}"
        case "type":
            expected = " or ".join(facts["types"])
            return f"{name} {show(value)} is {json_type(value)}, expected {expected}"
        case "required":
            return f"required field {facts['property']} is missing from {name}"
        case "const":
            return f"{name} is {show(value)}, expected {show(facts['expected_value'])}"
        case "pattern":
            return f"{name} {show(value)} does not have the documented form {facts['pattern']}"
        case "format":
            return f"{name} {show(value)} is not a valid {facts['format']}"
        case "anyOf":
            accepted = _alternatives(facts["context"])
            return f"{name} {show(value)} is none of the accepted forms: {accepted}"
        case "minimum":
            return f"{name} {show(value)} is below the minimum {facts['limit']}"
        case "minLength":
            return f"{name} is empty"
        case "minProperties" | "maxProperties":
            return (
                f"the message has {len(value)} top-level keys; it must have exactly one, "
                "the wrapper"
            )
        case "propertyNames":
            return f"{name} has a key that is not a known wrapper"
        case "additionalProperties":
            return f"{name} has undeclared fields: {listing(facts['unexpected'])}"
        case _:
            return str(error.message)


def explain(
    validator: jsonschema_rs.Validator, instance: Any, document: str = "event"
) -> list[Finding]:
    """Every error of ``instance``, sorted by pointer so reports are stable."""
    findings = {
        Finding(json_pointer(error.instance_path), error.kind.name, sentence(error), document)
        for error in validator.iter_errors(instance)
    }
    return sorted(findings, key=lambda finding: (finding.pointer, finding.rule, finding.message))

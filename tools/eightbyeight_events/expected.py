"""The expected variant: what a message looks like when it holds no surprise at all.

It is the strict variant narrowed further by everything the spec knows but
does not enforce: open code lists closed to their known values, attachedData
keys limited to the catalogue with the catalogue's types, and each event's
call state limited to the event table's. A message that passes it is valid
and carries no drift and no warning, which one compiled check can tell; only
the messages that fail it need the slower look that says what differs.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.flatten import absolute_refs
from eightbyeight_events.schemas import Schema, SchemaSet
from eightbyeight_events.strict import strict_variant

CODES = "common/codes.schema.json"
ATTACHED_DATA = "common/attachedData.schema.json"


def _close_open_lists(codes: Schema) -> None:
    for definition in codes["$defs"].values():
        if "enum" not in definition and "examples" in definition:
            definition["enum"] = definition["examples"]


def attached_data_groups(schemas: SchemaSet) -> list[tuple[list[str], Schema]]:
    """Catalogue keys grouped by their value schema (descriptions aside), largest group first."""
    document = schemas.document(ATTACHED_DATA)
    groups: dict[str, list[str]] = {}
    for key, definition in document["$defs"]["catalogue"]["properties"].items():
        value_schema = {k: v for k, v in definition.items() if k not in {"description", "examples"}}
        body = absolute_refs(value_schema, document["$id"])
        groups.setdefault(json.dumps(body, sort_keys=True), []).append(key)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    return [(keys, json.loads(body)) for body, keys in ordered]


def _limit_attached_data(document: Schema, schemas: SchemaSet) -> None:
    """Keys limited to the catalogue; each value held to its key's type.

    Written as one ``enum`` of every key plus one ``if``/``then`` per value
    type other than plain string: measured faster with jsonschema-rs than one
    ``anyOf`` branch per group.
    """
    datum = document["$defs"]["attachedDatum"]
    groups = attached_data_groups(schemas)
    datum["properties"]["attachedDataKey"] = {"enum": [key for keys, _ in groups for key in keys]}
    datum["allOf"] = [
        {
            "if": {"properties": {"attachedDataKey": {"enum": keys}}},
            "then": {"properties": {"attachedDataValue": value}},
        }
        for keys, value in groups
        if value != {"type": "string"}
    ]


def _limit_call_states(documents: dict[str, Schema], schemas: SchemaSet) -> None:
    for event_type in event_types(schemas):
        states = schemas.annotations["events"][event_type.name]["callStates"]
        if not states:
            continue
        document = documents[schemas.uri(event_type.schema_path)]
        payload: dict[str, Any] = document["$defs"][event_type.name]
        payload["properties"]["callState"] = {"enum": states}


def expected_variant(schemas: SchemaSet) -> SchemaSet:
    strict = strict_variant(schemas)
    documents = copy.deepcopy(strict.documents)
    _close_open_lists(documents[schemas.uri(CODES)])
    _limit_attached_data(documents[schemas.uri(ATTACHED_DATA)], schemas)
    _limit_call_states(documents, schemas)
    return SchemaSet(root=schemas.root, documents=documents, annotations=schemas.annotations)

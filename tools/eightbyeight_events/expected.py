"""The expected variant: what a message looks like when it holds no surprise at all.

It is the strict variant narrowed further by everything the spec knows but
does not enforce: open code lists closed to their known values, attachedData
keys limited to the catalogue with the catalogue's types, and each event's
call state limited to the event table's. A message that passes it is valid
and carries no drift and no warning, which one compiled check can tell; only
the messages that fail it need the slower look that says what differs.
"""

from __future__ import annotations

import json
from typing import Any

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.codes import ATTACHED_DATA, CODES, is_open_list
from eightbyeight_events.flatten import join, resolve
from eightbyeight_events.schemas import Schema, SchemaSet
from eightbyeight_events.strict import strict_variant
from eightbyeight_events.walk import clone


def _close_open_lists(codes: Schema) -> None:
    for definition in codes["$defs"].values():
        if is_open_list(definition):
            definition["enum"] = definition["examples"]


ANNOTATIONS = {"title", "description", "examples"}


def _effective(schema: Schema, base_uri: str, schemas: SchemaSet) -> Schema:
    """The constraints of ``schema`` with ``allOf`` references inlined and annotations dropped,
    so that forms with different names but the same rules (all the time forms are integers)
    compare equal."""
    result = {k: v for k, v in schema.items() if k not in ANNOTATIONS | {"allOf"}}
    for part in schema.get("allOf", ()):
        target = join(base_uri, part["$ref"])
        result.update(_effective(resolve(schemas, target), target, schemas))
    return result


def attached_data_groups(schemas: SchemaSet) -> list[tuple[list[str], Schema]]:
    """Catalogue keys grouped by the rules their values follow, largest group first."""
    document = schemas.document(ATTACHED_DATA)
    groups: dict[str, list[str]] = {}
    for key, definition in document["$defs"]["catalogue"]["properties"].items():
        rules = _effective(definition, document["$id"], schemas)
        groups.setdefault(json.dumps(rules, sort_keys=True), []).append(key)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    return [(keys, json.loads(body)) for body, keys in ordered]


def _limit_attached_data(document: Schema, schemas: SchemaSet) -> None:
    """Each pair's key must be in the catalogue and its value follow the key's rules.

    Written as one if/then/else chain over the groups of keys that share
    rules, largest group first, ending in ``false`` for a key outside the
    catalogue: a pair stops at the first group that names its key, which
    jsonschema-rs runs several times faster than one branch per group.
    """
    chain: Schema | bool = False
    for keys, rules in reversed(attached_data_groups(schemas)):
        chain = {
            "if": {"properties": {"attachedDataKey": {"enum": keys}}},
            "then": {"properties": {"attachedDataValue": rules}},
            "else": chain,
        }
    document["$defs"]["attachedDatum"]["allOf"] = [chain]


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
    documents = clone(strict.documents)
    _close_open_lists(documents[schemas.uri(CODES)])
    _limit_attached_data(documents[schemas.uri(ATTACHED_DATA)], schemas)
    _limit_call_states(documents, schemas)
    return SchemaSet(root=schemas.root, documents=documents, annotations=schemas.annotations)

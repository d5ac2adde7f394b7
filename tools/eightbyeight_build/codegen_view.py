"""The schemas as code generators want them: one document, every type under its title.

Generators name types after ``title`` and handle local ``#/$defs/...``
references best. This view is built from the strict variant, where each
event lists all its fields itself (no ``allOf`` base, which generators turn
into intersections or lose ``required`` names of) and objects are closed
(without ``additionalProperties: false`` every generated type gets an index
signature). Every ``$ref`` is rewritten to ``#/$defs/<Title>`` and the
definition it names is copied in under that title.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urljoin

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.flatten import resolve
from eightbyeight_events.schemas import FRAME, Schema, SchemaSet
from eightbyeight_events.strict import strict_variant
from eightbyeight_events.walk import subschemas


class _Localiser:
    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.definitions: dict[str, Schema] = {}
        self.titles: dict[str, str] = {}  # absolute URI -> title

    def add(self, uri: str) -> str:
        """Copy the schema at ``uri`` into the view (once) and return its title."""
        if uri in self.titles:
            return self.titles[uri]
        schema = copy.deepcopy(resolve(self.schemas, uri))
        title: str = schema["title"]
        if title in self.definitions:
            raise ValueError(f"two schemas are titled {title}: rename one ({uri})")
        self.titles[uri] = title
        self.definitions[title] = schema  # placed first, so references back to it terminate
        self.localise(schema, uri)
        return title

    def localise(self, schema: Schema, base: str) -> None:
        schema.pop("$schema", None)
        schema.pop("$id", None)
        schema.pop("$defs", None)
        for _, node in subschemas(schema):
            # an annotation saying what the decoded payload holds; typing it would pull
            # the whole union into the frame type
            node.pop("contentSchema", None)
            if "$ref" in node:
                target = urljoin(base, node["$ref"])
                node["$ref"] = "#/$defs/" + self.add(target if "#" in target else target + "#")


def _uri(schemas: SchemaSet, path: str, pointer: str = "") -> str:
    return f"{schemas.uri(path)}#{pointer}"


def python_view(schemas: SchemaSet) -> Schema:
    """Payload classes of every event, the frame, and ``Event``: the union of the payloads."""
    strict = strict_variant(schemas)
    localiser = _Localiser(strict)
    names = [
        localiser.add(_uri(strict, t.schema_path, f"/$defs/{t.name}")) for t in event_types(schemas)
    ]
    localiser.add(_uri(strict, FRAME))
    _integers_stay_integers(localiser.definitions)
    return _document("Event", names, localiser.definitions, "Any decoded event, unwrapped.")


def _integers_stay_integers(schema: Any) -> None:
    """Spell out ``integer`` beside ``number``: msgspec reads ``5`` into a ``float`` field as
    ``5.0``, and a model must give back the message it came from."""
    if isinstance(schema, list):
        for item in schema:
            _integers_stay_integers(item)
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    if kind == "number":
        schema["type"] = ["integer", "number"]
    elif isinstance(kind, list) and "number" in kind and "integer" not in kind:
        kind.insert(kind.index("number"), "integer")
    for value in schema.values():
        _integers_stay_integers(value)


def typescript_view(schemas: SchemaSet) -> Schema:
    """Message types (wrapper and payload) of every event, the frame, and ``Event``."""
    strict = strict_variant(schemas)
    localiser = _Localiser(strict)
    names = [localiser.add(_uri(strict, t.schema_path)) for t in event_types(schemas)]
    localiser.add(_uri(strict, FRAME))
    families: dict[str, list[str]] = {}
    for event_type in event_types(schemas):
        if event_type.event is not None:
            families.setdefault(event_type.wrapper, []).append(event_type.name)
    for wrapper, members in families.items():
        localiser.definitions[f"{wrapper}Event"] = {
            "title": f"{wrapper}Event",
            "description": f"Any payload inside the {wrapper} wrapper; switch on its event field.",
            "anyOf": [{"$ref": f"#/$defs/{name}"} for name in members],
        }
    _open_empty_objects(localiser.definitions)
    localiser.definitions["Event"] = _document("Event", names, {}, "Any decoded message.")
    del localiser.definitions["Event"]["$defs"], localiser.definitions["Event"]["$schema"]
    # json-schema-to-typescript emits only what its root reaches, so the root
    # is an index naming each top-level type.
    top = ["Event", "PulsarFrame", *(f"{wrapper}Event" for wrapper in families)]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "EventStreamingTypes",
        "description": "Index of the top-level types of this package; not a message itself.",
        "type": "object",
        "properties": {name: {"$ref": f"#/$defs/{name}"} for name in top},
        "required": top,
        "additionalProperties": False,
        "$defs": dict(sorted(localiser.definitions.items())),
    }


def _open_empty_objects(definitions: dict[str, Schema]) -> None:
    """An object that declares no fields accepts any: say so, or it becomes the type ``{}``."""
    for definition in definitions.values():
        for _, node in subschemas(definition):
            if (
                node.get("type") == "object"
                and "properties" not in node
                and ("additionalProperties" not in node)
            ):
                node["additionalProperties"] = True


def _document(title: str, members: list[str], definitions: dict[str, Any], about: str) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": about,
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name in members],
        "$defs": dict(sorted(definitions.items())),
    }

"""The single-file bundle: every schema document embedded in one compound schema.

Tools that cannot read a folder of files (ajv in a browser, code generators,
a schema registry) get one document. Each file keeps its own ``$id`` inside
``$defs``, so the original relative ``$ref``s still resolve within the bundle.
"""

from __future__ import annotations

from eightbyeight_events.schemas import BASE_URI, UNION, Schema, SchemaSet
from eightbyeight_events.version import BUNDLE_COMMENT, VERSION_KEY

BUNDLE_NAME = "8x8-events.bundle.schema.json"


def bundle(schemas: SchemaSet) -> Schema:
    embedded: dict[str, Schema] = {}
    for uri, document in sorted(schemas.documents.items()):
        # 2020-12 lets an embedded resource repeat $schema, but several tools
        # (ajv among them) only accept it at the root of a document.
        embedded[schemas.relative_path(uri)] = {
            key: value for key, value in document.items() if key != "$schema"
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + BUNDLE_NAME,
        "title": "8x8 Event Streaming: every schema in one file",
        "description": (
            "Generated from the schemas/ folder; do not edit. Validating against this "
            "document validates a decoded event (the root refers to event.schema.json); "
            "every other schema is embedded under $defs with its own $id."
        ),
        "$comment": BUNDLE_COMMENT + str(schemas.annotations[VERSION_KEY]),
        "$ref": UNION,
        "$defs": embedded,
    }

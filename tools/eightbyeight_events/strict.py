"""The strict variant: the same schemas, closed to properties they do not declare.

Published schemas stay open because the service adds fields over time. The
strict variant is derived mechanically: every object schema that declares
``properties`` gets its ``allOf`` bases merged in (see ``flatten``) and then
``additionalProperties: false``. Schemas that declare no properties (the
inferred events, the frame's property map) stay open, there being nothing to
close them to, and so does the union, which only routes a message to the
event schema that applies.
"""

from __future__ import annotations

import functools

from eightbyeight_events.flatten import inline_bases
from eightbyeight_events.schemas import UNION, Schema, SchemaSet
from eightbyeight_events.walk import subschemas


def _close(uri: str, document: Schema, schemas: SchemaSet) -> Schema:
    closed = inline_bases(document, uri, schemas)
    for _, schema in subschemas(closed):
        if "properties" not in schema:
            continue
        flat = inline_bases(schema, uri, schemas)
        schema.clear()
        schema.update(flat)
        schema["additionalProperties"] = False
    return closed


@functools.cache
def strict_variant(schemas: SchemaSet) -> SchemaSet:
    union_uri = schemas.uri(UNION)
    documents = {
        uri: document if uri == union_uri else _close(uri, document, schemas)
        for uri, document in schemas.documents.items()
    }
    return SchemaSet(root=schemas.root, documents=documents, annotations=schemas.annotations)

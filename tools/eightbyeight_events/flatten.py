"""Merging ``allOf`` bases into the schemas that extend them.

Interaction events extend ``common/interaction.schema.json`` through
``allOf``. Validators are happy with that, but two derived views are not:
closing a schema with ``unevaluatedProperties`` throws away the base's
annotations as soon as anything inside the base fails (one wrong value then
reports every base field as unexpected), and code generators turn ``allOf``
into intersections or lose ``required`` names declared in the base. Both
views therefore use the flattened form, where each event lists its fields
itself.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urljoin

from eightbyeight_events.schemas import Schema, SchemaSet
from eightbyeight_events.walk import clone, subschemas


@functools.cache
def join(base: str, reference: str) -> str:
    """``urljoin``, remembered: building the contract at start-up resolves the same few
    hundred $refs some thousands of times."""
    return urljoin(base, reference)


def absolute_refs(schema: Any, base_uri: str) -> Any:
    """A copy of ``schema`` whose ``$ref``s no longer depend on where it sits."""
    result = clone(schema)
    for _, node in subschemas(result):
        if "$ref" in node:
            node["$ref"] = join(base_uri, node["$ref"])
    return result


def resolve(schemas: SchemaSet, uri: str) -> Schema:
    """The schema object an absolute URI (with optional JSON-pointer fragment) names."""
    document_uri, _, fragment = uri.partition("#")
    node: Any = schemas.documents[document_uri]
    for token in filter(None, fragment.split("/")):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, dict):
        raise TypeError(f"{uri} is not a schema object")
    return node


def inline_bases(schema: Schema, uri: str, schemas: SchemaSet) -> Schema:
    """``schema`` (found in document ``uri``) with its ``allOf`` object bases merged in.

    Base properties come first, then the extending schema's own, which win on
    a name clash (an event pins ``event`` to a constant this way).
    """
    merged = clone(schema)
    kept_parts = []
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in merged.get("allOf", ()):
        target = join(uri, part["$ref"]) if set(part) == {"$ref"} else None
        base = resolve(schemas, target) if target else None
        if base is None or "properties" not in base:
            kept_parts.append(part)
            continue
        base_document = target.partition("#")[0] if target else uri
        flat_base = inline_bases(base, base_document, schemas)
        for name, definition in flat_base["properties"].items():
            properties[name] = absolute_refs(definition, base_document)
        required.extend(flat_base.get("required", ()))
    if len(kept_parts) == len(merged.get("allOf", ())):
        return merged
    properties.update(merged.get("properties", {}))
    required.extend(name for name in merged.get("required", ()) if name not in required)
    merged["properties"] = properties
    if required:
        merged["required"] = required
    if kept_parts:
        merged["allOf"] = kept_parts
    else:
        del merged["allOf"]
    return merged

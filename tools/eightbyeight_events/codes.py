"""Code tables, and the one definition of an open list.

A code table the reference gives completely is a closed ``enum``; one it
leaves open ("etc.", tenant-configured values) is a plain type whose known
values stand under ``examples`` (docs/conventions.md). Everything that needs
to know which lists are open (drift, the expected variant, the docs) asks
``open_lists``.
"""

from __future__ import annotations

from typing import Any

from eightbyeight_events.schemas import Schema, SchemaSet

CODES = "common/codes.schema.json"
ATTACHED_DATA = "common/attachedData.schema.json"


def is_open_list(definition: Schema) -> bool:
    """A code table that names known values without closing the list to them."""
    return "examples" in definition and "enum" not in definition


def open_lists(schemas: SchemaSet) -> dict[str, tuple[Any, ...]]:
    """Absolute URI of each open code table -> its known values."""
    base = schemas.uri(CODES)
    return {
        f"{base}#/$defs/{name}": tuple(definition["examples"])
        for name, definition in schemas.document(CODES)["$defs"].items()
        if is_open_list(definition)
    }

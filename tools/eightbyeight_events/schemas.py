"""Loading the schema files and resolving their ``$ref``s without a network.

Every schema is registered under its ``$id`` in one registry per validator
library, so a ``$ref`` is always answered from disk; a ``$ref`` to anything
not registered fails loudly instead of fetching.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    import referencing

BASE_URI = "https://8x8-event-schemas.dev/schemas/"
UNION = "event.schema.json"
FRAME = "pulsar-frame.schema.json"
ANNOTATIONS = "annotations.json"

Schema = dict[str, Any]


def schema_dir() -> Path:
    """The installed copy of the schemas, or the checkout's when run from source."""
    return data_dir("schemas")


def data_dir(name: str) -> Path:
    """The installed copy of a data folder of the repository, or the checkout's.

    A wheel carries ``schemas`` and the example messages (``examples/vendor``,
    ``examples/ours``) as package data; an editable install or a plain
    checkout has them at the top of the repository instead.
    """
    packaged = Path(str(resources.files("eightbyeight_events"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"no {name} found at {packaged} or {checkout}")


@dataclass(frozen=True, eq=False)
class SchemaSet:
    """All schema documents of one schema folder, keyed by ``$id``.

    Compared and hashed by identity, so it can key caches of compiled validators.
    """

    root: Path
    documents: dict[str, Schema]
    annotations: dict[str, Any]

    def uri(self, relative_path: str) -> str:
        return BASE_URI + relative_path

    def relative_path(self, uri: str) -> str:
        return uri.removeprefix(BASE_URI)

    def document(self, relative_path: str) -> Schema:
        return self.documents[self.uri(relative_path)]

    @functools.cached_property
    def registry(self) -> referencing.Registry[Any]:
        """The registry python-jsonschema resolves ``$ref`` against (imported here: the
        command never needs it)."""
        import referencing
        from referencing.jsonschema import DRAFT202012

        resources_ = [
            (uri, DRAFT202012.create_resource(doc)) for uri, doc in self.documents.items()
        ]
        # A Registry without a retrieve function raises NoSuchResource for any
        # URI it was not given: it never fetches.
        return referencing.Registry().with_resources(resources_)

    @functools.cached_property
    def rs_registry(self) -> jsonschema_rs.Registry:
        """The registry jsonschema-rs resolves ``$ref`` against."""
        return jsonschema_rs.Registry(list(self.documents.items()))


def _read_documents(root: Path) -> dict[str, Schema]:
    documents: dict[str, Schema] = {}
    for path in sorted(root.rglob("*.schema.json")):
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
        documents[document["$id"]] = document
    return documents


@functools.cache
def load_schemas(root: Path | None = None) -> SchemaSet:
    """Read every ``*.schema.json`` below ``root`` (the packaged schemas by default)."""
    folder = root or schema_dir()
    with (folder / ANNOTATIONS).open(encoding="utf-8") as handle:
        annotations = json.load(handle)
    return SchemaSet(root=folder, documents=_read_documents(folder), annotations=annotations)

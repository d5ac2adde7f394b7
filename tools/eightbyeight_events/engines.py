"""The two validator engines, compiled from the same schema set.

jsonschema-rs is the fast path that decides valid or not; python-jsonschema
is the reference implementation whose errors explain a failure. Both resolve
``$ref`` through the offline registries of ``SchemaSet`` and both check
``format`` (draft 2020-12 leaves that optional; the frame's ``publishTime``
needs it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import jsonschema_rs

from eightbyeight_events.schemas import SchemaSet

if TYPE_CHECKING:
    import jsonschema


def reference_validator(schemas: SchemaSet, relative_path: str) -> jsonschema.Draft202012Validator:
    """python-jsonschema's validator (imported here: the command never needs it)."""
    import jsonschema

    return jsonschema.Draft202012Validator(
        schemas.document(relative_path),
        registry=schemas.registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def fast_validator(schemas: SchemaSet, relative_path: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(
        schemas.document(relative_path),
        registry=schemas.rs_registry,
        offline=True,
        validate_formats=True,
    )

"""Examples tied to the schemas, checked by three independent validators.

python-jsonschema, jsonschema-rs and ajv must agree on every example: valid
ones pass, and each counter-example fails exactly at the pointer it states.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    EXAMPLES,
    REFERENCE_EXAMPLES,
    AjvRun,
    frame_example_paths,
    invalid_example_paths,
    read_json,
    valid_example_paths,
)
from eightbyeight_events.catalogue import event_types, router
from eightbyeight_events.engines import fast_validator, reference_validator
from eightbyeight_events.schemas import FRAME, UNION, SchemaSet
from eightbyeight_events.strict import strict_variant
from eightbyeight_events.walk import json_pointer

VALID = valid_example_paths()
FRAMES = frame_example_paths()
INVALID = invalid_example_paths()


def names(paths: list[Path]) -> list[str]:
    return [f"{path.parent.name}/{path.stem}" for path in paths]


def pointers(schemas: SchemaSet, schema: str, instance: Any) -> dict[str, set[str]]:
    """Pointers of every error per validator, and the failing rules each names."""
    reference = list(reference_validator(schemas, schema).iter_errors(instance))
    fast = list(fast_validator(schemas, schema).iter_errors(instance))
    return {
        "python-jsonschema": {json_pointer(error.absolute_path) for error in reference},
        "jsonschema-rs": {json_pointer(error.instance_path) for error in fast},
        "rules": {str(error.validator) for error in reference},
        # propertyNames reports the keyword inside it (enum) as the failing one
        "enclosing-rules": {
            str(error.relative_schema_path[-2])
            for error in reference
            if len(error.relative_schema_path) > 1
        },
        "rs-rules": {error.kind.name.lower() for error in fast},
    }


def ajv_failures(errors: list[dict[str, str]]) -> list[dict[str, str]]:
    """ajv's errors without the summary 'must match "then" schema' it adds at a branch's root."""
    return [error for error in errors if error["keyword"] != "if"]


def test_vendor_examples_are_copied_unchanged() -> None:
    if not REFERENCE_EXAMPLES.is_dir():
        pytest.skip(f"reference folder {REFERENCE_EXAMPLES} is not beside this clone")
    originals = sorted(REFERENCE_EXAMPLES.glob("*.json"))
    assert len(originals) == 13
    for original in originals:
        copy_ = EXAMPLES / "vendor" / original.name
        assert copy_.read_bytes() == original.read_bytes(), original.name


def test_every_event_type_has_a_valid_example(schemas: SchemaSet) -> None:
    covered = {router(schemas).route(read_json(path)) for path in VALID}
    missing = [t.name for t in event_types(schemas) if t not in covered]
    assert missing == []


@pytest.mark.parametrize("path", VALID, ids=names(VALID))
def test_valid_example_passes_union_and_own_schema(schemas: SchemaSet, path: Path) -> None:
    message = read_json(path)
    event_type = router(schemas).route(message)
    assert event_type is not None
    for schema in (UNION, event_type.schema_path):
        found = pointers(schemas, schema, message)
        assert found["python-jsonschema"] == set(), schema
        assert found["jsonschema-rs"] == set(), schema


@pytest.mark.parametrize("path", FRAMES, ids=names(FRAMES))
def test_frame_example_and_its_payload_pass(schemas: SchemaSet, path: Path) -> None:
    frame = read_json(path)
    assert pointers(schemas, FRAME, frame)["python-jsonschema"] == set()
    assert pointers(schemas, FRAME, frame)["jsonschema-rs"] == set()
    message = json.loads(base64.b64decode(frame["payload"], validate=True).decode("utf-8"))
    assert router(schemas).route(message) is not None
    assert pointers(schemas, UNION, message)["jsonschema-rs"] == set()


@pytest.mark.parametrize("path", INVALID, ids=names(INVALID))
def test_counter_example_fails_at_its_pointer(schemas: SchemaSet, path: Path) -> None:
    case = read_json(path)
    found = pointers(schemas, case["schema"], case["instance"])
    assert found["python-jsonschema"] == {case["pointer"]}
    assert found["jsonschema-rs"] == {case["pointer"]}
    assert case["rule"] in found["rules"] | found["enclosing-rules"]
    assert case["rule"].lower() in found["rs-rules"]


def test_counter_examples_cover_every_rule_family() -> None:
    families = {path.stem.split("-")[0] for path in INVALID}
    assert families >= {"enum", "type", "required", "attached", "unknown", "frame", "pattern"}


def test_ajv_agrees_on_every_example(schemas: SchemaSet, run_ajv: AjvRun) -> None:
    messages = [read_json(path) for path in VALID]
    assert run_ajv(schemas, UNION, messages) == [[] for _ in messages]
    frames = [read_json(path) for path in FRAMES]
    assert run_ajv(schemas, FRAME, frames) == [[] for _ in frames]
    for schema in (UNION, FRAME):
        cases = [read_json(path) for path in INVALID]
        cases = [case for case in cases if case["schema"] == schema]
        results = run_ajv(schemas, schema, [case["instance"] for case in cases])
        for case, all_errors in zip(cases, results, strict=True):
            errors = ajv_failures(all_errors)
            assert {error["instancePath"] for error in errors} == {case["pointer"]}, case
            assert case["rule"] in {error["keyword"] for error in errors}, case


def with_unknown_fields(message: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(message)
    payload = changed["Interaction"]
    payload["queueLanguage"] = "en"
    payload["msgInfo"]["region"] = "us1"
    payload["attachedData"]["attachedDatum"][0]["source"] = "ivr"
    return changed


STRICT_POINTERS = {
    "/Interaction",
    "/Interaction/msgInfo",
    "/Interaction/attachedData/attachedDatum/0",
}


def test_strict_variant_rejects_exactly_the_unknown_fields(
    schemas: SchemaSet, run_ajv: AjvRun
) -> None:
    message = with_unknown_fields(
        read_json(EXAMPLES / "vendor" / "message-format-InteractionCreated.json")
    )
    strict = strict_variant(schemas)
    assert pointers(schemas, UNION, message)["python-jsonschema"] == set()
    found = pointers(strict, UNION, message)
    assert found["python-jsonschema"] == STRICT_POINTERS
    assert found["jsonschema-rs"] == STRICT_POINTERS
    assert found["rules"] == {"additionalProperties"}
    (ajv_errors,) = run_ajv(strict, UNION, [message])
    assert {error["instancePath"] for error in ajv_failures(ajv_errors)} == STRICT_POINTERS


@pytest.mark.parametrize("path", VALID, ids=names(VALID))
def test_strict_variant_accepts_every_valid_example(schemas: SchemaSet, path: Path) -> None:
    """Every example uses documented fields only, so closing the schemas must not reject it."""
    found = pointers(strict_variant(schemas), UNION, read_json(path))
    assert found["jsonschema-rs"] == set()

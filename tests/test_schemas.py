"""Contract tests on the schema files themselves."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jsonschema
import jsonschema_rs
import pytest
import referencing.exceptions

from conftest import REPO, read_json
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.schemas import BASE_URI, SchemaSet
from eightbyeight_events.walk import subschemas

SCHEMA_FILES = sorted((REPO / "schemas").rglob("*.schema.json"))
SOURCE_EVENT_TYPES = [
    "AgentStatusChange",
    "AgentProvChange",
    "AgentSkillCreated",
    "AgentSkillChanged",
    "InteractionCreated",
    "InteractionQueued",
    "InteractionAssigned",
    "InteractionAccepted",
    "InteractionCustomerAccepted",
    "InteractionRejected",
    "InteractionUnqueued",
    "LineHoldStatus",
    "LineMuteStatus",
    "InteractionRecordingStarted",
    "RecordingStatus",
    "InteractionPostProcess",
    "InteractionRecordingReady",
    "InteractionEndPostProcess",
    "InteractionDeassigned",
    "InteractionTransferRequest",
    "InteractionReconnect",
    "InteractionParticipantChange",
    "InteractionParticipantRemovedByHost",
    "InteractionJoinLinesRequest",
    "InteractionJoined",
    "InteractionChanged",
    "InteractionQueueTimeout",
    "InteractionDeleted",
    "GuestChatEnd",
    "MediaProxyAdded",
    "MediaProxyRemoved",
]


def ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(REPO / "schemas")) for path in paths]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=ids(SCHEMA_FILES))
def test_schema_is_valid_2020_12(path: Path) -> None:
    document = read_json(path)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=ids(SCHEMA_FILES))
def test_id_mirrors_path(path: Path) -> None:
    relative = path.relative_to(REPO / "schemas").as_posix()
    assert read_json(path)["$id"] == BASE_URI + relative


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=ids(SCHEMA_FILES))
def test_file_is_canonically_formatted(path: Path) -> None:
    """One layout everywhere keeps diffs of hand edits small and reviewable."""
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def all_refs(schemas: SchemaSet) -> list[tuple[str, str]]:
    return [
        (uri + "#" + pointer, urljoin(uri, node["$ref"]))
        for uri, document in schemas.documents.items()
        for pointer, node in subschemas(document)
        if "$ref" in node
    ]


def test_every_ref_resolves_offline(schemas: SchemaSet) -> None:
    refs = all_refs(schemas)
    assert len(refs) > 100
    resolver = schemas.registry.resolver()
    unresolved = []
    for where, target in refs:
        try:
            resolver.lookup(target)
        except referencing.exceptions.Unresolvable:
            unresolved.append(f"{where} -> {target}")
    assert unresolved == []


def test_unknown_ref_is_not_fetched(schemas: SchemaSet) -> None:
    """Both engines answer a $ref to an unregistered URI with an error, not a download."""
    missing = BASE_URI + "events/NoSuchEvent.schema.json"
    with pytest.raises(referencing.exceptions.Unresolvable):
        schemas.registry.resolver().lookup(missing)
    with pytest.raises(jsonschema_rs.ValidationError, match="Retrieval is disabled"):
        jsonschema_rs.validator_for({"$ref": missing}, registry=schemas.rs_registry, offline=True)


def test_no_keywords_beside_ref(schemas: SchemaSet) -> None:
    crowded = [
        f"{uri}#{pointer}: {sorted(node)}"
        for uri, document in schemas.documents.items()
        for pointer, node in subschemas(document)
        if "$ref" in node and set(node) != {"$ref"}
    ]
    assert crowded == []


def describes(node: dict[str, Any], uri: str, schemas: SchemaSet) -> bool:
    if "description" in node:
        return True
    if set(node) == {"$ref"}:
        target = schemas.registry.resolver(uri).lookup(node["$ref"])
        return "description" in target.contents
    return False


def test_every_property_has_a_description(schemas: SchemaSet) -> None:
    """Every declared property; the union's if-conditions only test values, declaring nothing."""
    undescribed = [
        f"{uri}#{pointer}/properties/{name}"
        for uri, document in schemas.documents.items()
        for pointer, node in subschemas(document)
        if "/if" not in pointer
        for name, definition in node.get("properties", {}).items()
        if not describes(definition, uri, schemas)
    ]
    assert undescribed == []


def test_every_definition_has_title_and_description(schemas: SchemaSet) -> None:
    bare = [
        f"{uri}#/$defs/{name}"
        for uri, document in schemas.documents.items()
        for name, definition in document.get("$defs", {}).items()
        if not {"title", "description"} <= set(definition)
    ]
    assert bare == []


def test_catalogue_has_all_31_event_types_in_source_order(schemas: SchemaSet) -> None:
    assert [event_type.name for event_type in event_types(schemas)] == SOURCE_EVENT_TYPES
    files = sorted(path.name for path in (REPO / "schemas" / "events").iterdir())
    assert files == sorted(f"{name}.schema.json" for name in SOURCE_EVENT_TYPES)


def test_union_dispatches_with_if_then_not_oneof(schemas: SchemaSet) -> None:
    union = schemas.document("event.schema.json")
    assert not any("oneOf" in node or "anyOf" in node for _, node in subschemas(union))
    assert all(set(branch) == {"if", "then"} for branch in union["allOf"])


def enum_values(definition: dict[str, Any]) -> list[Any]:
    values = list(definition.get("enum", ()))
    for branch in definition.get("anyOf", ()):
        values.extend(branch.get("enum", ()))
    return values


def test_every_enum_value_has_a_meaning(schemas: SchemaSet) -> None:
    """Closed lists: meanings cover exactly the enum. Open lists: exactly the examples."""
    meanings = schemas.annotations["codes"]
    defined = {}
    for uri, document in schemas.documents.items():
        for name, definition in document.get("$defs", {}).items():
            values = enum_values(definition) or definition.get("examples", [])
            if enum_values(definition) or uri.endswith("codes.schema.json"):
                defined[f"{schemas.relative_path(uri)}#/$defs/{name}"] = values
    assert sorted(meanings) == sorted(defined)
    for location, values in defined.items():
        documented = [entry["value"] for entry in meanings[location]]
        assert documented == values, location
        assert all(entry["meaning"] for entry in meanings[location])


def test_enums_appear_only_in_shared_definitions(schemas: SchemaSet) -> None:
    """An enum inline in an event would escape the meanings check above."""
    shared = re.compile(r"^/\$defs/[^/]+(/anyOf/[0-9]+)?$")
    union_uri = schemas.uri("event.schema.json")
    inline = [
        f"{uri}#{pointer}"
        for uri, document in schemas.documents.items()
        if uri != union_uri
        for pointer, node in subschemas(document)
        if "enum" in node and not shared.match(pointer)
    ]
    assert inline == []


def test_annotations_cover_every_event(schemas: SchemaSet) -> None:
    events = schemas.annotations["events"]
    assert list(events) == SOURCE_EVENT_TYPES
    states = set(schemas.document("common/codes.schema.json")["$defs"]["callState"]["enum"])
    contradiction_ids = {entry["id"] for entry in schemas.annotations["contradictions"]}
    for name, facts in events.items():
        assert facts["evidence"] in schemas.annotations["evidenceLevels"], name
        assert facts["group"] in schemas.annotations["groups"], name
        assert set(facts["callStates"] or ()) <= states, name
        for alternative in facts.get("alsoDocumented", ()):
            assert alternative["callState"] in states, name
            assert alternative["contradiction"] in contradiction_ids, name


EVIDENCE_PHRASES = {
    "printed": "Evidence: a complete payload is printed",
    "described": "Evidence: described",
    "inferred": "Evidence: inferred",
}


def test_evidence_is_stated_in_each_event_description(schemas: SchemaSet) -> None:
    for event_type in event_types(schemas):
        payload = schemas.document(event_type.schema_path)["$defs"][event_type.name]
        assert EVIDENCE_PHRASES[event_type.evidence] in payload["description"], event_type.name


def test_inferred_events_stay_open(schemas: SchemaSet) -> None:
    inferred = [t for t in event_types(schemas) if t.evidence == "inferred"]
    assert [t.name for t in inferred] == ["GuestChatEnd", "MediaProxyAdded", "MediaProxyRemoved"]
    for event_type in inferred:
        payload = schemas.document(event_type.schema_path)["$defs"][event_type.name]
        assert "properties" not in payload
        assert "required" not in payload


UNIT_FORMS = {"epochSeconds", "epochMilliseconds", "epochNanoseconds", "durationSeconds"}
ISO_STRINGS = {"publishTime", "eventTime"}  # frame fields: ISO 8601 text, not a number with a unit


def test_timestamps_state_their_unit(schemas: SchemaSet) -> None:
    """A field whose name says it is a time points at one of the unit-bearing forms."""
    time_name = re.compile(r"(TS|Time|timestamp|Nanos)$|^o?tim$")
    offenders = []
    for uri, document in schemas.documents.items():
        for pointer, node in subschemas(document):
            for name, definition in node.get("properties", {}).items():
                if not time_name.search(name) or name in ISO_STRINGS:
                    continue
                forms = {
                    part.get("$ref", "").rsplit("/", 1)[-1] for part in definition.get("allOf", ())
                }
                if not forms & UNIT_FORMS:
                    offenders.append(f"{uri}#{pointer}/properties/{name}")
    assert offenders == []


def test_lifecycles_name_known_events_states_and_steps(schemas: SchemaSet) -> None:
    events = schemas.annotations["events"]
    states = set(schemas.document("common/codes.schema.json")["$defs"]["callState"]["enum"])
    ids = [lifecycle["id"] for lifecycle in schemas.annotations["lifecycles"]]
    assert ids == ["inbound", "outbound", "rejected", "abandoned", "unanswered", "agent"]
    for lifecycle in schemas.annotations["lifecycles"]:
        steps = lifecycle["steps"]
        for step in steps.values():
            assert step["event"] in events
            assert step.get("callState", "CS_IDLE") in states
        for edge in lifecycle["flow"]:
            assert edge[0] in steps
            assert edge[1] in steps


def test_contradictions_name_fields_that_exist(schemas: SchemaSet) -> None:
    declared = {
        name
        for document in schemas.documents.values()
        for _, node in subschemas(document)
        for name in node.get("properties", {})
    }
    for contradiction in schemas.annotations["contradictions"]:
        assert set(contradiction["fields"]) <= declared, contradiction["id"]
        assert contradiction.get("event", "AgentStatusChange") in schemas.annotations["events"]

"""The AsyncAPI 3.0 document: valid for the reference parser, with no error and no warning,
and every event type reachable from its messages through references to the schema files."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from conftest import REPO
from eightbyeight_events import event_types, load_schemas

DOCUMENT = REPO / "generated" / "asyncapi.yaml"
ERROR, WARNING = 0, 1  # Spectral's severities; 2 (information) and 3 (hint) are advice


@pytest.mark.usefixtures("node")
def test_the_reference_parser_accepts_it_and_reaches_every_event_type() -> None:
    checked = subprocess.run(
        ["node", str(REPO / "tools" / "js" / "asyncapi-check.mjs"), str(DOCUMENT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=REPO,
    )
    report = json.loads(checked.stdout)
    assert report["parsed"]
    serious = [d for d in report["diagnostics"] if d["severity"] in (ERROR, WARNING)]
    assert serious == []
    schemas = load_schemas()
    expected = {schemas.uri(t.schema_path) for t in event_types()}
    assert expected <= set(report["schemaIds"])  # all 31, through the frame's payload


def test_it_describes_the_service_as_facts_8_does() -> None:
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    assert document["asyncapi"] == "3.0.0"
    assert {server["host"] for server in document["servers"].values()} == {
        "pulsar-ws-euw2.8x8.com",
        "pulsar-ws-use1.8x8.com",
        "pulsar-ws-usw2.8x8.com",
    }
    addresses = [channel["address"] for channel in document["channels"].values()]
    assert addresses == [
        "/ws/v2/reader/persistent/{tenant}/event-v1/all",
        "/ws/v2/reader/persistent/{tenant}/event-v1/{eventType}",
        "/ws/v2/reader/persistent/{tenant}/agent-v1/{agentId}",
    ]
    for channel in document["channels"].values():
        assert set(channel["bindings"]) == {"ws", "pulsar"}
    actions = {
        (op["action"], op["messages"][0]["$ref"].rsplit("/", 1)[1])
        for op in document["operations"].values()
    }
    assert ("send", "frame") in actions
    assert ("receive", "ack") in actions
    references = json.dumps(document["components"]["schemas"])
    assert '"schema": {"$ref": "../schemas/events/InteractionQueued.schema.json"}' in references
    assert "properties" not in references  # referenced, never copied

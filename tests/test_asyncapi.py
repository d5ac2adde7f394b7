"""The AsyncAPI 3.0 document stands alone: a copy of the file, with nothing beside it, is
valid for the reference parser with no error and no warning; each event type is a message
whose payload is that event; and the schemas it carries validate the vendor's examples as
the schema files do (checked by jsonschema-rs, independently of the parser)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml

from conftest import REPO
from eightbyeight_events import event_types
from eightbyeight_events.testing import example_message

DOCUMENT = REPO / "generated" / "asyncapi.yaml"
ERROR, WARNING = 0, 1  # Spectral's severities; 2 (information) and 3 (hint) are advice


def loaded() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    return found


def on_a_lone_copy(tmp_path: Path, script: str) -> Any:
    """What a Node tool of ``tools/js`` prints (JSON) for a copy of the document with no
    schema file beside it."""
    alone = tmp_path / "asyncapi.yaml"
    shutil.copy(DOCUMENT, alone)
    printed = subprocess.run(
        ["node", str(REPO / "tools" / "js" / script), str(alone)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=REPO,
    )
    return json.loads(printed.stdout)


@pytest.mark.usefixtures("node")
def test_a_copy_alone_parses_and_has_a_message_per_event_type(tmp_path: Path) -> None:
    report = on_a_lone_copy(tmp_path, "asyncapi-check.mjs")
    assert report["parsed"]
    serious = [d for d in report["diagnostics"] if d["severity"] in (ERROR, WARNING)]
    assert serious == []
    titles = {message["name"]: message["payloadTitle"] for message in report["messages"]}
    for event_type in event_types():
        assert titles[event_type.name] == f"{event_type.name}Message"  # the event, not a frame
    assert titles["PulsarFrame"] == "PulsarFrame"


def test_it_describes_the_service_readers_consumers_and_their_commands() -> None:
    document = loaded()
    assert document["asyncapi"] == "3.0.0"
    assert {server["host"] for server in document["servers"].values()} == {
        "pulsar-ws-euw2.8x8.com",
        "pulsar-ws-use1.8x8.com",
        "pulsar-ws-usw2.8x8.com",
    }
    channels = document["channels"]
    assert [channel["address"] for channel in channels.values()] == [
        "/ws/v2/reader/persistent/{tenant}/event-v1/all",
        "/ws/v2/reader/persistent/{tenant}/event-v1/{eventType}",
        "/ws/v2/reader/persistent/{tenant}/agent-v1/{agentId}",
        "/ws/v2/consumer/persistent/{tenant}/{namespace}/{topic}/{subscription}",
    ]
    for name, channel in channels.items():
        assert set(channel["bindings"]) == {"ws", "pulsar"}
        consumer_only = {"negativeAcknowledge", "permit"} & set(channel["messages"])
        assert consumer_only == ({"negativeAcknowledge", "permit"} if name == "consumer" else set())
        query = channel["bindings"]["ws"]["query"]["properties"]
        assert ("subscriptionType" in query) == (name == "consumer")
    event_type = channels["eventsOfOneType"]["parameters"]["eventType"]
    assert "enum" not in event_type  # open: the service adds event types
    assert len(event_type["examples"]) == len(event_types())
    schemes = document["components"]["securitySchemes"]
    assert {(s["in"], s["name"]) for s in schemes.values()} == {
        ("header", "X-API-Key"),
        ("query", "x-api-key"),
    }
    sent = {
        ref["$ref"].rsplit("/", 1)[1]
        for op in document["operations"].values()
        if op["action"] == "send"
        for ref in op["messages"]
    }
    assert {"frame", "endOfTopic", *(t.name for t in event_types())} == sent
    messages = document["components"]["messages"]
    for event_type in event_types():
        (example,) = messages[event_type.name]["examples"]
        assert example["payload"] == example_message(event_type.name)


def test_the_schemas_it_carries_validate_as_the_schema_files_do() -> None:
    document = loaded()
    references = re.findall(r'"\$ref": "([^"]*)"', json.dumps(document))
    assert references
    assert all(ref.startswith(("#/components/", "#/channels/")) for ref in references)  # all local
    for event_type in event_types():
        message = document["components"]["messages"][event_type.name]
        root = {"components": document["components"], **message["payload"]["schema"]}
        validator = jsonschema_rs.validator_for(root, validate_formats=True)
        example = example_message(event_type.name)
        assert validator.is_valid(example), event_type.name
        ((wrapper, _),) = example.items()
        assert not validator.is_valid({wrapper: "not an object"}), event_type.name
        other = next(t for t in event_types() if t.wrapper != event_type.wrapper)
        assert not validator.is_valid(example_message(other.name)), event_type.name


@pytest.mark.usefixtures("node")
def test_modelina_generates_a_model_per_event_type(tmp_path: Path) -> None:
    models = set(on_a_lone_copy(tmp_path, "modelina-models.mjs"))
    for event_type in event_types():
        assert f"{event_type.name}Message" in models  # the message: wrapper and payload
        if event_type.evidence != "inferred":  # the payloads of no documented field are any object
            assert event_type.name in models
    assert "PulsarFrame" in models


@pytest.mark.usefixtures("node")
def test_the_asyncapi_cli_agrees(tmp_path: Path) -> None:
    alone = tmp_path / "asyncapi.yaml"
    shutil.copy(DOCUMENT, alone)
    metrics = tmp_path / "metrics.json"  # the CLI's usage reports stay off: no network here
    metrics.write_text('{"analyticsEnabled": "false", "infoMessageShown": "true"}')
    checked = subprocess.run(
        [str(REPO / "node_modules" / ".bin" / "asyncapi"), "validate", str(alone)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
        env={
            **os.environ,
            "ASYNCAPI_METRICS_CONFIG_PATH": str(metrics),
            "SUPPRESS_NO_CONFIG_WARNING": "true",
        },
    )
    told = checked.stdout + checked.stderr
    assert checked.returncode == 0, told
    assert "0 errors, 0 warnings" in told

"""The stream described in AsyncAPI 3.0, generated from the schemas and the protocol facts.

The document describes the service: it sends Pulsar frames on three topic
forms and receives acknowledgements and commands (``pulsar.py`` holds the protocol's facts). Every
schema is referenced, never copied, from ``../schemas/`` (the document sits
in ``generated/``, and beside the schemas on the docs site), so it cannot
drift from them.
"""

from __future__ import annotations

from typing import Any

from eightbyeight_events import __version__, pulsar
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.schemas import FRAME, UNION, SchemaSet

NAME = "asyncapi.yaml"
SCHEMAS = "../schemas/"
JSON_SCHEMA = "application/schema+json;version=draft-07"
"""The schema format AsyncAPI 3.0 names for JSON Schema; the files are 2020-12, whose
keywords the parser reads as it reads draft-07's."""


def _schema(relative_path: str) -> dict[str, Any]:
    return {"schemaFormat": JSON_SCHEMA, "schema": {"$ref": SCHEMAS + relative_path}}


def _parameter(description: str, values: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"description": description}
    if values:
        found["enum"] = values
    return found


QUERY = {
    "type": "object",
    "properties": {
        "messageId": {
            "type": "string",
            "description": "Where to start: earliest, latest (the default), or the id of the "
            "last message processed (URL-encoded); a reader starts after it.",
        },
        "receiverQueueSize": {
            "type": "integer",
            "minimum": 1,
            "description": "How many unacknowledged messages the service sends before it "
            "waits for acknowledgements (default 1000).",
        },
        "readerName": {"type": "string", "description": "A name for the reader."},
    },
}


def _channel(topic: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    namespace = topic.split("/", 1)[0]
    return {
        "address": f"/ws/v2/reader/persistent/{{tenant}}/{topic}",
        "description": description
        + " A consumer reads the same topic at /ws/v2/consumer/persistent/{tenant}/"
        + topic
        + "/{subscription}.",
        "parameters": {"tenant": _parameter("The tenant's name."), **parameters},
        "messages": {
            name: {"$ref": f"#/components/messages/{name}"}
            for name in ("frame", "ack", "negativeAcknowledge", "isEndOfTopic", "endOfTopic")
        },
        "bindings": {
            "ws": {"method": "GET", "query": QUERY, "bindingVersion": "0.1.0"},
            "pulsar": {
                "namespace": namespace,
                "persistence": "persistent",
                "bindingVersion": "0.1.0",
            },
        },
    }


def _operation(
    action: str, channel: str, message: str, summary: str, description: str
) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "description": description,
        "messages": [{"$ref": f"#/channels/{channel}/messages/{message}"}],
    }


def _message(name: str, title: str, summary: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "summary": summary,
        "contentType": "application/json",
        "payload": payload,
    }


def asyncapi(schemas: SchemaSet) -> dict[str, Any]:
    types = event_types(schemas)
    channels = {
        "allEvents": _channel("event-v1/all", "Every event of the tenant, in publish order.", {}),
        "eventsOfOneType": _channel(
            "event-v1/{eventType}",
            "The events of one type.",
            {"eventType": _parameter("The event type.", [t.name for t in types])},
        ),
        "eventsOfOneAgent": _channel(
            "agent-v1/{agentId}",
            "The events of one agent, named by its short id (such as "
            "agAglVJkg0TU28dok9y9UQKg), not its GUID.",
            {"agentId": _parameter("The agent's short id.")},
        ),
    }
    operations: dict[str, Any] = {}
    for channel in channels:
        operations[f"{channel}Send"] = _operation(
            "send",
            channel,
            "frame",
            "The service sends each message as a Pulsar frame.",
            "The frame's payload is the base64 of the event's UTF-8 JSON.",
        )
        operations[f"{channel}Ack"] = _operation(
            "receive",
            channel,
            "ack",
            "The client acknowledges each message it has processed.",
            "Without acknowledgements the service stops after receiverQueueSize messages.",
        )
        operations[f"{channel}Nack"] = _operation(
            "receive",
            channel,
            "negativeAcknowledge",
            "A consumer asks for a message again.",
            "Consumers only; the message is redelivered after negativeAckRedeliveryDelay.",
        )
        operations[f"{channel}AskEnd"] = _operation(
            "receive",
            channel,
            "isEndOfTopic",
            "The client asks whether the topic has more messages.",
            "Answered with an endOfTopic control message.",
        )
        operations[f"{channel}End"] = _operation(
            "send",
            channel,
            "endOfTopic",
            "The service says whether the topic has ended.",
            "A control message: not an event frame.",
        )
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "8x8 Contact Center Event Streaming",
            "version": __version__,
            "description": "The events of 8x8 Contact Center, streamed over Apache Pulsar's "
            "WebSocket API. Generated from the JSON Schemas of the 8x8-event-schemas project; "
            "do not edit.",
            "license": {"name": "MIT"},
        },
        "defaultContentType": "application/json",
        "servers": {
            region: {
                "host": pulsar.region_url(region).removeprefix("wss://"),
                "protocol": "wss",
                "description": f"{label} region.",
                "security": [{"$ref": "#/components/securitySchemes/apiKey"}],
            }
            for region, label in pulsar.REGIONS.items()
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "securitySchemes": {
                "apiKey": {
                    "type": "httpApiKey",
                    "name": pulsar.KEY_HEADER,
                    "in": "header",
                    "description": "The tenant's API key; the query parameter x-api-key works too.",
                }
            },
            "messages": {
                "frame": _message(
                    "PulsarFrame",
                    "Pulsar frame",
                    "One event, base64-encoded in the frame's payload.",
                    _schema(FRAME),
                ),
                "ack": _message(
                    "Acknowledge",
                    "Acknowledgement",
                    "The client has processed a message.",
                    {
                        "type": "object",
                        "required": ["messageId"],
                        "properties": {"messageId": {"type": "string"}},
                    },
                ),
                "negativeAcknowledge": _message(
                    "NegativeAcknowledge",
                    "Negative acknowledgement",
                    "A consumer asks for a message again.",
                    {
                        "type": "object",
                        "required": ["type", "messageId"],
                        "properties": {
                            "type": {"const": "negativeAcknowledge"},
                            "messageId": {"type": "string"},
                        },
                    },
                ),
                "isEndOfTopic": _message(
                    "IsEndOfTopic",
                    "End-of-topic question",
                    "Has the topic more messages?",
                    {
                        "type": "object",
                        "required": ["type"],
                        "properties": {"type": {"const": "isEndOfTopic"}},
                    },
                ),
                "endOfTopic": _message(
                    "EndOfTopic",
                    "End-of-topic answer",
                    "Whether the topic has ended.",
                    {
                        "type": "object",
                        "required": ["endOfTopic"],
                        "properties": {"endOfTopic": {"type": "boolean"}},
                    },
                ),
            },
            "schemas": {
                "Event": _schema(UNION),
                **{t.name: _schema(t.schema_path) for t in types},
            },
        },
    }

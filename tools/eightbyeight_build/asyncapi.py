"""The stream described in AsyncAPI 3.0, generated from the schemas and the protocol facts.

The document describes the service: it sends each event in a Pulsar frame on the reader
and consumer topics, and receives acknowledgements and commands (``pulsar.py`` holds the
protocol's facts). It stands alone: every schema file is copied into
``components.schemas`` with its ``$ref``s made local, so a copy of the file is all an
AsyncAPI tool needs, and a test holds the copies to the schema files.

Each event type has a message whose payload is that event, so that code generators
(Modelina, the AsyncAPI generator) name a model after each; the frame that carries it on
the wire is a message too (``PulsarFrame``, its payload's encoding said by
``contentEncoding`` and ``contentMediaType``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urljoin

from eightbyeight_events import __version__, pulsar
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.schemas import FRAME, SchemaSet
from eightbyeight_events.testing.events import example_message

NAME = "asyncapi.yaml"
JSON_SCHEMA = "application/schema+json;version=draft-07"
"""The JSON Schema format every AsyncAPI tool reads (the reference parser has no parser for
2020-12); the schemas use no keyword that draft-07 reads otherwise."""


def component_key(schemas: SchemaSet, uri: str) -> str:
    """A schema file's name in ``components.schemas``: its title where that is a name
    (``InteractionQueuedMessage``: code generators name their models after it), its path
    otherwise (``common/codes.schema.json`` as ``common.codes``)."""
    title = schemas.documents[uri].get("title", "")
    if re.fullmatch(r"\w+", title):
        return str(title)
    path = schemas.relative_path(uri).removesuffix(".json").removesuffix(".schema")
    return path.replace("/", ".")


def local_schemas(schemas: SchemaSet) -> dict[str, Any]:
    """Every schema file, keyed by ``component_key``, with ``$id`` and ``$schema`` left out
    and each ``$ref`` made a pointer into ``components.schemas``."""
    found = {}
    for uri, document in sorted(schemas.documents.items()):
        body = {k: v for k, v in document.items() if k not in ("$id", "$schema")}
        found[component_key(schemas, uri)] = _local(body, uri, schemas)
    return found


def _local(value: Any, base: str, schemas: SchemaSet) -> Any:
    if isinstance(value, list):
        return [_local(item, base, schemas) for item in value]
    if not isinstance(value, dict):
        return value
    local = {}
    for key, item in value.items():
        if key == "$ref" and isinstance(item, str):
            target, fragment = urldefrag(urljoin(base, item))
            local[key] = f"#/components/schemas/{component_key(schemas, target)}{fragment}"
        else:
            local[key] = _local(item, base, schemas)
    return local


def _schema(key: str) -> dict[str, Any]:
    return {"schemaFormat": JSON_SCHEMA, "schema": {"$ref": f"#/components/schemas/{key}"}}


def _parameter(description: str, examples: list[str] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"description": description}
    if examples:
        found["examples"] = examples  # open: the service adds event types
    return found


QUEUE = {
    "type": "integer",
    "minimum": 1,
    "description": "How many unacknowledged messages the service sends before it waits for "
    f"acknowledgements (default {pulsar.DEFAULT_QUEUE}).",
}
READER_QUERY = {
    "type": "object",
    "properties": {
        "messageId": {
            "type": "string",
            "description": "Where to start: earliest, latest (the default), or the id of the "
            "last message processed (URL-encoded); a reader starts after it.",
        },
        "receiverQueueSize": QUEUE,
        "readerName": {"type": "string", "description": "A name for the reader."},
    },
}
CONSUMER_QUERY = {
    "type": "object",
    "properties": {
        "subscriptionType": {
            "type": "string",
            "enum": ["Exclusive", "Failover", "Shared", "Key_Shared"],
            "description": "How the subscription's consumers share its messages "
            "(default Exclusive).",
        },
        "receiverQueueSize": QUEUE,
        "consumerName": {"type": "string", "description": "A name for the consumer."},
        "ackTimeoutMillis": {
            "type": "integer",
            "description": "Milliseconds after which an unacknowledged message is sent again "
            "(default 0: never).",
        },
        "pullMode": {
            "type": "boolean",
            "description": "Messages come only when asked for with permit (default false).",
        },
        "negativeAckRedeliveryDelay": {
            "type": "integer",
            "description": "Milliseconds before a negatively acknowledged message comes "
            "again (default 60000).",
        },
    },
}
CLIENT_MESSAGES = ("ack", "isEndOfTopic")
CONSUMER_MESSAGES = ("negativeAcknowledge", "permit")


def _channel(
    address: str,
    description: str,
    parameters: dict[str, Any],
    event_names: list[str],
    consumer: bool = False,
) -> dict[str, Any]:
    names = ["frame", *event_names, "endOfTopic", *CLIENT_MESSAGES]
    if consumer:
        names += CONSUMER_MESSAGES
    return {
        "address": address,
        "description": description,
        "parameters": {"tenant": _parameter("The tenant's name."), **parameters},
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names},
        "bindings": {
            "ws": {
                "method": "GET",
                "query": CONSUMER_QUERY if consumer else READER_QUERY,
                "bindingVersion": "0.1.0",
            },
            "pulsar": {
                "namespace": address.split("/persistent/{tenant}/", 1)[1].split("/", 1)[0],
                "persistence": "persistent",
                "bindingVersion": "0.1.0",
            },
        },
    }


def _operation(
    action: str, channel: str, messages: list[str], summary: str, description: str
) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "description": description,
        "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"} for name in messages],
    }


def _message(
    name: str, title: str, summary: str, payload: dict[str, Any], **more: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "title": title,
        "summary": summary,
        "contentType": "application/json",
        "payload": payload,
        **more,
    }


def _command(name: str, title: str, summary: str, fields: dict[str, Any]) -> dict[str, Any]:
    payload = {"type": "object", "required": list(fields), "properties": fields}
    return _message(name, title, summary, payload)


def _event_message(schemas: SchemaSet, name: str, path: str) -> dict[str, Any]:
    document = schemas.document(path)
    description = document["$defs"][name].get("description", "")
    return _message(
        name,
        name,
        description.split(". ")[0].rstrip(".") + ".",
        _schema(component_key(schemas, schemas.uri(path))),
        description="The event, as its frame's payload carries it: base64 of its UTF-8 "
        "JSON (see the PulsarFrame message). " + description,
        examples=[{"name": f"{name} example", "payload": example_message(name)}],
    )


def asyncapi(schemas: SchemaSet) -> dict[str, Any]:
    types = event_types(schemas)
    names = [t.name for t in types]
    channels = {
        "allEvents": _channel(
            "/ws/v2/reader/persistent/{tenant}/event-v1/all",
            "A reader of every event of the tenant, in publish order.",
            {},
            names,
        ),
        "eventsOfOneType": _channel(
            "/ws/v2/reader/persistent/{tenant}/event-v1/{eventType}",
            "A reader of the events of one type.",
            {"eventType": _parameter("The event type; the service adds types.", names)},
            names,
        ),
        "eventsOfOneAgent": _channel(
            "/ws/v2/reader/persistent/{tenant}/agent-v1/{agentId}",
            "A reader of the events of one agent, named by its short id (such as "
            "agAglVJkg0TU28dok9y9UQKg), not its GUID.",
            {"agentId": _parameter("The agent's short id.")},
            names,
        ),
        "consumer": _channel(
            "/ws/v2/consumer/persistent/{tenant}/{namespace}/{topic}/{subscription}",
            "A consumer of a topic: the subscription keeps its place between sessions.",
            {
                "namespace": _parameter("event-v1 or agent-v1.", list(pulsar.NAMESPACES)),
                "topic": _parameter("all, an event type, or an agent's short id.", ["all"]),
                "subscription": _parameter("The subscription's name."),
            },
            names,
            consumer=True,
        ),
    }
    operations: dict[str, Any] = {}
    for channel in channels:
        consumer = channel == "consumer"
        operations[f"{channel}Send"] = _operation(
            "send",
            channel,
            ["frame", *names],
            "The service sends each event in a Pulsar frame.",
            "The frame's payload is the base64 of the event's UTF-8 JSON.",
        )
        operations[f"{channel}Ack"] = _operation(
            "receive",
            channel,
            ["ack"],
            "The client acknowledges each message it has processed, as a reader too.",
            "Without acknowledgements the service stops after receiverQueueSize messages.",
        )
        operations[f"{channel}AskEnd"] = _operation(
            "receive",
            channel,
            ["isEndOfTopic"],
            "The client asks whether the topic has more messages.",
            "Answered with an endOfTopic control message.",
        )
        operations[f"{channel}End"] = _operation(
            "send",
            channel,
            ["endOfTopic"],
            "The service says whether the topic has ended.",
            "A control message: not an event frame.",
        )
        if consumer:
            operations["consumerNack"] = _operation(
                "receive",
                channel,
                ["negativeAcknowledge"],
                "A consumer gives a message back, to receive it again.",
                "Redelivered after negativeAckRedeliveryDelay.",
            )
            operations["consumerPermit"] = _operation(
                "receive",
                channel,
                ["permit"],
                "In pull mode, a consumer asks for more messages.",
                "Nothing is sent beyond what was permitted.",
            )
    security = [
        {"$ref": "#/components/securitySchemes/apiKeyHeader"},
        {"$ref": "#/components/securitySchemes/apiKeyQuery"},
    ]
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
                "security": security,
            }
            for region, label in pulsar.REGIONS.items()
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "securitySchemes": {
                "apiKeyHeader": {
                    "type": "httpApiKey",
                    "name": pulsar.KEY_HEADER,
                    "in": "header",
                    "description": "The tenant's API key, in a header (preferred).",
                },
                "apiKeyQuery": {
                    "type": "httpApiKey",
                    "name": pulsar.KEY_QUERY,
                    "in": "query",
                    "description": "The tenant's API key, as a query parameter.",
                },
            },
            "messages": {
                "frame": _message(
                    "PulsarFrame",
                    "Pulsar frame",
                    "The envelope of every event on the wire: the event is base64-encoded "
                    "UTF-8 JSON in its payload (contentEncoding base64, contentMediaType "
                    "application/json).",
                    _schema(component_key(schemas, schemas.uri(FRAME))),
                ),
                **{t.name: _event_message(schemas, t.name, t.schema_path) for t in types},
                "ack": _command(
                    "Acknowledge",
                    "Acknowledgement",
                    "The client has processed a message.",
                    {"messageId": {"type": "string"}},
                ),
                "negativeAcknowledge": _command(
                    "NegativeAcknowledge",
                    "Negative acknowledgement",
                    "A consumer asks for a message again.",
                    {"type": {"const": "negativeAcknowledge"}, "messageId": {"type": "string"}},
                ),
                "permit": _command(
                    "Permit",
                    "Permit",
                    "In pull mode, a consumer asks for more messages.",
                    {"type": {"const": "permit"}, "permitMessages": {"type": "integer"}},
                ),
                "isEndOfTopic": _command(
                    "IsEndOfTopic",
                    "End-of-topic question",
                    "Has the topic more messages?",
                    {"type": {"const": "isEndOfTopic"}},
                ),
                "endOfTopic": _command(
                    "EndOfTopic",
                    "End-of-topic answer",
                    "Whether the topic has ended.",
                    {"endOfTopic": {"type": "boolean"}},
                ),
            },
            "schemas": local_schemas(schemas),
        },
    }

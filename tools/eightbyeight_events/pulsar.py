"""Apache Pulsar's WebSocket API as 8x8 runs it: the one place that knows
endpoints, topics, query parameters, client commands and how a frame is made.

``capture`` (a client) and ``replay`` (a local stand-in for the service) both ask it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal
from urllib.parse import quote, unquote

REGIONS = {"euw2": "UK/EU", "use1": "US1", "usw2": "US2"}
NAMESPACES = ("event-v1", "agent-v1")
ALL = "all"
DEFAULT_TOPIC = "event-v1/all"
DEFAULT_QUEUE = 1000
DEFAULT_MAX_FRAME_BYTES = 16 << 20
"""The longest message a client takes by default: frames are some 2 KB."""
KEY_HEADER = "X-API-Key"
KEY_QUERY = "x-api-key"
Role = Literal["reader", "consumer"]


def region_url(region: str) -> str:
    return f"wss://pulsar-ws-{region}.8x8.com"


class TopicError(ValueError):
    """A topic or endpoint outside what the service offers."""


class QueryError(ValueError):
    """A query parameter the service would refuse (HTTP 400)."""


MOST_QUEUE = 1_000_000
"""The largest receiverQueueSize taken: far more than a client has memory for."""


@dataclass(frozen=True)
class ReaderQuery:
    """The query parameters a server reads: where to start and how many unacknowledged
    messages the client takes (the others, such as readerName, are accepted and ignored)."""

    message_id: str = "latest"
    queue: int = DEFAULT_QUEUE

    @classmethod
    def parse(cls, query: dict[str, list[str]]) -> ReaderQuery:
        """From ``parse_qs``; raises ``QueryError`` for a value the service would refuse."""
        for name in ("messageId", "receiverQueueSize"):
            if len(query.get(name, ())) > 1:
                raise QueryError(f"{name} is given {len(query[name])} times")
        message_id = query.get("messageId", ["latest"])[0]
        if not message_id:
            raise QueryError("messageId is empty: give earliest, latest or a message id")
        told = query.get("receiverQueueSize", [str(DEFAULT_QUEUE)])[0]
        whole = told.isascii() and told.isdigit() and len(told) <= len(str(MOST_QUEUE))
        if not whole or not 1 <= int(told) <= MOST_QUEUE:
            shown = told if len(told) <= 20 else told[:20] + "…"
            raise QueryError(
                f"receiverQueueSize {shown!r} is not a whole number from 1 to {MOST_QUEUE:,}"
            )
        return cls(message_id, int(told))


@dataclass(frozen=True)
class Endpoint:
    """One WebSocket endpoint: who reads, from which tenant, which topic."""

    role: Role
    tenant: str
    namespace: str
    topic: str
    subscription: str | None = None

    @classmethod
    def of(cls, tenant: str, topic: str, subscription: str | None = None) -> Endpoint:
        namespace, _, name = topic.partition("/")
        if namespace not in NAMESPACES or not name or "/" in name:
            raise TopicError(
                f"topic {topic!r}: expected event-v1/all, event-v1/{{EventType}} "
                "or agent-v1/{agentId}"
            )
        return cls("consumer" if subscription else "reader", tenant, namespace, name, subscription)

    @classmethod
    def parse(cls, path: str) -> Endpoint:
        """From a request path: ``/ws/v2/{reader|consumer}/persistent/{tenant}/{namespace}/
        {topic}`` (and ``/{subscription}`` for a consumer)."""
        parts = [unquote(part) for part in path.split("?", 1)[0].strip("/").split("/")]
        if len(parts) < 7 or parts[:2] != ["ws", "v2"] or parts[3] != "persistent":
            raise TopicError(f"no such endpoint: {path}")
        role, tenant, namespace, topic = parts[2], parts[4], parts[5], parts[6]
        if role == "reader" and len(parts) == 7:
            return cls.of(tenant, f"{namespace}/{topic}")
        if role == "consumer" and len(parts) == 8:
            return cls.of(tenant, f"{namespace}/{topic}", parts[7])
        raise TopicError(f"no such endpoint: {path}")

    @property
    def path(self) -> str:
        end = f"/{quote(self.subscription, safe='')}" if self.subscription else ""
        where = "/".join(quote(part, safe="") for part in (self.tenant, self.namespace, self.topic))
        return f"/ws/v2/{self.role}/persistent/{where}{end}"

    def carries(self, event_type: str, agent: str | None) -> bool:
        """Whether a message of ``event_type`` (of agent ``agent``) is published on this topic."""
        if self.namespace == "agent-v1":
            return agent == self.topic
        return self.topic in (ALL, event_type)


def query(message_id: str | None, queue: int | None = None) -> str:
    """The query string: where to start (``earliest``, ``latest`` or after an id)."""
    parts = []
    if message_id is not None:
        parts.append(f"messageId={quote(message_id, safe='')}")
    if queue is not None:
        parts.append(f"receiverQueueSize={queue}")
    return "?" + "&".join(parts) if parts else ""


def ack(message_id: str) -> dict[str, str]:
    return {"messageId": message_id}


END_OF_TOPIC_QUESTION = {"type": "isEndOfTopic"}


def is_frame(message: Any) -> bool:
    """A frame: an object carrying ``messageId`` and ``payload``."""
    return isinstance(message, dict) and "messageId" in message and "payload" in message


def is_control(message: Any) -> bool:
    """A control message, no event frame: an object that is no frame and carries ``type``
    or ``endOfTopic`` (an answer to ``isEndOfTopic``, or a command)."""
    return (
        isinstance(message, dict)
        and ("type" in message or "endOfTopic" in message)
        and not is_frame(message)
    )


def message_id_for(number: int) -> str:
    """A stable, opaque id for the ``number``-th message (base64, as Pulsar's are)."""
    return base64.b64encode(number.to_bytes(8, "big")).decode()


def frame(payload: bytes, message_id: str, published: float, redelivery: int = 0) -> dict[str, Any]:
    """The frame the service would send for the event ``payload`` (its JSON bytes)."""
    moment = datetime.fromtimestamp(published, tz=timezone.utc)
    return {
        "messageId": message_id,
        "payload": base64.b64encode(payload).decode(),
        "properties": {},
        "publishTime": moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
        "redeliveryCount": redelivery,
    }


def published(frame_: dict[str, Any]) -> float | None:
    """The frame's publishTime in seconds, when it can be read."""
    text = frame_.get("publishTime")
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T")).timestamp()
    except ValueError:
        return None

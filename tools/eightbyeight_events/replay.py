"""``8x8-events replay``: a local stand-in for the service, serving a capture over ws://.

It speaks Pulsar's WebSocket API as 8x8 runs it: reader and consumer
endpoints for ``event-v1/all``, ``event-v1/{EventType}`` and
``agent-v1/{agentId}``, ``messageId`` (earliest, latest, or after an id),
``receiverQueueSize`` (nothing more is sent until acks arrive), acks,
``isEndOfTopic``, 401 for a bad key and 403 for another tenant. Decoded
events are wrapped into frames with stable message ids. For consumers'
tests it can redeliver, drop connections and reorder, on purpose.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import orjson
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from eightbyeight_events import pulsar
from eightbyeight_events.contract import load_contract
from eightbyeight_events.documents import Problem
from eightbyeight_events.readers import Source, batches, decoded_chunks, expand
from eightbyeight_events.stream import Sighting

DEFAULT_TENANT = "acmecorp01"
COMMAND_BYTES = 64 << 10
"""The longest message a client may send: its commands (an ack, isEndOfTopic) are tiny."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message to serve: the frame's text only, plus what routing needs (a replay holds
    every message of its captures, so each is kept small)."""

    message_id: str
    text: str
    """the frame as sent, serialised once"""
    event_type: str
    agent: str | None
    published: float | None
    index: int
    """its place in the whole replay (looped messages get ids made from it)"""


def _messages_of(source: Source, first_number: int) -> Iterable[Message]:
    judge = load_contract()
    number = first_number
    with source.reading() as stream:
        for batch in batches(decoded_chunks(stream), 4 << 20):
            for item in batch.items:
                if isinstance(item, Problem):
                    continue
                verdict = judge.judge_text(item)
                event = verdict.message
                if not isinstance(event, dict) or len(event) != 1:
                    continue  # unreadable, or a control message: nothing to replay
                wrapper, payload = next(iter(event.items()))
                told = payload.get("event") if isinstance(payload, dict) else None
                name = verdict.event_type or (told if isinstance(told, str) else wrapper)
                sighting = Sighting.of(name, payload, source.name, 0)
                frame = verdict.frame
                number += 1
                if not isinstance(frame, dict):
                    when = sighting.time if sighting.time is not None else 0.0
                    frame = pulsar.frame(item, pulsar.message_id_for(number), when)
                text = orjson.dumps(frame).decode()
                yield Message(
                    frame["messageId"],
                    text,
                    name,
                    sighting.agent,
                    pulsar.published(frame),
                    number - 1,
                )


def load(paths: Iterable[str], warn: Callable[[str], None]) -> list[Message]:
    """The messages of the captures, in order, each as the frame that carries it; a source
    that cannot be read (a dangling link, a file without read permission) is told to
    ``warn`` in the words ``validate`` uses, and left out."""
    found: list[Message] = []
    for source in expand(paths):
        try:
            if source.error:
                raise OSError(source.error)
            found.extend(_messages_of(source, len(found)))
        except OSError as error:
            warn(f"{source.name}:1: cannot read {source.name}: {error.strerror or error}")
    return found


Item = TypeVar("Item")


def reorder(messages: list[Item], window: int, seed: int) -> list[Item]:
    """Shuffle within consecutive windows of ``window`` messages (arrival out of order)."""
    if window < 2:
        return messages
    rng = random.Random(seed)
    result: list[Item] = []
    for start in range(0, len(messages), window):
        chunk = messages[start : start + window]
        rng.shuffle(chunk)
        result.extend(chunk)
    return result


@dataclass
class Faults:
    redeliver_rate: float = 0.0
    drop_every: int = 0
    """close each session after this many messages (0: never)"""
    seed: int = 1


@dataclass
class ReplayServer:
    """Serves ``messages`` to every client that connects with ``key`` for ``tenant``."""

    messages: list[Message]
    key: str
    tenant: str = DEFAULT_TENANT
    speed: float = 0.0
    loop: bool = False
    faults: Faults = field(default_factory=Faults)
    acked: dict[str, set[str]] = field(default_factory=dict)
    """subscription -> the message ids its consumers acknowledged"""
    sent: int = 0
    sessions: int = 0
    """The replay publishes when its first client connects: a reader of the first session
    that starts at ``latest`` (the service's default) receives everything."""

    def topic(self, endpoint: pulsar.Endpoint) -> list[Message]:
        return [m for m in self.messages if endpoint.carries(m.event_type, m.agent)]

    def refuse(self, connection: ServerConnection, request: Request) -> Response | None:
        """The handshake: 401 for a missing or wrong key, 403 for another tenant, 404 for a
        path that is no endpoint."""
        parts = urlsplit(request.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        headers = request.headers.get_all(pulsar.KEY_HEADER)
        if len(headers) > 1 or len(query.get(pulsar.KEY_QUERY, ())) > 1:
            return connection.respond(HTTPStatus.BAD_REQUEST, "send the API key once\n")
        offered = headers[0] if headers else query.get(pulsar.KEY_QUERY, [None])[0]
        if offered != self.key:
            return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid API key\n")
        try:
            endpoint = pulsar.Endpoint.parse(parts.path)
            pulsar.ReaderQuery.parse(query)
        except pulsar.TopicError as error:
            return connection.respond(HTTPStatus.NOT_FOUND, f"{error}\n")
        except pulsar.QueryError as error:
            return connection.respond(HTTPStatus.BAD_REQUEST, f"{error}\n")
        if endpoint.tenant != self.tenant:
            return connection.respond(
                HTTPStatus.FORBIDDEN, "the key is not allowed on this topic\n"
            )
        return None

    async def session(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        parts = urlsplit(connection.request.path)
        endpoint = pulsar.Endpoint.parse(parts.path)
        asked = pulsar.ReaderQuery.parse(parse_qs(parts.query, keep_blank_values=True))
        topic = self.topic(endpoint)
        position = self._start(endpoint, topic, asked.message_id)
        self.sessions += 1
        state = _Session(asked.queue)
        sender = asyncio.create_task(self._send(connection, topic, position, state))
        listener = asyncio.create_task(self._listen(connection, endpoint, state))
        try:
            # the client's side ends the session: a sender waiting for acks that will never
            # come is stopped, so nothing of an abandoned session stays behind
            await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
            if sender.done():
                await listener  # the topic was sent: answer acks and isEndOfTopic until it goes
        except ConnectionClosed:
            pass
        finally:
            for task in (sender, listener):
                task.cancel()
            await asyncio.gather(sender, listener, return_exceptions=True)

    def _start(self, endpoint: pulsar.Endpoint, topic: list[Message], start: str) -> int:
        if endpoint.subscription is not None:  # a consumer resumes at its first unacked message
            done = self.acked.setdefault(endpoint.subscription, set())
            return next((i for i, m in enumerate(topic) if m.message_id not in done), len(topic))
        if start == "earliest":
            return 0
        if start == "latest":
            return 0 if not self.sessions else len(topic)
        for index, message in enumerate(topic):
            if message.message_id == start:
                return index + 1  # the reader starts after the given id
        return 0

    async def _send(
        self, connection: ServerConnection, topic: list[Message], position: int, state: _Session
    ) -> None:
        rng = random.Random(self.faults.seed)
        sent_here = 0
        rounds = 0
        previous: float | None = None
        while True:
            for message in topic[position:]:
                while state.unacked >= state.queue:
                    state.acked.clear()
                    await state.acked.wait()
                if self.speed > 0 and message.published is not None:
                    if previous is not None and message.published > previous:
                        await asyncio.sleep((message.published - previous) / self.speed)
                    previous = message.published
                text = message.text if not rounds else _again(message, rounds)
                await connection.send(text)
                state.sent(_looped_id(message, rounds))
                sent_here += 1
                self.sent += 1
                if self.faults.redeliver_rate and rng.random() < self.faults.redeliver_rate:
                    again = {**orjson.loads(text), "redeliveryCount": 1}
                    await connection.send(orjson.dumps(again).decode())
                    state.sent(again["messageId"])
                if self.faults.drop_every and sent_here % self.faults.drop_every == 0:
                    connection.transport.abort()  # as a network drop: no closing handshake
                    return
            state.at_end = True
            if not self.loop:
                return
            rounds, position = rounds + 1, 0

    async def _listen(
        self, connection: ServerConnection, endpoint: pulsar.Endpoint, state: _Session
    ) -> None:
        async for text in connection:
            try:
                command = orjson.loads(text)
            except orjson.JSONDecodeError:
                continue
            if not isinstance(command, dict):
                continue
            if command.get("type") == "isEndOfTopic":
                await connection.send(orjson.dumps({"endOfTopic": state.at_end}).decode())
            elif "type" not in command and isinstance(command.get("messageId"), str):
                message_id = command["messageId"]
                if state.release(message_id) and endpoint.subscription is not None:
                    self.acked[endpoint.subscription].add(message_id)


@dataclass
class _Session:
    """What one session owes its client: the messages sent and not yet acknowledged."""

    queue: int
    at_end: bool = False
    acked: asyncio.Event = field(default_factory=asyncio.Event)
    outstanding: dict[str, int] = field(default_factory=dict)
    """message id -> deliveries not yet acknowledged (a redelivery makes two)"""
    unacked: int = 0

    def sent(self, message_id: str) -> None:
        self.outstanding[message_id] = self.outstanding.get(message_id, 0) + 1
        self.unacked += 1

    def release(self, message_id: str) -> bool:
        """An ack: whether it acknowledged a delivery of this session (an ack of an id never
        sent, or of one acknowledged already, releases nothing)."""
        owed = self.outstanding.get(message_id)
        if not owed:
            return False
        if owed == 1:
            del self.outstanding[message_id]
        else:
            self.outstanding[message_id] = owed - 1
        self.unacked -= 1
        self.acked.set()
        return True


def _looped_id(message: Message, rounds: int) -> str:
    """The id of ``message`` in round ``rounds`` of a loop (round 0: its own)."""
    if not rounds:
        return message.message_id
    return pulsar.message_id_for((rounds << 40) + message.index)


def _again(message: Message, rounds: int) -> str:
    """A looped message: the same event under a new id, as a new publication would be."""
    fresh = {**orjson.loads(message.text), "messageId": _looped_id(message, rounds)}
    return orjson.dumps(fresh).decode()


def listen(server: ReplayServer, host: str, port: int) -> Server:
    """The WebSocket server of ``server`` on ``host:port`` (0: a free port), to enter with
    ``async with``."""
    return serve(
        server.session,
        host,
        port,
        process_request=server.refuse,
        ping_interval=20,
        ping_timeout=10,
        max_size=COMMAND_BYTES,
    )


async def run_server(server: ReplayServer, host: str, port: int, announce: bool = True) -> None:
    async with listen(server, host, port) as running:
        if announce:
            _announce(running, server)
        await running.serve_forever()


def _announce(running: Server, server: ReplayServer) -> None:
    for sock in running.sockets:
        host, port = sock.getsockname()[:2]
        print(
            f"replaying {len(server.messages):,} messages on ws://{host}:{port} "
            f"(tenant {server.tenant}); Ctrl-C stops",
            file=sys.stderr,
            flush=True,
        )

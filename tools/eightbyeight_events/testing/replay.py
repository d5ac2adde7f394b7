"""The replay server in a thread of its own, for a test: ``8x8-events replay`` as a local
stand-in for the service, on 127.0.0.1 with a free port and a generated key."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import orjson

from eightbyeight_events import pulsar
from eightbyeight_events.loader import to_dict
from eightbyeight_events.model_base import Model
from eightbyeight_events.readers import UsageError
from eightbyeight_events.replay import (
    DEFAULT_TENANT,
    Faults,
    Message,
    ReplayServer,
    listen,
    load,
    reorder,
)

Source = str | Path | Iterable[Any]
"""A capture (a file or a folder), or the messages themselves: models, decoded events or
frames as dicts, or JSON text."""


class ReplayError(RuntimeError):
    """The replay could not start: a capture that cannot be read, a port that is taken."""


@dataclass
class RunningReplay:
    """A replay server running in a thread; a context manager that stops it."""

    host: str
    port: int
    api_key: str = field(repr=False)  # a key is never shown, not even a test's
    tenant: str
    messages: int
    """how many messages it serves"""
    _loop: asyncio.AbstractEventLoop = field(repr=False)
    _stopped: asyncio.Event = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        """The server's base URL (``ws://127.0.0.1:PORT``)."""
        return f"ws://{self.host}:{self.port}"

    def url_for(
        self, topic: str = "event-v1/all", subscription: str | None = None, **query: str | int
    ) -> str:
        """The full WebSocket URL of ``topic`` (``event-v1/all``, ``event-v1/{EventType}``,
        ``agent-v1/{agentId}``): a reader's, or with ``subscription`` a consumer's; ``query``
        as the service takes it, such as ``messageId="earliest"`` or
        ``receiverQueueSize=10``."""
        endpoint = pulsar.Endpoint.of(self.tenant, topic, subscription)
        tail = f"?{urlencode(query)}" if query else ""
        return f"{self.url}{endpoint.path}{tail}"

    @property
    def headers(self) -> dict[str, str]:
        """The header that carries the key, as the service wants it."""
        return {"X-API-Key": self.api_key}

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stopped.set)
            self._thread.join(timeout=10)

    def __enter__(self) -> RunningReplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def start_replay(
    source: Source,
    *,
    api_key: str | None = None,
    tenant: str = DEFAULT_TENANT,
    redeliver_rate: float = 0.0,
    drop_connection_every: int = 0,
    reorder_window: int = 0,
    seed: int = 1,
    speed: float = 0.0,
    loop: bool = False,
) -> RunningReplay:
    """Serve ``source`` on 127.0.0.1 until ``stop()``. The fault options are the command's:
    redeliver a share of the messages, drop every session after that many messages, shuffle
    within windows of that many messages (``seed`` makes them repeatable)."""
    messages = reorder(_load(source), reorder_window, seed)
    key = api_key or secrets.token_urlsafe(18)
    faults = Faults(redeliver_rate, drop_connection_every, seed)
    server = ReplayServer(messages, key, tenant, speed, loop, faults)
    event_loop = asyncio.new_event_loop()
    stopped = asyncio.Event()
    ready: Future[int] = Future()
    thread = threading.Thread(
        target=event_loop.run_until_complete,
        args=(_serve(server, stopped, ready),),
        name="8x8-events replay",
        daemon=True,
    )
    thread.start()
    try:
        port = ready.result(timeout=30)
    except OSError as error:
        raise ReplayError(f"cannot listen on 127.0.0.1: {error.strerror}") from None
    return RunningReplay("127.0.0.1", port, key, tenant, len(messages), event_loop, stopped, thread)


async def _serve(server: ReplayServer, stopped: asyncio.Event, ready: Future[int]) -> None:
    try:
        async with listen(server, "127.0.0.1", 0) as running:
            ready.set_result(running.sockets[0].getsockname()[1])
            await stopped.wait()
    except OSError as error:
        if not ready.done():
            ready.set_exception(error)


def _load(source: Source) -> list[Message]:
    """The messages to serve: a capture's, or the messages given, written to a file of their
    own for as long as they are read."""
    warnings: list[str] = []
    try:
        if isinstance(source, str | Path):
            messages = load([str(source)], warnings.append)
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "messages.jsonl"
                path.write_bytes(b"".join(_text(message) + b"\n" for message in source))
                messages = load([str(path)], warnings.append)
    except UsageError as error:
        raise ReplayError(str(error)) from None
    if warnings:
        raise ReplayError("; ".join(warnings))
    return messages


def _text(message: Any) -> bytes:
    if isinstance(message, str):
        return message.encode()
    if isinstance(message, bytes):
        return message
    if isinstance(message, Model):
        return orjson.dumps(to_dict(message))
    return orjson.dumps(message)

"""``8x8-events capture``: the live stream into files, resumable, one frame per line.

A reader (or, with a subscription, a consumer) of the Pulsar WebSocket API
(FACTS §1, §8). Every frame is written as received, one per line, and then
acknowledged; control messages are skipped. Started again on the same
output, it reads the last ``messageId`` written and continues after it, and
a frame already written (a redelivery) is not written twice. It reconnects
by itself with exponential back-off and jitter after a drop, a close or a
missing pong; 401 and 403 end it. The API key comes from the environment or
a file and is never printed, logged or written.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import random
import shutil
import signal
import sys
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI

from eightbyeight_events import pulsar
from eightbyeight_events.contract import load_contract

REMEMBERED_IDS = 100_000
"""Message ids remembered to tell a redelivery from a new message."""
BACKOFF_FIRST = 0.5
BACKOFF_MOST = 30.0


class CaptureError(Exception):
    """The capture cannot go on (a refused key, an output that cannot be written): exit 2."""


@dataclass(frozen=True)
class Settings:
    base_url: str
    endpoint: pulsar.Endpoint
    key: str
    output: Path | None
    """None writes to standard output"""
    start: str = "latest"
    rotate_bytes: int | None = None
    rotate_seconds: float | None = None
    queue: int = pulsar.DEFAULT_QUEUE
    validate: bool = False
    exit_at_end: bool = False
    max_messages: int | None = None
    ping_interval: float = 20.0
    ping_timeout: float = 10.0

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + self.endpoint.path


class Output:
    """The capture file: appended one complete line at a time, rotated and gzipped."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = settings.output
        self.handle: IO[bytes] | None = None
        self.opened = time.monotonic()
        self.size = 0
        self.rotations = 0

    def last_message_id(self) -> str | None:
        """The id of the last complete frame written, in this file or the newest rotated one."""
        candidates = [self.path] if self.path else []
        if self.path is not None:
            candidates += sorted(self.path.parent.glob(f"{self.path.stem}-*.jsonl.gz"))[::-1]
        for candidate in candidates:
            last = _last_line(candidate) if candidate.exists() else None
            if last is not None:
                try:
                    found = orjson.loads(last).get("messageId")
                except (orjson.JSONDecodeError, AttributeError):
                    continue
                if isinstance(found, str):
                    return found
        return None

    def write(self, line: bytes) -> None:
        if self.handle is None:
            self._open()
        assert self.handle is not None
        self.handle.write(line + b"\n")
        self.handle.flush()
        self.size += len(line) + 1
        if self._due():
            self.rotate()

    def _open(self) -> None:
        if self.path is None:
            self.handle = sys.stdout.buffer
            return
        try:
            _complete_last_line(self.path)
            self.handle = self.path.open("ab")
        except OSError as error:
            raise CaptureError(f"cannot write {self.path}: {error.strerror}") from None
        self.size = self.path.stat().st_size
        self.opened = time.monotonic()

    def _due(self) -> bool:
        rotate = self.settings
        return self.path is not None and (
            (rotate.rotate_bytes is not None and self.size >= rotate.rotate_bytes)
            or (
                rotate.rotate_seconds is not None
                and time.monotonic() - self.opened >= rotate.rotate_seconds
            )
        )

    def rotate(self) -> None:
        """Close the file, gzip it beside under a time-stamped name, start a new one."""
        if self.path is None or self.handle is None:
            return
        self.handle.close()
        self.handle = None
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        self.rotations += 1
        name = f"{self.path.stem}-{stamp}-{os.getpid()}-{self.rotations:06d}.jsonl.gz"
        target = self.path.with_name(name)
        with self.path.open("rb") as source, gzip.open(target, "wb") as packed:
            shutil.copyfileobj(source, packed)
        self.path.unlink()
        self.size = 0

    def close(self) -> None:
        if self.handle is not None and self.path is not None:
            self.handle.close()
        self.handle = None


def _last_line(path: Path) -> bytes | None:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as packed:
            lines = [line for line in packed.read().split(b"\n") if line.strip()]
        return lines[-1] if lines else None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - (1 << 20)))
        tail = handle.read()
    complete = tail[: tail.rfind(b"\n")] if not tail.endswith(b"\n") else tail
    lines = [line for line in complete.split(b"\n") if line.strip()]
    return lines[-1] if lines else None


def _complete_last_line(path: Path) -> None:
    """Drop a line cut off by a kill, so the file holds only complete frames."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        data = handle.read()
        handle.seek(0)
        handle.truncate()
        handle.write(data[: data.rfind(b"\n") + 1])


@dataclass
class Tally:
    messages: int = 0
    written: int = 0
    redelivered: int = 0
    control: int = 0
    invalid: int = 0
    unknown: int = 0
    drift: int = 0
    sessions: int = 0


class Capture:
    def __init__(self, settings: Settings, say: Callable[[str], None]) -> None:
        self.settings = settings
        self.say = say
        self.output = Output(settings)
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.tally = Tally()
        self.stopping = asyncio.Event()
        self.last_id = self.output.last_message_id()
        self.drawn = 0.0
        self.heard = 0.0
        """when the last message arrived (monotonic clock)"""

    def remember(self, message_id: str) -> bool:
        """True when ``message_id`` is new; remembered from now on."""
        if message_id in self.seen:
            return False
        self.seen[message_id] = None
        if len(self.seen) > REMEMBERED_IDS:
            self.seen.popitem(last=False)
        return True

    async def run(self) -> Tally:
        attempt = 0
        while not self.stopping.is_set():
            start = self.last_id if self.last_id is not None else self.settings.start
            url = self.settings.url + pulsar.query(start, self.settings.queue)
            before = self.tally.messages
            try:
                async with connect(
                    url,
                    additional_headers={pulsar.KEY_HEADER: self.settings.key},
                    ping_interval=self.settings.ping_interval,
                    ping_timeout=self.settings.ping_timeout,
                    open_timeout=45,
                    close_timeout=2,
                    max_size=None,
                ) as connection:
                    self.tally.sessions += 1
                    await self.session(connection)
                    if self.done():
                        break
            except InvalidStatus as error:
                status = error.response.status_code
                if status in (401, 403):
                    reason = (
                        "the API key was refused"
                        if status == 401
                        else ("the API key is not allowed on this topic or tenant")
                    )
                    raise CaptureError(f"{reason} (HTTP {status})") from None
                self.say(f"the service answered HTTP {status}; trying again")
            except InvalidURI as error:
                raise CaptureError(f"not a WebSocket URL: {error.uri}") from None
            except (ConnectionClosed, OSError, asyncio.TimeoutError) as error:
                self.say(f"connection lost ({type(error).__name__}); reconnecting")
            if self.stopping.is_set() or self.done():
                break
            if self.tally.messages > before:
                attempt = 0  # the session brought messages: back-off starts over
            attempt += 1
            delay = min(BACKOFF_MOST, BACKOFF_FIRST * 2 ** (attempt - 1))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), delay * random.uniform(0.5, 1.5))
        self.output.close()
        return self.tally

    def done(self) -> bool:
        most = self.settings.max_messages
        return most is not None and self.tally.written >= most

    async def session(self, connection: ClientConnection) -> None:
        """Read until the session ends (or the capture is stopped)."""
        self.heard = time.monotonic()
        watcher = asyncio.create_task(self.watch(connection))
        try:
            async for text in connection:
                self.heard = time.monotonic()
                await self.handle(text, connection)
                if self.done() or self.stopping.is_set():
                    break
        finally:
            watcher.cancel()

    async def watch(self, connection: ClientConnection) -> None:
        """Ends the session when the capture is stopped; with --exit-at-end, asks whether the
        topic has ended once the stream has gone quiet (the answer comes in as a message)."""
        asked = 0.0
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), 0.25)
            if self.stopping.is_set():
                await connection.close()
                return
            quiet = time.monotonic() - self.heard
            if self.settings.exit_at_end and quiet > 0.5 and asked < self.heard:
                asked = time.monotonic()
                with contextlib.suppress(ConnectionClosed):
                    await connection.send(orjson.dumps(pulsar.END_OF_TOPIC_QUESTION).decode())

    async def handle(self, text: str | bytes, connection: ClientConnection) -> int:
        """Write one received message (unless it is a control message or already written),
        then acknowledge it; the number of messages it was (0 or 1)."""
        raw = text.encode() if isinstance(text, str) else bytes(text)
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            message = None
        if pulsar.is_control(message):
            if message.get("endOfTopic") is True and self.settings.exit_at_end:
                self.stopping.set()
            elif "endOfTopic" not in message:
                self.tally.control += 1
            return 0
        self.tally.messages += 1
        found = message.get("messageId") if isinstance(message, dict) else None
        message_id = found if isinstance(found, str) else None
        if message_id is None or self.remember(message_id):
            self.output.write(raw)
            self.tally.written += 1
            self.last_id = message_id or self.last_id
            if self.settings.validate:
                self.judge(message)
        else:
            self.tally.redelivered += 1
        if message_id is not None:  # acknowledged once written (or known): at-least-once
            with contextlib.suppress(ConnectionClosed):  # closing: read what is left first
                await connection.send(orjson.dumps(pulsar.ack(message_id)).decode())
        return 1

    def judge(self, frame: Any) -> None:
        verdict = load_contract().judge_frame(frame)
        if verdict.status in ("invalid", "unreadable"):
            self.tally.invalid += 1
        elif verdict.status == "unknown":
            self.tally.unknown += 1
        if verdict.drift:
            self.tally.drift += 1
        now = time.monotonic()
        if now - self.drawn >= 1:
            self.drawn = now
            self.say_live()

    def say_live(self) -> None:
        t = self.tally
        sys.stderr.write(
            f"\r{t.written:,} messages, {t.invalid:,} invalid, {t.unknown:,} unknown, "
            f"{t.drift:,} with drift, {t.redelivered:,} redelivered "
        )
        sys.stderr.flush()


def read_key(variable: str, file: Path | None) -> str:
    """The API key from a file or the environment; never from the command line."""
    if file is not None:
        try:
            key = file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise CaptureError(f"cannot read --api-key-file {file}: {error.strerror}") from None
        if not key:
            raise CaptureError(f"--api-key-file {file} is empty")
        return key
    key = os.environ.get(variable, "").strip()
    if not key:
        raise CaptureError(
            f"no API key: set the environment variable {variable}, or use --api-key-file"
        )
    return key


def capture(settings: Settings) -> Tally:
    """Run until stopped (SIGINT, SIGTERM, --max-messages, --exit-at-end)."""

    def say(text: str) -> None:
        print(f"8x8-events capture: {text}", file=sys.stderr, flush=True)

    async def main() -> Tally:
        job = Capture(settings, say)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, job.stopping.set)
        try:
            return await job.run()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            if settings.validate:
                job.say_live()
                sys.stderr.write("\n")

    return asyncio.run(main())

"""``8x8-events capture``: the live stream into files, resumable, one frame per line.

A reader (or, with a subscription, a consumer) of Pulsar's WebSocket API as
8x8 runs it. The capture holds a team's only copy of its traffic, so:

- a frame is acknowledged only once it is written (``Output.write``: in the
  file, not in a buffer; ``--fsync`` also on the disk); when the output cannot
  be written, nothing more is acknowledged and the write is tried again, so
  the service keeps every frame the file lacks;
- every line is one message: a frame that came pretty-printed is written
  compact, and a message that is no JSON text goes to a side file;
- started again on the same output, it reads the file back from its end to
  the last complete frame and continues after that ``messageId``;
- a redelivery (an id already written) and a message without an id seen
  before are written once;
- the API key goes only to the origin the user named, and appears in no
  output; after a drop it reconnects with exponential back-off and jitter,
  which starts over only after a session that brought new frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import random
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import (
    ConnectionClosed,
    InvalidStatus,
    InvalidURI,
    WebSocketException,
)

from eightbyeight_events import pulsar
from eightbyeight_events.capture_output import Output, WriteFailed
from eightbyeight_events.contract import load_contract
from eightbyeight_events.dedupe import Redeliveries

REMEMBERED_IDS = 100_000
"""Message ids (and fingerprints of messages without one) remembered to tell a redelivery."""
BACKOFF_FIRST = 0.5
BACKOFF_MOST = 30.0
WRITE_RETRY_MOST = 5.0
"""Longest wait between two tries of a write that failed."""
RETRIED_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
"""HTTP answers to the handshake that say "not now" rather than "not here"."""
EXIT_GAVE_UP = 3
EXIT_UNWRITTEN = 1


class CaptureError(Exception):
    """The capture cannot start or go on as asked (a refused key, a URL that is no WebSocket
    endpoint, a redirect elsewhere): exit 2."""


class GaveUp(Exception):
    """No progress for ``--give-up-after``: exit 3."""


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
    fsync: bool = False
    max_frame_bytes: int = pulsar.DEFAULT_MAX_FRAME_BYTES
    give_up_after: float | None = None

    def __repr__(self) -> str:
        return f"Settings(url={self.url!r}, output={self.output!r})"  # never the key

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + self.endpoint.path


@dataclass
class Tally:
    messages: int = 0
    written: int = 0
    redelivered: int = 0
    control: int = 0
    rejected: int = 0
    invalid: int = 0
    unknown: int = 0
    drift: int = 0
    sessions: int = 0
    unwritten: int = 0
    """frames received but not written when the capture stopped (never acknowledged)"""


class Console:
    """Lines on standard error; the ``--validate`` status line is redrawn in place, and a
    line said while it shows starts on a line of its own."""

    def __init__(self) -> None:
        self.status_shown = False

    def say(self, text: str) -> None:
        prefix = "\n" if self.status_shown else ""
        self.status_shown = False
        sys.stderr.write(f"{prefix}8x8-events capture: {text}\n")
        sys.stderr.flush()

    def status(self, text: str) -> None:
        sys.stderr.write(f"\r{text}")
        sys.stderr.flush()
        self.status_shown = True

    def end(self) -> None:
        if self.status_shown:
            sys.stderr.write("\n")
            self.status_shown = False


class _Connect(connect):
    """``connect`` that follows a redirect only within the origin the user named: the key
    travels in a header, and websockets strips only the standard credential headers."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        found = super().process_redirect(exc)
        if not isinstance(found, str):
            return found
        if _origin(found) != _origin(self.uri):
            return CaptureError(
                f"{self.uri.split('?')[0]} redirects to {found.split('?')[0]}, another origin: "
                "not followed, since the API key goes only to the origin given"
            )
        return found


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    secure = parts.scheme in ("wss", "https")
    return ("wss" if secure else "ws", parts.hostname or "", parts.port or (443 if secure else 80))


class Capture:
    def __init__(self, settings: Settings, console: Console) -> None:
        self.settings = settings
        self.console = console
        self.output = Output(
            settings.output,
            rotate_bytes=settings.rotate_bytes,
            rotate_seconds=settings.rotate_seconds,
            fsync=settings.fsync,
        )
        self.seen = Redeliveries(REMEMBERED_IDS)
        self.tally = Tally()
        self.stopping = asyncio.Event()
        self.last_id = self.output.last_message_id()
        self.drawn = 0.0
        self.heard = 0.0
        """when the last message arrived (monotonic clock)"""
        self.progress_at = time.monotonic()
        """when the capture last wrote a new frame, or started"""
        self.write_failing = False

    @property
    def where(self) -> str:
        return self.settings.url

    async def run(self) -> Tally:
        attempt = 0
        try:
            while not self.stopping.is_set():
                before = self.tally.written
                why = await self.session_once()
                if self.stopping.is_set() or self.done():
                    break
                if self.tally.written > before:
                    attempt = 0  # the session brought new frames: back-off starts over
                attempt += 1
                delay = min(BACKOFF_MOST, BACKOFF_FIRST * 2 ** (attempt - 1))
                delay *= random.uniform(0.5, 1.5)
                self._give_up_if_due(why)
                limit = self.settings.give_up_after
                if limit is not None:  # no wait outlasts --give-up-after
                    delay = min(delay, self.progress_at + limit - time.monotonic())
                self.console.say(f"{why}; reconnecting to {self.where} in {delay:.1f} s")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), delay)
                self._give_up_if_due(why)
        finally:
            self.output.close()
        return self.tally

    def _give_up_if_due(self, why: str) -> None:
        limit = self.settings.give_up_after
        if limit is not None and time.monotonic() - self.progress_at >= limit:
            raise GaveUp(f"no new frame from {self.where} for {limit:g} s; last: {why}")

    async def session_once(self) -> str:
        """One connection, from the handshake to its end: why it ended."""
        start = self.last_id if self.last_id is not None else self.settings.start
        url = self.settings.url + pulsar.query(start, self.settings.queue)
        try:
            async with _Connect(
                url,
                additional_headers={pulsar.KEY_HEADER: self.settings.key},
                ping_interval=self.settings.ping_interval,
                ping_timeout=self.settings.ping_timeout,
                open_timeout=45,
                close_timeout=2,
                max_size=self.settings.max_frame_bytes,
            ) as connection:
                self.tally.sessions += 1
                await self.session(connection)
            return "the session ended"
        except CaptureError:
            raise
        except InvalidStatus as error:
            return self._refused(error.response.status_code, error.response.reason_phrase)
        except InvalidURI as error:
            raise CaptureError(f"not a WebSocket URL: {error.uri}") from None
        except ConnectionClosed as error:
            return self._closed(error)
        except WebSocketException as error:  # a handshake that is not HTTP or not WebSocket
            return f"the handshake with {self.where} failed ({error})"
        except (OSError, asyncio.TimeoutError) as error:
            reason = getattr(error, "strerror", None) or type(error).__name__
            return f"cannot connect to {self.where} ({reason})"

    def _refused(self, status: int, phrase: str) -> str:
        """What an HTTP answer instead of an upgrade means: end the capture, or try again."""
        if status == 401:
            raise CaptureError(f"{self.where}: the API key was refused (HTTP 401)")
        if status == 403:
            raise CaptureError(
                f"{self.where}: the API key is not allowed on this topic or tenant (HTTP 403)"
            )
        if status in RETRIED_STATUSES:
            return f"{self.where} answered HTTP {status} {phrase}".rstrip()
        raise CaptureError(
            f"{self.where} answered HTTP {status} {phrase}".rstrip()
            + " instead of a WebSocket upgrade: check --url (or --region), --tenant and --topic"
        )

    def _closed(self, error: ConnectionClosed) -> str:
        sent = error.sent
        if sent is not None and sent.code == 1009:
            return (
                f"a message over --max-frame-bytes ({self.settings.max_frame_bytes:,} bytes) "
                "was refused; raise the limit to capture it"
            )
        told = error.rcvd
        if told is None:
            return f"the connection to {self.where} was lost"
        reason = f": {told.reason}" if told.reason else ""
        return f"{self.where} closed the session (code {told.code}{reason})"

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
        """Ends the session when the capture is stopped, or when --give-up-after passes on a
        session that stays open and silent (the reconnect loop then gives up); with
        --exit-at-end, asks whether the topic has ended once the stream has gone quiet (the
        answer comes in as a message)."""
        asked = 0.0
        limit = self.settings.give_up_after
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), 0.25)
            silent = limit is not None and time.monotonic() - self.progress_at >= limit
            if self.stopping.is_set() or silent:
                await connection.close()
                return
            quiet = time.monotonic() - self.heard
            if self.settings.exit_at_end and quiet > 0.5 and asked < self.heard:
                asked = time.monotonic()
                with contextlib.suppress(ConnectionClosed):
                    await connection.send(orjson.dumps(pulsar.END_OF_TOPIC_QUESTION).decode())

    async def handle(self, text: str | bytes, connection: ClientConnection) -> int:
        """Write one received message (unless it is a control message or written already),
        then acknowledge it; the number of messages it was (0 or 1)."""
        raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
        message: Any = None
        try:
            message = orjson.loads(raw) if isinstance(text, str) else None
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
        remembered = message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
        if remembered in self.seen:
            self.tally.redelivered += 1
        elif message is None:  # binary, or text that is no JSON: kept apart, once
            self.seen.first_time(remembered)
            self._reject(raw)
        else:
            line = raw if b"\n" not in raw and b"\r" not in raw else orjson.dumps(message)
            if not await self.write(line):
                self.tally.unwritten += 1
                return 1  # stopped before it could be written: not acknowledged
            self.seen.first_time(remembered)
            self.tally.written += 1
            self.progress_at = time.monotonic()
            self.last_id = message_id or self.last_id
            if self.settings.validate:
                self.judge(message)
        if message_id is not None:  # acknowledged once written (or known): at-least-once
            with contextlib.suppress(ConnectionClosed):  # closing: read what is left first
                await connection.send(orjson.dumps(pulsar.ack(message_id)).decode())
        return 1

    async def write(self, line: bytes) -> bool:
        """Write ``line``, trying again while the output refuses it; False when the capture
        was stopped first (the frame is then not acknowledged, so the service keeps it)."""
        delay = BACKOFF_FIRST
        while True:
            try:
                self.output.write(line)
            except WriteFailed as error:
                if not self.write_failing:
                    self.console.say(
                        f"cannot write {self.output.name}: {error}; acknowledging nothing "
                        "until it can be written, trying again"
                    )
                    self.write_failing = True
                self._give_up_if_due(f"cannot write {self.output.name}: {error}")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), delay)
                if self.stopping.is_set():
                    return False
                delay = min(WRITE_RETRY_MOST, delay * 2)
                continue
            if self.write_failing:
                self.console.say(f"writing to {self.output.name} again")
                self.write_failing = False
            return True

    def _reject(self, raw: bytes) -> None:
        self.tally.rejected += 1
        if self.output.rejected == 0:
            self.console.say(
                "a message that is not JSON text was received; such messages are kept apart"
                + (f" in {self.output.name}.rejected.jsonl" if self.output.regular else "")
            )
        self.output.reject(raw)

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
        self.console.status(
            f"{t.written:,} messages, {t.invalid:,} invalid, {t.unknown:,} unknown, "
            f"{t.drift:,} with drift, {t.redelivered:,} redelivered "
        )


def _checked_key(key: bytes, where: str) -> str:
    """The key, if an HTTP header can carry it; the error names the problem, never the key."""
    key = key.strip()
    if not key:
        raise CaptureError(f"{where} is empty")
    for position, byte in enumerate(key, 1):
        if not 0x21 <= byte <= 0x7E:
            kind = "a line break" if byte in b"\r\n" else f"the byte 0x{byte:02x}"
            raise CaptureError(
                f"{where} holds {kind} at character {position}, which an HTTP header cannot "
                "carry: the key is printable ASCII without spaces"
            )
    return key.decode("ascii")


def read_key(variable: str, file: Path | None) -> str:
    """The API key from a file or the environment; never from the command line."""
    if file is not None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CaptureError(f"cannot read --api-key-file {file}: {error.strerror}") from None
        return _checked_key(data, f"--api-key-file {file}")
    found = os.environb.get(os.fsencode(variable), b"")
    if not found.strip():
        raise CaptureError(
            f"no API key: set the environment variable {variable}, or use --api-key-file"
        )
    return _checked_key(found, f"the environment variable {variable}")


def capture(settings: Settings, console: Console | None = None) -> Tally:
    """Run until stopped (SIGINT, SIGTERM, --max-messages, --exit-at-end); raises
    ``CaptureError`` (setup) or ``GaveUp`` (``--give-up-after``)."""
    told = console or Console()

    async def main() -> Tally:
        job = Capture(settings, told)
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
            told.end()

    return asyncio.run(main())

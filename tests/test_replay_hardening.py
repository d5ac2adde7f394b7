"""``replay`` is a stand-in that stays up: sessions abandoned while it waits for acks are
freed, forged and repeated acks release nothing, big messages and bad queries are refused
with an answer instead of a traceback, and an unreadable capture is reported, not fatal."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from capture_helpers import SAMPLE_FRAMES
from peers import COMMAND, KEY

TOPIC = "/ws/v2/reader/persistent/acmecorp01/event-v1/all"


class Replay:
    def __init__(self, *paths: str) -> None:
        self.process = subprocess.Popen(
            [*COMMAND, "replay", *(paths or [str(SAMPLE_FRAMES)]), "--api-key", KEY, "--port", "0"],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        self.said: list[str] = []
        while True:
            line = self.process.stderr.readline()
            assert line, "replay ended before it served"
            self.said.append(line)
            found = re.search(r"ws://127\.0\.0\.1:(\d+)", line)
            if found:
                self.url = f"ws://127.0.0.1:{found[1]}"
                return

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        (kib,) = re.findall(r"VmRSS:\s+(\d+) kB", status)
        return int(kib) / 1024

    def stop(self) -> float:
        """SIGINT, and how long it took to stop."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return float("inf")
        return time.monotonic() - started


@pytest.fixture
def replay() -> object:
    server = Replay()
    yield server
    if server.process.poll() is None:
        server.stop()


def url(server: Replay, query: str = "?messageId=earliest&receiverQueueSize=1") -> str:
    return f"{server.url}{TOPIC}{query}"


def test_abandoned_sessions_are_freed_and_sigint_still_stops_it(replay: Replay) -> None:
    async def abandon(count: int) -> None:
        for _ in range(count):
            async with connect(url(replay), additional_headers={"X-API-Key": KEY}) as ws:
                await ws.recv()  # one frame, never acknowledged: the server waits for an ack

    asyncio.run(abandon(20))
    before = replay.rss_mib()
    asyncio.run(abandon(400))
    time.sleep(0.5)
    grown = replay.rss_mib() - before
    assert grown < 25, f"{grown:.0f} MiB more after 400 abandoned sessions"
    assert replay.stop() < 10


def test_forged_and_repeated_acks_release_nothing(replay: Replay) -> None:
    async def scenario() -> list[str]:
        received: list[str] = []
        query = "?messageId=earliest&receiverQueueSize=2"
        async with connect(url(replay, query), additional_headers={"X-API-Key": KEY}) as ws:
            for _ in range(2):
                received.append(json.loads(await ws.recv())["messageId"])
            for forged in ("bogus", "bogus", received[0]):  # two never sent, then a real one
                await ws.send(json.dumps({"messageId": forged}))
            await ws.send(json.dumps({"messageId": received[0]}))  # the same one again
            while True:
                try:
                    received.append(json.loads(await asyncio.wait_for(ws.recv(), 1))["messageId"])
                except asyncio.TimeoutError:
                    return received

    received = asyncio.run(scenario())
    assert len(received) == 3  # one real ack freed one place; the rest freed nothing


def test_acks_are_not_kept_without_bound(replay: Replay) -> None:
    """A consumer's acks are remembered for its subscription; a huge forged one is refused
    (a client's commands are tiny) and nothing of it is kept."""
    consumer = f"{replay.url}/ws/v2/consumer/persistent/acmecorp01/event-v1/all/team-a"
    consumer += "?receiverQueueSize=1"

    async def forge() -> int | None:
        async with connect(consumer, additional_headers={"X-API-Key": KEY}) as ws:
            await ws.recv()
            await ws.send(json.dumps({"messageId": "x" * 200_000}))
            try:
                await asyncio.wait_for(ws.recv(), 1)
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
            except asyncio.TimeoutError:
                return None
        return None

    asyncio.run(forge())
    before = replay.rss_mib()
    codes = {asyncio.run(forge()) for _ in range(200)}
    grown = replay.rss_mib() - before
    assert grown < 20, f"{grown:.0f} MiB more after 200 forged acks of 200 KB"
    assert codes == {1009}
    assert replay.process.poll() is None


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("?receiverQueueSize=abc", {"X-API-Key": KEY}),
        ("?receiverQueueSize=1e3", {"X-API-Key": KEY}),
        ("?receiverQueueSize=" + "9" * 5000, {"X-API-Key": KEY}),
        ("?receiverQueueSize=0", {"X-API-Key": KEY}),
        ("?messageId=", {"X-API-Key": KEY}),
        ("", [("X-API-Key", KEY), ("X-API-Key", KEY)]),
    ],
)
def test_bad_queries_and_a_doubled_key_get_http_400(
    replay: Replay, query: str, headers: object
) -> None:
    async def scenario() -> int:
        try:
            async with connect(url(replay, query), additional_headers=headers):  # type: ignore[arg-type]
                return 101
        except InvalidStatus as refused:
            return refused.response.status_code

    assert asyncio.run(scenario()) == 400
    assert replay.process.poll() is None


def test_an_unreadable_capture_is_reported_as_validate_reports_it(tmp_path: Path) -> None:
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    (tmp_path / "frames.jsonl").write_bytes(SAMPLE_FRAMES.read_bytes())
    server = Replay(str(tmp_path))
    try:
        said = "".join(server.said)
        gone = tmp_path / "gone.jsonl"
        assert f"8x8-events replay: {gone}:1: cannot read {gone}: No such file or directory" in said
        assert "replaying 469 messages" in said
    finally:
        server.stop()
    assert "Traceback" not in (server.process.stderr.read() if server.process.stderr else "")

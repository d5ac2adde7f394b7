"""Capture and replay, end to end over loopback: the replay server serves the bundled frames,
the capture client survives drops and a kill and writes every frame once and in order, and a
second client written with Node's `ws` proves the server against code we did not write."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from capture_helpers import SAMPLE, SAMPLE_FRAMES
from conftest import REPO
from peers import COMMAND, KEY, capture_arguments


def ids(path: Path) -> list[str]:
    lines = path.read_bytes().splitlines()
    return [json.loads(line)["messageId"] for line in lines if line.strip()]


class Replay:
    """The replay command in a subprocess, on a free port of 127.0.0.1."""

    def __init__(self, *options: str, capture: Path = SAMPLE_FRAMES) -> None:
        self.process = subprocess.Popen(
            [*COMMAND, "replay", str(capture), "--api-key", KEY, "--port", "0", *options],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        found = re.search(r"ws://127\.0\.0\.1:(\d+)", line)
        assert found, line
        self.url = f"ws://127.0.0.1:{found[1]}"

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def replay_factory() -> Iterator[Any]:
    started: list[Replay] = []

    def start(*options: str, capture: Path = SAMPLE_FRAMES) -> Replay:
        started.append(Replay(*options, capture=capture))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def capture_command(url: str, output: Path, *options: str) -> list[str]:
    return capture_arguments(url, output, *options)


def environment(key: str = KEY) -> dict[str, str]:
    return {**os.environ, "EIGHTBYEIGHT_API_KEY": key}


def run_capture(
    url: str, output: Path, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        capture_command(url, output, *options),
        env=environment() if env is None else env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_the_documented_pair_captures_every_frame(replay_factory: Any, tmp_path: Path) -> None:
    """README: replay the bundled frames, capture them with the default options."""
    server = replay_factory()
    out = tmp_path / "out.jsonl"
    done = run_capture(server.url, out, "--exit-at-end")
    assert done.returncode == 0, done.stderr
    assert ids(out) == ids(SAMPLE_FRAMES)
    assert KEY not in done.stdout + done.stderr + out.read_text()


def test_capture_survives_drops_and_a_kill_and_writes_each_frame_once_in_order(
    replay_factory: Any, tmp_path: Path
) -> None:
    server = replay_factory("--drop-connection-every", "37", "--redeliver-rate", "0.1")
    out = tmp_path / "out.jsonl"
    first = subprocess.Popen(
        capture_command(server.url, out, "--from", "earliest"),
        env=environment(),
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not out.exists() or len(ids(out)) < 150):
        time.sleep(0.05)
    first.kill()  # no chance to flush or close: the resume must cope
    first.wait()
    assert 150 <= len(ids(out)) < 420
    with out.open("ab") as handle:
        handle.write(b'{"messageId": "cut-off mid-li')  # a line the kill cut short
    second = run_capture(server.url, out, "--from", "earliest", "--exit-at-end")
    assert second.returncode == 0, second.stderr
    assert ids(out) == ids(SAMPLE_FRAMES)  # exactly once, in order
    assert "redeliveries skipped" in second.stderr
    validated = subprocess.run(
        [*COMMAND, "validate", str(out)], capture_output=True, text=True, check=False
    )
    assert validated.returncode == 0, validated.stdout


def test_a_refused_key_and_another_tenant_end_with_exit_2(
    replay_factory: Any, tmp_path: Path
) -> None:
    server = replay_factory()
    refused = run_capture(server.url, tmp_path / "a.jsonl", env=environment("wrong"))
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"8x8-events: error: {server.url}/ws/v2/reader/persistent/acmecorp01/event-v1/all: "
        "the API key was refused (HTTP 401)"
    )
    assert "wrong" not in refused.stderr
    other = run_capture(server.url, tmp_path / "b.jsonl", "--tenant", "someoneelse")
    assert other.returncode == 2
    assert "HTTP 403" in other.stderr
    without = {k: v for k, v in os.environ.items() if k != "EIGHTBYEIGHT_API_KEY"}
    missing = run_capture(server.url, tmp_path / "c.jsonl", env=without)
    assert missing.returncode == 2
    assert "EIGHTBYEIGHT_API_KEY" in missing.stderr


def node_read(node: str, url: str, *arguments: str, key: str = KEY) -> list[Any]:
    """What the Node ``ws`` client received: one record per frame, or the refusal."""
    done = subprocess.run(
        [node, str(REPO / "tools" / "js" / "ws-reader.mjs"), url, key, *arguments],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode in (0, 3), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_events_are_served_as_frames_with_stable_ids_and_topics_filter(
    replay_factory: Any, node: str
) -> None:
    server = replay_factory(capture=SAMPLE)
    url = f"{server.url}/ws/v2/reader/persistent/acmecorp01/event-v1/AgentStatusChange"
    got = node_read(node, url + "?messageId=earliest", "1000")
    expected = sum(
        1 for line in SAMPLE.read_bytes().splitlines() if b"AgentStatusChange" in line[:25]
    )
    assert len(got) == expected > 5
    assert {item["event"] for item in got} == {"AgentStatusChange"}
    # resume after the third: the reader starts after the given id
    after = got[2]["messageId"].replace("=", "%3D")
    assert node_read(node, f"{url}?messageId={after}", "2") == got[3:5]
    # a consumer's subscription keeps its place across sessions
    agent = next(
        json.loads(line)["AgentStatusChange"]["agentId"]
        for line in SAMPLE.read_bytes().splitlines()
        if b"AgentStatusChange" in line[:25]
    )
    by_agent = f"{server.url}/ws/v2/consumer/persistent/acmecorp01/agent-v1/{agent}/subscriber"
    mine = node_read(node, by_agent, "2") + node_read(node, by_agent, "1000")
    assert len({item["messageId"] for item in mine}) == len(mine) > 3
    assert node_read(node, url, "1", key="wrong") == [{"status": 401}]


def test_a_slow_consumer_gets_no_more_than_its_queue(replay_factory: Any, node: str) -> None:
    server = replay_factory()
    topic = "/ws/v2/reader/persistent/acmecorp01/event-v1/all"
    url = f"{server.url}{topic}?messageId=earliest&receiverQueueSize=7"
    assert len(node_read(node, url, "100", "no-ack")) == 7


async def _silent_server(connections: list[int]) -> asyncio.Server:
    """A WebSocket server that completes the handshake, sends one frame, then never answers
    a ping: the client must notice the missing pong and reconnect."""
    frame_text = SAMPLE_FRAMES.read_bytes().splitlines()[0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        request = await reader.readuntil(b"\r\n\r\n")
        key = re.search(rb"(?i)sec-websocket-key: *(\S+)", request)
        assert key is not None
        accept = base64.b64encode(
            hashlib.sha1(key[1] + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()
        )
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
        )
        writer.write(bytes([0x81, 126]) + len(frame_text).to_bytes(2, "big") + frame_text)
        await writer.drain()
        await asyncio.sleep(30)  # reads nothing, answers nothing

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def test_a_missing_pong_makes_the_capture_reconnect(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, list[str]]:
        connections: list[int] = []
        server = await _silent_server(connections)
        port = server.sockets[0].getsockname()[1]
        out = tmp_path / "out.jsonl"
        process = await asyncio.create_subprocess_exec(
            *capture_command(
                f"ws://127.0.0.1:{port}", out, "--ping-interval", "0.3", "--ping-timeout", "0.3"
            ),
            env=environment(),
            stderr=asyncio.subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while len(connections) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        await process.wait()
        server.close()
        return len(connections), ids(out)

    reconnections, written = asyncio.run(scenario())
    assert reconnections >= 2
    assert len(written) == 1  # the same frame, sent again after the reconnect, written once


def test_rotation_gzips_closed_files_and_loses_nothing(replay_factory: Any, tmp_path: Path) -> None:
    server = replay_factory()
    out = tmp_path / "out.jsonl"
    done = run_capture(server.url, out, "--rotate", "20KB", "--exit-at-end")
    assert done.returncode == 0, done.stderr
    rotated = sorted(tmp_path.glob("out-*.jsonl.gz"))
    assert len(rotated) >= 3
    gathered: list[str] = []
    for path in rotated:
        gathered += [
            json.loads(line)["messageId"]
            for line in gzip.decompress(path.read_bytes()).splitlines()
        ]
    gathered += ids(out) if out.exists() else []
    assert sorted(gathered) == sorted(ids(SAMPLE_FRAMES))
    assert len(gathered) == len(set(gathered))


def test_reorder_shuffles_within_windows_and_loop_gives_new_ids() -> None:
    from eightbyeight_events.replay import _again, load, reorder

    messages = load([str(SAMPLE_FRAMES)], pytest.fail)
    shuffled = reorder(messages, 8, seed=3)
    assert shuffled != messages
    for start in range(0, len(messages), 8):  # nothing leaves its window
        window = {m.message_id for m in messages[start : start + 8]}
        assert {m.message_id for m in shuffled[start : start + 8]} == window
    again = {json.loads(_again(m, 1))["messageId"] for m in messages}
    assert len(again) == len(messages)
    assert not again & {m.message_id for m in messages}


def test_replay_at_the_captured_pace_waits_between_messages(
    replay_factory: Any, tmp_path: Path
) -> None:
    lines = SAMPLE_FRAMES.read_bytes().splitlines()[:3]
    frames = [json.loads(line) for line in lines]
    for number, frame in enumerate(frames):  # 0.4 s apart
        frame["publishTime"] = f"2025-11-25T08:00:00.{number * 400:03d}Z"
    paced = tmp_path / "paced.jsonl"
    paced.write_text("".join(json.dumps(frame) + "\n" for frame in frames))
    server = replay_factory("--speed", "1", capture=paced)
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    done = run_capture(server.url, out, "--max-messages", "3")
    assert done.returncode == 0, done.stderr
    assert ids(out) == [frame["messageId"] for frame in frames]
    assert time.monotonic() - started >= 0.8


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--redeliver-rate", "1.5", "1.5 is not between 0 and 1"),
        ("--reorder-window", "-2", "-2 is not 0 or more"),
        ("--drop-connection-every", "ten", "'ten' is not a whole number"),
    ],
)
def test_replay_refuses_fault_settings_out_of_range(
    option: str, value: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from eightbyeight_events.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["replay", str(SAMPLE), "--api-key", "k", option, value])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"8x8-events replay: error: argument {option}: {said}"
    )

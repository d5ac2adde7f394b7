"""``capture`` holds a team's only copy of its traffic: against peers that answer plain HTTP,
redirect elsewhere, send garbage or huge messages, and against outputs that fill up or end
oddly, it loses no acknowledged frame, leaks no key and never prints a traceback."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from capture_helpers import SAMPLE_FRAMES
from eightbyeight_events.testing import start_replay
from peers import (
    COMMAND,
    KEY,
    Peer,
    capture_arguments,
    http,
    measured,
    peak_kib,
    run,
    upgrade,
    ws_frame,
)

FRAMES = SAMPLE_FRAMES.read_bytes().splitlines()
TOPIC = "/ws/v2/reader/persistent/acmecorp01/event-v1/all"


def env(key: str = KEY) -> dict[str, str]:
    return {**os.environ, "EIGHTBYEIGHT_API_KEY": key}


def ids(lines: list[bytes]) -> list[str]:
    return [json.loads(line)["messageId"] for line in lines if line.strip()]


async def capture_until(
    arguments: list[str], done: Callable[[], bool], seconds: float = 30, key: str = KEY
) -> tuple[int, str]:
    """Run ``arguments`` until it exits, or until ``done()`` (then SIGTERM): exit code, stderr."""
    process = await asyncio.create_subprocess_exec(
        *arguments, env=env(key), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + seconds
    while process.returncode is None and not done() and time.monotonic() < deadline:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(process.wait()), 0.05)
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, err.decode()


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (http("200 OK", b"<html>a status page</html>", "Content-Type: text/html\r\n"), "200 OK"),
        (http("404 Not Found", b"no such page"), "404 Not Found"),
    ],
)
def test_a_plain_http_answer_is_a_setup_error_in_one_line(answer: bytes, said: str) -> None:
    async def scenario() -> tuple[int, str, str]:
        async def reply(_: bytes, __: object, writer: asyncio.StreamWriter) -> None:
            writer.write(answer)
            await writer.drain()

        peer = await Peer(reply).start()
        code, err = await capture_until(capture_arguments(peer.url, "-"), lambda: False)
        peer.close()
        return code, err, peer.url

    code, err, url = asyncio.run(scenario())
    assert code == 2
    line = one_line(err)
    assert f"{url}{TOPIC}" in line
    assert f"HTTP {said}" in line
    assert "instead of a WebSocket upgrade" in line


def test_a_redirect_to_another_origin_is_refused_and_the_key_stays_home() -> None:
    async def scenario() -> tuple[int, str, list[bytes], list[bytes]]:
        async def accept(request: bytes, _: object, writer: asyncio.StreamWriter) -> None:
            writer.write(upgrade(request))
            await writer.drain()

        elsewhere = await Peer(accept).start()

        async def redirect(_: bytes, __: object, writer: asyncio.StreamWriter) -> None:
            location = f"Location: {elsewhere.url}{TOPIC}\r\n"
            writer.write(http("302 Found", headers=location))
            await writer.drain()

        peer = await Peer(redirect).start()
        code, err = await capture_until(capture_arguments(peer.url, "-"), lambda: False)
        peer.close()
        elsewhere.close()
        return code, err, peer.requests, elsewhere.requests

    code, err, asked, followed = asyncio.run(scenario())
    assert code == 2
    assert "another origin" in one_line(err)
    assert KEY.encode() in asked[0]  # the origin named gets the key ...
    assert followed == []  # ... and nothing goes where the redirect points
    assert KEY not in err


GARBAGE = b"SSH-2.0-OpenSSH_9.2\r\n\r\n"


@pytest.mark.parametrize("broken", ["garbage", "wrong accept", "refused"])
def test_handshake_failures_are_one_line_each_and_a_retry_until_give_up(broken: str) -> None:
    async def scenario() -> tuple[int, str, int]:
        async def reply(request: bytes, _: object, writer: asyncio.StreamWriter) -> None:
            wrong = base64.b64encode(b"not the accept value")
            writer.write(GARBAGE if broken == "garbage" else upgrade(request, wrong))
            await writer.drain()

        peer = await Peer(reply).start()
        url = peer.url
        if broken == "refused":
            peer.close()
            await peer.server.wait_closed()  # type: ignore[union-attr]
        arguments = capture_arguments(url, "-", "--give-up-after", "2s")
        code, err = await capture_until(arguments, lambda: False)
        peer.close()
        return code, err, len(peer.requests)

    code, err, tries = asyncio.run(scenario())
    assert code == 3
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    *retries, last = lines
    retry = re.compile(r"8x8-events capture: .+; reconnecting to ws://\S+ in \d+\.\d s")
    assert len(retries) >= 2
    assert all(retry.fullmatch(line) for line in retries), retries  # one line each
    assert last.startswith("8x8-events capture: gave up: no new frame from ws://")
    assert tries >= 2 or broken == "refused"
    # no wait outlasts --give-up-after: together they stay within its 2 s
    waits = [float(line.rsplit(" in ", 1)[1].removesuffix(" s")) for line in retries]
    assert sum(waits) <= 2.0 + 0.05 * len(waits), waits


def test_give_up_after_ends_a_session_that_stays_open_and_silent() -> None:
    """A server that upgrades, answers pings and never sends a frame nor closes."""
    with start_replay([], api_key=KEY) as silent:
        arguments = capture_arguments(silent.url, "-", "--give-up-after", "2s")
        done = run(arguments, env(), timeout=30)
    assert done.returncode == 3, done.stderr
    assert "gave up: no new frame from ws://" in done.stderr


def test_a_session_that_brings_no_frame_does_not_reset_the_back_off(tmp_path: Path) -> None:
    """A server that sends one junk message and closes: the reconnects slow down."""

    async def scenario() -> tuple[int, Path]:
        async def junk(request: bytes, _: object, writer: asyncio.StreamWriter) -> None:
            writer.write(upgrade(request) + ws_frame(b"welcome!") + ws_frame(b"", 0x8))
            await writer.drain()

        peer = await Peer(junk).start()
        out = tmp_path / "out.jsonl"
        started = time.monotonic()
        await capture_until(
            capture_arguments(peer.url, out), lambda: time.monotonic() > started + 6
        )
        peer.close()
        return len(peer.requests), out

    connections, out = asyncio.run(scenario())
    # 0.5, 1, 2, 4 s with jitter of ±50%: at most 5 within 6 s (a reset each time gave ~12)
    assert 2 <= connections <= 5
    assert not out.exists() or out.read_bytes() == b""  # junk is no frame
    side = tmp_path / "out.jsonl.rejected.jsonl"
    (kept,) = side.read_bytes().splitlines()  # the same junk every session, kept once
    assert base64.b64decode(json.loads(kept)["base64"]) == b"welcome!"


def _serving(lines: list[bytes], *, then_close: bool = True) -> Peer:
    async def serve(request: bytes, _: object, writer: asyncio.StreamWriter) -> None:
        writer.write(upgrade(request) + b"".join(lines))
        await writer.drain()
        if not then_close:
            await asyncio.sleep(30)

    return Peer(serve)


def test_every_line_is_one_message_and_messages_without_an_id_are_written_once(
    tmp_path: Path,
) -> None:
    pretty = json.dumps(json.loads(FRAMES[0]), indent=2).encode()
    assert b"\n" in pretty
    note = b'{"note": "no id, sent at every session"}'
    sent = [
        ws_frame(pretty),
        ws_frame(b"\x00\x01binary\xff", 0x2),
        ws_frame(b"not json\nacross lines"),
        ws_frame(note),
        ws_frame(FRAMES[1]),
    ]
    out = tmp_path / "out.jsonl"

    async def scenario() -> int:
        peer = await _serving(sent).start()  # every session sends all of it again
        started = time.monotonic()
        await capture_until(
            capture_arguments(peer.url, out), lambda: time.monotonic() > started + 3
        )
        peer.close()
        return len(peer.requests)

    assert asyncio.run(scenario()) >= 2
    lines = out.read_bytes().splitlines()
    assert [json.loads(line) for line in lines] == [
        json.loads(FRAMES[0]),
        json.loads(note),
        json.loads(FRAMES[1]),
    ]
    kept = (tmp_path / "out.jsonl.rejected.jsonl").read_bytes().splitlines()
    told = sorted(base64.b64decode(json.loads(line)["base64"]) for line in kept)
    assert told == [b"\x00\x01binary\xff", b"not json\nacross lines"]


@pytest.mark.parametrize(
    "ending",
    [
        b"this line is not JSON\n",
        b'{"payload": "e30=", "publishTime": "x"}\n',
        b'{"messageId": "cut',
    ],
)
def test_resume_asks_for_the_last_real_frame_whatever_the_file_ends_with(
    tmp_path: Path, ending: bytes
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"\n".join(FRAMES[:3]) + b"\n" + ending)

    async def scenario() -> list[bytes]:
        async def refuse(_: bytes, __: object, writer: asyncio.StreamWriter) -> None:
            writer.write(http("401 Unauthorized"))
            await writer.drain()

        peer = await Peer(refuse).start()
        await capture_until(capture_arguments(peer.url, out), lambda: False)
        peer.close()
        return peer.requests

    (request,) = asyncio.run(scenario())
    target = request.split(b" ")[1].decode()
    assert parse_qs(urlsplit(target).query)["messageId"] == [ids(FRAMES[2:3])[0]]


@pytest.mark.parametrize("output", ["/dev/zero", "fifo"])
def test_a_device_or_fifo_output_is_never_read(tmp_path: Path, output: str) -> None:
    if output == "fifo":
        output = str(tmp_path / "pipe")
        os.mkfifo(output)

    async def scenario() -> tuple[int, list[bytes]]:
        async def refuse(_: bytes, __: object, writer: asyncio.StreamWriter) -> None:
            writer.write(http("401 Unauthorized"))
            await writer.drain()

        peer = await Peer(refuse).start()
        code, _ = await capture_until(capture_arguments(peer.url, output), lambda: False, 20)
        peer.close()
        return code, peer.requests

    code, (request,) = asyncio.run(scenario())
    assert code == 2  # it reached the server at once: nothing was read from the output first
    assert b"messageId=latest" in request


def test_a_frame_over_max_frame_bytes_is_refused_not_held(tmp_path: Path) -> None:
    size = 100 << 20

    async def huge(request: bytes, _: object, writer: asyncio.StreamWriter) -> None:
        writer.write(upgrade(request) + bytes([0x81, 127]) + size.to_bytes(8, "big"))
        chunk = b"a" * (1 << 20)
        for _ in range(100):
            writer.write(chunk)
            await writer.drain()

    async def scenario() -> tuple[int, str]:
        peer = await Peer(huge).start()
        out = tmp_path / "out.jsonl"
        arguments = measured(*capture_arguments(peer.url, out)[len(COMMAND) :])
        started = time.monotonic()
        code, err = await capture_until(arguments, lambda: time.monotonic() > started + 4)
        peer.close()
        return code, err

    code, err = asyncio.run(scenario())
    assert code == 0
    assert "a message over --max-frame-bytes (16,777,216 bytes) was refused" in err
    assert peak_kib(err) < 100 * 1024  # the 100 MB frame was never held


def _mounted_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def test_a_disk_that_fills_and_is_freed_loses_no_acknowledged_frame(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _mounted_tmpfs(disk, "512k"):
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN) and is not allowed here")
    try:
        frames = FRAMES[:200]
        capture = tmp_path / "frames.jsonl"
        capture.write_bytes(b"\n".join(frames) + b"\n")
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (300 << 10))
        out = disk / "out.jsonl"

        async def scenario() -> tuple[int, str]:
            replay = await asyncio.create_subprocess_exec(
                *COMMAND,
                "replay",
                str(capture),
                "--api-key",
                KEY,
                "--port",
                "0",
                stderr=subprocess.PIPE,
            )
            assert replay.stderr is not None
            first = (await replay.stderr.readline()).decode()
            url = first[first.index("ws://") :].split()[0].rstrip(".,")
            process = await asyncio.create_subprocess_exec(
                *capture_arguments(url, out, "--from", "earliest", "--exit-at-end"),
                env=env(),
                stderr=subprocess.PIPE,
            )
            assert process.stderr is not None
            said = []
            while True:
                line = (await asyncio.wait_for(process.stderr.readline(), 60)).decode()
                said.append(line)
                if "cannot write" in line or not line:
                    break
            await asyncio.sleep(1.5)  # it holds on, acknowledging nothing
            filler.unlink()
            rest = await asyncio.wait_for(process.stderr.read(), 60)
            await process.wait()
            replay.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(replay.wait(), 10)
            except asyncio.TimeoutError:  # SIGINT ignored: a job a shell started in background
                replay.kill()
                await replay.wait()
            return process.returncode or 0, "".join(said) + rest.decode()

        code, err = asyncio.run(scenario())
        assert code == 0, err
        assert err.count("cannot write") == 1
        assert "connection lost" not in err
        assert ids(out.read_bytes().splitlines()) == ids(frames)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_output_that_cannot_be_written_holds_the_acks_and_exits_1(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, str]:
        peer = await _serving([ws_frame(FRAMES[0])], then_close=False).start()
        code, err = await capture_until(
            capture_arguments(peer.url, "/dev/full"), lambda: False, seconds=3
        )
        peer.close()
        return code, err

    code, err = asyncio.run(scenario())
    assert code == 1
    assert err.count("cannot write /dev/full: No space left on device") == 1
    assert "were not acknowledged" in err or "not acknowledged" in err


@pytest.mark.parametrize(
    ("key", "said"),
    [(b"sek\nrit-42", "a line break at character 4"), (b"sek\xffrit-42", "the byte 0xff")],
)
def test_an_unusable_key_file_is_one_line_that_never_shows_the_key(
    tmp_path: Path, key: bytes, said: str
) -> None:
    (tmp_path / "key").write_bytes(key)
    arguments = capture_arguments("ws://127.0.0.1:9", "-", "--api-key-file", str(tmp_path / "key"))
    done = run(arguments, {k: v for k, v in os.environ.items() if "EIGHTBYEIGHT" not in k})
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert said in line
    assert "sek" not in line
    assert "rit-42" not in line


def test_the_status_line_never_runs_into_other_lines(capsys: pytest.CaptureFixture[str]) -> None:
    from eightbyeight_events.capture import Console

    console = Console()
    console.status("12 messages, 0 invalid")
    console.say("the connection was lost; reconnecting to ws://x in 0.6 s")
    console.status("13 messages, 0 invalid")
    console.end()
    err = capsys.readouterr().err
    assert err == (
        "\r12 messages, 0 invalid\n"
        "8x8-events capture: the connection was lost; reconnecting to ws://x in 0.6 s\n"
        "\r13 messages, 0 invalid\n"
    )

"""Hostile and broken peers for the capture tests, on 127.0.0.1: a TCP server that answers
each connection with a script (a plain HTTP page, a redirect, garbage, a WebSocket upgrade
with the wrong accept, or a real upgrade followed by hand-made frames), recording every
request it was sent."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

COMMAND = [sys.executable, "-m", "eightbyeight_events"]
KEY = "local-test-key"
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

Script = Callable[[bytes, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def accept_for(request: bytes) -> bytes:
    key = re.search(rb"(?i)sec-websocket-key: *(\S+)", request)
    assert key is not None
    return base64.b64encode(hashlib.sha1(key[1] + GUID).digest())


def upgrade(request: bytes, accept: bytes | None = None) -> bytes:
    return (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + (accept or accept_for(request)) + b"\r\n\r\n"
    )


def ws_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """One unmasked server frame (text by default; 0x2 binary, 0x8 close)."""
    size = len(payload)
    if size < 126:
        head = bytes([0x80 | opcode, size])
    elif size < 1 << 16:
        head = bytes([0x80 | opcode, 126]) + size.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 127]) + size.to_bytes(8, "big")
    return head + payload


def http(status: str, body: bytes = b"", headers: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{headers}Connection: close\r\n\r\n"
    ).encode() + body


@dataclass
class Peer:
    """A TCP server on 127.0.0.1 whose every connection runs ``script``."""

    script: Script
    requests: list[bytes] = field(default_factory=list)
    server: asyncio.Server | None = None
    port: int = 0

    async def start(self) -> Peer:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        self.requests.append(request)
        try:
            await self.script(request, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


def capture_arguments(url: str, output: Path | str, *options: str) -> list[str]:
    return [
        *COMMAND,
        "capture",
        "--url",
        url,
        "--tenant",
        "acmecorp01",
        "--output",
        str(output),
        *options,
    ]


# The peak is read from VmHWM, this program's own high-water mark: Linux carries ru_maxrss
# over exec, so it would report the test process's size at the fork whenever that is larger.
MEASURED = """\
import re, runpy, sys
sys.argv = ["8x8-events", *sys.argv[1:]]
try:
    runpy.run_module("eightbyeight_events", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        peak = re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)
    print(f"peak-kib {peak}", file=sys.stderr)
"""


def peak_kib(stderr: str) -> int:
    """The peak memory a command run with ``measured`` printed last."""
    found = re.findall(r"peak-kib (\d+)", stderr)
    assert found, stderr
    return int(found[-1])


def measured(*arguments: str) -> list[str]:
    """The command line of ``8x8-events ARGUMENTS`` that prints its peak memory on exit."""
    return [sys.executable, "-c", MEASURED, *arguments]


def run(
    arguments: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )

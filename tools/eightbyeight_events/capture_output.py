"""The file a capture writes: one whole line per frame, in the file before it is
acknowledged, read back from its end to resume.

A write either lands whole or leaves nothing (a disk that fills mid-line is
cut back to the last complete line), so the capture can refuse to
acknowledge and try again. Only a regular file is read back, cut or rotated;
a device or a FIFO is only written to.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from eightbyeight_events.pulsar import is_frame

TAIL_BLOCK = 64 << 10
"""How much of the output is read at a time, from its end, to find the last frame."""


class WriteFailed(Exception):
    """The output refused a line (disk full, read-only, closed pipe); nothing of it stays."""


def _regular_or_new(path: Path) -> bool:
    """Whether ``path`` is a regular file or nothing yet: only such an output is read back,
    cut or rotated (a device or a FIFO is only written to)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return True


class Output:
    """Where frames go: appended one whole line at a time, each in the file before it is
    acknowledged; rotated and gzipped when asked."""

    def __init__(
        self,
        path: Path | None,
        *,
        rotate_bytes: int | None = None,
        rotate_seconds: float | None = None,
        fsync: bool = False,
    ) -> None:
        self.path = path
        """None writes to standard output"""
        self.rotate_bytes = rotate_bytes
        self.rotate_seconds = rotate_seconds
        self.fsync = fsync
        self.regular = self.path is not None and _regular_or_new(self.path)
        self.name = str(self.path) if self.path is not None else "standard output"
        self.fd: int | None = None
        self.opened = time.monotonic()
        self.size = 0
        """bytes of complete lines in the file: what a failed write is cut back to"""
        self.rotations = 0
        self.rejected = 0

    def last_message_id(self) -> str | None:
        """The id of the last complete frame written, in this file or, when it holds none,
        in the newest rotated one; read from the end, whatever the file ends with."""
        if self.path is None or not self.regular:
            return None
        if self.path.exists():
            found = _last_id_backwards(self.path)
            if found is not None:
                return found
        for rotated in sorted(self.path.parent.glob(f"{self.path.stem}-*.jsonl.gz"))[::-1]:
            found = _last_id_packed(rotated)
            if found is not None:
                return found
        return None

    def write(self, line: bytes) -> None:
        """Append ``line`` and a newline; raises ``WriteFailed`` with nothing of it left."""
        if self.fd is None:
            self._open()
        assert self.fd is not None
        data = line + b"\n"
        try:
            written = 0
            while written < len(data):
                written += os.write(self.fd, data[written:])
            if self.fsync and self.regular:
                os.fsync(self.fd)
        except OSError as error:
            self._cut_back()
            raise WriteFailed(error.strerror or str(error)) from None
        self.size += len(data)
        if self._due():
            self.rotate()

    def reject(self, message: bytes) -> None:
        """Keep a message that is no JSON text (binary, or text that does not parse) in the
        side file ``OUTPUT.rejected.jsonl``, as base64, so the capture stays one frame a line."""
        self.rejected += 1
        if self.path is None or not self.regular:
            return
        entry = {"receivedAt": time.time(), "base64": base64.b64encode(message).decode()}
        side = self.path.with_name(self.path.name + ".rejected.jsonl")
        with contextlib.suppress(OSError), side.open("ab") as handle:
            handle.write(orjson.dumps(entry) + b"\n")

    def _open(self) -> None:
        if self.path is None:
            self.fd = sys.stdout.fileno()
            return
        try:
            if self.regular:
                _complete_last_line(self.path)
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self.size = os.fstat(self.fd).st_size if self.regular else 0
        except OSError as error:
            self.fd = None
            raise WriteFailed(error.strerror or str(error)) from None
        self.opened = time.monotonic()

    def _cut_back(self) -> None:
        """Drop what a failed write left of its line (a disk that filled mid-line)."""
        if self.fd is None or not self.regular:
            return
        with contextlib.suppress(OSError):
            if os.fstat(self.fd).st_size > self.size:
                os.ftruncate(self.fd, self.size)

    def _due(self) -> bool:
        return self.path is not None and (
            (self.rotate_bytes is not None and self.size >= self.rotate_bytes)
            or (
                self.rotate_seconds is not None
                and time.monotonic() - self.opened >= self.rotate_seconds
            )
        )

    def rotate(self) -> None:
        """Close the file, gzip it beside under a time-stamped name, start a new one."""
        if self.path is None or self.fd is None or not self.regular:
            return
        os.close(self.fd)
        self.fd = None
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        self.rotations += 1
        name = f"{self.path.stem}-{stamp}-{os.getpid()}-{self.rotations:06d}.jsonl.gz"
        target = self.path.with_name(name)
        with self.path.open("rb") as source, gzip.open(target, "wb") as packed:
            shutil.copyfileobj(source, packed)
        self.path.unlink()
        self.size = 0

    def close(self) -> None:
        if self.fd is not None and self.path is not None:
            os.close(self.fd)
        self.fd = None


def frame_id(line: bytes) -> str | None:
    """The ``messageId`` of a line that is a frame; None for any other line."""
    if not line.strip():
        return None
    try:
        found = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    message_id = found["messageId"] if is_frame(found) else None
    return message_id if isinstance(message_id, str) else None


def _lines_backwards(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The lines of a file from its end, each with the offset it starts at (the first one
    is what follows the last newline, empty when the file ends with one), reading blocks of
    ``TAIL_BLOCK`` bytes: memory stays flat however long the file."""
    end = position = handle.seek(0, os.SEEK_END)
    rest = b""
    while end > 0:
        start = max(0, end - TAIL_BLOCK)
        handle.seek(start)
        lines = (handle.read(end - start) + rest).split(b"\n")
        rest = lines.pop(0) if start else b""  # may be the end of a longer line
        for line in reversed(lines):
            position -= len(line)
            yield position, line
            position -= 1  # its newline
        end = start


def _last_id_backwards(path: Path) -> str | None:
    """The id of the last frame in ``path``, reading blocks from its end: a line cut off
    by a kill, a line that is no frame or a frame without an id is passed over."""
    with path.open("rb") as handle:
        for _, line in _lines_backwards(handle):
            found = frame_id(line)
            if found is not None:
                return found
    return None


def _last_id_packed(path: Path) -> str | None:
    """The id of the last frame of a rotated file (gzip reads only forwards: line by line)."""
    last = None
    try:
        with gzip.open(path, "rb") as packed:
            for line in packed:
                last = frame_id(line) or last
    except (OSError, EOFError):  # a rotation cut short: what was read so far
        pass
    return last


def _complete_last_line(path: Path) -> None:
    """Drop a line cut off by a kill, so the file holds only complete lines: the file is cut
    after its last newline, found by reading back from its end."""
    if not path.exists():
        return
    with path.open("rb+") as handle:
        for start, line in _lines_backwards(handle):
            if line:  # what follows the last newline: a line cut off
                handle.truncate(start)
            return

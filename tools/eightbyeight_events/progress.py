"""A progress line on standard error, shown only when a person is watching."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """Redraws ``lines, bytes, rate`` at most five times a second."""

    def __init__(self, total_bytes: int | None, stream: TextIO = sys.stderr) -> None:
        self.total_bytes = total_bytes
        self.stream = stream
        self.started = self.drawn = time.monotonic()
        self.bytes = self.lines = 0

    def __call__(self, read_bytes: int, read_lines: int) -> None:
        self.bytes += read_bytes
        self.lines += read_lines
        now = time.monotonic()
        if now - self.drawn >= 0.2:
            self.drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        rate = self.lines / max(now - self.started, 1e-9)
        share = ""
        if self.total_bytes:
            fraction = min(self.bytes / self.total_bytes, 1.0)
            filled = int(fraction * 24)
            share = f"[{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%}  "
        self.stream.write(f"\r{share}{self.lines:,} lines  {rate:,.0f} lines/s ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

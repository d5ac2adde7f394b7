"""Reading captures: files, directories, gzip, stdin, JSON Lines or JSON arrays.

Input is read in large chunks and split into lines here, which keeps memory
flat whatever the file size and lets one over-long line be skipped without
ever holding it whole. Every line comes out numbered; what cannot be read
(a line over the size limit, the cut-off end of a truncated gzip stream)
comes out as a ``Problem`` at its place instead of an exception, so the
caller can account for it like any other line.
"""

from __future__ import annotations

import itertools
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

CHUNK_BYTES = 1 << 20
DEFAULT_MAX_LINE_BYTES = 4 << 20
GZIP_MAGIC = b"\x1f\x8b"
CAPTURE_SUFFIXES = {".jsonl", ".ndjson", ".json", ".txt", ".log"}
STDIN = "-"

Content = Literal["events", "frames"]
Layout = Literal["lines", "array"]
INPUT_FORMATS = ("auto", "events", "frames", "events-array", "frames-array")


class UsageError(Exception):
    """A mistake in what was asked for (missing file, bad option): exit code 2."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that cannot even be handed to the JSON parser, and why."""

    reason: str


Line = bytes | Problem


@dataclass(frozen=True, slots=True)
class Batch:
    """Consecutive lines of one source; ``first`` is the number of the first."""

    first: int
    lines: list[Line]
    clean: bool
    """No ``Problem`` among the lines: the fast path may take the whole batch."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: a file path or standard input."""

    name: str
    path: Path | None

    @contextmanager
    def reading(self) -> Iterator[BinaryIO]:
        """The source's bytes; closes only what it opened, never standard input."""
        if self.path is None:
            yield sys.stdin.buffer
            return
        with self.path.open("rb") as stream:
            yield stream


def expand(arguments: Iterable[str]) -> list[Source]:
    """Sources for the command line's paths: directories recursively, sorted."""
    sources: list[Source] = []
    for argument in arguments:
        if argument == STDIN:
            sources.append(Source(STDIN, None))
            continue
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if _is_capture(p, path))
            if not found:
                raise UsageError(
                    f"{argument}: directory holds no capture files "
                    f"({', '.join(sorted(CAPTURE_SUFFIXES))}, optionally .gz)"
                )
            sources.extend(Source(str(p), p) for p in found)
        elif path.is_file():
            sources.append(Source(argument, path))
        elif path.exists():
            raise UsageError(f"{argument}: not a regular file or directory")
        else:
            raise UsageError(f"{argument}: no such file or directory")
    return sources


def _is_capture(path: Path, folder: Path) -> bool:
    """A visible regular file named like a capture, gzipped or not."""
    if not path.is_file() or any(part.startswith(".") for part in path.relative_to(folder).parts):
        return False
    name = path.name.removesuffix(".gz")
    return Path(name).suffix in CAPTURE_SUFFIXES


def raw_chunks(stream: BinaryIO, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """The bytes of ``stream`` from ``start`` to ``end`` (or its end), in chunks."""
    if start:
        stream.seek(start)
    remaining = None if end is None else end - start
    while remaining is None or remaining > 0:
        size = CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining)
        chunk = stream.read(size)
        if not chunk:
            return
        if remaining is not None:
            remaining -= len(chunk)
        yield chunk


class TruncatedInput(Exception):
    """The compressed stream stopped before its end marker."""


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Decompress gzip data, including files of several concatenated members."""
    decompressor = zlib.decompressobj(wbits=31)
    for chunk in chunks:
        data = chunk
        while data:
            try:
                yield decompressor.decompress(data)
            except zlib.error as error:
                raise TruncatedInput(f"the gzip data is corrupt ({error})") from None
            data = decompressor.unused_data if decompressor.eof else b""
            if data:
                decompressor = zlib.decompressobj(wbits=31)
    yield decompressor.flush()
    if not decompressor.eof:
        raise TruncatedInput(
            "the gzip stream ends before its end-of-stream marker: the file is truncated"
        )


def split_lines(
    chunks: Iterable[bytes], max_line_bytes: int, first: int = 1, batch_lines: int = 4096
) -> Iterator[Batch]:
    """Batches of numbered lines; a line longer than ``max_line_bytes`` becomes a Problem."""
    number = first
    pending: list[bytes] = []  # pieces of the line being assembled
    pending_size = 0
    oversize = False
    batch: list[Line] = []
    clean = True

    def flush() -> Iterator[Batch]:
        nonlocal batch, clean, number
        if batch:
            yield Batch(number, batch, clean)
            number += len(batch)
            batch, clean = [], True

    def too_long(size: int) -> Problem:
        return Problem(
            f"line is {size} bytes long, over the limit of {max_line_bytes} bytes "
            "(raise it with --max-line-bytes)"
        )

    try:
        for chunk in chunks:
            pieces = chunk.split(b"\n")
            if len(pieces) > 1:
                head = pieces[0]
                if pending or oversize:
                    size = pending_size + len(head)
                    if oversize or size > max_line_bytes:
                        batch.append(too_long(size))
                        clean = False
                    else:
                        batch.append(b"".join([*pending, head]))
                    pending, pending_size, oversize = [], 0, False
                    middle = pieces[1:-1]
                else:
                    middle = pieces[:-1]
                if middle and max(map(len, middle)) > max_line_bytes:
                    for piece in middle:
                        batch.append(too_long(len(piece)) if len(piece) > max_line_bytes else piece)
                    clean = False
                else:
                    batch.extend(middle)
            tail = pieces[-1]
            if tail:
                pending_size += len(tail)
                if pending_size > max_line_bytes:
                    oversize, pending = True, []
                else:
                    pending.append(tail)
            if len(batch) >= batch_lines:
                yield from flush()
    except TruncatedInput as error:
        if pending or oversize:
            batch.append(Problem(f"{error}; this line is cut off"))
        else:
            batch.append(Problem(f"{error}; lines after this point are lost"))
        clean = False
        yield from flush()
        return
    if pending or oversize:
        batch.append(too_long(pending_size) if oversize else b"".join(pending))
        clean = clean and not oversize
    yield from flush()


def decoded_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The chunks of a whole stream, decompressed on the fly when it starts with the gzip
    magic number (so a gzipped capture is recognised by its content, not its name)."""
    chunks = raw_chunks(stream)
    first = next(chunks, b"")
    rest = itertools.chain([first], chunks)
    return gunzip(rest) if first.startswith(GZIP_MAGIC) else rest


@dataclass(frozen=True)
class Format:
    content: Content
    layout: Layout


def detect(head: bytes, requested: str) -> Format:
    """The format of a source from its first bytes, unless one was requested.

    A JSON array starts with ``[``; a frame is an object with ``messageId``
    and ``payload``; anything else is taken for decoded events.
    """
    if requested != "auto":
        return Format(
            "frames" if requested.startswith("frames") else "events",
            "array" if requested.endswith("-array") else "lines",
        )
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    layout: Layout = "array" if text.startswith(b"[") else "lines"
    probe = text[1:].lstrip(b" \t\r\n") if layout == "array" else text
    first_line = probe.split(b"\n", 1)[0]
    frames = b'"messageId"' in first_line and b'"payload"' in first_line
    return Format("frames" if frames else "events", layout)


def array_elements(data: bytes, first_line: int = 1) -> Iterator[tuple[int, Line]]:
    """(line number, element text) for each element of a JSON array document.

    The array is read whole (use JSON Lines for large captures); elements
    keep the line number on which they start, so reports point into the file.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield first_line, Problem(f"the file is not UTF-8 ({error.reason} at byte {error.start})")
        return
    decoder = json.JSONDecoder()
    position = _skip(text, 0)
    if not text.startswith("[", position):
        yield first_line, Problem("expected a JSON array starting with [")
        return
    position = _skip(text, position + 1)
    line = first_line + text.count("\n", 0, position)
    counted = position
    while position < len(text) and text[position] != "]":
        line += text.count("\n", counted, position)
        counted = position
        try:
            _, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            yield (
                line,
                Problem(
                    f"the array breaks off here: {error.msg} "
                    f"(line {first_line + error.lineno - 1}, column {error.colno})"
                ),
            )
            return
        yield line, text[position:end].encode()
        position = _skip(text, end)
        if text.startswith(",", position):
            position = _skip(text, position + 1)
        elif not text.startswith("]", position):
            line += text.count("\n", counted, position)
            yield line, Problem("expected , or ] after an array element")
            return


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position

"""Reading captures: files, directories, FIFOs, standard input, gzip; numbered documents.

Input is read in chunks of at most ``CHUNK_BYTES`` (gzip is inflated in
steps of that size too) and split into lines here, so memory stays flat
whatever the input; ``documents`` finds the JSON documents in the lines.
Whatever cannot be read (a file that cannot be opened, a document over the
size limit, the cut-off end of a truncated gzip stream) comes out as a
``Problem`` at its place instead of an exception, so the caller accounts for
it like any other message.
"""

from __future__ import annotations

import glob
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import orjson

from eightbyeight_events.documents import SKIP, STARTS, Documents, Line, Problem, too_long

CHUNK_BYTES = 1 << 20
DEFAULT_MAX_LINE_BYTES = 4 << 20
GZIP_MAGIC = b"\x1f\x8b"
CAPTURE_SUFFIXES = {".jsonl", ".ndjson", ".json", ".txt", ".log"}
STDIN = "-"

__all__ = ["Batch", "Line", "Problem", "Source", "UsageError", "batches", "expand"]


class UsageError(Exception):
    """A mistake in what was asked for (missing file, bad option): exit code 2."""


def printable(path: str | Path) -> str:
    """A path as text that any report can hold: bytes that are not UTF-8 become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass(frozen=True, slots=True)
class Source:
    """One input to read: a path (file, FIFO, device) or standard input."""

    name: str
    path: Path | None
    error: str | None = None
    """why it cannot be read, when that was known while listing its folder"""
    stream: str = ""
    """the stretch of the stream it belongs to: the argument that named it. A directory's
    or a glob's files, in sorted order, are one stream, followed across files by the
    stream checks; files named one by one are each a stream of their own"""
    url: str | None = None
    """where it is read from instead of a path: an object store, a web server"""

    @contextmanager
    def reading(self) -> Iterator[BinaryIO]:
        """The source's bytes; closes only what it opened, never standard input."""
        if self.url is not None:
            from eightbyeight_events.remote import opened  # fsspec, only when asked for

            with opened(self.url) as stream:
                yield stream
            return
        if self.path is None:
            yield sys.stdin.buffer
            return
        with self.path.open("rb") as stream:
            yield stream

    @property
    def regular(self) -> bool:
        """A regular file: it has a size and can be cut into byte ranges."""
        try:
            return self.path is not None and stat.S_ISREG(self.path.stat().st_mode)
        except OSError:
            return False


def is_url(argument: str) -> bool:
    """Whether an argument names a URL (``s3://…``, ``https://…``) rather than a path."""
    scheme, found, _ = argument.partition("://")
    return bool(found) and scheme.isascii() and scheme.replace("+", "").isalnum()


def _identity(path: Path) -> tuple[int, int] | str:
    try:
        info = path.stat()
    except OSError:
        return str(path)
    return (info.st_dev, info.st_ino)


def expand(arguments: Iterable[str]) -> list[Source]:
    """Sources for the command line's paths: directories recursively and sorted; a file
    named twice (or found again inside a folder also named) is read once."""
    sources: list[Source] = []
    seen: set[tuple[int, int] | str] = set()
    for argument in arguments:
        if argument == STDIN:
            if STDIN not in seen:
                seen.add(STDIN)
                sources.append(Source(STDIN, None))
            continue
        path = Path(argument)
        if is_url(argument):
            from eightbyeight_events.remote import expand_url  # fsspec, only when asked for

            found = expand_url(argument)
        elif path.is_dir():
            found = _folder(path)
            if not found:
                raise UsageError(
                    f"{printable(argument)}: directory holds no capture files "
                    f"({', '.join(sorted(CAPTURE_SUFFIXES))}, optionally .gz)"
                )
        elif path.exists() or path.is_symlink():
            found = [Source(printable(argument), path)]
        elif glob.has_magic(argument):
            found = _matches(argument)
        else:
            raise UsageError(f"{printable(argument)}: no such file or directory")
        for source in found:
            source = replace(source, stream=printable(argument))
            identity = _identity(source.path) if source.path else source.name
            if identity not in seen:
                seen.add(identity)
                sources.append(source)
    return sources


def _folder(folder: Path) -> list[Source]:
    """Capture files below ``folder``; what cannot be listed or opened is a source with an error."""
    found: list[Source] = []

    def unlisted(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        found.append(Source(printable(where), where, f"cannot list this folder: {error.strerror}"))

    for parent, folders, files in os.walk(folder, onerror=unlisted):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not is_capture_name(name):
                continue
            path = Path(parent) / name
            if _regular_or_dangling(path):
                found.append(Source(printable(path), path))
    return sorted(found, key=lambda source: source.name)


def _matches(pattern: str) -> list[Source]:
    """The regular files a glob matches (``**`` reaching into folders), sorted."""
    # glob.glob, not Path.glob: a pattern may be absolute
    paths = sorted(glob.glob(pattern, recursive=True))  # noqa: PTH207
    found = [Source(printable(path), Path(path)) for path in paths if Path(path).is_file()]
    if not found:
        raise UsageError(f"{printable(pattern)}: matches no file")
    return found


def is_capture_name(name: str) -> bool:
    """Whether a folder's file of this name is read as a capture: not hidden, and with a
    capture suffix (``.gz`` after it or not)."""
    return not name.startswith(".") and Path(name.removesuffix(".gz")).suffix in CAPTURE_SUFFIXES


def _regular_or_dangling(path: Path) -> bool:
    """A file a folder's walk reads: a regular file, or a link to nothing (reported as a
    file that cannot be read); a FIFO, a socket or a device found in a folder is passed
    over, since reading it could wait for ever (named on the command line, it is read)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return path.is_symlink()
    except OSError:
        return True  # it exists but cannot be looked at: reading it says why


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


class ReadError(Exception):
    """The input stopped being readable part-way (a truncated gzip stream, an I/O error)."""


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate gzip data (several concatenated members too), never more than
    ``CHUNK_BYTES`` at a time, so a small file that inflates to gigabytes stays small."""
    inflater = zlib.decompressobj(wbits=31)
    fed = False
    for chunk in chunks:
        data = chunk
        while data:
            fed = True
            try:
                out = inflater.decompress(data, CHUNK_BYTES)
            except zlib.error as error:
                raise ReadError(f"the gzip data is corrupt ({error})") from None
            if out:
                yield out
            if inflater.eof:
                data = inflater.unused_data
                inflater = zlib.decompressobj(wbits=31)
                fed = False
            else:
                data = inflater.unconsumed_tail
    if fed and not inflater.eof:
        raise ReadError("the gzip stream ends before its end marker: the file is truncated")


def decoded_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The chunks of a whole stream, inflated on the fly when it starts with the gzip
    magic number (a gzipped capture is recognised by its content, not its name)."""
    chunks = raw_chunks(stream)
    first = next(chunks, b"")
    if not first:
        return iter(())

    def rest() -> Iterator[bytes]:
        yield first
        yield from chunks

    return gunzip(rest()) if first.startswith(GZIP_MAGIC) else rest()


_STARTS_INSIDE = tuple(b"\n" + start for start in STARTS)
"""a line inside a document that starts another one (see ``documents``)"""
_LEADING = (b" ", b"\t", b"\x1e")
"""what may stand before a document's ``{`` on its line: indentation, an RS byte"""
_ENDINGS = (b"", b"\r")
_ENDINGS_IN_ARRAY = (b"", b"\r", b",", b",\r")
"""what may follow a document on its last line"""


def _reads(document: bytes) -> bool:
    try:
        orjson.loads(document)
    except orjson.JSONDecodeError:
        return False
    return True


@dataclass(slots=True)
class Batch:
    """Consecutive documents of one source, each with the line it starts on."""

    items: list[Line] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    blank: int = 0
    lines: int = 0
    """the number of the last line read into this batch"""
    clean: bool = True
    """no ``Problem`` among the items: the fast path may take the whole batch"""
    ends_in_array: bool = False
    """(the last batch of a stream) the stream ended inside a JSON array that opened on
    one of its lines: read on, the next byte would have been an element of it"""


def batches(chunks: Iterable[bytes], max_bytes: int) -> Iterator[Batch]:
    """The documents of a stream of chunks, a batch per chunk read."""
    splitter = _Splitter(max_bytes)
    try:
        for chunk in chunks:
            splitter.chunk(chunk)
            if splitter.batch.items or splitter.batch.blank:
                yield splitter.take()
    except (ReadError, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        splitter.broken(f"cannot read further: {reason}")
    in_array = splitter.documents.array_start is not None
    splitter.end()
    last = splitter.take()
    last.ends_in_array = in_array
    yield last


class _Splitter:
    """Lines out of chunks, documents out of lines."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.documents = Documents(max_bytes)
        self.batch = Batch()
        self.number = 0  # the last line completed
        self.pending: list[bytes] = []  # the start of the line being read
        self.pending_size = 0
        self.oversize = False
        self.binary = False
        self.out: list[tuple[int, Line]] = []

    def take(self) -> Batch:
        taken, self.batch = self.batch, Batch()
        taken.lines = self.number
        return taken

    def chunk(self, chunk: bytes) -> None:
        last = chunk.rfind(b"\n")
        if last < 0:
            self._grow(chunk)
            return
        start = 0
        if self.pending or self.oversize:  # the chunk starts by ending the line read so far
            start = chunk.find(b"\n") + 1
            self._grow(chunk[: start - 1])
            self._line_done()
        if start <= last:
            self._lines(chunk[start:last])
        self._grow(chunk[last + 1 :])

    def _lines(self, body: bytes) -> None:
        """Complete lines: at C speed while they allow it, else line by line, going back to
        C speed whenever the line reader is between documents again."""
        if self._whole_lines(body):
            return
        size = len(body)
        position = 0
        closes: dict[bytes, int] = {}
        while position <= size:
            if not self.documents.depth:  # between documents, at the top or in an array
                position = self._pretty_documents(body, position, closes)
                if position > size:
                    break
            end = body.find(b"\n", position)
            end = size if end < 0 else end
            self.number += 1
            self._line(body[position:end])
            position = end + 1

    def _pretty_documents(self, body: bytes, position: int, closes: dict[bytes, int]) -> int:
        """Documents the line reader would scan brace by brace in Python, taken whole at C
        speed instead; returns the start of the first line left to the line reader.

        Two forms: a pretty-printed document (what ``jq .`` prints, and the elements of
        what ``jq -s .`` prints), from a line that opens it with ``{`` to the first line,
        as deeply indented, that closes it; and a document on a line of its own that the
        JSON Lines rule does not cover (after an RS byte, as ``jq --seq`` prints it, or
        as an element of an array, one per line).

        A document is taken only where the line reader would find the very same one:
        orjson reads it whole (so its braces balance at its last byte and nowhere
        before), nothing but a comma (in an array) or a CR follows it on its last line,
        no line inside starts one (the rule that ends a broken document), and a
        pretty-printed one does not open on a line that ends as a JSON Lines document
        does. Anything else is read line by line, as before.

        ``closes`` remembers, per indent, the first closing line found at or after where
        it was last looked for, so that lines that open nothing this reader can take (JSON
        Lines among broken lines) cost no search to the end of the body each."""
        size = len(body)
        in_array = self.documents.array_start is not None
        endings = _ENDINGS_IN_ARRAY if in_array else _ENDINGS
        while position <= size:
            brace = position
            while body[brace : brace + 1] in _LEADING:
                brace += 1
            if not body.startswith(b"{", brace):
                break
            first_end = body.find(b"\n", brace)
            line_end = size if first_end < 0 else first_end
            last = body.rfind(b"}", brace, line_end) + 1
            if last and body[last:line_end] in endings:  # a document on a line of its own
                if (brace == position and not in_array) or line_end - position > self.max_bytes:
                    break  # JSON Lines: the line reader's own rule; or over the limit
                end, after = last, line_end
            else:
                indent = body[position:brace]
                if (
                    first_end < 0
                    or b"\x1e" in indent
                    or body[brace:first_end].rstrip().endswith(b"}")  # JSON Lines, in the end
                ):
                    break
                close = closes.get(indent)
                if close is None or 0 <= close < brace:
                    close = closes[indent] = body.find(b"\n" + indent + b"}", brace)
                if close < 0:
                    break
                end = close + len(indent) + 2
                after = end + 1 if in_array and body.startswith(b",", end) else end
                after += body.startswith(b"\r", after)  # CRLF line ends
                if after < size and body[after] != 0x0A:
                    break
            document = body[brace:end]
            if (
                len(document) > self.max_bytes
                or any(start in document for start in _STARTS_INSIDE)
                or not _reads(document)
            ):
                break
            self.out.append((self.number + 1, document))
            self.number += body.count(b"\n", position, after) + 1
            self._flush()
            position = after + 1
        return position

    def _whole_lines(self, body: bytes) -> bool:
        """Take ``body`` (complete lines) at C speed when it is only blank lines or only
        JSON Lines (every line from ``{`` to ``}``); False leaves it to be read line by line."""
        if not self.documents.idle:
            return False
        if not body.strip(SKIP):
            count = body.count(b"\n") + 1
            self.batch.blank += count
            self.number += count
            return True
        lines = body.split(b"\n")
        count = len(lines)
        # a generator over the lines is faster here than bytes.count over the chunk
        if not all(line[:1] == b"{" and line[-1:] == b"}" for line in lines):
            return False
        if max(map(len, lines)) > self.max_bytes:
            return False
        self.batch.items.extend(lines)
        self.batch.numbers.extend(range(self.number + 1, self.number + 1 + count))
        self.number += count
        return True

    def _grow(self, piece: bytes) -> None:
        if not piece:
            return
        self.pending_size += len(piece)
        if self.oversize:
            return
        if self.pending_size > self.max_bytes:
            self.oversize = True
            head = self.pending[0] if self.pending else piece
            self.binary = b"\x00" in head[:4096]
            self.pending = []
        else:
            self.pending.append(piece)

    def _line_done(self) -> None:
        self.number += 1
        if self.oversize:
            self._overlong()
        else:
            self._line(b"".join(self.pending))
        self.pending, self.pending_size, self.oversize = [], 0, False

    def _overlong(self) -> None:
        """The line just completed is over the size limit (its bytes were not kept)."""
        reason = too_long(self.pending_size, self.max_bytes)
        if self.binary:
            reason = f"binary data (NUL bytes), {self.pending_size:,} bytes without a line break"
        if not self.documents.idle:
            self.documents.finish(self.out, reason)
        else:
            self.out.append((self.number, Problem(reason)))
        self._flush()

    def _line(self, line: bytes) -> None:
        if len(line) > self.max_bytes:
            self.pending_size, self.binary = len(line), b"\x00" in line[:4096]
            self._overlong()
            self.pending_size = 0
            return
        if self.documents.feed(line, self.number, self.out):
            self.batch.blank += 1
        self._flush()

    def _flush(self) -> None:
        if not self.out:
            return
        batch = self.batch
        for number, item in self.out:
            batch.numbers.append(number)
            batch.items.append(item)
            if isinstance(item, Problem):
                batch.clean = False
        self.out = []

    def broken(self, reason: str) -> None:
        """The input broke off: what was being read is cut off there."""
        partial = bool(self.pending) or self.oversize
        self.pending, self.pending_size, self.oversize = [], 0, False
        if partial and not self.documents.depth:
            self.number += 1
            self.out.append((self.number, Problem(f"{reason}; this line is cut off")))
        elif self.documents.idle:
            self.out.append((self.number + 1, Problem(f"{reason}; anything after is lost")))
        self.documents.finish(self.out, f"{reason}; this document is cut off")
        self._flush()

    def end(self) -> None:
        if self.pending or self.oversize:
            self._line_done()
        self.documents.finish(self.out)
        self._flush()

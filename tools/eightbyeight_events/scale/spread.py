"""The stream checks spread over processes, or over a cluster's workers, once there are
more than one process can fold for (up to that, it folds them all: ``runner.Folds``).

In phase one, each task (a file or a byte range of one) hands the sighting of every valid
message to the parts that hold what its rules key on: the part of its interaction (outside
interactions, of its identity) and, when it has one, the part of its instance. Each
record carries the message's position in its task and the task's own event-time
watermark there. Once every task has told how many messages it holds and when
they happened, each stream's positions and watermarks are known whole (``StreamPlan``),
and in phase two each part is folded on its own (``fold_part``). ``PartFold`` says why the
parts' outputs, merged by their keys, are what one fold over the whole stream yields.

Records and outputs travel as MessagePack blobs: in files of a scratch folder between
local processes, as task results between a cluster's workers.
"""

from __future__ import annotations

import heapq
import math
import struct
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

import msgspec

from eightbyeight_events.stream import (
    SWEEP_EVERY,
    FindingKind,
    InteractionSummary,
    Keyed,
    Output,
    PartFold,
    Rules,
    Sighting,
    StreamCounts,
    StreamFinding,
)
from eightbyeight_events.tally import Ledger

RECORDS_PER_BLOB = 10_000
"""Records (and outputs) gathered before they are written out as one blob."""
SEQUENCE_ROLE, MESSAGE_ROLE = 0, 1
KNOWN_NAMES = 100_000
"""Names whose part a task remembers, rather than hashing them again."""

_ENCODE = msgspec.msgpack.Encoder().encode
_DECODE = msgspec.msgpack.Decoder(list[tuple[Any, ...]]).decode
_LENGTH = struct.Struct("<I")

Handle = TypeVar("Handle")
Sink = Callable[[int, bytes], None]
"""Takes a blob for a part."""


class ScratchError(Exception):
    """The scratch files between the phases could not be written or read."""


@contextmanager
def _scratch_errors(where: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise ScratchError(f"{error.filename or where}: {error.strerror or error}") from None


class Router:
    """Which part holds a name: the same in every process (Python's own hash of a text is
    seeded afresh in each)."""

    __slots__ = ("_known", "parts")

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self._known: dict[str, int] = {}

    def of(self, name: str) -> int:
        found = self._known.get(name)
        if found is None:
            if len(self._known) >= KNOWN_NAMES:
                self._known.clear()
            found = zlib.crc32(name.encode("utf-8", "surrogatepass")) % self.parts
            self._known[name] = found
        return found

    def message_part(self, sighting: Sighting) -> int:
        """The part of the interaction; outside one, of the message's identity (a
        redelivery is told apart by it)."""
        if sighting.interaction is not None:
            return self.of(sighting.interaction)
        if sighting.message_id is not None:
            return self.of(sighting.message_id)
        return (sighting.fingerprint or 0) % self.parts


@dataclass(frozen=True)
class Spread:
    """What phase two needs to know of a task, besides its records: how many messages it
    holds, and when each happened (NaN when unknown)."""

    count: int
    times: bytes
    sizes: list[int]
    """bytes of records written for each part"""


class Spreader:
    """Phase one for one task: its sightings, in order, become records for the parts."""

    def __init__(self, parts: int, sink: Sink) -> None:
        self.router = Router(parts)
        self.sink = sink
        self.pending: list[list[tuple[Any, ...]]] = [[] for _ in range(parts)]
        self.count = 0
        self.latest = -math.inf
        self.times = array("d")
        self.sizes = [0] * parts

    def add(self, sightings: Iterable[Sighting]) -> None:
        pending, router, times = self.pending, self.router, self.times
        position, latest = self.count, self.latest
        for sighting in sightings:
            time = sighting.time
            if time is None:
                times.append(math.nan)
            else:
                times.append(time)
                if time > latest:
                    latest = time
            # a record: (role, position, watermark, the sighting without its source, which
            # phase two knows: one text less to decode for every message)
            event, _, line, guid, *rest = sighting
            instance, sequence = sighting.instance, sighting.sequence
            if instance is not None:
                # the instance's part gets every message with an instance: those without a
                # sequence number are not checked, but tell the redeliveries of those with
                # one as the interaction's part tells them. The record holds what the
                # sequence check reads, and nothing else.
                identity = sighting.message_id, sighting.fingerprint
                pending[router.of(instance)].append(
                    (
                        SEQUENCE_ROLE,
                        position,
                        latest,
                        event,
                        line,
                        guid,
                        instance,
                        sequence,
                        *identity,
                    )
                )
            part = router.message_part(sighting)
            pending[part].append((MESSAGE_ROLE, position, latest, event, line, guid, *rest))
            position += 1
        self.count, self.latest = position, latest
        for part, records in enumerate(pending):
            if len(records) >= RECORDS_PER_BLOB:
                self._flush(part)

    def close(self) -> Spread:
        for part in range(len(self.pending)):
            self._flush(part)
        return Spread(self.count, self.times.tobytes(), self.sizes)

    def _flush(self, part: int) -> None:
        if self.pending[part]:
            blob = _ENCODE(self.pending[part])
            self.sizes[part] += len(blob)
            self.sink(part, blob)
            self.pending[part] = []


# -- blobs in a scratch folder ------------------------------------------------


def part_file(folder: Path, task: str, part: int) -> Path:
    return folder / f"{task}.{part}"


class FileSink:
    """Blobs appended to one file per part (``TASK.PART``), each after its length."""

    def __init__(self, folder: Path, task: str) -> None:
        self.folder = folder
        self.task = task
        self.files: dict[int, BinaryIO] = {}

    def __call__(self, part: int, blob: bytes) -> None:
        with _scratch_errors(self.folder):
            stream = self.files.get(part)
            if stream is None:
                stream = self.files[part] = part_file(self.folder, self.task, part).open("wb")
            stream.write(_LENGTH.pack(len(blob)))
            stream.write(blob)

    def __enter__(self) -> FileSink:
        return self

    def __exit__(self, *_: object) -> None:
        with _scratch_errors(self.folder):
            for stream in self.files.values():
                stream.close()


@dataclass(frozen=True)
class PartFile:
    """The blobs a task wrote for a part, read one at a time (none when it wrote none)."""

    path: Path

    def __iter__(self) -> Iterator[bytes]:
        with _scratch_errors(self.path):
            try:
                stream = self.path.open("rb")
            except FileNotFoundError:
                return
            with stream:
                while header := stream.read(_LENGTH.size):
                    (length,) = _LENGTH.unpack(header)
                    yield stream.read(length)


# -- the plan of phase two ---------------------------------------------------


@dataclass(frozen=True)
class Stretch:
    """Where one task's records sit in their stream."""

    offset: int
    """messages of the stream before the task"""
    lines: int
    """lines of the source before the task (a byte range counts its lines from 1)"""
    base: float
    """the stream's watermark before the task"""
    source: str


@dataclass
class StreamPlan:
    """A stream's tasks, with the watermark after every position a sweep follows."""

    stretches: list[Stretch] = field(default_factory=list)
    sweeps: list[float] = field(default_factory=list)
    total: int = 0
    watermark: float = -math.inf

    def extend(self, spread: Spread, source: str, lines: int) -> None:
        """Append the next task of the stream."""
        self.stretches.append(Stretch(self.total, lines, self.watermark, source))
        if not spread.count:
            return
        times = array("d")
        times.frombytes(spread.times)
        # the running watermark; NaN (a message without a time) is never greater
        marks = list(accumulate(times, _later, initial=self.watermark))[1:]
        first = SWEEP_EVERY - 1 - self.total % SWEEP_EVERY
        self.sweeps += marks[first::SWEEP_EVERY]
        self.watermark = marks[-1]
        self.total += spread.count


class Spreads(Generic[Handle]):
    """Phase one's account of every task, stream by stream, as phase two reads it: each
    stream's plan, where each of its tasks left its records (a handle: a file's name, a
    cluster's futures), and how much each part received."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.plans: list[StreamPlan] = []
        self.handles: list[list[Handle]] = []
        self.sizes = [0] * parts
        self._stream: str | None = None

    def add(self, stream: str, source: str, spread: Spread, lines: int, handle: Handle) -> None:
        """The next task: of ``stream``, reading ``source`` after ``lines`` of its lines."""
        if stream != self._stream:
            self._stream = stream
            self.plans.append(StreamPlan())
            self.handles.append([])
        self.plans[-1].extend(spread, source, lines)
        self.handles[-1].append(handle)
        self.sizes = [mine + theirs for mine, theirs in zip(self.sizes, spread.sizes, strict=True)]

    def largest_first(self) -> list[int]:
        """The parts, those with the most records first: folded in this order, the last
        to finish is a small one."""
        return sorted(range(self.parts), key=lambda part: -self.sizes[part])


def _later(mark: float, time: float) -> float:
    return time if time > mark else mark


# -- phase two ---------------------------------------------------------------


@dataclass
class PartResult:
    counts: StreamCounts
    unlisted: dict[str, int]
    """findings of each kind counted but not written out (beyond ``kept``)"""


_FINDING, _SUMMARY = 0, 1


def fold_part(
    part: int,
    plans: list[StreamPlan],
    blobs: Sequence[Sequence[Iterable[bytes]]],
    window: float,
    measuring: bool,
    kept: int,
    sink: Callable[[bytes], None],
) -> PartResult:
    """Fold one part of every stream, given the blobs each stretch wrote for the part;
    its outputs, keyed and in key order, go to ``sink`` as blobs: the first ``kept``
    findings and (measuring) every summary."""
    rules = Rules.of()
    counts = StreamCounts()
    written = 0
    unlisted: Counter[str] = Counter()
    pending: list[tuple[Any, ...]] = []

    def emit(stream: int, found: list[Keyed]) -> None:
        nonlocal written
        for (position, rank, created), output in found:
            if isinstance(output, InteractionSummary):
                pending.append(
                    (stream, position, rank, created, _SUMMARY, *_summary_fields(output))
                )
            elif written < kept:
                written += 1
                pending.append(
                    (stream, position, rank, created, _FINDING, *_finding_fields(output))
                )
            else:
                unlisted[output.kind.value] += 1
        if len(pending) >= RECORDS_PER_BLOB:
            sink(_ENCODE(pending))
            pending.clear()

    for stream, plan in enumerate(plans):
        fold = PartFold(window, rules, measuring)
        delivered, sequenced = fold.delivered, fold.sequenced
        sweeps = iter(plan.sweeps)
        swept = SWEEP_EVERY - 1  # the position the next sweep follows
        out: list[Keyed] = []
        for stretch, written_here in zip(plan.stretches, blobs[stream], strict=True):
            offset, lines, base, source = (
                stretch.offset,
                stretch.lines,
                stretch.base,
                stretch.source,
            )
            for blob in written_here:
                for role, local, mark, event, line, *rest in _DECODE(blob):
                    position = offset + local
                    while swept < position:
                        fold.sweep(swept, next(sweeps), out)
                        swept += SWEEP_EVERY
                    if role == SEQUENCE_ROLE:
                        guid, instance, sequence, message_id, fingerprint = rest
                        sighting = Sighting(
                            event,
                            source,
                            line + lines,
                            guid,
                            instance=instance,
                            sequence=sequence,
                            message_id=message_id,
                            fingerprint=fingerprint,
                        )
                        again = sequenced.again(sighting, position)
                        if sequence is not None:
                            fold.sequence(position, sighting, again, out)
                    else:
                        sighting = tuple.__new__(Sighting, (event, source, line + lines, *rest))
                        again = delivered.again(sighting, position)
                        watermark = mark if mark > base else base
                        fold.message(position, watermark, sighting, again, out)
                    if out:
                        emit(stream, out)
                        out = []
        while swept < plan.total:
            fold.sweep(swept, next(sweeps), out)
            swept += SWEEP_EVERY
        out.extend(fold.finish(plan.total, plan.watermark))
        emit(stream, out)
        counts.add(fold.counts)
    if pending:
        sink(_ENCODE(pending))
    return PartResult(counts, dict(unlisted))


def _finding_fields(found: StreamFinding) -> tuple[Any, ...]:
    return (found.kind.value, found.subject, found.message, found.source, found.line)


def _summary_fields(summary: InteractionSummary) -> tuple[Any, ...]:
    return tuple(getattr(summary, name) for name in summary.__dataclass_fields__)


def _output(tag: int, fields: tuple[Any, ...]) -> Output:
    if tag == _FINDING:
        kind, subject, message, source, line = fields
        return StreamFinding(FindingKind(kind), subject, message, source, line)
    values = dict(zip(InteractionSummary.__dataclass_fields__, fields, strict=True))
    for name in ("offered_agents", "handling_agents", "participants"):
        values[name] = tuple(values[name])
    return InteractionSummary(**values)


def book_parts(
    ledger: Ledger, results: Iterable[PartResult], outputs: Iterable[Iterable[bytes]]
) -> StreamCounts:
    """The parts' outputs booked in the order one fold would have yielded them; the counts
    of all the parts."""
    for output in merged(outputs):
        ledger.add_stream(output)
    counts = StreamCounts()
    for result in results:
        counts.add(result.counts)
        ledger.count_unlisted(result.unlisted)
    return counts


def merged(parts: Iterable[Iterable[bytes]]) -> Iterator[Output]:
    """The parts' outputs in the order one fold would have yielded them."""

    def records(blobs: Iterable[bytes]) -> Iterator[tuple[Any, ...]]:
        for blob in blobs:
            yield from _DECODE(blob)

    for record in heapq.merge(*map(records, parts), key=lambda record: record[:4]):
        yield _output(record[4], record[5:])

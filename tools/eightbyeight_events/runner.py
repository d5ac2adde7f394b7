"""Running the contract over sources, in this process or in several.

A source is one task, except a large plain file under ``--jobs N``, which is
cut into byte ranges at lines where a new JSON Lines document surely starts
(see ``_cut``). Pieces come back in task order and are booked into one
``Ledger``; a range counts its lines from 1 and is renumbered when booked, so
the report is the same whatever the number of processes.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import stat
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, TypeVar

import msgspec

from eightbyeight_events.contract import Content, Contract, load_contract
from eightbyeight_events.documents import BOM, SKIP, split_line
from eightbyeight_events.explain import Finding
from eightbyeight_events.readers import (
    DEFAULT_MAX_LINE_BYTES,
    GZIP_MAGIC,
    Batch,
    Line,
    Problem,
    Source,
    UsageError,
    batches,
    decoded_chunks,
    raw_chunks,
)
from eightbyeight_events.scale.spread import (
    FileSink,
    PartFile,
    PartResult,
    ScratchError,
    Spread,
    Spreader,
    Spreads,
    StreamPlan,
    book_parts,
    fold_part,
    part_file,
)
from eightbyeight_events.stream import Sighting, StreamCounts, StreamFold
from eightbyeight_events.stream import fingerprint as stable_fingerprint
from eightbyeight_events.tally import STREAM_FINDINGS_KEPT, Keep, Ledger, Place, Tally
from eightbyeight_events.verdict import unreadable

if TYPE_CHECKING:
    from eightbyeight_events.scale.cluster import Cluster

RANGES_PER_JOB = 8
CLUSTER_RANGES_PER_THREAD = 4
"""On a cluster each task costs the scheduler's round trips, and a file's ranges are fewer:
enough that no thread waits long for the last ones."""
PARTS_PER_JOB = 4
"""Parts of the stream checks per process: one part holds all of an instance's sequence
checks, and smaller parts, the largest folded first, keep every process busy to the end."""
TASKS_AHEAD = 2
"""Tasks per worker submitted ahead of the one being booked: enough to keep every worker
busy, few enough that the results waiting their turn stay small."""
FOLDED_HERE_UP_TO = 4
"""Worker processes whose sightings the main process folds as they come: it folds a
message in about a fifth of the time a worker takes to check one, and the sightings cost
less to hand back than records do to spread and gather again."""
AUTO_BYTES = 32 << 20
"""Input from which a run uses every core unless told otherwise: below it, starting the
worker processes costs about what they save."""
MIN_RANGE_BYTES = 4 << 20
MAX_RANGE_BYTES = 32 << 20
PIECE_ITEMS = 10_000
KEPT_IN_WORKER = 20_000
"""Results a worker process hands back for one range; a range with more is checked again
in the main process, streaming, so no process holds an unbounded list."""
SCAN_BYTES = 1 << 20
"""How much of a file's start is read to tell whether it opens with a JSON array."""


@dataclass(frozen=True)
class Options:
    input_format: Content = "auto"
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    keep: Keep = "problems"
    jobs: int = 1
    stream: bool = False
    """collect a ``Sighting`` of every valid message, for the stream checks"""
    portable: bool = False
    """fingerprints equal in every process (``stream.fingerprint``), as a cluster's workers
    need; else Python's own hash, which a process and the workers forked from it share"""


@dataclass(frozen=True)
class Task:
    source: Source
    options: Options
    start: int = 0
    end: int | None = None

    @property
    def ranged(self) -> bool:
        return bool(self.start) or self.end is not None

    @property
    def size(self) -> int:
        if self.end is not None:
            return self.end - self.start
        try:
            return self.source.path.stat().st_size if self.source.regular else 0  # type: ignore[union-attr]
        except OSError:
            return 0


Progress = Callable[[int, int], None]
"""Told (bytes read, lines read) as checking advances."""


# -- planning ---------------------------------------------------------------


def _cut(path: Path, offset: int, limit: int) -> int | None:
    """The first offset at or after ``offset`` (and before ``limit``) where a line starting
    with ``{`` follows a line ending with ``}``: by the reading rules a new document starts
    there whatever came before, so a range may start there."""
    with path.open("rb") as stream:
        stream.seek(max(offset - 1, 0))
        data = stream.read(min(limit - offset + 1, 1 << 20))
    at = 0
    while True:
        found = data.find(b"}\n{", at)
        if found < 0:
            return None
        cut = offset - 1 + found + 2
        if cut > offset:
            return cut
        at = found + 1


def _one_task(path: Path) -> bool:
    """Whether a file is read as one task whatever its size: gzipped (no byte range of it
    can be read alone), or starting with a JSON array (what ``jq -s`` and ``json.dump`` of
    a list write: cut into ranges, it would be read again whole; see ``Cuts``)."""
    with path.open("rb") as stream:
        start = stream.read(SCAN_BYTES)
    return start.startswith(GZIP_MAGIC) or start.lstrip(SKIP + BOM)[:1] == b"["


class Cuts:
    """Whether each cut ``plan`` made held, learnt as the ranges are booked in order.

    A cut is made where a line starting with ``{`` follows one ending with ``}``: between
    two documents, unless a JSON array that opened before it is still open there, its
    elements on lines of their own. Only reading tells (the array may open anywhere, in
    the middle of a line too), so a range says whether its reading ended inside an
    array. Then the file is read again from that range's start to its end, as one task,
    and its later ranges are dropped. As long as no range before it ended inside an
    array, a range starts where one reading of the whole file is between documents:
    what is booked is what that reading gives."""

    def __init__(self, tasks: list[Task]) -> None:
        self._starts = {(task.source.name, task.start) for task in tasks if task.ranged}
        self._dropped: set[str] = set()

    def dropped(self, task: Task) -> bool:
        """Whether ``task`` is a range of a file read again from an earlier range."""
        return task.ranged and task.source.name in self._dropped

    def again(self, task: Task, checked: Checked) -> Task | None:
        """What to read instead of ``task`` and the ranges after it, as it was ``checked``:
        None when the cut after it held (or none follows)."""
        if not checked.ends_in_array:
            return None
        rest = self.rest(task)
        return None if rest is task else rest

    def rest(self, task: Task) -> Task:
        """``task`` read on to its file's end, the ranges after it dropped."""
        if (task.source.name, task.end) not in self._starts:
            return task
        self._dropped.add(task.source.name)
        return replace(task, end=None)


def plan(
    sources: list[Source], options: Options, ranges_per_job: int = RANGES_PER_JOB
) -> list[Task]:
    """The tasks of a run: a source each, a large plain file under several jobs cut into
    ``ranges_per_job`` byte ranges per job (more for a file over that many times
    ``MAX_RANGE_BYTES``, fewer for one under ``MIN_RANGE_BYTES`` a range)."""
    tasks: list[Task] = []
    for source in sources:
        if options.jobs < 2 or source.error or not source.regular or source.path is None:
            tasks.append(Task(source, options))
            continue
        path = source.path
        size = path.stat().st_size
        ranges = min(
            max(options.jobs * ranges_per_job, size // MAX_RANGE_BYTES), size // MIN_RANGE_BYTES
        )
        if ranges < 2 or _one_task(path):
            tasks.append(Task(source, options))
            continue
        cuts = {_cut(path, size * k // ranges, size) for k in range(1, ranges)}
        bounds = [0, *sorted(cut for cut in cuts if cut is not None and 0 < cut < size), size]
        tasks.extend(Task(source, options, start, end) for start, end in itertools.pairwise(bounds))
    return tasks


def processes(requested: int | Literal["auto"] | None, sources: list[Source]) -> int:
    """How many processes a run uses: as many as asked; every core for ``auto``; by default
    every core when the regular files hold ``AUTO_BYTES`` or more, else one."""
    if isinstance(requested, int):
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if requested == "auto":
        return cores or 1
    size = 0
    for source in sources:
        if source.path is not None:
            with contextlib.suppress(OSError):  # gone: its reading will say so
                found = source.path.stat()
                size += found.st_size if stat.S_ISREG(found.st_mode) else 0
    return (cores or 1) if size >= AUTO_BYTES else 1


# -- checking ---------------------------------------------------------------


def check_item(
    judge: Contract,
    item: Line,
    place: Place,
    content: Content,
    tally: Tally,
    keep: Keep,
    max_bytes: int,
    sightings: list[Sighting] | None = None,
    fingerprint: Callable[[bytes], int] = hash,
) -> None:
    """Book the full verdict of one document (or of each, when a line holds several)."""
    if isinstance(item, Problem):
        tally.record(unreadable(Finding("", "unreadable", item.reason)), place, keep)
        return
    verdict = judge.judge_text(item, content)
    if verdict.status == "unreadable" and b"\n" not in item:
        pieces = split_line(item, place.line, max_bytes)
        if len(pieces) > 1:  # {"a":1}{"b":2}: documents side by side on one line
            for _, piece in pieces:
                check_item(judge, piece, place, content, tally, keep, 0, sightings, fingerprint)
            return
    tally.record(verdict, place, keep)
    if sightings is not None and verdict.status == "valid" and verdict.event_type:
        payload = next(iter(verdict.message.values()))
        sightings.append(
            Sighting.of(
                verdict.event_type,
                payload,
                place.source,
                place.line,
                verdict.message_id,
                None if verdict.message_id else fingerprint(item),
            )
        )


def check_batch(
    judge: Contract,
    batch: Batch,
    source: str,
    content: Content,
    tally: Tally,
    keep: Keep,
    max_bytes: int = DEFAULT_MAX_LINE_BYTES,
    sightings: list[Sighting] | None = None,
    fingerprint: Callable[[bytes], int] = hash,
) -> None:
    """Book a batch of documents, taking the fast path wherever it applies; with
    ``sightings``, also note what the stream checks need of every valid message, told
    apart from its redeliveries by ``fingerprint`` when it has no id."""
    tally.blank += batch.blank
    numbers = batch.numbers
    if not batch.clean:
        for number, item in zip(numbers, batch.items, strict=True):
            place = Place(source, number)
            check_item(judge, item, place, content, tally, keep, max_bytes, sightings, fingerprint)
        return
    quick = {"events": judge.quick_read, "frames": judge.quick_frame}.get(
        content, judge.quick_message
    )
    passed: list[str | None] = []  # event types of clean documents, counted at the end
    passes = passed.append
    for index, raw in enumerate(batch.items):
        found = quick(raw)  # type: ignore[arg-type]  # a clean batch holds bytes
        if found is None:
            place = Place(source, numbers[index])
            check_item(judge, raw, place, content, tally, keep, max_bytes, sightings, fingerprint)
            continue
        verdict, payload = found
        message_id = verdict.message_id
        if keep == "all" or verdict.drift or verdict.warnings or message_id is not None:
            tally.record(verdict, Place(source, numbers[index]), keep)
        else:  # a clean event: only counted
            passes(verdict.event_type)
        if sightings is not None:
            event: str = verdict.event_type  # type: ignore[assignment]  # valid: it has a type
            same = None if message_id is not None else fingerprint(raw)  # type: ignore[arg-type]
            sightings.append(Sighting.of(event, payload, source, numbers[index], message_id, same))
    if passed:
        tally.source(source).messages += len(passed)
        for name, times in Counter(passed).items():
            tally.count("valid", name, times)


@dataclass
class Piece:
    """The tally of one consecutive piece of a task."""

    tally: Tally
    lines: int
    """Lines of the task read through the end of this piece."""
    sightings: list[Sighting] = field(default_factory=list)
    ends_in_array: bool = False
    """(the last piece) the task's bytes end inside a JSON array (see ``Cuts``)"""


_WIRE = msgspec.msgpack.Encoder()
"""Sightings as a worker hands them back: plain tuples in MessagePack, which msgspec writes
five times faster than pickle writes them (0.26 against 1.23 µs each)."""
_UNWIRE = msgspec.msgpack.Decoder(list[tuple[Any, ...]])


def _cannot_read(task: Task, reason: str) -> Piece:
    tally = Tally()
    tally.source(task.source.name)
    finding = Finding("", "unreadable", f"cannot read {task.source.name}: {reason}")
    tally.record(unreadable(finding), Place(task.source.name, 1))
    return Piece(tally, 0)


def _position(stream: BinaryIO) -> int:
    """How far into the file reading has come (0 for a stream that cannot tell)."""
    try:
        return stream.tell()
    except (OSError, ValueError):
        return 0


def checked_pieces(task: Task, progress: Progress | None = None) -> Iterator[Piece]:
    """Check a task piece by piece, so results can be handed on without piling up."""
    name = task.source.name
    options = task.options
    if task.source.error:
        yield _cannot_read(task, task.source.error)
        return
    try:
        with task.source.reading() as stream:
            if task.ranged:
                chunks = raw_chunks(stream, task.start, task.end)
            else:
                chunks = decoded_chunks(stream)
            judge = load_contract()
            read_lines = read_bytes = 0
            for batch in _slices(batches(chunks, options.max_line_bytes)):
                tally = Tally()
                tally.source(name).lines = batch.lines - read_lines
                sightings: list[Sighting] = []
                check_batch(
                    judge,
                    batch,
                    name,
                    options.input_format,
                    tally,
                    options.keep,
                    options.max_line_bytes,
                    sightings if options.stream else None,
                    stable_fingerprint if options.portable else hash,
                )
                if progress:
                    position = _position(stream)
                    progress(position - read_bytes, batch.lines - read_lines)
                    read_bytes = position
                read_lines = batch.lines
                yield Piece(tally, batch.lines, sightings, batch.ends_in_array)
    except OSError as error:
        yield _cannot_read(task, error.strerror or str(error))


def _slices(found: Iterator[Batch]) -> Iterator[Batch]:
    """Batches of at most ``PIECE_ITEMS`` documents: a chunk of short bad lines holds
    hundreds of thousands of them, and each result is held until its piece is booked."""
    for batch in found:
        items, numbers = batch.items, batch.numbers
        if len(items) <= PIECE_ITEMS:
            yield batch
            continue
        for start in range(0, len(items), PIECE_ITEMS):
            end = start + PIECE_ITEMS
            yield Batch(
                items[start:end],
                numbers[start:end],
                batch.blank if not start else 0,
                numbers[end] - 1 if end < len(items) else batch.lines,
                batch.clean,
                batch.ends_in_array and end >= len(items),
            )


@dataclass
class Checked:
    """What a worker hands back for a task."""

    piece: Piece | None
    """its tally; None when it has too many results to hand back"""
    ends_in_array: bool = False
    """its bytes end inside a JSON array (see ``Cuts``)"""
    spread: Spread | None = None
    """with the stream checks spread, what phase two needs to know of it"""
    wire: bytes = b""
    """with the stream checks folded in the main process, its sightings"""


Take = Callable[[list[Sighting]], None]
"""Takes the sightings of a piece: a ``Spreader``, or a list to hand back."""


def _taking(task: Task, take: Take | None) -> Iterator[Piece]:
    """A task's pieces, their sightings handed to ``take`` as they come."""
    for piece in checked_pieces(task):
        if take is not None:
            take(piece.sightings)
            piece.sightings = []
        yield piece


@contextmanager
def _spreader(scratch: Path | None, name: str, parts: int) -> Iterator[Spreader | None]:
    if scratch is None:
        yield None
        return
    with FileSink(scratch, name) as sink:
        yield Spreader(parts, sink)


def gathered(task: Task, take: Take | None) -> Checked:
    """A task's pieces merged into one, to be handed back by a worker, their sightings
    given to ``take``; without a piece when it has too many results to hand back (the
    rest is still read, for the stream checks)."""
    total: Piece | None = Piece(Tally(), 0)
    ends_in_array = False
    for piece in _taking(task, take):
        ends_in_array = piece.ends_in_array
        if total is not None:
            total.tally.merge(piece.tally)
            total.lines = piece.lines
            if len(total.tally.results) > KEPT_IN_WORKER:
                total = None
    return Checked(total, ends_in_array)


def _in_worker(task: Task, name: str, scratch: Path | None, parts: int, hand_back: bool) -> Checked:
    """A task checked in a worker process; with a ``scratch`` folder, its records for the
    stream checks' parts written there; with ``hand_back``, its sightings handed back."""
    if hand_back:
        return handed_back(task)
    with _spreader(scratch, name, parts) as spreader:
        checked = gathered(task, spreader.add if spreader is not None else None)
        checked.spread = spreader.close() if spreader is not None else None
        return checked


def handed_back(task: Task) -> Checked:
    """A task checked in a worker, with its sightings to hand back for the fold."""
    sightings: list[Sighting] = []
    checked = gathered(task, sightings.extend)
    checked.wire = _WIRE.encode(sightings)
    return checked


def book_handed(lines: Lines, ledger: Ledger, task: Task, piece: Piece | None) -> None:
    """Book the tally a worker handed back; without one (too many results to hand back),
    check the task here again, for its tally alone."""
    if piece is None:
        tally_only = replace(task, options=replace(task.options, stream=False))
        _consume(lines.book(ledger, task, checked_pieces(tally_only)))
    else:
        _consume(lines.book(ledger, task, [piece]))


@dataclass
class Lines:
    """Lines of each source booked so far: a byte range counts its lines from 1, and is
    renumbered as it is booked."""

    before: dict[str, int] = field(default_factory=dict)

    def book(self, ledger: Ledger, task: Task, pieces: Iterable[Piece]) -> Iterator[Piece]:
        """Book each piece (to be drawn to the end), renumbered."""
        name = task.source.name
        offset = self.before.get(name, 0)
        lines = 0
        for piece in pieces:
            piece.tally.renumber(offset)
            ledger.add(piece.tally)
            lines = piece.lines
            yield piece
        self.before[name] = offset + lines
        ledger.tally.source(name)  # an empty source is listed too


def run(
    tasks: list[Task],
    ledger: Ledger,
    jobs: int = 1,
    progress: Progress | None = None,
    stream_window: float | None = None,
    cluster: Cluster | None = None,
) -> None:
    """Check every task and book the pieces, in task order, into ``ledger``; with a
    ``stream_window`` (and tasks whose options collect sightings), run the stream checks
    too, one fold per stream (``Source.stream``): unrelated captures checked together
    must not be taken for one. In ``jobs`` processes, or on a Dask ``cluster``."""
    with _few_collections():
        if cluster is not None:
            counts = cluster.run(tasks, ledger, progress, stream_window)
        elif jobs < 2 or len(tasks) < 2:
            counts = _here(tasks, ledger, progress, stream_window)
        else:
            counts = _in_processes(tasks, ledger, jobs, progress, stream_window)
    if stream_window is not None:
        ledger.stream_counts = counts
    ledger.note_empty_sources()


class Folds:
    """The stream checks in this process: one fold per stream, fed in stream order."""

    def __init__(self, ledger: Ledger, window: float) -> None:
        self.ledger = ledger
        self.window = window
        self.counts = StreamCounts()
        self._fold: StreamFold | None = None
        self._stream: str | None = None

    def feed(self, task: Task, sightings: Iterable[Sighting], offset: int = 0) -> None:
        """The sightings of a task, numbered from 1 in it, or from ``offset`` + 1."""
        stream = task.source.stream or task.source.name
        if self._fold is None or stream != self._stream:
            self.finish()
            measuring = self.ledger.on_summary is not None
            self._fold, self._stream = StreamFold(self.window, measuring=measuring), stream
        add, book = self._fold.add, self.ledger.add_stream
        for sighting in sightings:
            if offset:
                sighting = sighting._replace(line=sighting.line + offset)
            for found in add(sighting):
                book(found)

    def feed_wire(self, task: Task, wire: bytes, offset: int) -> None:
        """Sightings as a worker hands them back."""
        # tuple.__new__: the named tuple's own __new__ is a Python function, and this loop
        # is the one part of the run that no worker shares
        found = _UNWIRE.decode(wire)
        new = tuple.__new__
        self.feed(
            task,
            (
                new(Sighting, (event, source, line + offset, *rest))
                for event, source, line, *rest in found
            ),
        )

    def finish(self) -> StreamCounts:
        """The end of the current stream; the counts of every stream so far."""
        if self._fold is not None:
            for found in self._fold.finish():
                self.ledger.add_stream(found)
            self.counts.add(self._fold.counts)
            self._fold = None
        return self.counts


def _here(
    tasks: list[Task], ledger: Ledger, progress: Progress | None, window: float | None
) -> StreamCounts:
    """Every task in this process, with one fold per stream as the messages come."""
    lines = Lines()
    folds = Folds(ledger, window) if window is not None else None
    for task in tasks:
        offset = lines.before.get(task.source.name, 0)
        for piece in lines.book(ledger, task, checked_pieces(task, progress)):
            if folds is not None:
                folds.feed(task, piece.sightings, offset)
    return folds.finish() if folds is not None else StreamCounts()


def _in_processes(
    tasks: list[Task],
    ledger: Ledger,
    jobs: int,
    progress: Progress | None,
    window: float | None,
) -> StreamCounts:
    """The tasks in ``jobs`` worker processes. The stream checks are folded here, as the
    workers hand back their sightings, up to ``FOLDED_HERE_UP_TO`` workers (this process
    keeps up with them); beyond, in two phases (see ``spread``): the workers spread each
    task's sightings over parts in a scratch folder, then fold a part at a time, the
    largest first."""
    load_contract().warm()  # the fast path, compiled once here; forked workers inherit it
    gc.freeze()  # ... frozen, as _few_collections says why
    context = multiprocessing.get_context("fork")
    lines = Lines()
    here = Folds(ledger, window) if window is not None and jobs <= FOLDED_HERE_UP_TO else None
    spreads: Spreads[str] = Spreads(jobs * PARTS_PER_JOB)  # each task's files, by name
    with (
        _scratch(window is not None and here is None) as scratch,
        ProcessPoolExecutor(jobs, mp_context=context) as pool,
    ):

        def submit(task: Task, name: str) -> Future[Checked]:
            return pool.submit(_in_worker, task, name, scratch, spreads.parts, here is not None)

        cuts = Cuts(tasks)
        for index, future in ahead(len(tasks), jobs * TASKS_AHEAD, numbered(tasks, submit)):
            task, name = tasks[index], str(index)
            if progress:
                progress(task.size, 0)
            if cuts.dropped(task):
                continue  # read with an earlier range of its file
            offset = lines.before.get(task.source.name, 0)
            checked = _outcome(future) if future is not None else None
            again = cuts.again(task, checked) if checked is not None else None
            if again is not None:
                task, name = again, f"{index}-on"
                try:
                    checked = _outcome(submit(task, name))
                except BrokenProcessPool:
                    checked = None
            if checked is None:
                # a worker died (killed, out of memory): the pool cannot go on, and this task
                # and the rest are checked here instead, to the same results, each range
                # read on to its file's end (files of a name of their own: a worker still
                # alive may be writing)
                task, name = cuts.rest(task), f"{index}-here"
                with _spreader(scratch, name, spreads.parts) as spreader:
                    pieces = _taking(task, spreader.add if spreader is not None else None)
                    for piece in lines.book(ledger, task, pieces):
                        if here is not None:
                            here.feed(task, piece.sightings, offset)
                    spread = spreader.close() if spreader is not None else None
            else:
                book_handed(lines, ledger, task, checked.piece)
                spread = checked.spread
                if here is not None:
                    here.feed_wire(task, checked.wire, offset)
            if spread is not None:
                spreads.add(
                    task.source.stream or task.source.name, task.source.name, spread, offset, name
                )
        if here is not None:
            return here.finish()
        if scratch is None or window is None:
            return StreamCounts()
        measuring = ledger.on_summary is not None
        arguments = [
            (part, spreads.plans, spreads.handles, scratch, window, measuring)
            for part in spreads.largest_first()
        ]
        try:
            folding: list[Future[PartResult]] = [
                pool.submit(_fold_in_files, *these) for these in arguments
            ]
        except BrokenProcessPool:
            folding = []
        results = [_outcome(future) for future in folding] or [None] * spreads.parts
        done = [
            # the pool broke: folded here
            found if found is not None else _fold_in_files(*these)
            for found, these in zip(results, arguments, strict=True)
        ]
        outputs = (PartFile(part_file(scratch, "out", part)) for part in range(len(done)))
        return book_parts(ledger, done, outputs)


def _fold_in_files(
    part: int,
    plans: list[StreamPlan],
    written: list[list[str]],
    scratch: Path,
    window: float,
    measuring: bool,
) -> PartResult:
    """Phase two of the stream checks for one part, from and to the scratch folder."""
    blobs: list[list[Iterable[bytes]]] = [
        [PartFile(part_file(scratch, str(index), part)) for index in indices] for indices in written
    ]
    with FileSink(scratch, "out") as sink:
        return fold_part(
            part, plans, blobs, window, measuring, STREAM_FINDINGS_KEPT, partial(sink, part)
        )


T = TypeVar("T")


def numbered(tasks: list[Task], submit: Callable[[Task, str], T]) -> Callable[[int], T]:
    """``submit`` for ``ahead``, which counts tasks: a task's name is its number."""
    return lambda index: submit(tasks[index], str(index))


def ahead(count: int, window: int, submit: Callable[[int], T]) -> Iterator[tuple[int, T | None]]:
    """Task indexes with what ``submit`` made of them (futures), in order, with at most
    ``window`` submitted and not yet taken: results wait in this process's memory until
    their turn. Once a process pool broke, what is left is None."""
    waiting: deque[T] = deque()
    following = 0
    broken = False
    for index in range(count):
        while not broken and following < count and len(waiting) < window:
            try:
                waiting.append(submit(following))
            except BrokenProcessPool:
                broken = True
                break
            following += 1
        yield index, waiting.popleft() if waiting else None


def _outcome(future: Future[T]) -> T | None:
    """A worker's result; None when the pool broke (a worker was killed)."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None
    except ScratchError as error:
        raise UsageError(
            f"cannot use the stream checks' scratch files ({error}); set TMPDIR to a "
            "folder with room, or pass --no-stream-checks"
        ) from None


@contextmanager
def _scratch(wanted: bool) -> Iterator[Path | None]:
    if not wanted:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="8x8-events-") as folder:
        yield Path(folder)


def _consume(pieces: Iterable[Piece]) -> None:
    """Draw booked pieces to the end: booking happens as they are drawn."""
    for _ in pieces:
        pass


YOUNG_COLLECTION_EVERY = 50_000
"""Container objects allocated between two collections of the youngest generation, during
a run (Python's default is 700)."""


@contextmanager
def _few_collections() -> Iterator[None]:
    """Let the cycle collector run rarely, and never over what was built before the run.

    A run allocates a few containers per message (verdicts, sightings, the stream's
    records) and forms no reference cycles, so the collector frees nothing; with the
    default thresholds it still walked the growing heap: 14% of the main process's time
    with ``--jobs 2`` on 1 GiB. What exists when the run starts (with workers, the
    compiled contract) is frozen: never walked, nor touched in forked workers, whose
    pages then stay shared.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()

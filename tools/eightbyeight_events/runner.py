"""Running the contract over sources, in this process or in several.

A source is one task, except a large plain file under ``--jobs N``, which is
cut at line boundaries into byte ranges. Results come back in task order and
merge into one tally; a range counts its lines from 1 and is renumbered when
merged, so the report is the same whatever the number of processes.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eightbyeight_events.contract import Content, Contract, contract
from eightbyeight_events.explain import Finding
from eightbyeight_events.readers import (
    DEFAULT_MAX_LINE_BYTES,
    GZIP_MAGIC,
    Batch,
    Format,
    Line,
    Problem,
    Source,
    array_elements,
    decoded_chunks,
    detect,
    raw_chunks,
    split_lines,
)
from eightbyeight_events.tally import Place, Tally
from eightbyeight_events.verdict import Verdict, unreadable

RANGES_PER_JOB = 8
MIN_RANGE_BYTES = 4 << 20


@dataclass(frozen=True)
class Options:
    input_format: str = "auto"
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    keep_valid: bool = False
    jobs: int = 1


@dataclass(frozen=True)
class Task:
    source: Source
    options: Options
    start: int = 0
    end: int | None = None
    format: Format | None = None
    """Known in advance for a byte range (detected once for the whole file); detected from
    the data for a whole source."""

    @property
    def size(self) -> int:
        if self.end is not None:
            return self.end - self.start
        return self.source.path.stat().st_size if self.source.path else 0


@dataclass
class Outcome:
    tally: Tally
    lines: int
    """Lines consumed, blank ones included: what the next range's numbers start after."""
    formats: dict[str, str] = field(default_factory=dict)


Progress = Callable[[int, int], None]
"""Told (bytes read, lines read) as checking advances."""


def _line_boundary(path: Path, offset: int) -> int:
    """The offset of the first line that starts at or after ``offset``."""
    with path.open("rb") as stream:
        stream.seek(offset - 1)
        if stream.read(1) == b"\n":
            return offset
        position = offset
        while True:
            piece = stream.readline(1 << 20)
            position += len(piece)
            if not piece or piece.endswith(b"\n"):
                return position


def plan(sources: list[Source], options: Options) -> list[Task]:
    tasks: list[Task] = []
    for source in sources:
        path = source.path
        if path is None or options.jobs < 2:
            tasks.append(Task(source, options))
            continue
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(1 << 20)
        ranges = min(options.jobs * RANGES_PER_JOB, size // MIN_RANGE_BYTES)
        if head.startswith(GZIP_MAGIC) or ranges < 2:
            tasks.append(Task(source, options))
            continue
        found = detect(head, options.input_format)
        if found.layout == "array":
            tasks.append(Task(source, options))
            continue
        cuts = sorted({_line_boundary(path, size * k // ranges) for k in range(1, ranges)})
        bounds = [0, *(cut for cut in cuts if 0 < cut < size), size]
        tasks.extend(
            Task(source, options, start, end, found) for start, end in itertools.pairwise(bounds)
        )
    return tasks


def _peek(chunks: Iterator[bytes]) -> tuple[bytes, Iterator[bytes]]:
    head = b""
    for chunk in chunks:
        head += chunk
        if b"\n" in head or len(head) >= 1 << 16:
            break
    return head, itertools.chain([head] if head else [], chunks)


def check_line(
    judge: Contract, line: Line, place: Place, content: Content, tally: Tally, keep_valid: bool
) -> None:
    """Book one line's full verdict (blank lines are only counted)."""
    if isinstance(line, Problem):
        verdict: Verdict = unreadable(Finding("", "unreadable", line.reason))
    elif not line.strip():
        tally.blank += 1
        return
    else:
        verdict = judge.judge_text(line, content)
    tally.record(verdict, place, keep_valid)


def check_batch(
    judge: Contract, batch: Batch, source: str, content: Content, tally: Tally, keep_valid: bool
) -> None:
    """Book a batch of lines, taking the fast path wherever it applies."""
    if not batch.clean or content == "frames":
        for offset, line in enumerate(batch.lines):
            check_line(judge, line, Place(source, batch.first + offset), content, tally, keep_valid)
        return
    quick = judge.quick
    passed: list[str | None] = []  # event types of clean lines, counted at the end
    passes = passed.append
    for index, raw in enumerate(batch.lines):
        verdict = quick(raw)  # type: ignore[arg-type]  # a clean batch holds only bytes
        if verdict is None:
            check_line(judge, raw, Place(source, batch.first + index), content, tally, keep_valid)
        elif keep_valid:
            tally.record(verdict, Place(source, batch.first + index), keep_valid)
        else:
            passes(verdict.event_type)
    for name, times in Counter(passed).items():
        tally.count("valid", name, times)


@dataclass
class Piece:
    """The tally of one consecutive piece of a task: a batch of lines, or a whole array."""

    tally: Tally
    lines: int
    """Lines of the task consumed up to the end of this piece."""
    format: str


def checked_pieces(task: Task, progress: Progress | None = None) -> Iterator[Piece]:
    """Check a task piece by piece, so results can be handed on without piling up."""
    name = task.source.name
    with task.source.reading() as stream:
        if task.start or task.end is not None:
            chunks = raw_chunks(stream, task.start, task.end)
        else:
            chunks = decoded_chunks(stream)
        head, chunks = _peek(chunks)
        found = task.format or detect(head, task.options.input_format)
        label = f"{found.content}-{found.layout}"
        if found.layout == "array":
            tally = Tally()
            for number, element in array_elements(b"".join(chunks)):
                check_line(
                    contract(),
                    element,
                    Place(name, number),
                    found.content,
                    tally,
                    task.options.keep_valid,
                )
            # an array is never cut into ranges, so no line is numbered after it
            yield Piece(tally, 0, label)
            return
        for batch in split_lines(chunks, task.options.max_line_bytes):
            tally = Tally()
            check_batch(contract(), batch, name, found.content, tally, task.options.keep_valid)
            if progress:
                read = sum(len(line) + 1 for line in batch.lines if isinstance(line, bytes))
                progress(read, len(batch.lines))
            yield Piece(tally, batch.first + len(batch.lines) - 1, label)


def run_task(task: Task, progress: Progress | None = None) -> Outcome:
    outcome = Outcome(Tally(), 0)
    for piece in checked_pieces(task, progress):
        outcome.tally.merge(piece.tally)
        outcome.lines = piece.lines
        outcome.formats[task.source.name] = piece.format
    return outcome


def _run_in_pool(task: Task) -> Outcome:
    return run_task(task)


def run(tasks: list[Task], jobs: int, progress: Progress | None = None) -> Outcome:
    """Check every task and merge the outcomes in task order."""
    if jobs < 2 or len(tasks) < 2:
        return _merge(tasks, (run_task(task, progress) for task in tasks), None)
    contract().compile_all()  # compiled once here; forked workers inherit it
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return _merge(tasks, pool.imap(_run_in_pool, tasks), progress)


def _merge(tasks: list[Task], outcomes: Iterator[Outcome], progress: Progress | None) -> Outcome:
    total = Outcome(Tally(), 0)
    lines_before: dict[str, int] = {}
    for task, outcome in zip(tasks, outcomes, strict=True):
        name = task.source.name
        outcome.tally.renumber(lines_before.get(name, 0))
        lines_before[name] = lines_before.get(name, 0) + outcome.lines
        total.tally.merge(outcome.tally)
        total.formats.update(outcome.formats)
        if progress:
            progress(task.size, outcome.lines)
    total.lines = sum(lines_before.values())
    return total

"""The books of a validation run: verdicts recorded per line and in total, in a form that merges.

A ``Tally`` holds the counts and findings of one piece of input (a file or a
byte range of one). It decides nothing: it records the contract's verdicts.
Tallies of consecutive pieces merge into the tally of the whole, the same
whether the pieces were checked in one process or many, which is what makes
``--jobs`` reports identical to single-process ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from eightbyeight_events.explain import Finding
from eightbyeight_events.stream import InteractionSummary, StreamCounts, StreamFinding
from eightbyeight_events.verdict import STATUSES, DriftKind, Status, Verdict, WarningKind
from eightbyeight_events.wording import counted

NO_TYPE = "(none)"
"""Event-type bucket of lines whose type could not be told."""


@dataclass(frozen=True, slots=True)
class Place:
    source: str
    line: int
    message_id: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}"
        return f"{where} (messageId {self.message_id})" if self.message_id else where


Keep = Literal["problems", "drift", "all"]
"""Which messages a tally lists: those that are not valid; those and the valid ones that
drift from the spec; or every one."""


@dataclass(slots=True)
class LineResult:
    """A verdict at its place in the input."""

    place: Place
    status: Status
    event_type: str | None
    errors: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    """what the message holds that the spec does not say (``kind: subject``), when listed
    for it (``Keep`` "drift" or "all")"""

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "source": self.place.source,
            "line": self.place.line,
            "status": self.status,
            "event_type": self.event_type,
            "message_id": self.place.message_id,
            "errors": [finding.as_dict() for finding in self.errors],
        }
        if self.warnings:
            entry["warnings"] = self.warnings
        return entry


@dataclass(slots=True)
class Observation:
    """A kind of drift or warning: how often, in which event types, and where first."""

    count: int
    event_types: set[str]
    first: Place
    detail: str = ""
    """a warning's sentence; for drift, the declared name a misspelt field most likely meant"""

    def add(self, other: Observation) -> None:
        self.count += other.count
        self.event_types |= other.event_types


DriftKey = tuple[DriftKind, str]
WarningKey = tuple[WarningKind, str]
Key = TypeVar("Key", DriftKey, WarningKey)


def _observe(
    table: dict[Any, Observation], key: Any, event_type: str, place: Place, detail: str = ""
) -> None:
    seen = table.get(key)
    if seen is None:
        table[key] = Observation(1, {event_type}, place, detail)
    else:
        seen.count += 1
        seen.event_types.add(event_type)


def _merge_observations(table: dict[Key, Observation], later: dict[Key, Observation]) -> None:
    for key, observation in later.items():
        if key in table:
            table[key].add(observation)
        else:
            table[key] = observation


@dataclass(slots=True)
class SourceStats:
    """What one source held."""

    lines: int = 0
    messages: int = 0
    frames: int = 0
    control: int = 0

    def add(self, other: SourceStats) -> None:
        self.lines += other.lines
        self.messages += other.messages
        self.frames += other.frames
        self.control += other.control

    @property
    def content(self) -> str:
        """``events``, ``frames``, ``events+frames`` or ``empty``, by what its messages were."""
        messages = self.messages - self.control
        if messages <= 0:
            return "empty" if not self.messages else "control"
        if not self.frames:
            return "events"
        return "frames" if self.frames == messages else "events+frames"


@dataclass(slots=True)
class Tally:
    blank: int = 0
    statuses: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    results: list[LineResult] = field(default_factory=list)
    drift: dict[DriftKey, Observation] = field(default_factory=dict)
    warnings: dict[WarningKey, Observation] = field(default_factory=dict)
    sources: dict[str, SourceStats] = field(default_factory=dict)

    def source(self, name: str) -> SourceStats:
        found = self.sources.get(name)
        if found is None:
            found = self.sources[name] = SourceStats()
        return found

    def record(self, verdict: Verdict, place: Place, keep: Keep = "problems") -> None:
        """Book one message's verdict at its place."""
        if verdict.message_id is not None and place.message_id is None:
            place = Place(place.source, place.line, verdict.message_id)
        stats = self.source(place.source)
        stats.messages += 1
        if verdict.frame is not None or verdict.message_id is not None:
            stats.frames += 1
        if verdict.status == "control":
            stats.control += 1
            self.statuses["control"] += 1
            return
        self.count(verdict.status, verdict.event_type)
        for warning in verdict.warnings:
            key = (warning.kind, warning.subject)
            _observe(self.warnings, key, warning.event_type, place, warning.message)
        for drift in verdict.drift:
            found = (drift.kind, drift.subject)
            _observe(self.drift, found, drift.event_type, place, drift.suggestion or "")
        if verdict.status != "valid" or keep == "all" or (keep == "drift" and verdict.drift):
            self.results.append(
                LineResult(
                    place,
                    verdict.status,
                    verdict.event_type,
                    list(verdict.errors),
                    [warning.message for warning in verdict.warnings],
                    [f"{drift.kind.value}: {drift.subject}" for drift in verdict.drift]
                    if keep != "problems"
                    else [],
                )
            )

    def count(self, status: Status, event_type: str | None, times: int = 1) -> None:
        """Count lines without listing them (clean lines of the fast path, in bulk)."""
        self.statuses[status] += times
        row = self.by_type.setdefault(event_type or NO_TYPE, {"total": 0, "valid": 0, "invalid": 0})
        row["total"] += times
        if status in row:
            row[status] += times

    def merge(self, later: Tally) -> None:
        """Fold in the tally of input that comes after this one."""
        self.blank += later.blank
        for status, number in later.statuses.items():
            self.statuses[status] += number
        for event_type, row in later.by_type.items():
            mine = self.by_type.setdefault(event_type, {"total": 0, "valid": 0, "invalid": 0})
            for column, number in row.items():
                mine[column] += number
        self.results.extend(later.results)
        _merge_observations(self.drift, later.drift)
        _merge_observations(self.warnings, later.warnings)
        for name, stats in later.sources.items():
            self.source(name).add(stats)

    def renumber(self, offset: int) -> None:
        """Shift line numbers by ``offset`` (a byte range learns its first line number late)."""
        if not offset:
            return
        for result in self.results:
            result.place = Place(
                result.place.source, result.place.line + offset, result.place.message_id
            )
        for table in (self.drift, self.warnings):
            for observation in table.values():
                first = observation.first
                observation.first = Place(first.source, first.line + offset, first.message_id)

    @property
    def total(self) -> int:
        """Messages judged: every status but ``control``, which is counted apart like blanks."""
        return sum(self.statuses.values()) - self.statuses["control"]


Listener = Callable[[LineResult], None]
STREAM_FINDINGS_KEPT = 100_000


@dataclass(slots=True)
class Group:
    """Lines that share a trait: how many, and the first few."""

    count: int = 0
    first: list[tuple[LineResult, Finding | None]] = field(default_factory=list)


@dataclass(slots=True)
class Ledger:
    """The books of a whole run: counts exact, listed lines only as many as asked for.

    Memory does not grow with the number of bad lines: each result is handed
    to ``listen`` (a streaming report) as it is booked, and kept only within
    ``keep`` (all when None), as one of the first ``sample`` places of its
    group (event type and rule) and one of the first ``per_source`` of its source.
    """

    keep: int | None = None
    sample: int = 3
    per_source: int = 100
    listen: Listener | None = None
    tally: Tally = field(default_factory=Tally)
    """counts, drift, warnings and sources; its ``results`` are the kept ones"""
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    by_source: dict[tuple[str, Status], Group] = field(default_factory=dict)
    """(source, status) -> its lines of that status (every status but valid)"""
    stream_findings: list[StreamFinding] = field(default_factory=list)
    """the first ``STREAM_FINDINGS_KEPT`` stream findings; ``stream_kinds`` counts them all"""
    stream_kinds: dict[str, int] = field(default_factory=dict)
    stream_counts: StreamCounts | None = None
    """set when the stream checks ran"""
    on_summary: Callable[[InteractionSummary], None] | None = None

    def add_stream(self, found: StreamFinding | InteractionSummary) -> None:
        """Book what the stream checks found: a finding, or an interaction's summary."""
        if isinstance(found, InteractionSummary):
            if self.on_summary is not None:
                self.on_summary(found)
            return
        kind = found.kind.value
        self.stream_kinds[kind] = self.stream_kinds.get(kind, 0) + 1
        if len(self.stream_findings) < STREAM_FINDINGS_KEPT:
            self.stream_findings.append(found)

    def count_unlisted(self, kinds: dict[str, int]) -> None:
        """Count stream findings of each kind that were found but never listed (beyond the
        ``STREAM_FINDINGS_KEPT`` first, each part of a spread fold stops listing)."""
        for kind, number in kinds.items():
            self.stream_kinds[kind] = self.stream_kinds.get(kind, 0) + number

    def add(self, piece: Tally) -> None:
        """Book the tally of the next piece of input."""
        results, piece.results = piece.results, []
        self.tally.merge(piece)
        for result in results:
            self._book(result)

    def note_empty_sources(self) -> None:
        """A source without a single message is worth a warning (a wrong path, a failed
        capture); it fails the run only when asked to."""
        for name, stats in self.tally.sources.items():
            key = (WarningKind.EMPTY_SOURCE, name)
            if not stats.messages and key not in self.tally.warnings:
                detail = f"{name} holds no messages ({counted(stats.lines, 'line')})"
                self.tally.warnings[key] = Observation(1, set(), Place(name, 0), detail)

    def _book(self, result: LineResult) -> None:
        if self.listen is not None:
            self.listen(result)
        kept = self.tally.results
        if self.keep is None or len(kept) < self.keep:
            kept.append(result)
        if result.status == "valid":
            return
        key = (result.place.source, result.status)
        _sample(self.by_source, key, result, None, self.per_source)
        bucket = result.event_type or f"({result.status})"
        for finding in result.errors:
            _sample(self.groups, (bucket, finding.rule), result, finding, self.sample)


def _sample(
    table: dict[Any, Group], key: Any, result: LineResult, finding: Finding | None, size: int
) -> None:
    group = table.get(key)
    if group is None:
        group = table[key] = Group()
    group.count += 1
    if len(group.first) < size:
        group.first.append((result, finding))

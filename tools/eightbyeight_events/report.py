"""Reports of a validation run: text for people, JSON for programs, JUnit XML and GitHub
annotations for CI.

Every report reads a finished ``Run`` (its ``Ledger``), never the input: the
JSON report's lines and the GitHub annotations are written as each result is
booked (``JsonStream``, ``GithubStream``), the text and JUnit reports show
counts and the first places of each group, so memory stays flat however
many lines are bad.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.failure import CLASSES, DEFAULT, DRIFT_CLASSES, class_counts, shown
from eightbyeight_events.stream import COLUMNS, InteractionSummary
from eightbyeight_events.tally import NO_TYPE, Ledger, LineResult, Observation, Place, Tally
from eightbyeight_events.verdict import FAILING, STATUSES, DriftKind, WarningKind
from eightbyeight_events.wording import counted

JUNIT_STREAM_FINDINGS = 100
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Run:
    """A finished run: its books and how it was asked for."""

    ledger: Ledger
    fail_on: frozenset[str]
    """the failure classes that fail the run (``failure.CLASSES``)"""
    seconds: float
    fail_empty: bool = False

    @property
    def tally(self) -> Tally:
        return self.ledger.tally

    @functools.cached_property
    def counts(self) -> dict[str, int]:
        """How often each failure class occurred, chosen or not."""
        return class_counts(self.ledger)

    @property
    def failed_classes(self) -> dict[str, int]:
        """The chosen classes that occurred, with their counts: what failed the run."""
        return {name: n for name, n in self.counts.items() if n and name in self.fail_on}

    @property
    def strict(self) -> bool:
        """Whether every class fails the run (``--strict``)."""
        return self.fail_on >= set(CLASSES)

    @property
    def empty_sources(self) -> list[str]:
        return [name for name, stats in self.tally.sources.items() if not stats.messages]

    @property
    def passed(self) -> bool:
        return not self.failed_classes and not (self.fail_empty and self.empty_sources)

    def effect(self, classes: Iterable[str], hint: str) -> str:
        """Whether findings of ``classes`` fail this run, in words for a report's heading;
        ``hint`` is the ``--fail-on`` value that would make them."""
        chosen = [name for name in classes if name in self.fail_on]
        if chosen:
            return f"fails the run: --fail-on {shown(chosen)}"
        return f"does not fail the run without --fail-on {hint}"


def encode(text: str) -> bytes:
    """UTF-8 that any reader accepts, whatever the text holds (lone surrogates included)."""
    return text.encode("utf-8", "backslashreplace")


def type_order() -> dict[str, int]:
    order = {event_type.name: index for index, event_type in enumerate(event_types())}
    order[NO_TYPE] = len(order)
    return order


def _place(place: Place) -> dict[str, Any]:
    return {"source": place.source, "line": place.line, "message_id": place.message_id}


Kind = TypeVar("Kind", DriftKind, WarningKind)


def observations(
    table: dict[tuple[Kind, str], Observation],
) -> list[tuple[Kind, str, Observation]]:
    return sorted(
        ((kind, subject, seen) for (kind, subject), seen in table.items()),
        key=lambda row: (row[0].value, -row[2].count, row[1]),
    )


def summary_json(run: Run) -> dict[str, Any]:
    """Everything of the JSON report but its ``results``."""
    tally = run.tally
    order = type_order()
    drift: dict[str, list[dict[str, Any]]] = {kind.section: [] for kind in DriftKind}
    for kind, subject, seen in observations(tally.drift):
        drift[kind.section].append(
            {
                "subject": subject,
                "count": seen.count,
                "event_types": sorted(
                    seen.event_types, key=lambda name: order.get(name, len(order))
                ),
                "first": _place(seen.first),
                **({"suggestion": seen.detail} if seen.detail else {}),
            }
        )
    return {
        "summary": {
            "total": tally.total,
            **tally.statuses,
            "blank": tally.blank,
            "by_event_type": {
                name: tally.by_type[name]
                for name in sorted(tally.by_type, key=lambda name: order.get(name, len(order)))
            },
            "passed": run.passed,
            "strict": run.strict,
            "fail_on": [name for name in CLASSES if name in run.fail_on],
            "failed_classes": run.failed_classes,
            "class_counts": run.counts,
        },
        "drift": drift,
        "warnings": [
            {
                "kind": kind.value,
                "subject": subject,
                "message": seen.detail,
                "count": seen.count,
                "first": _place(seen.first),
            }
            for kind, subject, seen in observations(tally.warnings)
        ],
        **_stream_json(run.ledger),
        "sources": [
            {
                "source": name,
                "format": stats.content,
                "lines": stats.lines,
                "messages": stats.messages,
            }
            for name, stats in tally.sources.items()
        ],
    }


def _stream_json(ledger: Ledger) -> dict[str, Any]:
    if ledger.stream_counts is None:
        return {}
    return {
        "stream": {
            "findings": [finding.as_dict() for finding in ledger.stream_findings],
            "counts": ledger.stream_kinds,
            "interactions": ledger.stream_counts.as_dict(),
        }
    }


def as_json(run: Run) -> dict[str, Any]:
    """The JSON report with the results the ledger kept."""
    return {"results": [result.as_dict() for result in run.tally.results], **summary_json(run)}


class JsonStream:
    """Writes the JSON report as the run goes: each result when booked, the rest at the end."""

    def __init__(self, out: BinaryIO, limit: int | None = None) -> None:
        self.out = out
        self.limit = limit
        self.written = 0
        out.write(b'{\n  "results": [')

    def __call__(self, result: LineResult) -> None:
        if self.limit is not None and self.written >= self.limit:
            return
        separator = b"\n    " if not self.written else b",\n    "
        self.written += 1
        self.out.write(separator + encode(json.dumps(result.as_dict(), ensure_ascii=False)))

    def close(self, run: Run) -> None:
        rest = json.dumps(summary_json(run), indent=2, ensure_ascii=False)
        self.out.write(b"\n  ],\n" + encode(rest[2:]) + b"\n")
        self.out.flush()


def workflow_escape(text: str, *, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping (``%``, line breaks; ``:`` and ``,`` in properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


class GithubStream:
    """Writes a GitHub Actions annotation for each line that is not valid: ``::error`` where
    its status fails the run, ``::warning`` where it does not (``--fail-on`` left it out)."""

    def __init__(
        self, out: BinaryIO, limit: int | None = None, fail_on: frozenset[str] = DEFAULT
    ) -> None:
        self.out = out
        self.limit = limit
        self.fail_on = fail_on
        self.written = 0

    def __call__(self, result: LineResult) -> None:
        if result.status == "valid" or (self.limit is not None and self.written >= self.limit):
            return
        self.written += 1
        place = result.place
        finding = result.errors[0] if result.errors else None
        where = f" {finding.pointer}" if finding and finding.pointer else ""
        what = finding.message if finding else result.status
        title = f"{result.event_type or result.status}{where}"
        level = "error" if result.status in self.fail_on else "warning"
        source = workflow_escape(place.source, property_value=True)
        line = (
            f"::{level} file={source},line={place.line},"
            f"title={workflow_escape(title, property_value=True)}::{workflow_escape(what)}\n"
        )
        self.out.write(encode(line))


def _lines(count: int) -> str:
    return counted(count, "line")


def as_text(run: Run, places: int = 3) -> str:
    tally = run.tally
    out: list[str] = []
    files = len(tally.sources)
    rate = tally.total / run.seconds if run.seconds > 0 else 0.0
    out.append(
        f"Checked {counted(tally.total, 'message')} from {counted(files, 'source')} "
        f"in {run.seconds:.2f} s ({rate:,.0f} messages/s); {_lines(tally.blank)} blank skipped."
    )
    out.append("")
    width = max([len("Event type"), *(len(name) for name in tally.by_type)]) + 2
    out.append(f"{'Event type':<{width}}{'total':>9}{'valid':>9}{'invalid':>9}")
    order = type_order()
    for name in sorted(tally.by_type, key=lambda name: order.get(name, len(order))):
        row = tally.by_type[name]
        out.append(f"{name:<{width}}{row['total']:>9,}{row['valid']:>9,}{row['invalid']:>9,}")
    out.append(
        f"{'all':<{width}}{tally.total:>9,}{tally.statuses['valid']:>9,}"
        f"{tally.statuses['invalid']:>9,}"
    )
    out.append("")
    out.append("Messages: " + ", ".join(f"{tally.statuses[s]:,} {s}" for s in STATUSES))
    groups = run.ledger.groups
    if groups:
        out += ["", "Problems, by event type and rule:"]
        for (bucket, rule), group in sorted(groups.items(), key=lambda item: -item[1].count):
            out.append(f"  {bucket} · {rule} · {_lines(group.count)}")
            for result, finding in group.first[:places]:
                assert finding is not None
                pointer = f" {finding.pointer}" if finding.pointer else ""
                frame = " (frame)" if finding.document == "frame" else ""
                out.append(f"    {result.place}{pointer}{frame}: {finding.message}")
            if group.count > places:
                out.append(f"    … and {group.count - places:,} more")
    if tally.warnings:
        out += ["", f"Warnings ({run.effect(['call-state'], 'call-state')}):"]
        for warning, _, seen in observations(tally.warnings):
            out.append(f"  {seen.detail}")
            if warning is not WarningKind.EMPTY_SOURCE:
                out.append(f"    {_lines(seen.count)}, first at {seen.first}")
    if tally.drift:
        out += ["", f"Drift from the spec ({run.effect(DRIFT_CLASSES, 'drift')}):"]
        for drift, subject, seen in observations(tally.drift):
            types = ", ".join(sorted(seen.event_types))
            guess = f" (did you mean {seen.detail}?)" if seen.detail else ""
            out.append(f"  {drift.value}: {subject}{guess}")
            out.append(f"    {_lines(seen.count)} in {types}; first at {seen.first}")
    out += _stream_text(run, places)
    out.append("")
    out.append(_result_line(run))
    return "\n".join(out) + "\n"


def _result_line(run: Run) -> str:
    chosen = f"--fail-on {shown(run.fail_on)}"
    if run.passed:
        ignored = [f"{n:,} {name}" for name, n in run.counts.items() if n]
        if not ignored:
            return f"Result: passed ({chosen}): every message is valid."
        return f"Result: passed ({chosen}); not failing the run: {', '.join(ignored)}."
    reasons = [f"{n:,} {name}" for name, n in run.failed_classes.items()]
    if run.fail_empty and run.empty_sources:
        reasons.append(f"{len(run.empty_sources):,} empty sources (--fail-empty)")
    return f"Result: FAILED ({chosen}): " + ", ".join(reasons) + "."


TABLE = tuple(
    (name, max(len(name), width))
    for name, width in (
        ("interactionGUID", 62),
        ("mediaType", 5),
        ("direction", 3),
        ("outcome", 10),
        ("queue_s", 7),
        ("ring_s", 6),
        ("talk_s", 6),
        ("hold_s", 6),
        ("holds", 5),
        ("wrapup_s", 8),
        ("complete", 8),
        ("started", 24),
    )
)
"""The columns of ``interactions --format table``: the name and its width."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple | list):
        return ";".join(str(item) for item in value)
    return str(value)


def summary_writer(form: str, out: BinaryIO) -> Callable[[InteractionSummary], None]:
    """Writes each interaction's summary as it comes: a table, JSON Lines or CSV."""
    if form == "jsonl":

        def write_line(summary: InteractionSummary) -> None:
            out.write(encode(json.dumps(summary.as_dict(), ensure_ascii=False) + "\n"))

        return write_line
    if form == "csv":
        line = io.StringIO()
        writer = csv.writer(line)

        def write_csv(values: Iterable[Any]) -> None:
            writer.writerow(values)
            out.write(encode(line.getvalue()))
            line.seek(0)
            line.truncate()

        write_csv(COLUMNS)
        return lambda summary: write_csv(_cell(value) for value in summary.as_dict().values())
    out.write(encode("  ".join(f"{name:<{width}}" for name, width in TABLE).rstrip() + "\n"))

    def write_row(summary: InteractionSummary) -> None:
        values = summary.as_dict()
        row = "  ".join(f"{_cell(values[name]):<{width}}" for name, width in TABLE)
        out.write(encode(row.rstrip() + "\n"))

    return write_row


def _case(suite: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname="8x8-events validate", name=name)


def _fail(case: ET.Element, kind: str, message: str, lines: list[str]) -> None:
    failure = ET.SubElement(case, "failure", type=kind, message=message)
    failure.text = "\n".join(lines)


def _xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot hold (control characters, lone surrogates) as U+FFFD."""
    return XML_UNSAFE.sub("\ufffd", text)


def _stream_text(run: Run, places: int) -> list[str]:
    ledger = run.ledger
    counts = ledger.stream_counts
    if counts is None:
        return []
    out = [
        "",
        f"Stream: {counts.interactions:,} interactions, {counts.complete:,} complete, "
        f"{counts.started_before_capture:,} started before the capture, "
        f"{counts.open_at_end:,} open at its end; {counts.redelivered:,} redeliveries.",
    ]
    if not ledger.stream_kinds:
        return out
    out.append(f"Stream findings ({run.effect(['stream'], 'stream')}):")
    for kind, count in sorted(ledger.stream_kinds.items(), key=lambda item: -item[1]):
        out.append(f"  {kind} · {count:,}")
        shown = [f for f in ledger.stream_findings if f.kind.value == kind][:places]
        for finding in shown:
            out.append(f"    {finding.source}:{finding.line} {finding.subject}: {finding.message}")
        if count > len(shown):
            out.append(f"    … and {count - len(shown):,} more")
    return out


def as_junit(run: Run) -> bytes:
    """One test case per source, failing with its lines of a status the run fails on; one
    per other failure class the run fails on (drift, call states, stream findings). CI
    reporters link a case's ``file`` and ``line`` attributes to the first of its lines."""
    tally = run.tally
    suite = ET.Element("testsuite", name="8x8-events validate", time=f"{run.seconds:.3f}")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="fail-on", value=shown(run.fail_on))
    ET.SubElement(properties, "property", name="failed-classes", value=shown(run.failed_classes))
    for source, stats in tally.sources.items():
        case = _case(suite, source)
        case.set("file", source)
        failing = [
            run.ledger.by_source[(source, status)]
            for status in FAILING
            if status in run.fail_on and (source, status) in run.ledger.by_source
        ]
        if failing:
            first = sorted(
                (result for group in failing for result, _ in group.first),
                key=lambda result: result.place.line,
            )[: run.ledger.per_source]
            count = sum(group.count for group in failing)
            case.set("line", str(first[0].place.line))
            shown_lines = [
                f"{result.place}: {result.status}: "
                + "; ".join(f"{f.pointer or '/'}: {f.message}" for f in result.errors)
                for result in first
            ]
            if count > len(first):
                shown_lines.append(f"… and {count - len(first):,} more (see the JSON report)")
            _fail(case, first[0].status, f"{_lines(count)} of {source} not valid", shown_lines)
        elif run.fail_empty and not stats.messages:
            ET.SubElement(case, "failure", type="empty", message=f"{source} holds no messages")
    failed = run.failed_classes
    if "stream" in failed:
        _fail(
            _case(suite, "no stream findings"),
            "stream",
            f"{failed['stream']} stream findings (--fail-on stream)",
            [
                f"{f.source}:{f.line} {f.kind.value} {f.subject}: {f.message}"
                for f in run.ledger.stream_findings[:JUNIT_STREAM_FINDINGS]
            ],
        )
    drift = [name for name in DRIFT_CLASSES if name in failed]
    if drift:
        kinds = {DRIFT_CLASSES[name] for name in drift}
        _fail(
            _case(suite, "no drift"),
            "drift",
            f"{sum(failed[name] for name in drift)} messages with drift (--fail-on {shown(drift)})",
            [
                f"{kind.value}: {subject}"
                + (f" (did you mean {seen.detail}?)" if seen.detail else "")
                for kind, subject, seen in observations(tally.drift)
                if kind in kinds
            ],
        )
    if "call-state" in failed:
        _fail(
            _case(suite, "call states as the event table says"),
            "call-state",
            f"{failed['call-state']} call states outside the event table (--fail-on call-state)",
            [
                seen.detail
                for kind, _, seen in observations(tally.warnings)
                if kind is WarningKind.CALL_STATE
            ],
        )
    for element in suite.iter():
        for key, value in element.attrib.items():
            element.set(key, _xml_safe(value))
        if element.text:
            element.text = _xml_safe(element.text)
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    root = ET.Element("testsuites")
    root.append(suite)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document

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
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

from eightbyeight_events.catalogue import event_types
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
    strict: bool
    seconds: float
    fail_empty: bool = False

    @property
    def tally(self) -> Tally:
        return self.ledger.tally

    @property
    def failed_lines(self) -> int:
        return sum(self.tally.statuses[status] for status in FAILING)

    @property
    def empty_sources(self) -> list[str]:
        return [name for name, stats in self.tally.sources.items() if not stats.messages]

    @property
    def passed(self) -> bool:
        return (
            not self.failed_lines
            and not (self.strict and (self.tally.drift or self.ledger.stream_kinds))
            and not (self.fail_empty and self.empty_sources)
        )


def encode(text: str) -> bytes:
    """UTF-8 that any reader accepts, whatever the text holds (lone surrogates included)."""
    return text.encode("utf-8", "backslashreplace")


def _type_order() -> dict[str, int]:
    order = {event_type.name: index for index, event_type in enumerate(event_types())}
    order[NO_TYPE] = len(order)
    return order


def _place(place: Place) -> dict[str, Any]:
    return {"source": place.source, "line": place.line, "message_id": place.message_id}


Kind = TypeVar("Kind", DriftKind, WarningKind)


def _observations(
    table: dict[tuple[Kind, str], Observation],
) -> list[tuple[Kind, str, Observation]]:
    return sorted(
        ((kind, subject, seen) for (kind, subject), seen in table.items()),
        key=lambda row: (row[0].value, -row[2].count, row[1]),
    )


def summary_json(run: Run) -> dict[str, Any]:
    """Everything of the JSON report but its ``results``."""
    tally = run.tally
    order = _type_order()
    drift: dict[str, list[dict[str, Any]]] = {kind.section: [] for kind in DriftKind}
    for kind, subject, seen in _observations(tally.drift):
        drift[kind.section].append(
            {
                "subject": subject,
                "count": seen.count,
                "event_types": sorted(
                    seen.event_types, key=lambda name: order.get(name, len(order))
                ),
                "first": _place(seen.first),
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
            for kind, subject, seen in _observations(tally.warnings)
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


def _escape(text: str, *, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping (``%``, line breaks; ``:`` and ``,`` in properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


class GithubStream:
    """Writes a GitHub Actions ``::error`` annotation for each line that is not valid."""

    def __init__(self, out: BinaryIO, limit: int | None = None) -> None:
        self.out = out
        self.limit = limit
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
        line = (
            f"::error file={_escape(place.source, property_value=True)},line={place.line},"
            f"title={_escape(title, property_value=True)}::{_escape(what)}\n"
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
    order = _type_order()
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
        out += ["", "Warnings (do not fail the run):"]
        for warning, _, seen in _observations(tally.warnings):
            out.append(f"  {seen.detail}")
            if warning is not WarningKind.EMPTY_SOURCE:
                out.append(f"    {_lines(seen.count)}, first at {seen.first}")
    if tally.drift:
        effect = (
            "fails the run (--strict)" if run.strict else "does not fail the run without --strict"
        )
        out += ["", f"Drift from the spec ({effect}):"]
        for drift, subject, seen in _observations(tally.drift):
            types = ", ".join(sorted(seen.event_types))
            out.append(f"  {drift.value}: {subject}")
            out.append(f"    {_lines(seen.count)} in {types}; first at {seen.first}")
    out += _stream_text(run, places)
    out.append("")
    if run.passed:
        out.append("Result: passed: every message is valid.")
    else:
        reasons = [f"{tally.statuses[s]:,} {s}" for s in FAILING if tally.statuses[s]]
        if run.strict and tally.drift:
            reasons.append(f"{len(tally.drift):,} kinds of drift")
        if run.strict and run.ledger.stream_kinds:
            reasons.append(f"{sum(run.ledger.stream_kinds.values()):,} stream findings")
        if run.fail_empty and run.empty_sources:
            reasons.append(f"{len(run.empty_sources):,} empty sources (--fail-empty)")
        out.append("Result: FAILED: " + ", ".join(reasons) + ".")
    return "\n".join(out) + "\n"


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
    effect = "fails the run (--strict)" if run.strict else "does not fail the run without --strict"
    out.append(f"Stream findings ({effect}):")
    for kind, count in sorted(ledger.stream_kinds.items(), key=lambda item: -item[1]):
        out.append(f"  {kind} · {count:,}")
        shown = [f for f in ledger.stream_findings if f.kind.value == kind][:places]
        for finding in shown:
            out.append(f"    {finding.source}:{finding.line} {finding.subject}: {finding.message}")
        if count > len(shown):
            out.append(f"    … and {count - len(shown):,} more")
    return out


def as_junit(run: Run) -> bytes:
    """One test case per source, failing with the lines that are not valid; CI reporters
    link its ``file`` and ``line`` attributes to the first of them."""
    tally = run.tally
    suite = ET.Element("testsuite", name="8x8-events validate", time=f"{run.seconds:.3f}")
    for source, stats in tally.sources.items():
        case = ET.SubElement(
            suite, "testcase", classname="8x8-events validate", name=source, file=source
        )
        failing = run.ledger.by_source.get(source)
        if failing is not None:
            first = [result for result, _ in failing.first]
            case.set("line", str(first[0].place.line))
            failure = ET.SubElement(
                case,
                "failure",
                type=first[0].status,
                message=f"{_lines(failing.count)} of {source} not valid",
            )
            shown = [
                f"{result.place}: {result.status}: "
                + "; ".join(f"{f.pointer or '/'}: {f.message}" for f in result.errors)
                for result in first
            ]
            if failing.count > len(first):
                shown.append(f"… and {failing.count - len(first):,} more (see the JSON report)")
            failure.text = "\n".join(shown)
        elif run.fail_empty and not stats.messages:
            ET.SubElement(case, "failure", type="empty", message=f"{source} holds no messages")
    if run.strict and run.ledger.stream_kinds:
        case = ET.SubElement(
            suite, "testcase", classname="8x8-events validate", name="no stream findings"
        )
        failure = ET.SubElement(
            case,
            "failure",
            type="stream",
            message=f"{sum(run.ledger.stream_kinds.values())} stream findings (--strict)",
        )
        failure.text = "\n".join(
            f"{f.source}:{f.line} {f.kind.value} {f.subject}: {f.message}"
            for f in run.ledger.stream_findings[:JUNIT_STREAM_FINDINGS]
        )
    if run.strict and tally.drift:
        case = ET.SubElement(suite, "testcase", classname="8x8-events validate", name="no drift")
        failure = ET.SubElement(
            case, "failure", type="drift", message=f"{len(tally.drift)} kinds of drift (--strict)"
        )
        failure.text = "\n".join(
            f"{kind.value}: {subject}" for kind, subject, _ in _observations(tally.drift)
        )
    for element in suite.iter():
        for key, value in element.attrib.items():
            element.set(key, _xml_safe(value))
        if element.text:
            element.text = _xml_safe(element.text)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(sum(1 for case in suite if case.find("failure") is not None)))
    root = ET.Element("testsuites")
    root.append(suite)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document

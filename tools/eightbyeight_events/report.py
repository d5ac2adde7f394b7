"""Reports of a validation run: a summary for people, JSON for programs, JUnit XML for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.tally import NO_TYPE, LineResult, Observation, Place, Tally
from eightbyeight_events.verdict import STATUSES, DriftKind, WarningKind

JUNIT_MAX_CASES = 1000


@dataclass(frozen=True)
class Run:
    """A finished run: its tally and how it was asked for."""

    tally: Tally
    sources: dict[str, str]
    """source name -> the format it was read as"""
    strict: bool
    seconds: float

    @property
    def failed_lines(self) -> int:
        return sum(self.tally.statuses[status] for status in STATUSES[1:])

    @property
    def passed(self) -> bool:
        return not self.failed_lines and not (self.strict and self.tally.drift)


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


def as_json(run: Run) -> dict[str, Any]:
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
        "results": [result.as_dict() for result in tally.results],
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
        "sources": [{"source": name, "format": found} for name, found in run.sources.items()],
    }


def _groups(results: Iterable[LineResult]) -> dict[tuple[str, str], list[tuple[LineResult, Any]]]:
    groups: dict[tuple[str, str], list[tuple[LineResult, Any]]] = {}
    for result in results:
        if result.status == "valid":
            continue
        bucket = result.event_type or f"({result.status})"
        for finding in result.errors:
            groups.setdefault((bucket, finding.rule), []).append((result, finding))
    return groups


def _lines(count: int) -> str:
    return f"{count:,} line{'s' * (count != 1)}"


def as_text(run: Run, places: int = 3) -> str:
    tally = run.tally
    out: list[str] = []
    files = len(run.sources)
    rate = tally.total / run.seconds if run.seconds > 0 else 0.0
    out.append(
        f"Checked {tally.total:,} lines from {files} source{'s' * (files != 1)} "
        f"in {run.seconds:.2f} s ({rate:,.0f} lines/s); {_lines(tally.blank)} blank skipped."
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
    out.append("Lines: " + ", ".join(f"{tally.statuses[s]:,} {s}" for s in STATUSES))
    groups = _groups(tally.results)
    if groups:
        out += ["", "Problems, by event type and rule:"]
        for (bucket, rule), found in sorted(groups.items(), key=lambda item: -len(item[1])):
            out.append(f"  {bucket} · {rule} · {_lines(len(found))}")
            for result, finding in found[:places]:
                pointer = f" {finding.pointer}" if finding.pointer else ""
                frame = " (frame)" if finding.document == "frame" else ""
                out.append(f"    {result.place}{pointer}{frame}: {finding.message}")
            if len(found) > places:
                out.append(f"    … and {len(found) - places:,} more")
    if tally.warnings:
        out += ["", "Warnings (do not fail the run):"]
        for _, _, seen in _observations(tally.warnings):
            out.append(f"  {seen.detail}")
            out.append(f"    {_lines(seen.count)}, first at {seen.first}")
    if tally.drift:
        effect = (
            "fails the run (--strict)" if run.strict else "does not fail the run without --strict"
        )
        out += ["", f"Drift from the spec ({effect}):"]
        for kind, subject, seen in _observations(tally.drift):
            types = ", ".join(sorted(seen.event_types))
            out.append(f"  {kind.value}: {subject}")
            out.append(f"    {_lines(seen.count)} in {types}; first at {seen.first}")
    out.append("")
    if run.passed:
        out.append("Result: passed: every line is valid.")
    else:
        reasons = [f"{tally.statuses[s]:,} {s}" for s in STATUSES[1:] if tally.statuses[s]]
        if run.strict and tally.drift:
            reasons.append(f"{len(tally.drift):,} kinds of drift")
        out.append("Result: FAILED: " + ", ".join(reasons) + ".")
    return "\n".join(out) + "\n"


def as_junit(run: Run) -> bytes:
    """One test case per line that is not valid (up to a cap) and one per source that passed."""
    tally = run.tally
    suite = ET.Element("testsuite", name="8x8-events validate", time=f"{run.seconds:.3f}")
    cases = 0
    failing_sources = set()
    for result in tally.results:
        if result.status == "valid":
            continue
        failing_sources.add(result.place.source)
        if cases < JUNIT_MAX_CASES:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=result.place.source,
                name=f"line {result.place.line}: {result.event_type or result.status}",
            )
            first = result.errors[0].message if result.errors else result.status
            failure = ET.SubElement(case, "failure", type=result.status, message=first)
            failure.text = "\n".join(f"{f.pointer or '/'}: {f.message}" for f in result.errors)
        cases += 1
    if cases > JUNIT_MAX_CASES:
        case = ET.SubElement(suite, "testcase", classname="8x8-events", name="further lines")
        ET.SubElement(
            case,
            "failure",
            type="truncated",
            message=f"{cases - JUNIT_MAX_CASES:,} more lines are not valid; see the JSON report",
        )
    for source in run.sources:
        if source not in failing_sources:
            ET.SubElement(suite, "testcase", classname=source, name="every line valid")
    if run.strict and tally.drift:
        case = ET.SubElement(suite, "testcase", classname="8x8-events", name="no drift (--strict)")
        failure = ET.SubElement(
            case, "failure", type="drift", message=f"{len(tally.drift)} kinds of drift"
        )
        failure.text = "\n".join(
            f"{kind.value}: {subject}" for kind, subject, _ in _observations(tally.drift)
        )
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(sum(1 for case in suite if case.find("failure") is not None)))
    root = ET.Element("testsuites")
    root.append(suite)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document

"""The Markdown summary of a validation run, for the page of a GitHub Actions job.

GitHub shows ten annotations of a step at most; the job summary (the file
``$GITHUB_STEP_SUMMARY`` names) holds the whole run: its result, the counts,
the classes that failed it, and for each problem the first places with file
and line. Like every report it reads the finished ``Run`` only.
"""

from __future__ import annotations

import html

from eightbyeight_events.failure import shown
from eightbyeight_events.report import Run, observations, type_order
from eightbyeight_events.verdict import STATUSES, WarningKind
from eightbyeight_events.wording import counted

TITLE = "8x8 event captures"


def as_markdown(run: Run, places: int = 3) -> str:
    tally = run.tally
    mark, result = ("✅", "passed") if run.passed else ("❌", "FAILED")
    out = [
        f"### {mark} {TITLE}: {result}",
        "",
        f"`--fail-on {shown(run.fail_on)}` · {counted(tally.total, 'message')} from "
        f"{counted(len(tally.sources), 'source')} in {run.seconds:.2f} s",
        "",
        "| " + " | ".join(STATUSES) + " |",
        "|" + "---:|" * len(STATUSES),
        "| " + " | ".join(f"{tally.statuses[status]:,}" for status in STATUSES) + " |",
        "",
    ]
    failed = [f"{count:,} {name}" for name, count in run.failed_classes.items()]
    if run.fail_empty and run.empty_sources:
        failed.append(f"{len(run.empty_sources):,} empty sources (`--fail-empty`)")
    if failed:
        out += [f"**Failed by:** {', '.join(failed)}", ""]
    reported = [
        f"{count:,} {name}"
        for name, count in run.counts.items()
        if count and name not in run.failed_classes
    ]
    if reported:
        out += [f"**Reported, not failing the run:** {', '.join(reported)}", ""]
    out += _problems(run, places) + _drift(run) + _stream(run, places) + _by_type(run)
    return "\n".join(out) + "\n"


def table_cell(text: str) -> str:
    """Text as one table cell: no line break, no column bar, no HTML."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _code(text: str) -> str:
    return f"<code>{table_cell(text)}</code>"


def _problems(run: Run, places: int) -> list[str]:
    groups = run.ledger.groups
    if not groups:
        return []
    out = [
        "#### Problems",
        "",
        "| Event type | Rule | Lines | First places |",
        "|---|---|---:|---|",
    ]
    details = []
    for (bucket, rule), group in sorted(groups.items(), key=lambda item: -item[1].count):
        first = group.first[:places]
        where = ", ".join(_code(str(result.place)) for result, _ in first)
        out.append(f"| {table_cell(bucket)} | {table_cell(rule)} | {group.count:,} | {where} |")
        for result, finding in first:
            if finding is not None:
                pointer = f" {_code(finding.pointer)}" if finding.pointer else ""
                details.append(
                    f"- {_code(str(result.place))}{pointer}: {table_cell(finding.message)}"
                )
    out += ["", "<details><summary>What each first place says</summary>", "", *details]
    return [*out, "", "</details>", ""]


def _drift(run: Run) -> list[str]:
    tally = run.tally
    if not tally.drift and not tally.warnings:
        return []
    out = [
        "#### Drift and warnings",
        "",
        "| Kind | Subject | Lines | First at |",
        "|---|---|---:|---|",
    ]
    for kind, subject, seen in observations(tally.drift):
        guess = f" (did you mean {seen.detail}?)" if seen.detail else ""
        where = _code(str(seen.first))
        out.append(f"| {kind.value} | {table_cell(subject + guess)} | {seen.count:,} | {where} |")
    for warning, _, seen in observations(tally.warnings):
        where = "" if warning is WarningKind.EMPTY_SOURCE else _code(str(seen.first))
        out.append(f"| {warning.value} | {table_cell(seen.detail)} | {seen.count:,} | {where} |")
    return [*out, ""]


def _stream(run: Run, places: int) -> list[str]:
    ledger = run.ledger
    if not ledger.stream_kinds:
        return []
    out = ["#### Stream findings", "", "| Kind | Count | First places |", "|---|---:|---|"]
    for kind, count in sorted(ledger.stream_kinds.items(), key=lambda item: -item[1]):
        first = [f for f in ledger.stream_findings if f.kind.value == kind][:places]
        where = ", ".join(_code(f"{f.source}:{f.line}") for f in first)
        out.append(f"| {table_cell(kind)} | {count:,} | {where} |")
    return [*out, ""]


def _by_type(run: Run) -> list[str]:
    tally = run.tally
    order = type_order()
    out = [
        "<details><summary>By event type</summary>",
        "",
        "| Event type | total | valid | invalid |",
        "|---|---:|---:|---:|",
    ]
    for name in sorted(tally.by_type, key=lambda name: order.get(name, len(order))):
        row = tally.by_type[name]
        out.append(
            f"| {table_cell(name)} | {row['total']:,} | {row['valid']:,} | {row['invalid']:,} |"
        )
    return [*out, "", "</details>", ""]

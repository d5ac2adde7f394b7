"""A diff's report as text, JSON, a changelog section in Markdown, or GitHub annotations."""

from __future__ import annotations

import json
from typing import Any

from eightbyeight_events.report import workflow_escape
from eightbyeight_events.schemas import FRAME
from eightbyeight_events.specdiff.judge import Finding, Report, stated_bump
from eightbyeight_events.specdiff.sources import SINGLE, Spec
from eightbyeight_events.step_summary import table_cell
from eightbyeight_events.version import BUMPS
from eightbyeight_events.wording import counted

FORMATS = ("text", "json", "markdown", "github")
MARK = {True: "✅", False: "❌"}
NAMES_SHOWN = 6
"""Event types named in a line of text before it says how many more."""


def _side(spec: Spec) -> str:
    return f"{spec.label} ({spec.version})" if spec.version else spec.label


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _reach(finding: Finding, every: int) -> str:
    events = finding.events
    if not events:
        return "the Pulsar frame" if finding.change.document == FRAME else "no event type"
    if len(events) == every and every > NAMES_SHOWN:
        return f"every event type ({every})"
    shown = ", ".join(events[:NAMES_SHOWN])
    more = f" and {len(events) - NAMES_SHOWN} more" if len(events) > NAMES_SHOWN else ""
    return f"{counted(len(events), 'event type')}: {shown}{more}"


def _classes(report: Report) -> str:
    return (
        f"BACKWARD {_yes(report.backward)}, FORWARD {_yes(report.forward)}, "
        f"FULL {_yes(report.full)}"
    )


def _needs(report: Report) -> str:
    return {
        "none": "no version change",
        "patch": "a patch version",
        "minor": "a minor version",
        "major": "a major version",
    }[report.bump]


def as_text(report: Report) -> str:
    every = report.catalogue
    out = [f"{_side(report.old)} → {_side(report.new)}, policy {report.policy}"]
    for finding in report.findings:
        out += [
            "",
            f"{finding.change.kind}  {finding.change.pointer}",
            f"    {finding.message}",
            f"    BACKWARD {_yes(finding.backward)} · FORWARD {_yes(finding.forward)} · "
            f"{_reach(finding, every)}",
        ]
    out.append("")
    if not report.findings:
        out.append("No change: both accept the same messages and say the same of them.")
    else:
        out.append(
            f"{counted(len(report.findings), 'change')}: {_classes(report)}; "
            f"needs {_needs(report)}.{_stated(report)}"
        )
    return "\n".join(out) + "\n"


def _stated(report: Report) -> str:
    """What the versions themselves say, where they say less than the change needs."""
    stated = stated_bump(report)
    if stated is None or BUMPS.index(stated) >= BUMPS.index(report.bump):
        return ""
    if stated == "none":
        return f" The versions say less: both are {report.new.version}."
    return (
        f" The versions say less: {report.old.version} → {report.new.version} is a {stated} step."
    )


def as_json(report: Report) -> dict[str, Any]:
    return {
        "old": {"source": report.old.label, "version": report.old.version},
        "new": {"source": report.new.label, "version": report.new.version},
        "policy": report.policy,
        "changes": [finding.as_json() for finding in report.findings],
        "compatibility": {
            "backward": report.backward,
            "forward": report.forward,
            "full": report.full,
        },
        "bump": report.bump,
        "stated_bump": stated_bump(report),
        "events": {
            name: {
                "status": change.status,
                "backward": change.backward,
                "forward": change.forward,
                "kinds": list(change.kinds),
            }
            for name, change in report.events.items()
        },
    }


def as_markdown(report: Report) -> str:
    """A changelog section: the classes, then the changes grouped by the event types they
    reach."""
    every = report.catalogue
    title = f"{report.old.version or report.old.label} → {report.new.version or report.new.label}"
    out = [
        f"### Compatibility: {title}",
        "",
        f"Policy `{report.policy}`. Needs {_needs(report)}.",
        "",
        "| BACKWARD | FORWARD | FULL |",
        "|---|---|---|",
        f"| {MARK[report.backward]} | {MARK[report.forward]} | {MARK[report.full]} |",
    ]
    if not report.findings:
        return "\n".join([*out, "", "No change.", ""])
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(_group(finding, every), []).append(finding)
    for group, findings in sorted(groups.items()):
        out += [
            "",
            f"#### {group}",
            "",
            "| Change | Where | BACKWARD | FORWARD | What it means |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| `{f.change.kind}` | <code>{table_cell(f.change.pointer)}</code> | "
            f"{MARK[f.backward]} | {MARK[f.forward]} | {table_cell(f.message)} |"
            for f in findings
        ]
    return "\n".join(out) + "\n"


def _group(finding: Finding, every: int) -> str:
    events = finding.events
    if not events:
        return "Pulsar frame" if finding.change.document == FRAME else "Not used by any event type"
    if len(events) == every and every > 1:
        return "Every event type"
    return ", ".join(events)


def as_github(report: Report) -> str:
    """An annotation per change: an error where BACKWARD fails, a warning where FORWARD
    does, a notice otherwise; on the changed file when the new side is a folder on disk."""
    lines = []
    for finding in report.findings:
        level = "error" if not finding.backward else "warning" if not finding.forward else "notice"
        where = ""
        if report.new.on_disk is not None:
            path = report.new.on_disk
            if finding.change.document != SINGLE:
                path = f"{path.rstrip('/')}/{finding.change.document}"
            where = f"file={workflow_escape(path, property_value=True)},"
        title = workflow_escape(
            f"{finding.change.kind} {finding.change.pointer}", property_value=True
        )
        lines.append(f"::{level} {where}title={title}::{workflow_escape(finding.message)}")
    lines.append(as_text(report).splitlines()[-1])
    return "\n".join(lines) + "\n"


def render(report: Report, form: str) -> str:
    if form == "json":
        return json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"
    if form == "markdown":
        return as_markdown(report)
    if form == "github":
        return as_github(report)
    return as_text(report)

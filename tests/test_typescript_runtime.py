"""The runtime modules of the npm package, compiled by tsc in its strictest modes and run by
node over the realistic sample (which carries every documented variation): the normal forms
(``8x8-event-types/normal``) give the answers of ``eightbyeight_events.normal`` line for
line, and the dispatcher (``8x8-event-types/dispatch``) narrows types and routes each
message as the Python one does."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from capture_helpers import SAMPLE
from conftest import REPO
from eightbyeight_events import normal, parse_event
from eightbyeight_events.normal import AttachedData, flag_fields
from test_typescript import TSC_FLAGS

CONSUMER = """\
import type { Event, Flag } from "8x8-event-types";
import {
  AttachedPairs, VariationError, agents, channel, disposition, flag, occurredAt, recordingMode,
  timestamps,
} from "8x8-event-types/normal";

const FLAGS = %(flags)s as const;

export function read(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\\n")) {
    if (line.trim() !== "") out.push(JSON.stringify(reading(JSON.parse(line) as Event)));
  }
  let refused = "";
  try {
    flag("yes" as "true");
  } catch (error) {
    if (error instanceof VariationError) refused = error.message;
  }
  out.push(JSON.stringify({ refused }));
  return out;
}

function reading(message: Event): object {
  const event = Object.values(message)[0];
  if (event === undefined) return {};
  const fields = event as Record<string, unknown>;
  const attached = AttachedPairs.of(event);
  const queue = attached.queue();
  return {
    flags: FLAGS.map((name) => flag(fields[name] as Flag | undefined) ?? null),
    recording: "recordingMode" in event ? recordingMode(event.recordingMode) ?? null : null,
    channel: "inboundChannelid" in event ? channel(event.inboundChannelid) ?? null : null,
    disposition: "dispositionCode" in event ? disposition(event.dispositionCode) ?? null : null,
    agents: "participatingAgents" in event ? agents(event.participatingAgents) : [],
    occurred: occurredAt(event)?.getTime() ?? null,
    answered: attached.answeredAt()?.getTime() ?? null,
    hungUp: attached.hungUpAt()?.getTime() ?? null,
    originally: attached.originallyAt()?.getTime() ?? null,
    queued: attached.queuedAt()?.getTime() ?? null,
    queue: queue === undefined ? null : [queue.tenant, queue.media, queue.queueId],
    times: Object.fromEntries([...timestamps(event)].map(([name, when]) => [name, when.getTime()])),
  };
}
"""
DISPATCHING = """\
import type { AgentStatusChange, InteractionQueued } from "8x8-event-types";
import { Dispatcher } from "8x8-event-types/dispatch";
import { occurredAt } from "8x8-event-types/normal";
import { parseEvent, parseFrame } from "8x8-event-types/parse";

export function read(text: string): string[] {
  let queued = 0;
  const counts: Record<string, number> = {};
  const unknown: string[] = [];
  const dispatcher = new Dispatcher()
    .on("InteractionQueued", (event) => {
      const narrowed: InteractionQueued = event;
      queued += narrowed.queueId === undefined ? 0 : 1;
    })
    .on("AgentStatusChange", (event: AgentStatusChange) => void event.agentId)
    .onAny((_event, name) => {
      counts[name] = (counts[name] ?? 0) + 1;
    })
    .onUnknown((message) => unknown.push(`${message.wrapper}/${message.name}`));
  for (const line of text.split("\\n")) {
    if (line.trim() !== "") dispatcher.dispatch(parseEvent(line, { unknown: "value" }));
  }
  for (const raw of [
    { Interaction: { event: "InteractionSurveyed" } },
    { SupervisorStatusChange: { agentId: "ag1" } },
  ]) {
    dispatcher.dispatch(parseEvent(raw, { unknown: "value" }));
  }
  const newType = '{"Interaction": {"event": "InteractionRated", "interactionGUID": "int-1"}}';
  dispatcher.dispatch(parseEvent(newType, { unknown: "value" }));
  return [JSON.stringify({ queued, counts, unknown })];
}

export function onlyTypeChecked(text: string): void {
  const frame = parseFrame(text, { control: "value" });
  // @ts-expect-error a frame (or a control message) is not a message: dispatch its event
  new Dispatcher().dispatch(frame);
  // @ts-expect-error a frame has no event time of its own: occurredAt takes a payload
  occurredAt(frame);
}
// @ts-expect-error a handler of another event type does not compile
new Dispatcher().on("InteractionQueued", (event: AgentStatusChange) => event.agentId);
// @ts-expect-error a misspelt event name does not compile
new Dispatcher().on("InteractionQueud", () => undefined);
"""
DRIVER = """\
import { readFileSync } from "node:fs";
import { read } from "./read.js";
for (const line of read(readFileSync(process.argv[2], "utf8"))) console.log(line);
"""


def install_packed(folder: Path) -> None:
    """Install the package as a user gets it: ``npm pack`` of ``generated/typescript``, then
    ``npm install`` of that tarball (offline: it has no dependencies), so ``files`` and
    ``exports`` in its manifest are what is tested."""
    (folder / "package.json").write_text('{"type": "module", "private": true}', encoding="utf-8")
    npm = shutil.which("npm")
    assert npm is not None, "npm comes with node (README: Quick start)"
    packed = subprocess.run(
        [npm, "pack", "--silent", "--pack-destination", str(folder)],
        cwd=REPO / "generated" / "typescript",
        capture_output=True,
        text=True,
        check=True,
    )
    tarball = folder / packed.stdout.strip().splitlines()[-1]
    subprocess.run(
        [npm, "install", "--offline", "--no-audit", "--no-fund", str(tarball)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )


def run_consumer(folder: Path, source: str) -> list[Any]:
    """Compile ``source`` (a module exporting ``read(text): string[]``) against the installed
    package with the strictest flags, run it over the sample, and decode what it printed."""
    install_packed(folder)
    (folder / "run.mjs").write_text(DRIVER, encoding="utf-8")
    printed = compile_and_run(folder, "read.ts", source, "run.mjs", str(SAMPLE))
    return [json.loads(line) for line in printed.splitlines()]


def compile_and_run(folder: Path, name: str, source: str, *command: str) -> str:
    """Compile ``source`` as ``name`` with tsc's strictest flags, then run ``node command``
    in ``folder``; what it printed."""
    (folder / name).write_text(source, encoding="utf-8")
    flags = [flag for flag in TSC_FLAGS if flag != "--noEmit"]
    tsc = str(REPO / "node_modules" / ".bin" / "tsc")
    built = subprocess.run(
        [tsc, *flags, name], cwd=folder, capture_output=True, text=True, check=False
    )
    assert built.returncode == 0, built.stdout + built.stderr
    ran = subprocess.run(["node", *command], cwd=folder, capture_output=True, text=True, check=True)
    return ran.stdout


def milliseconds(value: Any) -> int | None:
    return None if value is None else round(value.timestamp() * 1000)


def python_reading(payload: dict[str, Any]) -> dict[str, Any]:
    recording = normal.recording_mode(payload.get("recordingMode"))
    found = normal.disposition(payload.get("dispositionCode"))
    attached = AttachedData.of(payload)
    queue = attached.queue()
    return {
        "flags": [normal.flag(payload.get(name)) for name in flag_fields()],
        "recording": recording.value if recording else None,
        "channel": normal.channel(payload.get("inboundChannelid")),
        "disposition": {"code": found.code, "kind": found.kind} if found else None,
        "agents": list(normal.agents(payload.get("participatingAgents"))),
        "occurred": milliseconds(normal.occurred_at(payload)),
        "answered": milliseconds(attached.answered_at()),
        "hungUp": milliseconds(attached.hung_up_at()),
        "originally": milliseconds(attached.originally_at()),
        "queued": milliseconds(attached.queued_at()),
        "queue": [queue.tenant, queue.media, queue.queue_id] if queue else None,
        "times": {name: milliseconds(when) for name, when in normal.timestamps(payload).items()},
    }


@pytest.mark.usefixtures("node")
def test_typescript_reads_every_variation_as_python_does(tmp_path: Path) -> None:
    read = run_consumer(tmp_path, CONSUMER % {"flags": json.dumps(list(flag_fields()))})
    *readings, last = read
    payloads = [next(iter(json.loads(line).values())) for line in SAMPLE.read_bytes().splitlines()]
    assert len(readings) == len(payloads) > 1000
    for number, (reading, payload) in enumerate(zip(readings, payloads, strict=True), 1):
        assert reading == python_reading(payload), f"line {number}"
    forms = {
        "string flag": any(
            isinstance(p.get(name), str) for p in payloads for name in flag_fields()
        ),
        "N/A channel": any(p.get("inboundChannelid") == "N/A" for p in payloads),
        "; agents": any(";" in p.get("participatingAgents", "") for p in payloads),
        "coded recording": any(p.get("recordingMode") == 2 for p in payloads),
        "named disposition": any(isinstance(p.get("dispositionCode"), str) for p in payloads),
    }
    assert all(forms.values()), forms  # every variation was there to be read
    assert last == {"refused": '"yes" is not a documented flag value'}


@pytest.mark.usefixtures("node")
def test_the_typescript_dispatcher_routes_as_the_python_one(tmp_path: Path) -> None:
    (report,) = run_consumer(tmp_path, DISPATCHING)
    events = [parse_event(line) for line in SAMPLE.read_bytes().splitlines()]
    counts: dict[str, int] = {}
    for event in events:
        counts[type(event).__name__] = counts.get(type(event).__name__, 0) + 1
    assert report["counts"] == counts
    assert len(counts) > 10  # the sample covers most of the catalogue
    queued = [e for e in events if type(e).__name__ == "InteractionQueued"]
    assert report["queued"] == sum(e.queueId is not None for e in queued) > 0  # type: ignore[attr-defined]
    assert report["unknown"] == [
        "Interaction/InteractionSurveyed",
        "SupervisorStatusChange/SupervisorStatusChange",
        "Interaction/InteractionRated",  # what parseEvent returns for a new type, as is
    ]


COMMONJS_CONSUMER = """\
import { agents, flag, occurredAt } from "8x8-event-types/normal";
import { Dispatcher } from "8x8-event-types/dispatch";
import { EventError, parseEvent } from "8x8-event-types/parse";

const queued: string[] = [];
new Dispatcher()
  .on("InteractionQueued", (event) => queued.push(event.interactionGUID))
  .dispatch({ Interaction: { event: "InteractionQueued", interactionGUID: "int-1" } });
const when = occurredAt({
  event: "InteractionQueued",
  interactionGUID: "int-1",
  msgInfo: { timestamp: 1_700_000_000_000 },
})?.toISOString();
let pointer = "";
try {
  parseEvent('{"Interaction": {"event": "InteractionQueued", "interactionGUID": "x"}}');
} catch (error) {
  if (error instanceof EventError) pointer = error.pointer;
}
console.log(JSON.stringify([flag("false"), agents("agA;agB"), when, queued, pointer]));
"""


@pytest.mark.usefixtures("node")
def test_commonjs_consumers_require_the_same_modules(tmp_path: Path) -> None:
    install_packed(tmp_path)
    (tmp_path / "package.json").write_text('{"type": "commonjs", "private": true}')
    printed = compile_and_run(tmp_path, "check.cts", COMMONJS_CONSUMER, "check.cjs")
    assert "require(" in (tmp_path / "check.cjs").read_text(encoding="utf-8")
    assert json.loads(printed) == [
        False,
        ["agA", "agB"],
        "2023-11-14T22:13:20.000Z",
        ["int-1"],
        "/Interaction/interactionGUID",
    ]

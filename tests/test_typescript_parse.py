"""``8x8-event-types/parse`` checks messages at run time as the Python loader does: the npm
package, packed and installed into a scratch project, is used by a consumer compiled with
tsc's strictest flags and run by node, over the bundled sample frames, the invalid
examples (each with the pointer and rule it is known to fail at) and messages carrying a
field the schemas do not know. Its verdicts, pointers, event types and ``messageId`` agree
with ``parse_event``/``parse_frame`` case for case, and it needs no ajv at run time."""

from __future__ import annotations

import base64
import json
import random
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from capture_helpers import SAMPLE, SAMPLE_FRAMES
from conftest import REPO
from eightbyeight_events import (
    ControlMessage,
    EventError,
    UnknownEventError,
    parse_event,
    parse_frame,
)
from json_pairs import with_repeat
from test_typescript_runtime import compile_and_run, install_packed

CONSUMER = """\
import type { Event } from "8x8-event-types";
import {
  ControlMessage, EventError, UnknownEvent, UnknownEventError, parseEvent, parseFrame,
} from "8x8-event-types/parse";

interface Case { readonly kind: "event" | "frame"; readonly input: string | object }

function nameOf(event: Event): string {
  const [wrapper, payload] = Object.entries(event)[0] ?? ["", {}];
  const inner = (payload as { event?: string }).event;
  return inner ?? wrapper;
}

export function read(frames: string, cases: string): string[] {
  const out: string[] = [];
  const counts: Record<string, number> = {};
  for (const line of frames.split("\\n")) {
    if (line.trim() === "") continue;
    const delivery = parseFrame(line);
    const name = nameOf(delivery.event);
    counts[name] = (counts[name] ?? 0) + 1;
    if (delivery.messageId !== delivery.frame.messageId) throw new Error("messageId");
  }
  out.push(JSON.stringify(counts));
  for (const line of cases.split("\\n")) {
    if (line.trim() === "") continue;
    const { kind, input } = JSON.parse(line) as Case;
    try {
      const parsed = kind === "frame" ? parseFrame(input).event : parseEvent(input);
      out.push(JSON.stringify({ valid: nameOf(parsed) }));
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      out.push(JSON.stringify({
        error: error instanceof ControlMessage
          ? "ControlMessage"
          : error instanceof UnknownEventError ? "UnknownEventError" : "EventError",
        pointer: error.pointer,
        rule: error.errors[0]?.rule ?? null,
        eventType: error.eventType ?? null,
        messageId: error.messageId ?? null,
        said: error.message,
      }));
    }
  }
  const newType = '{"Interaction": {"event": "InteractionSurveyed"}}';
  const unknown = parseEvent(newType, { unknown: "value" });
  const publishTime = "2025-04-16T16:00:17Z";
  const frame = { messageId: "CAEQBQ==", payload: btoa(newType), publishTime };
  const delivered = parseFrame(frame, { unknown: "value" });
  const told = [unknown, delivered.event].map((found) =>
    found instanceof UnknownEvent ? [found.wrapper, found.name] : null,
  );
  const control = parseFrame('{"endOfTopic": true}', { control: "value" });
  const ended = "messageId" in control ? null : control.endOfTopic;
  out.push(JSON.stringify([...told, delivered.messageId, ended]));
  // @ts-expect-error with unknown values, a delivery's event may be an UnknownEvent
  const unchecked: Event = delivered.event;
  void unchecked;
  return out;
}
"""
IMPORTED = re.compile(r"""(?:\bfrom|\brequire\(|\bimport\()\s*["']([^"']+)["']""")
DRIVER = """\
import { readFileSync } from "node:fs";
import { read } from "./read.js";
const [frames, cases] = process.argv.slice(2).map((path) => readFileSync(path, "utf8"));
for (const line of read(frames, cases)) console.log(line);
"""


def frame_of(message: Any, message_id: str = "CAEQAA==") -> dict[str, Any]:
    payload = message if isinstance(message, bytes) else orjson.dumps(message)
    return {
        "messageId": message_id,
        "payload": base64.b64encode(payload).decode(),
        "properties": {},
        "publishTime": "2025-04-16T16:00:17.412Z",
    }


def cases() -> list[dict[str, Any]]:
    """The invalid examples, then what a live stream adds: fields the schemas do not know,
    frames whose payload is not UTF-8 or not JSON, text that is not JSON, a frame whose event
    is invalid, dates that do not exist."""
    found = []
    for path in sorted((REPO / "examples" / "invalid").glob("*.json")):
        case = json.loads(path.read_bytes())
        kind = "frame" if case["schema"].startswith("pulsar") else "event"
        found.append({"kind": kind, "input": case["instance"], "expect": case})
    queued = json.loads(SAMPLE_FRAMES.read_bytes().splitlines()[0])
    event = json.loads(base64.b64decode(queued["payload"]))
    wrapper = next(iter(event))
    newer = {wrapper: {**event[wrapper], "fieldAddedNextYear": {"nested": [1, 2]}}}
    invalid = {wrapper: {**event[wrapper], "msgInfo": {"timestamp": "soon"}}}
    return [
        *found,
        {"kind": "event", "input": newer},
        {"kind": "event", "input": json.dumps(newer)},
        {"kind": "frame", "input": {**frame_of(newer), "schemaVersion": "2"}},
        {"kind": "frame", "input": frame_of(invalid, "CAEQAQ==")},
        {"kind": "frame", "input": frame_of(b"\xff\xfe{}", "CAEQAg==")},
        {"kind": "frame", "input": frame_of(b'{"Interaction": ', "CAEQAw==")},
        {"kind": "frame", "input": {**frame_of(event), "publishTime": "2025-02-29T10:00:00Z"}},
        {"kind": "frame", "input": {**frame_of(event), "publishTime": "2024-02-29t10:00:00z"}},
        {"kind": "frame", "input": "{oops"},
        {"kind": "event", "input": "[1, 2"},
        {"kind": "event", "input": []},
        {"kind": "frame", "input": frame_of({"Supervisor": {"event": "Joined"}}, "CAEQBA==")},
        {"kind": "frame", "input": {"endOfTopic": True}},
        {"kind": "frame", "input": '{"type": "isEndOfTopic"}'},
        {"kind": "event", "input": {"Interaction": {"event": "InteractionQueud"}}},
        {"kind": "event", "input": {"Interation": {"event": "InteractionQueued"}}},
    ]


def python_verdict(case: dict[str, Any]) -> dict[str, Any]:
    data = case["input"]
    try:
        parsed = parse_frame(data).event if case["kind"] == "frame" else parse_event(data)
    except EventError as error:
        kinds = [(ControlMessage, "ControlMessage"), (UnknownEventError, "UnknownEventError")]
        told = {
            "error": next((name for kind, name in kinds if isinstance(error, kind)), "EventError"),
            "pointer": error.pointer,
            "eventType": error.event_type,
            "messageId": error.message_id,
        }
        if isinstance(error, UnknownEventError):  # worded by each package alone: the same words
            told["said"] = str(error)
        return told
    return {"valid": type(parsed).__name__}


@pytest.mark.usefixtures("node")
def test_parse_checks_at_run_time_as_python_does(tmp_path: Path) -> None:
    install_packed(tmp_path)
    every = cases()
    (tmp_path / "cases.jsonl").write_text(
        "".join(json.dumps({"kind": c["kind"], "input": c["input"]}) + "\n" for c in every)
    )
    (tmp_path / "run.mjs").write_text(DRIVER, encoding="utf-8")
    printed = compile_and_run(
        tmp_path, "read.ts", CONSUMER, "run.mjs", str(SAMPLE_FRAMES), "cases.jsonl"
    )
    counts, *verdicts, unknown = [json.loads(line) for line in printed.splitlines()]

    expected: dict[str, int] = {}
    for line in SAMPLE_FRAMES.read_bytes().splitlines():
        name = type(parse_frame(line).event).__name__
        expected[name] = expected.get(name, 0) + 1
    assert counts == expected
    assert sum(counts.values()) == len(SAMPLE_FRAMES.read_bytes().splitlines()) > 100

    assert len(verdicts) == len(every)
    for case, verdict in zip(every, verdicts, strict=True):
        shown = json.dumps(case["input"])[:120]
        told = {key: verdict.get(key) for key in ("error", "pointer", "eventType", "messageId")}
        if verdict.get("error") == "UnknownEventError":
            told["said"] = verdict["said"]
        if "valid" in verdict:
            told = {"valid": verdict["valid"]}
        assert told == python_verdict(case), shown
        known = case.get("expect")
        if known is not None and verdict["error"] == "EventError":
            assert (verdict["pointer"], verdict["rule"]) == (known["pointer"], known["rule"]), shown
        if "error" in verdict:
            assert verdict["said"].startswith("invalid "), verdict["said"]

    kinds = [next(iter(v)) for v in verdicts]
    assert kinds.count("valid") == 4  # the new fields (three forms) and the leap day of 2024
    surveyed = ["Interaction", "InteractionSurveyed"]
    assert unknown == [surveyed, surveyed, "CAEQBQ==", True]


def test_the_package_imports_no_validator_library() -> None:
    """The compiled validators are self-contained: nothing in the package requires or
    imports a module outside it, and the package declares no dependencies."""
    package = REPO / "generated" / "typescript"
    manifest = json.loads((package / "package.json").read_text(encoding="utf-8"))
    assert "dependencies" not in manifest
    checked = 0
    for path in [*package.glob("*.js"), *package.glob("cjs/*.js")]:
        text = path.read_text(encoding="utf-8")
        for module in IMPORTED.findall(text):
            assert module.startswith(("./", "../")), (path.name, module)
        checked += 1
    assert checked >= 10


FINDINGS = """\
import { EventError, parseEvent } from "8x8-event-types/parse";

export function read(messages: string): string[] {
  const out: string[] = [];
  for (const line of messages.split("\\n")) {
    if (line.trim() === "") continue;
    try {
      parseEvent(line);
      out.push("valid");
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      const found = error.errors.map((problem) => [problem.pointer, problem.rule]);
      out.push(JSON.stringify([error.name, found]));
    }
  }
  return out;
}
"""
LINES_DRIVER = """\
import { readFileSync } from "node:fs";
import { read } from "./consumer.js";
for (const line of read(readFileSync(process.argv[2], "utf8"))) console.log(line);
"""


def package_verdicts(tmp_path: Path, consumer: str, lines: list[str]) -> list[str]:
    """What ``read`` of a consumer program, run against the packed npm package, prints for
    each line of input: "valid", or a verdict as JSON (written as Python writes it)."""
    install_packed(tmp_path)
    (tmp_path / "input.jsonl").write_text("".join(f"{line}\n" for line in lines), "utf-8")
    (tmp_path / "run.mjs").write_text(LINES_DRIVER, encoding="utf-8")
    printed = compile_and_run(tmp_path, "consumer.ts", consumer, "run.mjs", "input.jsonl")
    return [
        line if line == "valid" else json.dumps(json.loads(line)) for line in printed.splitlines()
    ]


ODD_VALUES = [None, True, 0, -1, 1.5, 2**53, "", "true", "N/A", "CS_BOGUS", [], {}, [1], "é😀"]


def broken(message: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``message`` with one fault a live stream could bring: a field of another type or
    value, a field gone, a bad attachedData pair, a new field, another event name, another
    wrapper, a second wrapper."""
    payload = next(iter(message.values()))
    if not isinstance(payload, dict) or not payload:
        return {**message, "Extra": {}}
    keys = sorted(payload)
    attached = payload.get("attachedData")
    pairs = attached.get("attachedDatum") if isinstance(attached, dict) else None
    fault = rng.randrange(7)
    if fault == 0:
        payload[rng.choice(keys)] = rng.choice(ODD_VALUES)
    elif fault == 1:
        del payload[rng.choice(keys)]
    elif fault == 2 and isinstance(pairs, list) and pairs and isinstance(pairs[0], dict):
        pair = rng.choice(pairs)
        pair[rng.choice(["attachedDataKey", "attachedDataValue"])] = rng.choice(ODD_VALUES)
    elif fault == 3:
        payload["fieldAddedLater"] = rng.choice(ODD_VALUES)
    elif fault == 4:
        payload["event"] = rng.choice(["LineHoldStatus", "InteractionTeleported", 5, None])
    elif fault == 5:
        return {rng.choice(["Interaction", "AgentStatusChange", "AgentProvChange", "X"]): payload}
    else:
        message[rng.choice(["Interaction", "Extra"])] = {}
    return message


@pytest.mark.usefixtures("node")
def test_every_finding_is_the_python_packages_on_broken_messages(tmp_path: Path) -> None:
    """1,500 sample messages, each broken once or twice at random (seeded): parseEvent and
    parse_event agree on the verdict, the error class and every finding's pointer and rule,
    in the same order."""
    rng = random.Random(5)
    lines = SAMPLE.read_bytes().splitlines()
    messages = []
    for _ in range(1500):
        message = json.loads(rng.choice(lines))
        for _ in range(rng.choice([1, 1, 2])):
            message = broken(message, rng)
        messages.append(json.dumps(message))
    expected = []
    for text in messages:
        try:
            parse_event(text)
            expected.append("valid")
        except EventError as error:
            found = [[finding.pointer, finding.rule] for finding in error.errors]
            expected.append(json.dumps([type(error).__name__, found]))
    told = package_verdicts(tmp_path, FINDINGS, messages)
    assert len(told) == len(expected)
    for text, ours, theirs in zip(messages, told, expected, strict=True):
        assert ours == theirs, text[:200]
    assert 300 < expected.count("valid") < 1200  # both verdicts well represented
    assert sum('"UnknownEventError"' in verdict for verdict in expected) > 20
    assert sum(verdict.count("], [") > 0 for verdict in expected) > 50  # several findings


REPEATS = """\
import { EventError, parseEvent, parseFrame } from "8x8-event-types/parse";

export function read(cases: string): string[] {
  const out: string[] = [];
  for (const line of cases.split("\\n")) {
    if (line.trim() === "") continue;
    const { kind, text } = JSON.parse(line) as { kind: string; text: string };
    try {
      if (kind === "frame") parseFrame(text);
      else parseEvent(text);
      out.push("valid");
    } catch (error) {
      if (!(error instanceof EventError)) throw error;
      const found = error.errors.map((found) => [found.pointer, found.rule, found.document]);
      const first = error.errors[0]?.message;
      out.push(JSON.stringify([error.name, error.eventType ?? null, found, first]));
    }
  }
  return out;
}
"""


def python_repeat_verdict(kind: str, text: str) -> str:
    try:
        parse_frame(text) if kind == "frame" else parse_event(text)
    except EventError as error:
        found = [[f.pointer, f.rule, f.document] for f in error.errors]
        return json.dumps([type(error).__name__, error.event_type, found, error.errors[0].message])
    return "valid"


@pytest.mark.usefixtures("node")
def test_a_repeated_key_is_the_same_error_in_both_packages(tmp_path: Path) -> None:
    """400 sample messages, each with one object repeating a key (seeded), as events and
    inside frames, and frames that repeat a field: parseEvent and parseFrame throw what
    parse_event and parse_frame raise, every finding alike, the first in the same words."""
    rng = random.Random(11)
    lines = SAMPLE.read_bytes().splitlines()
    cases = []
    for _ in range(300):
        text = with_repeat(rng.choice(lines), rng).text
        cases.append({"kind": "event", "text": text.decode()})
    for _ in range(80):
        text = with_repeat(rng.choice(lines), rng).text
        cases.append({"kind": "frame", "text": json.dumps(frame_of(text))})
    for _ in range(20):
        framed = orjson.dumps(frame_of(rng.choice(lines)))
        cases.append({"kind": "frame", "text": with_repeat(framed, rng).text.decode()})
    first = SAMPLE.read_text().splitlines()[0]
    for odd in (
        first.replace('"agentId":', '"agentId" :'),  # as many key ends as keys, repeat or not
        first.replace('"none"', '"say \\":\\" twice"'),  # a quote and a colon in a string
        first.replace('"newState":1', '"newState":1e0'),  # a number with an exponent
    ):
        cases.append({"kind": "event", "text": odd})
        repeated = odd.replace('"newSubState"', '"newSubState":"x","newSubState"', 1)
        cases.append({"kind": "event", "text": repeated})
    cases.append({"kind": "event", "text": first})  # no repeat
    expected = [python_repeat_verdict(case["kind"], case["text"]) for case in cases]
    told = package_verdicts(tmp_path, REPEATS, [json.dumps(case) for case in cases])
    assert len(told) == len(expected)
    for case, ours, theirs in zip(cases, told, expected, strict=True):
        assert ours == theirs, case["text"][:300]
    assert expected[-1] == "valid"
    assert all('"uniqueKeys"' in verdict for verdict in expected[:-7])
    assert ['"uniqueKeys"' in verdict for verdict in expected[-7:-1]] == [False, True] * 3

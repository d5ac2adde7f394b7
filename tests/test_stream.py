"""Stream checks and interaction metrics: each fault found where it was put and nowhere
else, every documented lifecycle variant clean, and the durations the generator planned."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_helpers import SAMPLE, SAMPLE_FRAMES, delivered_badly, write_lines
from eightbyeight_events import cli, fold_events, parse_event, parse_frame, runner, validate_capture
from eightbyeight_events.cli import main
from eightbyeight_events.readers import expand
from eightbyeight_events.stream import InteractionSummary, Sighting, StreamFold
from eightbyeight_events.traffic import shift as sample

Event = dict[str, Any]
METRICS = ("outcome", "queue_s", "ring_s", "talk_s", "hold_s", "holds", "wrapup_s")


def shift(seed: int = 8, interactions: int = 150) -> tuple[list[Event], dict[str, Any]]:
    plans: dict[str, Any] = {}
    return list(sample.events(seed, interactions, plans=plans)), plans


def lines(events: list[Event]) -> list[bytes]:
    return [json.dumps(event, separators=(",", ":")).encode() for event in events]


def payload(event: Event) -> Event:
    return next(iter(event.values()))  # type: ignore[no-any-return]


def findings(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> list[Any]:
    main(["validate", "--format", "json", *options, str(path)])
    report = json.loads(capsys.readouterr().out)
    return [(f["kind"], f["line"], f["subject"]) for f in report["stream"]["findings"]]


def positions(events: list[Event], guid: str, name: str) -> list[int]:
    return [
        index
        for index, event in enumerate(events)
        if payload(event).get("interactionGUID") == guid and payload(event).get("event") == name
    ]


def numbered_below_an_earlier(events: list[Event], index: int) -> list[tuple[str, str]]:
    """A moved message's own sequence regression, when it carries a sequenceId and an earlier
    message of its instance now before it carries a higher one: a late arrival is one."""
    info = payload(events[index]).get("msgInfo") or {}
    if "sequenceId" not in info:
        return []
    before = (payload(event).get("msgInfo") or {} for event in events[:index])
    higher = any(
        other.get("instanceId") == info["instanceId"]
        and other.get("sequenceId", 0) > info["sequenceId"]
        for other in before
    )
    return [("sequence-regression", info["instanceId"])] if higher else []


def answered(events: list[Event], plans: dict[str, Any], nth: int = 0) -> str:
    guids = [
        guid for guid, plan in plans.items() if plan["outcome"] == "answered" and "-phone-" in guid
    ]
    return guids[nth]


def test_the_bundled_sample_has_no_stream_finding(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", "--format", "json", str(SAMPLE), str(SAMPLE_FRAMES)])
    stream = json.loads(capsys.readouterr().out)["stream"]
    assert stream["findings"] == []
    assert stream["interactions"]["interactions"] == stream["interactions"]["complete"] == 190


def test_each_injected_fault_is_found_where_it_was_put_and_nowhere_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, plans = shift()
    expected: list[tuple[str, str]] = []
    # out-of-order: an offer's InteractionAssigned after its InteractionAccepted
    guid = answered(events, plans, 0)
    assigned, accepted = (
        positions(events, guid, "InteractionAssigned")[-1],
        positions(events, guid, "InteractionAccepted")[0],
    )
    events.insert(accepted, events.pop(assigned))
    expected.append(("out-of-order", guid))
    expected += numbered_below_an_earlier(events, accepted)
    # after-end: a recording event after the interaction's InteractionDeleted
    guid = answered(events, plans, 1)
    moved = events.pop(positions(events, guid, "InteractionRecordingStarted")[0])
    after = positions(events, guid, "InteractionDeleted")[0] + 1
    events.insert(after, moved)
    expected.append(("after-end", guid))
    expected += numbered_below_an_earlier(events, after)
    # missing-step: post-processed, but post-processing never ends
    guid = answered(events, plans, 2)
    del events[positions(events, guid, "InteractionEndPostProcess")[0]]
    expected.append(("missing-step", guid))
    # never-ended: the end is lost, and the capture goes on for hours
    guid = answered(events, plans, 3)
    del events[positions(events, guid, "InteractionDeleted")[0]]
    expected.append(("never-ended", guid))
    # redelivered: the same message again, later
    guid = answered(events, plans, 4)
    again = positions(events, guid, "InteractionQueued")[0]
    events.insert(again + 40, json.loads(json.dumps(events[again])))
    expected.append(("redelivered", guid))
    # sequence-regression: a message numbered below one sent earlier by its instance
    late = next(
        index
        for index in range(len(events) // 2, len(events))
        if payload(events[index]).get("msgInfo") and "interactionGUID" in payload(events[index])
    )
    payload(events[late])["msgInfo"]["sequenceId"] = 1001
    instance = payload(events[late])["msgInfo"]["instanceId"]
    expected.append(("sequence-regression", instance))
    rendered = lines(events)
    capture = write_lines(tmp_path / "faults.jsonl", rendered)
    found = findings(capsys, capture, "--stream-window", "1h")
    assert sorted((kind, subject) for kind, _, subject in found) == sorted(expected)
    where = {kind: line for kind, line, _ in found if kind != "sequence-regression"}
    assert late + 1 in [line for kind, line, _ in found if kind == "sequence-regression"]
    assert where["redelivered"] == again + 41
    assert (
        where["after-end"] == rendered.index(json.dumps(moved, separators=(",", ":")).encode()) + 1
    )


def test_redelivered_frames_are_told_by_message_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frames = SAMPLE_FRAMES.read_bytes().splitlines()
    again = json.loads(frames[10])
    again["redeliveryCount"] = 1
    frames.insert(30, json.dumps(again).encode())
    capture = write_lines(tmp_path / "frames.jsonl", frames)
    found = findings(capsys, capture)
    assert found == [("redelivered", 31, again["messageId"])]


def test_findings_never_fail_a_run_unless_strict(tmp_path: Path) -> None:
    events, _ = shift(interactions=20)
    events.insert(50, events[10])
    capture = write_lines(tmp_path / "again.jsonl", lines(events))
    assert main(["validate", str(capture)]) == 0
    assert main(["validate", "--strict", str(capture)]) == 1
    assert main(["validate", "--strict", "--no-stream-checks", str(capture)]) in (0, 1)


TRANSFER = [
    ("InteractionCreated", None, {"callState": "CS_IDLE"}),
    ("InteractionQueued", None, {"callState": "CS_QUEUED"}),
    ("InteractionAssigned", "A", {"callState": "CS_INPROGRESS"}),
    ("InteractionAccepted", "A", {"callState": "CS_CONNECTED"}),
    ("LineHoldStatus", "A", {"callState": "CS_HOLD", "status": True}),
    ("InteractionTransferRequest", "A", {}),
    ("InteractionParticipantChange", "A", {"callState": "CS_CONNECTED"}),
    ("InteractionAssigned", "B", {"callState": "CS_INPROGRESS"}),
    ("InteractionJoinLinesRequest", "A", {}),
    ("InteractionJoined", "B", {}),
    ("LineHoldStatus", "A", {"callState": "CS_CONNECTED", "status": False}),
    ("InteractionAccepted", "B", {"callState": "CS_CONNECTED"}),
    ("InteractionParticipantRemovedByHost", "A", {}),
    ("InteractionDeassigned", "A", {"callState": "CS_CONNECTED"}),
    ("InteractionRecordingStarted", "B", {}),
    ("InteractionPostProcess", "B", {"callState": "CS_DISCONNECTED"}),
    ("InteractionEndPostProcess", "B", {"callState": "CS_DISCONNECTED"}),
    ("InteractionDeassigned", "B", {"callState": "CS_DISCONNECTED"}),
    ("InteractionRecordingReady", "B", {}),
    ("InteractionDeleted", "B", {"callState": "CS_DISCONNECTED"}),
]


def test_transfers_and_conferences_pass_clean() -> None:
    guid = "int-184a63564dc-ohWfVIbHJz2Hr2JFhAfdlb4Fa-phone-00-acmecorp01"
    agents = {"A": "agAAAAAAAAAAAAAAAAAAAAAA", "B": "agBBBBBBBBBBBBBBBBBBBBBB"}
    fold = StreamFold()
    out: list[Any] = []
    for second, (name, agent, fields) in enumerate(TRANSFER):
        body: Event = {"event": name, "interactionGUID": guid, "interactionEventTS": 1000 + second}
        if agent:
            body["agentId"] = agents[agent]
        out += fold.add(Sighting.of(name, {**body, **fields}, "t", second + 1))
    out += fold.finish()
    (summary,) = out  # no finding, one summary
    assert isinstance(summary, InteractionSummary)
    assert (summary.outcome, summary.ring_s, summary.holds, summary.hold_s) == ("answered", 1, 1, 6)
    assert summary.offered_agents == (agents["A"], agents["B"])
    assert summary.handling_agents == (agents["A"], agents["B"])
    assert summary.participants == ()


def summaries(events: list[Event]) -> dict[str, InteractionSummary]:
    found = fold_events(parse_event(event) for event in events)
    return {s.interactionGUID: s for s in found if isinstance(s, InteractionSummary)}


def test_metrics_are_the_durations_the_generator_planned() -> None:
    events, plans = shift()
    measured = summaries(events)
    assert set(measured) == set(plans)
    for guid, plan in plans.items():
        got = measured[guid]
        assert {name: getattr(got, name) for name in METRICS} == {
            name: plan[name] for name in METRICS
        }, guid
        assert got.complete


def test_the_command_prints_the_same_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, plans = shift(interactions=40)
    capture = write_lines(tmp_path / "c.jsonl", lines(events))
    assert main(["interactions", "--format", "jsonl", str(capture)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == len(plans)
    for record in records:
        plan = plans[record["interactionGUID"]]
        assert {name: record[name] for name in METRICS} == {name: plan[name] for name in METRICS}
    assert main(["interactions", "--format", "csv", str(capture)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("interactionGUID,mediaType,direction,started,ended,outcome")
    assert len(table) == len(plans) + 1
    assert main(["interactions", str(capture)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split()[:4] == [
        "interactionGUID",
        "mediaType",
        "direction",
        "outcome",
    ]


def test_the_command_measures_alike_with_one_process_or_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--jobs 2`` splits a large file by byte range; interactions that straddle a cut, late
    arrivals and redeliveries still give the records of one process, in the same order."""
    events, plans = shift(interactions=400)
    again = delivered_badly(events, seed=4, window=6, twice=0.1)  # redeliveries too
    capture = write_lines(tmp_path / "c.jsonl", lines(again))
    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 32 << 10)
    assert len(runner.plan(expand([str(capture)]), runner.Options(jobs=2))) > 4
    ran: list[tuple[int, int]] = []

    def counted_run(tasks: list[runner.Task], *arguments: Any) -> None:
        ran.append((len(tasks), arguments[1]))
        runner.run(tasks, *arguments)

    monkeypatch.setattr(cli, "run", counted_run)
    printed = []
    for jobs in ("1", "2"):
        assert main(["interactions", "--format", "jsonl", "--jobs", jobs, str(capture)]) == 0
        printed.append(capsys.readouterr().out)
    assert ran[0] == (1, 1)
    assert ran[1][0] > 4  # the file was cut into ranges, checked by two processes
    assert ran[1][1] == 2
    assert printed[0] == printed[1]
    assert len(printed[0].splitlines()) == len(plans)


def test_the_command_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = shift(interactions=3)
    capture = write_lines(tmp_path / "c.jsonl", [*lines(events), b'{"not": "an event"}'])
    assert main(["interactions", "--format", "jsonl", str(capture)]) == 0
    said = capsys.readouterr().err.strip()
    assert said == (
        f"3 interactions from {len(events)} valid messages; "
        "1 message not valid was left out (see 8x8-events validate)"
    )


def test_the_command_says_how_many_redeliveries_it_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frames = SAMPLE_FRAMES.read_bytes().splitlines()
    again = [json.dumps({**json.loads(frames[n]), "redeliveryCount": 1}).encode() for n in (3, 9)]
    capture = write_lines(tmp_path / "f.jsonl", [*frames, *again])
    assert main(["interactions", "--format", "jsonl", str(capture)]) == 0
    said = capsys.readouterr().err.strip()
    assert said.endswith(
        f"from {len(frames) + 2:,} valid messages; 2 redelivered messages counted once"
    )


def test_frames_fold_too_and_redeliveries_are_counted_once() -> None:
    frames = [json.loads(line) for line in SAMPLE_FRAMES.read_bytes().splitlines()]
    deliveries = [parse_frame(frame) for frame in frames]
    again = parse_frame({**frames[5], "redeliveryCount": 2})
    found = list(fold_events([*deliveries[:20], again, *deliveries[20:]]))
    redelivered = [f for f in found if not isinstance(f, InteractionSummary)]
    assert [(f.kind.value, f.subject) for f in redelivered] == [
        ("redelivered", frames[5]["messageId"])
    ]
    decoded = json.loads(base64.b64decode(frames[5]["payload"]))
    ((wrapper, payload),) = decoded.items()
    name = wrapper if wrapper == "AgentStatusChange" else payload["event"]
    # the finding names the event inside the frame, decoded from its payload
    assert redelivered[0].message.startswith(f"{name} delivered again")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000), reach=st.integers(min_value=1, max_value=8))
def test_metrics_do_not_depend_on_arrival_order_within_a_window(seed: int, reach: int) -> None:
    events, _ = shift(seed=3, interactions=25)
    before = summaries(events)
    rng = random.Random(seed)
    shuffled = list(events)
    for index in range(len(shuffled) - 1):  # local swaps: late arrivals, a few places late
        other = min(len(shuffled) - 1, index + rng.randrange(reach + 1))
        shuffled[index], shuffled[other] = shuffled[other], shuffled[index]
    after = summaries(shuffled)
    for guid, summary in before.items():
        if after[guid].complete:
            assert {n: getattr(after[guid], n) for n in METRICS} == {
                n: getattr(summary, n) for n in METRICS
            }


def test_the_api_runs_the_stream_checks_too(tmp_path: Path) -> None:
    events, _ = shift(interactions=10)
    events.insert(30, events[12])
    capture = write_lines(tmp_path / "again.jsonl", lines(events))
    run = validate_capture([str(capture)])
    assert [f.kind.value for f in run.ledger.stream_findings] == ["redelivered"]
    assert validate_capture([str(capture)], stream_window=None).ledger.stream_findings == []

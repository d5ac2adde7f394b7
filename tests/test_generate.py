"""``8x8-events generate``: seeded bytes, traffic that validates clean, and faults that
``validate`` finds exactly where the truth file says, as events and as frames, with one job
and with two; ``interactions`` measures what the truth planned."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from eightbyeight_events.cli import main
from eightbyeight_events.traffic.kinds import FAULTS, STREAM_FAULTS
from peers import measured, peak_kib, run

METRICS = ("outcome", "queue_s", "ring_s", "talk_s", "hold_s", "holds", "wrapup_s")


def generate(tmp_path: Path, name: str, *options: str) -> tuple[Path, dict[str, Any]]:
    out, truth = tmp_path / name, tmp_path / f"{name}.truth.json"
    assert main(["generate", *options, "--output", str(out), "--truth", str(truth)]) == 0
    return out, json.loads(truth.read_text())


def validated(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> dict[str, Any]:
    capsys.readouterr()
    main(["validate", "--format", "json", *options, str(path)])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_the_same_options_give_the_same_bytes(tmp_path: Path) -> None:
    options = ["--interactions", "40", "--faults", "all", "--faults-each", "1"]
    first, _ = generate(tmp_path, "a.jsonl", *options)
    again, _ = generate(tmp_path, "b.jsonl", *options)
    other, _ = generate(tmp_path, "c.jsonl", *options, "--seed", "9")
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()


@pytest.mark.parametrize("frames", [[], ["--frames"]])
def test_without_faults_nothing_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], frames: list[str]
) -> None:
    path, truth = generate(tmp_path, "clean.jsonl", "--interactions", "300", *frames)
    report = validated(capsys, path)
    summary = report["summary"]
    assert summary["total"] == summary["valid"] == truth["lines"] > 3000
    assert report["stream"]["findings"] == []
    assert report["drift"]["undeclared_fields"] == []
    assert truth["faults"] == []
    assert len(truth["interactions"]) == 300


@pytest.mark.parametrize(("frames", "jobs"), [([], "1"), (["--frames"], "1"), ([], "2")])
def test_validate_finds_exactly_the_faults_put_in(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    frames: list[str],
    jobs: str,
) -> None:
    from eightbyeight_events import runner

    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 64 << 10)  # two jobs cut it into ranges
    path, truth = generate(tmp_path, "faulty.jsonl", "--interactions", "400", "--faults", "all")
    if frames:
        path, truth = generate(
            tmp_path, "faulty-frames.jsonl", "--interactions", "400", "--faults", "all", *frames
        )
    report = validated(capsys, path, "--jobs", jobs)
    by_kind = {
        kind: sorted(f["line"] for f in truth["faults"] if f["kind"] == kind) for kind in FAULTS
    }
    assert all(len(lines) == 4 for lines in by_kind.values())  # one of each per 100
    found = sorted((f["kind"], f["line"]) for f in report["stream"]["findings"])
    assert found == sorted((kind, line) for kind in STREAM_FAULTS for line in by_kind[kind])
    invalid = [(entry["line"], entry["status"]) for entry in report["results"]]
    assert invalid == [(line, "invalid") for line in by_kind["invalid"]]
    (drift,) = report["drift"]["undeclared_fields"]
    assert (drift["subject"], drift["count"]) == ("/Interaction/queueLanguage", 4)
    assert drift["first"]["line"] == by_kind["drift"][0]
    faulted = {f["interaction"] for f in truth["faults"]}
    assert {g for g, plan in truth["interactions"].items() if plan["faulted"]} == faulted


def test_interactions_measures_what_the_truth_planned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, truth = generate(tmp_path, "shift.jsonl", "--interactions", "200", "--faults", "all")
    capsys.readouterr()
    assert main(["interactions", "--format", "jsonl", str(path)]) == 0
    rows = {
        row["interactionGUID"]: row
        for row in map(json.loads, capsys.readouterr().out.split("\n")[:-1])
    }
    kept = {g: plan for g, plan in truth["interactions"].items() if not plan["faulted"]}
    assert len(kept) == 200 - len(FAULTS) * 2  # two of each kind, each in its own
    for guid, plan in kept.items():
        assert {m: rows[guid][m] for m in METRICS} == {m: plan[m] for m in METRICS}, guid


def test_start_and_agents_shape_the_shift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, truth = generate(
        tmp_path,
        "s.jsonl",
        "--interactions",
        "20",
        "--agents",
        "3",
        "--start",
        "2026-01-05T14:00:00Z",
    )
    events = [json.loads(line) for line in path.read_bytes().splitlines()]
    statuses = [event["AgentStatusChange"] for event in events if "AgentStatusChange" in event]
    assert len({status["agentId"] for status in statuses}) == 3
    times = [
        time
        for event in events
        for payload in event.values()
        if (time := payload.get("interactionEventTS", payload.get("statusEventTS")))
    ]
    assert 1767621600 <= min(times) < 1767621600 + 3600  # 2026-01-05T14:00:00Z
    assert truth["generated"]["start"] == "2026-01-05T14:00:00+00:00"


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--faults", "late"], "'late' is not a fault; choose from redelivered"),
        (
            ["--interactions", "5", "--faults", "out-of-order", "--faults-each", "5"],
            "no interaction left for an out-of-order fault: it needs an abandoned call",
        ),
        (["--output", "/no/such/folder/x.jsonl"], "/no/such/folder/x.jsonl: cannot write"),
        (["--start", "yesterday"], "'yesterday' is no time"),
        (["--interactions", "0"], "0 is not 1 or more"),
    ],
)
def test_usage_errors_say_what_is_wrong(
    capsys: pytest.CaptureFixture[str], options: list[str], said: str
) -> None:
    command = ["generate", *options]
    if "--output" not in options:
        command += ["--output", os.devnull]
    try:
        code = main(command)
    except SystemExit as exit_:  # argparse's own usage errors
        code = int(str(exit_.code))
    assert code == 2
    assert said in capsys.readouterr().err


def test_a_long_shift_without_faults_is_made_in_bounded_memory(tmp_path: Path) -> None:
    """Interactions are made as the merge reaches them: ten times the shift, not ten times
    the memory (before, 10,000 interactions took 185 MB)."""
    peaks = []
    for interactions in ("2000", "20000"):
        arguments = measured("generate", "--interactions", interactions, "--output", os.devnull)
        done = run(arguments, {**os.environ})
        assert done.returncode == 0, done.stderr
        peaks.append(peak_kib(done.stderr))
    small, large = peaks
    assert large < small * 2, peaks

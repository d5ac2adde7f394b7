"""The validate command: statuses, exit codes, inputs and reports, on real examples."""

from __future__ import annotations

import base64
import gzip
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from capture_helpers import (
    SAMPLE,
    SAMPLE_FRAMES,
    compact,
    frame,
    invalid_event_lines,
    valid_lines,
    write_lines,
)
from conftest import EXAMPLES, read_json
from eightbyeight_events.cli import main


def validate(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "json", *arguments])
    return code, json.loads(capsys.readouterr().out)


def statuses(report: dict[str, Any]) -> dict[int, str]:
    return {entry["line"]: entry["status"] for entry in report["results"]}


def test_valid_examples_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capture = write_lines(tmp_path / "valid.jsonl", valid_lines())
    code, report = validate(capsys, str(capture))
    assert code == 0
    assert report["summary"]["valid"] == report["summary"]["total"] == len(valid_lines())
    assert report["results"] == []
    assert report["summary"]["passed"] is True


def test_each_counter_example_is_invalid_or_unknown_at_its_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = invalid_event_lines()
    capture = write_lines(tmp_path / "bad.jsonl", [line for line, _ in cases])
    code, report = validate(capsys, str(capture))
    assert code == 1
    assert report["summary"]["total"] == len(cases)
    assert report["summary"]["valid"] == 0
    for entry, (_, case) in zip(report["results"], cases, strict=True):
        expected_status = (
            "unknown"
            if case["rule"] in {"propertyNames"}
            or (case["pointer"].endswith("/event") and case["rule"] == "enum")
            else "invalid"
        )
        assert entry["status"] == expected_status, case["description"]
        assert case["pointer"] in {error["pointer"] for error in entry["errors"]}, case


def test_error_message_names_field_value_and_allowed_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = read_json(EXAMPLES / "vendor" / "event-reference-InteractionQueued.json")
    message["Interaction"]["callState"] = "CS_RINGING"
    capture = write_lines(tmp_path / "c.jsonl", [compact(message)])
    code = main(["validate", str(capture)])
    text = capsys.readouterr().out
    assert code == 1
    assert (
        f'{capture}:1 /Interaction/callState: callState "CS_RINGING" is not one of '
        "CS_IDLE, CS_QUEUED, CS_INPROGRESS, CS_CONNECTED, CS_HOLD, CS_DISCONNECTED"
    ) in text
    assert "InteractionQueued · enum · 1 line" in text


def test_every_line_gets_one_status_and_blank_lines_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = valid_lines()[0]
    bad, _ = invalid_event_lines()[0]
    lines = [good, b"", b"   ", bad, b"{not json", b"\xff\xfe{}", b'{"Nope": {}}', b"[1, 2", good]
    capture = write_lines(tmp_path / "mixed.jsonl", lines)
    code, report = validate(capsys, str(capture))
    summary = report["summary"]
    assert code == 1
    # line 5 opens a document that line 6 does not close; line 7 starts the next one
    # in its first column, so lines 5 and 6 are one unreadable document; line 8 is an
    # array of two messages (1 and 2, both invalid) that is never closed
    assert statuses(report) == {
        4: "invalid",
        5: "unreadable",
        7: "unknown",
        8: "unreadable",
    }
    assert (
        summary["valid"],
        summary["invalid"],
        summary["unknown"],
        summary["unreadable"],
        summary["blank"],
    ) == (2, 3, 1, 2, 2)
    assert (
        summary["total"]
        == 8
        == summary["valid"] + summary["invalid"] + summary["unknown"] + summary["unreadable"]
    )


def test_over_long_line_is_unreadable_and_the_next_line_still_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = valid_lines()[0]
    huge = b'{"AgentStatusChange": {"agentId": "' + b"a" * 5000 + b'"}}'
    capture = write_lines(tmp_path / "long.jsonl", [good, huge, good])
    code, report = validate(capsys, "--max-line-bytes", "2000", str(capture))
    assert code == 1
    (entry,) = report["results"]
    assert (entry["line"], entry["status"]) == (2, "unreadable")
    assert "over the limit of 2,000 bytes" in entry["errors"][0]["message"]
    assert report["summary"]["valid"] == 2


def test_gzip_input_and_truncated_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = valid_lines()
    whole = write_lines(tmp_path / "c.jsonl.gz", lines, compress=True)
    code, report = validate(capsys, str(whole))
    assert (code, report["summary"]["valid"]) == (0, len(lines))
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    code, report = validate(capsys, str(cut))
    assert code == 1
    last = report["results"][-1]
    assert last["status"] == "unreadable"
    assert "the gzip stream ends before its end marker" in last["errors"][0]["message"]
    assert report["summary"]["total"] == last["line"]  # every line up to the cut is accounted for


def test_directory_is_searched_recursively_in_sorted_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, _ = invalid_event_lines()[0]
    write_lines(tmp_path / "b.jsonl", [bad])
    (tmp_path / "sub").mkdir()
    write_lines(tmp_path / "sub" / "a.jsonl.gz", [bad], compress=True)
    write_lines(tmp_path / "a.ndjson", [bad])
    (tmp_path / "notes.md").write_text("not a capture")
    code, report = validate(capsys, str(tmp_path))
    assert code == 1
    assert [entry["source"] for entry in report["results"]] == [
        str(tmp_path / "a.ndjson"),
        str(tmp_path / "b.jsonl"),
        str(tmp_path / "sub" / "a.jsonl.gz"),
    ]


def test_frames_are_decoded_and_findings_carry_the_message_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = valid_lines()[0]
    bad, _ = invalid_event_lines()[0]
    broken_frame = json.loads(frame(good, "bad64"))
    broken_frame["payload"] = "%%%not base64%%%"
    late_frame = json.loads(frame(good, "late"))
    late_frame["publishTime"] = "yesterday"
    lines = [
        frame(good, "m1"),
        frame(bad, "m2"),
        compact(broken_frame),
        compact(late_frame),
        frame(b"not json at all", "m5"),
    ]
    code, report = validate(capsys, str(write_lines(tmp_path / "frames.jsonl", lines)))
    assert code == 1
    by_line = {entry["line"]: entry for entry in report["results"]}
    assert sorted(by_line) == [2, 3, 4, 5]
    assert (by_line[2]["status"], by_line[2]["message_id"]) == ("invalid", "m2")
    assert (by_line[3]["status"], by_line[3]["message_id"]) == ("unreadable", "bad64")
    assert "not valid base64" in by_line[3]["errors"][0]["message"]
    assert by_line[4]["errors"] == [
        {
            "pointer": "/publishTime",
            "rule": "anyOf",
            "message": 'publishTime "yesterday" is none of the accepted forms: a date-time; '
            "or the form ^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]) "
            "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?$",
            "document": "frame",
        }
    ]
    assert (by_line[5]["status"], by_line[5]["message_id"]) == ("unreadable", "m5")
    assert report["sources"][0]["format"] == "frames"


def test_json_arrays_of_events_and_of_frames(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads(valid_lines()[0])
    bad = json.loads(invalid_event_lines()[0][0])
    events = tmp_path / "events.json"
    events.write_text(json.dumps([good, bad, good], indent=2))
    code, report = validate(capsys, str(events))
    assert code == 1
    (entry,) = report["results"]
    element_starts = [
        number for number, line in enumerate(events.read_text().splitlines(), 1) if line == "  {"
    ]
    assert (entry["status"], entry["line"]) == ("invalid", element_starts[1])
    frames = tmp_path / "frames.json"
    frames.write_text(json.dumps([json.loads(frame(compact(good)))]))
    code, report = validate(capsys, str(frames))
    assert (code, report["summary"]["valid"], report["sources"][0]["format"]) == (
        0,
        1,
        "frames",
    )


def test_truncated_json_array_is_unreadable_from_the_break(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads(valid_lines()[0])
    text = json.dumps([good, good], indent=2)
    broken = tmp_path / "broken.json"
    broken.write_text(text[: len(text) - 40])
    code, report = validate(capsys, str(broken))
    assert code == 1
    assert report["summary"]["valid"] == 1
    assert [entry["status"] for entry in report["results"]] == ["unreadable"]


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = b"".join(line + b"\n" for line in valid_lines())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(data))))
    code, report = validate(capsys, "-")
    assert (code, report["summary"]["valid"]) == (0, len(valid_lines()))
    lines = len(valid_lines())
    assert report["sources"] == [
        {"source": "-", "format": "events", "lines": lines, "messages": lines}
    ]


def test_drift_is_reported_and_fails_only_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = read_json(EXAMPLES / "vendor" / "event-reference-InteractionAssigned.json")
    payload = message["Interaction"]
    payload["queueLanguage"] = "en"
    payload["mediaType"] = "video"
    payload["attachedData"]["attachedDatum"] += [
        {"attachedDataKey": "surveyScore", "attachedDataValue": 4},
        {"attachedDataKey": "phoneNum", "attachedDataValue": "+15515557212"},
    ]
    capture = write_lines(tmp_path / "drift.jsonl", [valid_lines()[0], compact(message)])
    code, report = validate(capsys, str(capture))
    assert code == 0
    drift = report["drift"]
    assert [
        (d["subject"], d["count"], d["event_types"], d["first"]["line"])
        for d in drift["undeclared_fields"]
    ] == [("/Interaction/queueLanguage", 1, ["InteractionAssigned"], 2)]
    assert [d["subject"] for d in drift["attached_data_keys"]] == ["surveyScore"]
    assert [d["subject"] for d in drift["attached_data_types"]] == ["phoneNum is a string"]
    assert [d["subject"] for d in drift["open_list_values"]] == ['mediaType "video"']
    code, report = validate(capsys, "--strict", str(capture))
    assert (code, report["summary"]["passed"]) == (1, False)


def test_call_state_warning_names_the_documented_contradiction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = read_json(EXAMPLES / "vendor" / "event-reference-InteractionAssigned.json")
    message["Interaction"]["callState"] = "CS_QUEUED"
    code, report = validate(capsys, str(write_lines(tmp_path / "w.jsonl", [compact(message)])))
    assert code == 0
    (warning,) = report["warnings"]
    assert "assigned-call-state (inbound sequence table)" in warning["message"]


def test_all_lists_valid_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capture = write_lines(tmp_path / "v.jsonl", valid_lines()[:3])
    _, report = validate(capsys, "--all", str(capture))
    assert [(entry["line"], entry["status"]) for entry in report["results"]] == [
        (1, "valid"),
        (2, "valid"),
        (3, "valid"),
    ]


def test_json_report_keeps_the_documented_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, _ = invalid_event_lines()[0]
    _, report = validate(capsys, str(write_lines(tmp_path / "k.jsonl", [valid_lines()[0], bad])))
    assert {"summary", "results", "drift"} <= set(report)
    assert {"total", "valid", "invalid", "unknown", "unreadable", "blank", "by_event_type"} <= set(
        report["summary"]
    )
    for row in report["summary"]["by_event_type"].values():
        assert set(row) == {"total", "valid", "invalid"}
    (entry,) = report["results"]
    assert {"source", "line", "status", "event_type", "message_id", "errors"} <= set(entry)
    assert {"pointer", "rule", "message"} <= set(entry["errors"][0])


def test_junit_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad, _ = invalid_event_lines()[0]
    capture = write_lines(tmp_path / "j.jsonl", [valid_lines()[0], bad])
    clean = write_lines(tmp_path / "clean.jsonl", [valid_lines()[0]])
    junit = tmp_path / "results.xml"
    code = main(["validate", "--junit-xml", str(junit), str(capture), str(clean)])
    capsys.readouterr()
    assert code == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite}
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failing = cases[str(capture)]
    assert (failing.get("file"), failing.get("line")) == (str(capture), "2")
    failure = failing.find("failure")
    assert failure is not None
    assert failure.get("message") == f"1 line of {capture} not valid"
    assert f"{capture}:2: invalid: /Interaction/attachedData" in (failure.text or "")
    assert cases[str(clean)].find("failure") is None


def sample_events() -> list[dict[str, Any]]:
    events = [json.loads(line) for line in SAMPLE.read_bytes().splitlines()]
    for line in SAMPLE_FRAMES.read_bytes().splitlines():
        events.append(json.loads(base64.b64decode(json.loads(line)["payload"])))
    return events


VARIATIONS: dict[str, Any] = {
    "string flags": lambda p: any(p.get(f) in ("true", "false") for f in p if f.startswith("is")),
    '"N/A" channel id': lambda p: p.get("inboundChannelid") == "N/A",
    "; between agents": lambda p: ";" in str(p.get("participatingAgents", "")),
    ", between agents": lambda p: "," in str(p.get("participatingAgents", "")),
    "string disposition code": lambda p: isinstance(p.get("dispositionCode"), str),
    "recording mode code": lambda p: isinstance(p.get("recordingMode"), int),
    "empty msgInfo": lambda p: p.get("msgInfo") == {},
    "tenant status code": lambda p: p.get("newState") not in (None, 0, 1, 5),
}


def test_sample_capture_carries_every_documented_variation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Real traffic does, so the bundled sample (and the bench capture, same generator) does."""
    payloads = [next(iter(event.values())) for event in sample_events()]
    missing = [name for name, seen in VARIATIONS.items() if not any(seen(p) for p in payloads)]
    assert missing == []
    code, report = validate(capsys, str(SAMPLE), str(SAMPLE_FRAMES))
    summary = report["summary"]
    assert code == 0  # every variation is valid; drift and warnings do not fail a run
    assert summary["invalid"] == summary["unknown"] == summary["unreadable"] == 0
    assert summary["valid"] > 1900
    drift = {
        section: [e["subject"] for e in entries] for section, entries in report["drift"].items()
    }
    assert drift["attached_data_keys"] == ["crmTicketId"]
    # the bundled captures declare every field, so a team's --fail-on undeclared-field passes
    assert drift["undeclared_fields"] == []
    assert {subject.split()[0] for subject in drift["open_list_values"]} == {"newState"}
    contradictions = [w["message"] for w in report["warnings"]]
    assert any("matches documented contradiction" in message for message in contradictions)
    assert len(summary["by_event_type"]) >= 15


def run_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eightbyeight_events", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


def test_usage_errors_exit_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    missing = run_command("validate", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2
    assert (
        missing.stderr.strip()
        == f"8x8-events: error: {tmp_path / 'nope.jsonl'}: no such file or directory"
    )
    bad_option = run_command("validate", "--jobs", "0", str(SAMPLE))
    assert bad_option.returncode == 2
    assert "Traceback" not in bad_option.stderr
    assert "--jobs: 0 is not 1 or more" in bad_option.stderr


def test_help_explains_options_with_examples() -> None:
    result = run_command("validate", "--help")
    assert result.returncode == 0
    for option in (
        "--input-format",
        "--format",
        "--all",
        "--junit-xml",
        "--strict",
        "--jobs",
        "--max-line-bytes",
        "exit codes:",
        "examples:",
    ):
        assert option in result.stdout


def test_bundled_captures_are_what_the_seeded_generator_makes(tmp_path: Path) -> None:
    from eightbyeight_build.sample import write_bundled

    for path in write_bundled(tmp_path):
        committed = SAMPLE.parent / path.name
        fix = "python -m eightbyeight_build.sample examples/captures"
        assert path.read_bytes() == committed.read_bytes(), f"{committed} is stale: {fix}"


def test_the_sample_agrees_with_the_lifts_and_carries_call_times() -> None:
    """FACTS §5: ``tim`` and ``otim`` are lifted to ``queueTime`` and ``eventTS``, so they
    agree where both are present; answered phone calls carry their answer and hang-up
    times in milliseconds, within the seconds of their acceptance and post-processing."""
    lifted = answered = 0
    for line in SAMPLE.read_bytes().splitlines():
        payload = next(iter(json.loads(line).values()))
        pairs = (payload.get("attachedData") or {}).get("attachedDatum", [])
        attached = {pair["attachedDataKey"]: pair["attachedDataValue"] for pair in pairs}
        for original, top in (("tim", "queueTime"), ("otim", "eventTS")):
            if original in attached and top in payload:
                assert attached[original] == payload[top], (original, payload["event"])
                lifted += 1
        if "callHangupTime" in attached:
            assert attached["callAnsweredTime"] <= attached["callHangupTime"]
            length = attached["callHangupTime"] // 1000 - attached["callAnsweredTime"] // 1000
            assert attached["callDurationSec"] == length
            answered += 1
        if payload.get("event") == "InteractionPostProcess" and payload["mediaType"] == "phone":
            assert attached["callHangupTime"] // 1000 == payload["interactionEventTS"]
    assert lifted > 100
    assert answered > 100

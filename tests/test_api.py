"""The Python API shares the command's code and gives the same answers."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from capture_helpers import SAMPLE, compact, frame, invalid_event_lines, valid_lines, write_lines
from conftest import EXAMPLES, read_json
from eightbyeight_events.api import iter_capture, validate_capture, validate_event
from eightbyeight_events.report import as_json


def test_validate_event_accepts_mappings_text_and_frames() -> None:
    message = read_json(EXAMPLES / "vendor" / "event-reference-LineHoldStatus.json")
    assert validate_event(message).status == "valid"
    assert validate_event(json.dumps(message)).event_type == "LineHoldStatus"
    assert validate_event(frame(compact(message)), frame=True).status == "valid"
    message["Interaction"]["status"] = "on"
    result = validate_event(message)
    assert result.status == "invalid"
    assert [(f.pointer, f.rule) for f in result.errors] == [("/Interaction/status", "type")]
    assert validate_event(b"{oops").status == "unreadable"
    assert validate_event({"Presence": {}}).status == "unknown"


def test_validate_capture_matches_the_command(tmp_path: Path) -> None:
    bad = [line for line, _ in invalid_event_lines()]
    capture = write_lines(tmp_path / "c.jsonl", valid_lines() + bad)
    run = validate_capture([str(capture)])
    assert not run.passed
    assert run.tally.statuses["valid"] == len(valid_lines())
    assert len(as_json(run)["results"]) == len(bad)


def test_iter_capture_streams_every_line_in_order() -> None:
    results = iter_capture([str(SAMPLE)])
    first = next(results)
    assert (first.place.line, first.status) == (1, "valid")
    numbers = [first.place.line] + [result.place.line for result in results]
    assert numbers == list(range(1, len(SAMPLE.read_bytes().splitlines()) + 1))


def test_reading_standard_input_leaves_it_open(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"".join(line + b"\n" for line in valid_lines())))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert all(result.status == "valid" for result in iter_capture(["-"]))
    assert not stdin.closed

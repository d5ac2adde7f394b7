"""The Python API shares the command's code and gives the same answers."""

from __future__ import annotations

import base64
import gc
import io
import json
import sys
from pathlib import Path

import pytest

from capture_helpers import SAMPLE, compact, frame, invalid_event_lines, valid_lines, write_lines
from conftest import EXAMPLES, read_json
from eightbyeight_events import (
    EventError,
    UnknownEventError,
    iter_capture,
    parse_event,
    parse_frame,
    validate_capture,
    validate_event,
)
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


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, jobs: int) -> None:
    """A run collects rarely and freezes what it starts with (runner._few_collections);
    a program that calls the library gets its own settings back."""
    capture = write_lines(tmp_path / "c.jsonl", valid_lines())
    second = write_lines(tmp_path / "d.jsonl", valid_lines())
    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    run = validate_capture([str(capture), str(second)], jobs=jobs)
    assert run.tally.statuses["valid"] == 2 * len(valid_lines())
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before


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


BAD_PAYLOADS = {
    "not valid base64": "bm90IGJhc2U2NCEhIQ=!",
    "not UTF-8": base64.b64encode(b'{"AgentStatusChange": {"agentId": "ag\xff"}}').decode(),
    "not JSON": base64.b64encode(b"{oops").decode(),
}


@pytest.mark.parametrize("fault", sorted(BAD_PAYLOADS))
def test_validator_and_loader_describe_a_bad_frame_in_the_same_words(fault: str) -> None:
    """One frame decoder: the same finding, the same messageId, from either side."""
    message = read_json(EXAMPLES / "vendor" / "event-reference-LineHoldStatus.json")
    sent = json.loads(frame(compact(message), message_id="CAEQBw=="))
    sent["payload"] = BAD_PAYLOADS[fault]
    verdict = validate_event(sent, frame=True)
    assert verdict.status == "unreadable"
    assert verdict.message_id == "CAEQBw=="
    with pytest.raises(EventError) as caught:
        parse_frame(sent)
    assert caught.value.errors == list(verdict.errors)
    assert caught.value.message_id == "CAEQBw=="
    assert caught.value.pointer == "/payload"
    assert fault in str(caught.value)


def test_loader_and_validator_route_and_judge_alike() -> None:
    """parse_event raises exactly when validate_event's verdict is not valid, with its errors."""
    for line, _ in invalid_event_lines():
        verdict = validate_event(line)
        with pytest.raises(EventError) as caught:
            parse_event(line)
        assert caught.value.errors == list(verdict.errors), line
        assert isinstance(caught.value, UnknownEventError) == (verdict.status == "unknown")
    for line in valid_lines():
        assert validate_event(line).event_type == type(parse_event(line)).__name__


def test_a_frame_that_is_not_json_is_an_event_error() -> None:
    with pytest.raises(EventError, match="not JSON") as caught:
        parse_frame(b"{oops")
    assert caught.value.event_type == "PulsarFrame"


def test_a_new_event_type_can_arrive_as_a_value() -> None:
    from eightbyeight_events import UnknownEvent

    message = {"Interaction": {"event": "InteractionTeleported", "interactionGUID": "x"}}
    with pytest.raises(UnknownEventError):
        parse_event(message)
    found = parse_event(message, unknown="value")
    assert found == UnknownEvent("Interaction", "InteractionTeleported", message)
    assert parse_event(b'{"Presence": {"state": 1}}', unknown="value") == UnknownEvent(
        "Presence", None, {"Presence": {"state": 1}}
    )
    with pytest.raises(EventError):  # invalid stays an error: only new types are values
        parse_event(b'{"AgentStatusChange": {"agentId": 5}}', unknown="value")


def test_a_frame_of_a_new_event_type_can_arrive_as_a_value() -> None:
    from eightbyeight_events import UnknownEvent

    message = {"Presence": {"event": "PresenceChanged", "state": 1}}
    frame = {
        "messageId": "CAEQBA==",
        "payload": base64.b64encode(json.dumps(message).encode()).decode(),
        "publishTime": "2025-04-16T16:00:17.412Z",
    }
    with pytest.raises(UnknownEventError) as caught:
        parse_frame(frame)
    assert caught.value.message_id == "CAEQBA=="
    delivery = parse_frame(frame, unknown="value")
    assert delivery.event == UnknownEvent("Presence", "PresenceChanged", message)
    assert delivery.message_id == "CAEQBA=="
    broken = {**frame, "payload": base64.b64encode(b'{"AgentStatusChange": 1}').decode()}
    with pytest.raises(EventError) as invalid:  # invalid stays an error
        parse_frame(broken, unknown="value")
    assert invalid.value.message_id == "CAEQBA=="

"""Keys and numbers read the same on every road: an object that repeats a key is invalid,
with an error naming the key and the object, and numbers beyond or below a double's range
get one verdict as text and as a mapping, in one pass and in the full look, in any job."""

from __future__ import annotations

import base64
import json
import random
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_helpers import SAMPLE, SAMPLE_FRAMES, write_lines
from eightbyeight_events import EventError, parse_event, parse_frame, validate_event
from eightbyeight_events.cli import main
from eightbyeight_events.contract import load_contract
from eightbyeight_events.fastpath import unique_keys
from eightbyeight_events.json_text import read_json
from json_pairs import with_repeat

EVENT_LINES = [line for line in SAMPLE.read_bytes().splitlines() if line.strip()][:400]
FRAME_LINES = [line for line in SAMPLE_FRAMES.read_bytes().splitlines() if line.strip()][:100]
AGENT_STATUS = next(line for line in EVENT_LINES if line.startswith(b'{"AgentStatusChange"'))
WITH_PAIRS = next(line for line in EVENT_LINES if b'"attachedDataValue":' in line)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EVENT_LINES), st.randoms(use_true_random=False))
def test_an_object_that_repeats_a_key_is_invalid_on_every_road(
    line: bytes, rng: random.Random
) -> None:
    original, text, pointer, key = with_repeat(line, rng)
    assert validate_event(original).status == "valid"  # the same text without the repeat
    verdict = validate_event(text)
    assert verdict.status == "invalid"
    first = verdict.errors[0]
    assert (first.rule, first.pointer) == ("uniqueKeys", pointer)
    assert json.dumps(key) in first.message
    with pytest.raises(EventError):
        parse_event(text)
    assert read_json(text)[1][0].key == key
    assert load_contract().quick_message(text) is None  # one pass never takes it


def test_quotes_spelt_as_escapes_do_not_hide_a_repeated_key() -> None:
    # each \u0022 is one quote more once written anew: two make up for a repeated number key
    text = AGENT_STATUS.replace(b'"newState":', b'"newState":1,"newState":', 1).replace(
        b'"newSubState":"none"', b'"newSubState":"\\u0022none\\u0022"', 1
    )
    verdict = validate_event(text)
    assert [error.rule for error in verdict.errors] == ["uniqueKeys"]
    assert load_contract().quick_message(text) is None


def test_floats_written_longer_than_they_came_do_not_hide_a_repeated_key() -> None:
    # 1e15 is written 1000000000000000.0 (14 bytes more), 1e12 1000000000000.0 (11 more): as
    # many as the repeated pair adds, so written anew the message is as long as it came
    repeat = b',"attachedDataValue":1e15'
    line = next(line for line in EVENT_LINES if b'"cha","attachedDataValue":13125555068' in line)
    text = line.replace(
        b'"attachedDataKey":"@pri","attachedDataValue":100',
        b'"attachedDataKey":"@pri","attachedDataValue":1e15' + repeat,
        1,
    ).replace(b'"attachedDataValue":13125555068', b'"attachedDataValue":1e12', 1)
    assert len(text) == len(line) + len(repeat) + 1 - 7  # both replacements made
    contract = load_contract()
    strict = contract.fast_strict[b"Interaction"]
    assert len(unique_keys.__globals__["_WRITE"](strict.decode(text))) == len(text)
    verdict = validate_event(text)
    assert [(error.rule, error.pointer) for error in verdict.errors] == [
        ("uniqueKeys", "/Interaction/attachedData/attachedDatum/0")
    ]
    assert contract.quick_message(text) is None
    floats = text.replace(repeat, b"", 1)
    assert validate_event(floats).status == "valid"
    assert contract.quick_message(floats) is not None  # a float is read in one pass too


def test_no_real_message_is_taken_for_one_that_repeats_a_key() -> None:
    for line in [*EVENT_LINES, *FRAME_LINES]:
        assert read_json(line)[1] == ()
        spaced = json.dumps(json.loads(line)).encode()
        assert read_json(spaced)[1] == ()


def frame_around(event: bytes, frame: bytes) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(frame)
    found["payload"] = base64.b64encode(event).decode()
    return found


def test_a_frame_or_its_payload_that_repeats_a_key_is_invalid_and_says_which() -> None:
    inner = AGENT_STATUS.replace(b'"newState":', b'"newState":1,"newState":', 1)
    in_payload = json.dumps(frame_around(inner, FRAME_LINES[0]))
    in_frame = json.dumps(frame_around(AGENT_STATUS, FRAME_LINES[0]))[:-1] + ', "messageId": "2"}'
    for text, document, pointer in [
        (in_payload, "event", "/AgentStatusChange"),
        (in_frame, "frame", ""),
    ]:
        verdict = validate_event(text, frame=True)
        assert verdict.status == "invalid"
        assert [(e.rule, e.pointer, e.document) for e in verdict.errors] == [
            ("uniqueKeys", pointer, document)
        ]
        with pytest.raises(EventError):
            parse_frame(text)
        assert load_contract().quick_message(text.encode()) is None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_validate_counts_every_repeat_whatever_the_jobs(
    tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repeats = [
        line.replace(b'":', b'":1,"' + line[2 : line.index(b'"', 2)] + b'":', 1)
        for line in EVENT_LINES[:50]
    ]  # the wrapper's key repeated at the top
    nested = [
        line.replace(b'"msgInfo":{', b'"msgInfo":{"sequenceId":1,', 1)
        for line in EVENT_LINES
        if b'"msgInfo":{"' in line and b'"sequenceId"' in line
    ][:50]
    lines = [*EVENT_LINES, *repeats, *nested]
    path = write_lines(tmp_path / "repeats.jsonl", lines * 30)  # enough for two workers
    assert main(["validate", "--format=json", f"--jobs={jobs}", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    unique_keys = [
        result
        for result in report["results"]
        if any(error["rule"] == "uniqueKeys" for error in result["errors"])
    ]
    assert len(unique_keys) == (len(repeats) + len(nested)) * 30
    assert report["summary"]["total"] == len(lines) * 30


# -- numbers at the edges of a double ----------------------------------------------------------


def with_number(line: bytes, field: bytes, number: bytes) -> bytes:
    start = line.index(b'"' + field + b'":') + len(field) + 3
    end = start
    while line[end : end + 1] not in (b",", b"}"):
        end += 1
    return line[:start] + number + line[end:]


def verdicts(text: bytes) -> tuple[str, str, str, str]:
    """Every road's verdict on one text: as text, as the mapping a caller decoded it into
    (exactly, as the standard library does), through parse_event, and through the CLI."""
    as_text = validate_event(text).status
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # the caller's own decode takes any integer
    try:
        mapping = json.loads(text)
    finally:
        sys.set_int_max_str_digits(previous)
    as_mapping = validate_event(mapping).status
    try:
        parse_event(text)
        parsed = "valid"
    except EventError as error:
        parsed = "unreadable" if "too large" in str(error) else "invalid"
    return as_text, as_mapping, parsed, parsed


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (b"1e-400", "invalid"),  # too small for a double: not read as the integer 0
        (b"-0.0000000000000000000000001e-380", "invalid"),
        (b"1" + b"0" * 399, "valid"),  # beyond a double, held exactly
        (b"1" + b"0" * 4299, "valid"),
        (b"1" + b"0" * 4999, "unreadable"),  # beyond what Python reads from text
    ],
)
def test_an_integer_field_gets_one_verdict_on_every_road(number: bytes, expected: str) -> None:
    text = with_number(AGENT_STATUS, b"statusEventTS", number)
    as_text, as_mapping, parsed, _ = verdicts(text)
    if number.startswith((b"1e", b"-0.")):  # a Python float cannot hold it: the text decides
        assert (as_text, parsed) == (expected, expected)
    else:
        assert (as_text, as_mapping, parsed) == (expected, expected, expected)


def test_a_number_too_small_for_a_double_is_still_a_number() -> None:
    text = with_number(WITH_PAIRS, b"attachedDataValue", b"1e-400")
    assert validate_event(text).status == "valid"
    parse_event(text)


def test_a_too_small_number_is_refused_as_an_integer_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(
        tmp_path / "tiny.jsonl", [with_number(AGENT_STATUS, b"statusEventTS", b"1e-400")]
    )
    assert main(["validate", str(path)]) == 1
    assert "statusEventTS 5e-324 is a number, expected integer" in capsys.readouterr().out


def test_a_nan_in_a_mapping_is_unreadable_not_null() -> None:
    document = orjson.loads(AGENT_STATUS)
    document["AgentStatusChange"]["statusEventTS"] = float("nan")
    verdict = validate_event(document)
    assert verdict.status == "unreadable"
    assert verdict.errors[0].pointer == "/AgentStatusChange/statusEventTS"

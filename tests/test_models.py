"""The generated Python models and the loader, proven on every example and capture line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from capture_helpers import SAMPLE, SAMPLE_FRAMES
from conftest import (
    REPO,
    invalid_example_paths,
    read_json,
    valid_example_paths,
)
from eightbyeight_events import models
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.loader import (
    EventError,
    UnknownEventError,
    _delivered,
    _one_pass,
    parse_event,
    parse_frame,
    to_dict,
)


def typed_json(value: Any) -> str:
    """JSON text that tells 100 from 100.0 and 1 from true, with keys sorted."""
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize("path", valid_example_paths(), ids=lambda p: p.stem)
def test_every_example_round_trips_exactly(path: Path) -> None:
    message = read_json(path)
    event = parse_event(path.read_bytes())
    assert type(event).__name__ in {t.name for t in event_types()}
    assert typed_json(to_dict(event)) == typed_json(message)


def test_every_capture_line_round_trips_exactly() -> None:
    lines = SAMPLE.read_bytes().splitlines()
    for line in lines:
        assert typed_json(to_dict(parse_event(line))) == typed_json(json.loads(line))
    frames = SAMPLE_FRAMES.read_bytes().splitlines()
    for line in frames:
        delivery = parse_frame(line)
        assert delivery.message_id == json.loads(line)["messageId"]
        assert typed_json(to_dict(delivery.event)) == typed_json(
            json.loads(__import__("base64").b64decode(json.loads(line)["payload"]))
        )
    assert len(lines) + len(frames) > 1900


def test_values_keep_their_json_types_and_unknown_fields_are_kept() -> None:
    message = read_json(REPO / "examples" / "vendor" / "event-reference-InteractionQueued.json")
    payload = message["Interaction"]
    payload["queueLanguage"] = {"primary": "en", "weights": [1, 2.5]}
    payload["msgInfo"]["region"] = "us1"
    payload["attachedData"]["attachedDatum"][0]["source"] = "ivr"
    event = parse_event(message)
    assert isinstance(event, models.InteractionQueued)
    assert event._extra == {"queueLanguage": {"primary": "en", "weights": [1, 2.5]}}
    assert event.attachedData is not None
    assert event.attachedData.attachedDatum is not None
    first = event.attachedData.attachedDatum[0]
    assert type(first.attachedDataValue) is int  # 100 stays 100, not 100.0
    assert typed_json(to_dict(event)) == typed_json(message)


def test_nested_values_are_models() -> None:
    event = parse_event(
        (REPO / "examples" / "vendor" / "event-reference-InteractionAssigned.json").read_bytes()
    )
    assert isinstance(event, models.InteractionAssigned)
    assert isinstance(event.attachedData, models.AttachedData)
    assert all(isinstance(d, models.AttachedDatum) for d in event.attachedData.attachedDatum or [])
    assert event.isOutboundCall is True
    with pytest.raises(AttributeError):
        event.callState = "CS_IDLE"  # type: ignore[misc]  # frozen


@pytest.mark.parametrize("path", invalid_example_paths(), ids=lambda p: p.stem)
def test_invalid_examples_raise_typed_errors_at_their_pointer(path: Path) -> None:
    case = read_json(path)
    parse = parse_frame if case["schema"] == "pulsar-frame.schema.json" else parse_event
    expected = UnknownEventError if path.stem.startswith("unknown") else EventError
    # as a mapping (always the full look) and as bytes (offered to the one-pass read first)
    for given in (case["instance"], json.dumps(case["instance"]).encode()):
        with pytest.raises(EventError) as raised:
            parse(given)
        assert type(raised.value) is expected
        assert case["pointer"] in {finding.pointer for finding in raised.value.errors}
        assert raised.value.pointer == case["pointer"]


def test_the_one_pass_read_builds_the_models_the_full_look_builds() -> None:
    """Bytes in which every field is declared are checked and decoded into the models by
    msgspec; a mapping is judged in full and built field by field. Both must give equal
    models, for every line and frame of the sample (which carries every documented
    variation) and every example."""
    lines = [
        *SAMPLE.read_bytes().splitlines(),
        *(path.read_bytes() for path in valid_example_paths()),
    ]
    one_pass = 0
    for line in lines:
        message = json.loads(line)
        event = parse_event(line)
        assert event == parse_event(message)
        assert typed_json(to_dict(event)) == typed_json(message)
        one_pass += _one_pass(line) is not None
    assert one_pass >= 0.9 * len(lines)  # the one pass was taken, not only the full look
    frames = SAMPLE_FRAMES.read_bytes().splitlines()
    delivered = [parse_frame(line) for line in frames]
    assert delivered == [parse_frame(json.loads(line)) for line in frames]
    assert sum(_delivered(line) is not None for line in frames) >= 0.9 * len(frames)


def test_unreadable_json_raises_event_error() -> None:
    with pytest.raises(EventError, match="not JSON"):
        parse_event(b'{"Interaction": ')


def test_consumer_passes_mypy_strict() -> None:
    consumer = REPO / "tests" / "consumers" / "python_consumer.py"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(consumer)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(consumer.parent))
    try:
        import python_consumer as consumer_module
    finally:
        sys.path.pop(0)
    for path in valid_example_paths():
        event = parse_event(path.read_bytes())
        assert consumer_module.summary(event)
        assert consumer_module.exhaustive(event)


def test_generated_models_pass_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "generated/python/models.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_event_type_has_a_class_named_after_it() -> None:
    for event_type in event_types():
        cls = getattr(models, event_type.name)
        assert cls.__doc__
        assert "Evidence" in cls.__doc__
    assert not any(name.startswith("Model") and name[5:].isdigit() for name in vars(models))


def test_models_compare_hash_and_show_only_what_is_set() -> None:
    from capture_helpers import SAMPLE

    lines = SAMPLE.read_bytes().splitlines()
    first, again, other = parse_event(lines[0]), parse_event(lines[0]), parse_event(lines[1])
    assert first == again
    assert first != other
    assert len({first, again, other}) == 2
    assert hash(first) == hash(again)
    shown = repr(first)
    assert shown.startswith(f"{type(first).__name__}(")
    assert "=None" not in shown
    kept = parse_event({"AgentStatusChange": {"agentId": "ag1", "surveyScore": 3}})
    assert repr(kept) == "AgentStatusChange(agentId='ag1', _extra={'surveyScore': 3})"


def test_parsed_models_pickle_and_copy_into_equal_models() -> None:
    """Consumers hand events to other processes (multiprocessing pickles them) and copy
    them: every model of the sample, with and without undeclared fields, survives both."""
    import copy
    import pickle

    lines = [
        *SAMPLE.read_bytes().splitlines()[:200],
        b'{"AgentStatusChange": {"agentId": "ag1", "x": [1]}}',
    ]
    for line in lines:
        event = parse_event(line)
        assert pickle.loads(pickle.dumps(event)) == event
        assert copy.deepcopy(event) == event
        assert to_dict(pickle.loads(pickle.dumps(event))) == to_dict(event)

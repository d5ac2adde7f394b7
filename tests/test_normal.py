"""The normal forms of the documented variations, on real examples and on the realistic
sample (which carries every variation)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from capture_helpers import SAMPLE, SAMPLE_FRAMES
from eightbyeight_events import normal, parse_event, parse_frame
from eightbyeight_events.normal import (
    AttachedData,
    Disposition,
    QueueRef,
    RecordingMode,
    VariationError,
    flag_fields,
)


@pytest.mark.parametrize(
    ("wire", "value"),
    [(True, True), ("true", True), (False, False), ("false", False), (None, None)],
)
def test_flags_in_either_form(wire: Any, value: bool | None) -> None:
    assert normal.flag(wire) is value


def test_the_other_variations() -> None:
    assert [normal.recording_mode(v) for v in ("yes", "no", 0, 1, 2, None)] == [
        RecordingMode.RECORD,
        RecordingMode.OFF,
        RecordingMode.OFF,
        RecordingMode.RECORD,
        RecordingMode.MONITOR,
        None,
    ]
    assert (normal.channel("N/A"), normal.channel(13125555068)) == (None, 13125555068)
    assert normal.disposition(1000) == Disposition(1000, "numeric")
    assert normal.disposition("SALE") == Disposition("SALE", "named")
    assert normal.agents("agA;agB") == normal.agents("agA,agB") == ("agA", "agB")
    with pytest.raises(VariationError, match="flag"):
        normal.flag("yes")
    with pytest.raises(VariationError, match="recording mode"):
        normal.recording_mode("sometimes")
    for que in ("acme~~queue~~phone", "acme~~queue~~phone~~x1", "acme~~line~~phone~~12"):
        with pytest.raises(VariationError, match="is not tenant~~queue~~media~~id"):
            AttachedData([("que", que)]).queue()


def test_when_an_event_happened_follows_facts_9() -> None:
    event = {"interactionEventTS": 100, "msgInfo": {"timestamp": 200_000}, "eventTS": 300}
    assert normal.occurred_at(event) == datetime(1970, 1, 1, 0, 1, 40, tzinfo=timezone.utc)
    del event["interactionEventTS"]
    assert normal.occurred_at(event) == datetime(1970, 1, 1, 0, 3, 20, tzinfo=timezone.utc)
    event["msgInfo"] = {}
    assert normal.occurred_at(event) == datetime(1970, 1, 1, 0, 5, tzinfo=timezone.utc)


def events() -> list[Any]:
    parsed = [parse_event(line) for line in SAMPLE.read_bytes().splitlines()]
    parsed += [parse_frame(line).event for line in SAMPLE_FRAMES.read_bytes().splitlines()]
    return parsed


def test_every_variation_of_the_realistic_sample_reads_in_normal_form() -> None:
    seen: dict[str, set[Any]] = {"flags": set(), "recording": set(), "dispositions": set()}
    for event in events():
        for name in flag_fields():
            value = normal.flag(getattr(event, name, None))
            assert value is None or isinstance(value, bool)
            if isinstance(getattr(event, name, None), str):
                seen["flags"].add(value)
        mode = normal.recording_mode(getattr(event, "recordingMode", None))
        seen["recording"].add(mode)
        found = normal.disposition(getattr(event, "dispositionCode", None))
        if found:
            seen["dispositions"].add(found.kind)
        channel = normal.channel(getattr(event, "inboundChannelid", None))
        assert channel is None or isinstance(channel, int)
        assert all(
            a.startswith("ag") for a in normal.agents(getattr(event, "participatingAgents", None))
        )
        if getattr(event, "interactionGUID", None):  # agent skill events carry no time at all
            assert normal.occurred_at(event) is not None
        attached = AttachedData.of(event)
        queue = attached.queue()
        assert queue is None or (queue.tenant, queue.media) == ("acmecorp01", "phone")
    assert seen["flags"] == {True, False}  # string flags were there, and read as booleans
    assert {RecordingMode.RECORD, RecordingMode.MONITOR} <= seen["recording"]
    assert seen["dispositions"] == {"numeric", "named"}


def test_attached_data_is_a_mapping_that_keeps_order_and_duplicates() -> None:
    line = next(raw for raw in SAMPLE.read_bytes().splitlines() if b'"que"' in raw)
    event = parse_event(line)
    attached = AttachedData.of(event)
    keys = [
        pair["attachedDataKey"]
        for pair in json.loads(line)["Interaction"]["attachedData"]["attachedDatum"]
    ]
    assert list(attached) == list(dict.fromkeys(keys))
    assert attached.queue() == QueueRef("acmecorp01", "phone", attached.queue().queue_id)  # type: ignore[union-attr]
    assert attached.queued_at() == datetime.fromtimestamp(attached["tim"], tz=timezone.utc)
    doubled = AttachedData([("tim", 1), ("tim", 2)])
    assert (doubled["tim"], doubled.all("tim"), len(doubled)) == (1, [1, 2], 1)


def test_every_timestamp_reads_in_the_unit_its_schema_gives() -> None:
    payload = {
        "event": "InteractionAccepted",
        "interactionEventTS": 1_700_000_000,
        "queueTime": 1_699_999_950.5,
        "msgInfo": {"timestamp": 1_700_000_000_250},
        "attachedData": {
            "attachedDatum": [
                {"attachedDataKey": "callAnsweredTime", "attachedDataValue": 1_700_000_001_000},
                {"attachedDataKey": "tim", "attachedDataValue": 1_699_999_950},
                {
                    "attachedDataKey": "createInteractionTimestampNanos",
                    "attachedDataValue": 1_699_999_900_000_000_000,
                },
                {"attachedDataKey": "cnt", "attachedDataValue": 3},
            ]
        },
    }
    at = datetime.fromtimestamp
    assert normal.timestamps(payload) == {
        "interactionEventTS": at(1_700_000_000, tz=timezone.utc),
        "queueTime": at(1_699_999_950.5, tz=timezone.utc),
        "msgInfo.timestamp": at(1_700_000_000.25, tz=timezone.utc),
        "attachedData.callAnsweredTime": at(1_700_000_001, tz=timezone.utc),
        "attachedData.tim": at(1_699_999_950, tz=timezone.utc),
        "attachedData.createInteractionTimestampNanos": at(1_699_999_900, tz=timezone.utc),
    }
    units = normal.time_units()
    assert units["statusEventTS"] == units["eventTS"] == 1.0
    assert units["attachedData.callHangupTime"] == 1e-3
    assert "cnt" not in units
    assert "attachedData.cnt" not in units  # a counter, not a time

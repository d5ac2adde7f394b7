"""The frame reader's two checks done after msgspec (the payload's base64, the publish
time's format) against the schema's own rules, as the full look applies them."""

from __future__ import annotations

import base64
import json
import re

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eightbyeight_events.contract import Contract
from eightbyeight_events.fastpath import python_pattern
from eightbyeight_events.framepath import BASE64, frame_reader
from eightbyeight_events.frames import payload_bytes
from eightbyeight_events.schemas import FRAME

CONTRACT = Contract()
READER = CONTRACT.frame_reader
PATTERN = re.compile(python_pattern(BASE64))
STAMP_CHECK = jsonschema_rs.validator_for(
    {"type": "string", "format": "date-time"}, validate_formats=True
)


def test_the_frame_schema_is_read_by_msgspec() -> None:
    """Every frame field is checked in the one pass; none is left out."""
    assert READER is not None
    schema = CONTRACT.schemas.document(FRAME)
    assert READER.fields == tuple(schema["properties"])
    assert READER.payload == "payload"
    assert READER.stamps == ("publishTime",)
    assert schema["properties"]["payload"]["pattern"] == BASE64


def test_an_open_frame_schema_has_no_reader() -> None:
    """Undeclared fields would be dropped: only the closed (strict) schema gets a reader."""
    from eightbyeight_events.fastpath import Unsupported

    with pytest.raises(Unsupported):
        frame_reader(CONTRACT.schemas, FRAME)


base64ish = st.text(alphabet="AQgw+/=9z\n -_", max_size=12) | st.binary(max_size=9).map(
    lambda data: base64.b64encode(data).decode()
)


@settings(max_examples=1500, deadline=None)
@given(base64ish)
def test_payload_bytes_accepts_exactly_what_the_payload_pattern_allows(text: str) -> None:
    """Both roads decode a payload with ``payload_bytes``; the fast one leans on it for the
    schema's pattern."""
    try:
        decoded: bytes | None = payload_bytes(text)
    except ValueError:
        decoded = None
    assert (decoded is not None) == (PATTERN.search(text) is not None), text
    if decoded is not None:
        assert decoded == base64.b64decode(text, validate=True)


digits = st.integers(0, 99).map(lambda n: f"{n:02d}")
stamps = st.builds(
    lambda year, month, day, hour, minute, second, fraction, zone, separator: (
        f"{year:04d}-{month}-{day}{separator}{hour}:{minute}:{second}{fraction}{zone}"
    ),
    st.integers(0, 9999),
    digits,
    digits,
    digits,
    digits,
    digits,
    st.sampled_from(["", ".0", ".000", ".123456789", ".1234567890", "."]),
    st.sampled_from(["Z", "z", "+00:00", "-05:30", ""]),
    st.sampled_from(["T", "t", " "]),
)


@settings(max_examples=3000, deadline=None)
@given(stamps | st.text(max_size=30))
def test_a_publish_time_the_reader_takes_passes_the_format_check(stamp: str) -> None:
    """Never looser than the full look: what the reader takes, the format check accepts."""
    assert READER is not None
    if READER.is_stamp(stamp):
        assert STAMP_CHECK.is_valid(stamp), stamp


@pytest.mark.parametrize(
    ("stamp", "taken"),
    [
        ("2025-10-15T09:30:00.000Z", True),
        ("2024-02-29T23:59:59Z", True),
        ("2025-02-29T10:00:00Z", False),  # no such day: the full look explains
        ("2025-10-15T24:00:00Z", False),
        ("2025-10-15T09:30:60Z", False),  # a leap second is left to the full look
        ("2025-10-15T09:30:00+02:00", False),  # valid, but left to the full look
    ],
)
def test_publish_times(stamp: str, taken: bool) -> None:
    assert READER is not None
    assert READER.is_stamp(stamp) is taken


def test_a_redelivery_count_beyond_64_bits_is_left_to_the_full_look() -> None:
    """The one pass reads integers within 64 bits; the full look takes a larger one, and the
    loader builds its model from there."""
    from capture_helpers import SAMPLE, frame
    from eightbyeight_events.loader import _delivered, parse_frame

    message = json.loads(frame(SAMPLE.read_bytes().splitlines()[0]))
    message["redeliveryCount"] = 2**63
    raw = json.dumps(message).encode()
    assert CONTRACT.quick_frame(raw) is None
    assert _delivered(raw) is None
    assert CONTRACT.judge_text(raw, "frames").status == "valid"
    assert parse_frame(raw).frame.redeliveryCount == 2**63


@pytest.mark.parametrize(("field", "value"), [("redeliveryCount", -1), ("messageId", "")])
def test_a_frame_value_beyond_the_schemas_bounds_is_refused(field: str, value: object) -> None:
    """The frame's model takes any integer and any string; the loader's reader holds these
    fields to the schema's bounds after decoding, as the contract's own reader does while
    decoding."""
    from capture_helpers import SAMPLE, frame
    from eightbyeight_events.loader import EventError, _delivered, parse_frame

    message = json.loads(frame(SAMPLE.read_bytes().splitlines()[0]))
    assert _delivered(json.dumps(message).encode()) is not None
    message[field] = value
    raw = json.dumps(message).encode()
    assert _delivered(raw) is None
    assert CONTRACT.quick_frame(raw) is None
    with pytest.raises(EventError) as raised:
        parse_frame(raw)
    assert raised.value.pointer == f"/{field}"

"""Decoding the event inside a Pulsar WebSocket frame: base64, then UTF-8, then JSON.

The validator and the loader both decode payloads here, so a bad frame is
described in the same words wherever it is met.
"""

from __future__ import annotations

from typing import Any

import orjson
import pybase64

from eightbyeight_events.documents import NESTING, too_deep, unparseable
from eightbyeight_events.explain import Finding
from eightbyeight_events.json_text import Repeat, read_json


class PayloadError(Exception):
    """A frame payload that does not decode to JSON; ``finding`` says at which step."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _fault(rule: str, message: str) -> PayloadError:
    return PayloadError(Finding("/payload", rule, message, "frame"))


def decode_payload(payload: str) -> tuple[Any, tuple[Repeat, ...]]:
    """The message a frame's ``payload`` carries, and the keys its objects repeat."""
    data = payload_text(payload)
    if too_deep(data):
        raise _fault("contentMediaType", f"payload: {NESTING}")
    try:
        return read_json(data)
    except orjson.JSONDecodeError as error:
        raise _fault("contentMediaType", f"payload: {unparseable(data, error)}") from None


def payload_bytes(payload: str) -> bytes:
    """The bytes a frame's ``payload`` carries. pybase64's strict decoding takes exactly the
    standard alphabet with its padding, as the frame schema's pattern does (the standard
    library's would also take ``QUJD=``), at several times the speed; raises ``ValueError``
    (``binascii.Error`` is one) for anything else."""
    decoded: bytes = pybase64.b64decode(payload, validate=True)
    return decoded


def payload_text(payload: str) -> bytes:
    """The UTF-8 text a frame's ``payload`` carries, not yet read as JSON."""
    try:
        data = payload_bytes(payload)
    except ValueError as error:
        raise _fault("contentEncoding", f"payload is not valid base64 ({error})") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _fault(
            "contentEncoding", f"payload is not UTF-8 text (invalid byte at {error.start})"
        ) from None
    return data


def message_id_of(frame: Any) -> str | None:
    """The frame's ``messageId`` when it has a usable one."""
    found = frame.get("messageId") if isinstance(frame, dict) else None
    return found if isinstance(found, str) else None

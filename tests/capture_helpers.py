"""Building captures for the validator tests from the repository's real examples."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, invalid_example_paths, read_json, valid_example_paths

SAMPLE = EXAMPLES / "captures" / "sample.jsonl"
SAMPLE_FRAMES = EXAMPLES / "captures" / "sample-frames.jsonl"


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def valid_lines() -> list[bytes]:
    return [compact(read_json(path)) for path in valid_example_paths()]


def invalid_event_lines() -> list[tuple[bytes, dict[str, Any]]]:
    """(line, case) for every counter-example of the event union."""
    cases = [read_json(path) for path in invalid_example_paths()]
    return [
        (compact(case["instance"]), case) for case in cases if case["schema"] == "event.schema.json"
    ]


def frame(line: bytes, message_id: str = "CAEQAw==") -> bytes:
    return compact(
        {
            "messageId": message_id,
            "payload": base64.b64encode(line).decode(),
            "properties": {},
            "publishTime": "2025-04-16T16:00:17.412Z",
            "redeliveryCount": 0,
        }
    )


def write_lines(path: Path, lines: list[bytes], compress: bool = False) -> Path:
    data = b"".join(line + b"\n" for line in lines)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path

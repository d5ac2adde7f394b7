"""Building captures for the validator tests from the repository's real examples."""

from __future__ import annotations

import base64
import gzip
import json
import random
from pathlib import Path
from typing import Any, TypeVar

from conftest import EXAMPLES, invalid_example_paths, read_json, valid_example_paths
from eightbyeight_events.replay import reorder

SAMPLE = EXAMPLES / "captures" / "sample.jsonl"
SAMPLE_FRAMES = EXAMPLES / "captures" / "sample-frames.jsonl"


Item = TypeVar("Item")


def delivered_badly(
    items: list[Item], seed: int, window: int = 8, twice: float = 0.03
) -> list[Item]:
    """``items`` as a live stream delivers them: shuffled within windows of ``window`` (as the
    replay's faults do) and a share ``twice`` delivered a second time, right after."""
    rng = random.Random(seed)
    shuffled = reorder(list(items), window, seed)
    out = [copy for item in shuffled for copy in [item] * (2 if rng.random() < twice else 1)]
    assert len(out) > len(items)
    assert out != items
    return out


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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path

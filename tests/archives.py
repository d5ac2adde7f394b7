"""Archives of realistic traffic, as a team keeps them: a shift cut into files, shuffled
and redelivered, with every stream fault; and what the two data commands say of them."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest

from eightbyeight_events.cli import main
from eightbyeight_events.traffic.generator import Plan, generate
from eightbyeight_events.traffic.kinds import STREAM_FAULTS


def traffic_lines(interactions: int, seed: int) -> list[bytes]:
    """A shift with one of every stream fault per 100 interactions, a line a message."""
    out = io.BytesIO()
    plan = Plan(interactions=interactions, seed=seed, agents=8, faults=STREAM_FAULTS)
    generate(plan, out)
    return out.getvalue().splitlines(keepends=True)


def write_archive(folder: Path, interactions: int = 600, files: int = 3) -> Path:
    """A shuffled, redelivered shift in ``files`` files of ``folder``, sorted by name in the
    shift's order, interactions running across them."""
    lines = traffic_lines(interactions, 11)
    chance = random.Random(11)
    for _ in range(len(lines) // 20):
        at = chance.randrange(len(lines) - 1)
        lines[at], lines[at + 1] = lines[at + 1], lines[at]
    for _ in range(len(lines) // 30):
        at = chance.randrange(len(lines))
        lines.insert(min(len(lines), at + chance.choice([1, 50])), lines[at])
    folder.mkdir()
    share = len(lines) // files
    for index in range(files):
        end = (index + 1) * share if index < files - 1 else len(lines)
        (folder / f"2025-11-25T{index:02}.jsonl").write_bytes(b"".join(lines[index * share : end]))
    return folder


def outputs(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[Any, str]:
    """The JSON report of ``validate`` and the JSON Lines of ``interactions``."""
    main(["validate", "--format", "json", *arguments])
    report = json.loads(capsys.readouterr().out)
    main(["interactions", "--format", "jsonl", *arguments])
    return report, capsys.readouterr().out

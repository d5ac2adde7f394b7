"""The distribution carries its schemas: installed code needs no checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def build_wheel(out: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = out.glob("8x8_event_schemas-*.whl")
    return wheel


def test_wheel_ships_schemas_and_models_and_works_away_from_the_repo(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if "/schemas/" in name}
        archive.extractall(tmp_path / "site")
    expected = {
        "eightbyeight_events/schemas/" + path.relative_to(REPO / "schemas").as_posix()
        for path in (REPO / "schemas").rglob("*.json")
    }
    assert shipped == expected
    with zipfile.ZipFile(wheel) as archive:
        models = archive.read("eightbyeight_events/models.py")
    assert models == (REPO / "generated" / "python" / "models.py").read_bytes()
    probe = (
        "from eightbyeight_events import load_schemas, event_types;"
        "from eightbyeight_events.loader import parse_event;"
        "s = load_schemas(); print(s.root); print(len(s.documents), len(event_types(s)));"
        'print(type(parse_event(b\'{"AgentStatusChange": {"agentId": "ag1"}}\')).__name__)'
    )
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {probe}",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    root, counts, parsed = result.stdout.splitlines()
    assert Path(root) == tmp_path / "site" / "eightbyeight_events" / "schemas"
    assert counts == f"{len(expected) - 1} 31"  # every file but annotations.json is a schema
    assert parsed == "AgentStatusChange"

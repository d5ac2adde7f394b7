"""Parquet for the data tools: ``interactions --format parquet`` holds the records
``--format jsonl`` prints, in typed columns; ``validate --results-parquet`` holds a row for
each message that fails or drifts, exactly those, whatever the number of processes; the
guide's DuckDB and Polars example runs as written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from eightbyeight_events import validate_event
from eightbyeight_events.cli import main

CAPTURES = REPO / "examples" / "captures"


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A generated shift with invalid and drifting messages put in at known lines."""
    folder = tmp_path_factory.mktemp("faulty")
    capture, truth = folder / "faulty.jsonl", folder / "truth.json"
    code = main(
        [
            "generate", "--interactions", "300", "--seed", "5", "--faults", "invalid,drift",
            "--faults-each", "7", "--truth", str(truth), "--output", str(capture),
        ]
    )  # fmt: skip
    assert code == 0
    return capture, json.loads(truth.read_text(encoding="utf-8"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interactions_parquet_holds_the_jsonl_records_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    target = tmp_path / "interactions.parquet"
    code, out, _ = run(
        capsys, "interactions", "--format", "parquet", "--output", str(target),
        "--jobs", jobs, str(CAPTURES),
    )  # fmt: skip
    assert (code, out) == (0, "")
    table = pq.read_table(target)
    assert table.schema.field("started").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("talk_s").type == pa.float64()
    assert table.schema.field("holds").type == pa.int64()
    assert table.schema.field("handling_agents").type == pa.list_(pa.string())
    assert table.schema.field("complete").type == pa.bool_()
    _, printed, _ = run(capsys, "interactions", "--format", "jsonl", str(CAPTURES))
    expected = [json.loads(line) for line in printed.splitlines()]
    rows = table.to_pylist()
    assert len(rows) == len(expected) > 100
    for row, record in zip(rows, expected, strict=True):
        for name in ("started", "ended"):
            moment: datetime | None = row[name]
            row[name] = None if moment is None else moment.isoformat(timespec="milliseconds")
            record[name] = None if record[name] is None else record[name].replace("Z", "+00:00")
        assert row == record


def test_results_parquet_holds_each_failing_or_drifting_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], faulty: tuple[Path, dict[str, Any]]
) -> None:
    capture, truth = faulty
    target = tmp_path / "results.parquet"
    code, _, _ = run(capsys, "validate", "--results-parquet", str(target), str(capture))
    assert code == 1  # the invalid ones fail the run
    rows = pq.read_table(target).to_pylist()
    planted = {
        kind: sorted(fault["line"] for fault in truth["faults"] if fault["kind"] == kind)
        for kind in ("invalid", "drift")
    }
    assert sorted(row["line"] for row in rows if row["status"] == "invalid") == planted["invalid"]
    drifting = {row["line"]: row["drift"] for row in rows if row["status"] == "valid"}
    # realistic traffic drifts by itself too (new values of open lists, attachedData keys)
    assert set(planted["drift"]) < set(drifting)
    assert all(
        any(item.startswith("undeclared field") for item in drifting[line])
        for line in planted["drift"]
    )
    # what one message at a time through the API says, line by line
    with capture.open("rb") as lines:
        verdicts = {number: validate_event(line) for number, line in enumerate(lines, 1)}
    expected = {n for n, verdict in verdicts.items() if verdict.status != "valid" or verdict.drift}
    assert {row["line"] for row in rows} == expected
    for row in rows:
        assert row["source"] == str(capture)
        verdict = verdicts[row["line"]]
        assert row["drift"] == [f"{d.kind.value}: {d.subject}" for d in verdict.drift]
        assert row["pointers"] == [error.pointer for error in verdict.errors]
        assert len(row["rules"]) == len(row["messages"]) == len(row["pointers"])


def test_results_parquet_is_the_same_whatever_the_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], faulty: tuple[Path, dict[str, Any]]
) -> None:
    capture, _ = faulty
    tables = []
    for jobs in ("1", "2"):
        target = tmp_path / f"results-{jobs}.parquet"
        run(capsys, "validate", "--jobs", jobs, "--results-parquet", str(target), str(capture))
        tables.append(pq.read_table(target).to_pylist())
    assert tables[0] == tables[1]
    assert len(tables[0]) > 14  # the 14 planted, and the traffic's own drift


def test_results_parquet_leaves_the_report_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], faulty: tuple[Path, dict[str, Any]]
) -> None:
    capture, _ = faulty
    _, alone, _ = run(capsys, "validate", "--format", "json", str(capture))
    target = tmp_path / "results.parquet"
    _, beside, _ = run(
        capsys, "validate", "--format", "json", "--results-parquet", str(target), str(capture)
    )
    assert json.loads(alone)["results"] == json.loads(beside)["results"]
    assert json.loads(alone)["summary"] == json.loads(beside)["summary"]


def test_parquet_needs_a_file_and_pyarrow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "interactions", "--format", "parquet", str(CAPTURES))
    assert code == 2
    assert "--format parquet writes a file: name it with --output FILE" in err
    code, _, err = run(
        capsys, "validate", "--results-parquet", str(tmp_path / "no" / "dir.parquet"),
        str(CAPTURES),
    )  # fmt: skip
    assert code == 2
    assert "dir.parquet: cannot write" in err
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, err = run(
        capsys, "interactions", "--format", "parquet", "--output", str(tmp_path / "i.parquet"),
        str(CAPTURES),
    )  # fmt: skip
    assert code == 2
    assert "Parquet output needs pyarrow: pip install '8x8-event-schemas[parquet]'" in err
    assert list(tmp_path.iterdir()) == []


def test_interactions_output_file_for_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for form in ("table", "jsonl", "csv"):
        target = tmp_path / f"interactions.{form}"
        code, out, _ = run(
            capsys, "interactions", "--format", form, "--output", str(target), str(CAPTURES)
        )
        assert (code, out) == (0, "")
        _, printed, _ = run(capsys, "interactions", "--format", form, str(CAPTURES))
        assert target.read_bytes() == printed.encode()


def test_the_guides_duckdb_and_polars_example_runs_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = (REPO / "docs" / "stream.md").read_text(encoding="utf-8")
    section = guide.split("## Parquet for DuckDB, Polars and Spark", 1)[1]
    commands = re.search(r"```sh\n(.*?)```", section, flags=re.S)
    example = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert commands is not None
    assert example is not None
    (tmp_path / "captures").symlink_to(CAPTURES)
    for command in commands[1].strip().splitlines():
        arguments = command.split()
        assert arguments[0] == "8x8-events"
        done = subprocess.run(
            [str(Path(sys.executable).with_name("8x8-events")), *arguments[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
    done = subprocess.run(
        [sys.executable, "-c", example[1]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "mean_talk_s" not in done.stdout  # the rows, not the query
    assert re.search(r"\('ag\w+', \d+, [\d.]+\)", done.stdout)
    assert "event_type" in done.stdout
    assert "drift" in done.stdout

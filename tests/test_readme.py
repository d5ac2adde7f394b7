"""The guides' examples run as written: the model examples under ``mypy --strict`` and
``tsc``'s strictest flags against the installed packages, measuring what the CLI measures;
and the README's Quick start is the test command CI runs."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import pytest

from capture_helpers import SAMPLE, SAMPLE_FRAMES, delivered_badly
from conftest import REPO, mypy_strict
from test_typescript_runtime import compile_and_run, install_packed

GUIDES = ("validator.md", "stream.md", "capture-replay.md", "models.md")


def snippets(language: str) -> list[str]:
    """The ``language`` code blocks of the guide "Using the generated models", in order."""
    text = (REPO / "docs" / "models.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def sample_delivered_badly(path: Path) -> Path:
    """The bundled sample (every documented variation) as a live stream delivers it: shuffled
    within windows of 8 and 3% of the messages delivered twice."""
    path.write_bytes(b"".join(delivered_badly(SAMPLE.read_bytes().splitlines(keepends=True), 11)))
    return path


def measured_by_the_cli(capture: Path) -> dict[str, dict[str, float | None]]:
    """``8x8-events interactions`` on ``capture``: the reference the examples must meet."""
    printed = subprocess.run(
        [sys.executable, "-m", "eightbyeight_events", "interactions", "--format=jsonl", capture],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    keys = {"queue": "queue_s", "ring": "ring_s", "talk": "talk_s"}
    keys |= {"hold": "hold_s", "wrapup": "wrapup_s"}
    found = {}
    for line in printed.splitlines():
        record = json.loads(line)
        found[record["interactionGUID"]] = {ours: record[theirs] for ours, theirs in keys.items()}
    assert len(found) > 100
    return found


def outbound_on_the_wire(capture: Path) -> tuple[int, int]:
    """InteractionAssigned messages whose isOutboundCall means true (JSON true or "true"),
    and how many a plain truthiness test would count, read from the raw lines."""
    meant = naive = 0
    for line in capture.read_bytes().splitlines():
        payload = json.loads(line).get("Interaction", {})
        if payload.get("event") == "InteractionAssigned":
            meant += payload.get("isOutboundCall") in (True, "true")
            naive += bool(payload.get("isOutboundCall"))
    return meant, naive


def run_python(code: str, *arguments: str) -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), patch.object(sys, "argv", ["consumer", *arguments]):
        exec(compile(code, "docs/models.md", "exec"), {"__name__": "__main__"})
    return printed.getvalue().splitlines()


def test_every_python_example_passes_mypy_strict(tmp_path: Path) -> None:
    examples = snippets("python")
    assert len(examples) == 4
    for number, code in enumerate(examples):
        (tmp_path / f"example{number}.py").write_text(code, encoding="utf-8")
    checked = mypy_strict(tmp_path, ".")
    assert checked.returncode == 0, checked.stdout
    assert "4 source files" in checked.stdout


def test_the_python_examples_run_and_measure_as_the_cli(tmp_path: Path) -> None:
    basics, durations, dispatching, _ = snippets("python")
    assert run_python(basics) == [
        "queued in 1162 (CS_QUEUED)",
        "/Interaction/interactionGUID InteractionQueued",
    ]
    capture = sample_delivered_badly(tmp_path / "capture.jsonl")
    measured = {}
    for line in run_python(durations, str(capture)):
        guid, told = line.split(" ", 1)
        measured[guid] = ast.literal_eval(told)
    assert measured == measured_by_the_cli(capture)
    meant, naive = outbound_on_the_wire(capture)
    assert run_python(dispatching, str(capture)) == [f"{meant} outbound calls assigned"]
    assert 0 < meant < naive  # the capture carries "false" strings, which truthiness miscounts


def test_the_frame_consumer_skips_control_messages_and_redeliveries(tmp_path: Path) -> None:
    *_, consuming = snippets("python")
    frames = SAMPLE_FRAMES.read_bytes().splitlines(keepends=True)
    received = delivered_badly(frames, 5)
    control = [b'{"endOfTopic": false}\n', b'{"type": "isEndOfTopic"}\n']
    received = control[:1] + received[:100] + control[1:] + received[100:] + control[:1]
    ids = [json.loads(line)["messageId"] for line in received if b"messageId" in line]
    assert len(ids) > len(set(ids))  # the stream repeats some messages
    path = tmp_path / "received.jsonl"
    path.write_bytes(b"".join(received))
    (printed,) = run_python(consuming, str(path))
    assert printed == f"{len(set(ids))} handled, {len(ids)} acknowledged"


TS_DRIVER = """\
import { readFileSync } from "node:fs";
import { durations } from "./durations.js";
import { outboundAgents } from "./dispatching.js";
const lines = readFileSync(process.argv[2], "utf8").split("\\n");
for (const [guid, found] of durations(lines)) console.log(JSON.stringify([guid, found]));
console.log(JSON.stringify({ outbound: outboundAgents(lines).length }));
"""


@pytest.mark.usefixtures("node")
def test_the_typescript_examples_compile_strictly_run_and_measure_as_the_cli(
    tmp_path: Path,
) -> None:
    basics, durations, dispatching = snippets("ts")
    install_packed(tmp_path)
    (tmp_path / "dispatching.ts").write_text(dispatching, encoding="utf-8")
    (tmp_path / "durations.ts").write_text(durations, encoding="utf-8")
    printed = compile_and_run(tmp_path, "basics.ts", basics, "basics.js")
    assert printed.splitlines() == ["queued in 1162 (CS_QUEUED)", "/Interaction CAEQAA=="]

    capture = sample_delivered_badly(tmp_path / "capture.jsonl")
    (tmp_path / "run.mjs").write_text(TS_DRIVER, encoding="utf-8")
    both = 'export * from "./durations.js";\nexport * from "./dispatching.js";\n'
    printed = compile_and_run(tmp_path, "examples.ts", both, "run.mjs", str(capture))
    *rows, last = [json.loads(line) for line in printed.splitlines()]
    assert dict(rows) == measured_by_the_cli(capture)
    meant, _ = outbound_on_the_wire(capture)
    assert last == {"outbound": meant}


def test_every_other_python_example_of_the_readme_and_the_guides_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [REPO / "README.md", *(REPO / "docs" / guide for guide in GUIDES)]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    models = snippets("python")
    every = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    # the Parquet example reads the files its shell commands write: test_parquet.py runs both
    others = [code for code in every if code not in models and "import duckdb" not in code]
    assert len(others) >= 2
    monkeypatch.chdir(REPO)  # these name the bundled sample capture by its path
    for code in others:
        exec(compile(code, "a guide", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert "valid []" in printed  # validate_event's verdict on the vendor's agent example
    lines = sum(len(path.read_bytes().splitlines()) for path in (SAMPLE, SAMPLE_FRAMES))
    assert f"True {lines}" in printed  # the bundled captures pass, every line counted


def test_quick_start_has_two_commands_in_a_venv_and_ci_runs_the_tests_one() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- --8<-- [start:quickstart] -->", 1)[1].split("<!-- --8<--", 1)[0]
    (body,) = re.findall(r"```sh\n(.*?)```", block, flags=re.DOTALL)
    validate, tests = body.strip().splitlines()
    for command in (validate, tests):
        # nothing is installed into the system Python: pip and nox run from .venv
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install ")
        assert "-r requirements/nox.txt" in command
    assert validate.endswith(".venv/bin/nox -s validate")
    assert tests.endswith(".venv/bin/nox -s tests")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == tests


def test_the_install_lines_name_what_npm_pack_writes() -> None:
    from eightbyeight_events import __version__

    text = (REPO / "docs" / "models.md").read_text(encoding="utf-8")
    (install,) = re.findall(r"```sh\n(.*?)```", text.split("## Python", 1)[0], re.DOTALL)
    manifest = json.loads((REPO / "generated" / "typescript" / "package.json").read_text())
    assert f"{manifest['name']}-{manifest['version']}.tgz" in install
    assert manifest["version"] == __version__

"""Contract tests in a consumer's own CI: the pre-commit hook, run by pre-commit itself from a
scratch repository that points at this one, and the GitHub Action's step, run as it is on a
scratch workspace with the variables GitHub sets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from capture_helpers import SAMPLE, write_lines
from conftest import REPO
from eightbyeight_events import validate_capture

GOOD = SAMPLE.read_bytes().splitlines()[:40]
STATUS = next(line for line in GOOD if line.startswith(b'{"AgentStatusChange"'))
CREATED = next(line for line in GOOD if b'"event":"InteractionCreated"' in line)
TYPO = CREATED.replace(b'"interactionGUID"', b'"interactionGuid"', 1)  # a required field
DRIFT = STATUS[:-2] + b',"priorty":5}}'  # a field the schemas do not declare


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def git(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments], cwd)


@pytest.fixture(scope="module")
def head() -> str:
    found = git(REPO, "rev-parse", "HEAD")
    if found.returncode != 0:
        pytest.skip("this copy of the project is no git checkout")
    return found.stdout.strip()


def test_the_hook_fails_a_bad_capture_and_passes_the_fixed_one(tmp_path: Path, head: str) -> None:
    project = tmp_path / "consumer"
    project.mkdir()
    git(project, "init", "-q")
    config = {
        "repos": [
            {
                "repo": str(REPO),
                "rev": head,
                "hooks": [
                    {
                        "id": "validate-captures",
                        "args": ["--fail-on", "invalid,unknown,unreadable,undeclared-field"],
                    }
                ],
            }
        ]
    }
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    cache = str(tmp_path / "pre-commit-home")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    assert run([*pre_commit, "install"], project, PRE_COMMIT_HOME=cache).returncode == 0
    write_lines(project / "captures" / "monday.jsonl", [*GOOD, TYPO, DRIFT])
    (project / "notes.txt").write_text("{not a capture, and not looked at}\n")
    git(project, "add", ".")

    refused = git(project, "commit", "-q", "-m", "captures")
    told = refused.stdout + refused.stderr
    assert refused.returncode != 0, told
    assert "validate 8x8 event captures" in told
    assert "Failed" in told
    assert "captures/monday.jsonl:41" in told  # the misspelt field, by file and line
    assert "priorty" in told
    assert "undeclared-field" in told
    assert "notes.txt" not in told
    assert git(project, "rev-parse", "HEAD").returncode != 0  # nothing was committed

    write_lines(project / "captures" / "monday.jsonl", GOOD)
    git(project, "add", ".")
    accepted = git(project, "commit", "-q", "-m", "captures")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "validate 8x8 event captures" in accepted.stdout + accepted.stderr


def test_the_hook_is_declared_for_captures_only() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "validate-captures"
    assert hook["entry"] == "8x8-events validate"
    pattern = re.compile(hook["files"])
    names = ["a.jsonl", "b.ndjson", "c.jsonl.gz", "d.ndjson.gz", "e.json", "f.txt", "g.jsonl.bak"]
    assert [name for name in names if pattern.search(name)] == names[:4]


def action_step(workspace: Path, tmp_path: Path, **inputs: str) -> tuple[int, str, str]:
    """The step of action.yml, with the variables GitHub Actions sets; (exit code, standard
    output, the job summary)."""
    summary = tmp_path / "summary.md"
    summary.write_text("")
    found = run(
        ["bash", str(REPO / ".github" / "action" / "run.sh")],
        workspace,
        GITHUB_ACTION_PATH=str(REPO),
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(tmp_path / "runner"),
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
    )
    assert "Traceback" not in found.stderr, found.stderr
    return found.returncode, found.stdout, summary.read_text()


def test_the_action_annotates_and_summarizes_every_failure(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    write_lines(workspace / "captures" / "2026" / "monday.jsonl", [*GOOD, TYPO])
    bad = [TYPO] * 25  # more than the ten annotations GitHub shows for a step
    write_lines(workspace / "captures" / "2026" / "tuesday.jsonl", [*GOOD, DRIFT, *bad])
    (tmp_path / "runner").mkdir()

    code, out, summary = action_step(
        workspace,
        tmp_path,
        paths="captures/**/*.jsonl",
        fail_on="invalid,undeclared-field",
        args="--no-stream-checks",
    )
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 26  # an annotation for every invalid line
    assert "file=captures/2026/monday.jsonl,line=41" in errors[0]
    assert "### ❌ 8x8 event captures: FAILED" in summary
    assert "`--fail-on invalid,undeclared-field`" in summary
    report = validate_capture(
        sorted(str(path) for path in workspace.rglob("*.jsonl")),
        fail_on="invalid,undeclared-field",
        stream_window=None,
    )
    failed = ", ".join(f"{count:,} {name}" for name, count in report.failed_classes.items())
    assert failed.startswith("26 invalid, ")
    assert f"**Failed by:** {failed}" in summary
    assert "| InteractionCreated | required | 26 |" in summary
    assert "<code>captures/2026/monday.jsonl:41</code>" in summary
    assert "priorty" in summary
    assert "Stream findings" not in summary

    clean = tmp_path / "clean"
    write_lines(clean / "day.jsonl", GOOD)
    code, out, summary = action_step(clean, tmp_path, paths="day.jsonl")
    assert code == 0
    assert "::error" not in out
    assert "### ✅ 8x8 event captures: passed" in summary


def test_the_action_declares_the_inputs_its_step_reads() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "fail-on", "args", "python-version"}
    assert action["inputs"]["paths"]["required"] is True
    step = action["runs"]["steps"][-1]
    assert "run.sh" in step["run"]
    assert step["env"] == {
        "INPUT_PATHS": "${{ inputs.paths }}",
        "INPUT_FAIL_ON": "${{ inputs.fail-on }}",
        "INPUT_ARGS": "${{ inputs.args }}",
    }

"""The README's model snippets run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO
from test_typescript import install_package, tsc


def snippets(language: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the generated models", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)


def test_python_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = snippets("python")
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "queued in 1162 (CS_QUEUED)",
        "/Interaction/interactionGUID",
    ]


def test_every_other_python_snippet_of_the_readme_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    models = snippets("python")
    every = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    others = [code for code in every if code not in models]
    assert len(others) >= 2
    monkeypatch.chdir(REPO)  # the snippets name the bundled sample capture by its path
    for code in others:
        exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert "valid []" in printed  # validate_event's verdict on the vendor's agent example
    assert "True 1957" in printed  # the bundled captures pass, every line counted


@pytest.mark.usefixtures("node")
def test_typescript_snippet_compiles(tmp_path: Path) -> None:
    (code,) = snippets("ts")
    install_package(tmp_path)
    result = tsc(tmp_path, code)
    assert result.returncode == 0, result.stdout + result.stderr


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

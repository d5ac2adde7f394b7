"""The hand-written Python is ruff-clean and passes mypy --strict; the hand-written TypeScript
and JavaScript is formatted by prettier."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

PYTHON_SOURCES = ["tools", "tests", "examples/consumer", "noxfile.py"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_check() -> None:
    result = run(sys.executable, "-m", "ruff", "check", *PYTHON_SOURCES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run(sys.executable, "-m", "ruff", "format", "--check", *PYTHON_SOURCES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "tools/eightbyeight_events",
        "tools/eightbyeight_build",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.usefixtures("node")
def test_prettier_check() -> None:
    prettier = str(REPO / "node_modules" / ".bin" / "prettier")
    result = run(prettier, "--check", "tools/ts", "tools/js", "examples/consumer")
    assert result.returncode == 0, result.stdout + result.stderr

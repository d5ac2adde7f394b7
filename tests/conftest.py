"""Shared fixtures: the schema set, the repository's example files, and ajv."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
# The build tools are not installed: they are read from the checkout, after the
# installed runtime package (appended, so tools/eightbyeight_events never shadows it).
sys.path.append(str(REPO / "tools"))

from eightbyeight_build.bundle import bundle  # noqa: E402
from eightbyeight_events.schemas import SchemaSet, load_schemas  # noqa: E402

EXAMPLES = REPO / "examples"
REFERENCE_EXAMPLES = REPO.parent / "shared" / "reference" / "examples"


def mypy_strict(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """``mypy --strict TARGETS`` run in ``folder``, as a consumer of the package would."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *targets],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def valid_example_paths() -> list[Path]:
    return sorted((EXAMPLES / "vendor").glob("*.json")) + sorted((EXAMPLES / "ours").glob("*.json"))


def frame_example_paths() -> list[Path]:
    return sorted((EXAMPLES / "frames").glob("*.json"))


def invalid_example_paths() -> list[Path]:
    return sorted((EXAMPLES / "invalid").glob("*.json"))


@pytest.fixture(scope="session")
def schemas() -> SchemaSet:
    return load_schemas()


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is required (README: Quick start); install Node.js 20 or later")
    if not (REPO / "node_modules" / "ajv").is_dir():
        pytest.fail("node_modules is missing: run `npm ci` (nox -s tests does it for you)")
    return found


AjvRun = Callable[[SchemaSet, str, list[Any]], list[list[dict[str, str]]]]


@pytest.fixture(scope="session")
def run_ajv(node: str, tmp_path_factory: pytest.TempPathFactory) -> AjvRun:
    """Validate instances with ajv (strict mode) against one schema of a bundle."""

    def run(
        schema_set: SchemaSet, relative_path: str, instances: list[Any]
    ) -> list[list[dict[str, str]]]:
        bundle_file = tmp_path_factory.mktemp("ajv") / "bundle.schema.json"
        bundle_file.write_text(json.dumps(bundle(schema_set)), encoding="utf-8")
        completed = subprocess.run(
            [
                node,
                str(REPO / "tools" / "js" / "ajv-validate.mjs"),
                str(bundle_file),
                schema_set.uri(relative_path),
            ],
            input="".join(json.dumps(instance) + "\n" for instance in instances),
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO,
        )
        assert completed.returncode == 0, completed.stderr
        return [json.loads(line) for line in completed.stdout.splitlines()]

    return run

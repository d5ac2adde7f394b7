"""The wheel is the runtime package alone, and works on its own in a fresh environment.

It is built, installed into a new virtual environment beside nothing but
the pinned runtime dependencies, and then used as a consumer would: every
module imported, the public API called, the command run, and a consumer
type-checked with ``mypy --strict`` against the installed copy.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from eightbyeight_events import _HOMES, __version__
from eightbyeight_events import __all__ as public_names


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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh virtual environment holding the wheel and the runtime pins."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REPO / "requirements" / "runtime.txt"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return python


def test_wheel_holds_the_runtime_package_its_schemas_and_models_only(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        models = archive.read("eightbyeight_events/models.py")
    shipped = {name for name in names if name.startswith("eightbyeight_events/schemas/")}
    expected = {
        "eightbyeight_events/schemas/" + path.relative_to(REPO / "schemas").as_posix()
        for path in (REPO / "schemas").rglob("*.json")
    }
    assert shipped == expected
    assert models == (REPO / "generated" / "python" / "models.py").read_bytes()
    assert "eightbyeight_events/py.typed" in names
    licences = [name for name in names if name.endswith(".dist-info/licenses/LICENSE")]
    assert licences, sorted(names)
    packages = {name.split("/")[0] for name in names if not name.startswith("8x8_")}
    assert packages == {"eightbyeight_events"}  # no build tools, no tests
    build_tools = {path.stem for path in (REPO / "tools" / "eightbyeight_build").glob("*.py")}
    shipped_modules = {Path(name).stem for name in names if name.endswith(".py")}
    assert not (build_tools - {"__init__"}) & shipped_modules


IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
import eightbyeight_events as package
found = pkgutil.walk_packages(package.__path__, "eightbyeight_events.")
# __main__ runs the command when imported: that is its job, tested on its own
names = sorted(m.name for m in found if not m.name.endswith(".__main__"))
# the testing extra's modules need pytest or hypothesis, and say so
extra = {"eightbyeight_events.testing.pytest_plugin": "pytest",
         "eightbyeight_events.testing.strategies": "hypothesis"}
for name in names:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if extra.get(name) != error.name:
            raise
print(package.__file__)
print(len(names))
print(",".join(sorted(name for name in package.__all__ if getattr(package, name, None) is None)))
s = package.load_schemas()
print(len(s.documents), len(package.event_types(s)))
print(type(package.parse_event(b'{"AgentStatusChange": {"agentId": "ag1"}}')).__name__)
print(package.validate_event({"Presence": {}}).status)
"""


def test_every_module_imports_in_a_fresh_environment_with_runtime_dependencies_only(
    installed: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(installed), "-I", "-c", IMPORT_EVERY_MODULE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    location, modules, missing, counts, parsed, status = result.stdout.splitlines()
    assert Path(location).is_relative_to(installed.parents[1])  # not the checkout
    assert int(modules) >= 20
    assert missing == ""  # every name of __all__ resolves
    assert counts == f"{len(list((REPO / 'schemas').rglob('*.schema.json')))} 31"
    assert parsed == "AgentStatusChange"
    assert status == "unknown"


def test_the_installed_command_reports_its_version_and_validates(
    installed: Path, tmp_path: Path
) -> None:
    command = installed.parent / "8x8-events"
    version = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"8x8-events {__version__}"
    capture = REPO / "examples" / "captures" / "sample.jsonl"
    checked = subprocess.run(
        [str(command), "validate", str(capture)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Result: passed" in checked.stdout


CONSUMER = """
from eightbyeight_events import EventError, Verdict, parse_event, to_dict, validate_event
from eightbyeight_events.models import Event, InteractionQueued


def queue_of(line: bytes) -> int | None:
    try:
        event: Event = parse_event(line)
    except EventError as error:
        print(error.pointer)
        return None
    if isinstance(event, InteractionQueued):
        return event.queueId
    return len(to_dict(event))


verdict: Verdict = validate_event(b"{}")
status: str = verdict.status
"""


def mypy_strict(consumer: str, python: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    (folder / "consumer.py").write_text(consumer, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            str(python),
            "consumer.py",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_consumer_type_checks_under_mypy_strict_against_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    passing = mypy_strict(CONSUMER, installed, tmp_path)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    # and the types are real, not Any: a wrong use is caught
    failing = mypy_strict(CONSUMER + "wrong: int = verdict.status\n", installed, tmp_path)
    assert failing.returncode == 1
    assert 'Incompatible types in assignment (expression has type "Literal' in failing.stdout


def test_every_public_name_has_one_home_and_is_listed() -> None:
    """``__all__`` (what mypy and star-imports see) and the lazy import table agree."""
    assert len(public_names) == len(set(public_names))
    assert set(public_names) == {*_HOMES, "__version__"}

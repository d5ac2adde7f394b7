"""Project tasks. Every session installs from the pinned files in requirements/.

nox -s validate [-- PATH ...]   validate captures (default: the bundled sample)
nox -s tests                    the whole test suite (what CI runs)
nox -s generate                 rebuild everything in generated/ from schemas/
nox -s lint                     ruff and mypy --strict
nox -s bench                    speed and memory, side by side
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["validate"]

REPO = Path(__file__).parent
PYTHON = "3"
SAMPLE_CAPTURES = Path("examples") / "captures"
BUILD_TOOLS = {"PYTHONPATH": "tools"}
"""The build tools (tools/eightbyeight_build) are run from the checkout, never installed."""


def install_project(session: nox.Session, requirements: str) -> None:
    """Pinned dependencies first, then the project itself as a wheel would be installed."""
    session.install("-r", f"requirements/{requirements}.txt")
    session.install("--no-deps", "--force-reinstall", ".")


def install_node_packages(session: nox.Session) -> None:
    if shutil.which("npm") is None:
        session.error("npm is missing: install Node.js 20 or later (README: Quick start)")
    lock = REPO / "package-lock.json"
    stamp = REPO / "node_modules" / ".package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Validate captures; with no arguments, the bundled sample capture."""
    install_project(session, "runtime")
    session.run("8x8-events", "validate", *(session.posargs or [str(SAMPLE_CAPTURES)]))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole suite: contract tests, validator, generators, docs and browser tests."""
    install_project(session, "tests")
    install_node_packages(session)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from schemas/ (commit the result)."""
    install_project(session, "tests")
    install_node_packages(session)
    session.run("python", "-m", "eightbyeight_build.generate", "generated", env=BUILD_TOOLS)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the documentation site with mkdocs --strict into site/; `-- serve` serves it."""
    install_project(session, "docs")
    install_node_packages(session)
    env = {"NO_MKDOCS_2_WARNING": "1"}
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env=env)
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs, env=env)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    install_project(session, "tests")
    session.run("ruff", "check", "tools", "tests", "examples/consumer", "noxfile.py")
    session.run("ruff", "format", "--check", "tools", "tests", "examples/consumer", "noxfile.py")
    session.run("mypy", "--strict", "tools/eightbyeight_events", "tools/eightbyeight_build")
    install_node_packages(session)
    session.run(
        "node_modules/.bin/prettier",
        "--check",
        "tools/ts",
        "tools/js",
        "examples/consumer",
        external=True,
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed and memory targets, printed side by side (see tools/eightbyeight_build/bench.py)."""
    install_project(session, "tests")
    install_node_packages(session)
    session.run("python", "-m", "eightbyeight_build.bench", *session.posargs, env=BUILD_TOOLS)

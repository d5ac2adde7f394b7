"""Regenerate everything derived from ``schemas/`` into one output folder.

``nox -s generate`` writes into ``generated/``; the freshness test writes
into a temporary folder and compares, so a stale tree fails CI with the
command that fixes it. Run from the repository: the Python generator reads
its settings from ``pyproject.toml`` and the TypeScript one runs from
``node_modules``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from eightbyeight_build.bundle import BUNDLE_NAME, bundle
from eightbyeight_build.codegen_view import python_view, typescript_view
from eightbyeight_build.typescript_package import write_package
from eightbyeight_events.schemas import load_schemas

VIEW = "schema.json"


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def python_models(out: Path, repo: Path) -> list[Path]:
    view = write_json(out / "python" / VIEW, python_view(load_schemas()))
    models = out / "python" / "models.py"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(view),
            "--output",
            str(models),
        ],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return [view, models]


def typescript_types(out: Path, repo: Path) -> list[Path]:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is needed to generate the TypeScript package")
    folder = out / "typescript"
    view = write_json(folder / VIEW, typescript_view(load_schemas()))
    declarations = folder / "index.d.ts"
    subprocess.run(
        [node, str(repo / "tools" / "js" / "generate-types.mjs"), str(view), str(declarations)],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return [view, declarations, *write_package(folder)]


def generate(out: Path, repo: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [write_json(out / BUNDLE_NAME, bundle(load_schemas()))]
    written += python_models(out, repo)
    written += typescript_types(out, repo)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write into, normally generated/")
    parser.add_argument(
        "--repo", type=Path, default=Path.cwd(), help="the repository (default: the current folder)"
    )
    arguments = parser.parse_args(argv)
    for path in generate(arguments.out, arguments.repo):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

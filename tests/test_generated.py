"""generated/ must be exactly what the generators make from schemas/ now."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO
from eightbyeight_build.generate import generate

FIX = "generated/ is stale: run `nox -s generate` and commit generated/"


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "node_modules" not in path.parts
    }


def test_generated_tree_is_fresh(tmp_path: Path) -> None:
    generate(tmp_path / "generated", REPO)
    fresh, committed = tree(tmp_path / "generated"), tree(REPO / "generated")
    problems = [f"missing: {name}" for name in fresh.keys() - committed.keys()]
    problems += [f"no longer generated: {name}" for name in committed.keys() - fresh.keys()]
    problems += [
        f"stale: {name}"
        for name in fresh.keys() & committed.keys()
        if fresh[name] != committed[name]
    ]
    assert sorted(problems) == [], FIX


def test_the_package_reads_the_generated_models_through_a_link() -> None:
    """A copy would go stale silently the next time the models are generated."""
    for name in ("models.py", "events.py"):
        link = REPO / "tools" / "eightbyeight_events" / name
        assert link.is_symlink(), f"{link} must link to generated/python/{name}"
        assert link.resolve() == (REPO / "generated" / "python" / name).resolve()

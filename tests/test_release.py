"""The release gate: the tree as it is passes it, and each way a change can outrun its version
fails it with a message naming the change and the bump it needs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from eightbyeight_build.release import Tree, check, write_changelog
from eightbyeight_events import __version__
from eightbyeight_events.version import spec_version, version_bump

REAL = Tree.of(REPO)


def test_the_tree_passes_its_own_gate() -> None:
    """A change to schemas/, the documented Python API or the TypeScript declarations that
    says less than it does fails here (and so in CI), with what it needs."""
    problems = check(REAL)
    assert not problems, "\n\n".join(problems)


def test_one_version_everywhere() -> None:
    assert __version__ == spec_version()
    package = json.loads((REPO / "generated" / "typescript" / "package.json").read_text())
    assert package["version"] == __version__
    bundle = json.loads((REPO / "generated" / "8x8-events.bundle.schema.json").read_text())
    assert bundle["$comment"].endswith(f" {__version__}")
    assert f"version: {__version__}" in (REPO / "generated" / "asyncapi.yaml").read_text()


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.0.0", "1.0.0", "none"),
        ("1.0.0", "1.0.1", "patch"),
        ("1.0.0", "1.1.0", "minor"),
        ("1.4.2", "2.0.0", "major"),
        ("1.0.0", "1.1.0-rc.1", "minor"),
        ("1.1.0", "1.0.9", None),
    ],
)
def test_version_bump(old: str, new: str, bump: str | None) -> None:
    assert version_bump(old, new) == bump


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """A copy of the schemas and the changelog, against the real baseline and APIs."""
    shutil.copytree(REAL.schemas, tmp_path / "schemas")
    shutil.copyfile(REAL.changelog, tmp_path / "changelog.md")
    return replace(REAL, schemas=tmp_path / "schemas", changelog=tmp_path / "changelog.md")


def edit(path: Path, change: Callable[[Any], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def set_version(tree: Tree, version: str) -> None:
    edit(tree.schemas / "annotations.json", lambda doc: doc.update(specVersion=version))


def codes(tree: Tree, change: Callable[[Any], None]) -> None:
    edit(tree.schemas / "common" / "codes.schema.json", change)


def remove_hold(document: Any) -> None:
    document["$defs"]["callState"]["enum"].remove("CS_HOLD")


def test_an_enum_value_removed_without_a_major_version_fails(tree: Tree) -> None:
    codes(tree, remove_hold)
    (problem,) = check(tree)
    assert problem.startswith("schemas/ changed since release 1.0.0 in a way that needs a major")
    assert "needs a major version, and the version is 1.0.0 (unchanged)" in problem
    assert "to 2.0.0 or later" in problem
    assert "ENUM_ARRAY_NARROWED common/codes.schema.json#/$defs/callState/enum" in problem
    assert '`callState` loses "CS_HOLD"' in problem
    set_version(tree, "1.1.0")
    assert "needs a major version, and the version is 1.1.0 (a minor version)" in check(tree)[0]


def test_a_major_version_needs_its_changelog_entry_and_table(tree: Tree) -> None:
    codes(tree, remove_hold)
    set_version(tree, "2.0.0")
    assert check(tree) == ["docs/changelog.md has no entry for 2.0.0 (a heading '## 2.0.0')"]
    text = tree.changelog.read_text(encoding="utf-8")
    tree.changelog.write_text(text.replace("## 1.0.0\n", "## 2.0.0\n\n- callState\n\n## 1.0.0\n"))
    (problem,) = check(tree)
    assert "lacks the compatibility table `8x8-events diff` prints for 1.0.0 → 2.0.0" in problem
    write_changelog(tree)
    assert check(tree) == []
    entry = tree.changelog.read_text(encoding="utf-8").split("## 2.0.0", 1)[1].split("## 1.0.0")[0]
    assert "### Compatibility: 1.0.0 → 2.0.0" in entry
    assert "ENUM_ARRAY_NARROWED" in entry
    assert "- callState" in entry  # the maintainer's notes stay
    # a further change makes the table stale
    codes(tree, lambda doc: doc["$defs"]["callState"]["enum"].remove("CS_IDLE"))
    assert "out of date" in check(tree)[0]
    write_changelog(tree)
    assert check(tree) == []


@pytest.mark.parametrize(
    ("change", "needs", "enough"),
    [
        (lambda doc: doc["$defs"]["callState"]["enum"].append("CS_PARKED"), "minor", "1.1.0"),
        (lambda doc: doc["$defs"]["callState"].update(description="Reworded."), "patch", "1.0.1"),
    ],
    ids=["enum-extended", "description"],
)
def test_smaller_changes_need_smaller_versions(
    tree: Tree, change: Callable[[Any], None], needs: str, enough: str
) -> None:
    codes(tree, change)
    assert f"needs a {needs} version, and the version is 1.0.0 (unchanged)" in check(tree)[0]
    set_version(tree, enough)
    write_changelog(tree)
    assert check(tree) == []


def test_adding_an_event_type_entry_is_written_at_the_top(tree: Tree) -> None:
    codes(tree, lambda doc: doc["$defs"]["callState"]["enum"].append("CS_PARKED"))
    set_version(tree, "1.1.0")
    write_changelog(tree)
    text = tree.changelog.read_text(encoding="utf-8")
    assert text.index("## 1.1.0") < text.index("## 1.0.0")
    assert check(tree) == []


def test_a_version_going_back_fails(tree: Tree) -> None:
    set_version(tree, "0.9.0")
    assert check(tree) == [
        "the version 0.9.0 (schemas/annotations.json) is not after the last release 1.0.0"
    ]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def tools_copy(tmp_path: Path) -> Path:
    tools = tmp_path / "tools"
    shutil.copytree(REAL.tools / "eightbyeight_events", tools / "eightbyeight_events")
    return tools


def test_a_python_signature_change_needs_a_major_version(tree: Tree, tmp_path: Path) -> None:
    tools = tools_copy(tmp_path)
    loader = tools / "eightbyeight_events" / "loader.py"
    replace_in(loader, "def parse_event(", "def parse_event(required_now: int, ")
    (problem,) = check(replace(tree, tools=tools))
    assert problem.startswith("the public API changed since release 1.0.0")
    assert "API: eightbyeight_events.parse_event" in problem
    assert "required_now" in problem


def test_a_typescript_export_removed_needs_a_major_version(tree: Tree, tmp_path: Path) -> None:
    typescript = tmp_path / "typescript"
    shutil.copytree(REAL.typescript, typescript, ignore=shutil.ignore_patterns("cjs", "*.js"))
    replace_in(
        typescript / "parse.d.ts",
        "export declare function parseFrame(",
        "declare function parseFrame(",
    )
    replace_in(
        typescript / "normal.d.ts",
        "export interface Disposition {",
        "export interface Disposition {\n    added: string;",
    )
    (problem,) = check(replace(tree, typescript=typescript))
    assert "API: 8x8-event-types/parse parseFrame: removed" in problem
    assert "API: 8x8-event-types/normal Disposition: member added added, required" in problem


def test_a_field_gone_from_the_generated_models_needs_a_major_version(
    tree: Tree, tmp_path: Path
) -> None:
    """No longer declaring a field is BACKWARD for the schemas (the object takes any field),
    but the models lose the attribute a consumer's code reads."""
    tools = tools_copy(tmp_path)
    replace_in(
        tools / "eightbyeight_events" / "models.py", "    priority: Omittable[int] = None\n", ""
    )
    (problem,) = check(replace(tree, tools=tools))
    assert "needs a major version" in problem
    assert ".priority: Public object was removed" in problem

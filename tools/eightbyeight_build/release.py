"""The release gate of the spec: what changed since the last release, and whether the version
and the changelog say so.

The last release is recorded in ``release/baseline/``: its bundle, the public API of the
Python package (griffe's dump) and that of the npm package's entry modules. The test suite
runs ``check``; it fails when the spec, the Python API or the TypeScript declarations changed
more than the version says (anything not BACKWARD compatible, or any removed or changed
signature, needs a major version; any other change of what validates, a minor one;
descriptions, a patch), or when ``docs/changelog.md`` has no entry for the version, or the
entry's compatibility table is not what ``8x8-events diff --format markdown`` prints.

    python -m eightbyeight_build.release check       what the test suite runs
    python -m eightbyeight_build.release changelog   write the new version's table
    python -m eightbyeight_build.release record      when cutting a release
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import griffe

from eightbyeight_build.bundle import BUNDLE_NAME
from eightbyeight_build.typescript_package import RUNTIME_MODULES
from eightbyeight_events.specdiff.judge import Report, diff_specs
from eightbyeight_events.specdiff.kinds import Policy
from eightbyeight_events.specdiff.render import as_markdown
from eightbyeight_events.specdiff.sources import read_spec
from eightbyeight_events.version import BUMPS, Bump, next_version, version_bump

REPO = Path(__file__).resolve().parents[2]
POLICY: Policy = "lenient"
"""This spec's objects stay open on purpose (the service adds fields): declaring a field it
already sends is an addition, not a break."""
API_PAGE = Path("docs") / "api" / "python.md"
"""What the Python API promises is what its reference page documents …"""
MODEL_MODULES = ("eightbyeight_events.models", "eightbyeight_events.events")
"""… and the generated models: a field or a type gone from them breaks a consumer's code
even where the schemas stay BACKWARD compatible (a field no longer declared)."""
SCHEMA_TYPES = "index"
"""The npm package's module of the types generated from the schemas: its interfaces are
checked; its unions (of event types, of code values) grow with the spec, which the schema
comparison judges."""
TABLE_START = "<!-- compatibility: written by `python -m eightbyeight_build.release changelog` -->"
TABLE_END = "<!-- end of compatibility -->"


@dataclass(frozen=True)
class Tree:
    """The parts of a checkout the gate reads (a test points them at copies)."""

    schemas: Path
    changelog: Path
    baseline: Path
    tools: Path
    api_page: Path
    typescript: Path

    @classmethod
    def of(cls, repo: Path) -> Tree:
        return cls(
            schemas=repo / "schemas",
            changelog=repo / "docs" / "changelog.md",
            baseline=repo / "release" / "baseline",
            tools=repo / "tools",
            api_page=repo / API_PAGE,
            typescript=repo / "generated" / "typescript",
        )


# -- the public APIs -----------------------------------------------------------------------


def python_api(tree: Tree) -> dict[str, Any]:
    """The documented objects (the names of ``eightbyeight_events`` and the modules the API
    page documents whole), as griffe's JSON."""
    package = griffe.load(
        "eightbyeight_events",
        search_paths=[tree.tools],
        allow_inspection=False,
        resolve_aliases=True,
        resolve_external=False,
    )
    surface: dict[str, Any] = {}
    for module in [*_documented_modules(tree.api_page), *MODEL_MODULES]:
        target = package if module == "eightbyeight_events" else package[module.split(".", 1)[1]]
        # member by member: a dump of a whole module holds aliases it cannot resolve again
        for name, member in target.members.items():
            public = name in target.exports if target.exports is not None else member.is_public
            if public and name != "__version__" and (member.is_alias or not member.is_module):
                real = member.final_target if isinstance(member, griffe.Alias) else member
                dump = real.as_json()
                surface[f"{module}.{name}"] = json.loads(dump)
    return surface


def _documented_modules(page: Path) -> list[str]:
    return re.findall(r"^::: (\S+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE)


def python_breaks(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """griffe's breaking changes between two dumps of ``python_api``: each object is set in a
    module of its own dotted path, which is what griffe compares (members, not the object)."""
    return [
        _explain(breakage) for breakage in griffe.find_breaking_changes(_holder(old), _holder(new))
    ]


def _explain(breakage: griffe.Breakage) -> str:
    """``path(parameter): what broke``, in plain text (griffe's own adds colours)."""
    parameter = next(
        (v for v in (breakage.old_value, breakage.new_value) if isinstance(v, griffe.Parameter)),
        None,
    )
    where = breakage.obj.path.removeprefix("api.")
    return f"{where}{f'({parameter.name})' if parameter else ''}: {breakage.kind.value}"


def _holder(surface: dict[str, Any]) -> griffe.Module:
    holder = griffe.Module("api")
    for path, dump in surface.items():
        member = json.loads(json.dumps(dump), object_hook=griffe.json_decoder)
        member.name = path
        holder.members[path] = member
        member.parent = holder
    return holder


def typescript_api(tree: Tree) -> dict[str, Any]:
    """The entry modules' exports and their signatures as written (tools/js/ts-surface.mjs)."""
    script = Path(__file__).resolve().parents[1] / "js" / "ts-surface.mjs"
    done = subprocess.run(
        ["node", str(script), str(tree.typescript), SCHEMA_TYPES, *RUNTIME_MODULES],
        capture_output=True,
        text=True,
        check=True,
    )
    surface: dict[str, Any] = json.loads(done.stdout)
    return surface


def typescript_breaks(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What a consumer compiled against ``old`` could trip on: an export gone or of another
    kind, a changed parameter or return type, a new required parameter or member, a member
    gone or made optional."""
    breaks = []
    for module, exports in old.items():
        for name, before in exports.items():
            where = f"8x8-event-types/{module} {name}"
            after = new.get(module, {}).get(name)
            if module == SCHEMA_TYPES and before["kind"] == "type":
                continue
            if after is None:
                breaks.append(f"{where}: removed")
            elif after["kind"] != before["kind"]:
                breaks.append(f"{where}: was a {before['kind']}, is a {after['kind']}")
            else:
                breaks += [f"{where}: {what}" for what in _declaration_breaks(before, after)]
    return breaks


def _declaration_breaks(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for key in ("type", "typeParameters", "extends"):
        if before.get(key) != after.get(key):
            found.append(f"{key} {before.get(key)} → {after.get(key)}")
    if "overloads" in before:
        found += _overload_breaks(before["overloads"], after["overloads"])
    for member, was in before.get("members", {}).items():
        now = after["members"].get(member)
        if now is None:
            found.append(f"member {member} removed")
        elif now["kind"] != was["kind"]:
            found.append(f"member {member} was a {was['kind']}, is a {now['kind']}")
        elif "overloads" in was:
            found += [
                f"{member}: {what}" for what in _overload_breaks(was["overloads"], now["overloads"])
            ]
        elif (was["type"], was["optional"]) != (now["type"], now["optional"]):
            found.append(f"member {member} {_member(was)} → {_member(now)}")
    for member, now in after.get("members", {}).items():
        if (
            member not in before.get("members", {})
            and now["kind"] == "property"
            and not now["optional"]
        ):
            found.append(f"member {member} added, required")
    return found


def _member(member: dict[str, Any]) -> str:
    return f"{'?' if member['optional'] else ''}: {member['type']}"


def _overload_breaks(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """Every old overload must still be there as written, or extended by optional parameters."""

    def accepts(new: dict[str, Any], old: dict[str, Any]) -> bool:
        shared = len(old["parameters"])
        extra = new["parameters"][shared:]
        return (
            new["typeParameters"] == old["typeParameters"]
            and new["returns"] == old["returns"]
            and new["parameters"][:shared] == old["parameters"]
            and all(parameter["optional"] or parameter["rest"] for parameter in extra)
        )

    return [
        f"signature ({', '.join(p['type'] for p in old['parameters'])}) => {old['returns']} changed"
        for old in before
        if not any(accepts(new, old) for new in after)
    ]


# -- the gate ------------------------------------------------------------------------------


def baseline_version(tree: Tree) -> str:
    version = read_spec(str(tree.baseline / BUNDLE_NAME)).version
    if version is None:
        raise ValueError(f"{tree.baseline / BUNDLE_NAME} names no spec version")
    return version


def spec_report(tree: Tree) -> Report:
    return diff_specs(
        read_spec(str(tree.baseline / BUNDLE_NAME)), read_spec(str(tree.schemas)), POLICY
    )


def check(tree: Tree) -> list[str]:
    """Every way the tree disagrees with its version; empty when it may be released."""
    report = spec_report(tree)
    old, new = baseline_version(tree), report.new.version or "(none)"
    actual = version_bump(old, new)
    if actual is None:
        return [f"the version {new} (schemas/annotations.json) is not after the last release {old}"]
    api = python_breaks(
        _read(tree.baseline / "python-api.json"), python_api(tree)
    ) + typescript_breaks(_read(tree.baseline / "typescript-api.json"), typescript_api(tree))
    needed = "major" if api else report.bump
    problems = []
    if BUMPS.index(actual) < BUMPS.index(needed):
        what = [
            f"  {f.change.kind} {f.change.pointer}: {f.message}"
            for f in report.findings
            if _demands(f.backward, f.forward, f.annotation, needed)
        ] + [f"  API: {line}" for line in api]
        changed = " and ".join(
            part for part, yes in (("schemas/", report.findings), ("the public API", api)) if yes
        )
        problems.append(
            f"{changed} changed since release {old} in a way that needs a "
            f"{needed} version, and the version is {new} ({_bump_words(actual)}). Set specVersion "
            f"in schemas/annotations.json to {next_version(old, needed)} or later, or undo:\n"
            + "\n".join(what)
        )
    problems += _changelog_problems(tree, report, old, new)
    return problems


def _demands(backward: bool, forward: bool, annotation: bool, needed: Bump) -> bool:
    if needed == "major":
        return not backward
    if needed == "minor":
        return not forward or not annotation
    return True


def _bump_words(bump: Bump) -> str:
    return "unchanged" if bump == "none" else f"a {bump} version"


def _section(changelog: str, version: str) -> str | None:
    match = re.search(rf"^## {re.escape(version)}\b.*?(?=^## |\Z)", changelog, flags=re.M | re.S)
    return match[0] if match else None


def _changelog_problems(tree: Tree, report: Report, old: str, new: str) -> list[str]:
    section = _section(tree.changelog.read_text(encoding="utf-8"), new)
    if section is None:
        return [f"docs/changelog.md has no entry for {new} (a heading '## {new}')"]
    if new == old:
        return []
    if _table(report) not in section:
        return [
            f"the {new} entry of docs/changelog.md lacks the compatibility table "
            f"`8x8-events diff` prints for {old} → {new}, or it is out of date: run "
            "python -m eightbyeight_build.release changelog"
        ]
    return []


def _table(report: Report) -> str:
    """The compatibility table of a changelog entry, between the markers that find it again."""
    return f"{TABLE_START}\n{as_markdown(report)}{TABLE_END}"


def write_changelog(tree: Tree) -> str:
    """Put the new version's compatibility table into its changelog entry (adding the entry
    at the top when there is none); the version written for."""
    report = spec_report(tree)
    new = report.new.version or ""
    table = _table(report)
    text = tree.changelog.read_text(encoding="utf-8")
    section = _section(text, new)
    if section is None:
        first = re.search(r"^## ", text, flags=re.M)
        at = first.start() if first else len(text)
        text = f"{text[:at]}## {new}\n\n{table}\n\n{text[at:]}"
    elif TABLE_START in section:
        start, end = section.index(TABLE_START), section.index(TABLE_END) + len(TABLE_END)
        text = text.replace(section, section[:start] + table + section[end:], 1)
    else:
        heading_end = section.index("\n") + 1
        text = text.replace(
            section, f"{section[:heading_end]}\n{table}\n{section[heading_end:]}", 1
        )
    tree.changelog.write_text(text, encoding="utf-8")
    return new


def record(tree: Tree, bundle_file: Path) -> None:
    """Make this tree the last release: its bundle and both APIs become the baseline."""
    tree.baseline.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle_file, tree.baseline / BUNDLE_NAME)
    _write(tree.baseline / "python-api.json", python_api(tree))
    _write(tree.baseline / "typescript-api.json", typescript_api(tree))


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    tree = Tree.of(REPO)
    command = argv[0] if argv else "check"
    if command == "record":
        record(tree, REPO / "generated" / BUNDLE_NAME)
        print(f"recorded {baseline_version(tree)} in {tree.baseline}")
        return 0
    if command == "changelog":
        version = write_changelog(tree)
        print(f"wrote the compatibility table of {version} into {tree.changelog}")
        return 0
    problems = check(tree)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

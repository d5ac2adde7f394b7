"""``8x8-events diff`` on our own schemas: mutations a maintainer could make, each with its
expected class; every way of naming a side (folder, bundle, file, git revision); every
output form; and the exit codes a CI gates on."""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from eightbyeight_events.cli import main
from eightbyeight_events.readers import UsageError
from eightbyeight_events.specdiff.judge import Report, diff_specs
from eightbyeight_events.specdiff.render import FORMATS, render
from eightbyeight_events.specdiff.sources import Spec, read_spec, spec_of

SCHEMAS = REPO / "schemas"
BUNDLE = REPO / "generated" / "8x8-events.bundle.schema.json"
INTERACTION_EVENTS = 24


@pytest.fixture(scope="module")
def ours() -> Spec:
    return read_spec(str(SCHEMAS))


def mutated(spec: Spec) -> Spec:
    return Spec("mutated", copy.deepcopy(spec.documents), spec.version)


def kinds(report: Report) -> list[str]:
    return [finding.change.kind for finding in report.findings]


def remove_event_type(spec: Spec, name: str) -> None:
    del spec.documents[f"events/{name}.schema.json"]
    union = spec.documents["event.schema.json"]
    union["allOf"] = [b for b in union["allOf"] if name not in json.dumps(b.get("then"))]
    union["properties"]["Interaction"]["properties"]["event"]["enum"].remove(name)


def add_event_type(spec: Spec, name: str, like: str) -> None:
    document = json.loads(
        json.dumps(spec.documents[f"events/{like}.schema.json"]).replace(like, name)
    )
    spec.documents[f"events/{name}.schema.json"] = document
    union = spec.documents["event.schema.json"]
    branch = next(b for b in union["allOf"] if like in json.dumps(b.get("then")))
    union["allOf"].append(json.loads(json.dumps(branch).replace(like, name)))
    union["properties"]["Interaction"]["properties"]["event"]["enum"].append(name)


def test_our_schemas_equal_themselves_and_their_bundle(ours: Spec) -> None:
    assert diff_specs(ours, ours).findings == ()
    assert diff_specs(ours, read_spec(str(BUNDLE))).findings == ()


def test_an_enum_value_removed_is_one_change_that_reaches_every_interaction_event(
    ours: Spec,
) -> None:
    new = mutated(ours)
    new.documents["common/codes.schema.json"]["$defs"]["callState"]["enum"].remove("CS_HOLD")
    report = diff_specs(ours, new)
    (finding,) = report.findings
    assert finding.change.kind == "ENUM_ARRAY_NARROWED"
    assert finding.change.pointer == "common/codes.schema.json#/$defs/callState/enum"
    assert finding.change.before == ["CS_HOLD"]
    assert len(finding.events) == INTERACTION_EVENTS
    assert "InteractionQueued" in finding.events
    assert "AgentStatusChange" not in finding.events
    assert (report.backward, report.forward, report.bump) == (False, True, "major")
    assert report.events["InteractionQueued"].status == "changed"
    assert "AgentStatusChange" not in report.events


def test_a_required_field_added_is_breaking(ours: Spec) -> None:
    new = mutated(ours)
    new.documents["common/interaction.schema.json"]["required"].append("callState")
    report = diff_specs(ours, new)
    assert kinds(report) == ["REQUIRED_ATTRIBUTE_ADDED"]
    assert report.findings[0].change.after == "callState"
    assert report.bump == "major"


def test_a_field_widened_is_a_minor_change(ours: Spec) -> None:
    new = mutated(ours)
    new.documents["common/interaction.schema.json"]["properties"]["priority"]["type"] = "number"
    report = diff_specs(ours, new)
    assert kinds(report) == ["TYPE_EXTENDED"]
    assert report.findings[0].change.pointer.endswith("/properties/priority/type")
    assert (report.backward, report.forward, report.bump) == (True, False, "minor")


def test_an_event_type_removed_is_breaking_for_that_event_type_only(ours: Spec) -> None:
    new = mutated(ours)
    remove_event_type(new, "RecordingStatus")
    report = diff_specs(ours, new)
    assert sorted(kinds(report)) == ["ENUM_ARRAY_NARROWED", "SUM_TYPE_NARROWED"]
    assert {finding.events for finding in report.findings} == {("RecordingStatus",)}
    assert report.events["RecordingStatus"].status == "removed"
    assert list(report.events) == ["RecordingStatus"]
    assert report.bump == "major"
    assert any("RecordingStatus is gone" in f.message for f in report.findings)


def test_an_event_type_added_is_a_minor_change(ours: Spec) -> None:
    new = mutated(ours)
    add_event_type(new, "InteractionParked", like="InteractionQueued")
    report = diff_specs(ours, new)
    assert sorted(kinds(report)) == ["ENUM_ARRAY_EXTENDED", "SUM_TYPE_EXTENDED"]
    assert report.events["InteractionParked"].status == "added"
    assert (report.backward, report.forward, report.bump) == (True, False, "minor")


def test_a_description_reworded_is_a_patch(ours: Spec) -> None:
    new = mutated(ours)
    new.documents["common/codes.schema.json"]["$defs"]["callState"]["description"] += " Also."
    report = diff_specs(ours, new)
    assert kinds(report) == ["DESCRIPTION_CHANGED"]
    assert (report.full, report.bump) == (True, "patch")


def test_a_documented_field_added_to_an_open_object_depends_on_the_policy(ours: Spec) -> None:
    new = mutated(ours)
    new.documents["common/interaction.schema.json"]["properties"]["parkedBy"] = {
        "description": "Who parked the interaction.",
        "type": "string",
    }
    strict, lenient = diff_specs(ours, new, "strict"), diff_specs(ours, new, "lenient")
    assert kinds(strict) == ["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
    assert (strict.bump, lenient.bump) == ("major", "minor")
    assert len(strict.findings[0].events) == INTERACTION_EVENTS


def test_a_definition_added_or_removed_that_no_event_uses(ours: Spec) -> None:
    new = mutated(ours)
    definitions = new.documents["common/codes.schema.json"]["$defs"]
    definitions["parkReason"] = {"title": "ParkReason", "description": "x", "type": "string"}
    report = diff_specs(ours, new)
    assert kinds(report) == ["DEFINITION_ADDED"]
    assert report.findings[0].events == ()
    assert kinds(diff_specs(new, ours)) == ["DEFINITION_REMOVED"]
    assert diff_specs(new, ours).bump == "major"


# -- the command ---------------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["diff", *arguments])
    out, err = capsys.readouterr()
    return code, out, err


def write_mutated(tmp_path: Path, change: Any) -> Path:
    folder = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, folder)
    path = folder / "common" / "codes.schema.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return folder


def narrow_call_state(document: dict[str, Any]) -> None:
    document["$defs"]["callState"]["enum"].remove("CS_HOLD")


def widen_call_state(document: dict[str, Any]) -> None:
    document["$defs"]["callState"]["enum"].append("CS_PARKED")


def test_json_output_has_changes_classes_and_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_mutated(tmp_path, narrow_call_state)
    code, out, _ = cli(capsys, str(SCHEMAS), str(folder), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["compatibility"] == {"backward": False, "forward": True, "full": False}
    assert report["bump"] == "major"
    (change,) = report["changes"]
    assert change["kind"] == "ENUM_ARRAY_NARROWED"
    assert change["pointer"] == "common/codes.schema.json#/$defs/callState/enum"
    assert (change["backward"], change["forward"]) == (False, True)
    assert "CS_HOLD" in change["message"]
    assert report["events"]["InteractionQueued"]["status"] == "changed"
    assert report["events"]["InteractionQueued"]["kinds"] == ["ENUM_ARRAY_NARROWED"]


@pytest.mark.parametrize(
    ("fail_on", "narrowed", "widened"),
    [
        ("breaking", 1, 0),
        ("backward", 1, 0),
        ("forward", 0, 1),
        ("full", 1, 1),
        ("none", 0, 0),
    ],
)
def test_fail_on_sets_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fail_on: str, narrowed: int, widened: int
) -> None:
    narrow = write_mutated(tmp_path / "n", narrow_call_state)
    widen = write_mutated(tmp_path / "w", widen_call_state)
    assert cli(capsys, str(SCHEMAS), str(narrow), "--fail-on", fail_on)[0] == narrowed
    assert cli(capsys, str(SCHEMAS), str(widen), "--fail-on", fail_on)[0] == widened


def test_text_names_the_change_its_classes_and_what_it_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_mutated(tmp_path, widen_call_state)
    code, out, _ = cli(capsys, str(SCHEMAS), str(folder))
    assert code == 0
    assert "ENUM_ARRAY_EXTENDED  common/codes.schema.json#/$defs/callState/enum" in out
    assert '`callState` gains "CS_PARKED"' in out
    assert "BACKWARD yes · FORWARD no · 24 event types: " in out
    assert out.rstrip().endswith(
        "1 change: BACKWARD yes, FORWARD no, FULL no; needs a minor version. "
        "The versions say less: both are 1.0.0."
    )


def test_markdown_is_a_changelog_section_grouped_by_event_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_mutated(tmp_path, widen_call_state)
    document = folder / "events" / "AgentStatusChange.schema.json"
    schema = json.loads(document.read_text(encoding="utf-8"))
    schema["description"] += " Reworded."
    document.write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    _, out, _ = cli(capsys, str(SCHEMAS), str(folder), "--format", "markdown")
    assert out.startswith("### Compatibility: ")
    assert "| ✅ | ❌ | ❌ |" in out
    assert "#### AgentStatusChange\n" in out
    interaction_heading = next(line for line in out.splitlines() if "InteractionQueued" in line)
    assert interaction_heading.startswith("#### ")
    assert "InteractionCreated" in interaction_heading
    assert "| `ENUM_ARRAY_EXTENDED` | <code>common/codes.schema.json#/$defs/callState/enum" in out


def test_github_annotations_point_at_the_changed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    folder = write_mutated(tmp_path, narrow_call_state)
    code, out, _ = cli(capsys, str(SCHEMAS), str(folder), "--format", "github")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={folder}/common/codes.schema.json,title=")
    assert "ENUM_ARRAY_NARROWED common/codes.schema.json#/$defs/callState/enum" in first
    assert summary.read_text(encoding="utf-8").startswith("### Compatibility: ")


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "diff.json"
    code, out, _ = cli(
        capsys, str(SCHEMAS), str(BUNDLE), "--format", "json", "--output", str(target)
    )
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["changes"] == []


def test_two_lone_schema_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"type": "object", "properties": {"a": {"type": "integer"}}}))
    new.write_text(json.dumps({"type": "object", "properties": {"a": {"type": "string"}}}))
    code, out, _ = cli(capsys, str(old), str(new))
    assert code == 1
    assert "TYPE_CHANGED  (file)#/properties/a/type" in out


def test_a_lone_file_against_a_folder_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lone = REPO / "generated" / "python" / "schema.json"
    code, out, err = cli(capsys, str(lone), str(SCHEMAS))
    assert (code, out) == (2, "")
    assert f"{lone} is one schema file and {SCHEMAS} a set of schemas" in err
    code, _, err = cli(capsys, str(SCHEMAS), str(lone))
    assert code == 2
    assert f"{lone} is one schema file and {SCHEMAS} a set of schemas" in err


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ("no/such/folder", "no/such/folder: no such file or folder"),
        (
            str(SCHEMAS / "events" / "InteractionQueued.schema.json"),
            "is not among the schemas read",
        ),
    ],
)
def test_a_side_that_cannot_be_read_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], old: str, message: str
) -> None:
    code, out, err = cli(capsys, old, str(SCHEMAS / "events" / "InteractionQueued.schema.json"))
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_not_json_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    code, _, err = cli(capsys, str(broken), str(SCHEMAS))
    assert code == 2
    assert f"{broken}: not JSON" in err


# -- git revisions ------------------------------------------------------------------------


def git(repository: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *arguments],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose last commit removes an enum value."""
    repository = tmp_path / "repo"
    repository.mkdir()
    shutil.copytree(SCHEMAS, repository / "schemas")
    git(repository, "init", "-q")
    git(repository, "add", ".")
    git(repository, "commit", "-qm", "first")
    path = repository / "schemas" / "common" / "codes.schema.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    narrow_call_state(document)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    git(repository, "commit", "-qam", "narrow")
    monkeypatch.chdir(repository / "schemas" / "events")  # anywhere in the checkout
    return repository


def test_git_revisions_are_read_without_a_checkout(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "git:HEAD~1", str(history / "schemas"))
    assert code == 1
    assert "ENUM_ARRAY_NARROWED  common/codes.schema.json#/$defs/callState/enum" in out
    assert cli(capsys, "git:HEAD~1", "git:HEAD:schemas", "--fail-on", "none")[0] == 0
    assert (
        cli(capsys, "git:HEAD", str(history / "schemas"))[1]
        .rstrip()
        .endswith("No change: both accept the same messages and say the same of them.")
    )
    assert git(history, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("side", "message"),
    [
        ("git:no-such-ref", "this checkout has no revision 'no-such-ref' (a shallow clone"),
        ("git:HEAD~5", "this checkout has no revision 'HEAD~5'"),
        ("git:HEAD:nowhere", "no *.schema.json under nowhere/"),
        ("git:", "name a revision"),
    ],
)
def test_a_git_side_that_cannot_be_read_is_a_usage_error(
    history: Path, capsys: pytest.CaptureFixture[str], side: str, message: str
) -> None:
    code, _, err = cli(capsys, side, str(history / "schemas"))
    assert code == 2
    assert message in err


def test_outside_a_repository_git_sides_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = cli(capsys, "git:HEAD", str(SCHEMAS))
    assert code == 2
    assert "not a git repository" in err


# -- what a maintainer could get wrong ------------------------------------------------------


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _nodes(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _nodes(inner, (*path, index))


def _scramble(documents: dict[str, Any], rng: random.Random) -> None:
    """Replace a few subtrees by subtrees taken from elsewhere in the spec, or delete them."""
    fragments = [
        value for document in documents.values() for path, value in _nodes(document) if path
    ]
    for _ in range(rng.randint(1, 4)):
        document = documents[rng.choice(sorted(documents))]
        path = rng.choice([path for path, _ in _nodes(document) if path])
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        if rng.random() < 0.5:
            parent[path[-1]] = copy.deepcopy(rng.choice(fragments))
        else:
            del parent[path[-1]]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_any_scrambled_spec_is_compared_both_ways_or_refused(ours: Spec, seed: int) -> None:
    """A broken side is a UsageError (the meta-schema, a dangling $ref), never a crash; a
    valid one is compared, and NEW against OLD reports the inverse of every change."""
    documents = copy.deepcopy(ours.documents)
    _scramble(documents, random.Random(seed))
    try:
        new = spec_of("scrambled", documents)
        forward, reverse = diff_specs(ours, new), diff_specs(new, ours)
    except UsageError as error:
        refusal = str(error)
    else:
        refusal = ""
    if refusal:
        assert refusal.startswith(("scrambled", str(SCHEMAS)))
        return
    assert Counter(f.change.kind for f in reverse.findings) == Counter(
        f.change.inverse for f in forward.findings
    )
    assert forward.backward == reverse.forward
    for form in FORMATS:
        assert render(forward, form)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": 5}, "not a valid JSON Schema at /type: 5 is not valid"),
        ({"properties": []}, "not a valid JSON Schema at /properties"),
        ({"pattern": "^("}, "not a valid JSON Schema at /pattern: '^(' is not a 'regex'"),
        ({"patternProperties": {"(": {}}}, "at /patternProperties: '(' is not a 'regex'"),
        ({"$ref": "#/$defs/missing"}, "a $ref points at"),
    ],
)
def test_a_schema_that_is_not_one_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: Any, message: str
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(schema))
    code, out, err = cli(capsys, str(broken), str(broken))
    assert (code, out) == (2, "")
    assert f"8x8-events: error: {broken}" in err
    assert message in err


def test_the_report_says_when_the_versions_say_less_than_the_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_mutated(tmp_path, narrow_call_state)
    annotations = folder / "annotations.json"
    document = json.loads(annotations.read_text(encoding="utf-8"))
    document["specVersion"] = "1.1.0"
    annotations.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    _, out, _ = cli(capsys, str(SCHEMAS), str(folder))
    assert out.rstrip().endswith(
        "needs a major version. The versions say less: 1.0.0 → 1.1.0 is a minor step."
    )
    _, out, _ = cli(capsys, str(SCHEMAS), str(folder), "--format", "json")
    assert (json.loads(out)["bump"], json.loads(out)["stated_bump"]) == ("major", "minor")
    document["specVersion"] = "2.0.0"
    annotations.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    _, out, _ = cli(capsys, str(SCHEMAS), str(folder))
    assert out.rstrip().endswith("needs a major version.")

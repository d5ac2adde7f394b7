"""Every form of input people hold, and every input that used to end a run: each is read,
accounted for at the line its message starts on, and described in plain words."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_helpers import SAMPLE, compact, frame, invalid_event_lines, valid_lines, write_lines
from conftest import EXAMPLES, read_json
from eightbyeight_events import iter_capture, validate_capture
from eightbyeight_events.cli import main
from eightbyeight_events.documents import MAX_DEPTH
from eightbyeight_events.readers import expand

COMMAND = [sys.executable, "-m", "eightbyeight_events", "validate"]
AGENT = read_json(EXAMPLES / "vendor" / "event-reference-AgentStatusChange.json")
QUEUED = read_json(EXAMPLES / "vendor" / "event-reference-InteractionQueued.json")


def report(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", "--format", "json", *arguments])
    return code, json.loads(capsys.readouterr().out)


def by_line(result: dict[str, Any]) -> list[tuple[int, str]]:
    return [(entry["line"], entry["status"]) for entry in result["results"]]


def messages(result: dict[str, Any]) -> list[str]:
    return [error["message"] for entry in result["results"] for error in entry["errors"]]


# -- forms ------------------------------------------------------------------


def test_pretty_printed_vendor_examples_read_as_one_message_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, result = report(capsys, str(EXAMPLES / "vendor"), str(EXAMPLES / "frames"))
    assert code == 0
    files = len(list((EXAMPLES / "vendor").glob("*.json"))) + len(
        list((EXAMPLES / "frames").glob("*.json"))
    )
    assert result["summary"]["valid"] == result["summary"]["total"] == files
    assert all(source["messages"] == 1 for source in result["sources"])


def test_every_example_the_project_ships_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    _, result = report(capsys, str(EXAMPLES))
    assert result["summary"]["unreadable"] == 0
    # the counter-example files are cases ({schema, instance, pointer, ...}), not messages
    invalid_cases = len(list((EXAMPLES / "invalid").glob("*.json")))
    assert result["summary"]["invalid"] == invalid_cases


def test_jq_output_rs_sequences_bom_and_concatenation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pretty = json.dumps(AGENT, indent=2)
    text = (
        "\ufeff"
        + pretty
        + "\n"  # jq . prints documents one after another
        + pretty
        + "\n\x1e"
        + json.dumps(QUEUED)
        + "\n"  # RFC 7464
        + json.dumps(AGENT)
        + json.dumps(AGENT)
        + " "
        + json.dumps(AGENT)
        + "\n"  # side by side on one line
    )
    path = tmp_path / "mixed.json"
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    second = lines.index("{", 1) + 1
    code, result = report(capsys, "--all", str(path))
    assert code == 0
    assert by_line(result) == [
        (1, "valid"),
        (second, "valid"),
        (second + len(pretty.splitlines()), "valid"),
        *[(second + len(pretty.splitlines()) + 1, "valid")] * 3,
    ]


def test_an_array_followed_by_more_lines_keeps_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "array-then-lines.json"
    path.write_text(
        json.dumps([AGENT, QUEUED], indent=2) + "\n" + json.dumps(AGENT) + "\n" + "[]\n",
        encoding="utf-8",
    )
    code, result = report(capsys, str(path))
    assert (code, result["summary"]["valid"], result["summary"]["total"]) == (0, 3, 3)


def test_events_and_frames_are_told_apart_per_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sneaky = json.loads(json.dumps(QUEUED))
    sneaky["Interaction"]["attachedData"]["attachedDatum"][0]["attachedDataKey"] = (
        '"messageId" "payload"'
    )
    lines = [
        b"garbage first line",
        compact(AGENT),
        frame(compact(AGENT)),
        compact(sneaky),
        frame(compact(QUEUED)),
        b'{"endOfTopic": false}',
        b'{"type": "isEndOfTopic"}',
    ]
    path = write_lines(tmp_path / "mixed.jsonl", lines)
    code, result = report(capsys, "--all", str(path))
    assert by_line(result) == [
        (1, "unreadable"),
        (2, "valid"),
        (3, "valid"),
        (4, "valid"),
        (5, "valid"),
    ]
    assert result["summary"]["control"] == 2
    assert result["sources"][0]["format"] == "events+frames"
    assert code == 1  # the garbage line; control messages never fail a run


# -- crash classes ----------------------------------------------------------


@pytest.mark.parametrize("where", ["fast path", "pretty", "array", "frame", "inferred"])
def test_invalid_utf8_anywhere_is_unreadable_in_plain_words(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = b'{"AgentStatusChange": {"agentId": "ag64oyEU\xff"}}'
    data = {
        "fast path": bad,
        "pretty": b'{\n  "AgentStatusChange": {\n    "agentId": "ag\xff"\n  }\n}',
        "array": b"[\n  " + bad + b"\n]",
        "frame": frame(bad),
        "inferred": b'{"GuestChatEnd": {"note": "\xff\xfe"}}',
    }[where]
    path = tmp_path / "bad.json"
    path.write_bytes(data + b"\n" + compact(AGENT) + b"\n")
    code, result = report(capsys, str(path))
    assert code == 1
    assert result["summary"]["unreadable"] == 1
    assert result["summary"]["valid"] == 1
    (message,) = messages(result)
    assert "not UTF-8" in message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 256, 1000, 1_000_000])
@pytest.mark.parametrize("where", ["event field", "inferred event", "frame property", "array"])
def test_any_nesting_depth_is_unreadable_not_a_crash(
    depth: int, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = b"[" * depth + b"]" * depth
    data = {
        "event field": b'{"AgentStatusChange": {"agentId": "ag1", "newState": ' + deep + b"}}",
        "inferred event": b'{"GuestChatEnd": {"transcript": ' + deep + b"}}",
        "frame property": frame(compact(AGENT))[:-1] + b', "properties": {"x": ' + deep + b"}}",
        "array": b"[" + deep + b"]",
    }[where]
    path = tmp_path / "deep.jsonl"
    path.write_bytes(data + b"\n" + compact(AGENT) + b"\n")
    code, result = report(capsys, str(path))
    assert code == 1
    assert by_line(result) == [(1, "unreadable")]
    assert messages(result) == [f"nesting deeper than {MAX_DEPTH} levels"]
    assert result["summary"]["valid"] == 1


def test_nesting_at_the_limit_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2)
    path = write_lines(tmp_path / "ok.jsonl", [b'{"GuestChatEnd": {"transcript": ' + deep + b"}}"])
    code, result = report(capsys, str(path))
    assert (code, result["summary"]["valid"]) == (0, 1)


def test_gzip_without_a_newline_and_a_gzip_bomb_stay_small(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (256 << 20), compresslevel=9))
    assert bomb.stat().st_size < 1 << 20
    code, result = report(capsys, str(bomb))
    assert code == 1
    assert by_line(result) == [(1, "unreadable")]
    assert messages(result)[0].startswith("binary data (NUL bytes)")
    newlines = tmp_path / "newlines.jsonl.gz"
    newlines.write_bytes(gzip.compress(b"\n" * (64 << 20), compresslevel=9))
    code, result = report(capsys, str(newlines))
    assert result["summary"]["blank"] == 64 << 20
    assert result["summary"]["total"] == 0


def test_gzip_truncated_at_any_byte_never_crashes_and_keeps_what_came_before(
    tmp_path: Path,
) -> None:
    lines = valid_lines()[:6]
    data = gzip.compress(b"".join(line + b"\n" for line in lines))
    path = tmp_path / "cut.jsonl.gz"
    seen_valid = []
    for cut in range(2, len(data)):
        path.write_bytes(data[:cut])
        run = validate_capture([str(path)])
        statuses = run.tally.statuses
        assert statuses["unreadable"] == 1, cut  # the cut itself, once
        assert statuses["invalid"] == statuses["unknown"] == 0
        seen_valid.append(statuses["valid"])
    assert seen_valid == sorted(seen_valid)  # the later the cut, the more lines survive
    assert seen_valid[-1] >= len(lines) - 1


def test_files_and_folders_that_cannot_be_read_are_reported_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "captures"
    folder.mkdir()
    write_lines(folder / "a.jsonl", [compact(AGENT)])
    (folder / "gone.jsonl").symlink_to(folder / "missing.jsonl")
    locked = folder / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, result = report(capsys, str(folder), "/proc/self/mem")
    assert code == 1
    problems = {entry["source"]: entry["errors"][0]["message"] for entry in result["results"]}
    assert "No such file or directory" in problems[str(folder / "gone.jsonl")]
    assert "cannot list this folder: Permission denied" in problems[str(locked)]
    assert problems["/proc/self/mem"] == "cannot read /proc/self/mem: Input/output error"
    assert result["summary"]["valid"] == 1


def test_a_junit_path_that_cannot_be_written_exits_2_before_any_work(tmp_path: Path) -> None:
    for target in (tmp_path / "no" / "such" / "folder.xml", tmp_path):
        completed = subprocess.run(
            [*COMMAND, "--junit-xml", str(target), str(SAMPLE)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 2
        assert completed.stdout == ""
        assert completed.stderr.startswith("8x8-events: error: --junit-xml")
        assert "Traceback" not in completed.stderr


def test_names_that_are_not_utf8_under_the_c_locale(tmp_path: Path) -> None:
    folder = tmp_path / "captures"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-\xff.jsonl")
    write_lines(folder / name, [compact(AGENT), b"{oops"])
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    env.update(LC_ALL="C", LANG="C")
    env.pop("PYTHONUTF8", None)
    for form in ("json", "text", "github"):
        completed = subprocess.run(
            [*COMMAND, "--format", form, str(folder)],
            capture_output=True,
            env=env,
            check=False,
        )
        assert completed.returncode == 1, completed.stderr
        text = completed.stdout.decode("utf-8")  # strict: the report is valid UTF-8
        if form == "json":
            parsed = json.loads(text)
            assert parsed["summary"]["unreadable"] == 1
            assert parsed["sources"][0]["source"].endswith("caf\\xe9-\\xff.jsonl")
        else:
            assert "caf\\xe9-\\xff.jsonl" in text


def test_fifos_and_process_substitution_are_read_as_streams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "live.jsonl"
    os.mkfifo(fifo)
    data = b"".join(line + b"\n" for line in valid_lines())

    def feed() -> None:
        with fifo.open("wb") as writer:
            writer.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    code, result = report(capsys, str(fifo))
    writer.join()
    assert (code, result["summary"]["valid"]) == (0, len(valid_lines()))
    packed = write_lines(tmp_path / "c.jsonl.gz", valid_lines(), compress=True)
    completed = subprocess.run(
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m eightbyeight_events validate --format json <(zcat "{packed}")',
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["summary"]["valid"] == len(valid_lines())


def test_the_same_path_twice_is_read_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(tmp_path / "c.jsonl", valid_lines())
    assert len(expand([str(path), str(tmp_path), str(path)])) == 1
    code, result = report(capsys, str(path), str(path), str(tmp_path))
    assert (code, result["summary"]["valid"], len(result["sources"])) == (
        0,
        len(valid_lines()),
        1,
    )


def test_an_empty_file_is_a_source_with_a_warning_and_fails_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = write_lines(tmp_path / "blank.jsonl", [b"", b"  "])
    code, result = report(capsys, str(empty), str(blank))
    assert code == 0
    assert [(s["source"], s["lines"], s["messages"]) for s in result["sources"]] == [
        (str(empty), 0, 0),
        (str(blank), 2, 0),
    ]
    assert [w["message"] for w in result["warnings"]] == [
        f"{blank} holds no messages (2 lines)",
        f"{empty} holds no messages (0 lines)",
    ]
    code, result = report(capsys, "--fail-empty", str(empty))
    assert (code, result["summary"]["passed"]) == (1, False)


def test_binary_data_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_lines(
        tmp_path / "bin.jsonl", [b'{"a": "\x00\x01"}', os.urandom(64).replace(b"\n", b"")]
    )
    _, result = report(capsys, str(path))
    assert messages(result)[0] == "binary data (NUL bytes)"


# -- numbers the parsers disagree on ----------------------------------------

AWKWARD_NUMBERS = [b"1" + b"0" * 308, b"-" + b"9" * 400, b"1e309", b"-1E400", b"NaN", b"Infinity"]


@pytest.mark.parametrize("number", AWKWARD_NUMBERS)
@pytest.mark.parametrize("field", ["newState", "transcript"])
def test_numbers_get_one_verdict_on_every_path(
    number: bytes,
    field: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from eightbyeight_events import runner

    wrapper = "AgentStatusChange" if field == "newState" else "GuestChatEnd"
    line = b'{"%s": {"agentId": "ag64oyEUb_Sk6bxVB9P5yaaa", "%s": %s}}' % (
        wrapper.encode(),
        field.encode(),
        number,
    )
    pretty = line.replace(b", ", b",\n  ")
    padding = [compact(AGENT)] * 4000
    capture = write_lines(tmp_path / "n.jsonl", [*padding, line, frame(line), pretty, *padding])
    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 64 << 10)
    one = report(capsys, "--jobs", "1", str(capture))[1]
    two = report(capsys, "--jobs", "2", str(capture))[1]
    assert one == two
    statuses = [entry["status"] for entry in one["results"]]
    # the line, the frame and the pretty form agree: all valid, or all the same status
    assert statuses in ([], [statuses[0]] * 3 if statuses else []), one["results"]
    assert one["summary"]["valid"] == 8000 + (3 if not statuses else 0)


# -- every container form, as a property ---------------------------------------

SAMPLE_EVENTS = [json.loads(line) for line in SAMPLE.read_bytes().splitlines()[:200]]
MESSAGES: list[Any] = (
    SAMPLE_EVENTS[::10]
    + [json.loads(line) for line, _ in invalid_event_lines()]
    + [json.loads(frame(compact(event))) for event in SAMPLE_EVENTS[1::25]]
)
MESSAGES = [message for message in MESSAGES if isinstance(message, dict)]


def expected_status(message: Any) -> str:
    from eightbyeight_events import load_contract

    return load_contract().judge_value(message).status


STATUS_OF = [expected_status(message) for message in MESSAGES]
FORMS = ["lines", "pretty", "concat", "concat-pretty", "rs", "array", "array-compact"]


def render(form: str, group: list[int], text: list[str]) -> list[tuple[int, str]]:
    """Append ``group`` (indexes into MESSAGES) in ``form`` to ``text``; return where each
    message starts (line number) and its expected status."""
    placed: list[tuple[int, str]] = []

    def line_now() -> int:
        return "".join(text).count("\n") + 1

    def put(index: int, body: str) -> None:
        placed.append((line_now(), STATUS_OF[index]))
        text.append(body)

    if form in ("array", "array-compact"):
        text.append("[\n" if form == "array" else "[")
        for position, index in enumerate(group):
            if position:
                text.append(",\n" if form == "array" else ",")
            if form == "array":
                text.append("  ")
                put(index, json.dumps(MESSAGES[index], indent=2).replace("\n", "\n  "))
            else:
                put(index, json.dumps(MESSAGES[index]))
        text.append("\n]\n" if form == "array" else "]\n")
        return placed
    for index in group:
        message = MESSAGES[index]
        if form == "lines":
            put(index, json.dumps(message))
            text.append("\n")
        elif form == "pretty":
            put(index, json.dumps(message, indent=4))
            text.append("\n")
        elif form == "concat":
            put(index, json.dumps(message, separators=(",", ":")))
        elif form == "concat-pretty":
            put(index, json.dumps(message, indent=2))
        else:
            text.append("\x1e")
            put(index, json.dumps(message))
            text.append("\n")
    if form.startswith("concat"):
        text.append("\n")
    return placed


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    groups=st.lists(
        st.tuples(
            st.sampled_from(FORMS),
            st.lists(st.integers(min_value=0, max_value=len(MESSAGES) - 1), min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=6,
    ),
    compress=st.booleans(),
    bom=st.booleans(),
)
def test_every_message_of_any_container_form_is_found_where_it_starts(
    groups: list[tuple[str, list[int]]],
    compress: bool,
    bom: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    text: list[str] = ["\ufeff"] if bom else []
    expected: list[tuple[int, str]] = []
    for form, group in groups:
        expected += render(form, group, text)
    data = "".join(text).encode("utf-8")
    path = tmp_path_factory.mktemp("forms") / "capture.json"
    path.write_bytes(gzip.compress(data) if compress else data)
    found = [(result.place.line, result.status) for result in iter_capture([str(path)])]
    assert found == expected


# -- the command agrees with the reference validators ----------------------------

LOOKALIKES = str.maketrans(  # Latin letters -> the Cyrillic ones that look the same
    {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445"}
)


def mutate(message: Any, rng: Any) -> Any:
    """One realistic mistake somewhere in a copy of ``message``."""
    copy = json.loads(json.dumps(message))
    places: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            places.append((node, key))
            if isinstance(value, dict | list):
                walk(value)

    walk(copy)
    parent, key = rng.choice(places)
    value = parent[key]
    action = rng.choice(
        ["drop", "retype", "enum", "add", "lookalike", "number-string", "flag-string", "null"]
    )
    if action == "drop" and isinstance(parent, dict):
        del parent[key]
    elif action == "retype":
        parent[key] = rng.choice([[], {}, 3.5, "x", True, None, -1])
    elif action == "enum" and isinstance(value, str):
        parent[key] = rng.choice(["CS_QUEUED", "CS_RINGING", "phone", "AGENT", "in", "yes"])
    elif action == "add" and isinstance(value, dict):
        value[rng.choice(["surveyScore", "region", "event", "status"])] = rng.choice([1, "a", None])
    elif action == "lookalike" and isinstance(value, str):
        parent[key] = value.translate(LOOKALIKES)
    elif action == "number-string" and isinstance(value, int) and not isinstance(value, bool):
        parent[key] = str(value)
    elif action == "flag-string" and isinstance(value, bool):
        parent[key] = "true" if value else "false"
    elif action == "null":
        parent[key] = None
    return copy


def regex_sensitive(value: Any) -> bool:
    """Strings where Python's re and ECMA-262 disagree (line terminators, $ before \\n)."""
    if isinstance(value, str):
        return any(char in value for char in "\n\r\u2028\u2029")
    if isinstance(value, dict):
        return any(regex_sensitive(item) for item in value.values())
    if isinstance(value, list):
        return any(regex_sensitive(item) for item in value)
    return False


def test_thousands_of_mutated_events_get_the_reference_validators_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import random

    from eightbyeight_events import load_schemas
    from eightbyeight_events.engines import fast_validator, reference_validator
    from eightbyeight_events.schemas import UNION

    rng = random.Random(9)
    events = [json.loads(line) for line in SAMPLE.read_bytes().splitlines()]
    mutated = [mutate(rng.choice(events), rng) for _ in range(3000)]
    capture = write_lines(tmp_path / "mutated.jsonl", [compact(m) for m in mutated])
    _, result = report(capsys, "--all", str(capture))
    statuses = [entry["status"] for entry in result["results"]]
    assert len(statuses) == len(mutated)
    rust = fast_validator(load_schemas(), UNION)
    python = reference_validator(load_schemas(), UNION)
    for message, status in zip(mutated, statuses, strict=True):
        assert (status == "valid") == rust.is_valid(message), message
        if not regex_sensitive(message):  # the one documented difference (README)
            assert (status == "valid") == python.is_valid(message), message
    assert statuses.count("valid") > 300  # the mutations hit optional and open places too
    assert statuses.count("invalid") > 800


def test_max_results_caps_the_list_but_not_the_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(tmp_path / "bad.jsonl", [b"{oops"] * 50 + [compact(AGENT)])
    code, result = report(capsys, "--max-results", "7", str(path))
    assert code == 1
    assert len(result["results"]) == 7
    assert (result["summary"]["unreadable"], result["summary"]["valid"]) == (50, 1)


def test_github_annotations_name_file_and_line_and_escape_what_they_must(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads(json.dumps(QUEUED))
    bad["Interaction"]["callState"] = "CS_RINGING"
    path = write_lines(tmp_path / "a,b:c.jsonl", [compact(AGENT), compact(bad), b"{oops"])
    code = main(["validate", "--format", "github", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    escaped = str(path).replace(",", "%2C").replace(":", "%3A")
    assert annotations == [
        f"::error file={escaped},line=2,title=InteractionQueued /Interaction/callState::"
        'callState "CS_RINGING" is not one of CS_IDLE, CS_QUEUED, CS_INPROGRESS, '
        "CS_CONNECTED, CS_HOLD, CS_DISCONNECTED",
        f"::error file={escaped},line=3,title=unreadable::the JSON document that starts "
        "here is never closed",
    ]
    assert "Result: FAILED (--fail-on invalid,unknown,unreadable): 1 invalid, 1 unreadable." in out


def test_blank_lines_are_only_the_white_space_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The closing line of a pretty-printed document, or an array's ``]``, is not blank."""
    pretty = [json.dumps(message, indent=2) for message in (AGENT, QUEUED, AGENT)]
    jq_like = tmp_path / "jq.json"
    jq_like.write_text("\n".join(pretty) + "\n", encoding="utf-8")
    spaced = tmp_path / "spaced.json"
    spaced.write_text(pretty[0] + "\n\n  \n" + pretty[1] + "\n", encoding="utf-8")
    listed = tmp_path / "array.json"
    listed.write_text(json.dumps([AGENT, QUEUED], indent=2) + "\n", encoding="utf-8")
    for path, messages_in, blank in ((jq_like, 3, 0), (spaced, 2, 2), (listed, 2, 0)):
        code, result = report(capsys, "--no-stream-checks", str(path))
        assert code == 0
        assert (result["summary"]["valid"], result["summary"]["blank"]) == (messages_in, blank)


@pytest.mark.parametrize(
    ("opening", "jobs"),
    [
        (b"[1,2", "2"),  # in the first column
        (b"  [1,2", "2"),  # indented
        (b"\x1e[1,2", "2"),  # after an RS byte
        (b'{"unknown":1} [1,2', "2"),  # after a document on its line
        (b"[1,2", "5"),  # the stream checks spread over parts
    ],
)
def test_jobs_count_what_one_job_counts_when_a_line_opens_an_array(
    opening: bytes,
    jobs: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The array opens in one range and closes in the last: each range between is read
    on from there, to the same report as one reading of the file."""
    from eightbyeight_events import runner

    events = [compact(AGENT)] * 40_000
    lines = [*events[:1000], opening, *events, b"]", *events[:3000]]
    capture = write_lines(tmp_path / "array.jsonl", lines)
    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 64 << 10)  # cut into many ranges
    tasks = runner.plan(expand([str(capture)]), runner.Options(jobs=int(jobs)))
    assert len(tasks) > 10
    one = report(capsys, "--jobs", "1", str(capture))[1]
    many = report(capsys, "--jobs", jobs, str(capture))[1]
    assert one["summary"] == many["summary"]
    assert one["stream"] == many["stream"]
    assert by_line(one) == by_line(many)
    # the array's elements (1, 2 and the events), and no array left open or closed twice
    assert one["summary"]["unreadable"] == 0
    assert one["summary"]["total"] == 44_002 + opening.startswith(b"{")


def test_a_file_that_starts_with_an_array_is_not_cut(tmp_path: Path) -> None:
    from eightbyeight_events import runner

    events = [compact(AGENT)] * 10
    assert runner._one_task(write_lines(tmp_path / "first.jsonl", [b" [1,2", *events]))
    assert not runner._one_task(write_lines(tmp_path / "none.jsonl", events))

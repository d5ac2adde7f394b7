"""What a team meets on its first day with the live stream and in CI: control messages and
hostile values through the library, every documented publishTime form, failure classes,
"did you mean", typed accessors, a ``Delivery`` that is easy to annotate, skipping
redeliveries, agent columns that say what they hold, and bad lines booked in bounded pieces."""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capture_helpers import SAMPLE, SAMPLE_FRAMES, compact, write_lines
from conftest import REPO, mypy_strict
from eightbyeight_events import (
    Control,
    ControlMessage,
    EventError,
    Redeliveries,
    fold_events,
    iter_capture,
    parse_event,
    parse_frame,
    to_dict,
    validate_capture,
    validate_event,
)
from eightbyeight_events.cli import main
from eightbyeight_events.readers import expand
from eightbyeight_events.runner import PIECE_ITEMS, Options, checked_pieces, plan
from eightbyeight_events.stream import InteractionSummary, Sighting, StreamFold

FIRST_EVENT = SAMPLE.read_bytes().splitlines()[0]
FIRST_FRAME = SAMPLE_FRAMES.read_bytes().splitlines()[0]


# -- 1. control messages and hostile values --------------------------------------------------


@pytest.mark.parametrize(
    "text", [b'{"endOfTopic": true}', b'{"type": "isEndOfTopic"}', '{"endOfTopic": false}']
)
def test_a_control_message_is_a_control_message_error_or_value(text: bytes | str) -> None:
    with pytest.raises(ControlMessage) as raised:
        parse_frame(text)
    assert isinstance(raised.value, EventError)
    control = raised.value.control
    assert control.message == json.loads(text)
    found = parse_frame(text, control="value")
    assert found == control
    assert isinstance(found, Control)
    assert (found.type, found.end_of_topic) in {(None, True), ("isEndOfTopic", None), (None, False)}


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
ODD = (
    JSON_LEAVES
    | st.binary(max_size=5)
    | st.sets(st.integers(), max_size=2)
    | st.builds(object)
    | st.just(float("nan"))
    | st.just(10**400)
)
HOSTILE = st.recursive(
    ODD,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4) | st.integers() | st.none(), inner, max_size=3)
        | st.dictionaries(st.text(max_size=4), inner, max_size=3).map(MappingProxyType)
    ),
    max_leaves=12,
)
AS_INPUT: list[Callable[[Any], Any]] = [
    lambda value: value,
    lambda value: {"Interaction": value},
    lambda value: {"messageId": "CAE=", "payload": "e30=", "publishTime": value},
    lambda value: {"AgentStatusChange": {"agentId": value}},
]


@settings(max_examples=400, deadline=None)
@given(HOSTILE, st.sampled_from(range(len(AS_INPUT))), st.sampled_from(["", "bytes", "mv"]))
def test_no_public_entry_point_raises_outside_the_event_error_family(
    value: Any, shape: int, form: str
) -> None:
    data = AS_INPUT[shape](value)
    if form and isinstance(data, dict | list) and not _odd(data):
        text = json.dumps(data).encode()
        data = text if form == "bytes" else memoryview(bytearray(text))
    for read in (
        parse_event,
        parse_frame,
        lambda d: parse_frame(d, control="value"),
        lambda d: list(fold_events([d])),
        to_dict,
    ):
        with contextlib.suppress(EventError):
            read(data)
    for frame in (False, True):
        verdict = validate_event(data, frame=frame)  # a verdict, never an exception
        assert verdict.status in ("valid", "invalid", "unknown", "unreadable", "control")


def test_fold_events_takes_text_and_dicts_and_lets_no_invalid_message_pass_unseen() -> None:
    lines = SAMPLE.read_bytes().splitlines()[:300]
    as_models = list(fold_events(parse_event(line) for line in lines))
    assert as_models
    assert list(fold_events(lines)) == as_models
    assert list(fold_events(json.loads(line) for line in lines)) == as_models
    with pytest.raises(EventError):
        list(fold_events([*lines[:5], b'{"Interaction": {"event": "InteractionCreated"}}']))


def _odd(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return True
    return False


def test_odd_values_are_named_at_their_pointer() -> None:
    cases = {
        "/Interaction/tags": {"Interaction": {"tags": {1, 2}}},
        "/Interaction/n": {"Interaction": {"n": float("nan")}},
        "/Interaction": {"Interaction": {3: "three"}},
    }
    for pointer, message in cases.items():
        with pytest.raises(EventError) as raised:
            parse_event(message)
        assert raised.value.pointer == pointer
    proxy = MappingProxyType(json.loads(FIRST_EVENT))
    assert parse_event(proxy) == parse_event(FIRST_EVENT)  # any Mapping reads as what it is
    assert parse_event(bytearray(FIRST_EVENT)) == parse_event(memoryview(FIRST_EVENT))


# -- 2. publishTime ---------------------------------------------------------------------------


def framed(publish_time: str) -> dict[str, Any]:
    return {**json.loads(FIRST_FRAME), "publishTime": publish_time}


@pytest.mark.parametrize(
    "stamp",
    ["2025-10-15T09:30:00.000Z", "2016-08-30T16:45:57.785-07:00", "2016-08-30 16:45:57.785"],
)
def test_every_documented_publish_time_form_is_valid(stamp: str) -> None:
    assert validate_event(framed(stamp), frame=True).status == "valid"
    assert parse_frame(json.dumps(framed(stamp))).publish_time == stamp


@pytest.mark.parametrize(
    "stamp", ["2016-13-30 16:45:57.785", "2016-08-30 16:45", "30/08/2016 16:45:57", "yesterday"]
)
def test_other_publish_times_are_invalid(stamp: str) -> None:
    verdict = validate_event(framed(stamp), frame=True)
    assert verdict.status == "invalid"
    assert verdict.errors[0].pointer == "/publishTime"


def test_the_spec_says_which_statement_each_publish_time_form_matches() -> None:
    annotations = json.loads((REPO / "schemas" / "annotations.json").read_text())
    (entry,) = [c for c in annotations["contradictions"] if c["fields"] == ["publishTime"]]
    assert "2016-08-30 16:45:57.785" in entry["b"]
    assert "offset" in entry["a"]


# -- 3 and 4. failure classes and "did you mean" ----------------------------------------------


def misspelt(tmp_path: Path) -> Path:
    """The bundled sample with one field misspelt, one event name misspelt, and a tenant key."""
    lines = SAMPLE.read_bytes().splitlines()
    out = []
    for number, line in enumerate(lines):
        message = json.loads(line)
        (payload,) = message.values()
        if number == 20 and "priority" in payload:
            payload["priorty"] = payload.pop("priority")
        out.append(compact(message))
    assert any(b"priorty" in line for line in out), "line 21 carries a priority"
    return write_lines(tmp_path / "typo.jsonl", out)


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    code = main(list(arguments))
    return code, capsys.readouterr().out


def test_fail_on_catches_a_typo_and_passes_the_bundled_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = "--fail-on=invalid,unreadable,undeclared-field"
    code, out = run(capsys, "validate", chosen, str(misspelt(tmp_path)))
    assert code == 1
    assert "undeclared field: /Interaction/priorty (did you mean priority?)" in out
    assert out.rstrip().endswith(
        "Result: FAILED (--fail-on invalid,unreadable,undeclared-field): 1 undeclared-field."
    )
    code, out = run(capsys, "validate", chosen, str(SAMPLE), str(SAMPLE_FRAMES))
    assert code == 0
    assert "Result: passed (--fail-on invalid,unreadable,undeclared-field)" in out
    code, _ = run(capsys, "validate", str(misspelt(tmp_path)))
    assert code == 0  # the default fails on invalid, unknown and unreadable only


def test_a_new_event_type_passes_while_it_is_rolled_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rolled = {"Interaction": {"event": "InteractionQueud", "interactionGUID": "int-1"}}
    path = write_lines(tmp_path / "new.jsonl", [FIRST_EVENT, compact(rolled)])
    assert run(capsys, "validate", str(path))[0] == 1
    code, out = run(
        capsys, "validate", "--fail-on", "invalid,unreadable", "--format=json", str(path)
    )
    assert code == 0
    report = json.loads(out)
    assert report["summary"]["failed_classes"] == {}
    assert report["summary"]["class_counts"]["unknown"] == 1
    (result,) = report["results"]
    assert result["errors"][0]["suggestion"] == "InteractionQueued"
    assert 'did you mean "InteractionQueued"?' in result["errors"][0]["message"]


def test_every_report_says_which_classes_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = str(misspelt(tmp_path))
    junit = tmp_path / "report.xml"
    chosen = "--fail-on=undeclared-field,unknown-key"
    code, out = run(capsys, "validate", chosen, "--format=json", "--junit-xml", str(junit), typo)
    assert code == 1
    summary = json.loads(out)["summary"]
    assert summary["fail_on"] == ["undeclared-field", "unknown-key"]
    assert set(summary["failed_classes"]) == {"undeclared-field", "unknown-key"}
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    told = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert told == {
        "fail-on": "undeclared-field,unknown-key",
        "failed-classes": told["failed-classes"],
    }
    assert set(told["failed-classes"].split(",")) == {"undeclared-field", "unknown-key"}
    (drift,) = [case for case in suite.iter("testcase") if case.get("name") == "no drift"]
    failure = drift.find("failure")
    assert failure is not None
    assert "priorty (did you mean priority?)" in (failure.text or "")
    code, out = run(capsys, "validate", "--format=github", "--fail-on=unknown", typo)
    assert code == 0


def test_github_annotations_are_errors_only_for_classes_that_fail_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unknown = {"Interation": {"event": "InteractionQueued"}}
    path = write_lines(tmp_path / "u.jsonl", [compact(unknown), b"{oops"])
    code, out = run(capsys, "validate", "--format=github", "--fail-on=unreadable", str(path))
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations[0].startswith("::warning ")
    assert 'did you mean "Interaction"?' in annotations[0]
    assert annotations[1].startswith("::error ")


def test_a_bad_class_name_is_a_usage_error_naming_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["validate", "--fail-on", "invalid,typos", str(SAMPLE)])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert "'typos' is not a failure class" in err
    assert "undeclared-field" in err
    assert "drift, all" in err


def test_strict_is_fail_on_all_and_the_library_takes_the_same_classes() -> None:
    strict = validate_capture([str(SAMPLE)], strict=True)
    assert not strict.passed
    assert set(strict.failed_classes) == {"unknown-key", "new-value", "call-state"}
    assert validate_capture([str(SAMPLE)], fail_on="invalid,undeclared-field").passed
    assert not validate_capture([str(SAMPLE)], fail_on=["drift"]).passed


# -- 5 and 6. typed accessors and Delivery ----------------------------------------------------

CONSUMER = """\
from eightbyeight_events import Delivery, normal, parse_frame
from eightbyeight_events.normal import AttachedData


def when(delivery: Delivery) -> object:
    return normal.occurred_at(delivery.event), delivery.redelivery_count


delivery = parse_frame(b"")
when(delivery)
normal.occurred_at(delivery)  # wrong: a delivery is not an event
AttachedData.of(delivery.frame)  # wrong: a frame is not an event
normal.timestamps({"msgInfo": {"timestamp": 1}})  # a decoded payload is fine
"""


def test_a_bare_delivery_type_checks_and_frames_are_not_events(tmp_path: Path) -> None:
    (tmp_path / "consumer.py").write_text(CONSUMER, encoding="utf-8")
    checked = mypy_strict(tmp_path, "consumer.py")
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["11", "12"], checked.stdout
    assert all("arg-type" in line for line in errors)


def test_redelivery_count_and_redeliveries_in_bounded_memory() -> None:
    frame = {**json.loads(FIRST_FRAME), "redeliveryCount": 2}
    assert parse_frame(json.dumps(frame)).redelivery_count == 2
    seen = Redeliveries(limit=3)
    assert [seen.first_time(i) for i in "abcab"] == [True, True, True, False, False]
    assert seen.first_time("d")
    assert len(seen) == 3
    assert seen.first_time("c")  # forgotten: the oldest went when d came
    now = [0.0]
    timed = Redeliveries(window=10, clock=lambda: now[0])
    assert timed.first_time("x")
    now[0] = 5
    assert not timed.first_time("x")  # seen 5 s ago; counts as seen now
    now[0] = 16
    assert timed.first_time("x")
    with pytest.raises(ValueError, match="limit"):
        Redeliveries(limit=0)


# -- 8. bad lines in bounded pieces -----------------------------------------------------------


def test_bad_lines_are_booked_in_pieces_of_bounded_size(tmp_path: Path) -> None:
    path = tmp_path / "xs.txt"
    path.write_bytes(b"x\n" * 300_000)  # one 1 MiB chunk holds all of them
    (task,) = plan(expand([str(path)]), Options())
    pieces = list(checked_pieces(task))
    assert max(len(piece.tally.results) for piece in pieces) <= PIECE_ITEMS
    assert sum(piece.tally.statuses["unreadable"] for piece in pieces) == 300_000
    assert [piece.tally.results[0].place.line for piece in pieces[:3]] == [1, 10_001, 20_001]
    assert pieces[-1].lines == 300_000


@pytest.mark.parametrize("ending", [b"", b"\n"])
def test_a_never_closed_document_on_one_line_is_one_message(tmp_path: Path, ending: bytes) -> None:
    path = tmp_path / "open.txt"
    path.write_bytes(b"[" * 100_000 + ending)
    run = validate_capture([str(path)])
    assert run.tally.total == run.tally.statuses["unreadable"] == 1


# -- 9. agent columns -------------------------------------------------------------------------


def test_agent_columns_say_who_was_offered_who_took_it_and_who_took_part() -> None:
    guid = "int-184a63564dc-ohWfVIbHJz2Hr2JFhAfdlb4Fa-phone-00-acmecorp01"
    a, b, c = "agAAAAAAAAAAAAAAAAAAAAAA", "agBBBBBBBBBBBBBBBBBBBBBB", "agCCCCCCCCCCCCCCCCCCCCCC"
    steps = [
        ("InteractionCreated", None, {}),
        ("InteractionQueued", None, {}),
        ("InteractionAssigned", a, {}),
        ("InteractionRejected", a, {}),
        ("InteractionAssigned", b, {}),
        ("InteractionAccepted", b, {"participatingAgents": b}),
        ("InteractionParticipantChange", b, {"participatingAgents": f"{b};{c}"}),
        ("InteractionPostProcess", b, {}),
        ("InteractionDeleted", None, {}),
    ]
    fold = StreamFold()
    found: list[Any] = []
    for second, (name, agent, fields) in enumerate(steps):
        body = {"event": name, "interactionGUID": guid, "interactionEventTS": 1000 + second}
        body |= {"agentId": agent} if agent else {}
        found += fold.add(Sighting.of(name, {**body, **fields}, "t", second + 1))
    found += fold.finish()
    (summary,) = [item for item in found if isinstance(item, InteractionSummary)]
    assert summary.offered_agents == (a, b)
    assert summary.handling_agents == (b,)
    assert summary.participants == (b, c)


def test_a_frames_capture_carries_the_three_agent_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["interactions", "--format=jsonl", str(SAMPLE_FRAMES)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"offered_agents", "handling_agents", "participants"} <= set(rows[0])
    assert "agents" not in rows[0]
    differ = [r for r in rows if r["offered_agents"] != r["handling_agents"] or r["participants"]]
    assert differ  # they answer different questions on real traffic
    assert all(set(r["handling_agents"]) <= set(r["offered_agents"]) for r in rows)


def test_base64_frames_round_trip_through_the_control_aware_reader() -> None:
    payload = base64.b64encode(FIRST_EVENT).decode()
    frame = {"messageId": "CAE=", "payload": payload, "publishTime": "2016-08-30 16:45:57.785"}
    delivery = parse_frame(frame, control="value")
    assert not isinstance(delivery, Control)
    assert delivery.event == parse_event(FIRST_EVENT)


@pytest.mark.usefixtures("node")
def test_the_npm_package_exports_its_schema(tmp_path: Path) -> None:
    from test_typescript_runtime import install_packed

    install_packed(tmp_path)
    script = 'console.log(Object.keys(require("8x8-event-types/schema.json")).length > 0)'
    ran = subprocess.run(
        ["node", "--input-type=commonjs", "-e", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.stdout.strip() == "true", ran.stderr


def test_one_path_alone_is_one_path_for_the_library() -> None:
    every = sum(1 for line in SAMPLE.read_bytes().splitlines() if line.strip())
    assert validate_capture(str(SAMPLE)).tally.total == every  # not the characters of its name
    assert validate_capture(SAMPLE).tally.total == every
    assert sum(1 for _ in iter_capture(SAMPLE)) == every
    with pytest.raises(TypeError, match="not set"):
        validate_capture([{"a.jsonl"}])  # type: ignore[list-item]

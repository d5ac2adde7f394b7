"""Properties of the validator over generated input: it never crashes, loses no line,
reports the same with any number of processes, and its fast path agrees with its slow path."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_helpers import (
    SAMPLE,
    SAMPLE_FRAMES,
    compact,
    frame,
    invalid_event_lines,
    valid_lines,
    write_lines,
)
from conftest import EXAMPLES, read_json
from eightbyeight_events import readers, runner
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.cli import main
from eightbyeight_events.contract import Contract
from eightbyeight_events.engines import fast_validator
from eightbyeight_events.expected import expected_variant
from eightbyeight_events.failure import DEFAULT
from eightbyeight_events.fastpath import decoders
from eightbyeight_events.readers import batches, expand
from eightbyeight_events.report import Run, as_json
from eightbyeight_events.tally import Ledger, Place, Tally
from eightbyeight_events.verdict import DriftKind

CONTRACT = Contract()
EXPECTED = expected_variant(CONTRACT.schemas)
EXPECTED_CHECKS = {t.name: fast_validator(EXPECTED, t.schema_path) for t in event_types()}
VALID = [json.loads(line) for line in valid_lines()]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**309, -(10**400), 2**64, 2**63, 1e308, 1.5e-300])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


@st.composite
def mutated_events(draw: st.DrawFn) -> Any:
    """A valid example with one place replaced, removed, or given a new field."""
    message = json.loads(json.dumps(draw(st.sampled_from(VALID))))
    path = draw(st.sampled_from(paths(message)[1:]))
    parent = message
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(json_values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    return message


def lines_of(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def check_bytes(data: bytes, content: str = "auto") -> Tally:
    tally = Tally()
    for batch in batches([data], 4096):
        runner.check_batch(CONTRACT, batch, "fuzz", content, tally, False)  # type: ignore[arg-type]
    return tally


def run_of(tally: Tally) -> Run:
    ledger = Ledger()
    ledger.add(tally)
    return Run(ledger, DEFAULT, 0.0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=64) | st.sampled_from(valid_lines()), max_size=12))
def test_random_bytes_never_crash_and_every_valid_line_still_counts(chunks: list[bytes]) -> None:
    """Garbage on one line never takes a valid line after it down with it."""
    data = b"\n".join(chunks)
    standing_alone = sum(1 for line in data.split(b"\n") if line in set(valid_lines()))
    for content in ("auto", "events"):
        tally = check_bytes(data, content)
        assert tally.statuses["valid"] >= standing_alone
        assert tally.total + tally.blank + tally.statuses["control"] <= lines_of(data) * 2 + 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(valid_lines()), st.data())
def test_truncated_lines_are_accounted_for(line: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(line)))
    tally = check_bytes(line[:cut] + b"\n" + line + b"\n")
    assert tally.total + tally.blank == 2
    assert tally.statuses["valid"] >= 1


@settings(max_examples=500, deadline=None)
@given(mutated_events())
def test_fast_path_gives_the_full_looks_verdict_whenever_it_answers(message: Any) -> None:
    """The expected variant passes exactly the clean messages; the fast path, when it
    answers, gives the full look's verdict (warnings and drift included), and it leaves to
    the full look only what is invalid, unknown or undeclared, or what msgspec reads
    otherwise by design."""
    full = CONTRACT.judge(message)
    event_type = CONTRACT.route(message)
    expected = event_type is not None and EXPECTED_CHECKS[event_type.name].is_valid(message)
    assert expected == full.clean
    fast = CONTRACT.quick(compact(message))
    if fast is not None:
        assert fast[:5] == full[:5]  # status, event type, errors, warnings, drift
        return
    undeclared = any(drift.kind is DriftKind.UNDECLARED_FIELD for drift in full.drift)
    assert full.status != "valid" or undeclared or beyond_fast_path(message)


@st.composite
def mutated_frames(draw: st.DrawFn) -> bytes:
    """A frame around a mutated event, itself perhaps changed: a field replaced, removed or
    added, or a payload that is not base64, not UTF-8 or not JSON."""
    line = compact(draw(mutated_events()))
    message = json.loads(frame(line, draw(st.sampled_from(["CAEQAw==", "", "id-2"]))))
    change = draw(st.sampled_from(["none", "replace", "delete", "add", "payload"]))
    name = draw(st.sampled_from(sorted(message)))
    if change == "replace":
        message[name] = draw(json_values)
    elif change == "delete":
        del message[name]
    elif change == "add":
        message[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    elif change == "payload":
        message["payload"] = draw(
            st.sampled_from(
                [
                    base64.b64encode(b"\xff\xfe").decode(),
                    base64.b64encode(b"{oops").decode(),
                    message["payload"][:-1],
                    message["payload"] + "\n",
                ]
            )
        )
    return compact(message)


@settings(max_examples=300, deadline=None)
@given(mutated_frames())
def test_frame_fast_path_gives_the_full_looks_verdict_whenever_it_answers(raw: bytes) -> None:
    """A frame answered in one look gives the full look's verdict, messageId included, and
    the full look is left only what is invalid, unreadable, unknown or undeclared."""
    full = CONTRACT.judge_text(raw, "frames")
    for fast in (CONTRACT.quick_frame(raw), CONTRACT.quick_message(raw)):
        if fast is not None:
            assert fast[0][:6] == full[:6]  # ... and the frame's messageId
            assert fast[0].frame == full.frame
            assert full.clean or full.warnings or full.drift
        else:
            undeclared = any(drift.kind is DriftKind.UNDECLARED_FIELD for drift in full.drift)
            beyond = beyond_fast_path(full.message) or beyond_fast_path(full.frame)
            assert full.status != "valid" or undeclared or beyond


def beyond_fast_path(value: Any) -> bool:
    """Values msgspec leaves to the slow path by design: integral floats (JSON Schema counts
    0.0 as an integer, msgspec does not) and integers beyond 64 bits (orjson reads them
    as floats, or not at all)."""
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, int) and not isinstance(value, bool):
        return not -(2**63) <= value < 2**63
    if isinstance(value, dict):
        return any(beyond_fast_path(item) for item in value.values())
    if isinstance(value, list):
        return any(beyond_fast_path(item) for item in value)
    return False


@settings(max_examples=200, deadline=None)
@given(st.lists(mutated_events(), min_size=1, max_size=5))
def test_fast_path_report_equals_slow_path_report(messages: list[Any]) -> None:
    lines = [compact(message) for message in messages]
    fast = check_bytes(b"\n".join(lines))
    slow = Tally()
    for number, line in enumerate(lines, start=1):
        slow.record(CONTRACT.judge_text(line), Place("fuzz", number))
    assert fast.total == slow.total == len(lines)
    assert as_json(run_of(fast)) == as_json(run_of(slow))


def test_every_wrapper_has_a_msgspec_decoder() -> None:
    """msgspec could express every event type exactly; none is left to the slower check."""
    found, left_out = decoders(EXPECTED)
    assert left_out == []
    assert sorted(found) == sorted({t.wrapper.encode() for t in event_types()})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("interactionGUID", "int-184a63564dc-ohWfVIbHJz2Hr2JFhAfdlb4Fa-phone-00-acmecorp01\n"),
        ("interactionGUID", "int-184a63564dc-ohWf\rVIbHJz2Hr2JFhAfdlb4Fa-phone-00-x\u2028"),
        ("agentId", "ag64oyEUb_Sk6bxVB9P5yaaa\n"),
        ("queueId", 1.0),
        ("priority", 18446744073709551616),
        ("callState", "CS_QUEUED "),
    ],
)
def test_fast_path_edge_values_agree_with_the_full_look(field: str, value: Any) -> None:
    """Pattern anchors and line terminators, integral floats, huge integers."""
    message = read_json(EXAMPLES / "vendor" / "event-reference-InteractionQueued.json")
    message["Interaction"][field] = value
    clean = CONTRACT.judge(message).clean
    fast = CONTRACT.quick(compact(message)) is not None
    assert fast == (clean and not beyond_fast_path(value))


def test_open_list_values_outside_the_known_ones_are_drift() -> None:
    """newState is typed by an open list through a relative $ref in its own event file."""
    message = read_json(EXAMPLES / "vendor" / "event-reference-AgentStatusChange.json")
    message["AgentStatusChange"]["newState"] = 7
    verdict = CONTRACT.judge(message)
    assert [(d.kind, d.subject) for d in verdict.drift] == [(DriftKind.NEW_VALUE, "newState 7")]


def test_batches_are_split_and_numbered_across_chunk_boundaries() -> None:
    data = b"".join(line + b"\n" for line in valid_lines())
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]
    read = list(batches(chunks, 1 << 20))
    assert [n for batch in read for n in batch.numbers] == list(range(1, len(valid_lines()) + 1))
    assert [item for batch in read for item in batch.items] == valid_lines()
    assert read[-1].lines == len(valid_lines())


document_texts = st.one_of(
    st.builds(lambda value: json.dumps(value), st.dictionaries(st.text(max_size=4), json_values)),
    st.builds(
        lambda value, indent, end: json.dumps(value, indent=indent).replace("\n", end),
        st.dictionaries(st.text(max_size=4), json_values, min_size=1, max_size=4),
        st.sampled_from([0, 1, 2, 4, "\t"]),
        st.sampled_from(["\n", "\r\n"]),
    ),
    st.builds(
        lambda values, indent, comma: (
            json.dumps(values, indent=indent)
            .replace("}\n", "}, \n", comma)
            .replace("[\n", "[\n\n", comma)
            .replace("\n", "\r\n", 1 - comma)
        ),
        st.lists(
            st.dictionaries(st.text(max_size=4), json_values, min_size=1, max_size=3) | json_values,
            max_size=4,
        ),
        st.sampled_from([0, 2, "\t"]),
        st.integers(min_value=0, max_value=1),
    ),
    st.sampled_from(
        [
            "",
            "   ",
            "}",
            "{",
            "[",
            "]",
            "not json",
            '{"cut": [1,',
            "\x1e{}",
            "\ufeff{}",
            '{\n  "a": 1\n}\r',
            '{\n  "a": "}"\n}',
            '{\n  "s": "x\n}',
            "{\n}\n{\n}",
            '{\n  "a": {\n}\n}',
            '{"a": {"b": 1}\n}',
            '{"a": {"b": 1} \n}',
            '\x1e{"a": 1}',
            '{"a": 1}\r',
            " " * 300 + '{\n  "a": 1\n' + " " * 300 + "}",
            '\x1e{"a": 1}{"b": 2}',
            '\x1e{\n  "a": 1\n}',
            '[\n{"a": 1},\n{"b": 2} ,\n  {"c": 3}\r\n]',
            '[\n{"a": 1}, {"b": 2}\n]',
            '[\n  {\n    "a": 1\n  },\n  {\n    "b": 2\n  }\n]',
            '[\n  {\n    "a": 1\n  },{"b": 2}\n]',
            '  {\n  "a": 1\n  }',
            "  {\n  }, {}",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(document_texts, max_size=8), st.integers(min_value=1, max_value=64))
def test_documents_are_found_alike_whole_or_line_by_line(texts: list[str], cut: int) -> None:
    """Pretty-printed documents are taken whole at C speed where they can be; the line
    reader (one line per chunk never holds a whole pretty document) must find the same
    documents at the same lines, count the same blank lines, and report the same problems,
    however the input is cut into chunks."""
    data = "\n".join(texts).encode("utf-8", "surrogatepass") + b"\n"

    def read(chunks: list[bytes]) -> tuple[list[tuple[int, Any]], int, int]:
        found = list(batches(chunks, 300))
        pairs = [pair for batch in found for pair in zip(batch.numbers, batch.items, strict=True)]
        return pairs, sum(batch.blank for batch in found), found[-1].lines

    by_line = read(data.splitlines(keepends=True))
    assert read([data]) == by_line
    assert read([data[i : i + cut] for i in range(0, len(data), cut)]) == by_line


def test_pretty_printed_documents_are_taken_whole() -> None:
    """What ``jq .`` prints is read without going line by line (the slow way): a capture
    of pretty documents, read in one chunk, comes out as its documents."""
    messages = [json.loads(line) for line in valid_lines()]
    data = "\n".join(json.dumps(message, indent=2) for message in messages).encode() + b"\n"
    splitter = readers._Splitter(1 << 20)
    splitter.documents.feed = None  # type: ignore[assignment,method-assign]  # must not be asked
    splitter.chunk(data)
    assert [json.loads(item) for item in splitter.batch.items] == messages  # type: ignore[arg-type]
    slurped = readers._Splitter(1 << 20)
    slurped.chunk(b"[\n")  # as jq -s . prints them: one array
    slurped.documents.feed = None  # type: ignore[assignment,method-assign]
    slurped.chunk(json.dumps(messages, indent=2)[2:].rsplit("\n", 1)[0].encode() + b"\n")
    assert [json.loads(item) for item in slurped.batch.items] == messages  # type: ignore[arg-type]


class _Searched(bytes):
    """Bytes that add up how far each search for a closing line may have to look."""

    looked = 0

    def find(self, sub: Any, start: Any = None, end: Any = None) -> int:
        if isinstance(sub, bytes) and sub.endswith(b"}"):
            _Searched.looked += len(self) - (start or 0)
        return super().find(sub, start, end)


def test_lines_the_pretty_reader_cannot_take_cost_no_search_each() -> None:
    """JSON Lines among broken lines are read line by line; looking for a closing line
    from each of them to the end of the chunk would make a chunk cost its lines times its
    bytes (it once did: 20,000 lines took 9.6 s instead of 0.7 s)."""
    lines = valid_lines() * 4
    body = b"\n".join(
        line + (b'\n{"cut": [1,' if number % 50 == 0 else b"") for number, line in enumerate(lines)
    )
    splitter = readers._Splitter(1 << 20)
    _Searched.looked = 0
    splitter._lines(_Searched(body))
    assert len(splitter.batch.items) == len(lines) + len(range(0, len(lines), 50))
    assert _Searched.looked <= 2 * len(body)


def report(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    main(["validate", "--format", "json", *arguments])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_jobs_1_and_jobs_2_give_identical_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = SAMPLE.read_bytes().splitlines()
    bad = [line for line, _ in invalid_event_lines()]
    drifting = json.loads(sample[5])
    next(iter(drifting.values()))["surveyScore"] = 3
    mixed = []
    for index, line in enumerate(sample):
        mixed.append(line)
        if index % 97 == 0:
            mixed += [bad[index % len(bad)], b"", b"{broken", compact(drifting)]
    capture = write_lines(tmp_path / "mixed.jsonl", mixed)
    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 32 << 10)
    assert len(runner.plan(expand([str(capture)]), runner.Options(jobs=2))) > 4
    one = report(capsys, "--jobs", "1", str(capture))
    two = report(capsys, "--jobs", "2", str(capture))
    assert one == two
    assert one["summary"]["invalid"] > 10
    assert one["summary"]["unreadable"] > 10
    assert one["summary"]["total"] + one["summary"]["blank"] == len(mixed)


def test_fast_path_books_the_bundled_sample_exactly_as_the_full_look() -> None:
    """The sample carries every documented variation: warnings, open-list values and keys
    outside the catalogue, found on the fast path, must be booked as the full look books them."""
    data = SAMPLE.read_bytes()
    fast = check_bytes(data)
    slow = Tally()
    for number, line in enumerate(data.splitlines(), start=1):
        slow.record(CONTRACT.judge_text(line), Place("fuzz", number))
    assert as_json(run_of(fast)) == as_json(run_of(slow))
    assert fast.warnings
    assert fast.drift
    took_full_look = sum(CONTRACT.quick(line) is None for line in data.splitlines())
    undeclared = sum(b"queueLanguage" in line for line in data.splitlines())
    assert took_full_look == undeclared  # only lines with an undeclared field


@pytest.mark.parametrize("content", ["auto", "frames"])
def test_fast_path_books_the_sample_frames_exactly_as_the_full_look(content: str) -> None:
    data = SAMPLE_FRAMES.read_bytes()
    fast = check_bytes(data, content)
    slow = Tally()
    for number, line in enumerate(data.splitlines(), start=1):
        slow.record(CONTRACT.judge_text(line, "frames"), Place("fuzz", number))
    assert as_json(run_of(fast)) == as_json(run_of(slow))
    assert fast.sources["fuzz"].frames == len(data.splitlines())
    answered = sum(CONTRACT.quick_message(line) is not None for line in data.splitlines())
    assert answered >= 0.95 * len(data.splitlines())

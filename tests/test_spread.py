"""The stream checks spread over parts give what one fold gives: the same findings, the
same interaction summaries, in the same order, with the same counts, however the stream
is cut into tasks and into parts, on shuffled and redelivered traffic and streams that
run across files; and so do ``--jobs N`` and ``--jobs 1``, a worker killed or not."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archives import outputs as _outputs
from archives import traffic_lines, write_archive
from eightbyeight_events import runner, stream
from eightbyeight_events.cli import main
from eightbyeight_events.readers import Source
from eightbyeight_events.runner import Options, Task, checked_pieces
from eightbyeight_events.scale import spread
from eightbyeight_events.scale.spread import Spreader, StreamPlan, fold_part, merged
from eightbyeight_events.stream import (
    FindingKind,
    InteractionSummary,
    Output,
    Sighting,
    StreamCounts,
    StreamFinding,
    StreamFold,
)

WINDOW = 900.0
"""Short enough that interactions of a generated shift are forgotten while it runs."""


@cache
def _sightings(folder: Path) -> tuple[Sighting, ...]:
    """The sightings the runner makes of a realistic shift, with every stream fault."""
    path = folder / "shift.jsonl"
    path.write_bytes(b"".join(traffic_lines(250, 5)))
    task = Task(Source("shift", path), Options(stream=True))
    return tuple(sighting for piece in checked_pieces(task) for sighting in piece.sightings)


@pytest.fixture(scope="module")
def shift(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sighting, ...]:
    return _sightings(tmp_path_factory.mktemp("spread"))


def _perturbed(sightings: tuple[Sighting, ...], chance: random.Random) -> list[Sighting]:
    """Traffic as a real capture holds it: neighbours swapped, messages delivered again
    (at once or much later), some lost, some without a time of their own or without a
    sequence number, and frames whose message ids repeat on other messages."""
    found = list(sightings)
    for _ in range(len(found) // 50):
        at = chance.randrange(len(found))
        found[at] = found[at]._replace(time=None)
    for number in range(len(found) // 50):
        for at in (chance.randrange(len(found)), chance.randrange(len(found))):
            found[at] = found[at]._replace(message_id=f"id-{number}", fingerprint=None)
    for _ in range(len(found) // 20):
        at = chance.randrange(len(found) - 1)
        found[at], found[at + 1] = found[at + 1], found[at]
    for _ in range(len(found) // 25):
        at = chance.randrange(len(found))
        found.insert(min(len(found), at + chance.choice([1, 7, 400])), found[at])
    for _ in range(len(found) // 100):
        del found[chance.randrange(len(found))]
    for _ in range(len(found) // 20):  # a copy or its original among them
        at = chance.randrange(len(found))
        found[at] = found[at]._replace(sequence=None)
    return found


def _tasks(
    sightings: list[Sighting], cuts: list[int], files: bool
) -> list[tuple[str, int, list[Sighting]]]:
    """The stream cut into tasks: byte ranges of one file (lines counted from 1 in each),
    or files of their own. Each task: (source, lines before it in its source, sightings
    numbered within the task)."""
    bounds = [0, *sorted(set(cuts)), len(sightings)]
    tasks = []
    lines = 0
    for index, (start, end) in enumerate(itertools.pairwise(bounds)):
        source = f"part-{index}.jsonl" if files else "capture.jsonl"
        mine = [
            tuple.__new__(Sighting, (s.event, source, number, *s[3:]))
            for number, s in enumerate(sightings[start:end], start=1)
        ]
        tasks.append((source, 0 if files else lines, mine))
        lines += end - start
    return tasks


def _one_fold(
    tasks: list[tuple[str, int, list[Sighting]]], measuring: bool
) -> tuple[list[Output], StreamCounts]:
    fold = StreamFold(WINDOW, measuring=measuring)
    out: list[Output] = []
    for _, lines, sightings in tasks:
        for sighting in sightings:
            out += fold.add(sighting._replace(line=sighting.line + lines))
    out += fold.finish()
    return out, fold.counts


def _spread_fold(
    tasks: list[tuple[str, int, list[Sighting]]], parts: int, measuring: bool, kept: int
) -> tuple[list[Output], StreamCounts, dict[str, int]]:
    plan = StreamPlan()
    blobs: list[list[list[bytes]]] = [[] for _ in range(parts)]  # part -> task -> blobs
    for source, lines, sightings in tasks:
        written: list[list[bytes]] = [[] for _ in range(parts)]
        spreader = Spreader(parts, lambda part, blob, written=written: written[part].append(blob))
        middle = len(sightings) // 2  # a task hands its sightings on piece by piece
        spreader.add(sightings[:middle])
        spreader.add(sightings[middle:])
        plan.extend(spreader.close(), source, lines)
        for part in range(parts):
            blobs[part].append(written[part])
    outputs: list[list[bytes]] = [[] for _ in range(parts)]
    counts = StreamCounts()
    unlisted: dict[str, int] = {}
    for part in range(parts):
        result = fold_part(
            part, [plan], [blobs[part]], WINDOW, measuring, kept, outputs[part].append
        )
        counts.add(result.counts)
        for kind, number in result.unlisted.items():
            unlisted[kind] = unlisted.get(kind, 0) + number
    return list(merged(outputs)), counts, unlisted


@contextmanager
def _short_memory(span: int) -> Iterator[None]:
    """Redeliveries and ended interactions remembered for ``span`` messages, so that a
    shift of a few thousand messages forgets some of each."""
    with (
        mock.patch.object(stream, "REDELIVERY_REMEMBERED", span),
        mock.patch.object(stream, "ENDED_REMEMBERED", span * 2),
    ):
        yield


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    parts=st.integers(1, 6),
    cuts=st.lists(st.integers(1, 2_000), max_size=4),
    files=st.booleans(),
    span=st.sampled_from([40, 300, 200_000]),
    swept_last=st.booleans(),
)
def test_parts_fold_what_one_fold_folds(
    shift: tuple[Sighting, ...],
    seed: int,
    parts: int,
    cuts: list[int],
    files: bool,
    span: int,
    swept_last: bool,
) -> None:
    sightings = _perturbed(shift, random.Random(seed))
    if swept_last:  # the last message is one a sweep follows
        del sightings[len(sightings) // stream.SWEEP_EVERY * stream.SWEEP_EVERY :]
    tasks = _tasks(sightings, [cut for cut in cuts if cut < len(sightings)], files)
    with _short_memory(span):
        alone, counts = _one_fold(tasks, measuring=True)
        spread, spread_counts, unlisted = _spread_fold(tasks, parts, True, kept=10**9)
    assert spread == alone
    assert spread_counts == counts
    assert not unlisted
    kinds = {type(output) for output in alone}
    assert kinds == {StreamFinding, InteractionSummary}  # the traffic has findings to keep
    assert counts.redelivered
    if not swept_last:
        # the shift's planted never-ended interactions may all lie in the tail that cutting
        # at a sweep drops (2 seeds in 300); whole, every one of 300 seeds keeps some
        assert counts.never_ended


def test_each_part_lists_its_first_findings_and_counts_the_rest(
    shift: tuple[Sighting, ...],
) -> None:
    """With ``kept`` findings listed per part, the merged list still begins with the first
    ``kept`` findings of the whole stream, and every finding is counted."""
    tasks = _tasks(_perturbed(shift, random.Random(3)), [700, 1500], files=False)
    alone, _ = _one_fold(tasks, measuring=False)
    spread, _, unlisted = _spread_fold(tasks, 4, False, kept=5)
    assert len(alone) > 20
    assert spread[:5] == alone[:5]
    total: dict[str, int] = {}
    for found in alone:
        assert isinstance(found, StreamFinding)
        total[found.kind.value] = total.get(found.kind.value, 0) + 1
    listed: dict[str, int] = {}
    for found in spread:
        assert isinstance(found, StreamFinding)
        listed[found.kind.value] = listed.get(found.kind.value, 0) + 1
    assert {kind: listed.get(kind, 0) + unlisted.get(kind, 0) for kind in total} == total


def test_a_redelivery_is_remembered_for_a_span_of_messages() -> None:
    """The rule a part can apply alone: the same message again within the span of
    messages is a redelivery; past it, a message of its own."""
    message = Sighting("AgentStatusChange", "t", 1, fingerprint=7)
    other = Sighting("AgentStatusChange", "t", 2, fingerprint=8)
    with _short_memory(3):
        fold = StreamFold()
        near = [fold.add(message), fold.add(other), fold.add(message)]
        for _ in range(4):
            fold.add(other)
        far = fold.add(message)
    assert near[0] == near[1] == []
    assert [found.kind for found in near[2]] == [FindingKind.REDELIVERED]  # type: ignore[union-attr]
    assert far == []
    assert fold.counts.redelivered == 5  # the "other" repeats within the span too


# -- whole runs, in worker processes -----------------------------------------


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 64 << 10)  # each file cut into ranges
    return write_archive(tmp_path / "archive")


@pytest.fixture(params=["folded here", "spread"])
def folding(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways ``--jobs`` runs the stream checks: in the main process as the workers
    hand back their sightings (up to a few workers), or spread over them (beyond)."""
    if request.param == "spread":
        monkeypatch.setattr(runner, "FOLDED_HERE_UP_TO", 1)
    return str(request.param)


def test_jobs_fold_what_one_process_folds(
    archive: Path, capsys: pytest.CaptureFixture[str], folding: str
) -> None:
    alone = _outputs(capsys, "--jobs", "1", str(archive))
    report, rows = alone
    findings = report["stream"]["counts"]
    assert set(findings) >= {"redelivered", "out-of-order", "after-end", "sequence-regression"}
    assert report["stream"]["interactions"]["started_before_capture"] == 0  # followed across files
    assert len(rows.splitlines()) == report["stream"]["interactions"]["interactions"]
    for jobs in ("2", "3"):
        assert _outputs(capsys, "--jobs", jobs, str(archive)) == alone


def test_files_named_one_by_one_are_streams_of_their_own(
    archive: Path, capsys: pytest.CaptureFixture[str], folding: str
) -> None:
    files = sorted(str(path) for path in archive.iterdir())
    report, _ = _outputs(capsys, "--jobs", "1", *files)
    assert report["stream"]["interactions"]["started_before_capture"] > 0
    assert _outputs(capsys, "--jobs", "2", *files)[0] == report


REAL_FOLD = runner._fold_in_files
MAIN = os.getpid()


def _fold_dying(*arguments: Any) -> Any:
    """Phase two's worker killed (SIGKILL, the out-of-memory killer)."""
    if os.getpid() != MAIN:
        os._exit(137)
    return REAL_FOLD(*arguments)


def test_a_worker_killed_while_folding_changes_nothing(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _outputs(capsys, "--jobs", "1", str(archive))
    monkeypatch.setattr(runner, "FOLDED_HERE_UP_TO", 1)
    monkeypatch.setattr(runner, "_fold_in_files", _fold_dying)
    assert _outputs(capsys, "--jobs", "2", str(archive)) == alone


def test_a_timeless_message_opening_a_task_takes_the_streams_watermark() -> None:
    """A message without a time is placed at the latest time seen before it, in the whole
    stream: the start of a task is not the start of time."""
    before = [
        Sighting("AgentStatusChange", "a", number, time=1_000_000.0 + number, fingerprint=number)
        for number in range(1, 11)
    ]
    opened = Sighting("InteractionCreated", "a", 1, interaction="late-one", fingerprint=-1)
    after = [
        Sighting("AgentStatusChange", "a", number, time=1_000_010.0, fingerprint=10_000 + number)
        for number in range(2, 1_500)
    ]
    tasks = [("a", 0, before), ("a", 10, [opened, *after])]
    alone, counts = _one_fold(tasks, measuring=True)
    assert _spread_fold(tasks, 2, True, kept=10**9)[:2] == (alone, counts)
    assert counts.open_at_end == 1  # not forgotten as silent since the dawn of time


def test_scratch_files_that_cannot_be_written_are_a_usage_error(
    archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full or missing scratch folder: one line that says where, and what to do."""
    monkeypatch.setattr(runner, "FOLDED_HERE_UP_TO", 1)
    monkeypatch.setattr(spread, "part_file", lambda *_: archive / "gone" / "part")
    assert main(["validate", "--jobs", "2", str(archive)]) == 2
    error = capsys.readouterr().err
    assert "cannot use the stream checks' scratch files" in error
    assert "No such file or directory" in error
    assert "set TMPDIR to a folder with room, or pass --no-stream-checks" in error

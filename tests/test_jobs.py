"""How many processes a run uses: as asked, every core for ``auto``, and by default every
core only once the input is large enough to pay for starting them; the results are the
same whatever the number."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from eightbyeight_events import runner
from eightbyeight_events.cli import main
from eightbyeight_events.readers import expand
from eightbyeight_events.runner import AUTO_BYTES, Task, processes

CAPTURES = EXAMPLES / "captures"
CORES = len(os.sched_getaffinity(0))


def test_as_asked_every_core_for_auto_and_by_size_by_default(tmp_path: Path) -> None:
    small = expand([str(CAPTURES)])
    assert processes(3, small) == 3
    assert processes("auto", small) == CORES
    assert processes(None, small) == 1
    big = tmp_path / "big.jsonl"
    big.touch()
    os.truncate(big, AUTO_BYTES)  # sparse: its size is what counts, not its bytes
    assert processes(None, expand([str(big)])) == CORES
    assert processes(None, expand([str(big), str(CAPTURES)])) == CORES
    os.truncate(big, AUTO_BYTES - 1)
    assert processes(None, expand([str(big)])) == 1
    assert processes(None, expand(["-"])) == 1  # standard input has no size to go by


@pytest.mark.parametrize("command", ["validate", "interactions"])
def test_auto_gives_what_one_process_gives(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    form = "json" if command == "validate" else "jsonl"
    outputs = []
    for jobs in ("1", "auto"):
        main([command, "--format", form, "--jobs", jobs, str(CAPTURES)])
        outputs.append(capsys.readouterr().out)
    if command == "validate":
        one, auto = (json.loads(output) for output in outputs)
        assert one == auto  # nothing in the report depends on the processes
    else:
        assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "--jobs: 0 is not 1 or more"), ("lots", "--jobs: 'lots' is neither a number nor auto")],
)
def test_a_wrong_number_is_a_usage_error(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["validate", "--jobs", value, str(CAPTURES)])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def _dying(task: Task, *rest: Any) -> Any:
    """A worker killed while on the plain sample (SIGKILL, the out-of-memory killer)."""
    if task.source.name.endswith("sample.jsonl"):
        os._exit(137)
    return REAL_WORKER(task, *rest)


REAL_WORKER = runner._in_worker


def test_a_worker_killed_mid_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool cannot go on without it: its task and the rest are checked in the main
    process, to the same report, rather than waiting forever for a task that is lost."""
    main(["validate", "--format", "json", "--jobs", "1", str(CAPTURES)])
    alone = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(runner, "_in_worker", _dying)
    code = main(["validate", "--format", "json", "--jobs", "2", str(CAPTURES)])
    killed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert killed == alone
    lines = sum(len(path.read_bytes().splitlines()) for path in CAPTURES.glob("*.jsonl"))
    assert killed["summary"]["total"] == lines  # every message, the lost task's included

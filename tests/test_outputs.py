"""The files commands write: named only when whole, removed when the command fails, and a
write that fails (a full disk) is a usage error naming the file, for every command."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO
from eightbyeight_events.cli import main
from eightbyeight_events.outputs import written
from eightbyeight_events.readers import UsageError

CAPTURES = EXAMPLES / "captures"
FULL = Path("/dev/full")  # every write fails with ENOSPC, as on a full disk


def test_the_file_is_named_only_once_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with written(target) as out:
        out.write(b"one\n")
        assert not target.exists()
        assert (tmp_path / "out.jsonl.partial").exists()
    assert target.read_bytes() == b"one\n"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    "stop", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()]
)
def test_a_write_that_fails_or_a_stop_leaves_nothing(tmp_path: Path, stop: BaseException) -> None:
    target = tmp_path / "out.jsonl"

    def half_then_stop() -> None:
        with written(target, "--output") as out:
            out.write(b"half\n")
            raise stop

    expected = UsageError if isinstance(stop, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as raised:
        half_then_stop()
    assert list(tmp_path.iterdir()) == []
    if isinstance(stop, OSError):
        assert str(raised.value) == f"--output {target}: cannot write: No space left on device"


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["interactions", "--format", "csv", "--output", str(FULL), str(CAPTURES)], "--output"),
        (["generate", "--interactions", "20", "--output", str(FULL)], ""),
        (["validate", "--junit-xml", str(FULL), str(CAPTURES)], "--junit-xml"),
        (["diff", str(REPO / "schemas"), str(REPO / "schemas"), "--output", str(FULL)], "--output"),
    ],
    ids=["interactions", "generate", "validate-junit", "diff"],
)
def test_every_command_names_the_file_a_full_disk_refuses(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 2
    err = capsys.readouterr().err
    prefix = f"{message} " if message else ""
    assert f"8x8-events: error: {prefix}{FULL}: cannot write: No space left on device" in err
    assert "Traceback" not in err

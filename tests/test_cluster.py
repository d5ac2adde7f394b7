"""``--scheduler``: the same reports on a real Dask cluster (a scheduler and two worker
processes on 127.0.0.1) as in one local process, with inputs behind URLs, and with a
worker killed while it holds a task."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archives import outputs, write_archive
from conftest import EXAMPLES, REPO
from eightbyeight_events import runner
from eightbyeight_events.readers import expand
from eightbyeight_events.scale import cluster as cluster_module
from eightbyeight_events.scale.cluster import ADDRESS_VARIABLE

distributed = pytest.importorskip("distributed")
CAPTURES = EXAMPLES / "captures"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as local:
        yield local.scheduler_address


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(runner, "MIN_RANGE_BYTES", 64 << 10)  # each file cut into ranges
    monkeypatch.setattr(runner, "MAX_RANGE_BYTES", 128 << 10)
    return write_archive(tmp_path / "archive")


@pytest.fixture(params=["folded here", "spread"])
def folding(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a cluster runs the stream checks: folded by the client as the workers hand
    back their sightings (a few workers), or spread over the workers (more)."""
    if request.param == "spread":
        monkeypatch.setattr(cluster_module, "FOLDED_HERE_UP_TO", 1)
    return str(request.param)


def test_a_cluster_reports_what_one_process_reports(
    cluster: str, archive: Path, capsys: pytest.CaptureFixture[str], folding: str
) -> None:
    alone = outputs(capsys, "--jobs", "1", str(archive))
    report, rows = alone
    assert report["stream"]["counts"]["redelivered"] > 0
    assert len(rows.splitlines()) == report["stream"]["interactions"]["interactions"] > 500
    assert outputs(capsys, "--scheduler", cluster, str(archive)) == alone


def test_ranges_cut_inside_an_array_are_read_on_as_one_process_reads_them(
    cluster: str, archive: Path, capsys: pytest.CaptureFixture[str], folding: str
) -> None:
    """A file of the archive opens a JSON array part-way (indented: no look at the text
    before the run would tell) and closes it further on, so that several cuts fall inside
    it: its range that ends inside the array is read on to the file's end by a worker."""
    second = sorted(archive.iterdir())[1]
    lines = second.read_bytes().splitlines(keepends=True)
    third = len(lines) // 3
    lines[2 * third : 2 * third] = [b"]\n"]
    lines[third:third] = [b"  [\n"]
    second.write_bytes(b"".join(lines))
    options = runner.Options(jobs=2)
    assert len(runner.plan(expand([str(second)]), options, runner.CLUSTER_RANGES_PER_THREAD)) > 4
    alone = outputs(capsys, "--jobs", "1", str(archive))
    assert alone[0]["summary"]["unreadable"] == 0  # the array opened and closed once
    assert outputs(capsys, "--scheduler", cluster, str(archive)) == alone


def test_the_address_can_come_from_the_environment(
    cluster: str,
    archive: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dask's own variable, as its other tools read it; ``--jobs`` still runs locally."""
    alone = outputs(capsys, "--jobs", "1", str(archive))
    monkeypatch.setenv(ADDRESS_VARIABLE, cluster)
    assert outputs(capsys, str(archive)) == alone
    monkeypatch.setenv(ADDRESS_VARIABLE, "tcp://127.0.0.1:1")  # never reached under --jobs
    assert outputs(capsys, "--jobs", "2", str(archive)) == alone


@pytest.fixture
def served(archive: Path) -> Iterator[str]:
    """The archive's folder behind a web server on 127.0.0.1."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(archive))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def test_urls_are_read_where_the_work_runs(
    cluster: str, archive: Path, served: str, capsys: pytest.CaptureFixture[str], folding: str
) -> None:
    """Files named by URL, over HTTP and file://, gzipped or not, read by the workers (and
    locally)."""
    last = sorted(archive.iterdir())[-1]
    last.with_name(last.name + ".gz").write_bytes(gzip.compress(last.read_bytes()))
    last.unlink()  # the archive's last file, gzipped
    names = sorted(path.name for path in archive.iterdir())
    urls = [f"{served}/{name}" for name in names]
    local = outputs(capsys, "--jobs", "1", *urls)
    assert local[0]["summary"]["total"] > 0
    assert (
        local[0]["summary"]["total"]
        == outputs(capsys, "--jobs", "1", str(archive))[0]["summary"]["total"]
    )
    assert outputs(capsys, "--scheduler", cluster, *urls) == local
    folder = f"file://{archive}/"
    glob = f"file://{archive}/*.jsonl*"
    alone = outputs(capsys, "--jobs", "1", folder)
    assert alone[0]["stream"]["interactions"]["started_before_capture"] == 0  # one stream
    assert outputs(capsys, "--scheduler", cluster, glob)[1] == alone[1]


def test_a_worker_killed_holding_a_task_changes_nothing(cluster: str, tmp_path: Path) -> None:
    """The worker reading the capture is killed (SIGKILL, the out-of-memory killer) while
    it waits for the capture's bytes; Dask gives its task to another worker, whose report
    is the one a local run gives."""
    content = b"".join(
        path.read_bytes() for path in sorted(write_archive(tmp_path / "archive").iterdir())
    )
    capture = tmp_path / "capture.jsonl"
    os.mkfifo(capture)  # the task waits on it: a worker surely holding its task
    command = [sys.executable, "-m", "eightbyeight_events", "validate", "--format", "json"]
    running = subprocess.Popen(
        [*command, "--scheduler", cluster, str(capture)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with distributed.Client(cluster) as client:
        holder = _holder(client)
        pid = client.run(os.getpid, workers=[holder])[holder]
        os.kill(pid, signal.SIGKILL)
        _holder(client, other_than=holder)  # given to another: the killed one cannot read
        with capture.open("wb") as stream:  # opened once that one reads it
            stream.write(content)
    out, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    on_cluster = json.loads(out)
    capture.unlink()
    capture.write_bytes(content)
    alone = subprocess.run(
        [*command, "--jobs", "1", str(capture)], capture_output=True, check=False
    )
    assert on_cluster == json.loads(alone.stdout)
    assert on_cluster["summary"]["total"] == content.count(b"\n")


def _holder(client: distributed.Client, other_than: str | None = None) -> str:
    """The worker processing a task, once one (other than ``other_than``) is."""
    for _ in range(600):
        found = client.processing().items()
        busy = [worker for worker, keys in found if keys and worker != other_than]
        if busy:
            return busy[0]
        time.sleep(0.1)
    raise AssertionError("no worker took the task")


def test_a_scheduler_that_cannot_be_used_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], archive: Path
) -> None:
    from eightbyeight_events.cli import main

    assert main(["validate", "--scheduler", "nonsense", str(archive)]) == 2
    assert "--scheduler: missing port number in address 'nonsense'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--scheduler", "tcp://127.0.0.1:1", "--jobs", "2", str(archive)])
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def _blocks(section: str) -> list[str]:
    guide = (REPO / "docs" / "archives.md").read_text(encoding="utf-8")
    found = guide.split(section, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", found, flags=re.S)


def test_the_guides_commands_run_as_written(tmp_path: Path) -> None:
    """The one-machine commands and the local cluster's, on the bundled captures; the
    cluster's port is a free one, in case 8786 is taken."""
    (tmp_path / "captures").symlink_to(CAPTURES)
    (tmp_path / "archive").symlink_to(CAPTURES)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    local = _blocks("## One machine: `--jobs`")[0]
    cluster = _blocks("### A local cluster")[0].replace("8786", port)
    bin_folder = Path(sys.executable).parent
    script = "set -e\ntrap 'kill $(jobs -p) 2>/dev/null' EXIT\n" + local + cluster
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_folder}:{os.environ['PATH']}"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "interactions.parquet").exists()
    assert done.stdout.count("Checked ") == 2  # --jobs auto, then the cluster

"""The run on a Dask cluster (``--scheduler``): the tasks and the two phases of the stream
checks that ``--jobs`` runs in local processes, as Dask futures.

Phase one checks each task on a worker and keeps its records for the parts there, as task
results; the client gathers only each task's tally and account (``Spread``), in task
order. Phase two folds each part on a worker from the records Dask brings it, and the
client merges the parts' outputs, as locally. Dask retries a task whose worker died, and
every task gives the same result wherever and however often it runs, so the report is the
one a local run gives.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from eightbyeight_events.readers import UsageError
from eightbyeight_events.remote import INSTALL
from eightbyeight_events.runner import (
    FOLDED_HERE_UP_TO,
    PARTS_PER_JOB,
    TASKS_AHEAD,
    YOUNG_COLLECTION_EVERY,
    Checked,
    Cuts,
    Folds,
    Lines,
    Progress,
    Task,
    ahead,
    book_handed,
    gathered,
    handed_back,
    numbered,
)
from eightbyeight_events.scale.spread import PartResult, Spreader, Spreads, book_parts, fold_part
from eightbyeight_events.stream import StreamCounts
from eightbyeight_events.tally import STREAM_FINDINGS_KEPT, Ledger

if TYPE_CHECKING:
    from distributed import Client, Future

ADDRESS_VARIABLE = "DASK_SCHEDULER_ADDRESS"
WAIT_FOR_WORKERS = 30
"""Seconds to wait for a first worker: one started with the scheduler takes a moment."""

T = TypeVar("T")
Worked = tuple[Checked, list[list[bytes]]]
"""A task's result on its worker: its tally and account, and its records for each part."""


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to run on: ``--scheduler``, else ``$DASK_SCHEDULER_ADDRESS``."""
    return given or os.environ.get(ADDRESS_VARIABLE) or None


# -- on the workers ------------------------------------------------------------


def _version() -> str:
    from eightbyeight_events import __version__

    return __version__


def _check(task: Task, hand_back: bool) -> Checked:
    """A task checked: its tally and, with ``hand_back``, its sightings."""
    _collect_rarely()
    return handed_back(task) if hand_back else gathered(task, None)


def _spread(task: Task, parts: int) -> Worked:
    """Phase one of a task whose stream checks are spread: its tally and account, and its
    records for each part."""
    _collect_rarely()
    blobs: list[list[bytes]] = [[] for _ in range(parts)]

    def keep(part: int, blob: bytes) -> None:
        blobs[part].append(blob)

    spreader = Spreader(parts, keep)
    checked = gathered(task, spreader.add)
    checked.spread = spreader.close()
    return checked, blobs


def _collect_rarely() -> None:
    """The worker's cycle collector set as a local run sets it (``runner._few_collections``
    says why): left at Python's default, it walked the worker's heap for a quarter of a
    task's time."""
    if gc.get_threshold()[0] < YOUNG_COLLECTION_EVERY:
        gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])


def _account(worked: Worked) -> Checked:
    return worked[0]


def _records(worked: Worked, part: int) -> list[bytes]:
    return worked[1][part]


def _fold(
    part: int,
    plans: Any,
    blobs: list[list[list[bytes]]],
    window: float,
    measuring: bool,
) -> tuple[PartResult, list[bytes]]:
    """Phase two of a part, its outputs handed back as blobs."""
    _collect_rarely()
    outputs: list[bytes] = []
    result = fold_part(part, plans, blobs, window, measuring, STREAM_FINDINGS_KEPT, outputs.append)
    return result, outputs


# -- on the client ---------------------------------------------------------------


def _connect(address: str) -> Client:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(f"--scheduler needs dask.distributed: {INSTALL}") from None
    from distributed.comm.addressing import get_address_host_port

    try:
        get_address_host_port(address)  # before a client, which would wait to close
    except ValueError as error:
        raise UsageError(f"--scheduler: {error}; an address looks like tcp://HOST:PORT") from None
    try:
        return Client(address, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}") from None


def _same_version(client: Client) -> None:
    """Every worker must run this version: the report is theirs."""
    from eightbyeight_events import __version__

    try:
        client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
    except TimeoutError:
        raise UsageError(f"no worker joined the Dask cluster within {WAIT_FOR_WORKERS} s") from None
    try:
        found = client.run(_version)
    except Exception as error:  # whatever a worker raised: it cannot run us
        raise UsageError(
            f"the Dask workers cannot run 8x8-events ({type(error).__name__}: {error}); "
            f"install 8x8-event-schemas[dask]=={__version__} on every worker"
        ) from None
    if not found:
        raise UsageError("the Dask cluster has no worker")
    other = {worker: version for worker, version in found.items() if version != __version__}
    if other:
        worker, version = next(iter(other.items()))
        raise UsageError(
            f"Dask worker {worker} runs 8x8-event-schemas {version}, this is {__version__}: "
            "install the same version on every worker"
        )


class Cluster:
    """A connection to a Dask cluster whose workers run this version."""

    def __init__(self, client: Client) -> None:
        self.client = client
        threads = client.nthreads()  # type: ignore[no-untyped-call]
        self.threads = max(1, sum(threads.values()))
        """the threads of all its workers: the tasks it can run at once"""

    def run(
        self,
        tasks: list[Task],
        ledger: Ledger,
        progress: Progress | None,
        window: float | None,
    ) -> StreamCounts:
        """What ``runner.run`` does with local processes, on the cluster's workers."""
        client = self.client
        spreads: Spreads[list[Future[Any]]] = Spreads(self.threads * PARTS_PER_JOB)
        # folded here as the workers hand back their sightings, while this process keeps
        # up with them (as runner does with local processes); beyond, spread over them
        here = Folds(ledger, window) if window and self.threads <= FOLDED_HERE_UP_TO else None
        spreading = window is not None and here is None

        def submit(task: Task, _: str) -> tuple[Future[Any], Future[Any]]:
            """The task's result on its worker, and its account for this process."""
            if not spreading:
                checked = client.submit(_check, task, here is not None, pure=False)
                return checked, checked
            worked = client.submit(_spread, task, spreads.parts, pure=False)
            return worked, client.submit(_account, worked, pure=False)

        lines, cuts = Lines(), Cuts(tasks)
        steps = ahead(len(tasks), self.threads * TASKS_AHEAD, numbered(tasks, submit))
        for index, found in steps:
            worked, account = found  # type: ignore[misc]  # None only for a process pool
            task = tasks[index]
            if progress:
                progress(task.size, 0)
            if cuts.dropped(task):  # read with an earlier range of its file
                worked.release()
                account.release()
                continue
            checked = _taken(account, task.source.name)
            again = cuts.again(task, checked)
            if again is not None:  # read on to its file's end, on a worker
                worked.release()
                task = again
                worked, account = submit(task, "")
                checked = _taken(account, task.source.name)
            offset = lines.before.get(task.source.name, 0)
            book_handed(lines, ledger, task, checked.piece)
            if here is not None:
                here.feed_wire(task, checked.wire, offset)
            if checked.spread is not None:
                records = [
                    client.submit(_records, worked, part, pure=False)
                    for part in range(spreads.parts)
                ]
                stream = task.source.stream or task.source.name
                spreads.add(stream, task.source.name, checked.spread, offset, records)
        if here is not None:
            return here.finish()
        if window is None:
            return StreamCounts()
        return _fold_parts(client, spreads, ledger, window)


@contextmanager
def connected(address: str) -> Iterator[Cluster]:
    """The cluster whose scheduler listens at ``address``, once every worker is seen to
    run this version."""
    with _connect(address) as client:
        _same_version(client)
        yield Cluster(client)


def _result(future: Future[T], what: str) -> T:
    """A task's result; what a worker raised (a store's package missing there, a task
    whose workers kept dying) is said in a line that names the task."""
    try:
        return future.result()
    except Exception as error:  # whatever the worker raised, it ends the run alike
        raise UsageError(f"{what}: a Dask worker failed: {type(error).__name__}: {error}") from None


def _taken(future: Future[T], what: str) -> T:
    """A task's result (see ``_result``); its worker may then forget it."""
    try:
        return _result(future, what)
    finally:
        future.release()  # type: ignore[no-untyped-call]


def _fold_parts(
    client: Client, spreads: Spreads[list[Future[Any]]], ledger: Ledger, window: float
) -> StreamCounts:
    measuring = ledger.on_summary is not None
    folding = {
        part: client.submit(
            _fold,
            part,
            spreads.plans,
            [[records[part] for records in stream] for stream in spreads.handles],
            window,
            measuring,
            pure=False,
        )
        for part in spreads.largest_first()
    }
    results: dict[int, tuple[PartResult, list[bytes]]] = {
        part: _result(future, f"part {part} of the stream checks")
        for part, future in folding.items()
    }
    outputs = (results[part][1] for part in range(spreads.parts))
    return book_parts(ledger, (result for result, _ in results.values()), outputs)

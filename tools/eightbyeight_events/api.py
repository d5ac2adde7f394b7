"""Validating from Python, with the same code the ``8x8-events validate`` command runs.

from eightbyeight_events import validate_event, validate_capture

verdict = validate_event(b'{"AgentStatusChange": {"agentId": "ag64oyEUb_Sk6bxVB9P5yaaa"}}')
verdict.status           # "valid", "invalid", "unknown" or "unreadable"
verdict.errors           # (Finding(pointer, rule, message, document), ...)

run = validate_capture(["capture.jsonl.gz"])
run.passed, run.tally.statuses, as_json(run)
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import Any, Union

from eightbyeight_events.contract import Content, load_contract
from eightbyeight_events.failure import DEFAULT, parse_fail_on
from eightbyeight_events.loader import Delivery, UnknownEvent, parse_event
from eightbyeight_events.model_base import Model
from eightbyeight_events.readers import expand
from eightbyeight_events.report import Run
from eightbyeight_events.runner import Options, checked_pieces, plan, run
from eightbyeight_events.stream import DEFAULT_WINDOW, Output, Sighting, StreamFold
from eightbyeight_events.tally import Ledger, LineResult
from eightbyeight_events.verdict import Verdict

__all__ = ["fold_events", "iter_capture", "validate_capture", "validate_event"]


Paths = Union[str, os.PathLike[str], Iterable[Union[str, os.PathLike[str]]]]  # noqa: UP007
"""One path, or several: files, directories, ``-`` for standard input."""


def _paths(paths: Paths) -> list[str]:
    """The paths as the command line gives them; one path alone is one path, not the
    characters of its name."""
    if isinstance(paths, str | os.PathLike):
        return [os.fspath(paths)]
    found = []
    for path in paths:
        if not isinstance(path, str | os.PathLike):
            raise TypeError(f"a path is a str or an os.PathLike, not {type(path).__name__}")
        found.append(os.fspath(path))
    return found


def validate_event(message: Any, *, frame: bool = False) -> Verdict:
    """The verdict on one decoded event: a mapping, or its JSON text as ``str`` or any
    bytes-like object. Whatever the value, the answer is a verdict, never an exception.

    With ``frame=True`` the input is a Pulsar WebSocket frame instead.
    """
    return load_contract().judge_input(message, "frames" if frame else "events")


def validate_capture(
    paths: Paths,
    *,
    input_format: Content = "auto",
    fail_on: str | Iterable[str] = DEFAULT,
    strict: bool = False,
    jobs: int = 1,
    max_results: int | None = None,
    stream_window: float | None = DEFAULT_WINDOW,
) -> Run:
    """Check whole captures (files, directories, ``-``) as the command does.

    ``fail_on`` names the failure classes that fail the run, as ``--fail-on``
    does (``"invalid,undeclared-field"`` or a list; ``strict=True`` is ``"all"``);
    ``run.passed`` and ``run.failed_classes`` say how it went.
    ``run.tally.results`` lists the messages that are not valid, all of them
    unless ``max_results`` caps the list (the counts stay exact);
    ``run.ledger.stream_findings`` what the stream checks found
    (``stream_window=None`` leaves them out).
    """
    options = Options(input_format=input_format, jobs=jobs, stream=stream_window is not None)
    ledger = Ledger(keep=max_results)
    started = time.perf_counter()
    run(plan(expand(_paths(paths)), options), ledger, jobs, None, stream_window)
    classes = parse_fail_on("all" if strict else fail_on)
    return Run(ledger, classes, time.perf_counter() - started)


def iter_capture(paths: Paths, *, input_format: Content = "auto") -> Iterator[LineResult]:
    """Every message's result, valid ones included, in input order, as checking goes.

    Streams: memory stays flat however long the capture.
    """
    options = Options(input_format=input_format, keep="all")
    for task in plan(expand(_paths(paths)), options):
        for piece in checked_pieces(task):
            yield from piece.tally.results


def fold_events(events: Iterable[Any], window: float = DEFAULT_WINDOW) -> Iterator[Output]:
    """Stream findings and interaction summaries of events, in arrival order.

    Takes what ``parse_event`` returns (the generated models) or what
    ``parse_frame`` returns (a ``Delivery``, whose ``message_id`` tells
    redeliveries apart), one after another, as a consumer receives them.
    Anything else (JSON text, a decoded dict) is parsed with ``parse_event``
    first, so a message that is not valid raises its ``EventError`` rather
    than pass unseen; an event type the catalogue lacks counts as one.
    """
    fold = StreamFold(window)
    for number, item in enumerate(events, start=1):
        message_id = item.message_id if isinstance(item, Delivery) else None
        event = item.event if isinstance(item, Delivery) else item
        if not isinstance(event, Model | UnknownEvent):
            event = parse_event(event, unknown="value")
        fingerprint = None if message_id is not None else hash(repr(event))
        name = type(event).__name__
        yield from fold.add(Sighting.of(name, event, "<events>", number, message_id, fingerprint))
    yield from fold.finish()

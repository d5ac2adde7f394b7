"""The ``8x8-events`` command."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eightbyeight_events import __version__, pulsar
from eightbyeight_events.argtypes import count, jobs, positive, subcommand
from eightbyeight_events.failure import CLASSES, DEFAULT, MEANINGS, FailOnError, parse_fail_on
from eightbyeight_events.outputs import add_to_step_summary, written
from eightbyeight_events.parquet import ParquetRows, interactions_file, results_file
from eightbyeight_events.readers import DEFAULT_MAX_LINE_BYTES, Source, UsageError, expand
from eightbyeight_events.report import (
    GithubStream,
    JsonStream,
    Run,
    as_junit,
    as_text,
    encode,
    summary_writer,
)
from eightbyeight_events.runner import (
    AUTO_BYTES,
    CLUSTER_RANGES_PER_THREAD,
    Options,
    Task,
    plan,
    processes,
    run,
)

if TYPE_CHECKING:
    from eightbyeight_events.scale.cluster import Cluster
from eightbyeight_events.specdiff import command as diff_command
from eightbyeight_events.step_summary import as_markdown
from eightbyeight_events.stream import DEFAULT_WINDOW, InteractionSummary
from eightbyeight_events.tally import Keep, Ledger, LineResult
from eightbyeight_events.traffic import command as generate_command
from eightbyeight_events.wording import counted

VALIDATE_HELP = """\
Validate captured 8x8 Event Streaming traffic against the spec.

Every message gets exactly one status: valid, invalid (schema errors),
unknown (a wrapper or event name the catalogue lacks) or unreadable (not
JSON, bad base64, not UTF-8, nested too deep, too long, truncated). Pulsar
control messages and blank lines are counted apart. Drift (undeclared
fields, attachedData keys outside the catalogue, new values of open lists),
call states outside the event table and stream findings are reported too.

What fails the run is chosen with --fail-on, a comma-separated list of
failure classes (default: invalid,unknown,unreadable):
{classes}
  drift             the four drift classes above
  all               every class (--strict)

Inputs: JSON Lines, pretty-printed documents, concatenated documents (what
jq prints), RFC 7464 sequences, JSON arrays, and any mix of these; decoded
events and Pulsar WebSocket frames (the base64 payload is decoded and
checked, findings carry the frame's messageId), told apart per message; any
of these gzipped; directories (searched recursively for *.jsonl, *.ndjson,
*.json, *.txt, *.log, optionally .gz) and globs; URLs of object stores and
web servers (s3://, gs://, abfs://, https://: pip install
'8x8-event-schemas[dask]' and the store's package); FIFOs and process
substitution; - for standard input. Each message is reported at the line it
starts on. Each argument is one stream for the stream checks: a directory's
or a glob's files are followed across, in sorted path order.

exit codes:
  0  no finding of a class the run fails on
  1  a finding of a class the run fails on (--fail-on), or an empty source
     under --fail-empty
  2  usage error, such as a missing file or a report that cannot be written

examples:
  8x8-events validate capture.jsonl
  8x8-events validate --format json captures/ > report.json
  8x8-events validate --jobs 2 --junit-xml results.xml big-capture.jsonl
  8x8-events validate --scheduler tcp://10.0.0.5:8786 's3://captures/2026-11/*.jsonl.gz'
  8x8-events validate --format github captures/      # annotations in a GitHub workflow
  8x8-events validate --fail-on invalid,unreadable,undeclared-field capture.jsonl
  websocat wss://... | 8x8-events validate -
  8x8-events validate <(zcat old-capture.jsonl.gz)
""".replace(
    "{classes}\n", "".join(f"  {name:<18}{meaning}\n" for name, meaning in MEANINGS.items())
)


INTERACTIONS_HELP = """\
One record per interaction of a capture, measured on the lifecycle's steps:

  queue_s   the InteractionAssigned that led to the accepted offer, minus the
            first InteractionQueued
  ring_s    InteractionAccepted (outbound: InteractionCustomerAccepted) minus
            that InteractionAssigned
  talk_s    InteractionPostProcess minus the acceptance, holds included
  hold_s    the sum of on-hold to off-hold intervals (holds: how many)
  wrapup_s  InteractionEndPostProcess minus InteractionPostProcess

  offered_agents   agentId of each InteractionAssigned (every offer)
  handling_agents  agentId of each InteractionAccepted (outbound:
                   InteractionCustomerAccepted): who took it
  participants     the agents participatingAgents names on any event
                   (transfers, conferences; "," and ";" alike)

on interactionEventTS, then msgInfo.timestamp, then eventTS. Durations are in
seconds, empty when a bound is missing. outcome is answered, abandoned,
unanswered or open (no InteractionDeleted in the capture); complete says
whether both its start and its end are in the capture. Redeliveries are
ignored and late arrivals put in lifecycle order before measuring; only valid
messages count (8x8-events validate says what the others are).

--format parquet writes typed columns for DuckDB, Polars or Spark (started
and ended as UTC timestamps, durations as numbers, the agent lists as lists)
to --output; it needs pyarrow (pip install '8x8-event-schemas[parquet]').

examples:
  8x8-events interactions capture.jsonl
  8x8-events interactions --format csv captures/ > interactions.csv
  8x8-events interactions --jobs 2 --format jsonl big-capture.jsonl
  8x8-events interactions --format parquet --output interactions.parquet captures/
"""


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="8x8-events",
        description="Tools for the 8x8 Contact Center Event Streaming spec.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = subcommand(commands, "validate", "validate captured traffic", VALIDATE_HELP)
    _add_inputs(validate)
    validate.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="report on standard output: text for people, json for programs, github for "
        "workflow annotations followed by the text report, and a Markdown summary added to "
        "the file $GITHUB_STEP_SUMMARY names when it is set (default: %(default)s)",
    )
    validate.add_argument(
        "--all", action="store_true", help="list valid messages too in the JSON report's results"
    )
    validate.add_argument(
        "--max-results",
        type=positive,
        metavar="N",
        help="list at most N messages in the JSON report or as annotations (counts stay exact)",
    )
    validate.add_argument(
        "--junit-xml",
        type=Path,
        metavar="FILE",
        help="also write a JUnit XML report to FILE, one test case per source, for CI systems",
    )
    validate.add_argument(
        "--results-parquet",
        type=Path,
        metavar="FILE",
        help="also write a Parquet file, one row per message that fails or drifts (source, "
        "line, status, event_type, message_id, pointers, rules, messages, drift); "
        "needs pyarrow",
    )
    validate.add_argument(
        "--fail-on",
        type=_fail_on,
        default=DEFAULT,
        metavar="CLASS[,CLASS...]",
        help="what fails the run (exit 1); classes: "
        + ", ".join(CLASSES)
        + "; groups: drift (its four kinds), all (default: invalid,unknown,unreadable)",
    )
    validate.add_argument(
        "--strict",
        dest="fail_on",
        action="store_const",
        const=frozenset(CLASSES),
        help="fail the run on every class (the same as --fail-on all)",
    )
    validate.add_argument(
        "--fail-empty",
        action="store_true",
        help="fail the run (exit 1) when a source holds no message",
    )
    validate.add_argument(
        "--no-stream-checks",
        dest="stream",
        action="store_false",
        help="check each message alone: no redeliveries, ordering, lifecycle or sequence checks",
    )
    _add_window(validate, "forget an interaction after this much event time without a message")
    _add_jobs(validate)
    validate.add_argument(
        "--max-line-bytes",
        type=positive,
        default=DEFAULT_MAX_LINE_BYTES,
        metavar="N",
        help="longer documents are unreadable (default: %(default)s)",
    )
    validate.add_argument(
        "--places",
        type=positive,
        default=3,
        metavar="N",
        help="places shown per error group in the text report (default: %(default)s)",
    )
    validate.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress line on standard error; auto shows it on a terminal (default: %(default)s)",
    )
    interactions = subcommand(
        commands,
        "interactions",
        "one record per interaction: queue, ring, talk, hold and wrap-up times",
        INTERACTIONS_HELP,
    )
    _add_inputs(interactions)
    interactions.add_argument(
        "--format",
        choices=("table", "jsonl", "csv", "parquet"),
        default="table",
        help="table for people; jsonl, csv or parquet for programs (default: %(default)s)",
    )
    interactions.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write to FILE instead of standard output (parquet: required)",
    )
    _add_window(interactions, "an interaction silent this long in event time is reported open")
    _add_jobs(interactions)
    _capture_parser(commands)
    _replay_parser(commands)
    generate_command.add_parser(commands)
    diff_command.add_parser(commands)
    return main


CAPTURE_HELP = """\
Capture the live stream: every frame as received, one per line, then
acknowledged. A frame is acknowledged only once it is in the file (--fsync:
on the disk), so the service keeps whatever the file lacks: when the output
cannot be written (a full disk, a read-only file), capture says so once,
acknowledges nothing more and tries the write again until it succeeds.

Started again on the same --output, it reads the file back from its end and
continues after the last frame written; redelivered frames, and messages
without a messageId seen before, are written once. A frame that came
pretty-printed is written on one line; a message that is not JSON text goes
to OUTPUT.rejected.jsonl. It reconnects by itself (exponential back-off with
jitter, starting over after a session that brought new frames) after a drop,
a close or a missing pong (ping every 20 s, 10 s to answer); each reconnect
line names the URL and the wait. SIGINT and SIGTERM close the file cleanly.

The API key is read from the environment variable named by --api-key-env
(default EIGHTBYEIGHT_API_KEY) or from --api-key-file; never from the command
line. It is sent only to the origin of --url or --region (a redirect to
another host or port is refused), and never printed or written anywhere.

exit codes:
  0  stopped as asked (SIGINT, SIGTERM, --max-messages, --exit-at-end)
  1  stopped while frames could not be written (they were not acknowledged)
  2  setup error: no or unusable key, key refused (HTTP 401, 403), a URL that
     answers plain HTTP instead of a WebSocket upgrade, a redirect elsewhere
  3  --give-up-after passed without a new frame

examples:
  EIGHTBYEIGHT_API_KEY=... 8x8-events capture --region use1 --tenant acme \\
      --output capture.jsonl --rotate 1h --validate
  8x8-events capture --url ws://127.0.0.1:8765 --tenant acmecorp01 \\
      --from earliest --exit-at-end --output out.jsonl
"""

REPLAY_HELP = """\
Serve captured traffic locally over ws://, speaking the same Pulsar WebSocket
protocol as the service: reader and consumer endpoints for event-v1/all,
event-v1/{EventType} and agent-v1/{agentId}; messageId (earliest, latest or
after an id); receiverQueueSize (nothing more is sent until acks arrive);
isEndOfTopic. A wrong key gets HTTP 401, another tenant 403. Decoded events
are wrapped into frames with stable message ids.

examples:
  8x8-events replay examples/captures/sample-frames.jsonl --api-key k
  8x8-events replay capture.jsonl --api-key k --port 8765 --speed 1 --loop
  8x8-events replay capture.jsonl --api-key k --redeliver-rate 0.05 \\
      --drop-connection-every 500 --reorder-window 8
"""


def _add_jobs(command: argparse.ArgumentParser) -> None:
    where = command.add_mutually_exclusive_group()
    where.add_argument(
        "--jobs",
        type=jobs,
        metavar="N",
        help="processes to use, or auto for every core; large plain files are split by byte "
        f"range (default: every core once the files hold {AUTO_BYTES >> 20} MiB, else 1)",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler listens at ADDRESS, such as "
        "tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, unless --jobs is given); "
        "its workers need 8x8-event-schemas[dask] of this version and must reach the "
        "inputs: URLs of an object store, or paths of a shared file system",
    )


def _placed(
    arguments: argparse.Namespace, sources: list[Source], stack: ExitStack
) -> tuple[Cluster | None, int]:
    """Where a run goes: the Dask cluster, if any (connected, its workers checked), and
    how many tasks run at once, there or in local processes."""
    from eightbyeight_events.scale.cluster import connected, scheduler_address

    address = scheduler_address(arguments.scheduler) if arguments.jobs is None else None
    cluster = stack.enter_context(connected(address)) if address else None
    return cluster, cluster.threads if cluster else processes(arguments.jobs, sources)


def _tasks(sources: list[Source], options: Options, cluster: Cluster | None) -> list[Task]:
    """The run's tasks; on a cluster, a file's ranges are fewer (each costs round trips)."""
    return plan(sources, options, *((CLUSTER_RANGES_PER_THREAD,) if cluster else ()))


def _add_inputs(command: argparse.ArgumentParser) -> None:
    """The inputs every reading command takes."""
    command.add_argument(
        "paths", nargs="+", metavar="PATH", help="capture file, directory, or - for standard input"
    )
    command.add_argument(
        "--input-format",
        choices=("auto", "events", "frames"),
        default="auto",
        help="what every message is, instead of telling it per message (default: %(default)s)",
    )


def _add_window(command: argparse.ArgumentParser, meaning: str) -> None:
    command.add_argument(
        "--stream-window",
        type=_duration,
        default=DEFAULT_WINDOW,
        metavar="TIME",
        help=f"{meaning} (e.g. 4h, 30m, 900s; default: 4h)",
    )


def _capture_parser(commands: Any) -> None:
    capture = subcommand(
        commands, "capture", "capture the live stream into files, resumable", CAPTURE_HELP
    )
    where = capture.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        choices=sorted(pulsar.REGIONS),
        default="use1",
        help="the service's region: "
        + ", ".join(f"{code} {name}" for code, name in sorted(pulsar.REGIONS.items()))
        + " (default: %(default)s)",
    )
    where.add_argument("--url", help="the service's base URL instead (e.g. ws://127.0.0.1:8765)")
    capture.add_argument("--tenant", required=True, help="the tenant whose events to read")
    capture.add_argument(
        "--topic",
        default=pulsar.DEFAULT_TOPIC,
        help="event-v1/all (default), event-v1/{EventType} or agent-v1/{agentId}",
    )
    capture.add_argument("--subscription", help="read as this subscription's consumer")
    capture.add_argument(
        "--api-key-env",
        default="EIGHTBYEIGHT_API_KEY",
        metavar="NAME",
        help="the environment variable holding the API key (default: %(default)s)",
    )
    capture.add_argument(
        "--api-key-file", type=Path, metavar="FILE", help="read the API key from this file instead"
    )
    capture.add_argument("--output", required=True, help="file to append to, or - for stdout")
    capture.add_argument(
        "--rotate", type=_rotation, metavar="WHEN", help="start a new file after 1h, 100MB, ..."
    )
    capture.add_argument(
        "--from",
        dest="start",
        choices=("earliest", "latest"),
        default="latest",
        help="where a new capture starts (default: %(default)s); a resumed one continues",
    )
    capture.add_argument(
        "--receiver-queue-size",
        type=positive,
        default=pulsar.DEFAULT_QUEUE,
        metavar="N",
        help="messages the service may send ahead of acknowledgements (default: %(default)s)",
    )
    capture.add_argument("--validate", action="store_true", help="live summary on stderr")
    capture.add_argument(
        "--exit-at-end", action="store_true", help="stop when the topic has nothing more"
    )
    capture.add_argument(
        "--max-messages", type=positive, metavar="N", help="stop after N messages are written"
    )
    capture.add_argument(
        "--ping-interval",
        type=float,
        default=20.0,
        metavar="S",
        help="seconds between keep-alive pings (default: %(default)s)",
    )
    capture.add_argument(
        "--fsync",
        action="store_true",
        help="have each frame on the disk, not just in the file, before acknowledging it",
    )
    capture.add_argument(
        "--max-frame-bytes",
        type=positive,
        default=pulsar.DEFAULT_MAX_FRAME_BYTES,
        metavar="N",
        help="a longer message is refused, not held in memory (default: %(default)s, 16 MiB)",
    )
    capture.add_argument(
        "--give-up-after",
        type=_duration,
        metavar="TIME",
        help="end (exit 3) when no new frame was written for this long, e.g. 10m (default: never)",
    )
    capture.add_argument(
        "--ping-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="a pong missing this long drops the session (default: %(default)s)",
    )


def _replay_parser(commands: Any) -> None:
    replay = subcommand(
        commands, "replay", "serve a capture locally, as the service would", REPLAY_HELP
    )
    replay.add_argument(
        "paths", nargs="+", metavar="CAPTURE", help="capture files: frames or plain events"
    )
    replay.add_argument("--api-key", required=True, help="the key clients must send")
    replay.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    replay.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to listen on; 0 picks a free one (default: %(default)s)",
    )
    replay.add_argument(
        "--tenant", default="acmecorp01", help="the tenant in the path (default: %(default)s)"
    )
    replay.add_argument(
        "--speed", type=float, default=0.0, help="1 replays at the captured pace; 0 at once"
    )
    replay.add_argument("--loop", action="store_true", help="start over at the end")
    replay.add_argument(
        "--redeliver-rate",
        type=_share,
        default=0.0,
        metavar="RATE",
        help="share of messages sent a second time with redeliveryCount 1, 0 to 1",
    )
    replay.add_argument(
        "--drop-connection-every",
        type=count,
        default=0,
        metavar="N",
        help="close each session after N messages; a client resumes where it stopped",
    )
    replay.add_argument(
        "--reorder-window",
        type=count,
        default=0,
        metavar="N",
        help="shuffle messages within windows of N, as late delivery would",
    )
    replay.add_argument("--seed", type=int, default=1, help="for the faults (default: 1)")


def _rotation(text: str) -> tuple[int | None, float | None]:
    units = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
    for unit, size in units.items():
        if text.upper().endswith(unit):
            try:
                return int(float(text[: -len(unit)]) * size), None
            except ValueError:
                break
    try:
        return None, _duration(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected a size (100MB) or a time (1h)"
        ) from None


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def _fail_on(text: str) -> frozenset[str]:
    try:
        return parse_fail_on(text)
    except FailOnError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    try:
        value = float(number) * units[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration such as 4h, 30m or 900s"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not more than zero")
    return value


def validate(arguments: argparse.Namespace) -> int:
    with ExitStack() as stack:
        junit = None
        if arguments.junit_xml is not None:
            junit = stack.enter_context(written(arguments.junit_xml, "--junit-xml"))
        sources = expand(arguments.paths)
        results = _results_file(arguments.results_parquet, stack)
        keep: Keep = "all" if arguments.all else "drift" if results else "problems"
        cluster, workers = _placed(arguments, sources, stack)
        options = Options(
            arguments.input_format,
            arguments.max_line_bytes,
            keep,
            workers,
            arguments.stream,
            portable=cluster is not None,
        )
        tasks = _tasks(sources, options, cluster)
        out = sys.stdout.buffer
        sys.stdout.flush()
        stream: JsonStream | GithubStream | None = None
        if arguments.format == "json":
            stream = JsonStream(out, arguments.max_results)
        elif arguments.format == "github":
            stream = GithubStream(out, arguments.max_results, arguments.fail_on)
        ledger = Ledger(keep=0, sample=arguments.places, listen=_listeners(stream, results, keep))
        progress = None
        if arguments.progress == "always" or (arguments.progress == "auto" and sys.stderr.isatty()):
            from eightbyeight_events.progress import ProgressLine

            total = sum(task.size for task in tasks) if all(s.regular for s in sources) else None
            progress = stack.enter_context(ProgressLine(total))
        started = time.perf_counter()
        window = arguments.stream_window if arguments.stream else None
        run(tasks, ledger, workers, progress, window, cluster)
        finished = Run(
            ledger, arguments.fail_on, time.perf_counter() - started, arguments.fail_empty
        )
        if isinstance(stream, JsonStream):
            stream.close(finished)
        else:
            out.write(encode(as_text(finished, arguments.places)))
        out.flush()
        if arguments.format == "github":
            add_to_step_summary(as_markdown(finished, max(arguments.places, 5)))
        if results is not None:
            results.close()
        if junit is not None:
            junit.write(as_junit(finished))
        return 0 if finished.passed else 1


def _results_file(path: Path | None, stack: ExitStack) -> ParquetRows[LineResult] | None:
    """The Parquet file of failing and drifting messages, removed again if the run stops."""
    if path is None:
        return None
    rows = results_file(path)
    stack.callback(rows.discard)
    return rows


def _listeners(
    stream: JsonStream | GithubStream | None, results: ParquetRows[LineResult] | None, keep: Keep
) -> Callable[[LineResult], None] | None:
    """Each listed message to the reports that want it: the streaming report what it always
    had (every message under --all, else those that are not valid), the Parquet file each
    message that fails or drifts."""
    if results is None:
        return stream

    def both(result: LineResult) -> None:
        if stream is not None and (keep == "all" or result.status != "valid"):
            stream(result)
        if result.status != "valid" or result.drift:
            results(result)

    return both


def interactions(arguments: argparse.Namespace) -> int:
    sources = expand(arguments.paths)
    with ExitStack() as stack:
        cluster, workers = _placed(arguments, sources, stack)
        options = Options(
            arguments.input_format, jobs=workers, stream=True, portable=cluster is not None
        )
        tasks = _tasks(sources, options, cluster)
        write, finish = _summaries(arguments.format, arguments.output, stack)
        ledger = Ledger(keep=0, on_summary=write)
        run(tasks, ledger, workers, None, arguments.stream_window, cluster)
        finish()
    tally = ledger.tally
    skipped = tally.total - tally.statuses["valid"]
    counts = ledger.stream_counts
    measured = counts.interactions if counts else 0
    again = counts.redelivered if counts else 0
    verb = "was" if skipped == 1 else "were"
    notes = [f"{counted(again, 'redelivered message')} counted once"] if again else []
    if skipped:
        notes.append(
            f"{counted(skipped, 'message')} not valid {verb} left out (see 8x8-events validate)"
        )
    print(
        f"{counted(measured, 'interaction')} from "
        f"{counted(tally.statuses['valid'], 'valid message')}" + "".join(f"; {n}" for n in notes),
        file=sys.stderr,
    )
    return 0


def _summaries(
    form: str, output: Path | None, stack: ExitStack
) -> tuple[Callable[[InteractionSummary], None], Callable[[], None]]:
    """Where each interaction's summary goes, and what ends the output."""
    if form == "parquet":
        if output is None:
            raise UsageError("--format parquet writes a file: name it with --output FILE")
        rows = interactions_file(output)
        stack.callback(rows.discard)
        return rows, rows.close
    out = stack.enter_context(written(output))
    return summary_writer(form, out), out.flush


def capture_command(arguments: argparse.Namespace) -> int:
    from eightbyeight_events.capture import (
        EXIT_GAVE_UP,
        EXIT_UNWRITTEN,
        CaptureError,
        Console,
        GaveUp,
        Settings,
        capture,
        read_key,
    )

    try:
        key = read_key(arguments.api_key_env, arguments.api_key_file)
        endpoint = pulsar.Endpoint.of(arguments.tenant, arguments.topic, arguments.subscription)
    except (CaptureError, pulsar.TopicError) as error:
        raise UsageError(str(error)) from None
    size, seconds = arguments.rotate or (None, None)
    settings = Settings(
        base_url=arguments.url or pulsar.region_url(arguments.region),
        endpoint=endpoint,
        key=key,
        output=None if arguments.output == "-" else Path(arguments.output),
        start=arguments.start,
        rotate_bytes=size,
        rotate_seconds=seconds,
        queue=arguments.receiver_queue_size,
        validate=arguments.validate,
        exit_at_end=arguments.exit_at_end,
        max_messages=arguments.max_messages,
        ping_interval=arguments.ping_interval,
        ping_timeout=arguments.ping_timeout,
        fsync=arguments.fsync,
        max_frame_bytes=arguments.max_frame_bytes,
        give_up_after=arguments.give_up_after,
    )
    console = Console()
    try:
        tally = capture(settings, console)
    except CaptureError as error:
        raise UsageError(str(error)) from None
    except GaveUp as error:
        console.say(f"gave up: {error}")
        return EXIT_GAVE_UP
    rejected = f", {tally.rejected:,} not JSON (kept apart)" if tally.rejected else ""
    console.say(
        f"{tally.written:,} frames written, {tally.redelivered:,} redeliveries skipped, "
        f"{tally.control:,} control messages{rejected}, {tally.sessions:,} sessions"
    )
    if tally.unwritten:
        console.say(
            f"stopped with {tally.unwritten:,} frames not written; they were not acknowledged, "
            "so the service sends them again to the next capture"
        )
        return EXIT_UNWRITTEN
    return 0


def replay_command(arguments: argparse.Namespace) -> int:
    import asyncio

    from eightbyeight_events.replay import Faults, ReplayServer, load, reorder, run_server

    def warn(text: str) -> None:
        print(f"8x8-events replay: {text}", file=sys.stderr, flush=True)

    messages = reorder(load(arguments.paths, warn), arguments.reorder_window, arguments.seed)
    faults = Faults(arguments.redeliver_rate, arguments.drop_connection_every, arguments.seed)
    server = ReplayServer(
        messages, arguments.api_key, arguments.tenant, arguments.speed, arguments.loop, faults
    )
    try:
        asyncio.run(run_server(server, arguments.host, arguments.port))
    except OSError as error:
        raise UsageError(
            f"cannot listen on {arguments.host}:{arguments.port}: {error.strerror}"
        ) from None
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        if arguments.command == "interactions":
            return interactions(arguments)
        if arguments.command == "capture":
            return capture_command(arguments)
        if arguments.command == "replay":
            return replay_command(arguments)
        if arguments.command == "generate":
            return generate_command.run(arguments)
        if arguments.command == "diff":
            return diff_command.run(arguments)
        return validate(arguments)
    except UsageError as error:
        print(f"8x8-events: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("8x8-events: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except OSError as error:  # inputs are read into verdicts: this is where reports go
        _quiet_stdout()
        where = error.filename or "standard output"
        print(f"8x8-events: error: cannot write to {where}: {error.strerror}", file=sys.stderr)
        return 2


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what could
    not be written (a full disk, a closed pipe) prints nothing more."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())

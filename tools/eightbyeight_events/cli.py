"""The ``8x8-events`` command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

from eightbyeight_events import __version__
from eightbyeight_events.readers import DEFAULT_MAX_LINE_BYTES, UsageError, expand
from eightbyeight_events.report import GithubStream, JsonStream, Run, as_junit, as_text, encode
from eightbyeight_events.runner import Options, plan, run
from eightbyeight_events.tally import Ledger

VALIDATE_HELP = """\
Validate captured 8x8 Event Streaming traffic against the spec.

Every message gets exactly one status: valid, invalid (schema errors),
unknown (a wrapper or event name the catalogue lacks) or unreadable (not
JSON, bad base64, not UTF-8, nested too deep, too long, truncated). Pulsar
control messages and blank lines are counted apart. Drift (undeclared
fields, attachedData keys outside the catalogue, new values of open lists)
is reported but only fails the run with --strict.

Inputs: JSON Lines, pretty-printed documents, concatenated documents (what
jq prints), RFC 7464 sequences, JSON arrays, and any mix of these; decoded
events and Pulsar WebSocket frames (the base64 payload is decoded and
checked, findings carry the frame's messageId), told apart per message; any
of these gzipped; directories (searched recursively for *.jsonl, *.ndjson,
*.json, *.txt, *.log, optionally .gz); FIFOs and process substitution;
- for standard input. Each message is reported at the line it starts on.

exit codes:
  0  every message is valid (warnings and drift allowed)
  1  a message is invalid, unknown or unreadable, drift under --strict,
     or an empty source under --fail-empty
  2  usage error, such as a missing file or a report that cannot be written

examples:
  8x8-events validate capture.jsonl
  8x8-events validate --format json captures/ > report.json
  8x8-events validate --jobs 2 --junit-xml results.xml big-capture.jsonl
  8x8-events validate --format github captures/      # annotations in a GitHub workflow
  websocat wss://... | 8x8-events validate -
  8x8-events validate <(zcat old-capture.jsonl.gz)
"""


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="8x8-events",
        description="Tools for the 8x8 Contact Center Event Streaming spec.",
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="validate captured traffic",
        description=VALIDATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", help="capture file, directory, or - for standard input"
    )
    validate.add_argument(
        "--input-format",
        choices=("auto", "events", "frames"),
        default="auto",
        help="what every message is, instead of telling it per message (default: %(default)s)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="report on standard output: text for people, json for programs, github for "
        "workflow annotations followed by the text report (default: %(default)s)",
    )
    validate.add_argument(
        "--all", action="store_true", help="list valid messages too in the JSON report's results"
    )
    validate.add_argument(
        "--max-results",
        type=_positive,
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
        "--strict", action="store_true", help="fail the run (exit 1) when there is any drift"
    )
    validate.add_argument(
        "--fail-empty",
        action="store_true",
        help="fail the run (exit 1) when a source holds no message",
    )
    validate.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="processes to use; large plain files are split by byte range (default: %(default)s)",
    )
    validate.add_argument(
        "--max-line-bytes",
        type=_positive,
        default=DEFAULT_MAX_LINE_BYTES,
        metavar="N",
        help="longer documents are unreadable (default: %(default)s)",
    )
    validate.add_argument(
        "--places",
        type=_positive,
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
    return main


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def _open_report(path: Path, stack: ExitStack) -> BinaryIO:
    """The JUnit file, opened before any work so a path that cannot be written fails at once."""
    try:
        return stack.enter_context(path.open("wb"))
    except OSError as error:
        raise UsageError(f"--junit-xml {path}: cannot write: {error.strerror}") from None


def validate(arguments: argparse.Namespace) -> int:
    with ExitStack() as stack:
        junit = _open_report(arguments.junit_xml, stack) if arguments.junit_xml else None
        sources = expand(arguments.paths)
        options = Options(
            arguments.input_format, arguments.max_line_bytes, arguments.all, arguments.jobs
        )
        tasks = plan(sources, options)
        out = sys.stdout.buffer
        sys.stdout.flush()
        stream: JsonStream | GithubStream | None = None
        if arguments.format == "json":
            stream = JsonStream(out, arguments.max_results)
        elif arguments.format == "github":
            stream = GithubStream(out, arguments.max_results)
        ledger = Ledger(keep=0, sample=arguments.places, listen=stream)
        progress = None
        if arguments.progress == "always" or (arguments.progress == "auto" and sys.stderr.isatty()):
            from eightbyeight_events.progress import ProgressLine

            total = sum(task.size for task in tasks) if all(s.regular for s in sources) else None
            progress = stack.enter_context(ProgressLine(total))
        started = time.perf_counter()
        run(tasks, ledger, arguments.jobs, progress)
        finished = Run(
            ledger, arguments.strict, time.perf_counter() - started, arguments.fail_empty
        )
        if isinstance(stream, JsonStream):
            stream.close(finished)
        else:
            out.write(encode(as_text(finished, arguments.places)))
        out.flush()
        if junit is not None:
            junit.write(as_junit(finished))
        return 0 if finished.passed else 1


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return validate(arguments)
    except UsageError as error:
        print(f"8x8-events: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("8x8-events: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""The ``8x8-events`` command."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eightbyeight_events import __version__
from eightbyeight_events.readers import DEFAULT_MAX_LINE_BYTES, INPUT_FORMATS, UsageError, expand
from eightbyeight_events.report import Run, as_json, as_junit, as_text
from eightbyeight_events.runner import Options, plan, run

VALIDATE_HELP = """\
Validate captured 8x8 Event Streaming traffic against the spec.

Every input line gets exactly one status: valid, invalid (schema errors),
unknown (a wrapper or event name the catalogue lacks) or unreadable (not
JSON, bad base64, not UTF-8, too long, truncated). Blank lines are skipped
and counted. Drift (undeclared fields, attachedData keys outside the
catalogue, new values of open lists) is reported but only fails the run
with --strict.

Inputs, detected per file: decoded events one per line (JSON Lines); Pulsar
WebSocket frames one per line (the base64 payload is decoded and checked,
and findings carry the frame's messageId); a JSON array of either; any of
these gzipped; directories (searched recursively for *.jsonl, *.ndjson,
*.json, *.txt, *.log, optionally .gz); - for standard input.

exit codes:
  0  every line is valid (warnings and drift allowed)
  1  a line is invalid, unknown or unreadable, or drift under --strict
  2  usage error, such as a missing file

examples:
  8x8-events validate capture.jsonl
  8x8-events validate --format json captures/ > report.json
  8x8-events validate --jobs 2 --junit-xml results.xml big-capture.jsonl
  websocat wss://... | 8x8-events validate --input-format frames -
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
        choices=INPUT_FORMATS,
        default="auto",
        help="how to read the inputs instead of detecting it per file (default: %(default)s)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="report on standard output: text for people, json for programs (default: %(default)s)",
    )
    validate.add_argument(
        "--all", action="store_true", help="list valid lines too in the JSON report's results"
    )
    validate.add_argument(
        "--junit-xml",
        type=Path,
        metavar="FILE",
        help="also write a JUnit XML report to FILE, for CI systems",
    )
    validate.add_argument(
        "--strict", action="store_true", help="fail the run (exit 1) when there is any drift"
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
        help="longer lines are unreadable (default: %(default)s)",
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


def validate(arguments: argparse.Namespace) -> int:
    sources = expand(arguments.paths)
    options = Options(
        arguments.input_format, arguments.max_line_bytes, arguments.all, arguments.jobs
    )
    tasks = plan(sources, options)
    show_progress = arguments.progress == "always" or (
        arguments.progress == "auto" and sys.stderr.isatty()
    )
    progress = None
    if show_progress:
        from eightbyeight_events.progress import ProgressLine

        total = sum(task.size for task in tasks) if all(s.path for s in sources) else None
        progress = ProgressLine(total)
    started = time.perf_counter()
    try:
        outcome = run(tasks, arguments.jobs, progress)
    finally:
        if progress:
            progress.close()
    finished = Run(outcome.tally, outcome.formats, arguments.strict, time.perf_counter() - started)
    if arguments.format == "json":
        sys.stdout.write(json.dumps(as_json(finished), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(as_text(finished, arguments.places))
    if arguments.junit_xml:
        arguments.junit_xml.write_bytes(as_junit(finished))
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

"""``8x8-events diff``: its options, and the run that compares two versions of the spec."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from eightbyeight_events.argtypes import subcommand
from eightbyeight_events.outputs import add_to_step_summary, written
from eightbyeight_events.readers import UsageError
from eightbyeight_events.specdiff.judge import Report, diff_specs
from eightbyeight_events.specdiff.kinds import POLICIES
from eightbyeight_events.specdiff.render import FORMATS, as_markdown, render
from eightbyeight_events.specdiff.sources import SINGLE, read_spec

FAIL_ON = ("breaking", "backward", "forward", "full", "none")

DIFF_HELP = """\
Compare two versions of the spec and say what each change means for a consumer.

OLD and NEW are each a schemas folder, one schema file, the bundle
(8x8-events.bundle.schema.json), `installed` (the schemas of the installed
8x8-event-schemas package), or git:REF[:FOLDER], a revision of the checkout
you are in (FOLDER defaults to schemas; read with git, nothing is checked
out). $refs are resolved among the files read, never fetched.

Each definition is compared once: a change in common/ is one change, listed
with the event types it reaches. Each change has a kind (the names of
Confluent Schema Registry's JSON Schema checker where one fits), a JSON
pointer, and two classes:
  BACKWARD  the new spec accepts every message the old one accepted
  FORWARD   the old spec accepts every message the new one accepts
  FULL      both

--policy strict (default) follows Confluent's rules: declaring a new field in
an object that takes unknown fields is not BACKWARD, because such a field could
have carried any value before. --policy lenient counts such additions as
compatible, as teams that own both ends often do (and as this spec's own
versioning does); closing an object stays breaking under both.

exit codes:
  0  the run meets --fail-on
  1  it falls short: --fail-on breaking (the default) fails when the new spec
     rejects something the old one accepted
  2  usage error: a side that cannot be read, a $ref with no file

examples:
  8x8-events diff git:HEAD~1 schemas/
  8x8-events diff git:v1.0.0 schemas/ --format markdown >> CHANGELOG.md
  8x8-events diff old.bundle.json new.bundle.json --format json --fail-on full
  8x8-events diff contracts/8x8-events.bundle.schema.json installed
  8x8-events diff git:origin/main schemas/ --format github --policy lenient
"""


def add_parser(commands: Any) -> None:
    diff = subcommand(
        commands,
        "diff",
        "what a spec change means for consumers (BACKWARD, FORWARD, FULL)",
        DIFF_HELP,
    )
    diff.add_argument("old", metavar="OLD", help="the version consumers have")
    diff.add_argument("new", metavar="NEW", help="the version to compare with it")
    diff.add_argument(
        "--policy",
        choices=POLICIES,
        default="strict",
        help="how additions to an open object count (default: %(default)s)",
    )
    diff.add_argument("--format", choices=FORMATS, default="text", help="(default: %(default)s)")
    diff.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="breaking",
        help="exit 1 when the change is not BACKWARD (breaking, backward), not FORWARD, "
        "not FULL, or never (none) (default: %(default)s)",
    )
    diff.add_argument(
        "--output", default="-", metavar="FILE", help="where to write (default: standard output)"
    )


def falls_short(report: Report, fail_on: str) -> bool:
    if fail_on in ("breaking", "backward"):
        return not report.backward
    if fail_on == "forward":
        return not report.forward
    if fail_on == "full":
        return not report.full
    return False


def run(arguments: argparse.Namespace) -> int:
    old, new = read_spec(arguments.old), read_spec(arguments.new)
    if (SINGLE in old.documents) != (SINGLE in new.documents):
        lone, other = arguments.old, arguments.new
        if SINGLE in new.documents:
            lone, other = other, lone
        raise UsageError(
            f"{lone} is one schema file and {other} a set of schemas: compare like with like "
            "(two files; or folders, bundles, git revisions, installed)"
        )
    report = diff_specs(old, new, arguments.policy)
    target = None if arguments.output == "-" else Path(arguments.output)
    with written(target) as out:
        out.write(render(report, arguments.format).encode())
    if arguments.format == "github":
        add_to_step_summary(as_markdown(report))
    return 1 if falls_short(report, arguments.fail_on) else 0

"""``8x8-events generate``: its options, and the run that asks ``generate`` for the traffic."""

from __future__ import annotations

import argparse
import json
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from eightbyeight_events.argtypes import positive, subcommand
from eightbyeight_events.outputs import written
from eightbyeight_events.readers import UsageError
from eightbyeight_events.traffic.kinds import FAULTS

START = "2025-11-25T08:00:00Z"
"""The default start of a shift, as ``--help`` shows it."""

GENERATE_HELP = f"""\
Write realistic traffic of one contact center shift, seeded (the same options
give the same bytes): whole interaction lifecycles (inbound calls answered,
rejected, abandoned and unanswered, outbound calls, chats, holds, recordings)
and the agents' status changes, in time order, with every documented variation
at the rate real traffic shows it. Without --faults, `8x8-events validate`
finds nothing that fails a run and no stream finding in it.

--faults puts faults into it on purpose, each in an interaction of its own,
one of each kind per 100 interactions (--faults-each N to choose), where
`validate` reports exactly one finding for each:
  redelivered          a message sent again (frames: same messageId)
  out-of-order         an abandoned call's InteractionUnqueued before its Queued
  after-end            a message after the interaction's InteractionDeleted
  missing-step         an abandoned call's InteractionQueued left out
  never-ended          an early interaction's InteractionDeleted left out
  sequence-regression  a msgInfo.sequenceId lower than its instance sent before
  invalid              a broken copy of a message, inserted
  drift                a field the schemas do not declare, added
With faults, the shift is held in memory (about 2 KB a message).

--truth FILE writes what a consumer's test can check its own numbers against:
every fault with its kind, line and interaction, and each interaction's
planned outcome and durations (queue_s, ring_s, talk_s, hold_s, holds,
wrapup_s), marked "faulted" where a fault touched it.

exit codes:
  0  written
  2  usage error: an unknown fault, a file that cannot be written, or a fault
     this shift has no room for (too few interactions of the kind it needs)

examples:
  8x8-events generate --interactions 500 --output shift.jsonl
  8x8-events generate --frames --seed 3 | 8x8-events validate -
  8x8-events generate --faults redelivered,out-of-order --truth truth.json \\
      --output faulty.jsonl
  8x8-events generate --faults {",".join(FAULTS[:3])} --faults-each 5 --output f.jsonl
"""


def add_parser(commands: Any) -> None:
    generate_ = subcommand(
        commands, "generate", "write realistic traffic, with faults on purpose", GENERATE_HELP
    )
    generate_.add_argument(
        "--interactions", type=positive, default=150, metavar="N", help="(default: %(default)s)"
    )
    generate_.add_argument("--seed", type=int, default=8, help="(default: %(default)s)")
    generate_.add_argument(
        "--start",
        type=_moment,
        default=START,
        metavar="TIME",
        help="the shift's start: ISO 8601 or Unix seconds (default: %(default)s)",
    )
    generate_.add_argument(
        "--agents", type=positive, default=6, metavar="N", help="(default: %(default)s)"
    )
    generate_.add_argument(
        "--frames", action="store_true", help="Pulsar frames, as a capture holds them"
    )
    generate_.add_argument(
        "--faults",
        type=_faults,
        default=(),
        metavar="KIND[,KIND...]",
        help=f"faults to put in: {', '.join(FAULTS)}, or all",
    )
    generate_.add_argument(
        "--faults-each",
        type=positive,
        metavar="N",
        help="how many of each fault (default: one per 100 interactions, at least one)",
    )
    generate_.add_argument("--truth", metavar="FILE", help="write the truth as JSON to FILE")
    generate_.add_argument(
        "--output", default="-", metavar="FILE", help="where to write (default: standard output)"
    )


def run(arguments: argparse.Namespace) -> int:
    # the generator is imported here, not with the parser: every command builds the parser
    from eightbyeight_events.traffic.faults import FaultError
    from eightbyeight_events.traffic.generator import Plan, generate

    plan = Plan(
        interactions=arguments.interactions,
        seed=arguments.seed,
        start=arguments.start,
        agents=arguments.agents,
        frames=arguments.frames,
        faults=arguments.faults,
        each=arguments.faults_each,
    )
    with ExitStack() as stack:
        target = None if arguments.output == "-" else Path(arguments.output)
        out = stack.enter_context(written(target, what=""))
        truth_file = None
        if arguments.truth is not None:
            truth_file = stack.enter_context(written(Path(arguments.truth), what=""))
        try:
            truth = generate(plan, out)
        except FaultError as error:
            raise UsageError(str(error)) from None
        out.flush()
        if truth_file is not None:
            truth_file.write(json.dumps(truth, indent=2).encode() + b"\n")
    return 0


def _moment(text: str) -> int:
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no time: give ISO 8601 (2025-11-25T08:00:00Z) or Unix seconds"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def _faults(text: str) -> tuple[str, ...]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return FAULTS
    unknown = [name for name in names if name not in FAULTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{', '.join(map(repr, unknown)) or 'nothing'} is not a fault; choose from "
            f"{', '.join(FAULTS)}, or all"
        )
    return tuple(dict.fromkeys(names))

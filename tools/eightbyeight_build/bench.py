"""Speed and memory of the validator, measured side by side in one run.

    nox -s bench [-- --sizes 100,1024]

Writes seeded captures of realistic events, with every documented variation
at its rate (cached in .bench/), then on the same files measures: a loop that
only reads lines and parses them with orjson (the yardstick); the peer, a
script that reads lines with orjson and validates them with jsonschema-rs
(the fastest validator a Python user can write); the whole CLI with --jobs 1
and --jobs 2 - each the best of three rounds that take every one of them in
turn, so that a slow spell of the machine falls on all alike - a local Dask
cluster, the share of lines the fast path leaves to the full look, plain
python-jsonschema, ajv when node is present, the loader, and peak memory,
also on bad input. Prints each rate, the ratios the targets are stated in,
and "meets" or "MISSES" for each. Timing is never
asserted by tests; this is where it is looked at.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from eightbyeight_build.bundle import bundle
from eightbyeight_events.engines import reference_validator
from eightbyeight_events.schemas import UNION, load_schemas
from eightbyeight_events.traffic import shift as sample

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".bench"
SHIFT_SECONDS = 36 * 3600
"""Longer than a generated shift of 2,000 interactions and its agents' days."""


def capture(size_mb: int) -> tuple[Path, int]:
    """A capture of at least ``size_mb`` MiB; made once, reused after."""
    path = CACHE / f"capture-{size_mb}m-v{sample.VERSION}.jsonl"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        partial = path.with_suffix(".partial")
        target, seed = size_mb << 20, 0
        with partial.open("wb") as out:
            while out.tell() < target:
                seed += 1
                # one shift after another, as one tenant's stream would run
                shift = sample.events(seed, 2000, start=sample.START + (seed - 1) * SHIFT_SECONDS)
                out.writelines(orjson.dumps(event) + b"\n" for event in shift)
        partial.rename(path)
    return path, count_lines(path)


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 24), b""))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def orjson_loop(path: Path) -> None:
    loads = orjson.loads
    with path.open("rb") as handle:
        for line in handle:
            loads(line)


@functools.cache
def installed_environment() -> dict[str, str]:
    """The environment a user's command runs in: the installed package, whose modules pip
    compiled at install time, rather than the checkout on ``PYTHONPATH``, which a machine
    that writes no bytecode (``PYTHONDONTWRITEBYTECODE``) would compile on every start.
    The checkout stays on the path only when the package is not installed."""
    plain = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    probe = [sys.executable, "-c", "import eightbyeight_events"]
    found = subprocess.run(probe, env=plain, capture_output=True).returncode == 0
    return plain if found else dict(os.environ)


def process(*command: str, expect: int = 0) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB, largest process) of one whole process."""
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "t = time.perf_counter() - t;"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    seconds, peak, code = subprocess.run(
        [sys.executable, "-c", probe, *command],
        capture_output=True,
        text=True,
        check=True,
        env=installed_environment(),
    ).stdout.split()
    if code != str(expect):
        raise SystemExit(f"{' '.join(command[:4])} … exited {code}, not {expect}")
    return float(seconds), int(peak)


def cli(path: Path, jobs: int, *options: str, expect: int = 0) -> tuple[float, int]:
    """One CLI run: ``validate`` with ``jobs`` processes, or ``interactions`` when ``jobs`` is 0."""
    how = ["validate", "--progress", "never", "--jobs", str(jobs)] if jobs else ["interactions"]
    if not jobs and "--jobs" not in options:
        how += ["--jobs", "1"]  # the default would use every core on a large capture
    options = options or ("--format", "json")
    command = [sys.executable, "-m", "eightbyeight_events", *how, *options, str(path)]
    return process(*command, expect=expect)


BEST_OF = 3


Measure = Callable[[], tuple[float, int]]
"""One timed run: wall seconds and peak resident memory (KiB)."""


def interleaved(
    measures: dict[str, Measure], rounds: int = BEST_OF
) -> dict[str, tuple[float, int]]:
    """Each measure's fastest time and largest peak memory over ``rounds`` rounds, each
    round taking every measure once in turn. A busy spell of the machine slows a run and
    never speeds one up; interleaved, it falls on every measure alike, where timing one
    measure's runs after another's would let it fall on the peer or the yardstick alone
    and flatter every ratio taken against it."""
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            runs[name].append(measure())
    return {
        name: (min(seconds for seconds, _ in found), max(peak for _, peak in found))
        for name, found in runs.items()
    }


PEER = """\
import sys
import jsonschema_rs
import orjson

with open(sys.argv[2], "rb") as handle:
    validator = jsonschema_rs.validator_for(orjson.loads(handle.read()))
loads, valid = orjson.loads, validator.is_valid
with open(sys.argv[1], "rb") as capture:
    print(sum(not valid(loads(line)) for line in capture))
"""
"""The fastest validator a Python user can write: read lines, orjson.loads each, and ask
jsonschema-rs whether the union schema (the bundle) accepts it."""


def peer(path: Path) -> float:
    """Wall time of the peer as a whole process, start-up included, as the CLI is timed."""
    bundle = REPO / "generated" / "8x8-events.bundle.schema.json"
    return process(sys.executable, "-c", PEER, str(path), str(bundle))[0]


def bad_captures() -> dict[str, Path]:
    """Captures of bad input, made once: a million unreadable lines, 200,000 invalid full
    events (every interaction event of the generator with an undocumented call state), and
    two 1 MiB gzip files that inflate to 1 GiB, of zeros and of line breaks."""
    CACHE.mkdir(exist_ok=True)
    found = {
        "1,000,000 unreadable lines": CACHE / "unreadable-1m.jsonl",
        "200,000 invalid full events": CACHE / f"invalid-200k-v{sample.VERSION}.jsonl",
        "gzip bomb: 1 GiB of zeros": CACHE / "bomb-zeros.jsonl.gz",
        "gzip bomb: 1 GiB of line breaks": CACHE / "bomb-newlines.jsonl.gz",
    }
    paths = list(found.values())
    if not paths[0].exists():
        paths[0].write_bytes(b"".join(b"{oops %d\n" % n for n in range(1_000_000)))
    if not paths[1].exists():
        with paths[1].open("wb") as out:
            written, seed = 0, 0
            while written < 200_000:
                seed += 1
                for event in sample.events(seed, 2000):
                    payload = event.get("Interaction")
                    if payload is None or "callState" not in payload or written >= 200_000:
                        continue
                    payload["callState"] = "CS_RINGING"
                    out.write(orjson.dumps(event) + b"\n")
                    written += 1
    for path, byte in ((paths[2], b"\0"), (paths[3], b"\n")):
        if not path.exists():
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = byte * (1 << 20)
            with path.open("wb") as out:
                for _ in range(1024):
                    out.write(packer.compress(block))
                out.write(packer.flush())
    return found


def derived_capture(name: str, count: int, render: Callable[[Any, int], bytes]) -> Path:
    """The first ``count`` events of the 100 MiB capture, each rendered (from the decoded
    event and its number) in another form real traffic comes in, made once."""
    stem, _, suffix = name.partition(".")
    path = CACHE / f"{stem}-{count}-v{sample.VERSION}.{suffix}"
    if not path.exists():
        source, _ = capture(100)
        with source.open("rb") as events, path.open("wb") as out:
            for number, line in enumerate(islice(events, count), start=1):
                out.write(render(orjson.loads(line), number) + b"\n")
    return path


def frames_capture(count: int) -> Path:
    """Those events as Pulsar frames, as ``8x8-events capture`` writes them."""
    return derived_capture(
        "frames.jsonl", count, lambda event, number: orjson.dumps(sample.as_frame(event, number))
    )


def pretty_capture(count: int) -> Path:
    """Those events pretty-printed as ``jq .`` prints them (an indent of two, documents one
    after another)."""
    return derived_capture(
        "pretty.json", count, lambda event, _: orjson.dumps(event, option=orjson.OPT_INDENT_2)
    )


def replay_and_capture(count: int = 50_000) -> None:
    """Frames per second from the replay server to one local reader, and through capture."""
    import asyncio
    import re
    import tempfile

    from websockets.asyncio.client import connect

    frames = frames_capture(count)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eightbyeight_events",
            "replay",
            str(frames),
            "--api-key",
            "bench",
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=installed_environment(),
    )
    try:
        assert server.stderr is not None
        found = re.search(r"ws://127\.0\.0\.1:(\d+)", server.stderr.readline())
        assert found is not None
        base = f"ws://127.0.0.1:{found[1]}"
        topic = "/ws/v2/reader/persistent/acmecorp01/event-v1/all?messageId=earliest"

        async def read() -> float:
            async with connect(base + topic, additional_headers={"X-API-Key": "bench"}) as ws:
                started = time.perf_counter()
                for _ in range(count):
                    frame = orjson.loads(await ws.recv())
                    await ws.send(orjson.dumps({"messageId": frame["messageId"]}).decode())
                return count / (time.perf_counter() - started)

        served = asyncio.run(read())
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "out.jsonl"
            command = [sys.executable, "-m", "eightbyeight_events", "capture", "--url", base]
            command += ["--tenant", "acmecorp01", "--from", "earliest", "--exit-at-end"]
            command += ["--output", str(out)]
            started = time.perf_counter()
            subprocess.run(
                command,
                env={**installed_environment(), "EIGHTBYEIGHT_API_KEY": "bench"},
                check=True,
                capture_output=True,
            )
            seconds = time.perf_counter() - started
            written = sum(1 for _ in out.open("rb"))
    finally:
        server.send_signal(2)
        server.wait()
    print(f"replay and capture, {count:,} frames over loopback:")
    print(target("replay to one reader, acking each", served, 20_000, "/s"))
    print(row(f"8x8-events capture, whole command ({written:,} written)", written / seconds))
    # the command also starts up and, with --exit-at-end, waits half a second of quiet
    # before asking whether the topic has ended: keeping up means only that much slower
    lag = seconds - count / served
    print(target("capture's time beyond the reader's (s)", lag, 1.5, " s", more=False))


FORMATS = {
    "text": ("--format", "text"),
    "json": ("--format", "json"),
    "github": ("--format", "github"),
    "junit": ("--format", "text", "--junit-xml", os.devnull),
}


def bad_input_memory() -> None:
    print("peak memory on bad input, --jobs 1, per report format (target < 150 MiB each):")
    for name, path in bad_captures().items():
        expect = 0 if "line breaks" in name else 1
        cells = []
        worst = 0.0
        for form, options in FORMATS.items():
            seconds, peak = cli(path, 1, *options, expect=expect)
            worst = max(worst, peak / 1024)
            cells.append(f"{form} {peak / 1024:4.0f} MiB {seconds:5.1f} s")
        print(f"  {name:<34}{' | '.join(cells)}  ({verdict(worst, 150, False)})")


def python_jsonschema_rate(path: Path, count: int) -> float:
    validator = reference_validator(load_schemas(), UNION)
    with path.open("rb") as handle:
        messages = [orjson.loads(line) for line in islice(handle, count)]
    seconds = timed(lambda: [validator.is_valid(message) for message in messages])
    return len(messages) / seconds


def node_rate(script: str, *arguments: str, lines: bytes) -> float | None:
    """Events per second a Node script of ``tools/js`` reports (``{"lines", "seconds"}``) for
    ``lines`` on its standard input; None without node and the npm packages."""
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "ajv").is_dir():
        return None
    result = subprocess.run(
        [node, str(REPO / "tools" / "js" / script), *arguments],
        input=lines,
        capture_output=True,
        check=True,
    )
    summary = json.loads(result.stdout)
    return float(summary["lines"]) / float(summary["seconds"])


def loader_rates(path: Path, count: int) -> dict[str, float]:
    """The orjson loop, ``parse_event`` and ``parse_frame`` on the same ``count`` events (the
    frames carry those events), each item dropped after use as a consumer of a stream would;
    keeping them all would measure the garbage collector instead."""
    from eightbyeight_events.loader import parse_event, parse_frame

    with path.open("rb") as handle:
        lines = list(islice(handle, count))
    with frames_capture(count).open("rb") as handle:
        frames = list(handle)
    parse_event(lines[0])  # compile the validators outside the timing
    parse_frame(frames[0])
    # What this process holds before the timing (the 2 x 100,000 inputs) is left out of the
    # garbage collector's passes, which would otherwise slow every loop here by its size.
    gc.collect()
    gc.freeze()

    def each(action: Callable[[bytes], object], items: list[bytes]) -> Callable[[], None]:
        def run() -> None:
            for item in items:
                action(item)

        return run

    runs: dict[str, tuple[Callable[[bytes], object], list[bytes]]] = {
        "orjson": (orjson.loads, lines),
        "parse_event": (parse_event, lines),
        "parse_frame": (parse_frame, frames),
    }
    best = dict.fromkeys(runs, float("inf"))
    try:
        # Three rounds, each timing all three side by side, and the best round of each:
        # this machine's noise only ever slows a run down, and it drifts over seconds.
        for _ in range(3):
            for name, (action, items) in runs.items():
                best[name] = min(best[name], timed(each(action, items)))
        return {name: len(items) / best[name] for name, (_, items) in runs.items()}
    finally:
        gc.unfreeze()


def part_costs(path: Path, count: int) -> dict[str, float]:
    """Seconds per line of the parts every ``validate`` run pays, each timed alone (best of
    three): reading the lines of ``path``, then on its first ``count`` lines msgspec's
    one-pass decode of each into the fast path's types (nothing checked after it) and
    today's stream checks (a sighting made and folded) of the payloads that decode gave,
    and the checks after the decode (identifiers, and that no object repeats a key)."""
    from eightbyeight_events.contract import _wrapper_of, load_contract
    from eightbyeight_events.fastpath import WrapperDecoder
    from eightbyeight_events.stream import Sighting, StreamFold

    judge = load_contract().warm()
    with path.open("rb") as handle:
        # without their line ends, as the CLI reads them (an end would fail the length proof)
        lines = [line.rstrip(b"\n") for line in islice(handle, count)]
    # each line with the decoder that takes it: the strict one for a documented variation;
    # the few that neither takes (the full look's) are left out, which only lowers the floor
    taken: list[tuple[WrapperDecoder, bytes]] = []
    read: list[tuple[str, Any]] = []
    for line in lines:
        for decoders in (judge.fast, judge.fast_strict):
            decoder = decoders.get(_wrapper_of(line))
            found = None if decoder is None else decoder.read(line)
            if decoder is not None and found is not None:
                taken.append((decoder, line))
                read.append(found)
                break
    gc.collect()
    gc.freeze()

    def reading() -> None:  # the cheapest way measured (large reads split cost more)
        with path.open("rb") as handle:
            for _ in handle:
                pass

    def decoding() -> None:
        for decoder, line in taken:
            decoder.decode(line)

    def checking() -> None:  # the decode, then the identifiers and the repeated-key test
        for decoder, line in taken:
            decoder.read(line)

    def folding() -> None:
        fold = StreamFold(measuring=False)
        add, of = fold.add, Sighting.of
        for line, (event, payload) in enumerate(read):
            add(of(event, payload, "bench", line, None, line))

    try:
        costs = {
            name: min(timed(action) for _ in range(3)) / size
            for name, action, size in (
                ("read", reading, count_lines(path)),
                ("decode", decoding, len(taken)),
                ("checks", checking, len(taken)),
                ("stream", folding, len(read)),
            )
        }
    finally:
        gc.unfreeze()
    costs["checks"] -= costs["decode"]  # timed with the decode they follow
    return costs


def start_up() -> tuple[float, float]:
    """Wall seconds of ``validate`` on a one-line file, best of five, with ``--jobs 1`` and
    with the default (which picks the processes by the input's size): what every run pays
    before its first line (interpreter, imports, the compiled contract)."""
    one_line = CACHE / "one-line.jsonl"
    with capture(100)[0].open("rb") as handle:
        one_line.write_bytes(handle.readline())
    default = [sys.executable, "-m", "eightbyeight_events", "validate", str(one_line)]
    return (
        min(cli(one_line, 1)[0] for _ in range(5)),
        min(process(*default)[0] for _ in range(5)),
    )


def ceilings(results: dict[str, Any], costs: dict[str, float], ajv: float | None) -> None:
    """The best ratios a design can reach that pays start-up, reading and msgspec's decode
    (and, second, today's stream checks) and nothing else, beside the targets: a ceiling
    under its target says no change inside that design meets it."""
    lines, yardstick = results["lines"], results["yardstick_seconds"]
    begun = results["start_up"]
    floor = begun + lines * (costs["read"] + costs["decode"])
    with_stream = floor + lines * costs["stream"]
    one = results["one_seconds"]
    print(f"what every run pays, on the {results['size']} MiB capture:")
    print(target("start-up: validate a one-line file", begun, 0.25, " s", more=False))
    extra = results["start_up_default"] - begun
    print(target("the default --jobs over --jobs 1, one line", extra, 0.05, " s", more=False))
    for name, label in (
        ("read", "reading a line"),
        ("decode", "msgspec's one-pass decode"),
        ("checks", "identifiers and repeated keys"),
    ):
        print(f"  {label + ' (us a line)':<44}{costs[name] * 1e6:12.2f}")
    print(f"  {'stream checks today (us a line)':<44}{costs['stream'] * 1e6:12.2f}")
    print(target("ceiling: start-up + read + decode / yardstick", yardstick / floor, 0.6))
    for goal, who in ((0.6, "validate"), (0.4, "interactions")):
        left = (yardstick / goal - floor) / lines * 1e6
        print(f"  {f'all else at {goal}x, {who} (us a line)':<44}{left:12.2f}")
    print(target("ceiling, with today's stream checks", yardstick / with_stream, 0.6))
    if ajv is not None:
        print(target("ceiling: start-up + read + decode / ajv", lines / floor / ajv, 1.5))
    # the start-up is paid once, before any worker starts (Amdahl)
    print(target("ceiling of --jobs 2 / --jobs 1", one / (begun + (one - begun) / 2), 1.8))


def full_look_share(path: Path) -> float:
    """The share of messages the fast path leaves to the full look, the messages found as
    the CLI finds them (measured in this process)."""
    from eightbyeight_events.contract import load_contract
    from eightbyeight_events.readers import DEFAULT_MAX_LINE_BYTES, batches, decoded_chunks

    judge = load_contract().warm()
    messages = slow = 0
    with path.open("rb") as stream:
        for batch in batches(decoded_chunks(stream), DEFAULT_MAX_LINE_BYTES):
            messages += len(batch.items)
            slow += sum(
                not isinstance(item, bytes) or judge.quick_message(item) is None
                for item in batch.items
            )
    return slow / messages


def form_speed(path: Path, count: int, form: str) -> None:
    """The CLI on the first ``count`` events in another form; prints its rows."""
    seconds, peak = cli(path, 1)
    print(f"the first {count:,} events of the 100 MiB capture, {form}:")
    print(row("8x8-events validate --jobs 1 (whole CLI)", count / seconds))
    print(f"  messages the fast path left to the full look   {full_look_share(path):12.2%}")
    print(target("peak memory, --jobs 1", peak / 1024, 150, " MiB", more=False))


def row(name: str, rate: float, note: str = "") -> str:
    return f"  {name:<48}{rate:>12,.0f}/s  {note}"


def verdict(value: float, target: float, more_is_better: bool = True) -> str:
    met = value >= target if more_is_better else value <= target
    return "meets" if met else "MISSES"


def target(name: str, value: float, goal: float, unit: str = "x", more: bool = True) -> str:
    shown = f"{value:,.2f}{unit}" if unit in ("x", " s") else f"{value:,.0f}{unit}"
    sign = ">=" if more else "<"
    goal_shown = f"{goal:g}{unit}" if unit in ("x", " s") else f"{goal:,.0f}{unit}"
    return f"  {name:<44}{shown:>12}  (target {sign} {goal_shown}: {verdict(value, goal, more)})"


def speed(size_mb: int) -> dict[str, Any]:
    """The CLI against the yardstick on one realistic capture; prints its rows."""
    path, lines = capture(size_mb)
    size = path.stat().st_size
    print(
        f"capture {path.relative_to(REPO)}: {lines:,} events, {size / 2**20:,.0f} MiB, "
        f"{size / lines:,.0f} bytes per event, every documented variation at its rate"
    )
    found = interleaved(
        {
            "yardstick": lambda: (timed(lambda: orjson_loop(path)), 0),
            "peer": lambda: (peer(path), 0),
            "one": lambda: cli(path, 1),
            "two": lambda: cli(path, 2),
            "alone": lambda: cli(path, 1, "--format", "json", "--no-stream-checks"),
            "measured": lambda: cli(path, 0, "--format", "jsonl"),
            "measured_two": lambda: cli(path, 0, "--format", "jsonl", "--jobs", "2"),
        }
    )
    baseline, rival = lines / found["yardstick"][0], lines / found["peer"][0]
    (one_seconds, one_peak), (two_seconds, two_peak) = found["one"], found["two"]
    alone_seconds, measured_seconds = found["alone"][0], found["measured"][0]
    measured_two_seconds = found["measured_two"][0]
    one, two = lines / one_seconds, lines / two_seconds
    alone, measured = lines / alone_seconds, lines / measured_seconds
    measured_two = lines / measured_two_seconds
    share = full_look_share(path)
    print(row("read lines + orjson.loads (yardstick)", baseline))
    print(row("orjson + jsonschema-rs script (the peer, whole process)", rival))
    print(row("8x8-events validate --jobs 1 (whole CLI)", one))
    print(row("8x8-events validate --jobs 2", two))
    print(row("8x8-events validate --jobs 1 --no-stream-checks", alone))
    print(row("8x8-events interactions --format jsonl", measured))
    print(row("8x8-events interactions --format jsonl --jobs 2", measured_two))
    print(f"  lines the fast path left to the full look      {share:12.2%}")
    print(target("CLI --jobs 1 / yardstick", one / baseline, 0.6))
    print(target("CLI --jobs 1 / peer", one / rival, 0.8))
    print(target("CLI --jobs 1, no stream checks / peer", alone / rival, 1.0))
    print(target("CLI --jobs 2 / CLI --jobs 1", two / one, 1.8))
    print(target("CLI --jobs 1, no stream checks / yardstick", alone / baseline, 0.6))
    print(target("interactions / yardstick", measured / baseline, 0.4))
    print(target("peak memory, --jobs 1", one_peak / 1024, 150, " MiB", more=False))
    print(target("peak memory, --jobs 2 (per process)", two_peak / 1024, 150, " MiB", more=False))
    return {
        "one": one,
        "one_seconds": one_seconds,
        "lines": lines,
        "yardstick_seconds": lines / baseline,
        "size": size_mb,
    }


ARCHIVE_FILES = 8


def archive(size_mb: int) -> tuple[Path, int]:
    """The capture of ``size_mb`` MiB as an archive of eight files, cut at line ends."""
    path, lines = capture(size_mb)
    folder = CACHE / f"archive-{size_mb}m-v{sample.VERSION}"
    if not folder.exists():
        partial = folder.with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        share = -(-lines // ARCHIVE_FILES)
        with path.open("rb") as source:
            for index in range(ARCHIVE_FILES):
                with (partial / f"part-{index}.jsonl").open("wb") as out:
                    out.writelines(islice(source, share))
        partial.rename(folder)
    return folder, lines


def _worker_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def split_fold_seconds(address: str, folder: Path) -> float:
    """``validate --scheduler`` in this process (its start left out), with the stream
    checks' fold split over the workers, as a cluster of more than four threads runs it:
    the rate the guide projects a large cluster from (best of three)."""
    from unittest import mock

    from eightbyeight_events.cli import main as command
    from eightbyeight_events.scale import cluster as on_cluster

    arguments = ["validate", "--progress", "never", "--format", "json", "--scheduler", address]
    with (
        mock.patch.object(on_cluster, "FOLDED_HERE_UP_TO", 0),
        Path(os.devnull).open("w") as nowhere,
        mock.patch.object(sys, "stdout", nowhere),  # the report goes to its buffer
    ):
        return min(timed(lambda: command([*arguments, str(folder)])) for _ in range(BEST_OF))


TERABYTE = 10**12
LARGE_CLUSTER = 32


def cluster_speed(size_mb: int) -> None:
    """A local Dask cluster of two one-thread worker processes against --jobs 1 and
    --jobs 2, on an archive of eight files; and, from the rate of a worker with the fold
    split over the workers, the time 1 TB of such traffic takes on 32."""
    from distributed import Client, LocalCluster

    folder, lines = archive(size_mb)
    print(f"archive {folder.relative_to(REPO)}: {ARCHIVE_FILES} files, {lines:,} events")
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as local,
        Client(local.scheduler_address) as client,  # type: ignore[no-untyped-call]
    ):
        command = [sys.executable, "-m", "eightbyeight_events", "validate", "--progress"]
        command += ["never", "--format", "json", "--scheduler", local.scheduler_address]
        # the local runs beside the cluster's, which idles meanwhile
        found = interleaved(
            {
                "one": lambda: cli(folder, 1),
                "two": lambda: cli(folder, 2),
                "dask": lambda: process(*command, str(folder)),
            }
        )
        (one_seconds, _), (two_seconds, _) = found["one"], found["two"]
        dask_seconds, client_peak = found["dask"]
        worker_peak = max(client.run(_worker_peak).values())
        split_seconds = split_fold_seconds(local.scheduler_address, folder)
        split_peak = max(client.run(_worker_peak).values())
    one, dask = lines / one_seconds, lines / dask_seconds
    split = lines / split_seconds / 2
    events = TERABYTE / (sum(path.stat().st_size for path in folder.iterdir()) / lines)
    print(row("8x8-events validate --jobs 1", one))
    print(row("8x8-events validate --jobs 2", lines / two_seconds))
    print(row("8x8-events validate --scheduler (2 workers x 1 thread)", dask))
    print(row("  the same, per worker", dask / 2))
    print(target("Dask, 2 one-thread workers / --jobs 1", dask / one, 1.6))
    print(target("CLI --jobs 2 / CLI --jobs 1, archive", one_seconds / two_seconds, 1.8))
    print(row("  the fold split over the workers, per worker (start left out)", split))
    print(target("peak memory, Dask worker", worker_peak / 1024, 1024, " MiB", more=False))
    print(target("  with the fold split over the workers", split_peak / 1024, 1024, " MiB", False))
    print(target("peak memory, Dask client", client_peak / 1024, 150, " MiB", more=False))
    minutes = events / (LARGE_CLUSTER * split) / 60
    print(
        f"  1 TB ({events / 1e6:,.0f} million such events) on {LARGE_CLUSTER} one-thread "
        f"workers at that rate: {minutes:,.0f} minutes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default="100,1024",
        help="capture sizes in MiB, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--reference-events",
        type=int,
        default=5000,
        help="events for the python-jsonschema rate (default: %(default)s)",
    )
    parser.add_argument(
        "--skip-bad-input", action="store_true", help="leave out the bad-input memory runs"
    )
    parser.add_argument(
        "--skip-cluster", action="store_true", help="leave out the local Dask cluster's run"
    )
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    print(f"{os.cpu_count()} CPUs; rates in events per second, measured in this one run")
    results = {size: speed(size) for size in sizes}
    if not arguments.skip_cluster:
        cluster_speed(max(sizes))
    forms = 100_000
    form_speed(frames_capture(forms), forms, "as Pulsar frames")
    form_speed(pretty_capture(forms), forms, "pretty-printed, as jq . prints them")
    smallest = min(sizes)
    path, _ = capture(smallest)
    one = results[smallest]["one"]
    reference = python_jsonschema_rate(path, arguments.reference_events)
    with path.open("rb") as handle:
        head = b"".join(islice(handle, 100_000))
    bundled = CACHE / "bundle.schema.json"
    bundled.write_text(json.dumps(bundle(load_schemas())))
    ajv = node_rate("ajv-validate.mjs", "--summary", str(bundled), lines=head)
    package = str(REPO / "generated" / "typescript")
    typescript = node_rate("parse-rate.mjs", package, lines=head)
    # in a process of its own, as a consumer's would be: this one holds what every earlier
    # measurement left on its heap, which slowed the loaders (they allocate the models) by
    # up to a tenth and the yardstick less
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        loader = pool.apply(loader_rates, (path, 100_000))
        costs = pool.apply(part_costs, (path, 100_000))
    print(f"other validators, on the {smallest} MiB capture:")
    print(row(f"python-jsonschema, union ({arguments.reference_events:,} events)", reference))
    print(target("CLI --jobs 1 / python-jsonschema", one / reference, 100))
    if ajv is not None:
        print(row("ajv 8 (node), bundled union, all errors (first 100,000)", ajv))
        print(target("CLI --jobs 1 / ajv", one / ajv, 1.5))
    else:
        print("  ajv: node or node_modules missing, not measured")
    if typescript is not None:
        print(row("parseEvent of 8x8-event-types (the same lines)", typescript))
    print("the loaders, on its first 100,000 events:")
    print(row("orjson.loads on the same lines in memory (yardstick)", loader["orjson"]))
    print(row("parse_event (parse, validate, build)", loader["parse_event"]))
    print(row("parse_frame (the same events in frames)", loader["parse_frame"]))
    print(target("parse_event / yardstick", loader["parse_event"] / loader["orjson"], 0.4))
    print(target("parse_frame / yardstick", loader["parse_frame"] / loader["orjson"], 0.3))
    alone, default = start_up()
    ceilings({**results[smallest], "start_up": alone, "start_up_default": default}, costs, ajv)
    replay_and_capture()
    if not arguments.skip_bad_input:
        bad_input_memory()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process itself peaked at {own:.0f} MiB)")


if __name__ == "__main__":
    main()

"""Writes the bundled sample captures (examples/captures) with the traffic generator.

python -m eightbyeight_build.sample --bundled examples/captures
python -m eightbyeight_build.sample --seed 8 --interactions 150 out.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eightbyeight_events.traffic import Variations, write

BUNDLED = {
    "sample.jsonl": {"seed": 8, "interactions": 150, "frames": False},
    "sample-frames.jsonl": {"seed": 9, "interactions": 40, "frames": True},
}
"""The captures in examples/captures/, which ``--bundled`` rewrites."""
BUNDLED_RATES = Variations(undeclared_fields=0.0)
"""The bundled captures carry every documented variation but no field the schemas leave
undeclared: they are what a team's ``--fail-on invalid,unreadable,undeclared-field`` must
pass. The variations are drawn all the same, so nothing else differs from the default rates;
test and bench captures keep the service's own additions."""


def write_bundled(folder: Path) -> list[Path]:
    written = []
    for name, settings in BUNDLED.items():
        seed, interactions = int(settings["seed"]), int(settings["interactions"])
        write(folder / name, seed, interactions, bool(settings["frames"]), BUNDLED_RATES)
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a realistic, seeded capture.")
    parser.add_argument("out", type=Path, help="file to write; with --bundled, a folder")
    parser.add_argument(
        "--bundled",
        action="store_true",
        help="write the bundled sample captures (examples/captures) into OUT",
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--interactions", type=int, default=150)
    parser.add_argument(
        "--frames", action="store_true", help="write Pulsar frames, not decoded events"
    )
    arguments = parser.parse_args(argv)
    if arguments.bundled:
        for path in write_bundled(arguments.out):
            print(f"wrote {path}")
        return
    count = write(arguments.out, arguments.seed, arguments.interactions, arguments.frames)
    print(f"wrote {count} events to {arguments.out}")


if __name__ == "__main__":
    main()

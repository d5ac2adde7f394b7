"""Writes the bundled sample captures (examples/captures) with the generator of
``8x8-events generate``: the same as

    8x8-events generate --seed 8 --interactions 150 --output examples/captures/sample.jsonl
    8x8-events generate --seed 9 --interactions 40 --frames \\
        --output examples/captures/sample-frames.jsonl

Run as ``python -m eightbyeight_build.sample examples/captures``; a test holds the
bundled files to what it writes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eightbyeight_events.traffic.generator import Plan, generate

BUNDLED = {
    "sample.jsonl": Plan(seed=8, interactions=150),
    "sample-frames.jsonl": Plan(seed=9, interactions=40, frames=True),
}
"""The captures in examples/captures/. They carry every documented variation and no field
the schemas leave undeclared (the generator's default)."""


def write_bundled(folder: Path) -> list[Path]:
    written = []
    for name, plan in BUNDLED.items():
        with (folder / name).open("wb") as out:
            generate(plan, out)
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the bundled sample captures.")
    parser.add_argument("folder", type=Path, help="where to write them (examples/captures)")
    for path in write_bundled(parser.parse_args(argv).folder):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

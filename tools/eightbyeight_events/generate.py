"""Regenerate everything derived from ``schemas/`` into one output folder.

``nox -s generate`` writes into ``generated/``; the freshness test writes
into a temporary folder and compares, so a stale tree fails CI with the
command that fixes it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eightbyeight_events.bundle import BUNDLE_NAME, bundle
from eightbyeight_events.schemas import load_schemas


def write_bundle(out: Path) -> Path:
    target = out / BUNDLE_NAME
    target.write_text(
        json.dumps(bundle(load_schemas()), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target


def generate(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [write_bundle(out)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write into, normally generated/")
    for path in generate(parser.parse_args(argv).out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

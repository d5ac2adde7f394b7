"""The spec's version: one number, kept in ``schemas/annotations.json``, for the schemas, this
package, the bundle, the AsyncAPI document and the npm package (semantic versioning, judged
by ``8x8-events diff``; see the Versions and compatibility page)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from eightbyeight_events.schemas import ANNOTATIONS, schema_dir

VERSION_KEY = "specVersion"
Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")
SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?")
BUNDLE_COMMENT = "8x8-event-schemas spec version "
"""How the bundle names its version (in ``$comment``, the one keyword every tool lets be)."""


def spec_version(folder: Path | None = None) -> str:
    with ((folder or schema_dir()) / ANNOTATIONS).open(encoding="utf-8") as handle:
        return str(json.load(handle)[VERSION_KEY])


__version__ = spec_version()


def semver(version: str) -> tuple[int, int, int]:
    match = SEMVER.fullmatch(version)
    if match is None:
        raise ValueError(f"{version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    return int(match[1]), int(match[2]), int(match[3])


def version_bump(old: str, new: str) -> Bump | None:
    """The bump from ``old`` to ``new``; None when ``new`` is not after ``old``."""
    before, after = semver(old), semver(new)
    if after == before:
        return "none"
    if after < before:
        return None
    if after[0] > before[0]:
        return "major"
    return "minor" if after[1] > before[1] else "patch"


def next_version(version: str, bump: Bump) -> str:
    """The smallest version after ``version`` that takes ``bump``."""
    major, minor, patch = semver(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"

"""The spec's version: one number, kept in ``schemas/annotations.json``, for the schemas, this
package, the bundle, the AsyncAPI document and the npm package (semantic versioning, judged
by ``8x8-events diff``; see the Versions and compatibility page)."""

from __future__ import annotations

import json
from pathlib import Path

from eightbyeight_events.schemas import ANNOTATIONS, schema_dir

VERSION_KEY = "specVersion"
BUNDLE_COMMENT = "8x8-event-schemas spec version "
"""How the bundle names its version (in ``$comment``, the one keyword every tool lets be)."""


def spec_version(folder: Path | None = None) -> str:
    with ((folder or schema_dir()) / ANNOTATIONS).open(encoding="utf-8") as handle:
        return str(json.load(handle)[VERSION_KEY])


__version__ = spec_version()

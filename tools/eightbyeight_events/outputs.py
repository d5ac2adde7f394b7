"""The files a command writes with ``--output``: opened before any work (a path that cannot
be written is a usage error at once), written under ``NAME.partial`` and renamed when the
command ends well, removed otherwise, so no half-written file ever carries the name asked
for; a write that fails (a full disk) is a usage error naming the file."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from eightbyeight_events.readers import UsageError


def partial_of(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def cannot_write(path: Path | str, error: OSError, what: str = "") -> UsageError:
    reason = error.strerror or str(error)
    return UsageError(f"{what + ' ' if what else ''}{path}: cannot write: {reason}")


@contextmanager
def written(path: Path | None, what: str = "--output") -> Iterator[BinaryIO]:
    """Standard output when ``path`` is None; else the file, as the module says."""
    if path is None:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    # a device or a FIFO (/dev/stdout, a pipe) is written in place: it cannot be renamed onto
    special = path.exists() and not path.is_file()
    partial = path if special else partial_of(path)
    try:
        handle = partial.open("wb")
    except OSError as error:
        raise cannot_write(path, error, what) from None
    try:
        with handle:
            yield handle
    except OSError as error:
        if not special:
            partial.unlink(missing_ok=True)
        if error.filename is not None:  # not a write of ours: reading an input, say
            raise
        raise cannot_write(path, error, what) from None
    except BaseException:
        if not special:
            partial.unlink(missing_ok=True)
        raise
    if not special:
        partial.replace(path)


def add_to_step_summary(markdown: str) -> None:
    """Markdown added to the GitHub job's page when ``$GITHUB_STEP_SUMMARY`` names a file
    (as in every GitHub Actions step): GitHub shows ten annotations a step, the summary the
    rest."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with Path(path).open("a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as error:
        raise cannot_write(path, error, "$GITHUB_STEP_SUMMARY") from None

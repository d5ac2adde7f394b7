"""Parquet for the data tools (DuckDB, Polars, Spark): each interaction's measures
(``interactions --format parquet``) and each failing or drifting message of a validation
(``validate --results-parquet``), in typed columns, written a row group at a time as the
rows come, so memory stays flat however long the capture."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from eightbyeight_events.outputs import partial_of
from eightbyeight_events.readers import UsageError
from eightbyeight_events.stream import InteractionSummary
from eightbyeight_events.tally import LineResult

if TYPE_CHECKING:
    import pyarrow

Row = TypeVar("Row")
ROW_GROUP = 50_000
"""Rows held before they are written: a row group of Parquet, a few megabytes."""
INSTALL = "pip install '8x8-event-schemas[parquet]'"


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError(f"Parquet output needs pyarrow: {INSTALL}") from None
    return pyarrow


def interactions_schema() -> pyarrow.Schema:
    pa = _arrow()
    text, seconds = pa.string(), pa.float64()
    moment = pa.timestamp("ms", tz="UTC")
    names = pa.list_(pa.string())
    return pa.schema(
        [
            ("interactionGUID", text),
            ("mediaType", text),
            ("direction", text),
            ("started", moment),
            ("ended", moment),
            ("outcome", text),
            ("queue_s", seconds),
            ("ring_s", seconds),
            ("talk_s", seconds),
            ("hold_s", seconds),
            ("holds", pa.int64()),
            ("wrapup_s", seconds),
            ("offered_agents", names),
            ("handling_agents", names),
            ("participants", names),
            ("hangupInitiator", text),
            ("callHangupReason", text),
            ("complete", pa.bool_()),
        ]
    )


def results_schema() -> pyarrow.Schema:
    pa = _arrow()
    texts = pa.list_(pa.string())
    return pa.schema(
        [
            ("source", pa.string()),
            ("line", pa.int64()),
            ("status", pa.string()),
            ("event_type", pa.string()),
            ("message_id", pa.string()),
            ("pointers", texts),
            ("rules", texts),
            ("messages", texts),
            ("drift", texts),
        ]
    )


def _moment(text: str | None) -> datetime | None:
    # fromisoformat reads a trailing Z only from Python 3.11 on
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def interaction_row(summary: InteractionSummary) -> dict[str, Any]:
    row = summary.as_dict()
    row["started"], row["ended"] = _moment(summary.started), _moment(summary.ended)
    for name in ("offered_agents", "handling_agents", "participants"):
        row[name] = list(row[name])
    return row


def result_row(result: LineResult) -> dict[str, Any]:
    return {
        "source": result.place.source,
        "line": result.place.line,
        "status": result.status,
        "event_type": result.event_type,
        "message_id": result.place.message_id,
        "pointers": [finding.pointer for finding in result.errors],
        "rules": [finding.rule for finding in result.errors],
        "messages": [finding.message for finding in result.errors],
        "drift": result.drift,
    }


class ParquetRows(Generic[Row]):
    """Rows into one Parquet file: taken one at a time, written a row group at a time.
    The file is written to ``PATH.partial`` and renamed when closed, so a run that stops
    half-way leaves no file that looks whole."""

    def __init__(
        self, path: Path, schema: pyarrow.Schema, to_row: Callable[[Row], dict[str, Any]]
    ) -> None:
        pa = _arrow()
        self._table = pa.Table
        self.path = path
        self.partial = partial_of(path)
        self.schema = schema
        self.to_row = to_row
        self.rows: list[dict[str, Any]] = []
        self.written = 0
        self.closed = False
        try:
            self.writer = pa.parquet.ParquetWriter(str(self.partial), schema)
        except OSError as error:
            raise self._cannot(error) from None

    def __call__(self, item: Row) -> None:
        self.rows.append(self.to_row(item))
        if len(self.rows) >= ROW_GROUP:
            self._flush()

    def _cannot(self, error: OSError) -> UsageError:
        # pyarrow's own words name the temporary file; the errno says it plainly
        reason = os.strerror(error.errno) if error.errno else str(error)
        return UsageError(f"{self.path}: cannot write: {reason}")

    def _flush(self) -> None:
        if self.rows:
            try:
                self.writer.write_table(self._table.from_pylist(self.rows, schema=self.schema))
            except OSError as error:  # a full disk
                self.discard()
                raise self._cannot(error) from None
            self.written += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self._flush()
        try:
            self.writer.close()
        except OSError as error:
            self.discard()
            raise self._cannot(error) from None
        self.partial.replace(self.path)
        self.closed = True

    def discard(self) -> None:
        """Remove what a run that did not finish wrote; nothing once closed."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError):  # the disk may be what failed
                self.writer.close()
            self.partial.unlink(missing_ok=True)


def interactions_file(path: Path) -> ParquetRows[InteractionSummary]:
    return ParquetRows(path, interactions_schema(), interaction_row)


def results_file(path: Path) -> ParquetRows[LineResult]:
    """One row per message that is not valid or drifts from the spec."""
    return ParquetRows(path, results_schema(), result_row)

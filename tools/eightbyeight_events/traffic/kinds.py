"""The kinds of fault ``8x8-events generate`` can put into traffic: the stream finding
kinds of ``validate``, and lines that are invalid or drift from the spec."""

STREAM_FAULTS = (
    "redelivered",
    "out-of-order",
    "after-end",
    "missing-step",
    "never-ended",
    "sequence-regression",
)
LINE_FAULTS = ("invalid", "drift")
FAULTS = STREAM_FAULTS + LINE_FAULTS

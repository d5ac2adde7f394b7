"""Skipping redeliveries in a frame consumer, in bounded memory.

The stream is at-least-once: after a reconnect, or an acknowledgement the
service did not get, a message comes again with the same ``messageId`` and a
higher ``redeliveryCount``. A consumer that must act once per message
remembers the ids it has acted on, but not for ever: ``Redeliveries`` keeps
the most recent ``limit`` ids, and with ``window`` only those seen within
that many seconds, so a consumer that runs for months holds a fixed amount::

    seen = Redeliveries(limit=100_000)
    delivery = parse_frame(text)
    if seen.first_time(delivery.message_id):
        handle(delivery.event)
    acknowledge(delivery.message_id)  # a redelivery is acknowledged too
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_LIMIT = 100_000
"""Ids remembered by default: at the 1.7 KB of a frame, more than 150 MB of traffic."""


class Redeliveries:
    """The message ids seen lately: at most ``limit`` of them, each for at most ``window``
    seconds when a window is given (``clock`` tells the time, ``time.monotonic`` unless a
    test gives another)."""

    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        window: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be 1 or more, not {limit}")
        if window is not None and window <= 0:
            raise ValueError(f"window must be more than zero seconds, not {window}")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, message_id: str) -> bool:
        """Whether ``message_id`` is new: True the first time, False for a redelivery
        within the limit and the window. Either way it counts as seen now."""
        now = self.clock()
        self._forget(now)
        known = message_id in self._seen
        self._seen[message_id] = now
        self._seen.move_to_end(message_id)
        if len(self._seen) > self.limit:
            self._seen.popitem(last=False)
        return not known

    def __contains__(self, message_id: object) -> bool:
        self._forget(self.clock())
        return message_id in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def _forget(self, now: float) -> None:
        if self.window is None:
            return
        oldest = now - self.window
        while self._seen:
            first = next(iter(self._seen))
            if self._seen[first] > oldest:
                break
            del self._seen[first]

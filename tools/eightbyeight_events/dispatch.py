"""Handlers per event type, in the style of ``@octokit/webhooks``' ``on("issues.opened", …)``.

``eightbyeight_events.events.Dispatcher`` (generated, with one typed ``on``
overload per event type, so a handler gets the narrowed type and a handler of
the wrong type does not type-check) builds on this runtime part::

    from eightbyeight_events import parse_event
    from eightbyeight_events.events import Dispatcher
    from eightbyeight_events.models import InteractionQueued

    def queued(event: InteractionQueued) -> None:
        print(event.queueId)

    dispatcher = Dispatcher()
    dispatcher.on("InteractionQueued", queued)
    dispatcher.dispatch(parse_event(line, unknown="value"))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eightbyeight_events.loader import UnknownEvent
from eightbyeight_events.model_base import Model


class Handlers:
    """Handlers by event type name, for any event, and for event types the catalogue lacks."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[Callable[[Any], object]]] = {}
        self._any: list[Callable[[Model], object]] = []
        self._unknown: list[Callable[[UnknownEvent], object]] = []

    def _register(self, name: str, handler: Callable[[Any], object]) -> None:
        self._by_name.setdefault(name, []).append(handler)

    def on_any(self, handler: Callable[[Model], object]) -> None:
        """Call ``handler`` with every event of a known type."""
        self._any.append(handler)

    def on_unknown(self, handler: Callable[[UnknownEvent], object]) -> None:
        """Call ``handler`` with every message of a type the catalogue lacks."""
        self._unknown.append(handler)

    def dispatch(self, event: Model | UnknownEvent) -> int:
        """Call the handlers of ``event``; how many were called."""
        if isinstance(event, UnknownEvent):
            for unknown in self._unknown:
                unknown(event)
            return len(self._unknown)
        handlers = self._by_name.get(type(event).__name__, [])
        for handler in handlers:
            handler(event)
        for every in self._any:
            every(event)
        return len(handlers) + len(self._any)

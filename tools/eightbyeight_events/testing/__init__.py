"""Testing a consumer against the contract, in its own test suite.

- ``make_event(event_type, **overrides)``: a valid event of that type with realistic
  values (the example message the spec keeps for it), overrides applied and checked,
  as its generated model;
- ``start_replay(capture_or_events, **faults)``: the ``8x8-events replay`` stand-in for the
  service, on 127.0.0.1 in a thread of its own, with a free port and a generated key;
- ``eightbyeight_events.testing.strategies`` (with hypothesis): ``events()`` and
  ``frames()``, values valid for the schemas with every documented variation.

With pytest, the fixtures ``make_event`` and ``replay_server`` come with the package
(installed with the ``testing`` extra: ``pip install "8x8-event-schemas[testing]"``).
"""

from __future__ import annotations

from eightbyeight_events.testing.events import example_message, make_event
from eightbyeight_events.testing.replay import RunningReplay, start_replay

__all__ = ["RunningReplay", "example_message", "make_event", "start_replay"]

"""The pytest fixtures of ``eightbyeight_events.testing``, registered with pytest by the
package's ``pytest11`` entry point:

- ``replay_server``: a factory; ``replay_server(capture_or_events, **faults)`` starts the
  replay stand-in on 127.0.0.1 (a free port, a generated key) and returns a
  ``RunningReplay`` (``url``, ``url_for(topic, **query)``, ``api_key``, ``headers``,
  ``tenant``); every server it started is stopped at teardown. The faults are the
  command's: ``redeliver_rate``, ``drop_connection_every``, ``reorder_window``, ``seed``.
- ``make_event``: ``make_event(event_type, **overrides)``, a valid event as its model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from eightbyeight_events import models
    from eightbyeight_events.testing.replay import RunningReplay

# The package is imported when a fixture is first used, not here: pytest loads this plugin in
# every session of every project where the package is installed, most of which never use it.


@pytest.fixture
def replay_server() -> Iterator[Callable[..., RunningReplay]]:
    """Starts replay servers; stops them all at teardown."""
    from eightbyeight_events.testing.replay import start_replay

    started: list[RunningReplay] = []

    def start(source: Any, **options: Any) -> RunningReplay:
        running = start_replay(source, **options)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def make_event() -> Callable[..., models.Event]:
    """``make_event(event_type, *, omit=(), **overrides)``: see
    ``eightbyeight_events.testing.make_event``."""
    from eightbyeight_events.testing.events import make_event as build

    return build

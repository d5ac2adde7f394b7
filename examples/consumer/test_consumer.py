"""A consumer's own tests against the contract, as a team writes them (the guide "Testing
your consumer" shows this file; our test suite runs it as a user's project would).

The consumer here counts the interactions that reached an agent, reading frames from the
live stream: it acknowledges every frame, skips redeliveries, and survives control
messages. Needs: pip install "8x8-event-schemas[testing]" websockets
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from websockets.sync.client import connect

from eightbyeight_events import Control, EventError, Redeliveries, parse_event, parse_frame
from eightbyeight_events.models import InteractionAccepted
from eightbyeight_events.testing.strategies import events


def accepted_interactions(url: str, headers: dict[str, str], frames: int) -> set[str]:
    """The consumer under test: reads ``frames`` frames, acknowledging each."""
    seen = Redeliveries()
    found: set[str] = set()
    with connect(url, additional_headers=headers) as stream:
        for _ in range(frames):
            delivery = parse_frame(stream.recv(timeout=10), unknown="value", control="value")
            if isinstance(delivery, Control):
                continue  # an answer to a command, not an event
            stream.send(json.dumps({"messageId": delivery.message_id}))
            event = delivery.event
            if seen.first_time(delivery.message_id) and isinstance(event, InteractionAccepted):
                found.add(event.interactionGUID)
    return found


def test_accepted_calls_are_counted_once_despite_redeliveries(replay_server, make_event):
    accepted = make_event("InteractionAccepted")
    others = [make_event("InteractionQueued"), make_event("AgentStatusChange")]
    replay = replay_server([*others, accepted], redeliver_rate=1.0)
    url = replay.url_for("event-v1/all", messageId="earliest")
    assert accepted_interactions(url, replay.headers, frames=6) == {accepted.interactionGUID}


def test_an_override_the_schema_refuses_fails_loudly(make_event):
    with pytest.raises(EventError, match="priority"):
        make_event("InteractionQueued", priority="high")


@given(events("InteractionQueued"))
def test_every_form_of_a_queued_event_parses(message):
    event = parse_event(message)
    assert event.event == "InteractionQueued"
    assert isinstance(event.interactionEventTS, int)

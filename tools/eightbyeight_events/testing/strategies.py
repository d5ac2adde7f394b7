"""Hypothesis strategies of messages the schemas accept, with the variations real traffic
carries: flags as the strings "true" and "false", agents joined by ";", disposition codes as
words, "N/A" channel ids, recording modes as codes, tenant status codes, ``msgInfo`` printed
as ``{}``, the call states of the documented contradictions, attachedData keys outside the
catalogue, and the three forms of a frame's ``publishTime``.

    from hypothesis import given
    from eightbyeight_events.testing.strategies import events, frames

    @given(events("InteractionQueued"))
    def test_my_consumer_takes_every_queued_event(message): ...

Each value starts from the example message of its event type and draws the variations
that apply to it, with the traffic generator's rules; values are decoded JSON (dicts), as a
consumer receives them from ``json.loads``.
"""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from eightbyeight_events.catalogue import event_types
from eightbyeight_events.testing.events import example_message
from eightbyeight_events.traffic.shift import FrameVariations, Variations, as_frame, vary

EVERY_VARIATION = Variations(
    empty_msg_info=0.5,
    string_flags=0.5,
    second_agent=0.5,
    semicolon_agents=0.5,
    recording_mode_codes=0.5,
    contradiction_call_states=0.5,
    tenant_status_codes=0.5,
    unknown_attached_keys=0.5,
    undeclared_fields=0.0,  # the service may add fields, but they are no documented form
)
"""Each documented variation drawn as often as not, where it applies."""
DISPOSITION_WORDS = ("SALE", "CALLBACK", "NO_SALE")
SHIFT = 30 * 24 * 3600
"""How far from the example's own time a drawn event may lie (seconds)."""


def events(event_type: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Decoded messages of ``event_type`` (a name of the catalogue), or of every type."""
    names = [event_type] if event_type else [kind.name for kind in event_types()]
    for name in names:
        example_message(name)  # a name the catalogue lacks fails here, not in a test
    return st.builds(_varied, st.sampled_from(names), st.randoms(use_true_random=False))


def frames(event_type: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Pulsar frames carrying ``events(event_type)``, with and without ``key``,
    ``eventTime`` and ``properties``, and every documented ``publishTime`` form."""
    return st.builds(
        _framed,
        events(event_type),
        st.integers(1, 2**48),
        st.sampled_from(["utc", "offset", "space"]),
        st.integers(0, 3),
        st.randoms(use_true_random=False),
    )


def _varied(name: str, pick: random.Random) -> dict[str, Any]:
    message = example_message(name)
    ((_, payload),) = message.items()
    shift = pick.randrange(-SHIFT, SHIFT)
    for field in ("interactionEventTS", "statusEventTS"):
        if isinstance(payload.get(field), int):
            payload[field] += shift
    info = payload.get("msgInfo")
    if isinstance(info, dict) and pick.random() < EVERY_VARIATION.empty_msg_info:
        payload["msgInfo"] = {}
    if isinstance(payload.get("dispositionCode"), int) and pick.random() < 0.5:
        payload["dispositionCode"] = pick.choice(DISPOSITION_WORDS)
    if isinstance(payload.get("inboundChannelid"), int) and pick.random() < 0.5:
        payload["inboundChannelid"] = "N/A"
    agents = ["ag" + "".join(pick.choices(string.ascii_letters + string.digits, k=22))]
    return vary(message, EVERY_VARIATION, pick, agents)


def _framed(
    event: dict[str, Any], number: int, form: str, redelivered: int, pick: random.Random
) -> dict[str, Any]:
    shares = FrameVariations(key=pick.random(), event_time=pick.random(), no_properties=0.2)
    frame = as_frame(event, number, shares)
    frame["publishTime"] = _publish_time(frame["publishTime"], form, pick)
    frame["redeliveryCount"] = redelivered
    return frame


def _publish_time(utc: str, form: str, pick: random.Random) -> str:
    """``utc`` (``…T…Z``) in one of the three documented forms."""
    if form == "utc":
        return utc
    moment = datetime.fromisoformat(utc.replace("Z", "+00:00"))
    if form == "space":  # a local time of unknown zone
        return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    offset = timezone(timedelta(minutes=pick.choice([-420, -300, 0, 60, 330])))
    return moment.astimezone(offset).isoformat(timespec="milliseconds")

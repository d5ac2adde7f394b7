"""A consumer written against the generated models; mypy --strict must accept it.

It narrows with ``match`` on the event classes and proves the match is
exhaustive with ``assert_never``, so a new event type in the spec breaks
this file until it is handled.
"""

from __future__ import annotations

from typing_extensions import assert_never

from eightbyeight_events.loader import parse_event, to_dict
from eightbyeight_events.models import (
    AgentProvChange,
    AgentSkillChanged,
    AgentSkillCreated,
    AgentStatusChange,
    CallState,
    Event,
    GuestChatEnd,
    InteractionDeleted,
    InteractionQueued,
    LineHoldStatus,
    MediaProxyAdded,
    MediaProxyRemoved,
)


def queue_of(event: Event) -> int | None:
    match event:
        case InteractionQueued(queueId=queue):
            return queue
        case _:
            return None


def summary(event: Event) -> str:
    match event:
        case AgentStatusChange():
            return f"agent {event.agentId} is now {event.newState}"
        case AgentProvChange() | AgentSkillCreated() | AgentSkillChanged():
            return f"{event.event}: skill {event.skillId} enabled={event.enabled}"
        case LineHoldStatus(status=True):
            return f"{event.interactionGUID} on hold"
        case InteractionDeleted():
            reason: str | None = event.callHangupReason
            return f"{event.interactionGUID} ended ({reason})"
        case GuestChatEnd() | MediaProxyAdded() | MediaProxyRemoved():
            return type(event).__name__
        case _:
            state: CallState | None = event.callState
            return f"{event.event} {event.interactionGUID} {state}"


def exhaustive(event: Event) -> str:
    if isinstance(event, AgentStatusChange | GuestChatEnd | MediaProxyAdded | MediaProxyRemoved):
        return "no event field"
    if isinstance(event, AgentProvChange | AgentSkillCreated | AgentSkillChanged):
        return event.event
    if event.event == "InteractionCreated" or event.event == "InteractionQueued":
        return "arriving"
    match event.event:
        case "InteractionAssigned" | "InteractionAccepted" | "InteractionCustomerAccepted":
            return "offered"
        case "InteractionRejected" | "InteractionUnqueued" | "LineHoldStatus" | "LineMuteStatus":
            return "changing"
        case "InteractionRecordingStarted" | "RecordingStatus" | "InteractionRecordingReady":
            return "recording"
        case "InteractionPostProcess" | "InteractionEndPostProcess" | "InteractionDeassigned":
            return "wrapping up"
        case "InteractionTransferRequest" | "InteractionReconnect" | "InteractionChanged":
            return "changing"
        case "InteractionParticipantChange" | "InteractionParticipantRemovedByHost":
            return "participants"
        case "InteractionJoinLinesRequest" | "InteractionJoined" | "InteractionQueueTimeout":
            return "lines"
        case "InteractionDeleted":
            return "gone"
        case unreachable:
            assert_never(unreachable)


def round_trip(line: bytes) -> dict[str, object]:
    return to_dict(parse_event(line))

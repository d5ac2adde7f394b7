"""A seeded generator of realistic captures, for the bundled sample and the benchmarks.

It plays whole interaction lifecycles as the reference describes them
(inbound, outbound, rejected, abandoned, unanswered, holds, recordings, chat)
and agent status and skill changes, interleaves them by time, and writes one
decoded event per line, or Pulsar frames. Real traffic carries every
documented variation on every tenant, so the events carry
them too, each at a rate named in ``Variations``: string flags, "N/A"
channel ids, ``;``-separated agents, string disposition codes, recording
mode codes, the call states of the documented contradictions, tenant status
codes, empty ``msgInfo``, attachedData keys outside the catalogue and a few
undeclared fields. Every event stays valid; the last few are drift and
warnings, as in real traffic.

The bundled sample captures, the benchmarks' captures and the test
strategies (``eightbyeight_events.testing``) are made here.
"""

from __future__ import annotations

import base64
import heapq
import itertools
import random
import string
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import orjson

from eightbyeight_events.normal import flag_fields

VERSION = 6
"""Bumped whenever the generator's output changes, so cached bench captures are remade."""
TENANT = "acmecorp01"
START = 1764057600
"""2025-11-25 08:00 UTC: when a generated shift starts, unless told otherwise."""
QUEUES = {591: "Customer Service", 602: "Sales Queue", 612: "Chat Support"}
Event = dict[str, Any]


@dataclass(frozen=True)
class Variations:
    """How often each documented variation appears, as a share of the events it can apply to."""

    empty_msg_info: float = 0.3
    """msgInfo printed as {}, as the reference prints it for some events"""
    string_flags: float = 0.08
    """is* flags as the strings "true"/"false", as some contexts send them"""
    second_agent: float = 0.1
    """participatingAgents naming two agents (consults, conferences)"""
    semicolon_agents: float = 0.4
    """of those, joined by ";" instead of ",", as at some stages"""
    recording_mode_codes: float = 0.05
    """recordingMode as the internal codes 0/1/2"""
    contradiction_call_states: float = 0.1
    """the call state of a documented contradiction's other statement"""
    tenant_status_codes: float = 0.25
    """newState other than 0, 1 and 5: tenant-configured status codes"""
    unknown_attached_keys: float = 0.03
    """an attachedData key outside the catalogue (the catalogue is not exhaustive)"""
    undeclared_fields: float = 0.005
    """a field no schema declares (the service adds fields)"""


CONTRADICTION_STATES = {
    ("InteractionCreated", "in"): "CS_QUEUED",
    ("InteractionAssigned", "in"): "CS_QUEUED",
    ("InteractionAssigned", "out"): "CS_IDLE",
    ("InteractionAccepted", "in"): "CS_INPROGRESS",
    ("InteractionParticipantChange", "in"): "CS_CONNECTED",
    ("InteractionUnqueued", "in"): "CS_DISCONNECTED",
}
TENANT_STATUS_CODES = (2, 3, 4, 6, 7, 10, 12)


def vary(event: Event, rates: Variations, pick: random.Random, agents: list[str]) -> Event:
    """``event`` with the documented variations drawn for it (in place)."""
    wrapper, payload = next(iter(event.items()))
    if wrapper == "AgentStatusChange":
        if payload.get("newState") == 5 and pick.random() < rates.tenant_status_codes:
            payload["newState"] = pick.choice(TENANT_STATUS_CODES)
        return event
    if wrapper != "Interaction":
        return event
    if any(flag in payload for flag in flag_fields()) and pick.random() < rates.string_flags:
        for flag in flag_fields():
            if isinstance(payload.get(flag), bool):
                payload[flag] = "true" if payload[flag] else "false"
    agent = payload.get("participatingAgents")
    if isinstance(agent, str) and pick.random() < rates.second_agent:
        separator = ";" if pick.random() < rates.semicolon_agents else ","
        payload["participatingAgents"] = agent + separator + pick.choice(agents)
    if payload.get("recordingMode") == "yes" and pick.random() < rates.recording_mode_codes:
        payload["recordingMode"] = pick.choice([1, 2])
    state = CONTRADICTION_STATES.get((payload["event"], payload.get("direction", "in")))
    if state and "callState" in payload and pick.random() < rates.contradiction_call_states:
        payload["callState"] = state
    pairs = payload.get("attachedData", {}).get("attachedDatum")
    if pairs is not None and pick.random() < rates.unknown_attached_keys:
        extra = {"attachedDataKey": "crmTicketId", "attachedDataValue": "T-48213"}
        payload["attachedData"] = {"attachedDatum": [*pairs, extra]}  # the list is shared
    if pick.random() < rates.undeclared_fields:
        payload["queueLanguage"] = "en-GB"
    return event


class Scenario:
    """Builds the events of one tenant, drawing every choice from one seeded generator."""

    def __init__(
        self, seed: int, start: int = START, rates: Variations = Variations(), agents: int = 6
    ) -> None:
        self.random = random.Random(seed)
        self.rates = rates
        self.instance = f"us1tomcat{seed % 100:02d}.us1.whitepj.net-sapi-v1"
        self.start = start
        self.transaction = 19000
        self.agents = [self.agent_id() for _ in range(agents)]
        self.plans: dict[str, dict[str, Any]] = {}
        """interactionGUID -> the durations and outcome the scenario planned for it"""
        self.guids = {agent: f"{TENANT}-{agent}-{self.uuid()}" for agent in self.agents}

    def token(self, length: int) -> str:
        return "".join(
            self.random.choice(string.ascii_letters + string.digits) for _ in range(length)
        )

    def agent_id(self) -> str:
        return "ag" + self.token(22)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def msg_info(self, second: int) -> dict[str, Any]:
        if self.random.random() < self.rates.empty_msg_info:
            return {}
        return {
            "instanceId": self.instance,
            "sequenceId": 0,  # numbered in the order the events are sent (see events)
            "timestamp": second * 1000 + self.random.randrange(1000),
        }

    def phone(self) -> int:
        return self.random.randrange(2012000000, 9899999999)

    # -- interactions ---------------------------------------------------

    def interaction(self, media: str, index: int) -> dict[str, Any]:
        self.transaction += self.random.randrange(1, 40)
        time_hex, token = f"{self.random.getrandbits(41):x}", self.token(25)
        guid = f"int-{time_hex}-{token}-{media}-{index % 100:02d}-{TENANT}"
        return {"guid": guid, "transaction": self.transaction}

    def event(
        self, name: str, second: int, facts: dict[str, Any], **fields: Any
    ) -> tuple[int, Event]:
        payload = {
            "event": name,
            "interactionGUID": facts["guid"],
            "interactionEventTS": second,
            "msgInfo": self.msg_info(second),
            "transactionNum": facts["transaction"],
            **fields,
        }
        return second, {"Interaction": dict(sorted(payload.items()))}

    def attached(
        self, caller: int, queue: int, direction: str, created: int, queued: int
    ) -> dict[str, Any]:
        """The attachedData of a phone interaction; ``tim`` and ``otim`` hold the times the
        service lifts to ``queueTime`` and ``eventTS``, so they agree with them."""
        pairs: list[tuple[str, Any]] = [
            ("@pri", 100),
            ("callingName", self.random.choice(["Andrew Cunningh", "Maria Lopez", caller])),
            ("phoneNum", caller),
            ("priority", 50),
            ("queueDirection", direction),
            ("que", f"{TENANT}~~queue~~phone~~{queue}"),
            ("tenantName", TENANT),
            ("tenantSkillName", QUEUES[queue]),
            ("remotePhoneNum", f"+1{caller}"),
        ]
        if self.random.random() < 0.5:
            pairs.append(("channelName", QUEUES[queue]))
        pairs += [
            ("cha", 13125555068),
            ("tim", queued),
            ("otim", queued),
            ("waitTime", self.random.randrange(90)),
            ("tenantRecServer", "us1nfs04"),
            ("aAgtCallRec", "no"),
            ("callerPerm", "yes"),
            ("med", "T"),
            ("createInteractionTimestampNanos", created * 1_000_000_000 + 417_000_000),
            ("ctl_transType", "agentdial" if direction == "out" else "inbound"),
        ]
        return {"attachedDatum": [{"attachedDataKey": k, "attachedDataValue": v} for k, v in pairs]}

    def call_times(self, common: dict[str, Any], answered: int, hung_up: int) -> dict[str, Any]:
        """``common``'s attachedData with the times of a finished call: answer and hang-up in
        milliseconds, the length as HH:MM:SS and in seconds."""
        length = hung_up - answered
        pairs = [
            ("callAnsweredTime", answered * 1000 + self.random.randrange(1000)),
            ("callHangupTime", hung_up * 1000 + self.random.randrange(1000)),
            ("callDuration", f"{length // 3600:02d}:{length // 60 % 60:02d}:{length % 60:02d}"),
            ("callDurationSec", length),
        ]
        added = [{"attachedDataKey": k, "attachedDataValue": v} for k, v in pairs]
        return {"attachedDatum": [*common["attachedData"]["attachedDatum"], *added]}

    def agent_fields(self, agent: str) -> dict[str, Any]:
        return {"agentId": agent, "agentGUID": self.guids[agent], "participatingAgents": agent}

    def plan(self, facts: dict[str, Any], outcome: str, **durations: Any) -> None:
        empty = dict.fromkeys(("queue_s", "ring_s", "talk_s", "hold_s", "wrapup_s"))
        self.plans[facts["guid"]] = {**empty, "holds": 0, "outcome": outcome, **durations}

    def inbound(self, t: int, index: int, outcome: str) -> list[tuple[int, Event]]:
        facts = self.interaction("phone", index)
        facts["queued"] = t + 1
        queue = self.random.choice([591, 602])
        caller = self.phone()
        common = {"mediaType": "phone", "resourceType": 0}
        queued = {
            **common,
            "direction": "in",
            "queueId": queue,
            "queueList": queue,
            "queueTime": t + 1,
            "priority": 50,
            "inboundChannelid": 13125555068,
            "attachedData": self.attached(caller, queue, "in", t, t + 1),
        }
        events = [
            self.event(
                "InteractionCreated",
                t,
                facts,
                callState="CS_IDLE",
                **common,
                attachedData={
                    "attachedDatum": [{"attachedDataKey": "phoneNum", "attachedDataValue": caller}]
                },
            ),
            self.event(
                "InteractionQueued",
                t + 1,
                facts,
                callState="CS_QUEUED",
                eventTS=t + 1,
                callerPermission="yes",
                overrideAutoInteractionRecording="no",
                isAgentInitiated=False,
                **queued,
            ),
        ]
        now = t + 1 + self.random.randrange(5, 90)
        if outcome == "abandoned":
            self.plan(facts, "abandoned")
            events.append(
                self.event("InteractionUnqueued", now, facts, callState="CS_IDLE", **queued)
            )
            events.append(
                self.event(
                    "InteractionDeleted",
                    now + 1,
                    facts,
                    callState="CS_DISCONNECTED",
                    callHangupReason="CEC_DISCONNECT_NORMAL",
                    hangupInitiator="CUSTOMER",
                    isQueued=True,
                    **common,
                )
            )
            return events
        agent = self.random.choice(self.agents)
        if outcome == "rejected":
            events.append(
                self.event(
                    "InteractionAssigned",
                    now,
                    facts,
                    callState="CS_INPROGRESS",
                    promptingTimeout=30,
                    isDirectAccess=False,
                    **queued,
                    **self.agent_fields(agent),
                )
            )
            now += self.random.randrange(3, 30)
            events.append(
                self.event(
                    "InteractionRejected",
                    now,
                    facts,
                    callState="CS_QUEUED",
                    rejectReason=self.random.choice([1, 2]),
                    queueList=queue,
                    resourceType=0,
                    **self.agent_fields(agent),
                )
            )
            agent = self.random.choice([a for a in self.agents if a != agent])
            now += self.random.randrange(5, 40)
        events += self.conversation(facts, now, agent, queued, direction="in")
        return events

    def conversation(
        self, facts: dict[str, Any], now: int, agent: str, fields: dict[str, Any], direction: str
    ) -> list[tuple[int, Event]]:
        who = self.agent_fields(agent)
        common = {
            "mediaType": fields["mediaType"],
            "resourceType": fields["resourceType"],
            "attachedData": fields["attachedData"],
        }
        events = [
            self.event(
                "InteractionAssigned",
                now,
                facts,
                callState="CS_INPROGRESS",
                agentPhone=40000 + self.random.randrange(999),
                agentRscWaitTime=30,
                agentTreatedPhone=f"{40375}-tenant",
                promptingTimeout=30,
                outboundCampaignid=0,
                isOutboundCall=direction == "out",
                isExternal=True,
                isDirectAccess=False,
                recordingMode="yes",
                **fields,
                **who,
            )
        ]
        now += self.random.randrange(2, 20)
        accepted = "InteractionCustomerAccepted" if direction == "out" else "InteractionAccepted"
        events.append(self.event(accepted, now, facts, callState="CS_CONNECTED", **common, **who))
        assigned_at, accepted_at, held, holds = events[0][0], now, 0, 0
        if fields["mediaType"] == "phone":
            events.append(
                self.event(
                    "InteractionRecordingStarted",
                    now + 1,
                    facts,
                    recordingMode="yes",
                    mediaType="phone",
                    **who,
                )
            )
        now += self.random.randrange(20, 200)
        for _ in range(self.random.choice([0, 0, 1, 2])):
            for state, on_hold, pause in (("CS_HOLD", True, 90), ("CS_CONNECTED", False, 120)):
                events.append(
                    self.event(
                        "LineHoldStatus",
                        now,
                        facts,
                        callState=state,
                        status=on_hold,
                        mediaType=fields["mediaType"],
                        **who,
                    )
                )
                pause_for = self.random.randrange(10, pause)
                if on_hold:
                    held, holds = held + pause_for, holds + 1
                now += pause_for
        if self.random.random() < 0.3:
            for status in ("pause", "resume"):
                events.append(
                    self.event(
                        "RecordingStatus",
                        now,
                        facts,
                        status=status,
                        isAPICall=False,
                        recordingMode="yes",
                        **who,
                    )
                )
                now += self.random.randrange(10, 60)
        if fields["mediaType"] == "phone":  # the call is over: its times join attachedData
            common = {**common, "attachedData": self.call_times(common, accepted_at, now)}
        events.append(
            self.event(
                "InteractionPostProcess", now, facts, callState="CS_DISCONNECTED", **common, **who
            )
        )
        wrap = now + self.random.randrange(10, 120)
        queued_at = facts.get("queued")
        self.plan(
            facts,
            "answered",
            queue_s=None if queued_at is None else assigned_at - queued_at,
            ring_s=accepted_at - assigned_at,
            talk_s=now - accepted_at,
            hold_s=held,
            holds=holds,
            wrapup_s=wrap - now,
        )
        disposition = self.random.choice([1000, 1001, "SALE", "CALLBACK"])
        events.append(
            self.event(
                "InteractionEndPostProcess",
                wrap,
                facts,
                callState="CS_DISCONNECTED",
                dispositionCode=disposition,
                agentNotes="Customer helped.",
                **common,
                **who,
            )
        )
        events.append(
            self.event(
                "InteractionDeassigned",
                wrap + 1,
                facts,
                callState="CS_DISCONNECTED",
                **common,
                **who,
            )
        )
        if fields["mediaType"] == "phone":
            events.append(
                self.event(
                    "InteractionRecordingReady",
                    wrap + 1,
                    facts,
                    recordingMode="yes",
                    mediaType="phone",
                    **who,
                )
            )
        initiator = self.random.choice(["AGENT", "CUSTOMER"])
        events.append(
            self.event(
                "InteractionDeleted",
                wrap + 2,
                facts,
                callState="CS_DISCONNECTED",
                callHangupReason="CEC_DISCONNECT_NORMAL",
                hangupInitiator=initiator,
                dispositionCode=disposition,
                isQueued=direction == "in",
                rejectReason=0,
                **common,
                **who,
            )
        )
        return events

    def outbound(self, t: int, index: int, answered: bool) -> list[tuple[int, Event]]:
        facts = self.interaction("phone", index)
        agent = self.random.choice(self.agents)
        callee = self.phone()
        fields = {
            "mediaType": "phone",
            "resourceType": 0,
            "direction": "out",
            "queueId": 602,
            "queueList": 602,
            "queueTime": t,
            "inboundChannelid": "N/A",
            "attachedData": self.attached(callee, 602, "out", t, t),
        }
        events = [
            self.event(
                "InteractionCreated",
                t,
                facts,
                callState="CS_IDLE",
                mediaType="phone",
                resourceType=0,
                isAgentInitiated=True,
            )
        ]
        if answered:
            return events + self.conversation(facts, t + 1, agent, fields, direction="out")
        self.plan(facts, "unanswered")
        events.append(
            self.event(
                "InteractionAssigned",
                t + 1,
                facts,
                callState="CS_INPROGRESS",
                isOutboundCall=True,
                outboundCampaignid=4926,
                **fields,
                **self.agent_fields(agent),
            )
        )
        events.append(
            self.event(
                "InteractionDeleted",
                t + 41,
                facts,
                callState="CS_DISCONNECTED",
                callHangupReason=self.random.choice(
                    ["CEC_DISCONNECT_NOANSWER", "CEC_DISCONNECT_BUSY"]
                ),
                hangupInitiator="SYSTEM",
                mediaType="phone",
                resourceType=0,
            )
        )
        return events

    def chat(self, t: int, index: int) -> list[tuple[int, Event]]:
        facts = self.interaction("chat", index)
        facts["queued"] = t + 1
        agent = self.random.choice(self.agents)
        fields = {
            "mediaType": "chat",
            "resourceType": self.random.choice([2, 3]),
            "direction": "in",
            "queueId": 612,
            "queueList": 612,
            "queueTime": t + 1,
            "attachedData": {
                "attachedDatum": [
                    {"attachedDataKey": "med", "attachedDataValue": "C"},
                    {"attachedDataKey": "customerLanguage", "attachedDataValue": "en"},
                    {"attachedDataKey": "tenantSkillName", "attachedDataValue": QUEUES[612]},
                ]
            },
        }
        events = [
            self.event(
                "InteractionCreated",
                t,
                facts,
                callState="CS_IDLE",
                mediaType="chat",
                resourceType=fields["resourceType"],
            ),
            self.event(
                "InteractionQueued", t + 1, facts, callState="CS_QUEUED", eventTS=t + 1, **fields
            ),
        ]
        return events + self.conversation(
            facts, t + 1 + self.random.randrange(5, 60), agent, fields, direction="in"
        )

    # -- agents ---------------------------------------------------------

    def agent_day(self, agent: str, t: int, hours: int) -> list[tuple[int, Event]]:
        def status(second: int, state: int, sub: str = "none", code: str = "") -> tuple[int, Event]:
            body = {
                "agentId": agent,
                "msgInfo": self.msg_info(second),
                "newState": state,
                "newSubState": sub,
                "newSubStateReason": "none",
                "statusEventTS": second,
            }
            if code:
                body["newReasonCodeUser"] = code
            return second, {"AgentStatusChange": body}

        skill_number = self.random.randrange(500, 700)
        skill = {
            "agentId": agent,
            "event": "AgentSkillChanged",
            "msgInfo": {},
            "skillId": f"{TENANT}-{agent}-phone-{skill_number}-{self.uuid()}",
            "tenantSkillId": f"{TENANT}-phone-{skill_number}-{self.uuid()}",
        }
        end = t + hours * 3600
        return [
            status(t, 1),
            status(t + 30, 5),
            (t + 1800, {"AgentProvChange": {**skill, "enabled": "no"}}),
            (t + 1900, {"AgentProvChange": {**skill, "enabled": "yes"}}),
            status(t + 3600, 1, "break", "801=1722"),
            status(t + 4500, 5),
            status(end, 0),
        ]


def events(
    seed: int,
    interactions: int,
    rates: Variations = Variations(),
    plans: dict[str, dict[str, Any]] | None = None,
    start: int = START,
    agents: int = 6,
) -> Iterator[Event]:
    """The events of one simulated shift of ``agents`` agents from ``start``, in time order,
    with the variations of ``rates``; ``plans`` (when given) receives each interaction's
    planned durations and outcome."""
    scenario = Scenario(seed, start, rates, agents)
    if plans is not None:
        scenario.plans = plans
    pick = scenario.random
    # The shift is merged in time order as it is made: an interaction is made once the
    # merge reaches its start (no event of it comes earlier), so only the interactions
    # under way are held, however long the shift. Ties go to the earlier stream, as in a
    # merge of them all.
    waiting: list[tuple[int, int, int, Event]] = []
    numbers = itertools.count()

    def add(stream: list[tuple[int, Event]]) -> None:
        number = next(numbers)
        ordered = sorted(stream, key=lambda item: item[0])
        for place, (second, event) in enumerate(ordered):
            heapq.heappush(waiting, (second, number, place, event))

    for agent in scenario.agents:
        add(scenario.agent_day(agent, scenario.start + pick.randrange(600), 8))
    coming = _interactions(scenario, interactions)
    following = next(coming, None)
    # variations are drawn apart, so the lifecycles stay the same whatever the rates
    varying = random.Random(seed * 7919 + 1)
    sequence = 1000
    while waiting or following is not None:
        while following is not None and (not waiting or following[0] <= waiting[0][0]):
            add(following[1])
            following = next(coming, None)
        _, _, _, event = heapq.heappop(waiting)
        info = next(iter(event.values())).get("msgInfo")
        if info:  # one instance numbers its messages in the order it sends them
            sequence += 1
            info["sequenceId"] = sequence
        yield vary(event, rates, varying, scenario.agents)


def _interactions(scenario: Scenario, count: int) -> Iterator[tuple[int, list[tuple[int, Event]]]]:
    """Each interaction of the shift, made when asked for: its start, and its events."""
    pick = scenario.random
    t = scenario.start + 900
    for index in range(count):
        t += pick.randrange(5, 90)
        kind = pick.choices(
            ["answered", "rejected", "abandoned", "out", "unanswered", "chat"],
            weights=[40, 8, 10, 20, 10, 12],
        )[0]
        if kind in ("answered", "rejected", "abandoned"):
            yield t, scenario.inbound(t, index, kind)
        elif kind in ("out", "unanswered"):
            yield t, scenario.outbound(t, index, kind == "out")
        else:
            yield t, scenario.chat(t, index)


@dataclass(frozen=True)
class FrameVariations:
    """How often a frame carries what Pulsar's WebSocket API may add or leave out
    (``properties``, ``key``, ``eventTime``), as a share of frames."""

    key: float = 0.5
    """the partition key the publisher set (here the interaction's or the agent's id)"""
    event_time: float = 0.1
    """an eventTime the publisher attached"""
    no_properties: float = 0.05
    """no properties object at all, rather than the usual {}"""


def _share(number: int, salt: int) -> float:
    """A fixed draw in [0, 1) for frame ``number``: frames stay the same whoever writes them."""
    return random.Random(f"frame {number}: {salt}").random()


def as_frame(
    event: Event, number: int, rates: FrameVariations = FrameVariations()
) -> dict[str, Any]:
    """The Pulsar WebSocket frame that would carry ``event``, as the ``number``-th frame."""
    payload = orjson.dumps(event)
    body = next(iter(event.values()))
    second = body.get("interactionEventTS") or body.get("statusEventTS")
    if not isinstance(second, int):  # absent, or broken on purpose
        second = START
    published = datetime.fromtimestamp(second, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    frame: dict[str, Any] = {
        "messageId": base64.b64encode(number.to_bytes(8, "big")).decode(),
        "payload": base64.b64encode(payload).decode(),
        "properties": {},
        "publishTime": published,
        "redeliveryCount": 0,
    }
    key = body.get("interactionGUID") or body.get("agentId")
    if isinstance(key, str) and _share(number, 1) < rates.key:
        frame["key"] = key
    if _share(number, 2) < rates.event_time:
        frame["eventTime"] = published
    if _share(number, 3) < rates.no_properties:
        del frame["properties"]
    return frame

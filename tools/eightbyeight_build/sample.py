"""A seeded generator of realistic captures, for the bundled sample and the benchmarks.

It plays whole interaction lifecycles as the reference describes them
(inbound, outbound, rejected, abandoned, unanswered, holds, recordings, chat)
and agent status and skill changes, interleaves them by time, and writes one
decoded event per line, or Pulsar frames. Every event stays within the
documented contract, so a capture it makes validates with no drift.

    python -m eightbyeight_build.sample --seed 8 --interactions 150 out.jsonl
    python -m eightbyeight_build.sample --bundled examples/captures
"""

from __future__ import annotations

import argparse
import base64
import heapq
import random
import string
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

TENANT = "acmecorp01"
QUEUES = {591: "Customer Service", 602: "Sales Queue", 612: "Chat Support"}
Event = dict[str, Any]


class Scenario:
    """Builds the events of one tenant, drawing every choice from one seeded generator."""

    def __init__(self, seed: int, start: int = 1764057600) -> None:
        self.random = random.Random(seed)
        self.start = start
        self.sequence = 1000
        self.transaction = 19000
        self.agents = [self.agent_id() for _ in range(6)]
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
        self.sequence += 1
        if self.random.random() < 0.3:
            return {}
        return {
            "instanceId": "us1tomcat04.us1.whitepj.net-sapi-v1",
            "sequenceId": self.sequence,
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

    def attached(self, caller: int, queue: int, direction: str) -> dict[str, Any]:
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
        moment = self.start + self.random.randrange(28800)
        pairs += [
            ("cha", 13125555068),
            ("tim", moment),
            ("otim", moment),
            ("waitTime", self.random.randrange(90)),
            ("tenantRecServer", "us1nfs04"),
            ("aAgtCallRec", "no"),
            ("callerPerm", "yes"),
            ("med", "T"),
            ("createInteractionTimestampNanos", moment * 1_000_000_000 + 417_000_000),
            ("ctl_transType", "agentdial" if direction == "out" else "inbound"),
        ]
        return {"attachedDatum": [{"attachedDataKey": k, "attachedDataValue": v} for k, v in pairs]}

    def agent_fields(self, agent: str) -> dict[str, Any]:
        return {"agentId": agent, "agentGUID": self.guids[agent], "participatingAgents": agent}

    def inbound(self, t: int, index: int, outcome: str) -> list[tuple[int, Event]]:
        facts = self.interaction("phone", index)
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
            "attachedData": self.attached(caller, queue, "in"),
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
                now += self.random.randrange(10, pause)
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
        events.append(
            self.event(
                "InteractionPostProcess", now, facts, callState="CS_DISCONNECTED", **common, **who
            )
        )
        wrap = now + self.random.randrange(10, 120)
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
                    wrap + 5,
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
            "attachedData": self.attached(callee, 602, "out"),
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


def events(seed: int, interactions: int) -> Iterator[Event]:
    """The events of one simulated shift, in time order."""
    scenario = Scenario(seed)
    pick = scenario.random
    streams = [
        scenario.agent_day(agent, scenario.start + pick.randrange(600), 8)
        for agent in scenario.agents
    ]
    t = scenario.start + 900
    for index in range(interactions):
        t += pick.randrange(5, 90)
        kind = pick.choices(
            ["answered", "rejected", "abandoned", "out", "unanswered", "chat"],
            weights=[40, 8, 10, 20, 10, 12],
        )[0]
        if kind in ("answered", "rejected", "abandoned"):
            streams.append(scenario.inbound(t, index, kind))
        elif kind in ("out", "unanswered"):
            streams.append(scenario.outbound(t, index, kind == "out"))
        else:
            streams.append(scenario.chat(t, index))
    ordered = [sorted(stream, key=lambda item: item[0]) for stream in streams]
    for _, event in heapq.merge(*ordered, key=lambda item: item[0]):
        yield event


def as_frame(event: Event, number: int) -> dict[str, Any]:
    """The Pulsar WebSocket frame that would carry ``event``."""
    payload = orjson.dumps(event)
    body = next(iter(event.values()))
    second = body.get("interactionEventTS") or body.get("statusEventTS") or 1764057600
    published = datetime.fromtimestamp(second, tz=timezone.utc)
    message_id = base64.b64encode(number.to_bytes(8, "big")).decode()
    return {
        "messageId": message_id,
        "payload": base64.b64encode(payload).decode(),
        "properties": {},
        "publishTime": published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "redeliveryCount": 0,
    }


def write(path: Path, seed: int, interactions: int, frames: bool) -> int:
    count = 0
    with path.open("wb") as out:
        for count, event in enumerate(events(seed, interactions), start=1):
            out.write(orjson.dumps(as_frame(event, count) if frames else event) + b"\n")
    return count


BUNDLED = {
    "sample.jsonl": {"seed": 8, "interactions": 150, "frames": False},
    "sample-frames.jsonl": {"seed": 9, "interactions": 40, "frames": True},
}
"""The captures in examples/captures/, which ``--bundled`` rewrites."""


def write_bundled(folder: Path) -> list[Path]:
    written = []
    for name, settings in BUNDLED.items():
        seed, interactions = int(settings["seed"]), int(settings["interactions"])
        write(folder / name, seed, interactions, bool(settings["frames"]))
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a realistic, seeded capture.")
    parser.add_argument("out", type=Path, help="file to write; with --bundled, a folder")
    parser.add_argument(
        "--bundled",
        action="store_true",
        help="write the bundled sample captures (examples/captures) into OUT",
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--interactions", type=int, default=150)
    parser.add_argument(
        "--frames", action="store_true", help="write Pulsar frames, not decoded events"
    )
    arguments = parser.parse_args(argv)
    if arguments.bundled:
        for path in write_bundled(arguments.out):
            print(f"wrote {path}")
        return
    count = write(arguments.out, arguments.seed, arguments.interactions, arguments.frames)
    print(f"wrote {count} events to {arguments.out}")


if __name__ == "__main__":
    main()

"""The stream, not just the line: redeliveries, ordering, lifecycles and per-interaction metrics.

Every consumer of the stream groups events by ``interactionGUID``, puts them
in lifecycle order, drops redeliveries and measures queue, ring, talk, hold
and wrap-up times. ``StreamFold`` does that once, as a streaming fold over
valid messages: feed it a ``Sighting`` per message (made from a fast-path
struct, a decoded dict or a generated model alike) and it yields stream
findings as it can tell them and an ``InteractionSummary`` when an
interaction ends or is forgotten. Memory is bounded by the interactions
still open (an interaction is forgotten at its end, or after ``window``
seconds of event time without a message) and by two spans counted in
messages: the last ``REDELIVERY_REMEMBERED`` messages, to tell a
redelivery, and the interactions ended within ``ENDED_REMEMBERED``.

``StreamFold`` is one ``PartFold`` given every message; ``scale.spread``
gives each of several its share, and merges what they yield back into the
same output.

The rules come from ``schemas/annotations.json`` (``streamRules``): each pair
says which event must come before which (per agent where it says ``by``),
and whether either without the other is a missing step.
"""

from __future__ import annotations

import enum
import functools
import zlib
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import attrgetter
from typing import Any, NamedTuple

from eightbyeight_events.schemas import SchemaSet, load_schemas
from eightbyeight_events.wording import counted

DEFAULT_WINDOW = 4 * 3600
"""Seconds of event time after which a silent interaction is forgotten."""
LINGER = 300
"""Seconds of event time an ended interaction is kept, so that its late arrivals are still
put in lifecycle order and measured (each is also reported as after-end)."""
ENDED_REMEMBERED = 1_000_000
"""Messages after an interaction's end during which it is remembered, to tell an event that
arrives after the end from the first of a new interaction."""
REDELIVERY_REMEMBERED = 100_000
"""Messages during which a message is remembered, to tell its redelivery."""
SWEEP_EVERY = 1000
"""Messages between two looks for interactions to close."""


class FindingKind(enum.Enum):
    REDELIVERED = "redelivered"
    OUT_OF_ORDER = "out-of-order"
    AFTER_END = "after-end"
    MISSING_STEP = "missing-step"
    NEVER_ENDED = "never-ended"
    SEQUENCE_REGRESSION = "sequence-regression"


@dataclass(frozen=True, slots=True)
class StreamFinding:
    kind: FindingKind
    subject: str
    """the interaction, the message id or the instance it is about"""
    message: str
    source: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "subject": self.subject,
            "message": self.message,
            "source": self.source,
            "line": self.line,
        }


class Sighting(NamedTuple):
    """What the stream checks and the metrics need of one valid message (a named tuple: one
    is made for every message, and a tuple is the cheapest thing to build)."""

    event: str
    source: str
    line: int
    interaction: str | None = None
    agent: str | None = None
    hold: bool | None = None
    time: float | None = None
    """when it happened, in seconds: interactionEventTS, msgInfo.timestamp, eventTS, best first"""
    instance: str | None = None
    sequence: int | None = None
    message_id: str | None = None
    fingerprint: int | None = None
    """equal for byte-identical messages: a decoded event delivered twice"""
    media: str | None = None
    direction: str | None = None
    hangup_initiator: str | None = None
    hangup_reason: str | None = None
    participants: str | None = None
    """``participatingAgents`` as sent (joined by "," or ";")"""

    @classmethod
    def of(
        cls,
        event: str,
        payload: Any,
        source: str,
        line: int,
        message_id: str | None = None,
        fingerprint: int | None = None,
    ) -> Sighting:
        """From a payload in any form: a decoded dict, a msgspec struct, a generated model."""
        guid, agent, status, at, status_at, original, info, media, direction, who, why, joined = (
            _read(payload, _PAYLOAD_FIELDS, _FIELDS)
        )
        time = at if at is not None else status_at
        if info is None:
            instance = sequence = None
        else:
            instance, sequence, milliseconds = _read(info, _INFO_FIELDS, _INFO)
            if time is None and milliseconds.__class__ in _NUMBERS:
                time = milliseconds / 1000
        if time is None:
            time = original
        # tuple.__new__ rather than the named tuple's own __new__, a Python function: one
        # sighting is made for every message
        return tuple.__new__(
            cls,
            (
                event,
                source,
                line,
                guid,
                agent,
                status if status.__class__ is bool and event == "LineHoldStatus" else None,
                time if time.__class__ in _NUMBERS else None,
                instance,
                sequence if sequence.__class__ is int else None,
                message_id,
                fingerprint,
                media,
                direction,
                who,
                why,
                joined if joined.__class__ is str else None,
            ),
        )


def fingerprint(raw: bytes) -> int:
    """Equal for byte-identical messages, in any process: Python's own hash of bytes is
    seeded afresh in each, and a cluster's workers are processes of their own. Two
    independent 32-bit checksums side by side."""
    return zlib.crc32(raw) << 32 | zlib.adler32(raw)


_FIELDS = (
    "interactionGUID",
    "agentId",
    "status",
    "interactionEventTS",
    "statusEventTS",
    "eventTS",
    "msgInfo",
    "mediaType",
    "direction",
    "hangupInitiator",
    "callHangupReason",
    "participatingAgents",
)
_INFO = ("instanceId", "sequenceId", "timestamp")
_PAYLOAD_FIELDS = attrgetter(*_FIELDS)
_INFO_FIELDS = attrgetter(*_INFO)
_NUMBERS = (int, float)
"""exactly: a bool is not a time"""


def _read(container: Any, getter: attrgetter[Any], names: tuple[str, ...]) -> Sequence[Any]:
    """The named fields of a payload in any form, None when absent: the fast path's structs
    answer every name (``getter`` takes them all at once); a decoded dict or a generated
    model, whose class declares only its own fields, are asked name by name."""
    if isinstance(container, dict):
        return [container.get(name) for name in names]
    try:
        found: tuple[Any, ...] = getter(container)
    except AttributeError:
        return [getattr(container, name, None) for name in names]
    return found


@dataclass(frozen=True)
class Step:
    """One side of a pair rule: an event, and for LineHoldStatus which way the hold goes."""

    event: str
    hold: bool | None = None

    @classmethod
    def parse(cls, text: str) -> Step:
        name, _, condition = text.partition(" ")
        return cls(name, None if not condition else condition.endswith("true"))

    def __str__(self) -> str:
        if self.hold is None:
            return self.event
        return f"{self.event} ({'on' if self.hold else 'off'} hold)"


@dataclass(frozen=True)
class Pair:
    first: Step
    then: Step
    by_agent: bool
    then_needs_first: bool
    first_needs_then: bool
    rule: str


class Link(NamedTuple):
    """A pair as the fold reads it for every message: its steps spelled out."""

    number: int
    """the pair's place among the rules"""
    pair: Pair
    first_event: str
    first_hold: bool | None
    then_event: str
    then_hold: bool | None
    by_agent: bool


@dataclass(frozen=True)
class Rules:
    start: str
    end: str
    pairs: tuple[Pair, ...]
    rank: dict[str, int]

    @functools.cached_property
    def by_event(self) -> dict[str, tuple[Link, ...]]:
        """Event name -> the pairs it takes part in, so a message is held only to those."""
        found: dict[str, list[Link]] = {}
        for index, pair in enumerate(self.pairs):
            link = Link(
                index,
                pair,
                pair.first.event,
                pair.first.hold,
                pair.then.event,
                pair.then.hold,
                pair.by_agent,
            )
            for step in {pair.first.event, pair.then.event}:
                found.setdefault(step, []).append(link)
        return {event: tuple(links) for event, links in found.items()}

    @classmethod
    def of(cls, schemas: SchemaSet | None = None) -> Rules:
        found = (schemas or load_schemas()).annotations["streamRules"]
        pairs = tuple(
            Pair(
                Step.parse(entry["first"]),
                Step.parse(entry["then"]),
                entry["by"] == "agentId",
                entry["thenNeedsFirst"],
                entry["firstNeedsThen"],
                entry["rule"],
            )
            for entry in found["pairs"]
        )
        rank = {name: index for index, name in enumerate(found["lifecycleOrder"])}
        return cls(found["start"], found["end"], pairs, rank)


@dataclass(slots=True)
class _Open:
    """One interaction while it is open."""

    guid: str
    created: int
    """the position of the message that opened it"""
    first_time: float
    last_time: float
    seen: list[Sighting] = field(default_factory=list)
    started: bool = False
    ended_at: float | None = None
    """when its end arrived (event time); it lingers a while after"""
    firsts: dict[tuple[int, str | None], int] = field(default_factory=dict)
    """(pair, agent) -> firsts not yet matched by a then"""
    waiting: dict[tuple[int, str | None], list[Sighting]] = field(default_factory=dict)
    """(pair, agent) -> thens that came without a first"""


@dataclass(frozen=True)
class InteractionSummary:
    """One interaction, measured between its lifecycle steps: durations in seconds, None
    when a bound is missing."""

    interactionGUID: str
    mediaType: str | None
    direction: str | None
    started: str | None
    ended: str | None
    outcome: str
    queue_s: float | None
    ring_s: float | None
    talk_s: float | None
    hold_s: float | None
    holds: int
    wrapup_s: float | None
    offered_agents: tuple[str, ...]
    """the agents the interaction was offered to: ``agentId`` of each InteractionAssigned"""
    handling_agents: tuple[str, ...]
    """the agents who took it: ``agentId`` of each InteractionAccepted (outbound:
    InteractionCustomerAccepted); after a transfer, both sides"""
    participants: tuple[str, ...]
    """the agents ``participatingAgents`` names on any of its events (transfers,
    conferences, consults), split on "," and ";" alike"""
    hangupInitiator: str | None
    callHangupReason: str | None
    complete: bool

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


COLUMNS = tuple(InteractionSummary.__dataclass_fields__)


def _iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _between(start: float | None, end: float | None) -> float | None:
    if start is None or end is None:
        return None
    return end - start


OFFERED = frozenset({"InteractionAssigned"})
HANDLED = frozenset({"InteractionAccepted", "InteractionCustomerAccepted"})


def _agents(ordered: Iterable[Sighting], events: frozenset[str]) -> tuple[str, ...]:
    """The agents of ``events``, each once, in the order they first appear."""
    return tuple(dict.fromkeys(s.agent for s in ordered if s.agent and s.event in events))


def measure(
    guid: str, sightings: Iterable[Sighting], rules: Rules, complete: bool
) -> InteractionSummary:
    """The metrics of one interaction from its (non-redelivered) messages in any order."""
    last = len(rules.rank)
    ordered = sorted(
        sightings,
        key=lambda s: (
            s.time if s.time is not None else float("inf"),
            rules.rank.get(s.event, last),
        ),
    )

    earliest: dict[str, tuple[int, Sighting]] = {}
    for index in range(len(ordered) - 1, -1, -1):  # the earliest of each event is kept last
        earliest[ordered[index].event] = (index, ordered[index])

    def first(*events: str) -> Sighting | None:
        found = min((earliest[event] for event in events if event in earliest), default=None)
        return None if found is None else found[1]

    created, deleted = first(rules.start), first(rules.end)
    queued = first("InteractionQueued")
    accepted = first("InteractionAccepted", "InteractionCustomerAccepted")
    assigned = None
    if accepted is not None:
        offers = [
            s
            for s in ordered
            if s.event == "InteractionAssigned"
            and (s.time or 0) <= (accepted.time or 0)
            and (accepted.agent is None or s.agent in (None, accepted.agent))
        ]
        assigned = offers[-1] if offers else None
    post = first("InteractionPostProcess")
    end_post = first("InteractionEndPostProcess")
    hold_s: float = 0
    holds, on_since = 0, None
    for sighting in ordered:
        if sighting.event != "LineHoldStatus" or sighting.hold is None:
            continue
        if sighting.hold:
            holds += 1
            on_since = sighting.time if on_since is None else on_since
        elif on_since is not None and sighting.time is not None:
            hold_s += sighting.time - on_since
            on_since = None
    media = next((s.media for s in ordered if s.media), None)
    direction = next((s.direction for s in ordered if s.direction), None)
    if deleted is None:
        outcome = "open"
    elif accepted is not None:
        outcome = "answered"
    elif direction == "out":
        outcome = "unanswered"
    else:
        outcome = "abandoned"
    from eightbyeight_events.normal import agents  # only measuring needs it: not at start-up

    offered = _agents(ordered, OFFERED)
    handling = _agents(ordered, HANDLED)
    named = (agents(s.participants) for s in ordered if s.participants)
    participants = tuple(dict.fromkeys(agent for found in named for agent in found))
    return InteractionSummary(
        interactionGUID=guid,
        mediaType=media,
        direction=direction,
        started=_iso((created or ordered[0]).time if ordered else None),
        ended=_iso(deleted.time if deleted else None),
        outcome=outcome,
        queue_s=_between(queued.time if queued else None, assigned.time if assigned else None),
        ring_s=_between(assigned.time if assigned else None, accepted.time if accepted else None),
        talk_s=_between(accepted.time if accepted else None, post.time if post else None),
        hold_s=hold_s if holds or accepted is not None else None,
        holds=holds,
        wrapup_s=_between(post.time if post else None, end_post.time if end_post else None),
        offered_agents=offered,
        handling_agents=handling,
        participants=participants,
        hangupInitiator=deleted.hangup_initiator if deleted else None,
        callHangupReason=deleted.hangup_reason if deleted else None,
        complete=complete,
    )


Output = StreamFinding | InteractionSummary


@dataclass
class StreamCounts:
    interactions: int = 0
    complete: int = 0
    started_before_capture: int = 0
    open_at_end: int = 0
    never_ended: int = 0
    redelivered: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))

    def add(self, other: StreamCounts) -> None:
        for name, number in vars(other).items():
            setattr(self, name, getattr(self, name) + number)


class Memory:
    """What a part of the fold remembers for a while, counted in messages: a key's latest
    position, forgotten once ``span`` messages have passed it. Counting in positions of the
    whole stream, not in entries, is what lets a part of the fold that sees only some of
    the messages remember exactly what the whole fold would. For keys noted now and then
    (ended interactions); ``Deliveries`` keeps those of nearly every message."""

    __slots__ = ("positions", "pruned", "span")

    def __init__(self, span: int) -> None:
        self.span = span
        self.positions: dict[Hashable, int] = {}
        self.pruned = 0

    def note(self, key: Hashable, position: int) -> bool:
        """Whether ``key`` was noted within the span before ``position``; notes it there."""
        positions = self.positions
        found = positions.get(key)
        positions[key] = position
        if position - self.pruned > self.span // 2:
            # what the span has passed goes all at once, twice a span: the answers never
            # depend on when, since every one compares positions
            self.pruned = position
            horizon = position - self.span
            self.positions = {key: at for key, at in positions.items() if at >= horizon}
        return found is not None and position - found <= self.span

    def knows(self, key: Hashable, position: int) -> bool:
        """Whether ``key`` was noted within the span before ``position``."""
        found = self.positions.get(key)
        return found is not None and position - found <= self.span


class Deliveries:
    """The messages of the last ``span`` positions of the stream, to tell a redelivery: a
    ring of the keys noted at each position (modulo the span) beside each key's latest
    position, so that what the span passes is forgotten as the next message comes, at no
    cost beyond it. Keys are hashes of what a redelivery repeats (the message id or the
    bytes, the interaction, the instance): only this process compares them, and a tuple
    of four would take three times the memory."""

    __slots__ = ("keys", "positions", "span")

    def __init__(self, span: int) -> None:
        self.span = span
        self.positions: dict[int, int] = {}
        self.keys: list[int | None] = []
        """grown as positions come, up to the span: a short capture needs a short ring"""

    def again(self, sighting: Sighting, position: int) -> bool:
        """Whether the message came within the span before ``position``; notes it there.
        A message without an id or a fingerprint is never taken for another."""
        if sighting.fingerprint is None and sighting.message_id is None:
            return False
        key = hash(
            (sighting.message_id, sighting.fingerprint, sighting.interaction, sighting.instance)
        )
        positions = self.positions
        found = positions.get(key)
        slot = position % self.span
        if slot >= len(self.keys):
            self.keys += [None] * (
                min(self.span, max(slot + 1, 2 * len(self.keys))) - len(self.keys)
            )
        old = self.keys[slot]
        if old is not None and positions.get(old, position) <= position - self.span:
            del positions[old]  # noted a span ago or more, and not since
        self.keys[slot] = key
        positions[key] = position
        return found is not None and position - found <= self.span


Keyed = tuple[tuple[int, int, int], Output]
"""An output with its place in the whole fold's output: (position, rank, creation), where
rank 0 is the sequence check of the message at ``position``, 1 the rest of its checks, 2 a
sweep after it and 3 the end of the stream; creation orders the interactions a sweep
closes, by the position of the message that opened each."""

SEQUENCE_RANK, MESSAGE_RANK, SWEEP_RANK, END_RANK = range(4)


class PartFold:
    """The stream checks over some of a stream's messages, each given with its position in
    the whole stream and the event-time watermark there (the latest time of any message up
    to it). Every rule keys on something a partition can hold whole: redeliveries on the
    message's identity, interaction and instance; lifecycles on the interaction; sequences
    on the instance. So the union of the parts' outputs, ordered by their keys, is the
    output of one fold over the whole stream, whatever the partition."""

    def __init__(self, window: float, rules: Rules, measuring: bool) -> None:
        self.window = window
        self.measuring = measuring
        self.rules = rules
        self.open: dict[str, _Open] = {}
        self.ended = Memory(ENDED_REMEMBERED)
        self.delivered = Deliveries(REDELIVERY_REMEMBERED)
        """for the messages of the interactions (and outside them, of the identities) this
        part holds; one fold over the whole stream asks only this one"""
        self.sequenced = Deliveries(REDELIVERY_REMEMBERED)
        """for the messages of the instances this part holds"""
        self.sequences: dict[str, int] = {}
        self.counts = StreamCounts()
        self._links = rules.by_event

    def sequence(self, position: int, sighting: Sighting, again: bool, out: list[Keyed]) -> None:
        """The sequence check of a message with an instance and a sequence number, unless
        it is ``again`` (a redelivery)."""
        if again:
            return
        instance: str = sighting.instance  # type: ignore[assignment]  # given with one
        sequence: int = sighting.sequence  # type: ignore[assignment]
        highest = self.sequences.get(instance)
        if highest is not None and sequence < highest:
            found = self._finding(
                FindingKind.SEQUENCE_REGRESSION,
                instance,
                f"{sighting.event} has sequenceId {sequence}, lower than "
                f"{highest} seen earlier from instance {instance}",
                sighting,
            )
            out.append(((position, SEQUENCE_RANK, 0), found))
        else:
            self.sequences[instance] = sequence

    def message(
        self, position: int, watermark: float, sighting: Sighting, again: bool, out: list[Keyed]
    ) -> None:
        """A redelivery (``again``) reported, or else the interaction's checks."""
        guid = sighting.interaction
        if again:
            self.counts.redelivered += 1
            found = self._finding(
                FindingKind.REDELIVERED,
                sighting.message_id or guid or sighting.event,
                f"{sighting.event} delivered again"
                + (f" (messageId {sighting.message_id})" if sighting.message_id else "")
                + ": the transport delivers at least once; counted once",
                sighting,
            )
            out.append(((position, MESSAGE_RANK, 0), found))
            return
        if guid is not None:
            self._interaction(guid, position, watermark, sighting, out)

    def sweep(self, position: int, watermark: float, out: list[Keyed]) -> None:
        """Close interactions that ended a while ago; forget those silent for the window."""
        horizon, lingered = watermark - self.window, watermark - LINGER
        for guid, state in list(self.open.items()):
            if state.ended_at is not None and state.ended_at < lingered:
                closing = self._close(self.open.pop(guid), ended=True, silent=False)
            elif state.ended_at is None and state.last_time < horizon:
                closing = self._close(self.open.pop(guid), ended=False, silent=True)
            else:
                continue
            key = (position, SWEEP_RANK, state.created)
            out.extend((key, found) for found in closing)

    def finish(self, position: int, watermark: float) -> Iterator[Keyed]:
        """The end of the stream, after ``position`` messages: interactions still open are
        reported and measured."""
        for guid in list(self.open):
            state = self.open.pop(guid)
            silent = watermark - state.last_time > self.window
            key = (position, END_RANK, state.created)
            for found in self._close(state, ended=state.ended_at is not None, silent=silent):
                yield key, found

    # -- parts ---------------------------------------------------------------

    def _interaction(
        self, guid: str, position: int, watermark: float, sighting: Sighting, out: list[Keyed]
    ) -> None:
        current = self.open.get(guid)
        if current is not None:
            late = current.ended_at is not None
        else:
            late = self.ended.knows(guid, position)
        if late:
            found = self._finding(
                FindingKind.AFTER_END,
                guid,
                f"{sighting.event} arrived after the interaction's {self.rules.end}",
                sighting,
            )
            out.append(((position, MESSAGE_RANK, 0), found))
            if current is None:
                return  # long closed: too late to be measured
        if current is None:
            time = sighting.time if sighting.time is not None else watermark
            current = self.open[guid] = _Open(guid, position, time, time)
            self.counts.interactions += 1
        event = sighting.event
        if sighting.time is not None and sighting.time > current.last_time:
            current.last_time = sighting.time
        if event == self.rules.start:
            if current.seen and not current.started:
                found = self._finding(
                    FindingKind.OUT_OF_ORDER,
                    guid,
                    f"{self.rules.start} arrived after "
                    f"{counted(len(current.seen), 'other event')} of its interaction; "
                    "it starts every interaction",
                    sighting,
                )
                out.append(((position, MESSAGE_RANK, 0), found))
            current.started = True
        links = self._links.get(event)
        if links:
            self._pairs(current, position, sighting, links, out)
        current.seen.append(sighting)
        if event == self.rules.end and current.ended_at is None:
            current.ended_at = current.last_time
            self.ended.note(guid, position)

    def _pairs(
        self,
        current: _Open,
        position: int,
        sighting: Sighting,
        links: tuple[Link, ...],
        out: list[Keyed],
    ) -> None:
        event, hold = sighting.event, sighting.hold
        for index, pair, first_event, first_hold, then_event, then_hold, by_agent in links:
            agent = sighting.agent if by_agent else None
            if event == first_event and (first_hold is None or hold is first_hold):
                waiting = self._take(current.waiting, index, agent) if current.waiting else None
                if waiting is not None:
                    found = self._finding(
                        FindingKind.OUT_OF_ORDER,
                        current.guid,
                        f"{pair.first} arrived after the {pair.then} it precedes "
                        f"(line {waiting.line}): {pair.rule}",
                        sighting,
                    )
                    out.append(((position, MESSAGE_RANK, 0), found))
                else:
                    key = (index, agent)
                    current.firsts[key] = current.firsts.get(key, 0) + 1
            elif (
                event == then_event
                and (then_hold is None or hold is then_hold)
                and not self._consume(current.firsts, index, agent)
            ):
                current.waiting.setdefault((index, agent), []).append(sighting)

    @staticmethod
    def _consume(firsts: dict[tuple[int, str | None], int], index: int, agent: str | None) -> bool:
        """Match a then against an earlier first (of the same agent; any, when unknown)."""
        keys = [(index, agent)] if agent is not None else [k for k in firsts if k[0] == index]
        for key in keys:
            if firsts.get(key, 0) > 0:
                firsts[key] -= 1
                return True
        if agent is not None and firsts.get((index, None), 0) > 0:
            firsts[(index, None)] -= 1
            return True
        return False

    @staticmethod
    def _take(
        waiting: dict[tuple[int, str | None], list[Sighting]], index: int, agent: str | None
    ) -> Sighting | None:
        keys = (
            [(index, agent), (index, None)]
            if agent is not None
            else [k for k in waiting if k[0] == index]
        )
        for key in keys:
            found = waiting.get(key)
            if found:
                return found.pop(0)
        return None

    def _close(self, state: _Open, ended: bool, silent: bool) -> Iterator[Output]:
        complete = ended and state.started
        if complete:
            self.counts.complete += 1
            yield from self._missing(state)
        elif not state.started:
            self.counts.started_before_capture += 1
        elif silent:
            self.counts.never_ended += 1
            last = state.seen[-1]
            yield self._finding(
                FindingKind.NEVER_ENDED,
                state.guid,
                f"no {self.rules.end} and no message for over {self.window:,.0f} s of event time "
                "before the capture's last event",
                last,
            )
        else:
            self.counts.open_at_end += 1
        if state.seen and self.measuring:
            yield measure(state.guid, state.seen, self.rules, complete)

    def _missing(self, state: _Open) -> Iterator[StreamFinding]:
        end = state.seen[-1]
        for index, pair in enumerate(self.rules.pairs):
            if pair.then_needs_first:
                for (number, _), thens in state.waiting.items():
                    for then in thens if number == index else ():
                        yield self._finding(
                            FindingKind.MISSING_STEP,
                            state.guid,
                            f"{pair.then} without an earlier {pair.first}: {pair.rule}",
                            then,
                        )
            if pair.first_needs_then:
                left = sum(n for (number, _), n in state.firsts.items() if number == index)
                if left:
                    yield self._finding(
                        FindingKind.MISSING_STEP,
                        state.guid,
                        f"{pair.first} never followed by {pair.then} before the "
                        f"interaction's {self.rules.end}: {pair.rule}",
                        end,
                    )

    @staticmethod
    def _finding(kind: FindingKind, subject: str, message: str, at: Sighting) -> StreamFinding:
        return StreamFinding(kind, subject, message, at.source, at.line)


class StreamFold:
    """Folds valid messages, in arrival order, into stream findings and interaction summaries."""

    def __init__(
        self, window: float = DEFAULT_WINDOW, rules: Rules | None = None, *, measuring: bool = True
    ) -> None:
        # measuring: yield an ``InteractionSummary`` per interaction (off: findings and
        # counts only)
        self.part = PartFold(window, rules or Rules.of(), measuring)
        self.position = 0
        self.latest = float("-inf")

    @property
    def counts(self) -> StreamCounts:
        return self.part.counts

    def add(self, sighting: Sighting) -> list[Output]:
        """What this message makes known: findings, and summaries of interactions it ends.

        (A list, not a generator: this runs for every message, and almost always
        finds nothing.)"""
        out: list[Keyed] = []
        position = self.position
        self.position = position + 1
        time = sighting.time
        if time is not None and time > self.latest:
            self.latest = time
        part = self.part
        # one memory serves both checks: a part of a spread fold that holds the instance
        # sees every message the one of the interaction compares with (see scale/spread.py)
        again = part.delivered.again(sighting, position)
        if sighting.sequence is not None and sighting.instance is not None:
            part.sequence(position, sighting, again, out)
        part.message(position, self.latest, sighting, again, out)
        if self.position % SWEEP_EVERY == 0:
            part.sweep(position, self.latest, out)
        return [found for _, found in out] if out else []

    def finish(self) -> Iterator[Output]:
        """The end of the capture: interactions still open are reported and measured."""
        for _, found in self.part.finish(self.position, self.latest):
            yield found

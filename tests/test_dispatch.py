"""The typed dispatcher: handlers get their event's type, a wrong handler does not type-check,
new event types arrive as values."""

from __future__ import annotations

import subprocess
from pathlib import Path

from capture_helpers import SAMPLE
from conftest import mypy_strict
from eightbyeight_events import UnknownEvent, parse_event
from eightbyeight_events.events import AgentEvent, Dispatcher, InteractionEvent
from eightbyeight_events.model_base import Model
from eightbyeight_events.models import InteractionQueued, LineHoldStatus


def test_handlers_get_their_events_and_the_others_go_by() -> None:
    queued: list[InteractionQueued] = []
    holds: list[LineHoldStatus] = []
    every: list[Model] = []
    unknown: list[UnknownEvent] = []
    dispatcher = Dispatcher()
    dispatcher.on("InteractionQueued", queued.append)
    dispatcher.on("LineHoldStatus", holds.append)
    dispatcher.on_any(every.append)
    dispatcher.on_unknown(unknown.append)
    lines = SAMPLE.read_bytes().splitlines()
    for line in lines:
        dispatcher.dispatch(parse_event(line, unknown="value"))
    dispatcher.dispatch(parse_event({"Presence": {}}, unknown="value"))
    assert len(queued) == sum(b'"InteractionQueued"' in line for line in lines) > 0
    assert all(isinstance(event, InteractionQueued) for event in queued)
    assert all(isinstance(event, LineHoldStatus) for event in holds)
    assert len(every) == len(lines)
    assert [event.wrapper for event in unknown] == ["Presence"]
    assert isinstance(every[0], AgentEvent | InteractionEvent)


CONSUMER = """
from eightbyeight_events.events import Dispatcher, InteractionEvent
from eightbyeight_events.models import InteractionAssigned, InteractionQueued


def queued(event: InteractionQueued) -> None:
    print(event.queueId)


def assigned(event: InteractionAssigned) -> None:
    print(event.agentId)


def anything(event: InteractionEvent) -> None:
    print(event.interactionGUID)


dispatcher = Dispatcher()
dispatcher.on("InteractionQueued", queued)
dispatcher.on("InteractionAssigned", assigned)
dispatcher.on("InteractionQueued", anything)  # a wider handler is fine
"""


def mypy(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    (folder / "consumer.py").write_text(code, encoding="utf-8")
    return mypy_strict(folder, "consumer.py")


def test_a_handler_of_the_wrong_type_does_not_type_check(tmp_path: Path) -> None:
    right = mypy(CONSUMER, tmp_path)
    assert right.returncode == 0, right.stdout
    wrong = mypy(CONSUMER + 'dispatcher.on("InteractionQueued", assigned)\n', tmp_path)
    assert wrong.returncode == 1
    assert 'No overload variant of "on" of "Dispatcher" matches' in wrong.stdout
    typo = mypy(CONSUMER + 'dispatcher.on("InteractionQueud", queued)\n', tmp_path)
    assert typo.returncode == 1


def test_the_unions_name_every_event_of_their_wrapper() -> None:
    import typing

    interaction = {cls.__name__ for cls in typing.get_args(InteractionEvent)}
    agent = {cls.__name__ for cls in typing.get_args(AgentEvent)}
    assert len(interaction) == 24
    assert agent == {
        "AgentStatusChange",
        "AgentProvChange",
        "AgentSkillCreated",
        "AgentSkillChanged",
    }
    assert not interaction & agent


DELIVERIES = """\
from eightbyeight_events import UnknownEvent, parse_frame
from eightbyeight_events.models import Event

known: Event = parse_frame(b"{}").event
either = parse_frame(b"{}", unknown="value").event
if not isinstance(either, UnknownEvent):
    narrowed: Event = either
"""


def test_a_frame_read_with_unknown_values_types_its_event_as_either(tmp_path: Path) -> None:
    right = mypy(DELIVERIES, tmp_path)
    assert right.returncode == 0, right.stdout
    wrong = mypy(
        DELIVERIES + 'unchecked: Event = parse_frame(b"{}", unknown="value").event\n', tmp_path
    )
    assert wrong.returncode == 1
    assert 'Item in the first union not in the second: "UnknownEvent"' in wrong.stdout

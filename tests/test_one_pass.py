"""The loader's one-pass road: msgspec decodes straight into the models, which must accept
no more than the contract's own check. ``narrower`` proves that per event type; these
tests prove ``narrower`` itself, and the road against the full look."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import msgspec
import pytest
from hypothesis import given, settings

from capture_helpers import SAMPLE, compact
from eightbyeight_events import models
from eightbyeight_events.catalogue import event_types
from eightbyeight_events.contract import Contract
from eightbyeight_events.loader import EventError, _one_pass, _readings, parse_event
from eightbyeight_events.model_base import EXTRA_KEY, Model
from eightbyeight_events.narrower import looser
from eightbyeight_events.verdict import DriftKind
from test_validate_properties import mutated_events

CONTRACT = Contract()


def test_every_event_type_msgspec_reads_strictly_is_read_in_one_pass() -> None:
    """The models accept no more than the contract's check, for every event type that
    check reads (the others hold objects of any content, which only the full look reads)."""
    checked = {
        event_type.name: CONTRACT.strict_payload(event_type.name) for event_type in event_types()
    }
    reasons = {
        name: looser(getattr(models, name), found[0])
        for name, found in checked.items()
        if found is not None
    }
    assert reasons == dict.fromkeys(reasons)
    assert len(reasons) >= 28
    assert sum(len(reading.kinds) for reading in _readings().values()) == len(reasons)


class Check(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    count: Annotated[int, msgspec.Meta(ge=0)]
    state: Literal["a", "b"]
    note: str = None  # type: ignore[assignment]  # absent reads None, null stays invalid
    code: Annotated[str, msgspec.Meta(min_length=1)] = None  # type: ignore[assignment]


COUNT = Annotated[int, msgspec.Meta(ge=0)]
CHECKED = {"name": (str,), "count": (COUNT,), "state": (Literal["a", "b"],)}
"""The fields of ``Check`` that a model reads alike, as msgspec.defstruct takes them."""


def model(
    called: str, options: dict[str, Any] | None = None, /, **changes: tuple[Any, ...]
) -> type:
    """A model like ``Check`` but for ``changes`` (a field's type, and its default)."""
    fields = [(field, *kind) for field, kind in {**CHECKED, **changes}.items()]
    fields.sort(key=len)  # fields with a default last
    return msgspec.defstruct(
        called, fields, bases=(Model,), frozen=True, kw_only=True, **(options or {})
    )


Loose = model("Loose", {"forbid_unknown_fields": False})
Nullable = model("Nullable", note=(str | None, None))
Wider = model("Wider", state=(Literal["a", "b", "c"],))
OptionalName = model("OptionalName", name=(str, None))  # Omittable[str] as msgspec sees it
Unbounded = model("Unbounded", count=(int,))
Same = model(
    "Same",
    state=(Literal["a"],),
    note=(str, None),
    code=(Annotated[str, msgspec.Meta(min_length=2)], None),
)
Spelled = msgspec.defstruct(  # a field of the models' own, read from a key a message may hold
    "Spelled",
    [(field, *kind) for field, kind in CHECKED.items()] + [("_extra", dict[str, Any], {})],
    frozen=True,
    kw_only=True,
    forbid_unknown_fields=True,
)


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        (Loose, "undeclared fields"),
        (Nullable, "/note"),
        (Wider, "'c'"),
        (OptionalName, "/name: optional"),
        (Unbounded, "lower bound 0"),
        (Spelled, "/_extra"),
    ],
)
def test_a_model_that_accepts_more_is_found(model: type, reason: str) -> None:
    found = looser(model, Check)
    assert found is not None
    assert reason in found


def test_a_model_as_strict_or_stricter_passes() -> None:
    assert looser(Same, Check) is None
    assert Same.__struct_config__.forbid_unknown_fields


def test_the_sample_is_read_in_one_pass() -> None:
    lines = SAMPLE.read_bytes().splitlines()
    assert sum(_one_pass(line) is not None for line in lines) >= 0.95 * len(lines)


@settings(max_examples=600, deadline=None)
@given(mutated_events())
def test_what_the_one_pass_takes_the_full_look_finds_valid_and_builds_alike(
    message: Any,
) -> None:
    raw = compact(message)
    event = _one_pass(raw)
    if event is None:
        return
    full = CONTRACT.judge(message, drift=True)
    assert full.status == "valid", full.errors
    assert not any(drift.kind is DriftKind.UNDECLARED_FIELD for drift in full.drift)
    assert event == parse_event(message)  # the full look, built field by field


def one_line(message: Any) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "change",
    [
        lambda payload: payload.update(msgInfo=None),  # an explicit null
        lambda payload: payload.update(agentId="not-an-agent"),  # a pattern
        lambda payload: payload.pop("agentId"),  # a required field
    ],
)
def test_what_the_contract_refuses_the_one_pass_refuses_too(change: Any) -> None:
    message = json.loads(SAMPLE.read_bytes().splitlines()[0])
    (payload,) = message.values()
    change(payload)
    assert _one_pass(one_line(message)) is None
    with pytest.raises(EventError):
        parse_event(one_line(message))


@pytest.mark.parametrize("key", ["_extra", EXTRA_KEY])
def test_a_key_spelling_the_models_own_field_is_an_undeclared_field(key: str) -> None:
    """Kept in ``_extra`` as any undeclared field is, however the key is written."""
    message = json.loads(SAMPLE.read_bytes().splitlines()[0])
    (payload,) = message.values()
    payload[key] = {"a": 1}
    escaped = one_line(message).replace(b'"_extra"', b'"\\u005fextra"')
    for raw in (one_line(message), escaped, json.dumps(message).encode()):  # \u007f_extra
        assert _one_pass(raw) is None
        assert parse_event(raw)._extra == {key: {"a": 1}}


@pytest.mark.parametrize("event", [None, "InteractionQueued", "InteractionMade", 7])
def test_an_interaction_event_needs_its_own_name(event: Any) -> None:
    """``event`` is the models' tag: missing, another event's or unknown, it is refused."""
    line = next(line for line in SAMPLE.read_bytes().splitlines() if b'"Interaction"' in line)
    message = json.loads(line)
    assert _one_pass(line) is not None
    if event is None:
        del message["Interaction"]["event"]
    else:
        message["Interaction"]["event"] = event
    found = _one_pass(one_line(message))
    assert found is None or type(found).__name__ == event
    if found is not None:  # another event's name: it must be valid as that event
        assert CONTRACT.judge(message).status == "valid"


class TaggedCheck(msgspec.Struct, forbid_unknown_fields=True, tag_field="event", tag="A"):
    name: str


class TaggedA(Model, frozen=True, kw_only=True, tag_field="event", tag="A"):
    name: str


class TaggedB(Model, frozen=True, kw_only=True, tag_field="event", tag="B"):
    name: str


def test_a_tag_must_be_the_checks_own() -> None:
    assert looser(TaggedA, TaggedCheck) is None
    reason = looser(TaggedB, TaggedCheck)
    assert reason is not None
    assert "tagged otherwise" in reason


def test_a_bound_at_zero_is_a_bound() -> None:
    """A float or integer bound of 0 the model lacks is found (0 is not "no bound")."""
    for kind in (float, int):
        reason = looser(kind, Annotated[kind, msgspec.Meta(ge=0)])
        assert reason is not None
    assert (
        looser(Annotated[float, msgspec.Meta(ge=0)], Annotated[float, msgspec.Meta(ge=0)]) is None
    )

"""Reading one JSON text as every road of the contract reads it.

orjson (and msgspec on the one-pass roads) reads the messages, and both
keep quiet about three things that a message's meaning depends on:

- a key that an object repeats: both keep the last value, other readers the
  first or refuse the text, so the message means what its reader decides;
  the contract calls it invalid and names the key;
- an integer beyond a double's range (some 309 digits): orjson refuses the
  text while a Python mapping, and msgspec, hold the integer; the text is
  read as the mapping is, exactly;
- a number too small for a double (``1e-400``): orjson reads ``0.0``, which
  JSON Schema counts as an integer; it is read as the smallest double of its
  sign instead, which a schema's ``number`` takes and its ``integer`` refuses.

A cheap test tells the texts that hold none of these (nearly all); the rest
get a second, exact reading by the standard library's parser.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from eightbyeight_events.explain import field_name
from eightbyeight_events.walk import json_pointer

SMALLEST = 5e-324
"""The smallest positive double: what a number too small for a double reads as."""
_NONZERO = frozenset("123456789")
_ZERO = re.compile(rb"[:\[,]-?0\.0[,\]}]")
"""A float zero as orjson writes it."""


@dataclass(frozen=True, slots=True)
class Repeat:
    """A key that an object holds more than once."""

    path: tuple[str | int, ...]
    """where the object is"""
    key: str

    @property
    def pointer(self) -> str:
        return json_pointer(list(self.path))

    @property
    def message(self) -> str:
        key = json.dumps(self.key, ensure_ascii=False)
        return (
            f"{field_name(list(self.path))} holds the key {key} more than once; readers differ "
            "on which value counts (most keep the last, some the first, some refuse the text)"
        )


class _Unread(ValueError):
    """What the exact reading cannot take either."""


def surely_unique(raw: bytes, again: bytes) -> bool:
    """True only when no object in ``raw`` repeats a key. ``again`` is the message written
    anew from what was read (a reader keeps one value per key, and writes no null it did not
    read as such): every quote in either text opens or closes a key or a string, or is a
    quote inside a string written ``\\"`` in both, so a repeated key leaves ``raw`` with
    more quotes, unless a quote spelt ``\\u0022`` (written ``\\"`` again) makes up for it.
    False says only "not sure": the exact reading decides."""
    if raw.find(b"\\") >= 0 and raw.find(b"\\u0022") >= 0:  # a one-byte look first
        return False
    return raw.count(b'"') == again.count(b'"')


def read_json(data: bytes) -> tuple[Any, tuple[Repeat, ...]]:
    """The document in ``data``, and the keys its objects repeat. Raises
    ``orjson.JSONDecodeError`` for a text that is not JSON."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if "infinity" not in str(error):
            raise
        try:  # an integer too long for a double, which the exact reading holds
            return _exact(data)
        except _Unread:
            raise error from None
    again = orjson.dumps(document)
    if not surely_unique(data, again) or _may_underflow(again):
        return _exact(data)
    return document, ()


def _may_underflow(again: bytes) -> bool:
    """Whether a number of the text may have been below a double's range: the document,
    written anew, holds a float zero (a literal ``0.0`` in the text, or what underflowed)."""
    return b"0.0" in again and _ZERO.search(again) is not None


def repeated_keys(data: bytes) -> tuple[Repeat, ...]:
    """The keys that the objects of ``data``, a text a reader has taken, repeat."""
    try:
        return _exact(data)[1]
    except _Unread:
        return ()


def _exact(data: bytes) -> tuple[Any, tuple[Repeat, ...]]:
    repeated: dict[int, tuple[dict[str, Any], str]] = {}

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(items)
        if len(found) != len(items):
            repeated[id(found)] = (found, _first_repeat(items))  # held: no other takes its id
        return found

    try:
        document = json.loads(
            data, object_pairs_hook=pairs, parse_float=_number, parse_constant=_refuse
        )
        json.dumps(document, ensure_ascii=False).encode()  # a lone surrogate: not text
    except (ValueError, RecursionError) as error:
        raise _Unread(str(error)) from None
    return document, tuple(_repeats(document, [], repeated)) if repeated else ()


def _first_repeat(items: list[tuple[str, Any]]) -> str:
    """The first key (in the order of first use) that ``items`` hold more than once."""
    counts = Counter(key for key, _ in items)
    return next(key for key, count in counts.items() if count > 1)


def _number(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Unread("a number too large for a double")
    if value == 0.0 and _NONZERO.intersection(text.partition("e")[0].partition("E")[0]):
        return math.copysign(SMALLEST, value)
    return value


def _refuse(text: str) -> Any:
    raise _Unread(f"{text} is not JSON")


def _repeats(
    value: Any, path: list[str | int], repeated: dict[int, tuple[dict[str, Any], str]]
) -> Iterator[Repeat]:
    """The repeats in ``value``, in document order."""
    if isinstance(value, dict):
        held = repeated.get(id(value))
        if held is not None and held[0] is value:
            yield Repeat(tuple(path), held[1])
        for key, item in value.items():
            yield from _repeats(item, [*path, key], repeated)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _repeats(item, [*path, index], repeated)

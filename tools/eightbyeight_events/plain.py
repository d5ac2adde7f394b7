"""A caller's Python value as the plain JSON data the contract judges.

The API takes messages decoded by someone else: a ``dict`` from ``json.loads``,
but also a ``MappingProxyType``, a tuple, an ``IntEnum`` or a value that JSON
cannot hold at all (a set, a ``bytes``, a key that is no string, ``NaN``).
Everything that stands for JSON is read as what it is; anything else is a
``NotJson`` naming the pointer, so no caller ever meets an error from deep
inside a validator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from eightbyeight_events.documents import MAX_DEPTH, NESTING, TOO_LARGE
from eightbyeight_events.walk import json_pointer

TEXTS = (str, bytes, bytearray, memoryview)
"""Sequences that are not JSON arrays."""
LONG_INTEGER_BITS = 14_000
"""Integers this long (some 4,200 digits) or longer are measured against the limit on the
digits Python reads from text, which no shorter one reaches."""


class NotJson(ValueError):
    """A value JSON cannot hold, at ``pointer``."""

    def __init__(self, path: list[str | int], message: str) -> None:
        self.pointer = json_pointer(path)
        super().__init__(f"{self.pointer or 'the message'}: {message}")
        self.message = message


def json_value(value: object) -> Any:
    """``value`` as dicts, lists, str, int, float, bool and None (a copy where it was
    anything else); raises ``NotJson`` for what JSON cannot hold or nests too deep."""
    return _plain(value, [], 1)


def _plain(value: object, path: list[str | int], depth: int) -> Any:
    if value is None or value.__class__ in (str, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        number = int(value)
        if number.bit_length() > LONG_INTEGER_BITS:
            try:
                str(number)  # Python's limit on an integer's digits, the same as in text
            except ValueError:
                raise NotJson(path, TOO_LARGE) from None
        return number
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotJson(path, f"{value!r} is not a JSON number")
        return float(value)
    if depth > MAX_DEPTH and isinstance(value, Mapping | Sequence):
        raise NotJson(path, NESTING)
    if isinstance(value, Mapping):
        found = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJson(
                    path, f"the key {key!r} is of type {type(key).__name__}, not a string"
                )
            found[str(key)] = _plain(item, [*path, key], depth + 1)
        return found
    if isinstance(value, Sequence) and not isinstance(value, TEXTS):
        return [_plain(item, [*path, index], depth + 1) for index, item in enumerate(value)]
    raise NotJson(path, f"a value of type {type(value).__name__} is not JSON")

"""Real messages with one object repeating a key, written as JSON text in several forms:
what ``json.dumps`` cannot make, since a dict holds a key once."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any, NamedTuple

from eightbyeight_events.walk import json_pointer


class Pairs(list[tuple[str, Any]]):
    """An object as its (key, value) pairs, so that a key can repeat."""


def as_pairs(text: bytes) -> Any:
    """The document with every object as ``Pairs``."""
    return json.loads(text, object_pairs_hook=Pairs)


def objects(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], Pairs]]:
    """Every object of a pairs document, with the path to it, in document order."""
    if isinstance(value, Pairs):
        yield path, value
        for key, item in value:
            yield from objects(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from objects(item, [*path, index])


def write(value: Any, spaced: bool, escaped_key: str | None = None) -> str:
    """A pairs document as JSON text, compact or as ``json.dumps`` spaces it; the key named
    ``escaped_key`` written with its first character as a ``\\u`` escape."""
    colon, comma = (": ", ", ") if spaced else (":", ",")
    if isinstance(value, Pairs):
        members = []
        for key, item in value:
            name = json.dumps(key)
            if key == escaped_key:
                name = f'"\\u{ord(key[0]):04x}{json.dumps(key)[2:]}'
            members.append(name + colon + write(item, spaced, escaped_key))
        return "{" + comma.join(members) + "}"
    if isinstance(value, list):
        return "[" + comma.join(write(item, spaced, escaped_key) for item in value) + "]"
    return json.dumps(value)


class Repeated(NamedTuple):
    original: bytes
    """the message as text, in the same form, without the repeat"""
    text: bytes
    pointer: str
    """the JSON pointer of the object that repeats a key"""
    key: str


def with_repeat(line: bytes, rng: random.Random) -> Repeated:
    """``line`` with one of its objects (chosen by ``rng``) holding one of its keys again,
    with the same value or another, anywhere among its keys; compact or spaced as
    ``json.dumps`` spaces, the key spelt with an escape or not."""
    document = as_pairs(line)
    path, pairs = rng.choice([found for found in objects(document, []) if found[1]])
    key, value = rng.choice(pairs)
    again = value if rng.random() < 0.5 else rng.choice([0, "x", None, [], True])
    at = rng.randint(0, len(pairs))
    pairs.insert(at, (key, again))
    spaced = rng.random() < 0.5
    escaped = key if rng.random() < 0.5 else None
    text = write(document, spaced, escaped).encode()
    del pairs[at]
    return Repeated(write(document, spaced).encode(), text, json_pointer(path), key)

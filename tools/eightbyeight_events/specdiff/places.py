"""Where things are in one side of a ``diff``: places (a document and a JSON pointer), the
definitions they belong to, ``$ref``s resolved among the documents read, the event types
of the catalogue, and which definitions each event type reaches."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin

from eightbyeight_events.readers import UsageError
from eightbyeight_events.schemas import BASE_URI, UNION
from eightbyeight_events.specdiff.sources import Spec

Path = tuple[str, ...]
Loc = tuple[str, Path]
"""A place in one side: the document's path below ``schemas/`` and a JSON pointer in it."""
Obj = dict[str, Any]


def unit_of(loc: Loc) -> str:
    document, path = loc
    inner = path[:2] if path[:1] in (("$defs",), ("definitions",)) and len(path) > 1 else ()
    return document + "#" + "".join("/" + escape(part) for part in inner)


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def canonical(value: Any) -> str:
    """One spelling per JSON value (1.0 and 1 are one number in JSON Schema)."""

    def plain(item: Any) -> Any:
        if isinstance(item, float) and item.is_integer():
            return int(item)
        if isinstance(item, dict):
            return {key: plain(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [plain(inner) for inner in item]
        return item

    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False)


def event_type_of(document: str) -> str | None:
    path = PurePosixPath(document)
    if path.parent.name != "events" or not path.name.endswith(".schema.json"):
        return None
    return path.name.removesuffix(".schema.json")


def child(loc: Loc, *parts: str | int) -> Loc:
    return loc[0], loc[1] + tuple(str(part) for part in parts)


def uri_of(spec: Spec, document: str) -> str:
    identifier = spec.documents[document].get("$id")
    return identifier if isinstance(identifier, str) else BASE_URI + document


def resolve(spec: Spec, loc: Loc, reference: str) -> Loc:
    target = urljoin(uri_of(spec, loc[0]), reference)
    address, _, fragment = target.partition("#")
    documents = {uri_of(spec, name).partition("#")[0]: name for name in spec.documents}
    document = documents.get(address)
    if document is None:
        raise UsageError(
            f"{spec.label}: {loc[0]}: $ref {reference!r} names {address}, which is not among "
            "the schemas read (give the schemas folder, not one file)"
        )
    if fragment and not fragment.startswith("/"):
        raise UsageError(f"{spec.label}: {loc[0]}: $ref {reference!r}: anchors are not supported")
    parts = fragment.split("/")[1:] if fragment else []
    return document, tuple(part.replace("~1", "/").replace("~0", "~") for part in parts)


def at(spec: Spec, loc: Loc) -> Any:
    value: Any = spec.documents[loc[0]]
    for part in loc[1]:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and re.fullmatch(r"\d+", part) and int(part) < len(value):
            value = value[int(part)]
        else:
            raise UsageError(
                f"{spec.label}: {unit_of(loc)}: a $ref points at {loc}, which is not there"
            )
    return value


def branch_event(spec: Spec, branch: Any, index: int) -> str:
    then = branch.get("then") if isinstance(branch, dict) else None
    if isinstance(then, dict) and isinstance(then.get("$ref"), str):
        document, _ = resolve(spec, (UNION, ("allOf", str(index), "then")), then["$ref"])
        name = event_type_of(document)
        if name is not None:
            return name
    return f"branch {canonical(branch)}"


def event_types(spec: Spec) -> dict[str, str]:
    """Each event type's document: the union's branches if the side has a union, else the
    documents under ``events/``."""
    union = spec.documents.get(UNION)
    if union is not None:
        found: dict[str, str] = {}
        for index, branch in enumerate(union.get("allOf", [])):
            name = branch_event(spec, branch, index)
            if not name.startswith("branch "):
                found[name] = f"events/{name}.schema.json"
        return found
    return {
        event: document
        for document in spec.documents
        if (event := event_type_of(document)) is not None
    }


def units(spec: Spec) -> dict[Loc, str]:
    """Every definition of a side (each document's root and ``$defs`` entries), with its title."""
    units: dict[Loc, str] = {}
    for document, schema in spec.documents.items():
        units[(document, ())] = str(schema.get("title", document))
        for keyword in ("$defs", "definitions"):
            for name, inner in (schema.get(keyword) or {}).items():
                title = inner.get("title", name) if isinstance(inner, dict) else name
                units[(document, (keyword, name))] = str(title)
    return units


def reach(spec: Spec) -> dict[str, set[str]]:
    """For each definition (``unit_of``), the event types whose schema refers to it."""
    reached: dict[str, set[str]] = {}
    for name, document in event_types(spec).items():
        if document not in spec.documents:
            continue
        seen: set[Loc] = set()
        pending: list[Loc] = [(document, ())]
        while pending:
            loc = pending.pop()
            if loc in seen:
                continue
            seen.add(loc)
            reached.setdefault(unit_of(loc), set()).add(name)
            pending.extend(references(spec, loc, at(spec, loc)))
    return reached


def references(spec: Spec, loc: Loc, schema: Any) -> list[Loc]:
    found: list[Loc] = []
    stack: list[Any] = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                found.append(resolve(spec, loc, value["$ref"]))
            stack.extend(
                inner for key, inner in value.items() if key not in ("$defs", "definitions")
            )
        elif isinstance(value, list):
            stack.extend(value)
    return found

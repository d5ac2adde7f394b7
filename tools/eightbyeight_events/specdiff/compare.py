"""Walk two versions of the spec side by side and name each change with its kind.

Every definition (a document's root, each entry under ``$defs``) is compared once: where
both sides hold a ``$ref`` to the same definition, the walk stops and that definition is
compared on its own, so a change in ``common/`` is one change whatever reaches it. Where
the two ``$ref``s differ, or one side inlines what the other refers to, the targets are
compared in place. Each change records the kind the reverse comparison (NEW against OLD)
would report at the same place, its *inverse*: FORWARD compatibility is the inverse's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from eightbyeight_events.readers import UsageError
from eightbyeight_events.schemas import UNION
from eightbyeight_events.specdiff.kinds import KINDS, Policy
from eightbyeight_events.specdiff.places import (
    Loc,
    Obj,
    Path,
    at,
    branch_event,
    canonical,
    child,
    escape,
    event_types,
    resolve,
    unit_of,
    units,
)
from eightbyeight_events.specdiff.rules import (
    ANNOTATIONS,
    COMBINATORS,
    LOWER_BOUNDS,
    NOT_VALIDATING,
    UPPER_BOUNDS,
    accepted_types,
    bare_union,
    bound_kind,
    criterion_kind,
    has_default,
    is_open,
    is_true,
    keyword_kind,
    listed_values,
    multiple_kind,
    number,
    partial_holder,
    requiring,
    set_kind,
    short_name,
    without,
)
from eightbyeight_events.specdiff.sources import Spec


@dataclass(frozen=True)
class Change:
    kind: str
    inverse: str
    document: str
    path: Path
    before: Any = None
    after: Any = None
    events: tuple[str, ...] = ()
    """The event types it reaches; set by ``diff`` (and here for the catalogue's own)."""

    @property
    def pointer(self) -> str:
        return self.document + "#" + "".join("/" + escape(part) for part in self.path)

    @property
    def unit(self) -> str:
        """The definition it belongs to: ``doc#/$defs/name``, or ``doc#`` for the root."""
        return unit_of((self.document, self.path))


@dataclass
class Comparison:
    """One walk of OLD against NEW; ``changes`` holds what it found."""

    old: Spec
    new: Spec
    policy: Policy
    inline: bool = False
    """Follow every ``$ref`` in place (a sub-walk deciding a question records nothing)."""
    changes: list[Change] = field(default_factory=list)
    _queue: deque[tuple[Loc, Loc]] = field(default_factory=deque)
    _seen: set[tuple[Loc, Loc]] = field(default_factory=set)
    _active: set[tuple[Loc, Loc]] = field(default_factory=set)

    # -- the whole spec ------------------------------------------------------------------

    def run(self) -> list[Change]:
        old_units, new_units = units(self.old), units(self.new)
        added = self._catalogue_changes()
        for loc in sorted(old_units.keys() & new_units.keys()):
            self._enqueue(loc, loc)
        self._definitions(old_units, new_units, added)
        while self._queue:
            old_loc, new_loc = self._queue.popleft()
            self._schema(at(self.old, old_loc), at(self.new, new_loc), old_loc, new_loc)
        return self.changes

    def _catalogue_changes(self) -> set[str]:
        """The documents of event types the catalogue gains or loses: those changes say it."""
        old_events, new_events = event_types(self.old), event_types(self.new)
        return {f"events/{name}.schema.json" for name in old_events.keys() ^ new_events.keys()}

    def _definitions(
        self, old_units: dict[Loc, str], new_units: dict[Loc, str], catalogue: set[str]
    ) -> None:
        old_documents, new_documents = self.old.documents.keys(), self.new.documents.keys()
        for loc in sorted(new_units.keys() - old_units.keys()):
            inside_new_document = loc[1] and loc[0] not in old_documents
            if not inside_new_document and loc[0] not in catalogue:
                self.emit("DEFINITION_ADDED", "DEFINITION_REMOVED", loc, after=new_units[loc])
        for loc in sorted(old_units.keys() - new_units.keys()):
            inside_old_document = loc[1] and loc[0] not in new_documents
            if not inside_old_document and loc[0] not in catalogue:
                self.emit("DEFINITION_REMOVED", "DEFINITION_ADDED", loc, before=old_units[loc])

    def emit(
        self,
        kind: str,
        inverse: str,
        at: Loc,
        before: Any = None,
        after: Any = None,
        events: tuple[str, ...] = (),
    ) -> None:
        assert kind in KINDS, kind
        assert inverse in KINDS, inverse
        self.changes.append(Change(kind, inverse, at[0], at[1], before, after, events))

    def _either_way(
        self, rule: Callable[[Any, Any], str], at: Loc, before: Any, after: Any
    ) -> None:
        """A change of a keyword's value: its kind by ``rule`` read OLD → NEW, its inverse by
        the same rule read NEW → OLD."""
        if before != after:
            self.emit(rule(before, after), rule(after, before), at, before, after)

    def _enqueue(self, old_loc: Loc, new_loc: Loc) -> None:
        if (old_loc, new_loc) not in self._seen:
            self._seen.add((old_loc, new_loc))
            self._queue.append((old_loc, new_loc))

    # -- one schema ----------------------------------------------------------------------

    def _schema(self, old: Any, new: Any, old_loc: Loc, new_loc: Loc) -> None:
        a, b = _normal(old, self.old, old_loc), _normal(new, self.new, new_loc)
        if "$ref" in a or "$ref" in b:
            self._refs(a, b, old_loc, new_loc)
            return
        for keyword, kind in ANNOTATIONS.items():
            if canonical(a.get(keyword)) != canonical(b.get(keyword)):
                self.emit(kind, kind, child(new_loc, keyword), a.get(keyword), b.get(keyword))
        if self._alternatives(a, b, old_loc, new_loc):
            return
        self._types(a, b, new_loc)
        self._enums(a, b, new_loc)
        self._scalars(a, b, new_loc)
        self._objects(a, b, old_loc, new_loc)
        self._arrays(a, b, old_loc, new_loc)
        if old_loc == (UNION, ()) and new_loc == (UNION, ()):
            self._dispatch(a.get("allOf", []), b.get("allOf", []), old_loc, new_loc)
            a, b = without(a, "allOf"), without(b, "allOf")
        self._combined(a, b, old_loc, new_loc)
        self._conditional(a, b, old_loc, new_loc)
        self._negation(a, b, old_loc, new_loc)

    def _refs(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        old_target = resolve(self.old, old_loc, a["$ref"]) if "$ref" in a else None
        new_target = resolve(self.new, new_loc, b["$ref"]) if "$ref" in b else None
        if old_target is not None and old_target == new_target and not self.inline:
            self._enqueue(old_target, new_target)
            return
        pair = (old_target or old_loc, new_target or new_loc)
        if pair in self._active:  # a recursive schema: this pair is being compared already
            return
        self._active.add(pair)
        self._schema(
            at(self.old, old_target) if old_target else a,
            at(self.new, new_target) if new_target else b,
            *pair,
        )
        self._active.discard(pair)

    def _alternatives(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> bool:
        """A plain schema against a bare anyOf/oneOf (Confluent's special case): it widens
        when one alternative accepts all the plain schema did, and the two are compared."""
        before, after = bare_union(a), bare_union(b)
        if (before is None) == (after is None) or any(
            key in (a if after else b) for key in COMBINATORS
        ):
            return False
        if after is not None:
            plain, choices, keyword, plain_loc, choices_loc = a, b[after], after, old_loc, new_loc
        else:
            assert before is not None
            plain, choices, keyword, plain_loc, choices_loc = b, a[before], before, new_loc, old_loc
        plain = {key: value for key, value in plain.items() if key not in ANNOTATIONS}
        plain_is_old = after is not None
        # `fits(x, y, reverse)` asks whether y accepts all x does, x from OLD unless reversed
        within = next(
            (
                i
                for i, choice in enumerate(choices)
                if self._fits(
                    plain, choice, plain_loc, child(choices_loc, keyword, i), not plain_is_old
                )
            ),
            None,
        )
        covers = all(
            self._fits(choice, plain, child(choices_loc, keyword, i), plain_loc, plain_is_old)
            for i, choice in enumerate(choices)
        )
        widened = "SUM_TYPE_EXTENDED" if within is not None else "SUM_TYPE_NARROWED"
        merged = "COMBINED_TYPE_EXTENDED" if covers else "SUM_TYPE_NARROWED"
        kind, inverse = (widened, merged) if plain_is_old else (merged, widened)
        self.emit(
            kind, inverse, child(new_loc, keyword), after=len(choices) if plain_is_old else None
        )
        if within is not None:
            at = child(choices_loc, keyword, within)
            if plain_is_old:
                self._schema(plain, choices[within], plain_loc, at)
            else:
                self._schema(choices[within], plain, at, plain_loc)
        return True

    def _types(self, a: Obj, b: Obj, at: Loc) -> None:
        before, after = accepted_types(a.get("type")), accepted_types(b.get("type"))
        if before != after:
            self.emit(
                set_kind("TYPE", before, after),
                set_kind("TYPE", after, before),
                child(at, "type"),
                a.get("type"),
                b.get("type"),
            )

    def _enums(self, a: Obj, b: Obj, at: Loc) -> None:
        before, after = listed_values(a), listed_values(b)
        if before is None and after is None:
            return
        keyword = "enum" if "enum" in b or ("enum" in a and "const" not in b) else "const"
        if before is None or after is None:
            kind = "ENUM_ARRAY_NARROWED" if before is None else "ENUM_ARRAY_EXTENDED"
            inverse = "ENUM_ARRAY_EXTENDED" if before is None else "ENUM_ARRAY_NARROWED"
            self.emit(kind, inverse, child(at, keyword), before, after)
            return
        old = {canonical(value): value for value in before}
        new = {canonical(value): value for value in after}
        if old.keys() != new.keys():
            removed = [old[key] for key in old if key not in new]
            added = [new[key] for key in new if key not in old]
            self.emit(
                set_kind("ENUM_ARRAY", set(old), set(new)),
                set_kind("ENUM_ARRAY", set(new), set(old)),
                child(at, keyword),
                removed,
                added,
            )

    def _scalars(self, a: Obj, b: Obj, at: Loc) -> None:
        for bounds in (UPPER_BOUNDS, LOWER_BOUNDS):
            for keyword, prefix in bounds.items():
                before, after = number(a, keyword, at), number(b, keyword, at)
                self._either_way(partial(bound_kind, prefix), child(at, keyword), before, after)
        before, after = number(a, "multipleOf", at), number(b, "multipleOf", at)
        self._either_way(multiple_kind, child(at, "multipleOf"), before, after)
        for keyword, prefix in (("pattern", "PATTERN"), ("format", "FORMAT")):
            rule = partial(keyword_kind, prefix)
            self._either_way(rule, child(at, keyword), a.get(keyword), b.get(keyword))
        if bool(a.get("uniqueItems")) != bool(b.get("uniqueItems")):
            added = bool(b.get("uniqueItems"))
            kinds = ("UNIQUE_ITEMS_ADDED", "UNIQUE_ITEMS_REMOVED")
            self.emit(*(kinds if added else kinds[::-1]), child(at, "uniqueItems"))

    # -- objects -------------------------------------------------------------------------

    def _objects(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        old_properties: Obj = a.get("properties") or {}
        new_properties: Obj = b.get("properties") or {}
        self._required(a, b, new_loc)
        for name in sorted(old_properties.keys() | new_properties.keys()):
            old_at, new_at = child(old_loc, "properties", name), child(new_loc, "properties", name)
            if name in old_properties and name in new_properties:
                self._schema(old_properties[name], new_properties[name], old_at, new_at)
            elif name in new_properties:
                kind = self._property_added(a, b, name, (old_loc, new_loc))
                inverse = self._property_removed(b, a, name, (new_loc, old_loc), reverse=True)
                self.emit(kind, inverse, new_at, after=name)
            else:
                kind = self._property_removed(a, b, name, (old_loc, new_loc))
                inverse = self._property_added(b, a, name, (new_loc, old_loc), reverse=True)
                self.emit(kind, inverse, new_at, before=name)
        for keyword, prefix in (
            ("additionalProperties", "ADDITIONAL_PROPERTIES"),
            ("unevaluatedProperties", "UNEVALUATED_PROPERTIES"),
        ):
            self._rest(keyword, prefix, a, b, old_loc, new_loc)
        self._named_schemas("patternProperties", "PATTERN_PROPERTY", a, b, old_loc, new_loc)
        self._named_schemas("dependentSchemas", "DEPENDENCY_SCHEMA", a, b, old_loc, new_loc)
        self._dependencies(a, b, new_loc)
        self._subschema("propertyNames", a, b, old_loc, new_loc)

    def _subschema(self, keyword: str, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        """The schemas under ``keyword`` (absent is ``true``), where either side has one."""
        if keyword in a or keyword in b:
            old, new = a.get(keyword, True), b.get(keyword, True)
            self._schema(old, new, child(old_loc, keyword), child(new_loc, keyword))

    def _required(self, a: Obj, b: Obj, at: Loc) -> None:
        """Names that become (or stop being) required among the properties both declare;
        a property added or removed with its name says so in its own kind (as Confluent's)."""
        old_properties, new_properties = a.get("properties") or {}, b.get("properties") or {}
        before, after = set(a.get("required") or ()), set(b.get("required") or ())
        for name in sorted(before ^ after):
            added = name in after
            declared, other = (
                (new_properties, old_properties) if added else (old_properties, new_properties)
            )
            if name in declared and name not in other:
                continue
            kinds = (requiring(declared.get(name)), "REQUIRED_ATTRIBUTE_REMOVED")
            if added:
                self.emit(*kinds, child(at, "required"), after=name)
            else:
                self.emit(*kinds[::-1], child(at, "required"), before=name)

    def _property_added(
        self, original: Obj, update: Obj, name: str, locs: tuple[Loc, Loc], reverse: bool = False
    ) -> str:
        original_loc, update_loc = locs
        schema = update["properties"][name]
        required = name in (update.get("required") or ())
        default = has_default(schema)
        if is_open(original, name):
            if is_true(schema):
                return "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            if required:
                return (
                    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                    if default
                    else "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
                )
            return "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
        if required and not default:
            return "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
        partial = partial_holder(original, name)
        if partial is not None:
            return self._coverage(
                "PROPERTY_ADDED",
                (partial[0], child(original_loc, *partial[1])),
                (schema, child(update_loc, "properties", name)),
                reverse,
            )
        if required:
            return "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
        return "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"

    def _property_removed(
        self, original: Obj, update: Obj, name: str, locs: tuple[Loc, Loc], reverse: bool = False
    ) -> str:
        original_loc, update_loc = locs
        schema = original["properties"][name]
        if is_open(update, name):
            return "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"
        partial = partial_holder(update, name)
        if partial is not None:
            return self._coverage(
                "PROPERTY_REMOVED",
                (schema, child(original_loc, "properties", name)),
                (partial[0], child(update_loc, *partial[1])),
                reverse,
            )
        if schema is False:
            return "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
        return "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"

    def _rest(self, keyword: str, prefix: str, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        """additionalProperties, unevaluatedProperties and an array's rest of items: absent
        and ``{}`` are ``true``; ``false`` permits nothing; a schema permits what it accepts."""
        before = True if is_true(a.get(keyword, True)) else a[keyword]
        after = True if is_true(b.get(keyword, True)) else b[keyword]
        if before is True and after is True:
            return
        at = child(new_loc, keyword)
        if (before is not False) != (after is not False):
            kinds = (f"{prefix}_ADDED", f"{prefix}_REMOVED")
            self.emit(*(kinds if after is not False else kinds[::-1]), at, before, after)
        elif before is True or after is True:
            kinds = (f"{prefix}_NARROWED", f"{prefix}_EXTENDED")
            self.emit(*(kinds if before is True else kinds[::-1]), at)
        elif before is not False:
            self._schema(before, after, child(old_loc, keyword), at)

    def _named_schemas(
        self, keyword: str, prefix: str, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc
    ) -> None:
        before: Obj = a.get(keyword) or {}
        after: Obj = b.get(keyword) or {}
        for name in sorted(before.keys() | after.keys()):
            at = child(new_loc, keyword, name)
            if name in before and name in after:
                self._schema(before[name], after[name], child(old_loc, keyword, name), at)
            elif name in after:
                self.emit(f"{prefix}_ADDED", f"{prefix}_REMOVED", at, after=name)
            else:
                self.emit(f"{prefix}_REMOVED", f"{prefix}_ADDED", at, before=name)

    def _dependencies(self, a: Obj, b: Obj, at: Loc) -> None:
        before: dict[str, list[str]] = a.get("dependentRequired") or {}
        after: dict[str, list[str]] = b.get("dependentRequired") or {}
        for name in sorted(before.keys() | after.keys()):
            old, new = before.get(name), after.get(name)
            if old is None or new is None:
                kind = keyword_kind("DEPENDENCY_ARRAY", old, new)
                inverse = keyword_kind("DEPENDENCY_ARRAY", new, old)
            elif set(old) == set(new):
                continue
            else:
                # more names depending on this one (EXTENDED) asks more of a message
                kind = set_kind("DEPENDENCY_ARRAY", set(old), set(new))
                inverse = set_kind("DEPENDENCY_ARRAY", set(new), set(old))
            self.emit(kind, inverse, child(at, "dependentRequired", name), old, new)

    # -- arrays --------------------------------------------------------------------------

    def _arrays(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        if "prefixItems" not in a and "prefixItems" not in b:
            self._subschema("items", a, b, old_loc, new_loc)
        else:
            self._tuples(a, b, old_loc, new_loc)
        self._subschema("contains", a, b, old_loc, new_loc)
        self._rest("unevaluatedItems", "UNEVALUATED_ITEMS", a, b, old_loc, new_loc)

    def _tuples(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        before: list[Any] = a.get("prefixItems") or []
        after: list[Any] = b.get("prefixItems") or []
        for index in range(max(len(before), len(after))):
            old_at, new_at = (
                child(old_loc, "prefixItems", index),
                child(new_loc, "prefixItems", index),
            )
            if index < len(before) and index < len(after):
                self._schema(before[index], after[index], old_at, new_at)
            elif index < len(after):
                kind = self._item_added(a, after[index], old_loc, new_at)
                inverse = self._item_removed(after[index], a, new_at, old_loc, reverse=True)
                self.emit(kind, inverse, new_at)
            else:
                kind = self._item_removed(before[index], b, old_at, new_loc)
                inverse = self._item_added(b, before[index], new_loc, old_at, reverse=True)
                self.emit(kind, inverse, new_at)
        self._rest("items", "ADDITIONAL_ITEMS", a, b, old_loc, new_loc)

    def _item_added(
        self, original: Obj, item: Any, original_loc: Loc, item_loc: Loc, reverse: bool = False
    ) -> str:
        rest = original.get("items", True)
        if is_true(rest):
            if is_true(item):
                return "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            return "ITEM_ADDED_TO_OPEN_CONTENT_MODEL"
        if rest is False:
            return "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL"
        return self._coverage(
            "ITEM_ADDED", (rest, child(original_loc, "items")), (item, item_loc), reverse
        )

    def _item_removed(
        self, item: Any, update: Obj, item_loc: Loc, update_loc: Loc, reverse: bool = False
    ) -> str:
        rest = update.get("items", True)
        if is_true(rest):
            return "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL"
        if rest is False:
            if item is False:
                return "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            return "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"
        return self._coverage(
            "ITEM_REMOVED", (item, item_loc), (rest, child(update_loc, "items")), reverse
        )

    # -- combined schemas ----------------------------------------------------------------

    def _dispatch(self, before: list[Any], after: list[Any], old_loc: Loc, new_loc: Loc) -> None:
        """The union's if/then branches, one per event type: a branch gained or lost is the
        catalogue gaining or losing an event type (a sum type's alternative), not one more
        condition on every message."""
        old = {branch_event(self.old, branch, index): index for index, branch in enumerate(before)}
        new = {branch_event(self.new, branch, index): index for index, branch in enumerate(after)}
        for name in sorted(old.keys() | new.keys()):
            if name in old and name in new:
                self._schema(
                    before[old[name]],
                    after[new[name]],
                    child(old_loc, "allOf", old[name]),
                    child(new_loc, "allOf", new[name]),
                )
            elif name in new:
                at = child(new_loc, "allOf", new[name])
                self.emit("SUM_TYPE_EXTENDED", "SUM_TYPE_NARROWED", at, after=name, events=(name,))
            else:
                at = child(new_loc, "allOf", old[name])
                self.emit("SUM_TYPE_NARROWED", "SUM_TYPE_EXTENDED", at, before=name, events=(name,))

    def _combined(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        old_keywords = [keyword for keyword in COMBINATORS if keyword in a]
        new_keywords = [keyword for keyword in COMBINATORS if keyword in b]
        if len(old_keywords) == 1 and len(new_keywords) == 1 and old_keywords != new_keywords:
            (before,), (after,) = old_keywords, new_keywords
            self.emit(
                criterion_kind(before, after, a[before], b[after]),
                criterion_kind(after, before, b[after], a[before]),
                child(new_loc, after),
                before,
                after,
            )
            self._subschemas(
                after, a[before], b[after], child(old_loc, before), child(new_loc, after)
            )
            return
        for keyword in COMBINATORS:
            old, new = a.get(keyword), b.get(keyword)
            if old is None and new is None:
                continue
            if keyword != "allOf" and (old is None or new is None):
                # no anyOf is one alternative that accepts anything
                kinds = ("SUM_TYPE_NARROWED", "SUM_TYPE_EXTENDED")
                self.emit(*(kinds if old is None else kinds[::-1]), child(new_loc, keyword))
                continue
            self._subschemas(
                keyword, old or [], new or [], child(old_loc, keyword), child(new_loc, keyword)
            )

    def _subschemas(
        self, keyword: str, before: list[Any], after: list[Any], old_loc: Loc, new_loc: Loc
    ) -> None:
        """Pair the subschemas (the same, the same ``$ref`` target, ``if`` or title, then one
        the other accepts, then in order) and compare each pair; the rest were added or
        removed."""
        old_left, new_left = list(range(len(before))), list(range(len(after)))
        pairs: list[tuple[int, int]] = []
        for key in (self._exact_key, self._identity_key):
            found: dict[str, list[int]] = {}
            for j in new_left:
                name = key(self.new, after[j], child(new_loc, j))
                if name is not None:
                    found.setdefault(name, []).append(j)
            for i in list(old_left):
                name = key(self.old, before[i], child(old_loc, i))
                if name is not None and found.get(name):
                    j = found[name].pop(0)
                    pairs.append((i, j))
                    old_left.remove(i)
                    new_left.remove(j)
        for i in list(old_left):
            for j in new_left:
                if self._fits(before[i], after[j], child(old_loc, i), child(new_loc, j)):
                    pairs.append((i, j))
                    old_left.remove(i)
                    new_left.remove(j)
                    break
        while old_left and new_left:
            pairs.append((old_left.pop(0), new_left.pop(0)))
        for i, j in sorted(pairs):
            self._schema(before[i], after[j], child(old_loc, i), child(new_loc, j))
        grown = ("PRODUCT_TYPE" if keyword == "allOf" else "SUM_TYPE") + "_EXTENDED"
        shrunk = grown.replace("EXTENDED", "NARROWED")
        for j in new_left:
            self.emit(grown, shrunk, child(new_loc, j), after=short_name(after[j]))
        for i in old_left:
            self.emit(shrunk, grown, child(new_loc, i), before=short_name(before[i]))

    def _coverage(
        self, prefix: str, held: tuple[Any, Loc], holder: tuple[Any, Loc], reverse: bool
    ) -> str:
        """A partially open model's verdict on a property or item: IS covered when the schema
        the model holds it to accepts all it did (``reverse`` as for ``_fits``)."""
        covered = self._fits(held[0], holder[0], held[1], holder[1], reverse)
        return f"{prefix}_{'IS' if covered else 'NOT'}_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"

    def _exact_key(self, spec: Spec, schema: Any, loc: Loc) -> str | None:
        return canonical(schema)

    def _identity_key(self, spec: Spec, schema: Any, loc: Loc) -> str | None:
        if isinstance(schema, dict):
            if isinstance(schema.get("$ref"), str):
                return "$ref " + canonical(resolve(spec, loc, schema["$ref"]))
            if "if" in schema:
                return "if " + canonical(schema["if"])
            if isinstance(schema.get("title"), str):
                return "title " + str(schema["title"])
        return None

    def _conditional(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        before, after = a.get("if"), b.get("if")
        if before is None and after is None:
            return
        at = child(new_loc, "if")
        if before is None or after is None:
            # a condition is one more conjunct: if X then Y
            kinds = ("PRODUCT_TYPE_EXTENDED", "PRODUCT_TYPE_NARROWED")
            self.emit(*(kinds if before is None else kinds[::-1]), at)
        elif canonical(before) != canonical(after):
            self.emit("COMBINED_TYPE_CHANGED", "COMBINED_TYPE_CHANGED", at, before, after)
        else:
            for keyword in ("then", "else"):
                self._subschema(keyword, a, b, old_loc, new_loc)

    def _negation(self, a: Obj, b: Obj, old_loc: Loc, new_loc: Loc) -> None:
        before, after = a.get("not"), b.get("not")
        if before is None and after is None:
            return
        at = child(new_loc, "not")
        kinds = ("NOT_TYPE_EXTENDED", "NOT_TYPE_NARROWED")
        if before is None or after is None:
            self.emit(*(kinds if before is None else kinds[::-1]), at)
            return
        inner = self._walk(before, after, child(old_loc, "not"), at, reverse=False)
        if all(KINDS[change.kind].annotation for change in inner):
            return
        # what `not` forbids shrinking is what the schema accepts growing
        narrowed = self._fits(after, before, at, child(old_loc, "not"), reverse=True)
        narrowed_back = self._fits(before, after, child(old_loc, "not"), at)
        self.emit(kinds[1] if narrowed else kinds[0], kinds[1] if narrowed_back else kinds[0], at)

    # -- questions a change's kind depends on -------------------------------------------

    def _walk(self, old: Any, new: Any, old_loc: Loc, new_loc: Loc, reverse: bool) -> list[Change]:
        sides = (self.new, self.old) if reverse else (self.old, self.new)
        walk = Comparison(*sides, self.policy, inline=True)
        walk._schema(old, new, old_loc, new_loc)
        return walk.changes

    def _fits(self, old: Any, new: Any, old_loc: Loc, new_loc: Loc, reverse: bool = False) -> bool:
        """Does ``new`` accept all that ``old`` does (under this policy)? ``reverse`` when
        ``old`` comes from the NEW side (deciding an inverse kind)."""
        changes = self._walk(old, new, old_loc, new_loc, reverse)
        return all(KINDS[change.kind].compatible_under(self.policy) for change in changes)


def _normal(schema: Any, spec: Spec, loc: Loc) -> Obj:
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    if not isinstance(schema, dict):
        where = loc[0] + "#" + "".join("/" + escape(part) for part in loc[1])
        raise UsageError(f"{spec.label}: {where}: a schema must be an object or a boolean")
    if "$ref" in schema and set(schema) - NOT_VALIDATING - {"$ref"}:
        # keywords beside $ref apply too: the same as an allOf of both
        rest = {key: value for key, value in schema.items() if key != "$ref"}
        return {**rest, "allOf": [{"$ref": schema["$ref"]}, *rest.get("allOf", [])]}
    return schema

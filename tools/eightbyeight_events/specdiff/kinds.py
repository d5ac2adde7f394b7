"""The kinds of change ``diff`` reports, and which of them a policy counts as compatible.

A kind is *compatible* when a reader holding the new schema accepts everything a writer
holding the old one could send (Confluent Schema Registry's BACKWARD). The names are those
of Confluent's JSON Schema checker where one fits; ``ours`` marks the few it has no name
for (formats, known values, pattern properties, shared definitions, the event catalogue's
own changes are expressed with its sum-type kinds). FORWARD is never a separate table: it
is the compatibility of the change's inverse, the kind the comparison of NEW against OLD
reports at the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Policy = Literal["strict", "lenient"]
POLICIES: tuple[Policy, ...] = ("strict", "lenient")


@dataclass(frozen=True)
class Kind:
    name: str
    compatible: bool
    """Under ``strict``: Confluent's documented rule."""
    lenient: bool | None = None
    """Under ``lenient``, where it differs: a property declared in an open object. (Confluent's
    own lenient set also lets an object close; here that stays breaking, since a closed
    object rejects every field the service adds.)"""
    annotation: bool = False
    """Changes no verdict: a patch release may carry it."""
    ours: bool = False
    """No kind of Confluent's checker fits; named here."""

    def compatible_under(self, policy: Policy) -> bool:
        if policy == "lenient" and self.lenient is not None:
            return self.lenient
        return self.compatible


def _bounds(prefix: str, upper: bool) -> list[Kind]:
    """An upper bound (maxLength, maximum …) may grow or go; a lower one may shrink or go."""
    return [
        Kind(f"{prefix}_ADDED", False),
        Kind(f"{prefix}_REMOVED", True),
        Kind(f"{prefix}_INCREASED", upper),
        Kind(f"{prefix}_DECREASED", not upper),
    ]


_KINDS: list[Kind] = [
    Kind("ID_CHANGED", True, annotation=True),
    Kind("DESCRIPTION_CHANGED", True, annotation=True),
    Kind("TITLE_CHANGED", True, annotation=True),
    Kind("DEFAULT_CHANGED", True, annotation=True),
    Kind("EXAMPLES_CHANGED", True, annotation=True, ours=True),
    Kind("TYPE_EXTENDED", True),
    Kind("TYPE_NARROWED", False),
    Kind("TYPE_CHANGED", False),
    *_bounds("MAX_LENGTH", upper=True),
    *_bounds("MIN_LENGTH", upper=False),
    Kind("PATTERN_ADDED", False),
    Kind("PATTERN_REMOVED", True),
    Kind("PATTERN_CHANGED", False),
    Kind("FORMAT_ADDED", False, ours=True),
    Kind("FORMAT_REMOVED", True, ours=True),
    Kind("FORMAT_CHANGED", False, ours=True),
    *_bounds("MAXIMUM", upper=True),
    *_bounds("MINIMUM", upper=False),
    *_bounds("EXCLUSIVE_MAXIMUM", upper=True),
    *_bounds("EXCLUSIVE_MINIMUM", upper=False),
    Kind("MULTIPLE_OF_ADDED", False),
    Kind("MULTIPLE_OF_REMOVED", True),
    Kind("MULTIPLE_OF_EXPANDED", False),
    Kind("MULTIPLE_OF_REDUCED", True),
    Kind("MULTIPLE_OF_CHANGED", False),
    Kind("REQUIRED_ATTRIBUTE_ADDED", False),
    Kind("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", True),
    Kind("REQUIRED_ATTRIBUTE_REMOVED", True),
    *_bounds("MAX_PROPERTIES", upper=True),
    *_bounds("MIN_PROPERTIES", upper=False),
    Kind("ADDITIONAL_PROPERTIES_ADDED", True),
    Kind("ADDITIONAL_PROPERTIES_REMOVED", False),
    Kind("ADDITIONAL_PROPERTIES_EXTENDED", True),
    Kind("ADDITIONAL_PROPERTIES_NARROWED", False),
    Kind("UNEVALUATED_PROPERTIES_ADDED", True),
    Kind("UNEVALUATED_PROPERTIES_REMOVED", False),
    Kind("UNEVALUATED_PROPERTIES_EXTENDED", True),
    Kind("UNEVALUATED_PROPERTIES_NARROWED", False),
    Kind("PATTERN_PROPERTY_ADDED", False, ours=True),
    Kind("PATTERN_PROPERTY_REMOVED", True, ours=True),
    Kind("DEPENDENCY_ARRAY_ADDED", False),
    Kind("DEPENDENCY_ARRAY_REMOVED", True),
    Kind("DEPENDENCY_ARRAY_EXTENDED", False),
    Kind("DEPENDENCY_ARRAY_NARROWED", True),
    Kind("DEPENDENCY_ARRAY_CHANGED", False),
    Kind("DEPENDENCY_SCHEMA_ADDED", False),
    Kind("DEPENDENCY_SCHEMA_REMOVED", True),
    Kind("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", False),
    Kind("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", False, lenient=True),
    Kind("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", False, lenient=True),
    Kind("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", True),
    Kind("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", False),
    Kind("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", True),
    Kind("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", True),
    Kind("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", True),
    Kind("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", True),
    Kind("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", False),
    Kind("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", True),
    Kind("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", False),
    Kind("PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", True),
    Kind("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", False),
    *_bounds("MAX_ITEMS", upper=True),
    *_bounds("MIN_ITEMS", upper=False),
    *_bounds("MAX_CONTAINS", upper=True),
    *_bounds("MIN_CONTAINS", upper=False),
    Kind("UNIQUE_ITEMS_ADDED", False),
    Kind("UNIQUE_ITEMS_REMOVED", True),
    Kind("ADDITIONAL_ITEMS_ADDED", True),
    Kind("ADDITIONAL_ITEMS_REMOVED", False),
    Kind("ADDITIONAL_ITEMS_EXTENDED", True),
    Kind("ADDITIONAL_ITEMS_NARROWED", False),
    Kind("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", False),
    Kind("ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", True),
    Kind("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", True),
    Kind("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", True),
    Kind("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", True),
    Kind("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", False),
    Kind("ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", True),
    Kind("ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", False),
    Kind("ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", True),
    Kind("ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", False),
    Kind("UNEVALUATED_ITEMS_ADDED", True),
    Kind("UNEVALUATED_ITEMS_REMOVED", False),
    Kind("UNEVALUATED_ITEMS_EXTENDED", True),
    Kind("UNEVALUATED_ITEMS_NARROWED", False),
    Kind("ENUM_ARRAY_EXTENDED", True),
    Kind("ENUM_ARRAY_NARROWED", False),
    Kind("ENUM_ARRAY_CHANGED", False),
    Kind("COMBINED_TYPE_EXTENDED", True),
    Kind("COMBINED_TYPE_CHANGED", False),
    Kind("PRODUCT_TYPE_EXTENDED", False),
    Kind("PRODUCT_TYPE_NARROWED", True),
    Kind("SUM_TYPE_EXTENDED", True),
    Kind("SUM_TYPE_NARROWED", False),
    Kind("NOT_TYPE_EXTENDED", False),
    Kind("NOT_TYPE_NARROWED", True),
    Kind("DEFINITION_ADDED", True, ours=True),
    Kind("DEFINITION_REMOVED", False, ours=True),
]

KINDS: dict[str, Kind] = {kind.name: kind for kind in _KINDS}

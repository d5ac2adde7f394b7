"""Whether msgspec, reading JSON into one type, accepts no more than into another.

The loader decodes a message straight into the models in one pass when that
accepts nothing the contract's own one-pass check would reject. Models and
check are made from the same schemas by different generators, so that is
not taken on trust: the two types are compared here, field by field, and an
event type whose model would accept more keeps the two-pass road.

The comparison assumes what the loader checks on the bytes before it
decodes: no key the models keep for themselves (``_extra``, read from
``EXTRA_KEY``).
"""

from __future__ import annotations

from typing import Any

import msgspec.inspect as mi

from eightbyeight_events.fastpath import INT64_MAX, INT64_MIN
from eightbyeight_events.model_base import EXTRA_KEY

OWN_FIELDS = {"_extra": EXTRA_KEY}
"""Model fields that no message fills, and the keys msgspec would read them from (the
loader refuses a message that could spell one)."""


def looser(model: Any, check: Any) -> str | None:
    """Why reading into ``model`` could accept what reading into ``check`` rejects; None
    when it cannot. Both are Python types as msgspec takes them."""
    return _type(mi.type_info(model), mi.type_info(check), "")


def looser_fields(model: type, check: type) -> tuple[str | None, dict[str, mi.Type]]:
    """For two structs: why ``model`` accepts more than ``check`` in a way that a look at
    its values after decoding cannot mend (None if in no such way), and the fields whose
    values need that look, each with the type ``check`` gives it."""
    model_info, check_info = mi.type_info(model), mi.type_info(check)
    if not isinstance(model_info, mi.StructType) or not isinstance(check_info, mi.StructType):
        return "not two structs", {}
    gaps: dict[str, mi.Type] = {}
    return _struct(model_info, check_info, "", gaps), gaps


def _members(info: mi.Type) -> list[mi.Type]:
    """A type's alternatives."""
    return list(info.types) if isinstance(info, mi.UnionType) else [info]


def _type(model: mi.Type, check: mi.Type, where: str) -> str | None:
    options = _members(check)
    for member in _members(model):
        if isinstance(member, mi.LiteralType):
            reason = _literal(member, options, where)
        else:
            reasons = [_one(member, option, where) for option in options]
            reason = None if None in reasons else (reasons[0] if reasons else f"{where}: none")
        if reason is not None:
            return reason
    return None


def _literal(model: mi.LiteralType, options: list[mi.Type], where: str) -> str | None:
    for value in model.values:
        if not any(_takes_value(option, value) for option in options):
            return f"{where}: {value!r} is not accepted by the check"
    return None


def _takes_value(option: mi.Type, value: Any) -> bool:
    if isinstance(option, mi.LiteralType):
        return value in option.values
    if isinstance(option, mi.StrType) and isinstance(value, str):
        return _no_more_than(mi.StrType(), option)
    if isinstance(option, mi.IntType) and isinstance(value, int):
        return within(value, option)
    return False


def within(value: int, option: mi.IntType) -> bool:
    """Whether ``value`` lies within the range ``option`` sets (never, for a bound other than
    a range, which is not weighed here)."""
    return (
        (option.ge is None or value >= option.ge)
        and (option.le is None or value <= option.le)
        and option.gt is None
        and option.lt is None
        and option.multiple_of is None
    )


def _no_more_than(model: mi.StrType, check: mi.StrType) -> bool:
    return (
        (check.pattern is None or check.pattern == model.pattern)
        and (check.min_length is None or (model.min_length or 0) >= check.min_length)
        and (
            check.max_length is None
            or (model.max_length is not None and model.max_length <= check.max_length)
        )
    )


def _int_bound(value: float | None, limit: int) -> float | None:
    """The 64-bit range stands for no bound: the check leaves larger integers to the full
    look, which takes them too (JSON Schema integers have no range)."""
    return None if value == limit else value


def _number(
    model: mi.IntType | mi.FloatType, check: mi.IntType | mi.FloatType, where: str
) -> str | None:
    """Why a number of the model's type may lie outside the check's bounds."""
    others = (check.gt, check.lt, check.multiple_of)
    if others != (None, None, None) and others != (model.gt, model.lt, model.multiple_of):
        return f"{where}: a bound the model lacks"
    low, high = check.ge, check.le
    if isinstance(check, mi.IntType):
        low, high = _int_bound(low, INT64_MIN), _int_bound(high, INT64_MAX)
    if low is not None and (model.ge is None or model.ge < low):
        return f"{where}: no lower bound {low}"
    if high is not None and (model.le is None or model.le > high):
        return f"{where}: no upper bound {high}"
    return None


def _one(model: mi.Type, check: mi.Type, where: str) -> str | None:
    """Why one alternative of the model is not within one of the check; None if it is."""
    kinds = (type(model), type(check))
    if isinstance(model, mi.StrType) and isinstance(check, mi.StrType):
        return None if _no_more_than(model, check) else f"{where}: a string less constrained"
    if (isinstance(model, mi.IntType) and isinstance(check, mi.IntType)) or (
        isinstance(model, mi.FloatType) and isinstance(check, mi.FloatType)
    ):
        return _number(model, check, where)
    if kinds in ((mi.BoolType, mi.BoolType), (mi.NoneType, mi.NoneType)):
        return None
    if isinstance(model, mi.ListType | mi.VarTupleType) and isinstance(
        check, mi.ListType | mi.VarTupleType
    ):
        if (check.min_length, check.max_length) != (None, None):
            return f"{where}: an array length"
        return _type(model.item_type, check.item_type, f"{where}/*")
    if isinstance(model, mi.DictType) and isinstance(check, mi.DictType):
        return _type(model.key_type, check.key_type, where) or _type(
            model.value_type, check.value_type, f"{where}/*"
        )
    if isinstance(model, mi.StructType) and isinstance(check, mi.StructType):
        return _struct(model, check, where)
    return f"{where}: {kinds[0].__name__} against {kinds[1].__name__}"


def _struct(
    model: mi.StructType,
    check: mi.StructType,
    where: str,
    gaps: dict[str, mi.Type] | None = None,
) -> str | None:
    """``_one`` for structs; with ``gaps``, a field whose type accepts more is noted there
    instead of failing the struct."""
    if model.array_like or check.array_like:
        return f"{where}: a struct read otherwise"
    if model.tag_field is not None and (model.tag_field, model.tag) != (
        check.tag_field,
        check.tag,
    ):
        return f"{where}: tagged otherwise ({model.tag_field}={model.tag!r})"
    if check.forbid_unknown_fields and not model.forbid_unknown_fields:
        return f"{where}: the model lets undeclared fields through"
    theirs = {field.name: field for field in check.fields}
    for field in model.fields:
        if field.name in OWN_FIELDS:
            if field.encode_name != OWN_FIELDS[field.name] or field.required:
                return f"{where}/{field.name}: read from a key a message may hold"
            continue
        at = f"{where}/{field.name}"
        if field.name != field.encode_name:
            return f"{at}: renamed"
        if field.name == check.tag_field:
            if not (
                field.required
                and isinstance(field.type, mi.LiteralType)
                and field.type.values == (check.tag,)
            ):
                return f"{at}: not the constant {check.tag!r}"
            continue
        other = theirs.pop(field.name, None)
        if other is None:
            if check.forbid_unknown_fields:
                return f"{at}: not in the check"
            continue
        if other.required and not field.required:
            return f"{at}: optional in the model"
        reason = _type(field.type, other.type, at)
        if reason is not None and gaps is not None:
            gaps[field.name] = other.type
        elif reason is not None:
            return reason
    if theirs and not model.forbid_unknown_fields:  # it would drop them
        return f"{where}: the model lacks {sorted(theirs)}"
    return None

"""The base every generated model class derives from.

The models are msgspec structs: msgspec decodes a message's bytes straight
into them in one pass, in C, which is what makes ``parse_event`` fast (a
Python class is built a field at a time, and an Interaction event holds some
twenty attachedData pairs). Arrays are tuples, so a model is immutable all
the way down.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import msgspec
import orjson

__all__ = ["EXTRA_KEY", "NO_EXTRA", "Model", "Omittable"]

if TYPE_CHECKING:
    from typing import Optional as Omittable
else:

    class Omittable:
        """``Omittable[X]`` is ``X | None`` to a type checker, and ``X`` with None as its
        default to msgspec: an absent field reads None, while an explicit null stays as
        invalid as the schema says (with ``X | None``, msgspec would take one)."""

        def __class_getitem__(cls, item: Any) -> Any:
            return item


class _NoExtra(Mapping[str, Any]):
    """The empty mapping every model without undeclared fields shares: a dict of its own per
    model (an Interaction event holds some twenty) would cost more than the decode of a pair."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "NO_EXTRA"  # pickled and copied as the one shared instance


NO_EXTRA = _NoExtra()
EXTRA_KEY = "\x7f_extra"
"""The key msgspec would read ``_extra`` from. No message fills it: the loader's one-pass
road refuses a message holding a DEL byte or its escape, the only ways to spell it."""


class Model(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    omit_defaults=True,
    # msgspec refuses what a model does not declare, rather than drop it unseen: parse_event
    # keeps undeclared fields in ``_extra`` (it builds such a message field by field)
    forbid_unknown_fields=True,
    gc=False,  # decoded JSON holds no reference cycles
):
    """Keeps the fields of a message that the spec does not declare, and gives every model
    equality, a hash and a short repr.

    The service adds fields over time; a consumer that parses and writes back
    a message must not lose them, so ``to_dict`` puts them back. Models are
    equal when they hold the same message; they hash (so they can be kept in
    sets and as keys); and their repr shows only the fields that are set.
    """

    _extra: Mapping[str, Any] = msgspec.field(default=NO_EXTRA, name=EXTRA_KEY)
    """the undeclared fields, as they came"""

    def as_dict(self) -> dict[str, Any]:
        """The payload as it came (its tag, the fields that are set, then the undeclared
        ones)."""
        config = self.__struct_config__
        data: dict[str, Any] = {config.tag_field: config.tag} if config.tag_field else {}
        data.update((name, plain_value(value)) for name, value in self._set_fields())
        data.update(self._extra)
        return data

    def _set_fields(self) -> Iterator[tuple[str, Any]]:
        """The declared fields that are set, in order, with their values."""
        for name in self.__struct_fields__:
            if name != "_extra" and (value := getattr(self, name)) is not None:
                yield name, value

    def __hash__(self) -> int:
        # the undeclared fields may hold any JSON (a dict is not hashable): the message's
        # canonical text stands for them all
        return hash(
            (type(self).__name__, orjson.dumps(self.as_dict(), option=orjson.OPT_SORT_KEYS))
        )

    def __repr__(self) -> str:
        shown = [f"{name}={value!r}" for name, value in self._set_fields()]
        # the tag (a constant ``event``) is not a field; the repr needs no more than the class
        if self._extra:
            shown.append(f"_extra={dict(self._extra)!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


def plain_value(value: Any) -> Any:
    """A model's field value as the JSON data it came as (models, tuples, lists and dicts
    inside too, as a caller building a message may hold them)."""
    if isinstance(value, Model):
        return value.as_dict()
    if isinstance(value, tuple | list):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    return value

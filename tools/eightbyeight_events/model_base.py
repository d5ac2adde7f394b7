"""The base every generated model class derives from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class Model:
    """Keeps the fields of a message that the spec does not declare, and gives every model
    equality, a hash and a short repr.

    The service adds fields over time; a consumer that parses and writes back
    a message must not lose them, so ``to_dict`` puts them back. Models are
    equal when they hold the same message; they hash (so they can be kept in
    sets and as keys); and their repr shows only the fields that are set.
    """

    _extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The payload as it came (fields that are set, then the undeclared ones)."""
        data = {
            key: _plain(value)
            for key, value in vars(self).items()
            if value is not None and key != "_extra"
        }
        data.update(self._extra)
        return data

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(
            (type(self).__name__, orjson.dumps(self.as_dict(), option=orjson.OPT_SORT_KEYS))
        )

    def __repr__(self) -> str:
        shown = [
            f"{key}={value!r}"
            for key, value in vars(self).items()
            if value is not None and key != "_extra"
        ]
        if self._extra:
            shown.append(f"_extra={dict(self._extra)!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value

"""The base every generated model class derives from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Model:
    """Keeps the fields of a message that the spec does not declare.

    The service adds fields over time; a consumer that parses and writes back
    a message must not lose them, so ``to_dict`` puts them back.
    """

    _extra: Mapping[str, Any] = field(default_factory=dict, repr=False)

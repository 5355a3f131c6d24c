"""Small helpers to turn stored rows into the domain's input records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def to_data(cls: type[T], row: Mapping, **overrides: object) -> T:
    """Build ``cls`` from the row's columns of the same names; NULL text becomes ''."""
    values = {}
    for name, spec in cls.__dataclass_fields__.items():  # type: ignore[attr-defined]
        if name in overrides:
            values[name] = overrides[name]
        elif name in row:
            value = row[name]
            values[name] = "" if value is None and spec.type in ("str", str) else value
    return cls(**values)

"""Errors the core raises, each carrying a sentence a user understands."""

from __future__ import annotations

from dataclasses import dataclass, field


class TaskforceError(Exception):
    """Base of every error shown to a user as is (no traceback)."""


class NotFound(TaskforceError):
    pass


class Conflict(TaskforceError):
    """The change would break a uniqueness or reference rule."""


class SchemaError(TaskforceError):
    """The database file cannot be used by this version of the app."""


@dataclass
class FieldError:
    field: str
    message: str


@dataclass
class ValidationFailed(TaskforceError):
    """One or more fields are wrong; each message belongs next to its field."""

    errors: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "; ".join(e.message for e in self.errors)

    def for_field(self, name: str) -> str | None:
        return next((e.message for e in self.errors if e.field == name), None)

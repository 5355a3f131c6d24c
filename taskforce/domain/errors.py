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


class DatabaseInUse(TaskforceError):
    """Another copy of Taskforce has the file open for writing; ``holder`` says who
    (a ``store.lock.Holder``, or None when the lock file does not say)."""

    def __init__(self, message: str, holder: object = None) -> None:
        super().__init__(message)
        self.holder = holder


class ReadOnlyDatabase(TaskforceError):
    """A change was tried on a file opened read-only; nothing was written."""


class PassphraseRequired(TaskforceError):
    """The file is encrypted (SQLCipher) and no passphrase was given."""


class WrongPassphrase(TaskforceError):
    """The passphrase does not open the encrypted file (the attempt was counted)."""


class TooManyAttempts(TaskforceError):
    """Too many wrong passphrases in a row: the file refuses every attempt until ``until``
    (a local ``datetime``) without trying the passphrase (CJIS AC-7)."""

    def __init__(self, message: str, until: object = None) -> None:
        super().__init__(message)
        self.until = until


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

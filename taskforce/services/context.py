"""Who is acting, on which database, and what day it is: passed to every service."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window imports this module before the database layer is loaded
    from taskforce.store.database import Database


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers, services)
        return "unknown"


@dataclass(frozen=True)
class Actor:
    os_user: str
    app_user: str

    @classmethod
    def current(cls, app_user: str | None = None) -> "Actor":
        user = os_user()
        return cls(os_user=user, app_user=(app_user or "").strip() or user)


@dataclass
class Context:
    db: "Database"
    actor: Actor
    # the clock is injected so dated rules (expiries, overdue) are testable on fixed days
    today: Callable[[], date] = field(default=date.today)


@dataclass(frozen=True)
class Change:
    """What a service touched: which kinds of record, and the record it created or edited.

    Views refresh only when a kind they show is in ``kinds`` (no "reload everything").
    """

    kinds: frozenset[str]
    id: int | None = None

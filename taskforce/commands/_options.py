"""Options several workflow commands share: the day a view is computed for, and a row limit.
(Leading underscore: a helper, not a command module.)"""

from __future__ import annotations

from datetime import date

from taskforce.domain.errors import TaskforceError


def parse_day(value: str | None, option: str = "--as-of") -> date | None:
    """A YYYY-MM-DD option, or None when absent; one clear sentence for anything else."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TaskforceError(f"{option} must be a date written YYYY-MM-DD, e.g. 2026-12-15; got '{value}'.") from None


def as_of(value: str | None, ctx) -> date:  # noqa: ANN001 - a services Context
    """The --as-of day, or the context's today."""
    return parse_day(value) or ctx.today()


def check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 1:
        raise TaskforceError("--limit must be at least 1.")
    return limit

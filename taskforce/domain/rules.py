"""Pure rules about the core records: no database, no clock (today is always passed in)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from taskforce.domain.designations import WARNING_DAYS

# DOMAIN.md rule 7: the roster warns ahead of expiry; 90 days is the outer warning window.
EXPIRY_WARNING_DAYS = max(WARNING_DAYS)
DHS_REF_KEY = "dhs"


def agreement_in_force(effective: date | None, expires: date | None, today: date) -> bool:
    """An agreement is in force from its effective date up to and including its expiry."""
    if effective is not None and effective > today:
        return False
    return expires is None or expires >= today


def is_dhs_component(ancestor_ref_keys: Iterable[str | None]) -> bool:
    """DHS components are not third parties to one another (001 Third Party Rule).

    Derived from the nesting: an agency is a DHS component when DHS is among its ancestors
    (the department itself counts, since its own records stay within DHS).
    """
    return DHS_REF_KEY in set(ancestor_ref_keys)


_NUMBER_TAIL = re.compile(r"^(?P<prefix>.*?)-(?P<year>\d{4})-(?P<seq>\d+)$")
_WORDS = re.compile(r"[A-Za-z0-9]+")


def case_number_prefix(task_force_name: str, kind_label: str) -> str:
    """A prefix for a task force without cases: the kind and the first place name, e.g. BEST-SEA."""
    words = [w for w in _WORDS.findall(task_force_name) if w.upper() != kind_label.upper()]
    kind = re.sub(r"[^A-Z0-9]", "", kind_label.upper())[:6] or "TF"
    return f"{kind}-{words[0][:3].upper()}" if words else kind


def suggest_case_number(existing: Sequence[str], fallback_prefix: str, year: int) -> str:
    """Next number in the task force's own pattern, ``PREFIX-YEAR-NNNN``.

    The prefix comes from the task force's most recent numbers in that pattern; the sequence
    restarts each year. Numbers in other formats are left alone (the format is free).
    """
    prefix = fallback_prefix
    width = 4
    highest = 0
    for number in existing:
        match = _NUMBER_TAIL.match(number.strip())
        if not match:
            continue
        prefix = match["prefix"]
        width = max(width, len(match["seq"]))
        if int(match["year"]) == year:
            highest = max(highest, int(match["seq"]))
    candidate = f"{prefix}-{year}-{highest + 1:0{width}d}"
    taken = set(existing)
    while candidate in taken:  # a hand-typed number may already sit above the highest
        highest += 1
        candidate = f"{prefix}-{year}-{highest + 1:0{width}d}"
    return candidate


def normalize_name(name: str) -> str:
    """Lower-case, single-spaced, punctuation-free: how names are compared across cases."""
    return " ".join(_WORDS.findall(name.lower()))

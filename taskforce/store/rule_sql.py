"""SQL twins of the domain's pure rules, for lists and counts that must stay in the database
(a home screen over 100,000 records cannot load them into Python). Each names the function it
mirrors; tests/test_rule_sql.py holds the two equal on generated data.
"""

from __future__ import annotations

from taskforce.domain.designations import WARNING_DAYS


def _later_sql(t: str) -> str:
    """The member's other designations of the same authority that last longer than ``t``."""
    return (f"SELECT 1 FROM designation n WHERE n.member_id = {t}.member_id AND n.authority = {t}.authority "
            f"AND n.id <> {t}.id AND (n.expires IS NULL OR n.expires > {t}.expires)")


def status_sql(t: str, day: str = ":today") -> str:
    """SQL for ``domain.designations.designation_status`` (rule 7): 'pending', 'active',
    'expiring', 'renewed' or 'expired' as of ``day``. The roster, the home screen and the lists
    all ask this, so they agree; tests/test_rule_sql.py holds it equal to the Python."""
    later = _later_sql(t)
    return (f"CASE WHEN {t}.effective > {day} THEN 'pending' "
            f"WHEN {t}.expires IS NULL THEN 'active' "
            f"WHEN {t}.expires < {day} THEN CASE WHEN EXISTS ({later} AND n.effective <= {day}) "
            "THEN 'renewed' ELSE 'expired' END "
            f"WHEN {t}.expires <= date({day}, '+{max(WARNING_DAYS)} days') THEN "
            f"CASE WHEN EXISTS ({later} AND n.effective <= date({t}.expires, '+1 day')) "
            "THEN 'renewed' ELSE 'expiring' END "
            "ELSE 'active' END")


def renewal_sql(t: str) -> str:
    """When the next designation of ``t``'s authority takes effect after a lapse (NULL: none
    recorded, or one takes over the day after): ``domain.designations.lapse_after``'s end + 1."""
    later = _later_sql(t)
    return (f"(CASE WHEN {t}.expires IS NULL OR EXISTS ({later} AND n.effective <= date({t}.expires, '+1 day')) "
            f"THEN NULL ELSE ({later.replace('SELECT 1', 'SELECT min(n.effective)', 1)}) END)")

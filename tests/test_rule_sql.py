"""Rules written twice, once as a pure function (domain/) and once as SQL (store/rule_sql.py),
give the same answer on generated data: the home screen, the roster and the lists count in
SQL what the record windows decide in Python."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from taskforce.domain.designations import designation_status, lapse_after
from taskforce.domain.enums import DesignationStatus
from taskforce.store.rule_sql import renewal_sql, status_sql

from tests import factories as f

BASE = date(2026, 1, 1)
# days around the warning window's edges matter most: draw offsets, not arbitrary dates
day = st.integers(min_value=-200, max_value=400).map(lambda n: BASE + timedelta(days=n))
designation = st.tuples(day, st.one_of(st.none(), st.integers(min_value=0, max_value=500))).map(
    lambda t: (t[0], None if t[1] is None else t[0] + timedelta(days=t[1])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(designations=st.lists(designation, min_size=1, max_size=4), as_of=day)
def test_designation_status_and_renewal_are_the_same_in_sql_and_python(ctx, designations, as_of):
    member, ice = _member(ctx)
    with ctx.db.engine.connect() as conn:
        tx = conn.begin()
        ids = []
        for effective, expires in designations:
            ids.append(conn.execute(text(
                "INSERT INTO designation (member_id, authority, granting_agency_id, effective, expires) "
                "VALUES (:m, 'title19', :g, :e, :x) RETURNING id"),
                {"m": member, "g": ice, "e": effective, "x": expires}).scalar_one())
        rows = dict(conn.execute(text(
            f"SELECT t.id, {status_sql('t')} || '|' || coalesce({renewal_sql('t')}, '') FROM designation t "
            "WHERE t.member_id = :m"), {"m": member, "today": as_of.isoformat()}).all())
        tx.rollback()
    for i, (effective, expires) in enumerate(designations):
        others = designations[:i] + designations[i + 1:]
        status, renewal = rows[ids[i]].split("|")
        assert DesignationStatus(status) is designation_status(effective, expires, others, as_of)
        lapse = lapse_after(expires, others)
        expected = lapse.ends + timedelta(days=1) if lapse and lapse.ends else None
        assert (date.fromisoformat(renewal) if renewal else None) == expected


_MEMBER: dict[int, tuple[int, int]] = {}


def _member(ctx) -> tuple[int, int]:
    """One member per database (hypothesis reuses the test's database for its examples)."""
    key = id(ctx.db)
    if key not in _MEMBER:
        ice = f.ref_agency(ctx, "ice")
        _MEMBER[key] = (f.member(ctx, "Ortiz", "Lena", ice), ice)
    return _MEMBER[key]

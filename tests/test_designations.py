"""Rule 7: designations expire; the roster warns at 90, 60 and 30 days."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from taskforce.domain.assistance import AssistanceRequestData
from taskforce.domain.designations import WarningBand, counts_on, days_left, expiry_text, warning_band
from taskforce.services import assistance, lists, roster
from taskforce.services.context import Context

from tests import factories as f
from tests import factories_assist as fa

EXPIRES = date(2027, 1, 14)


# --- the rule, pure -------------------------------------------------------------------------

@pytest.mark.parametrize("as_of, band", [
    (date(2026, 10, 15), None),  # 91 days left
    (date(2026, 10, 16), WarningBand.DAYS_90),  # S7: 90 days
    (date(2026, 11, 14), WarningBand.DAYS_90),  # 61 days
    (date(2026, 11, 15), WarningBand.DAYS_60),  # 60 days
    (date(2026, 12, 14), WarningBand.DAYS_60),  # 31 days left
    (date(2026, 12, 15), WarningBand.DAYS_30),  # S7: 30 days
    (date(2027, 1, 14), WarningBand.DAYS_30),  # the last day it counts
    (date(2027, 1, 15), WarningBand.EXPIRED),  # S7: the day after
])
def test_warning_band(as_of, band):
    assert warning_band(EXPIRES, as_of) is band


def test_band_edges_and_texts():
    assert days_left(EXPIRES, date(2026, 10, 16)) == 90
    assert warning_band(None, date(2026, 10, 16)) is None
    assert expiry_text(EXPIRES, date(2026, 10, 16)) == "expires in 90 days"
    assert expiry_text(EXPIRES, date(2026, 12, 15)) == "expires in 30 days"
    assert expiry_text(EXPIRES, EXPIRES) == "expires today"
    assert expiry_text(EXPIRES, date(2027, 1, 15)) == "expired on 2027-01-14"
    assert expiry_text(None, EXPIRES) == "no expiry stated"
    assert WarningBand.EXPIRED.flag == "overdue" and WarningBand.DAYS_30.flag == "warning"


def test_counts_on():
    assert counts_on(date(2025, 1, 15), EXPIRES, date(2025, 1, 15))
    assert counts_on(date(2025, 1, 15), EXPIRES, EXPIRES)
    assert not counts_on(date(2025, 1, 15), EXPIRES, EXPIRES + timedelta(days=1))
    assert not counts_on(date(2025, 1, 15), EXPIRES, date(2025, 1, 14))
    assert counts_on(date(2025, 1, 15), None, date(2040, 1, 1))


def test_sql_band_matches_the_rule_every_day(ctx):
    """The roster's SQL band and the pure rule agree on every day around the edges."""
    wsp = fa.wsp(ctx)
    ashby = f.member(ctx, "Ashby", "Greg", wsp)
    fa.designation(ctx, ashby, "title21", date(2025, 1, 15), EXPIRES, granting="dea")
    day = date(2026, 9, 1)
    while day <= date(2027, 2, 1):
        (row,) = roster.roster(ctx, day)
        assert row.band is warning_band(EXPIRES, day)
        as_ctx = Context(ctx.db, ctx.actor, today=lambda d=day: d)
        ids = lists.list_ids(as_ctx, roster.DESIGNATIONS, lists.Query(filters=(("band", row.band.value),))) \
            if row.band else []
        assert ids == ([row.id] if row.band else [])
        day += timedelta(days=1)


# --- S7 through the services ----------------------------------------------------------------

def _ashby(ctx):
    wsp = fa.wsp(ctx)
    ashby = f.member(ctx, "Ashby", "Greg", wsp)
    return ashby, fa.designation(ctx, ashby, "title21", date(2025, 1, 15), EXPIRES, granting="dea")


def test_s7_roster_warns_at_90_and_30_days_then_expired(ctx):
    ashby, designation_id = _ashby(ctx)
    (row,) = roster.roster(ctx, date(2026, 10, 16))
    assert (row.member, row.authority, row.band, row.expiry_text) == (
        "Ashby, Greg", "title21", WarningBand.DAYS_90, "expires in 90 days")
    assert row.home_agency.startswith("WSP") and row.granting_agency.startswith("DEA")
    (row,) = roster.roster(ctx, date(2026, 12, 15))
    assert (row.band, row.expiry_text) == (WarningBand.DAYS_30, "expires in 30 days")
    (row,) = roster.roster(ctx, date(2027, 1, 15))
    assert row.band is WarningBand.EXPIRED and row.expiry_text == "expired on 2027-01-14"
    # and it no longer counts for any check
    assert roster.active_designation(ctx, ashby, "title21", date(2027, 1, 14)).id == designation_id
    assert roster.active_designation(ctx, ashby, "title21", date(2027, 1, 15)) is None
    detail = roster.get_designation(ctx, designation_id, date(2027, 1, 15))
    assert not detail.counts and detail.band is WarningBand.EXPIRED
    assert roster.get_designation(ctx, designation_id, date(2026, 12, 15)).counts


def test_s7_designations_list_status_with_today(ctx, db):
    _member, designation_id = _ashby(ctx)
    spec = roster.DESIGNATIONS
    assert spec.name == "designations" and spec.entity == "designation"
    status_col = [c.key for c in spec.columns].index("status")
    for day, text in [(date(2026, 10, 15), "Active"), (date(2026, 10, 16), "Expires ≤ 90 days"),
                      (date(2026, 12, 15), "Expires ≤ 30 days"), (date(2027, 1, 15), "Expired")]:
        as_ctx = Context(db, ctx.actor, today=lambda d=day: d)
        assert lists.list_rows(as_ctx, spec, [designation_id])[designation_id][status_col] == text


def test_roster_order_warnings_and_renewals(ctx):
    wsp = fa.wsp(ctx)
    a = f.member(ctx, "Ashby", "Greg", wsp)
    b = f.member(ctx, "Baker", "Ines", wsp)
    old = fa.designation(ctx, a, "title19", date(2024, 1, 1), date(2026, 11, 1))
    renewal = fa.designation(ctx, a, "title19", date(2026, 11, 1), date(2028, 11, 1))
    soon = fa.designation(ctx, b, "title21", date(2025, 1, 1), date(2026, 12, 1), granting="dea")
    lapsed = fa.designation(ctx, b, "sdusm", date(2025, 1, 1), date(2026, 11, 20), granting="usms")
    open_ended = fa.designation(ctx, b, "sdusm", date(2026, 1, 1), None, granting="usms")
    everything = roster.roster(ctx, date(2026, 11, 23))
    assert [r.id for r in everything] == [old, lapsed, soon, renewal, open_ended]
    assert [r.status.value for r in everything] == ["renewed", "renewed", "expiring", "active", "active"]
    # warnings: the lapsed SDUSM deputation is superseded by the open-ended one, the old
    # Title 19 by its renewal; only the Title 21 expiring in 8 days needs anyone to act
    assert [r.id for r in roster.roster(ctx, date(2026, 11, 23), warnings_only=True)] == [soon]
    assert len(roster.roster(ctx, date(2026, 11, 23), limit=2)) == 2


def test_active_designation_inside_a_transaction(ctx):
    from taskforce.services.tx import read

    ashby, designation_id = _ashby(ctx)
    with read(ctx) as conn:
        found = roster.active_designation(conn, ashby, "title21", date(2026, 6, 1))
    assert found.id == designation_id and found.expires == EXPIRES
    assert roster.active_designation(ctx, ashby, "title21", date(2025, 1, 14)) is None  # not yet effective
    assert roster.active_designation(ctx, ashby, "287g", date(2026, 6, 1)) is None


# --- the CLI --------------------------------------------------------------------------------

def _cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_roster(ctx, db_path):
    _ashby(ctx)
    out = _cli("--db", db_path, "roster", "--as-of", "2026-10-16")
    assert out.returncode == 0, out.stderr
    assert "expires in 90 days" in out.stdout and "Ashby, Greg" in out.stdout
    data = json.loads(_cli("--db", db_path, "roster", "--as-of", "2026-12-15", "--json").stdout)
    assert [(d["band"], d["days_left"]) for d in data] == [("30", 30)]
    data = json.loads(_cli("--db", db_path, "roster", "--as-of", "2027-01-15", "--warnings", "--json").stdout)
    assert data[0]["band"] == "expired" and data[0]["expiry_text"] == "expired on 2027-01-14"
    assert json.loads(_cli("--db", db_path, "roster", "--as-of", "2026-06-01", "--warnings", "--json").stdout) == []
    bad = _cli("--db", db_path, "roster", "--as-of", "15/01/2027")
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_list_specs_sort_and_filter_by_every_column(ctx):
    """Every column of the two sections sorts, and the quick filter runs, as SQL."""
    _member, designation_id = _ashby(ctx)
    request_id = assistance.create_request(ctx, AssistanceRequestData(
        fa.whatcom_sheriff(ctx), date(2026, 5, 4), ("translation",))).id
    for spec, record_id in ((roster.DESIGNATIONS, designation_id), (assistance.ASSISTANCE, request_id)):
        for column in spec.columns:
            for descending in (False, True):
                assert lists.list_ids(ctx, spec, lists.Query(sort=column.key, descending=descending)) == [record_id]
        assert lists.list_ids(ctx, spec, lists.Query(text="zzz-nothing")) == []
        assert lists.count_all(ctx, spec) == 1
        for flt in spec.filters:
            assert lists.filter_options(ctx, flt)

"""Rule 2 (001 Feedback): support opens a feedback obligation on the receiver; overdue by
agency pair; results credited. Pure rules, the services on a real database, story S2, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from taskforce.domain.errors import Conflict, ValidationFailed
from taskforce.domain.feedback import (
    CreditRole, FeedbackData, ObligationStatus, SeizureData, SupportData, days_overdue, days_to_feedback,
    due_soon, feedback_due_on, median, obligation_status, rollup_component,
)
from taskforce.domain.records import TaskForceData
from taskforce.services import feedback, history, lists, task_forces
from taskforce.services.context import Context
from taskforce.store import schema as S
from taskforce.store.queries import agency_ancestors

from tests import factories as f
from tests import factories_feedback as ff

GIVEN, DUE, REPORTED = date(2026, 3, 2), date(2026, 4, 1), date(2026, 4, 5)


def on(ctx: Context, day: date) -> Context:
    """The same database seen on another day."""
    return Context(db=ctx.db, actor=ctx.actor, today=lambda: day)


# --- pure rules -----------------------------------------------------------------------------------

def test_due_date_is_given_plus_interval():
    assert feedback_due_on(GIVEN, 30) == DUE
    assert feedback_due_on(date(2026, 12, 15), 30) == date(2027, 1, 14)


@pytest.mark.parametrize("closed, as_of, status, late", [
    (None, date(2026, 3, 31), ObligationStatus.OPEN, 0),
    (None, DUE, ObligationStatus.OPEN, 0),  # on the due date itself it is not overdue
    (None, date(2026, 4, 2), ObligationStatus.OVERDUE, 1),
    (None, date(2026, 5, 1), ObligationStatus.OVERDUE, 30),
    (REPORTED, date(2026, 4, 10), ObligationStatus.CLOSED, 0),
    (REPORTED, date(2026, 4, 3), ObligationStatus.OVERDUE, 2),  # as of a day before the feedback came
])
def test_obligation_status_and_days_overdue(closed, as_of, status, late):
    assert obligation_status(closed, DUE, as_of) is status
    assert days_overdue(closed, DUE, as_of) == late


def test_due_soon_is_open_within_seven_days_only():
    assert due_soon(None, DUE, date(2026, 3, 25))
    assert not due_soon(None, DUE, date(2026, 3, 24))
    assert not due_soon(None, DUE, date(2026, 4, 2))  # overdue, not "soon"
    assert not due_soon(date(2026, 3, 26), DUE, date(2026, 3, 27))


def test_days_to_feedback_and_median():
    assert days_to_feedback(GIVEN, REPORTED) == 34
    assert median([]) is None
    assert median([34]) == 34
    assert median([40, 10, 20]) == 20
    assert median([10, 20, 40, 50]) == 30


CBP_CHAIN = [(30, None, "CBP OFO Blaine"), (29, None, "CBP OFO Seattle Field Office"),
             (3, "cbp_ofo", "Office of Field Operations"), (2, "cbp", "CBP"), (1, "dhs", "DHS")]


@pytest.mark.parametrize("chain, expected", [
    (CBP_CHAIN, (2, "CBP")),
    ([(31, None, "ICE HSI Seattle"), (7, "ice_hsi", "HSI"), (6, "ice", "ICE"), (1, "dhs", "DHS")], (6, "ICE")),
    ([(2, "cbp", "CBP"), (1, "dhs", "DHS")], (2, "CBP")),
    ([(1, "dhs", "DHS")], (1, "DHS")),  # a department rolls up to itself
    ([(16, "rcmp", "RCMP")], (16, "RCMP")),  # no department above it
    ([(40, None, "Whatcom County Sheriff's Office"), (39, None, "Whatcom County")], (40, "Whatcom County Sheriff's Office")),
    ([(41, None, "DEA Seattle Division"), (12, "dea", "DEA"), (10, "doj", "DOJ")], (12, "DEA")),
])
def test_rollup_component(chain, expected):
    assert rollup_component(chain) == expected


def test_support_data_needs_its_fields_and_two_agencies():
    problems = {e.field for e in SupportData(None, None, None, "", None).validate()}
    assert problems == {"task_force_id", "from_agency_id", "to_agency_id", "kind", "given_on"}
    same = SupportData(1, 5, 5, "information", GIVEN).validate()
    assert [e.field for e in same] == ["to_agency_id"]
    assert SupportData(1, 5, 6, "controlled_delivery", GIVEN).validate() == []
    assert [e.field for e in SupportData(1, 5, 6, "gossip", GIVEN).validate()] == ["kind"]


def test_feedback_data_rules():
    ok = FeedbackData(1, REPORTED, arrests=2, seizures=(SeizureData("cocaine", "14", "kg", 420_000),))
    assert ok.validate() == []
    # 001 Feedback: "no action" is an answer, but it needs its reason
    assert {e.field for e in FeedbackData(1, REPORTED, no_action=True).validate()} == {"no_action_reason"}
    assert FeedbackData(1, REPORTED, no_action=True, no_action_reason="Declined by AUSA").validate() == []
    assert [e.field for e in FeedbackData(1, REPORTED, arrests=1, no_action=True,
                                          no_action_reason="x").validate()] == ["no_action"]
    assert [e.field for e in FeedbackData(1, REPORTED).validate()] == ["no_action"]  # nothing reported
    assert FeedbackData(1, REPORTED, other="Vehicle forfeited").validate() == []
    assert {e.field for e in FeedbackData(1, None, arrests=-1).validate()} >= {"reported_on", "arrests"}
    bad = FeedbackData(1, REPORTED, seizures=(SeizureData("cocaine", "fourteen", "kg"),
                                               SeizureData("", "2", "kg"), SeizureData("cash", "5"),
                                               SeizureData("pills", "", "", "-3")))
    messages = " ".join(e.message for e in bad.validate())
    assert "must be a number" in messages and "commodity is required" in messages
    assert "needs its unit" in messages and "whole number of dollars" in messages
    assert FeedbackData(1, REPORTED, seizures=(SeizureData("cash", "", "", "$12,500"),)).validate() == []


# --- story S2 through the services -----------------------------------------------------------------

@pytest.fixture
def best(ctx):
    return ff.best_seattle(ctx)


@pytest.fixture
def given(ctx, best):
    """S2: 2026-03-02, CBP OFO Blaine gives ICE HSI Seattle information on BEST-SEA-2026-0007."""
    return ff.support(ctx, best.task_force, best.blaine, best.hsi_seattle, GIVEN, best.case_0007,
                      description="Vehicle and driver pattern at Blaine secondary")


def _pair(matrix, giver: str, receiver: str):
    found = [r for r in matrix.rows if (r.from_agency, r.to_agency) == (giver, receiver)]
    assert len(found) == 1, matrix.rows
    return found[0]


def test_s2_obligation_opens_on_the_receiver_due_after_the_interval_and_stays_fixed(ctx, best, given):
    d = feedback.get_support(ctx, given, as_of=date(2026, 3, 2))
    assert (d.from_agency, d.to_agency) == ("CBP OFO Blaine", "ICE HSI Seattle")
    assert d.case_number == "BEST-SEA-2026-0007"
    assert d.feedback_due_on == DUE and d.feedback_closed_on is None
    assert d.status is ObligationStatus.OPEN
    assert d.data.originating_agency_id == best.blaine  # the giver unless another is named
    # the task force changes its interval later: the open obligation keeps its due date
    tf = task_forces.get_task_force(ctx, best.task_force)
    task_forces.update_task_force(ctx, best.task_force, replace(tf.data, feedback_interval_days=45))
    assert feedback.get_support(ctx, given).feedback_due_on == DUE
    later = ff.support(ctx, best.task_force, best.blaine, best.hsi_seattle, GIVEN)
    assert feedback.get_support(ctx, later).feedback_due_on == date(2026, 4, 16)


def test_s2_open_on_the_due_date_then_one_day_overdue_by_pair_and_rolled_up(ctx, best, given):
    on_due = feedback.get_support(ctx, given, as_of=DUE)
    assert on_due.status is ObligationStatus.OPEN and on_due.days_overdue == 0
    pair = _pair(feedback.pair_matrix(ctx, DUE), "CBP OFO Blaine", "ICE HSI Seattle")
    assert (pair.open, pair.overdue) == (1, 0)

    next_day = date(2026, 4, 2)
    late = feedback.get_support(ctx, given, as_of=next_day)
    assert late.status is ObligationStatus.OVERDUE and late.days_overdue == 1
    pair = _pair(feedback.pair_matrix(ctx, next_day), "CBP OFO Blaine", "ICE HSI Seattle")
    assert (pair.given, pair.open, pair.overdue, pair.most_days_overdue) == (1, 1, 1, 1)
    assert pair.median_days is None  # nothing closed yet
    rolled = _pair(feedback.pair_matrix(ctx, next_day, rollup=True), "CBP", "ICE")
    assert (rolled.open, rolled.overdue) == (1, 1)
    assert rolled.from_agency_id == f.ref_agency(ctx, "cbp") and rolled.to_agency_id == f.ref_agency(ctx, "ice")

    owed = feedback.open_obligations(ctx, next_day)
    assert (owed.total, owed.overdue) == (1, 1)
    assert owed.rows[0].id == given and owed.rows[0].days_overdue == 1


def test_s2_feedback_closes_after_34_days_median_34_results_credited_once(ctx, best, given):
    change = feedback.record_feedback(ctx, ff.cocaine_feedback(given))
    assert {"feedback", "seizure", "support"} <= change.kinds
    d = feedback.get_support(ctx, given)
    assert d.feedback_closed_on == REPORTED and d.status is ObligationStatus.CLOSED
    assert d.feedback.days_to_feedback == 34
    assert d.feedback.data.arrests == 2
    assert d.feedback.data.seizures == (SeizureData("cocaine", "14", "kg", 420_000),)

    pair = _pair(feedback.pair_matrix(ctx, REPORTED), "CBP OFO Blaine", "ICE HSI Seattle")
    assert (pair.open, pair.overdue, pair.closed, pair.median_days) == (0, 0, 1, 34)
    assert _pair(feedback.pair_matrix(ctx, REPORTED, rollup=True), "CBP", "ICE").median_days == 34
    # seen as of 04-02 the feedback had not come yet: still 1 day overdue then
    assert _pair(feedback.pair_matrix(ctx, date(2026, 4, 2)), "CBP OFO Blaine", "ICE HSI Seattle").overdue == 1
    assert feedback.open_obligations(ctx, REPORTED).total == 0

    case = feedback.case_support(ctx, best.case_0007)
    assert [(r.id, r.status, r.days_to_feedback) for r in case.rows] == [(given, ObligationStatus.CLOSED, 34)]
    credits = {(c.agency, c.role): c.results for c in case.results.credits}
    assert set(credits) == {("ICE HSI Seattle", CreditRole.ACTING), ("CBP OFO Blaine", CreditRole.CONTRIBUTING)}
    for results in credits.values():
        assert (results.arrests, results.seizures, results.seizure_value_usd) == (2, 1, 420_000)
    assert (case.results.totals.arrests, case.results.totals.seizure_value_usd) == (2, 420_000)
    assert [(c.commodity, c.quantity, c.unit, c.value_usd) for c in case.results.commodities] == [
        ("cocaine", 14.0, "kg", 420_000)]

    totals = feedback.task_force_results(ctx, best.task_force).totals
    assert (totals.feedbacks, totals.arrests, totals.seizures, totals.seizure_value_usd) == (1, 2, 1, 420_000)


def test_s2_no_action_requires_a_reason_and_also_closes_the_obligation(ctx, best, given):
    with pytest.raises(ValidationFailed) as refused:
        feedback.record_feedback(ctx, FeedbackData(given, REPORTED, no_action=True))
    assert refused.value.for_field("no_action_reason")
    assert feedback.get_support(ctx, given).feedback_closed_on is None  # nothing half-written
    feedback.record_feedback(ctx, ff.no_action(given, date(2026, 3, 20)))
    d = feedback.get_support(ctx, given)
    assert d.status is ObligationStatus.CLOSED and d.feedback_closed_on == date(2026, 3, 20)
    assert d.feedback.data.no_action and d.feedback.data.no_action_reason.startswith("Lead already known")
    totals = feedback.case_support(ctx, best.case_0007).results.totals
    assert (totals.feedbacks, totals.no_action, totals.arrests) == (1, 1, 0)


def test_s2_support_list_status_is_computed_with_today(ctx, best, given):
    def status(day: date) -> str:
        ids = lists.list_ids(on(ctx, day), feedback.SUPPORT, lists.Query())
        return lists.list_rows(on(ctx, day), feedback.SUPPORT, ids)[given][-1]

    assert status(DUE) == "open"
    assert status(date(2026, 4, 2)) == "overdue"
    overdue = lists.Query(filters=(("status", "overdue"),))
    assert lists.list_ids(on(ctx, date(2026, 4, 2)), feedback.SUPPORT, overdue) == [given]
    assert lists.list_ids(on(ctx, DUE), feedback.SUPPORT, overdue) == []
    feedback.record_feedback(ctx, ff.cocaine_feedback(given))
    assert status(date(2026, 4, 6)) == "closed"
    row = lists.list_rows(ctx, feedback.SUPPORT, [given])[given]
    assert row[:5] == ("2026-03-02", "CBP OFO Blaine", "ICE HSI Seattle", "BEST-SEA-2026-0007",
                       "Information or intelligence")
    assert lists.list_ids(ctx, feedback.SUPPORT, lists.Query(text="0007")) == [given]
    assert lists.list_ids(ctx, feedback.SUPPORT, lists.Query(text="nothing like it")) == []


# --- the service's other rules -------------------------------------------------------------------

def test_feedback_on_a_closed_support_is_refused(ctx, best, given):
    feedback.record_feedback(ctx, ff.cocaine_feedback(given))
    with pytest.raises(Conflict, match="already recorded"):
        feedback.record_feedback(ctx, ff.no_action(given, date(2026, 4, 6)))
    with ctx.db.engine.connect() as conn:
        assert conn.execute(select(S.feedback.c.id)).all() == [(1,)]


def test_feedback_dates_must_fall_between_the_support_and_today(ctx, best, given):
    with pytest.raises(ValidationFailed) as early:
        feedback.record_feedback(ctx, ff.cocaine_feedback(given, date(2026, 3, 1)))
    assert "before the support was given" in early.value.for_field("reported_on")
    with pytest.raises(ValidationFailed) as future:
        feedback.record_feedback(ctx, ff.cocaine_feedback(given, date(2026, 11, 24)))
    assert "after today" in future.value.for_field("reported_on")
    with pytest.raises(ValidationFailed) as tomorrow:
        ff.support(ctx, best.task_force, best.blaine, best.hsi_seattle, date(2026, 11, 24))
    assert tomorrow.value.for_field("given_on")


def test_a_case_of_another_task_force_is_refused(ctx, best):
    jttf = task_forces.create_task_force(ctx, TaskForceData(
        name="JTTF Seattle", kind="jttf", lead_agency_id=f.ref_agency(ctx, "fbi"))).id
    with pytest.raises(ValidationFailed) as refused:
        ff.support(ctx, jttf, best.blaine, best.hsi_seattle, GIVEN, best.case_0007)
    assert "belongs to BEST Seattle" in refused.value.for_field("case_id")


def test_edit_withdraw_and_correct_keep_the_obligation_consistent(ctx, best, given):
    fb_id = feedback.record_feedback(ctx, ff.cocaine_feedback(given)).id
    corrected = replace(ff.cocaine_feedback(given, date(2026, 4, 7)), indictments=1,
                        seizures=(SeizureData("cocaine", "14.5", "kg", 435_000),))
    feedback.update_feedback(ctx, fb_id, corrected)
    d = feedback.get_support(ctx, given)
    assert d.feedback_closed_on == date(2026, 4, 7) and d.feedback.days_to_feedback == 36
    assert d.feedback.data.seizures == (SeizureData("cocaine", "14.5", "kg", 435_000),)
    # a corrected date given keeps the interval the obligation opened with
    feedback.update_support(ctx, given, replace(d.data, given_on=date(2026, 3, 4)))
    assert feedback.get_support(ctx, given).feedback_due_on == date(2026, 4, 3)
    with pytest.raises(ValidationFailed):  # cannot be given after its feedback came
        feedback.update_support(ctx, given, replace(d.data, given_on=date(2026, 4, 8)))
    # withdrawn feedback reopens the obligation; both are in the support's history
    feedback.remove_feedback(ctx, fb_id)
    d = feedback.get_support(ctx, given)
    assert d.feedback is None and d.feedback_closed_on is None and d.status is ObligationStatus.OVERDUE
    rows = history.history(ctx, "support", given)
    assert {("create", "feedback #1"), ("delete", "feedback #1"), ("delete", "seizure #1")} <= {
        (h.action, h.what) for h in rows}
    assert any(h.field == "feedback_closed_on" and h.old == "2026-04-07" and h.new == "" for h in rows)


def test_caveats_are_kept_and_audited(ctx, best):
    with ctx.db.engine.connect() as conn:
        pnr = conn.execute(select(S.caveat.c.id).where(S.caveat.c.ref_key == "eu_pnr")).scalar_one()
    sid = ff.support(ctx, best.task_force, best.blaine, best.hsi_seattle, GIVEN, caveat_ids=(pnr,),
                     originating_agency_id=best.ofo_seattle)
    d = feedback.get_support(ctx, sid)
    assert d.caveats == ("EU PNR-derived",) and d.data.caveat_ids == (pnr,)
    assert d.originating_agency.endswith("CBP OFO Seattle Field Office")
    assert any(h.field == "caveats" for h in history.history(ctx, "support", sid))


def test_deleting_support_takes_its_feedback_along_audited(ctx, best, given):
    feedback.record_feedback(ctx, ff.cocaine_feedback(given))
    feedback.delete_support(ctx, given)
    with ctx.db.engine.connect() as conn:
        assert conn.execute(select(S.feedback)).all() == [] and conn.execute(select(S.seizure)).all() == []
    actions = {(h.action, h.what) for h in history.history(ctx, "support", given)}
    assert {("delete", "support"), ("delete", "feedback #1"), ("delete", "seizure #1")} <= actions


def test_median_over_many_and_pairs_ordered_overdue_first(ctx, best):
    tf, blaine, hsi, wsp = best.task_force, best.blaine, best.hsi_seattle, best.wsp
    for days in (10, 20, 40, 50):
        sid = ff.support(ctx, tf, blaine, hsi, GIVEN)
        feedback.record_feedback(ctx, ff.no_action(sid, date.fromordinal(GIVEN.toordinal() + days)))
    ff.support(ctx, tf, wsp, hsi, date(2026, 6, 1))  # due 07-01
    ff.support(ctx, tf, wsp, hsi, date(2026, 6, 20))  # due 07-20
    matrix = feedback.pair_matrix(ctx, date(2026, 7, 10))
    assert [(r.from_agency, r.to_agency) for r in matrix.rows] == [("WSP", "ICE HSI Seattle"),
                                                                   ("CBP OFO Blaine", "ICE HSI Seattle")]
    wsp_pair, blaine_pair = matrix.rows
    assert (wsp_pair.given, wsp_pair.open, wsp_pair.overdue, wsp_pair.most_days_overdue) == (2, 2, 1, 9)
    assert (blaine_pair.closed, blaine_pair.median_days) == (4, 30)
    # before any support was given, nothing is counted
    assert feedback.pair_matrix(ctx, date(2026, 3, 1)).rows == ()
    # a task force filter keeps only its own
    assert feedback.pair_matrix(ctx, date(2026, 7, 10), task_force_id=tf + 99).rows == ()


def test_rollup_in_sql_agrees_with_the_rule(ctx, best):
    dea_sea = f.agency(ctx, "DEA Seattle Division", "federal", f.ref_agency(ctx, "dea"))
    county = f.agency(ctx, "Whatcom County", "local")
    deputies = f.agency(ctx, "Whatcom County Sheriff's Office Marine Unit", "local", county)
    agencies = (best.blaine, best.hsi_seattle, best.rcmp, dea_sea, deputies, f.ref_agency(ctx, "dhs"),
                f.ref_agency(ctx, "uscg"))
    for giver, receiver in zip(agencies, agencies[1:]):
        ff.support(ctx, best.task_force, giver, receiver, GIVEN)
    with ctx.db.engine.connect() as conn:
        expected = {a: rollup_component(agency_ancestors(conn, a))[0] for a in agencies}
    rows = feedback.pair_matrix(ctx, GIVEN, rollup=True).rows
    assert {(r.from_agency_id, r.to_agency_id) for r in rows} == {
        (expected[g], expected[r]) for g, r in zip(agencies, agencies[1:])}
    assert expected[best.rcmp] == best.rcmp and expected[deputies] == deputies
    assert expected[dea_sea] == f.ref_agency(ctx, "dea")


def test_results_credited_per_agency_on_a_case_and_once_per_task_force(ctx, best):
    tf, case = best.task_force, best.case_0007
    a = ff.support(ctx, tf, best.blaine, best.hsi_seattle, GIVEN, case)
    b = ff.support(ctx, tf, best.wsp, best.hsi_seattle, GIVEN, case, kind="tactical_support")
    c = ff.support(ctx, tf, best.hsi_seattle, best.blaine, GIVEN, case, kind="referral")
    elsewhere = ff.support(ctx, tf, best.rcmp, best.hsi_seattle, GIVEN)  # not on a case
    feedback.record_feedback(ctx, ff.cocaine_feedback(a))
    feedback.record_feedback(ctx, FeedbackData(b, REPORTED, arrests=1, convictions=1, penalties_usd=5_000,
                                               seizures=(SeizureData("Cocaine", "2", "KG", 60_000),
                                                         SeizureData("currency", "", "", 18_000))))
    feedback.record_feedback(ctx, ff.no_action(c, REPORTED))
    feedback.record_feedback(ctx, FeedbackData(elsewhere, REPORTED, indictments=3))

    results = feedback.case_support(ctx, case).results
    credit = {(x.agency, x.role): x.results for x in results.credits}
    hsi_acting = credit[("ICE HSI Seattle", CreditRole.ACTING)]
    assert (hsi_acting.feedbacks, hsi_acting.arrests, hsi_acting.seizures, hsi_acting.seizure_value_usd) == (
        2, 3, 3, 498_000)
    assert credit[("CBP OFO Blaine", CreditRole.CONTRIBUTING)].arrests == 2
    assert credit[("WSP", CreditRole.CONTRIBUTING)].convictions == 1
    assert credit[("CBP OFO Blaine", CreditRole.ACTING)].no_action == 1
    assert credit[("ICE HSI Seattle", CreditRole.CONTRIBUTING)].no_action == 1
    t = results.totals
    assert (t.feedbacks, t.arrests, t.convictions, t.penalties_usd, t.seizures, t.seizure_value_usd,
            t.indictments) == (3, 3, 1, 5_000, 3, 498_000, 0)
    cocaine = [x for x in results.commodities if x.commodity.lower() == "cocaine"]
    assert len(cocaine) == 1 and (cocaine[0].quantity, cocaine[0].value_usd, cocaine[0].seizures) == (16, 480_000, 2)

    tf_totals = feedback.task_force_results(ctx, tf).totals
    assert (tf_totals.feedbacks, tf_totals.arrests, tf_totals.indictments) == (4, 3, 3)
    assert "3 arrests" in tf_totals.summary() and "seized value $498,000" in tf_totals.summary()


# --- the command line --------------------------------------------------------------------------------

def taskforce(db_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    return subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_feedback_matrix_and_open(ctx, db_path, best, given):
    late = taskforce(db_path, "feedback", "matrix", "--as-of", "2026-04-02")
    assert late.returncode == 0, late.stderr
    assert "as of 2026-04-02" in late.stdout
    line = next(x for x in late.stdout.splitlines() if x.startswith("CBP OFO Blaine"))
    # given 1, open 1, overdue 1, most late "1 d", no median yet
    assert "ICE HSI Seattle" in line and line.split()[-6:] == ["1", "1", "1", "1", "d", "–"]
    rolled = json.loads(taskforce(db_path, "feedback", "matrix", "--as-of", "2026-04-02", "--rollup", "--json").stdout)
    assert rolled["rollup"] is True
    assert [(p["from_agency"], p["to_agency"], p["open"], p["overdue"]) for p in rolled["pairs"]] == [
        ("CBP", "ICE", 1, 1)]
    on_due = json.loads(taskforce(db_path, "feedback", "open", "--as-of", "2026-04-01", "--json").stdout)
    assert (on_due["total"], on_due["overdue"]) == (1, 0)
    owed = taskforce(db_path, "feedback", "open", "--as-of", "2026-04-02")
    assert "1 (1 overdue)" in owed.stdout and "overdue 1 day " in owed.stdout
    assert "ICE HSI Seattle owes CBP OFO Blaine" in owed.stdout

    feedback.record_feedback(ctx, ff.cocaine_feedback(given))
    closed = json.loads(taskforce(db_path, "feedback", "matrix", "--as-of", "2026-04-05", "--json").stdout)
    assert closed["pairs"][0]["median_days"] == 34 and closed["pairs"][0]["open"] == 0
    none_open = taskforce(db_path, "feedback", "open", "--as-of", "2026-04-05", "--json")
    assert json.loads(none_open.stdout)["obligations"] == []


def test_cli_feedback_errors_are_one_line(db_path):
    bad = taskforce(db_path, "feedback", "matrix", "--as-of", "04/02/2026")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == ["taskforce: --as-of must be a date written YYYY-MM-DD, "
                                               "e.g. 2026-12-15; got '04/02/2026'."]
    missing = taskforce(db_path, "feedback")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    empty = taskforce(db_path, "feedback", "matrix")
    assert empty.returncode == 0 and "No support recorded" in empty.stdout

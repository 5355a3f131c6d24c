"""The rule queries of services/feedback.py (rule 2) answer every field as the rule says, on a
real database (issue 10 §4: the survivors of `make mutate MUTATE_SERVICES=1`, killed;
docs/mutation.md lists what is left and why)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from taskforce.domain.errors import FieldError, ValidationFailed
from taskforce.domain.feedback import CreditRole, FeedbackData, ObligationStatus, SeizureData, SupportData
from taskforce.domain.referrals import ReferralData
from taskforce.services import feedback, history, referrals

from tests import factories as f
from tests import factories_wg as wgf
from tests.factories_debriefs import best_world


def test_an_obligation_is_closed_on_the_day_its_feedback_comes_and_open_the_day_before(ctx):
    w = best_world(ctx)
    sid = feedback.record_support(ctx, SupportData(w.tf, w.blaine, w.hsi_seattle, "information", date(2026, 3, 2),
                                                   case_id=w.case7)).id
    feedback.record_feedback(ctx, FeedbackData(sid, date(2026, 4, 5), arrests=2,
                                               seizures=(SeizureData("cocaine", "14", "kg", 420_000),)))
    (row,) = feedback.case_support(ctx, w.case7, date(2026, 4, 5)).rows
    assert (row.id, row.given_on, row.from_agency, row.to_agency, row.kind, row.case_number, row.feedback_due_on,
            row.feedback_closed_on, row.status, row.days_overdue, row.days_to_feedback, row.due_soon) == (
        sid, date(2026, 3, 2), "OFO Blaine", "HSI SEA", "Information or intelligence", "BEST-SEA-2026-0007",
        date(2026, 4, 1), date(2026, 4, 5), ObligationStatus.CLOSED, 0, 34, False)
    (row,) = feedback.case_support(ctx, w.case7, date(2026, 4, 4)).rows  # as it stood the day before
    assert (row.feedback_closed_on, row.status, row.days_overdue, row.days_to_feedback, row.due_soon) == (
        None, ObligationStatus.OVERDUE, 3, None, False)
    (row,) = feedback.case_support(ctx, w.case7, date(2026, 3, 30)).rows
    assert (row.status, row.days_overdue, row.due_soon) == (ObligationStatus.OPEN, 0, True)
    seen = feedback.case_support(ctx, w.case7, date(2026, 4, 5))
    assert (seen.case_id, seen.task_force_id, seen.as_of) == (w.case7, w.tf, date(2026, 4, 5))
    detail = feedback.get_support(ctx, sid, date(2026, 4, 10))
    assert (detail.id, detail.as_of, detail.task_force, detail.case_number, detail.from_agency, detail.to_agency,
            detail.originating_agency, detail.status, detail.days_overdue) == (
        sid, date(2026, 4, 10), "BEST Seattle", "BEST-SEA-2026-0007", "OFO Blaine — CBP OFO Blaine",
        "HSI SEA — ICE HSI Seattle", "OFO Blaine — CBP OFO Blaine", ObligationStatus.CLOSED, 0)
    assert (detail.feedback.id, detail.feedback.days_to_feedback) == (1, 34)
    assert [s.commodity for s in detail.feedback.data.seizures] == ["cocaine"]
    opened = feedback.open_obligations(ctx, date(2026, 4, 4))
    assert (opened.as_of, opened.total, opened.overdue, [r.id for r in opened.rows]) == (date(2026, 4, 4), 1, 1, [sid])
    matrix = feedback.pair_matrix(ctx, date(2026, 4, 5), rollup=True)
    assert (matrix.as_of, matrix.rollup) == (date(2026, 4, 5), True)
    # the seizure is in the support's history, as its feedback is
    assert any(h.what == "seizure #1" and h.action == "create" for h in history.history(ctx, "support", sid))


def test_feedback_may_come_the_day_the_support_was_given_and_a_correction_may_not_date_it_after(ctx):
    w = best_world(ctx)
    data = SupportData(w.tf, w.blaine, w.hsi_seattle, "information", date(2026, 3, 2), case_id=w.case7)
    sid = feedback.record_support(ctx, data).id
    with pytest.raises(ValidationFailed) as err:
        feedback.record_feedback(ctx, FeedbackData(sid, date(2026, 3, 1), arrests=1))
    assert [e.field for e in err.value.errors] == ["reported_on"]
    feedback.record_feedback(ctx, FeedbackData(sid, date(2026, 3, 2), arrests=1))  # the same day
    feedback.update_support(ctx, sid, replace(data, given_on=date(2026, 3, 1)))
    feedback.update_support(ctx, sid, replace(data, given_on=date(2026, 3, 2)))  # the feedback's own day
    with pytest.raises(ValidationFailed) as err:
        feedback.update_support(ctx, sid, replace(data, given_on=date(2026, 3, 3)))
    assert [(e.field, e.message) for e in err.value.errors] == [
        ("given_on", "Feedback was reported on 2026-03-02; the support cannot be dated after that.")]


def test_support_opened_by_an_accepted_referral_keeps_its_source_fields(ctx):
    w = best_world(ctx)
    referral = referrals.create_referral(ctx, ReferralData(w.case12, w.blaine, w.hsi_seattle, date(2026, 2, 11))).id
    referrals.accept_referral(ctx, referral, date(2026, 2, 20))
    (row,) = feedback.case_support(ctx, w.case12, date(2026, 2, 20)).rows
    data = feedback.get_support(ctx, row.id).data
    feedback.update_support(ctx, row.id, replace(data, description="the Title 8 file"))  # not a source field
    refusal = "This obligation was opened by an accepted referral; it stays with that decision."
    with pytest.raises(ValidationFailed) as err:
        feedback.update_support(ctx, row.id, replace(data, kind="information", given_on=date(2026, 2, 21)))
    assert err.value.errors == [FieldError("kind", refusal), FieldError("given_on", refusal)]


def test_results_are_credited_to_each_agency_by_role_and_said_in_words(ctx):
    w = best_world(ctx)
    sid = feedback.record_support(ctx, SupportData(w.tf, w.blaine, w.hsi_seattle, "information", date(2026, 3, 2),
                                                   case_id=w.case7)).id
    feedback.record_feedback(ctx, FeedbackData(sid, date(2026, 4, 5), arrests=1, indictments=2, prosecutions=1,
                                               convictions=3, penalties_usd=5_000, seizures=(
        SeizureData("cocaine", "14", "kg", 420_000), SeizureData("Cocaine ", "2.5", "KG", 80_000),
        SeizureData("cash", "", "", 0))))
    results = feedback.case_support(ctx, w.case7).results
    assert [(c.agency_id, c.agency, c.role) for c in results.credits] == [
        (w.hsi_seattle, "HSI SEA", CreditRole.ACTING), (w.blaine, "OFO Blaine", CreditRole.CONTRIBUTING)]
    # each role by agency name (RCMP, a reference agency, has the smaller id)
    rcmp = feedback.record_support(ctx, SupportData(w.tf, w.rcmp, w.hsi_seattle, "information", date(2026, 3, 5),
                                                    case_id=w.case7)).id
    feedback.record_feedback(ctx, FeedbackData(rcmp, date(2026, 4, 6), arrests=1))
    assert [(c.agency, c.role, c.results.feedbacks) for c in feedback.case_support(ctx, w.case7).results.credits] == [
        ("HSI SEA", CreditRole.ACTING, 2), ("OFO Blaine", CreditRole.CONTRIBUTING, 1),
        ("RCMP", CreditRole.CONTRIBUTING, 1)]
    assert results.totals.summary() == (
        "1 arrest, 2 indictments, 1 prosecution, 3 convictions, 3 seizures, seized value $500,000, penalties $5,000")
    assert [(c.commodity, c.unit, c.quantity, c.value_usd, c.seizures) for c in results.commodities] == [
        ("Cocaine", "KG", 16.5, 500_000, 2), ("cash", "", 0.0, 0, 1)]
    assert feedback.Results().summary() == "no results"
    assert feedback.Results(feedbacks=2, no_action=2).summary() == "2 no action"
    assert feedback.case_task_force(ctx, w.case7) == w.tf and feedback.case_task_force(ctx, w.case12) == w.tf


def _support_history(ctx, sid: int) -> list[tuple[str, str, str]]:
    return [(h.action, h.what, h.field) for h in history.history(ctx, "support", sid)]


def test_a_correction_rewrites_seizures_only_when_they_change_and_audits_under_the_support(ctx):
    w = best_world(ctx)
    sid = feedback.record_support(ctx, SupportData(w.tf, w.blaine, w.hsi_seattle, "information", date(2026, 3, 2))).id
    data = FeedbackData(sid, date(2026, 4, 5), arrests=2, no_action_reason="typed, then unticked",
                        seizures=(SeizureData("cocaine", "14", "kg", 420_000), SeizureData("cash", "", "", 9_000)))
    fid = feedback.record_feedback(ctx, data).id
    stored = feedback.get_support(ctx, sid).feedback.data
    assert (stored.no_action_reason, [(s.quantity, s.unit) for s in stored.seizures]) == ("", [("14", "kg"), ("", "")])
    before = _support_history(ctx, sid)
    assert feedback.update_feedback(ctx, fid, replace(data, reported_by="SA Quill")).id == fid
    changed = _support_history(ctx, sid)[:-len(before)]  # newest first
    assert ("update", f"feedback #{fid}", "reported_by") in changed
    assert not any("seizure" in what for _action, what, _field in changed)  # unchanged: not rewritten
    so_far = _support_history(ctx, sid)
    feedback.update_feedback(ctx, fid, replace(data, seizures=(SeizureData("cocaine", "15", "kg", 450_000),)))
    rewritten = {(a, w_) for a, w_, _f in _support_history(ctx, sid)[:-len(so_far)]}
    assert {("delete", "seizure #1"), ("delete", "seizure #2"), ("create", "seizure #1")} <= rewritten
    # a correction names the feedback's own support, whatever the form sent
    other = feedback.record_support(ctx, SupportData(w.tf, w.wsp, w.hsi_seattle, "information",
                                                     date(2026, 3, 2))).id
    feedback.update_feedback(ctx, fid, replace(data, support_id=other))
    assert feedback.get_support(ctx, sid).feedback.id == fid and feedback.get_support(ctx, other).feedback is None
    assert feedback.remove_feedback(ctx, fid).id == fid
    assert feedback.delete_support(ctx, other).id == other


def test_dates_and_caveats_of_support_and_feedback_are_said_and_kept(ctx):
    from tests.factories_release import eu_pnr

    w = best_world(ctx)
    data = SupportData(w.tf, w.blaine, w.hsi_seattle, "information", date(2026, 3, 2))
    with pytest.raises(ValidationFailed) as err:
        feedback.record_support(ctx, replace(data, given_on=date(2026, 11, 24)))
    assert [(e.field, e.message) for e in err.value.errors] == [
        ("given_on", "Date given cannot be after today (2026-11-23).")]
    sid = feedback.record_support(ctx, data).id
    with pytest.raises(ValidationFailed) as err:
        feedback.record_feedback(ctx, FeedbackData(sid, date(2026, 11, 24), arrests=1))
    assert [(e.field, e.message) for e in err.value.errors] == [
        ("reported_on", "Reported on cannot be after today (2026-11-23).")]
    pnr = eu_pnr(ctx)
    assert feedback.update_support(ctx, sid, replace(data, caveat_ids=(pnr,))).id == sid
    assert feedback.get_support(ctx, sid).caveats == ("EU PNR-derived",)
    assert _support_history(ctx, sid)[0] == ("update", "support", "caveats")
    assert feedback.get_support(ctx, sid).case_number == ""  # given on no case


def test_an_obligation_due_soon_is_not_due_once_its_feedback_came(ctx):
    w = best_world(ctx)
    sid = feedback.record_support(ctx, SupportData(w.tf, w.blaine, w.hsi_seattle, "information", date(2026, 3, 2),
                                                   case_id=w.case7)).id
    feedback.record_feedback(ctx, FeedbackData(sid, date(2026, 3, 28), arrests=1))
    (row,) = feedback.case_support(ctx, w.case7, date(2026, 3, 30)).rows  # due 04-01, two days on
    assert (row.status, row.due_soon) == (ObligationStatus.CLOSED, False)
    (row,) = feedback.case_support(ctx, w.case7, date(2026, 3, 27)).rows
    assert (row.status, row.due_soon) == (ObligationStatus.OPEN, True)
    other_tf = wgf.working_group(ctx, w.hsi_seattle)
    assert feedback.case_task_force(ctx, f.case(ctx, other_tf, "WG-2026-0001", "Port list")) == other_tf


def test_support_opened_by_a_controlled_delivery_follows_it(ctx):
    from taskforce.domain.case_events import CaseEventData
    from taskforce.services import case_events

    w = best_world(ctx)
    case_events.add_event(ctx, CaseEventData(w.case7, "controlled_delivery", date(2026, 6, 15),
                                             lead_agency_id=w.hsi_seattle, agency_ids=(w.blaine,)))
    (row,) = feedback.case_support(ctx, w.case7).rows
    data = feedback.get_support(ctx, row.id).data
    with pytest.raises(ValidationFailed) as err:
        feedback.update_support(ctx, row.id, replace(data, to_agency_id=w.wsp))
    assert err.value.errors == [FieldError("to_agency_id", (
        "This obligation follows its controlled delivery; change or remove the delivery on the case's Timeline "
        "instead."))]

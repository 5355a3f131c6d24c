"""Rule 4 (001 CBP Officer Enforcement (E)): a referral is pending until accepted (the receiver
becomes the case's lead) or declined (with a reason)."""

import json
import subprocess
import sys
from datetime import date

import pytest

from taskforce.domain.errors import Conflict, ValidationFailed
from taskforce.domain.referrals import (
    DecisionData, ReferralData, ReferralStatus, age_days, decision_date_problem, decision_refusal,
)
from taskforce.services import cases, history, lists, referrals
from taskforce.services.context import Actor, Context

from tests import factories as f
from tests.factories_debriefs import best_world

# --- pure rules -----------------------------------------------------------------------------


def test_referral_needs_two_different_agencies_a_case_and_a_day():
    assert {e.field for e in ReferralData(None, None, None, None).validate()} == {
        "case_id", "from_agency_id", "to_agency_id", "referred_on"}
    errors = ReferralData(1, 5, 5, date(2026, 2, 11)).validate()
    assert [(e.field, e.message) for e in errors] == [("to_agency_id", "An agency cannot refer a case to itself.")]
    assert not ReferralData(1, 5, 6, date(2026, 2, 11)).validate()


def test_declining_needs_a_reason_accepting_does_not():
    assert {e.field for e in DecisionData(1, "declined", date(2026, 2, 20), "  ").validate()} == {"reason"}
    assert not DecisionData(1, "accepted", date(2026, 2, 20)).validate()
    assert {e.field for e in DecisionData(1, "pending", None).validate()} == {"decision", "decided_on"}


def test_age_and_refusals():
    assert age_days(date(2026, 2, 11), date(2026, 2, 20)) == 9
    assert decision_refusal("pending", None) is None
    assert "already accepted on 2026-02-20" in decision_refusal("accepted", date(2026, 2, 20))
    assert decision_date_problem(date(2026, 2, 11), date(2026, 2, 20), date(2026, 11, 23)) is None
    assert "before the referral" in decision_date_problem(date(2026, 2, 11), date(2026, 2, 10), date(2026, 11, 23))
    assert "future" in decision_date_problem(date(2026, 2, 11), date(2026, 11, 24), date(2026, 11, 23))


# --- services -------------------------------------------------------------------------------


def _s4(w) -> ReferralData:
    return ReferralData(case_id=w.case12, from_agency_id=w.blaine, to_agency_id=w.hsi_seattle,
                        referred_on=date(2026, 2, 11), from_member_id=w.dobrev,
                        basis="Title 8 prosecution with foreign co-conspirators.")


def test_s4_pending_referral_shows_its_age_then_acceptance_gives_the_lead(ctx, db):
    w = best_world(ctx)
    referral_id = referrals.create_referral(ctx, _s4(w)).id

    # pending, with its age as of 2026-02-20 (the home screen's day)
    page = referrals.list_referrals(ctx, pending_only=True, as_of=date(2026, 2, 20))
    assert page.total == 1
    r = page.rows[0]
    assert (r.id, r.status, r.age_days, r.case_number) == (referral_id, ReferralStatus.PENDING, 9, "BEST-SEA-2026-0012")
    assert r.from_member == "Ana Dobrev" and r.from_agency.startswith("OFO Blaine")
    on_the_day = Context(db=db, actor=ctx.actor, today=lambda: date(2026, 2, 20))
    keys = [c.key for c in referrals.REFERRALS.columns]
    row = dict(zip(keys, lists.list_rows(on_the_day, referrals.REFERRALS, [referral_id])[referral_id]))
    assert (row["status"], row["age"], row["from"], row["to"]) == ("pending", 9, "OFO Blaine", "HSI SEA")

    # 2026-02-20, ICE accepts: ICE HSI Seattle leads the case
    referrals.accept_referral(ctx, referral_id, date(2026, 2, 20))
    assert cases.get_case(ctx, w.case12).data.lead_agency_id == w.hsi_seattle
    detail = referrals.get_referral(ctx, referral_id)
    assert detail.row.status is ReferralStatus.ACCEPTED and detail.row.decided_on == date(2026, 2, 20)
    assert detail.row.age_days is None and detail.case_lead.startswith("HSI SEA")
    assert referrals.list_referrals(ctx, pending_only=True).total == 0

    # the case's history shows the old and the new lead
    lead_changes = [h for h in history.history(ctx, "case_file", w.case12) if h.field == "lead_agency_id"]
    assert [(h.old, h.new) for h in lead_changes] == [("CBP OFO Blaine", "ICE HSI Seattle")]
    assert any(h.what.startswith("referral") and h.field == "status" and h.new == "accepted"
               for h in history.history(ctx, "case_file", w.case12))

    # decided once: a second decision is refused and changes nothing
    with pytest.raises(Conflict, match="already accepted on 2026-02-20"):
        referrals.decline_referral(ctx, referral_id, date(2026, 2, 21), "changed our mind")
    assert cases.get_case(ctx, w.case12).data.lead_agency_id == w.hsi_seattle
    assert referrals.get_referral(ctx, referral_id).row.status is ReferralStatus.ACCEPTED


def test_s4_declined_referral_keeps_the_lead_and_records_the_reason(ctx):
    w = best_world(ctx)
    referral_id = referrals.create_referral(ctx, _s4(w)).id
    with pytest.raises(ValidationFailed) as err:
        referrals.decline_referral(ctx, referral_id, date(2026, 2, 20), "")
    assert err.value.for_field("reason")
    reason = "No foreign nexus found; prosecute at the port."
    referrals.decline_referral(ctx, referral_id, date(2026, 2, 20), reason)
    assert cases.get_case(ctx, w.case12).data.lead_agency_id == w.blaine
    row = referrals.get_referral(ctx, referral_id).row
    assert (row.status, row.decision_reason, row.decided_on) == (ReferralStatus.DECLINED, reason, date(2026, 2, 20))
    assert not [h for h in history.history(ctx, "case_file", w.case12) if h.field == "lead_agency_id"]
    with pytest.raises(Conflict, match="already declined"):
        referrals.accept_referral(ctx, referral_id, date(2026, 2, 21))
    assert cases.get_case(ctx, w.case12).data.lead_agency_id == w.blaine
    # a declined referral is the record of the decision: not edited, not deleted
    with pytest.raises(Conflict, match="cannot be edited"):
        referrals.update_referral(ctx, referral_id, _s4(w))
    with pytest.raises(Conflict, match="kept as the record"):
        referrals.delete_referral(ctx, referral_id)
    # once declined, the case may be referred again
    assert referrals.create_referral(ctx, _s4(w)).id != referral_id


def test_one_pending_referral_per_case_and_not_to_the_current_lead(ctx):
    w = best_world(ctx)
    referrals.create_referral(ctx, _s4(w))
    second = ReferralData(w.case12, w.blaine, w.wsp, date(2026, 2, 12))
    with pytest.raises(Conflict, match="already has a pending referral"):
        referrals.create_referral(ctx, second)
    group = f.agency(ctx, "HSI Seattle Group 3", "federal", w.hsi_seattle)  # a unit of the lead refers
    with pytest.raises(ValidationFailed, match="already leads this case") as err:
        referrals.create_referral(ctx, ReferralData(w.case7, group, w.hsi_seattle, date(2026, 2, 12)))
    assert err.value.for_field("to_agency_id")


def test_decision_date_is_checked_and_pending_referral_can_be_corrected(ctx):
    w = best_world(ctx)
    referral_id = referrals.create_referral(ctx, _s4(w)).id
    with pytest.raises(ValidationFailed, match="before the referral") as err:
        referrals.accept_referral(ctx, referral_id, date(2026, 2, 10))
    assert err.value.for_field("decided_on")
    assert cases.get_case(ctx, w.case12).data.lead_agency_id == w.blaine
    corrected = ReferralData(w.case12, w.blaine, w.hsi_seattle, date(2026, 2, 11), w.dobrev, "Title 8; co-conspirators in CA.")
    referrals.update_referral(ctx, referral_id, corrected)
    assert referrals.get_referral(ctx, referral_id).data == corrected
    referrals.delete_referral(ctx, referral_id)
    assert referrals.case_referrals(ctx, w.case12) == ()


def test_referrals_list_section_filters_by_status(ctx):
    w = best_world(ctx)
    first = referrals.create_referral(ctx, _s4(w)).id
    referrals.accept_referral(ctx, first, date(2026, 2, 20))
    second = referrals.create_referral(ctx, ReferralData(w.case7, w.hsi_seattle, w.wsp, date(2026, 3, 1))).id
    spec = referrals.REFERRALS
    assert lists.list_ids(ctx, spec, lists.Query()) == [second, first]
    assert lists.list_ids(ctx, spec, lists.Query(filters=(("status", "pending"),))) == [second]
    keys = [c.key for c in spec.columns]
    rows = lists.list_rows(ctx, spec, [first, second])
    assert dict(zip(keys, rows[first]))["age"] is None
    assert dict(zip(keys, rows[second]))["age"] == 267  # 2026-03-01 → 2026-11-23
    assert [r.id for r in referrals.case_referrals(ctx, w.case12)] == [first]


# --- command line ---------------------------------------------------------------------------


def _cli(db_path, *args):
    return subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_pending_referrals_with_age(ctx, db_path):
    w = best_world(ctx)
    referral_id = referrals.create_referral(ctx, _s4(w)).id
    result = _cli(db_path, "referrals", "--pending", "--as-of", "2026-02-20", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["total"] == 1
    assert {k: out["referrals"][0][k] for k in ("id", "case", "status", "age_days")} == {
        "id": referral_id, "case": "BEST-SEA-2026-0012", "status": "pending", "age_days": 9}
    text = _cli(db_path, "referrals", "--pending", "--as-of", "2026-02-20")
    assert "pending 9 days" in text.stdout and "1 pending referral (as of 2026-02-20)" in text.stdout

    referrals.accept_referral(ctx, referral_id, date(2026, 2, 20))
    assert _cli(db_path, "referrals", "--pending").stdout.strip() == "No pending referrals."
    all_text = _cli(db_path, "referrals").stdout
    assert "accepted on 2026-02-20" in all_text
    bad = _cli(db_path, "referrals", "--as-of", "yesterday")
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr and "Traceback" not in bad.stderr


def test_actor_is_recorded_on_the_lead_change(db):
    ctx = Context(db=db, actor=Actor("hsi-ws-07", "a.roth"), today=lambda: date(2026, 2, 20))
    w = best_world(ctx)
    referral_id = referrals.create_referral(ctx, _s4(w)).id
    referrals.accept_referral(ctx, referral_id, date(2026, 2, 20))
    change = next(h for h in history.history(ctx, "case_file", w.case12) if h.field == "lead_agency_id")
    assert change.who == "a.roth (hsi-ws-07)"

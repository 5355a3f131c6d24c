"""Issue 10 §3: the workflow rules just past the dated stories (S13 and the edges the issue
names). Each test is named after its rule and runs through the services on a real file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from taskforce.domain.case_events import CaseEventData
from taskforce.domain.cooperation import CooperationActivityData
from taskforce.domain.debriefs import DebriefData, DebriefParticipant
from taskforce.domain.details import DetailData
from taskforce.domain.errors import Conflict, ValidationFailed
from taskforce.domain.referrals import ReferralData
from taskforce.domain.working_group import ActionItemData
from taskforce.services import case_events, cooperation, debriefs, details, feedback, history, referrals
from taskforce.services import working_group as wg

from tests import factories as f
from tests.factories_debriefs import best_world

TOMORROW = date(2026, 11, 24)  # the test context's today is 2026-11-23


def _support_rows(ctx, case_id: int) -> list[tuple[int, int, str, date, date]]:
    rows = feedback.case_support(ctx, case_id).rows
    return sorted((r.from_agency, r.to_agency, r.kind, r.given_on, r.feedback_due_on) for r in rows)


# --- rule 4: only the case's lead agency (or one of its units) refers it --------------------

def test_rule_4_s13_a_referral_from_outside_the_lead_is_refused(ctx):
    w = best_world(ctx)
    from_wsp = ReferralData(w.case12, w.wsp, w.hsi_seattle, date(2026, 2, 11))
    with pytest.raises(ValidationFailed) as err:
        referrals.create_referral(ctx, from_wsp)
    assert err.value.for_field("from_agency_id") == (
        "Only the case's lead agency (CBP OFO Blaine) or one of its units refers this case.")
    # the lead's parent is not the lead either
    with pytest.raises(ValidationFailed):
        referrals.create_referral(ctx, replace(from_wsp, from_agency_id=w.ofo_seattle))
    # a unit of the lead may
    booth = f.agency(ctx, "CBP OFO Blaine, Peace Arch crossing", "federal", w.blaine)
    assert referrals.create_referral(ctx, replace(from_wsp, from_agency_id=booth)).id


# --- rule 2: an accepted referral and a controlled delivery are support given ----------------

def test_rule_2_s13_accepting_a_referral_opens_feedback_owed_by_the_receiver(ctx):
    w = best_world(ctx)
    referral = referrals.create_referral(ctx, ReferralData(w.case12, w.blaine, w.hsi_seattle, date(2026, 2, 11))).id
    assert _support_rows(ctx, w.case12) == []
    referrals.accept_referral(ctx, referral, date(2026, 2, 20))
    assert _support_rows(ctx, w.case12) == [("OFO Blaine", "HSI SEA", "Referral", date(2026, 2, 20),
                                             date(2026, 3, 22))]
    # a declined referral is nothing given
    other = referrals.create_referral(ctx, ReferralData(w.case7, w.hsi_seattle, w.blaine, date(2026, 3, 1))).id
    referrals.decline_referral(ctx, other, date(2026, 3, 2), "Not a port case.")
    assert _support_rows(ctx, w.case7) == []


def test_rule_2_s13_a_controlled_delivery_opens_feedback_owed_by_its_lead_to_each_agency_involved(ctx):
    w = best_world(ctx)
    delivery = CaseEventData(w.case7, "controlled_delivery", date(2026, 6, 15), lead_agency_id=w.hsi_seattle,
                             agency_ids=(w.blaine, w.wsp))
    event = case_events.add_event(ctx, delivery).id
    assert _support_rows(ctx, w.case7) == [
        ("OFO Blaine", "HSI SEA", "Controlled delivery", date(2026, 6, 15), date(2026, 7, 15)),
        ("WSP", "HSI SEA", "Controlled delivery", date(2026, 6, 15), date(2026, 7, 15)),
    ]
    # the obligations follow the delivery: WSP leaves, the day moves, RCMP joins
    case_events.update_event(ctx, event, replace(delivery, occurred_on=date(2026, 6, 16),
                                                 agency_ids=(w.blaine, w.rcmp)))
    assert _support_rows(ctx, w.case7) == [
        ("OFO Blaine", "HSI SEA", "Controlled delivery", date(2026, 6, 16), date(2026, 7, 16)),
        ("RCMP", "HSI SEA", "Controlled delivery", date(2026, 6, 16), date(2026, 7, 16)),
    ]
    # an arrest opens nothing
    case_events.add_event(ctx, CaseEventData(w.case7, "arrest", date(2026, 6, 17), lead_agency_id=w.wsp,
                                             agency_ids=(w.hsi_seattle,)))
    assert len(_support_rows(ctx, w.case7)) == 2
    # once feedback is recorded, the delivery keeps its obligation
    blaine_support = next(r.id for r in feedback.case_support(ctx, w.case7).rows if r.from_agency == "OFO Blaine")
    from taskforce.domain.feedback import FeedbackData
    feedback.record_feedback(ctx, FeedbackData(blaine_support, date(2026, 7, 1), "SA Quill", arrests=2))
    with pytest.raises(Conflict, match="feedback"):
        case_events.update_event(ctx, event, replace(delivery, occurred_on=date(2026, 6, 16), agency_ids=(w.rcmp,)))
    with pytest.raises(Conflict, match="feedback"):
        case_events.delete_event(ctx, event)
    # and the obligation is not deleted on its own: it follows the delivery
    with pytest.raises(Conflict, match="controlled delivery"):
        feedback.delete_support(ctx, blaine_support)


# --- dates in the future ---------------------------------------------------------------------

def test_what_happened_is_never_dated_in_the_future(ctx):
    w = best_world(ctx)
    refusals = [
        lambda: debriefs.create_debrief(ctx, DebriefData(
            w.case7, TOMORROW, w.hsi_seattle, participants=(DebriefParticipant(w.quill, "", None, "interviewer"),))),
        lambda: referrals.create_referral(ctx, ReferralData(w.case12, w.blaine, w.hsi_seattle, TOMORROW)),
        lambda: case_events.add_event(ctx, CaseEventData(w.case7, "arrest", TOMORROW, lead_agency_id=w.wsp)),
        lambda: wg.create_action_item(ctx, ActionItemData(w.tf, "Plan", date(2026, 12, 31),
                                                          owner_agency_id=w.wsp, status="done", done_on=TOMORROW)),
    ]
    for refused in refusals:
        with pytest.raises(ValidationFailed, match=r"cannot be after today \(2026-11-23\)"):
            refused()
    hale = f.member(ctx, "Hale", "Kim", w.whatcom)
    with pytest.raises(ValidationFailed, match="after today"):
        cooperation.record_activity(ctx, CooperationActivityData(hale, "warrant_perimeter", TOMORROW))
    item = wg.create_action_item(ctx, ActionItemData(w.tf, "Plan", date(2026, 12, 31), owner_agency_id=w.wsp)).id
    with pytest.raises(ValidationFailed, match="after today"):
        wg.mark_done(ctx, item, TOMORROW)
    assert wg.mark_done(ctx, item, date(2026, 11, 23)).id == item  # today is fine


# --- rule 3: presence is judged by the participant's own home agency ------------------------

def test_rule_3_an_ice_agent_entered_for_cbp_is_not_a_cbp_officer(ctx):
    w = best_world(ctx)
    as_cbp = DebriefParticipant(w.quill, "", w.blaine, "interviewer")  # SA Quill is ICE HSI Seattle
    debrief = debriefs.create_debrief(ctx, DebriefData(w.case7, date(2026, 6, 10), w.hsi_seattle,
                                                       participants=(as_cbp,))).id
    detail = debriefs.get_debrief(ctx, debrief)
    assert detail.briefing_owed and not detail.participants[0].is_cbp
    # CBPO Reyes (CBP OFO Blaine) counts, whatever agency is typed beside him
    reyes = DebriefParticipant(w.reyes, "", w.hsi_seattle, "subject_matter_expert")
    debriefs.update_debrief(ctx, debrief, DebriefData(w.case7, date(2026, 6, 10), w.hsi_seattle,
                                                      participants=(as_cbp, reyes)))
    assert not debriefs.get_debrief(ctx, debrief).briefing_owed


# --- rule 10: a detail goes to another agency's unit -----------------------------------------

def test_rule_10_a_detail_within_the_members_own_agency_or_to_its_parent_is_refused(ctx):
    w = best_world(ctx)
    t21 = f.agency(ctx, "CBP OFO Blaine Title 21 desk", "federal", w.blaine)
    for host in (w.blaine, t21, w.ofo_seattle):  # itself, its unit, its parent
        with pytest.raises(ValidationFailed) as err:
            details.create_detail(ctx, DetailData(w.reyes, host, date(2026, 3, 1)))
        assert "host_agency_id" in {e.field for e in err.value.errors}
    title21 = f.agency(ctx, "ICE HSI Seattle Title 21 Group, Blaine", "federal", w.hsi_seattle)
    assert details.create_detail(ctx, DetailData(w.reyes, title21, date(2026, 3, 1))).id


# --- the history names agencies, not ids -----------------------------------------------------

def test_the_lead_change_of_an_accepted_referral_reads_as_agency_names(ctx):
    w = best_world(ctx)
    referral = referrals.create_referral(ctx, ReferralData(w.case12, w.blaine, w.hsi_seattle, date(2026, 2, 11))).id
    referrals.accept_referral(ctx, referral, date(2026, 2, 20))
    lead = [h for h in history.history(ctx, "case_file", w.case12) if h.field == "lead_agency_id"]
    assert [(h.old, h.new) for h in lead] == [("CBP OFO Blaine", "ICE HSI Seattle")]


# --- rule 7 / 287(g): ICE grants it, under the member's own agency's agreement ----------------

def test_rule_7_s15_a_287g_designation_is_granted_by_ice_under_the_members_own_agencys_agreement(ctx):
    from sqlalchemy import update

    from taskforce.domain.records import DesignationData
    from taskforce.services import members
    from taskforce.store import schema as S

    from tests import factories_assist as fa

    whatcom = fa.whatcom_sheriff(ctx)
    king = f.agency(ctx, "King County Sheriff's Office", "local", state="WA", county="King")
    hale = f.member(ctx, "Hale", "Kim", whatcom)
    kings_moa = fa.agreement_287g(ctx, king, title="287(g) MOA King County")
    whatcoms_moa = fa.agreement_287g(ctx, whatcom)
    ice = f.ref_agency(ctx, "ice")
    wanted = DesignationData(member_id=hale, authority="287g", granting_agency_id=ice,
                             effective=date(2026, 6, 1), expires=date(2026, 12, 31), agreement_id=kings_moa)
    with pytest.raises(ValidationFailed) as err:  # another county's agreement
        members.save_member_item(ctx, wanted)
    assert "own agency is not a party" in err.value.for_field("agreement_id")
    with pytest.raises(ValidationFailed) as err:  # "granted" by his own sheriff's office
        members.save_member_item(ctx, replace(wanted, agreement_id=whatcoms_moa, granting_agency_id=whatcom))
    assert "granted by ICE" in err.value.for_field("granting_agency_id")
    hsi = f.ref_agency(ctx, "ice_hsi")  # an ICE office grants it under Whatcom's own agreement
    designation = members.save_member_item(ctx, replace(wanted, agreement_id=whatcoms_moa, granting_agency_id=hsi)).id
    activity = CooperationActivityData(hale, "delegated_immigration_authority", date(2026, 6, 15))
    assert cooperation.record_activity(ctx, activity).id
    # a designation recorded before this rule, under King County's agreement, counts for nothing
    with ctx.db.engine.begin() as conn:
        conn.execute(update(S.designation).where(S.designation.c.id == designation).values(agreement_id=kings_moa))
    with pytest.raises(ValidationFailed, match="own agency is not a party"):
        cooperation.record_activity(ctx, activity)

"""Needs attention through the services on a real file: each obligation appears on the day
its rule says and goes when it is met (ACCEPTANCE.md S2, S3, S4, S7), and the CLI prints it."""

import json
import subprocess
import sys
from datetime import date

from taskforce.domain.debriefs import BriefingData, DebriefData, DebriefParticipant
from taskforce.domain.referrals import ReferralData
from taskforce.domain.records import DesignationData
from taskforce.services import debriefs, feedback, members, referrals
from taskforce.services.attention import KINDS, attention

from tests.factories_debriefs import best_world
from tests import factories_wg as wgf
from tests.factories_feedback import cocaine_feedback


def kinds(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    for item in result.items:
        out[item.kind].append(item.record)
    return out


def test_s2_feedback_overdue_from_the_day_after_it_is_due_and_by_pair(ctx):
    w = best_world(ctx)
    from taskforce.domain.feedback import SupportData

    sid = feedback.record_support(ctx, SupportData(
        task_force_id=w.tf, from_agency_id=w.blaine, to_agency_id=w.hsi_seattle, kind="information",
        given_on=date(2026, 3, 2), case_id=w.case7)).id
    assert kinds(attention(ctx, date(2026, 4, 1)))["feedback_overdue"] == []  # due that day
    result = attention(ctx, date(2026, 4, 2))
    (item,) = [i for i in result.items if i.kind == "feedback_overdue"]
    assert (item.record, item.due, item.days, item.entity, item.id) == (
        "BEST-SEA-2026-0007", date(2026, 4, 1), 1, "support", sid)
    assert "HSI SEA owes feedback to OFO Blaine" in item.summary
    assert [(p.giver, p.receiver, p.overdue) for p in result.pairs] == [("OFO Blaine", "HSI SEA", 1)]
    feedback.record_feedback(ctx, cocaine_feedback(sid))
    assert kinds(attention(ctx, date(2026, 4, 6)))["feedback_overdue"] == []


def test_s3_briefing_owed_until_briefed_and_s4_referral_pending_until_decided(ctx):
    w = best_world(ctx)
    debrief_id = debriefs.create_debrief(ctx, DebriefData(
        case_id=w.case7, held_on=date(2026, 6, 10), lead_agency_id=w.hsi_seattle, defendant_subject_id=w.dario,
        participants=(DebriefParticipant(w.quill, "", None, "interviewer"),
                      DebriefParticipant(None, "AUSA Helen Marsh", w.usao, "counsel")))).id
    debriefs.create_debrief(ctx, DebriefData(  # CBPO Reyes sat in: nothing owed
        case_id=w.case7, held_on=date(2026, 6, 11), lead_agency_id=w.hsi_seattle,
        participants=(DebriefParticipant(w.reyes, "", None, "interviewer"),)))
    referral_id = referrals.create_referral(ctx, ReferralData(
        case_id=w.case12, from_agency_id=w.blaine, to_agency_id=w.hsi_seattle, referred_on=date(2026, 2, 11),
        from_member_id=w.dobrev, basis="Title 8 prosecution with foreign co-conspirators")).id
    found = attention(ctx, date(2026, 6, 11))
    assert kinds(found)["briefing_owed"] == ["BEST-SEA-2026-0007"]
    (pending,) = [i for i in found.items if i.kind == "referral_pending"]
    assert pending.record == "BEST-SEA-2026-0012" and pending.days == 120 and "pending 120 days" in pending.summary
    debriefs.record_briefing(ctx, BriefingData(debrief_id, date(2026, 6, 12), "SA Mara Quill", "SCBPO Lee Okafor"))
    referrals.accept_referral(ctx, referral_id, date(2026, 2, 20))
    after = kinds(attention(ctx, date(2026, 6, 12)))
    assert after["briefing_owed"] == [] and after["referral_pending"] == []


def test_s7_designation_expiring_then_expired_while_assigned(ctx):
    w = best_world(ctx)
    from taskforce.domain.records import AssignmentData, MemberData

    ashby = members.create_member(ctx, MemberData("Ashby", "Greg", w.wsp, rank_title="TFO")).id
    members.save_member_item(ctx, AssignmentData(ashby, w.tf, "tfo", date(2025, 1, 15)))
    members.save_member_item(ctx, DesignationData(ashby, "title21", w.hsi_seattle, date(2025, 1, 15),
                                                  date(2027, 1, 14)))
    assert kinds(attention(ctx, date(2026, 10, 15)))["designation_expiring"] == []  # 91 days out
    assert kinds(attention(ctx, date(2026, 10, 16)))["designation_expiring"] == ["Ashby, Greg"]
    on_15 = attention(ctx, date(2027, 1, 15))
    assert kinds(on_15)["designation_expiring"] == []
    assert kinds(on_15)["designation_expired"] == ["Ashby, Greg"]
    # a new designation of the same authority clears it
    members.save_member_item(ctx, DesignationData(ashby, "title21", w.hsi_seattle, date(2027, 1, 15),
                                                  date(2029, 1, 14)))
    assert kinds(attention(ctx, date(2027, 1, 15)))["designation_expired"] == []


def test_cli_attention_json_has_kind_due_record_summary(ctx, db_path):
    w = best_world(ctx)
    debriefs.create_debrief(ctx, DebriefData(
        case_id=w.case7, held_on=date(2026, 6, 10), lead_agency_id=w.hsi_seattle,
        participants=(DebriefParticipant(w.quill, "", None, "interviewer"),)))
    out = subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "attention", "--json",
                          "--as-of", "2026-06-11"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    (item,) = [i for i in data["items"] if i["kind"] == "briefing_owed"]
    assert {"kind", "due", "record", "summary"} <= set(item)
    assert (item["due"], item["record"]) == ("2026-06-10", "BEST-SEA-2026-0007")
    assert data["counts"]["briefing_owed"] == 1
    text = subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "attention",
                           "--as-of", "2026-06-11"], capture_output=True, text=True, timeout=60).stdout
    assert "Briefings owed to the Supervisory CBP Officer (1)" in text
    bad = subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "attention", "--as-of", "June"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_s8_action_item_overdue_and_meeting_due_and_s9_evaluation_due(ctx):
    from taskforce.domain.details import DetailData, EvaluationData
    from taskforce.domain.working_group import ActionItemData, MeetingData
    from taskforce.services import details, working_group

    w = best_world(ctx)
    wg = wgf.working_group(ctx, w.hsi_seattle)
    meeting = working_group.create_meeting(ctx, MeetingData(task_force_id=wg, held_on=date(2026, 1, 20))).id
    item = working_group.create_action_item(ctx, ActionItemData(
        task_force_id=wg, title="local feedback action plan", due_on=date(2026, 1, 31),
        owner_agency_id=w.ofo_seattle, meeting_id=meeting)).id
    assert kinds(attention(ctx, date(2026, 1, 31)))["action_item_overdue"] == []
    on_feb_1 = attention(ctx, date(2026, 2, 1))
    (overdue,) = [i for i in on_feb_1.items if i.kind == "action_item_overdue"]
    assert "local feedback action plan" in overdue.summary and overdue.days == 1
    assert kinds(attention(ctx, date(2026, 4, 5)))["meeting_due"] == []
    (due,) = [i for i in attention(ctx, date(2026, 4, 6)).items if i.kind == "meeting_due"]
    assert due.due == date(2026, 4, 20) and "due by 2026-04-20" in due.summary
    working_group.mark_done(ctx, item, date(2026, 2, 2))
    assert kinds(attention(ctx, date(2026, 2, 3)))["action_item_overdue"] == []

    # S9: CBPO Reyes with ICE HSI Seattle's Title 21 group from 2026-03-01; evaluation 90 days later
    detail = details.create_detail(ctx, DetailData(member_id=w.reyes, host_agency_id=w.hsi_seattle,
                                                   starts_on=date(2026, 3, 1), program="Title 21 shadow, Blaine")).id
    assert kinds(attention(ctx, date(2026, 5, 29)))["evaluation_due"] == []
    assert kinds(attention(ctx, date(2026, 5, 30)))["evaluation_due"] == ["Reyes, Tomas"]
    details.record_evaluation(ctx, detail, EvaluationData(evaluated_on=date(2026, 6, 2), evaluation="Continue"))
    assert kinds(attention(ctx, date(2026, 6, 3)))["evaluation_due"] == []


def test_s14_attention_as_of_a_past_day_shows_what_stood_that_day(ctx):
    w = best_world(ctx)
    from taskforce.domain.feedback import SupportData

    sid = feedback.record_support(ctx, SupportData(
        task_force_id=w.tf, from_agency_id=w.blaine, to_agency_id=w.hsi_seattle, kind="information",
        given_on=date(2026, 3, 2), case_id=w.case7)).id
    feedback.record_feedback(ctx, cocaine_feedback(sid))  # 2026-04-05
    on_2nd = [i for i in attention(ctx, date(2026, 4, 2)).items if i.kind == "feedback_overdue"]
    assert [(i.id, i.days) for i in on_2nd] == [(sid, 1)]
    assert on_2nd[0].summary.endswith("; 1 day overdue")  # not "1 days"
    assert attention(ctx, date(2026, 4, 2)).pairs[0].overdue == 1
    assert kinds(attention(ctx, date(2026, 4, 6)))["feedback_overdue"] == []
    assert kinds(attention(ctx, date(2026, 3, 1)))["feedback_overdue"] == []  # not given yet

    referral = referrals.create_referral(ctx, ReferralData(w.case12, w.blaine, w.hsi_seattle, date(2026, 2, 11))).id
    referrals.accept_referral(ctx, referral, date(2026, 2, 20))
    assert kinds(attention(ctx, date(2026, 1, 15)))["referral_pending"] == []  # made later
    (pending,) = [i for i in attention(ctx, date(2026, 2, 15)).items if i.kind == "referral_pending"]
    assert pending.summary.endswith("pending 4 days")
    (today,) = [i for i in attention(ctx, date(2026, 2, 11)).items if i.kind == "referral_pending"]
    assert today.summary.endswith("pending since today")
    assert kinds(attention(ctx, date(2026, 2, 20)))["referral_pending"] == []  # decided that day

    debrief = debriefs.create_debrief(ctx, DebriefData(
        case_id=w.case7, held_on=date(2026, 6, 10), lead_agency_id=w.hsi_seattle,
        participants=(DebriefParticipant(w.quill, "", None, "interviewer"),))).id
    debriefs.record_briefing(ctx, BriefingData(debrief, date(2026, 6, 12), "SA Mara Quill", "SCBPO Lee Okafor"))
    assert kinds(attention(ctx, date(2026, 6, 11)))["briefing_owed"] == ["BEST-SEA-2026-0007"]
    assert kinds(attention(ctx, date(2026, 6, 9)))["briefing_owed"] == []
    assert kinds(attention(ctx, date(2026, 6, 12)))["briefing_owed"] == []


def _ortiz(ctx, w):
    from taskforce.domain.records import AssignmentData, MemberData

    ortiz = members.create_member(ctx, MemberData("Ortiz", "Lena", w.wsp, rank_title="Trooper")).id
    members.save_member_item(ctx, AssignmentData(ortiz, w.tf, "tfo", date(2025, 3, 1)))
    members.save_member_item(ctx, DesignationData(ortiz, "title19", w.hsi_seattle, date(2025, 3, 1),
                                                  date(2027, 2, 28)))
    return ortiz


def test_rule_7_s15_a_renewal_recorded_in_advance_still_warns_of_the_lapse(ctx):
    from taskforce.services import roster

    w = best_world(ctx)
    ortiz = _ortiz(ctx, w)
    members.save_member_item(ctx, DesignationData(ortiz, "title19", w.hsi_seattle, date(2027, 3, 10),
                                                  date(2029, 3, 9)))
    (ahead,) = [i for i in attention(ctx, date(2027, 1, 1)).items if i.kind == "designation_expiring"]
    assert ahead.record == "Ortiz, Lena"
    assert "lapse 2027-03-01 to 2027-03-09 (the renewal takes effect 2027-03-10)" in ahead.summary
    (during,) = [i for i in attention(ctx, date(2027, 3, 5)).items if i.kind == "designation_expired"]
    assert "expired 2027-02-28" in during.summary and "lapse 2027-03-01 to 2027-03-09" in during.summary
    assert kinds(attention(ctx, date(2027, 3, 10)))["designation_expired"] == []
    # the roster says the same on the same days
    (row,) = roster.roster(ctx, date(2027, 3, 5), warnings_only=True)
    assert row.lapse_text == "lapse 2027-03-01 to 2027-03-09 (the renewal takes effect 2027-03-10)"
    assert roster.roster(ctx, date(2027, 3, 10), warnings_only=True) == ()


def test_rule_7_expiring_leaves_out_a_renewal_without_gap_and_members_no_longer_assigned(ctx):
    from taskforce.domain.records import AssignmentData
    from taskforce.services import lists, roster
    from taskforce.services.context import Context

    w = best_world(ctx)
    ortiz = _ortiz(ctx, w)
    day = date(2027, 1, 1)
    assert kinds(attention(ctx, day))["designation_expiring"] == ["Ortiz, Lena"]
    renewal = members.save_member_item(ctx, DesignationData(ortiz, "title19", w.hsi_seattle, date(2027, 3, 1),
                                                            date(2029, 2, 28))).id
    assert kinds(attention(ctx, day))["designation_expiring"] == []  # takes over the day after
    assert [r.status.value for r in roster.roster(ctx, day)] == ["renewed", "pending"]
    members.delete_member_item(ctx, "designation", renewal)
    # the assignment ended: no longer anyone's to act on here
    assignment = members.get_member(ctx, ortiz).assignments[0]
    members.save_member_item(ctx, AssignmentData(ortiz, w.tf, "tfo", date(2025, 3, 1), date(2026, 12, 31)),
                             assignment.id)
    assert kinds(attention(ctx, day))["designation_expiring"] == []
    # the member list counts in force and expired apart, as the roster does
    cols = [c.key for c in lists.MEMBERS.columns]
    later = Context(ctx.db, ctx.actor, today=lambda: date(2027, 3, 5))
    row = lists.list_rows(later, lists.MEMBERS, [ortiz])[ortiz]
    assert (row[cols.index("designations")], row[cols.index("expired")]) == (0, 1)
    row = lists.list_rows(ctx, lists.MEMBERS, [ortiz])[ortiz]
    assert (row[cols.index("designations")], row[cols.index("expired")]) == (1, 0)

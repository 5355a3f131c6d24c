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

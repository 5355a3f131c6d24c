"""The rule queries of services/attention.py and services/roster.py (rules 2-4, 7, 9, 10) answer
every field as their rule says, on a real database (issue 10 §4: the survivors of
`make mutate MUTATE_SERVICES=1`, killed; docs/mutation.md lists what is left and why)."""

from __future__ import annotations

from datetime import date

from taskforce.domain.cooperation import CooperationActivityData
from taskforce.domain.debriefs import DebriefData, DebriefParticipant
from taskforce.domain.designations import DesignationFacts, WarningBand
from taskforce.domain.details import DetailData
from taskforce.domain.enums import DesignationStatus
from taskforce.domain.feedback import SupportData
from taskforce.domain.records import AssignmentData, DesignationData, MemberData
from taskforce.domain.referrals import ReferralData
from taskforce.domain.working_group import ActionItemData, MeetingData
from taskforce.services import cooperation, debriefs, details, feedback, members, referrals, roster, working_group
from taskforce.services.attention import PairRow, attention
from taskforce.services.tx import read

from tests import factories as f
from tests import factories_assist as fa
from tests import factories_wg as wgf
from tests.factories_debriefs import best_world

AS = date(2026, 6, 12)


def _assigned(ctx, w, family: str, expires: date, renewal: date | None = None) -> int:
    member = members.create_member(ctx, MemberData(family, "Pat", w.wsp)).id
    members.save_member_item(ctx, AssignmentData(member, w.tf, "tfo", date(2024, 1, 1)))
    members.save_member_item(ctx, DesignationData(member, "title21", w.hsi_seattle, date(2024, 6, 2), expires))
    if renewal:
        members.save_member_item(ctx, DesignationData(member, "title21", w.hsi_seattle, renewal, date(2028, 7, 19)))
    return member


# --- the home screen: every kind, every field, in its order ------------------------------------------


def test_the_home_screen_says_each_obligation_in_full_in_its_order(ctx):
    w = best_world(ctx)

    def support(giver: int, given: date, kind: str = "information", case: int | None = None) -> int:
        return feedback.record_support(ctx, SupportData(w.tf, giver, w.hsi_seattle, kind, given, case_id=case)).id

    def debrief(day: date, defendant: int | None = None) -> int:
        return debriefs.create_debrief(ctx, DebriefData(
            w.case7, day, w.hsi_seattle, defendant_subject_id=defendant,
            participants=(DebriefParticipant(w.quill, "", None, "interviewer"),))).id

    s1 = support(w.blaine, date(2026, 3, 2), case=w.case7)  # due 04-01
    s2 = support(w.wsp, date(2026, 5, 1), kind="tactical_support")  # due 05-31, on no case
    s3 = support(w.blaine, date(2026, 4, 1), case=w.case7)  # due 05-01
    support(w.wsp, date(2026, 5, 13))  # due on the day: not yet overdue
    d1, d2 = debrief(date(2026, 6, 10), w.dario), debrief(date(2026, 6, 1))
    r1 = referrals.create_referral(ctx, ReferralData(w.case12, w.blaine, w.hsi_seattle, date(2026, 6, 11))).id
    ashby = _assigned(ctx, w, "Ashby", date(2026, 6, 1))
    baker = _assigned(ctx, w, "Baker", date(2026, 5, 1))
    cole = _assigned(ctx, w, "Cole", AS)
    dunn = _assigned(ctx, w, "Dunn", date(2026, 7, 12), renewal=date(2026, 7, 20))
    wg = wgf.working_group(ctx, w.hsi_seattle)
    never = wgf.working_group(ctx, w.hsi_seattle, name="Port Security Working Group")
    soon = wgf.working_group(ctx, w.hsi_seattle, name="Northern Border Working Group")
    working_group.create_meeting(ctx, MeetingData(wg, date(2026, 3, 1)))
    working_group.create_meeting(ctx, MeetingData(soon, date(2026, 3, 20)))
    i1 = working_group.create_action_item(ctx, ActionItemData(
        wg, "Local feedback action plan", date(2026, 5, 31), owner_agency_id=w.ofo_seattle)).id
    i2 = working_group.create_action_item(ctx, ActionItemData(wg, "Port list", date(2026, 6, 11),
                                                              owner_member_id=w.quill)).id
    x1 = details.create_detail(ctx, DetailData(w.reyes, w.hsi_seattle, date(2026, 3, 1), program="Title 21 shadow")).id
    x2 = details.create_detail(ctx, DetailData(w.dobrev, w.hsi_seattle, date(2026, 3, 10))).id

    result = attention(ctx, AS)
    t21 = "Title 21 task force officer"
    wg_name = "CBP/OFO – ICE/OI Working Group"
    assert [(i.kind, i.due, i.record, i.summary, i.entity, i.id, i.days) for i in result.items] == [
        ("feedback_overdue", date(2026, 4, 1), "BEST-SEA-2026-0007",
         "HSI SEA owes feedback to OFO Blaine on information or intelligence given; 72 days overdue",
         "support", s1, 72),
        ("feedback_overdue", date(2026, 5, 1), "BEST-SEA-2026-0007",
         "HSI SEA owes feedback to OFO Blaine on information or intelligence given; 42 days overdue",
         "support", s3, 42),
        ("feedback_overdue", date(2026, 5, 31), f"support #{s2}",
         "HSI SEA owes feedback to WSP on tactical or perimeter support given; 12 days overdue", "support", s2, 12),
        ("briefing_owed", date(2026, 6, 1), "BEST-SEA-2026-0007",
         "HSI SEA owes the Supervisory CBP Officer a briefing on the debrief held 2026-06-01", "debrief", d2, 11),
        ("briefing_owed", date(2026, 6, 10), "BEST-SEA-2026-0007",
         "HSI SEA owes the Supervisory CBP Officer a briefing on the debrief of Dario Vantongeren held 2026-06-10",
         "debrief", d1, 2),
        ("referral_pending", date(2026, 6, 11), "BEST-SEA-2026-0012",
         "Referred by OFO Blaine to HSI SEA; pending 1 day", "referral", r1, 1),
        # the most recently expired first: the one most likely still in use
        ("designation_expired", date(2026, 6, 1), "Ashby, Pat",
         f"{t21} expired 2026-06-01; it no longer counts; no renewal recorded", "member", ashby, 11),
        ("designation_expired", date(2026, 5, 1), "Baker, Pat",
         f"{t21} expired 2026-05-01; it no longer counts; no renewal recorded", "member", baker, 42),
        ("designation_expiring", AS, "Cole, Pat", f"{t21} expires today (2026-06-12); no renewal recorded",
         "member", cole, 0),
        ("designation_expiring", date(2026, 7, 12), "Dunn, Pat",
         f"{t21} expires in 30 days (2026-07-12); lapse 2026-07-13 to 2026-07-19 (the renewal takes effect "
         "2026-07-20)", "member", dunn, -30),
        ("action_item_overdue", date(2026, 5, 31), wg_name,
         "“Local feedback action plan” (owner CBP OFO Seattle Field Office) 12 days overdue",
         "action_item", i1, 12),
        ("action_item_overdue", date(2026, 6, 11), wg_name, "“Port list” (owner Quill, Mara) 1 day overdue",
         "action_item", i2, 1),
        ("evaluation_due", date(2026, 5, 30), "Reyes, Tomas",
         "Evaluation of the detail to HSI SEA (Title 21 shadow) due 2026-05-30", "detail", x1, 13),
        ("evaluation_due", date(2026, 6, 8), "Dobrev, Ana", "Evaluation of the detail to HSI SEA due 2026-06-08",
         "detail", x2, 4),
        ("meeting_due", date(2026, 5, 30), wg_name, "Quarterly meeting overdue since 2026-05-30 (last met 2026-03-01)",
         "task_force", wg, 13),
        ("meeting_due", AS, "Port Security Working Group",
         "Quarterly meeting due by 2026-06-12 (no meeting recorded yet)", "task_force", never, 0),
        ("meeting_due", date(2026, 6, 18), "Northern Border Working Group",
         "Quarterly meeting due by 2026-06-18 (last met 2026-03-20)", "task_force", soon, -6),
    ]
    assert result.counts == {"feedback_overdue": 3, "briefing_owed": 2, "referral_pending": 1,
                             "designation_expired": 2, "designation_expiring": 2, "action_item_overdue": 2,
                             "evaluation_due": 2, "meeting_due": 3}
    assert result.total == 17 and result.as_of == AS
    assert result.pairs == (PairRow("OFO Blaine", "HSI SEA", 2, date(2026, 4, 1)),
                            PairRow("WSP", "HSI SEA", 1, date(2026, 5, 31)))
    assert result.items[0].as_json() == {
        "kind": "feedback_overdue", "due": "2026-04-01", "record": "BEST-SEA-2026-0007",
        "summary": "HSI SEA owes feedback to OFO Blaine on information or intelligence given; 72 days overdue",
        "entity": "support", "id": s1, "days": 72}
    # a referral made today waits "since today"
    assert [i.summary for i in attention(ctx, date(2026, 6, 11)).items if i.kind == "referral_pending"] == [
        "Referred by OFO Blaine to HSI SEA; pending since today"]


# --- the roster and the designation window ------------------------------------------------------------


def test_the_roster_lists_each_designation_with_its_standing_soonest_expiry_first(ctx):
    w = best_world(ctx)
    ashby = _assigned(ctx, w, "Ashby", date(2026, 6, 1))
    dunn = _assigned(ctx, w, "Dunn", date(2026, 7, 12), renewal=date(2026, 7, 20))
    cole = _assigned(ctx, w, "Cole", AS)
    open_ended = members.save_member_item(ctx, DesignationData(w.quill, "sdusm", f.ref_agency(ctx, "usms"),
                                                               date(2025, 1, 1), None)).id
    rows = roster.roster(ctx, AS)
    wsp, hsi, usms = "WSP — Washington State Patrol", "HSI SEA — ICE HSI Seattle", "USMS — U.S. Marshals Service"
    assert [(r.member, r.authority, r.authority_label, r.home_agency, r.granting_agency, r.effective, r.expires,
             r.days_left, r.band, r.status, r.renewal, r.as_of) for r in rows] == [
        ("Ashby, Pat", "title21", "Title 21 (21 U.S.C. 878)", wsp, hsi, date(2024, 6, 2), date(2026, 6, 1),
         -11, WarningBand.EXPIRED, DesignationStatus.EXPIRED, None, AS),
        ("Cole, Pat", "title21", "Title 21 (21 U.S.C. 878)", wsp, hsi, date(2024, 6, 2), AS,
         0, WarningBand.DAYS_30, DesignationStatus.EXPIRING, None, AS),
        ("Dunn, Pat", "title21", "Title 21 (21 U.S.C. 878)", wsp, hsi, date(2024, 6, 2), date(2026, 7, 12),
         30, WarningBand.DAYS_30, DesignationStatus.EXPIRING, date(2026, 7, 20), AS),
        ("Dunn, Pat", "title21", "Title 21 (21 U.S.C. 878)", wsp, hsi, date(2026, 7, 20), date(2028, 7, 19),
         768, None, DesignationStatus.PENDING, None, AS),
        ("Quill, Mara", "sdusm", "Special Deputy U.S. Marshal", hsi, usms, date(2025, 1, 1), None,
         None, None, DesignationStatus.ACTIVE, None, AS),
    ]
    assert [r.member_id for r in rows] == [ashby, cole, dunn, dunn, w.quill] and rows[-1].id == open_ended
    assert rows[2].lapse_text == "lapse 2026-07-13 to 2026-07-19 (the renewal takes effect 2026-07-20)"
    assert rows[1].expiry_text == "expires today"
    assert [r.member for r in roster.roster(ctx, AS, warnings_only=True)] == ["Ashby, Pat", "Cole, Pat", "Dunn, Pat"]
    assert [r.member for r in roster.roster(ctx, AS, authority="sdusm")] == ["Quill, Mara"]
    assert [r.member for r in roster.roster(ctx, AS, limit=2)] == ["Ashby, Pat", "Cole, Pat"]


def test_a_designation_counts_from_its_effective_to_its_expiry_day_and_the_longest_is_relied_on(ctx):
    w = best_world(ctx)
    hale = f.member(ctx, "Hale", "Kim", w.whatcom)
    first = members.save_member_item(ctx, DesignationData(hale, "title19", w.hsi_seattle, date(2025, 1, 1),
                                                          date(2026, 12, 31))).id
    second = members.save_member_item(ctx, DesignationData(hale, "title19", w.hsi_seattle, date(2026, 6, 1),
                                                           date(2027, 5, 31))).id
    assert roster.active_designation(ctx, hale, "title19", date(2024, 12, 31)) is None
    assert roster.active_designation(ctx, hale, "title19", date(2025, 1, 1)) == roster.ActiveDesignation(
        first, hale, "title19", w.hsi_seattle, None, date(2025, 1, 1), date(2026, 12, 31))
    assert roster.active_designation(ctx, hale, "title19", date(2026, 6, 1)).id == second  # lasts longer
    assert roster.active_designation(ctx, hale, "title19", date(2027, 5, 31)).id == second  # its last day
    assert roster.active_designation(ctx, hale, "title19", date(2027, 6, 1)) is None
    assert roster.active_designation(ctx, hale, "title21", date(2026, 6, 1)) is None
    with read(ctx) as conn:  # also inside another service's transaction
        assert roster.active_designation(conn, hale, "title19", date(2025, 6, 1)).id == first


def test_287g_facts_and_the_designation_window_say_what_it_rests_on(ctx):
    whatcom = fa.whatcom_sheriff(ctx)
    king = f.agency(ctx, "King County Sheriff's Office", "local", state="WA", county="King")
    hale = f.member(ctx, "Hale", "Kim", whatcom)
    moa = fa.agreement_287g(ctx, whatcom, effective=date(2026, 1, 1), expires=date(2026, 12, 31))
    fa.agreement_287g(ctx, king, title="287(g) MOA King County")
    hsi = f.ref_agency(ctx, "ice_hsi")
    designation = members.save_member_item(ctx, DesignationData(hale, "287g", hsi, date(2026, 6, 1),
                                                                date(2026, 12, 31), agreement_id=moa)).id
    with read(ctx) as conn:
        assert roster.designation_facts(conn, hale, "287g") == [DesignationFacts(
            designation, date(2026, 6, 1), date(2026, 12, 31), moa, "287(g) MOA Whatcom County", "287g",
            date(2026, 1, 1), date(2026, 12, 31), granted_by_ice=True, home_agency_party=True)]
        assert roster.designation_facts(conn, hale, "title19") == []
    first = cooperation.record_activity(ctx, CooperationActivityData(
        hale, "delegated_immigration_authority", date(2026, 6, 15))).id
    later = cooperation.record_activity(ctx, CooperationActivityData(
        hale, "delegated_immigration_authority", date(2026, 7, 1))).id
    seen = roster.get_designation(ctx, designation, date(2026, 12, 1))
    assert (seen.id, seen.member, seen.home_agency, seen.granting_agency, seen.agreement, seen.agreement_in_force,
            seen.as_of, seen.band, seen.days_left, seen.counts, seen.status, seen.renewal) == (
        designation, "Hale, Kim", "WCSO — Whatcom County Sheriff's Office",
        "ICE HSI — Homeland Security Investigations (formerly Office of Investigations)", "287(g) MOA Whatcom County",
        True, date(2026, 12, 1),
        WarningBand.DAYS_30, 30, True, DesignationStatus.EXPIRING, None)
    assert seen.data.agreement_id == moa and seen.expiry_text == "expires in 30 days"
    assert seen.lapse_text == "no renewal recorded"
    assert [(a.id, a.occurred_on, a.activity_type) for a in seen.relied_on_by] == [
        (later, date(2026, 7, 1), "delegated_immigration_authority"),
        (first, date(2026, 6, 15), "delegated_immigration_authority")]
    before = roster.get_designation(ctx, designation, date(2026, 5, 31))
    assert (before.counts, before.status, before.agreement_in_force) == (False, DesignationStatus.PENDING, True)
    after = roster.get_designation(ctx, designation, date(2027, 1, 1))
    assert (after.counts, after.status, after.agreement_in_force, after.band) == (
        False, DesignationStatus.EXPIRED, False, WarningBand.EXPIRED)
    plain = members.save_member_item(ctx, DesignationData(hale, "title19", hsi, date(2026, 1, 1), None)).id
    assert (roster.get_designation(ctx, plain, date(2026, 1, 1)).agreement,
            roster.get_designation(ctx, plain, date(2026, 1, 1)).agreement_in_force) == ("", None)


def test_each_kind_is_capped_keeping_the_most_urgent_and_counted_in_full(ctx, monkeypatch):
    w = best_world(ctx)
    _assigned(ctx, w, "Ashby", date(2026, 6, 1))
    _assigned(ctx, w, "Baker", date(2026, 5, 1))
    _assigned(ctx, w, "Cole", AS)
    _assigned(ctx, w, "Dunn", date(2026, 7, 12))
    for given in (date(2026, 3, 2), date(2026, 4, 1)):
        feedback.record_support(ctx, SupportData(w.tf, w.blaine, w.hsi_seattle, "information", given))
    wgf.working_group(ctx, w.hsi_seattle, name="Port Security Working Group")
    wg = wgf.working_group(ctx, w.hsi_seattle)
    working_group.create_meeting(ctx, MeetingData(wg, date(2026, 3, 1)))
    monkeypatch.setattr("taskforce.services.attention.PER_KIND_LIMIT", 1)
    result = attention(ctx, AS)
    assert [(i.kind, i.record, i.due) for i in result.items] == [
        ("feedback_overdue", "support #1", date(2026, 4, 1)),  # the oldest due first
        ("designation_expired", "Ashby, Pat", date(2026, 6, 1)),  # the most recently expired
        ("designation_expiring", "Cole, Pat", AS),  # the soonest to expire
        ("meeting_due", "CBP/OFO – ICE/OI Working Group", date(2026, 5, 30)),  # the most overdue
    ]
    assert (result.counts["feedback_overdue"], result.counts["designation_expired"],
            result.counts["designation_expiring"], result.counts["meeting_due"]) == (2, 2, 2, 2)


def test_the_roster_filters_combine_and_a_designation_names_its_renewal_and_agreement_day(ctx):
    w = best_world(ctx)
    dunn = _assigned(ctx, w, "Dunn", date(2026, 7, 12), renewal=date(2026, 7, 20))
    members.save_member_item(ctx, DesignationData(dunn, "title19", w.hsi_seattle, date(2024, 6, 2), date(2026, 6, 30)))
    assert [(r.member, r.authority) for r in roster.roster(ctx, AS, warnings_only=True, authority="title21")] == [
        ("Dunn, Pat", "title21")]
    first = roster.roster(ctx, AS, authority="title21")[0]
    seen = roster.get_designation(ctx, first.id, AS)
    assert (seen.status, seen.renewal, seen.lapse_text) == (
        DesignationStatus.EXPIRING, date(2026, 7, 20),
        "lapse 2026-07-13 to 2026-07-19 (the renewal takes effect 2026-07-20)")


def test_an_agreement_not_yet_in_force_is_said_so_and_active_designations_name_theirs(ctx):
    whatcom = fa.whatcom_sheriff(ctx)
    hale = f.member(ctx, "Hale", "Kim", whatcom)
    moa = fa.agreement_287g(ctx, whatcom, effective=date(2026, 1, 1), expires=date(2026, 12, 31))
    designation = members.save_member_item(ctx, DesignationData(hale, "287g", f.ref_agency(ctx, "ice_hsi"),
                                                                date(2025, 6, 1), date(2026, 12, 31),
                                                                agreement_id=moa)).id
    assert roster.get_designation(ctx, designation, date(2025, 12, 31)).agreement_in_force is False
    assert roster.get_designation(ctx, designation, date(2026, 1, 1)).agreement_in_force is True
    assert roster.active_designation(ctx, hale, "287g", date(2026, 1, 1)).agreement_id == moa

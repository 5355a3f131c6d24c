"""The four list reports (roster, feedback status, debrief participation, working group),
rendered to PDF through the publishing path and read back with pypdf: markings on every page,
the rows in the order the reader needs them, and rule 6 for partner copies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from taskforce.domain.debriefs import BriefingData, DebriefData, DebriefParticipant
from taskforce.domain.errors import NotFound
from taskforce.domain.feedback import FeedbackData
from taskforce.domain.records import AssignmentData, DesignationData, TrainingData
from taskforce.domain.working_group import ActionItemData, MeetingData
from taskforce.reports.markings import DEFAULT_BANNER, marking_for
from taskforce.reports.publish import ReportRequest, Settings, render
from taskforce.services import debriefs, feedback, members, working_group

from tests import factories as f
from tests.factories_debriefs import Best, best_world
from tests.factories_feedback import support

KINDS = ("roster", "feedback", "debriefs", "action-items")
HSI_PLACE = "Lynden storage unit"  # only the ICE HSI Seattle debrief was held there
RCMP_CASE = "BEST-SEA-2026-0012"  # only the RCMP support record is on this case


def _render(ctx, kind: str, **kw) -> tuple[list[str], object]:
    data, gathered, screen, _info = render(ctx, ReportRequest(kind=kind, **kw),
                                           Settings(marking_for("les"), "letter"), "tester")
    pages = [page.extract_text() for page in PdfReader(BytesIO(data)).pages]
    for number, text in enumerate(pages, 1):
        assert text.count(DEFAULT_BANNER) >= 2, f"{kind}: page {number} lacks its marking top and bottom"
        assert f"Page {number} of {len(pages)}" in text
    return pages, screen


def _text(pages: list[str]) -> str:
    return "\n".join(pages)


def _flat(text: str) -> str:
    """The text with every run of whitespace as one space: a cell's wrapped lines read as typed."""
    return " ".join(text.split())


def _before(text: str, *parts: str) -> bool:
    """Each part occurs, and in this order."""
    positions = [text.find(p) for p in parts]
    return -1 not in positions and positions == sorted(positions)


# --- the world ------------------------------------------------------------------------------

@dataclass(frozen=True)
class World:
    best: Best
    fbi: int
    lark: int  # a WSP trooper on BEST Seattle without designations
    d_hsi: int
    d_fbi: int


def _world(ctx) -> World:
    b = best_world(ctx)
    cbp, dea, fbi = f.ref_agency(ctx, "cbp"), f.ref_agency(ctx, "dea"), f.ref_agency(ctx, "fbi")
    lark = f.member(ctx, "Lark", "Ivo", b.wsp)
    outsider = f.member(ctx, "Outside", "Olga", b.whatcom)  # on no task force
    for member_id in (b.quill, b.reyes, b.dobrev, lark):
        members.save_member_item(ctx, AssignmentData(member_id, b.tf, "tfo", date(2025, 1, 6)))
    for member_id, authority, granting, expires in (
            (b.reyes, "title19", cbp, date(2026, 10, 1)),     # expired 53 days ago
            (b.dobrev, "title19", cbp, date(2027, 1, 10)),    # 48 days left
            (b.quill, "title21", dea, date(2028, 3, 31)),
            (outsider, "title21", dea, date(2028, 3, 31))):
        members.save_member_item(ctx, DesignationData(member_id, authority, granting, date(2024, 1, 1), expires))
    members.save_member_item(ctx, TrainingData(b.quill, "Interviewing and interrogation", "FLETC", date(2025, 3, 4)))
    members.save_member_item(ctx, TrainingData(outsider, "Boat handling", "USCG", date(2025, 3, 4)))

    # feedback: given on these days with the task force's 30-day interval, as of 2026-11-23
    support(ctx, b.tf, b.blaine, b.hsi_seattle, date(2026, 8, 1), b.case7)      # due 08-31: 84 days overdue
    support(ctx, b.tf, b.wsp, b.hsi_seattle, date(2026, 10, 1))                 # due 10-31: 23 days overdue
    support(ctx, b.tf, b.hsi_seattle, b.blaine, date(2026, 10, 28), b.case7)    # due 11-27: due soon
    closed = support(ctx, b.tf, b.whatcom, b.blaine, date(2026, 6, 1))
    feedback.record_feedback(ctx, FeedbackData(support_id=closed, reported_on=date(2026, 6, 21), arrests=1))
    support(ctx, b.tf, b.rcmp, b.hsi_seattle, date(2026, 9, 1), b.case12)       # RCMP's: due 10-01
    support(ctx, b.tf, fbi, b.hsi_seattle, date(2026, 11, 2))                   # FBI's own

    def debrief(lead: int, held_on: date, place: str, *who: DebriefParticipant, case: int = b.case7) -> int:
        return debriefs.create_debrief(ctx, DebriefData(case, held_on, lead, b.dario, place,
                                                        participants=who)).id

    quill = DebriefParticipant(b.quill, "", None, "interviewer")
    d_hsi = debrief(b.hsi_seattle, date(2026, 10, 15), HSI_PLACE, quill)
    debrief(b.blaine, date(2026, 11, 2), "Blaine port of entry",
            DebriefParticipant(b.reyes, "", None, "interviewer"), quill, case=b.case12)
    d_fbi = debrief(fbi, date(2026, 9, 10), "FBI Seattle field office",
                    DebriefParticipant(None, "SA Nolan Pike", fbi, "interviewer"))
    debriefs.record_briefing(ctx, BriefingData(d_fbi, date(2026, 9, 12), "SA Nolan Pike", "SCBPO Hale"))
    debrief(b.hsi_seattle, date(2026, 5, 4), "Bellingham office", quill)       # before the period, still owed

    wg = working_group.create_meeting(ctx, MeetingData(b.tf, date(2026, 7, 20), "Quarterly meeting")).id
    for title, due, owner_member, owner_agency, status, done in (
            ("Circulate port intelligence summaries", date(2026, 12, 15), None, b.ofo_seattle, "open", None),
            ("Draft the local feedback action plan", date(2026, 10, 1), None, b.ofo_seattle, "open", None),
            ("Update the referral contact list", date(2026, 9, 1), None, b.ofo_seattle, "done", date(2026, 8, 30)),
            ("Schedule Title 19 recertification", date(2026, 8, 15), b.quill, None, "open", None)):
        working_group.create_action_item(ctx, ActionItemData(b.tf, title, due, owner_member, owner_agency, wg,
                                                             status, done))
    return World(b, fbi, lark, d_hsi, d_fbi)


# --- roster ---------------------------------------------------------------------------------

def test_roster_lists_members_by_agency_with_designation_status_and_training(ctx):
    _world(ctx)
    pages, screen = _render(ctx, "roster", task_force="best seattle")
    text = _text(pages[1:])  # the body, after the cover and its counts
    assert "Roster — BEST Seattle" in pages[0]
    assert "Members\n4" in pages[0] and "Expiring within 90 days\n1" in pages[0] and "Expired\n1" in pages[0]
    # a section per agency, sorted by name
    assert _before(text, "CBP OFO Blaine (OFO Blaine)", "ICE HSI Seattle (HSI SEA)",
                   "Washington State Patrol (WSP)")
    assert _before(text, "Reyes, Tomas", "2026-10-01", "Expired")
    assert _before(text, "Dobrev, Ana", "2027-01-10", "Expiring in 48 days")
    assert _before(text, "Quill, Mara", "2028-03-31", "Active")
    assert "Lark, Ivo" in text and "No designation" in text  # listed though they hold none
    assert "Interviewing and interrogation" in text and "2025-03-04" in text
    assert "Outside, Olga" not in text and "Boat handling" not in text  # not on BEST Seattle
    assert "No training recorded." in text  # Blaine's two officers have none
    assert screen.decisions == []  # the task force's own people: nothing to screen
    everyone = _text(_render(ctx, "roster")[0])
    assert "Roster — all task forces" in everyone and "Outside, Olga" in everyone


# --- feedback status ------------------------------------------------------------------------

def test_feedback_status_puts_overdue_pairs_and_obligations_first(ctx):
    _world(ctx)
    pages, screen = _render(ctx, "feedback", task_force="BEST Seattle")
    text = _text(pages)
    pairs = text[text.index("Obligations by agency pair"):text.index("Open obligations")]
    # 84 days overdue, then RCMP's 53, then WSP's 23; pairs with nothing overdue after them
    assert _before(pairs, "OFO Blaine → HSI SEA", "RCMP → HSI SEA", "WSP → HSI SEA", "FBI → HSI SEA")
    assert "Whatcom County Sheriff's Office →" in pairs
    obligations = text[text.index("Open obligations"):]
    assert _before(obligations, "2026-08-31", "2026-10-01", "2026-10-31", "2026-11-27", "2026-12-02")
    assert "84" in obligations and "Whatcom" not in obligations  # closed: not an open obligation
    assert screen.withheld_count == 0 and screen.included_count == 6


def test_feedback_for_the_fbi_leaves_out_and_does_not_count_what_it_may_not_see(ctx):
    _world(ctx)
    pages, screen = _render(ctx, "feedback", recipient="FBI")
    for page in pages:
        assert "RCMP" not in page and RCMP_CASE not in page and "WSP" not in page
    cover = pages[0]
    assert "Prepared for FBI" in cover
    assert "Support given\n1" in cover and "Overdue\n0" in cover  # the FBI's own record only
    assert "FBI → HSI SEA" in _text(pages)
    assert screen.included_count == 1 and screen.withheld_count == 5


# --- debrief participation ------------------------------------------------------------------

def test_debriefs_show_the_cbp_presence_rate_and_briefings_owed(ctx):
    _world(ctx)
    pages, _screen = _render(ctx, "debriefs", task_force="BEST Seattle")
    text = _text(pages)
    assert "2026-08-25 – 2026-11-23" in pages[0]  # the last 90 days by default
    assert "Debriefs held\n3" in pages[0]
    assert "1 of 3 (33%)" in pages[0]  # only the Blaine debrief had a CBP officer
    assert "Briefed\n1" in pages[0] and "Briefings owed (open)\n1" in pages[0]
    held = text[text.index("Debriefs held\nRule 3"):text.index("Briefings owed\nEvery")]
    assert _before(held, "2026-09-10", "2026-10-15", "2026-11-02")
    assert "Bellingham" not in held and "Vantongeren" in held
    owed = text[text.index("Briefings owed\nEvery"):]
    assert _before(owed, "2026-05-04", "Bellingham office", "2026-10-15", HSI_PLACE)
    assert "203" in owed and "39" in owed  # days owed since 05-04 and 10-15

    period = _text(_render(ctx, "debriefs", period=(date(2026, 4, 1), date(2026, 11, 23)))[0])
    assert "1 of 4 (25%)" in period and "Bellingham office" in period


def test_debriefs_for_a_partner_hold_only_what_rule_6_releases(ctx):
    w = _world(ctx)
    pages, screen = _render(ctx, "debriefs", recipient="FBI")
    for page in pages:
        assert HSI_PLACE not in page and "Bellingham" not in page and "Blaine port" not in page
        assert "Vantongeren" not in page  # HSI Seattle's subject
    text = _text(pages)
    assert "Debriefs held\n1" in pages[0] and "0 of 1 (0%)" in pages[0]
    assert "(a defendant)" in _flat(text) and "SA Nolan Pike" in text
    assert "No briefings owed that may be released to this recipient." in _flat(text)
    withheld = {(d.kind, d.id) for d in screen.decisions if not d.included}
    assert ("debrief", w.d_hsi) in withheld and ("debrief", w.d_fbi) not in withheld

    cbp = _text(_render(ctx, "debriefs", recipient="CBP")[0])
    assert HSI_PLACE in cbp and "Vantongeren" in cbp  # DHS components are not third parties
    assert "1 of 2 (50%)" in cbp  # the FBI's debrief is not CBP's to see, nor to count


# --- working group --------------------------------------------------------------------------

def test_action_items_by_owner_overdue_first_then_open_then_done(ctx):
    _world(ctx)
    pages, screen = _render(ctx, "action-items", task_force="BEST Seattle")
    text = _text(pages)
    assert _before(text, "CBP OFO Seattle Field Office", "Draft the local feedback action plan",
                   "Circulate port intelligence summaries", "Update the referral contact list",
                   "Quill, Mara (HSI SEA)", "Schedule Title 19 recertification")
    assert "Overdue (53 days)" in text and "Done 2026-08-30" in text and "Overdue (100 days)" in text
    assert "Overdue\n2" in pages[0] and "Done\n1" in pages[0]
    assert screen.decisions == []


# --- errors and empty databases -------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_task_force_is_named_in_one_sentence(ctx, kind):
    with pytest.raises(NotFound, match=r"^No task force called 'Nowhere'\.$"):
        render(ctx, ReportRequest(kind=kind, task_force="Nowhere"), Settings(marking_for("les"), "a4"), "tester")


@pytest.mark.parametrize("kind, lines", [
    ("roster", ["No members recorded."]),
    ("feedback", ["No support recorded.", "No feedback is owed."]),
    ("debriefs", ["No debriefs held in this period.", "No briefings are owed."]),
    ("action-items", ["No action items recorded."]),
])
def test_an_empty_database_still_prints_every_section(ctx, kind, lines):
    text = _text(_render(ctx, kind)[0])
    for line in lines:
        assert line in text

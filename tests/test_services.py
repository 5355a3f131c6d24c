"""The core records through their services, on a real migrated file: rules, audit, integrity."""

from datetime import date

import pytest
from sqlalchemy import func, select

from taskforce.domain.enums import DesignationStatus
from taskforce.domain.errors import Conflict, ValidationFailed
from taskforce.domain.records import (
    AgencyData, AgreementData, AssignmentData, CaseData, CaseMemberData, CaseSubjectData,
    DesignationData, Participation, SubjectData, TaskForceData, TrainingData,
)
from taskforce.services import (
    agencies, agreements, cases, history, members, subjects, task_forces,
)
from taskforce.store import schema as S

from tests import factories as f


def _audit_count(ctx) -> int:
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(S.audit_log)).scalar_one()


def test_agency_nesting_makes_dhs_components(ctx):
    ofo = f.ref_agency(ctx, "cbp_ofo")
    seattle = f.agency(ctx, "CBP OFO Seattle Field Office", "federal", ofo)
    blaine = f.agency(ctx, "Port of Blaine", "federal", seattle)
    detail = agencies.get_agency(ctx, blaine)
    assert detail.is_dhs_component
    assert detail.chain == ("Department of Homeland Security", "U.S. Customs and Border Protection",
                            "Office of Field Operations", "CBP OFO Seattle Field Office", "Port of Blaine")
    assert not agencies.get_agency(ctx, f.ref_agency(ctx, "fbi")).is_dhs_component
    # an agency cannot be moved under its own unit
    with pytest.raises(ValidationFailed) as err:
        agencies.update_agency(ctx, seattle, AgencyData(name="CBP OFO Seattle Field Office", level="federal",
                                                        parent_id=blaine))
    assert err.value.for_field("parent_id")


def test_ori_is_unique_when_present(ctx):
    f.agency(ctx, "Whatcom County Sheriff's Office", ori="WA0370000")
    f.agency(ctx, "No ORI office")
    f.agency(ctx, "Another office without ORI")
    with pytest.raises(ValidationFailed, match="already belongs to Whatcom"):
        f.agency(ctx, "Copy", ori="wa0370000")


def test_delete_is_refused_while_used_and_nothing_changes(ctx):
    tf = f.best_seattle(ctx)
    lead = task_forces.get_task_force(ctx, tf).data.lead_agency_id
    before = _audit_count(ctx)
    with pytest.raises(Conflict, match="still used by"):
        agencies.delete_agency(ctx, lead)
    with pytest.raises(Conflict, match="cannot be deleted"):
        agencies.delete_agency(ctx, f.ref_agency(ctx, "dhs"))
    assert _audit_count(ctx) == before


def test_agreement_in_force_and_parties(ctx):
    a, b = f.ref_agency(ctx, "ice"), f.agency(ctx, "Whatcom County Sheriff's Office")
    agr = agreements.create_agreement(ctx, AgreementData(
        kind="287g", title="287(g) Whatcom", party_ids=(a, b), effective=date(2025, 10, 1),
        expires=date(2026, 9, 30))).id
    detail = agreements.get_agreement(ctx, agr)
    assert not detail.in_force  # expired 2026-09-30, today is 2026-11-23
    assert {p[0] for p in detail.parties} == {a, b}
    with pytest.raises(ValidationFailed, match="two parties"):
        agreements.create_agreement(ctx, AgreementData(kind="mou", title="Solo", party_ids=(a,)))


def test_task_force_participants_are_synced_and_audited(ctx):
    tf = f.best_seattle(ctx)
    detail = task_forces.get_task_force(ctx, tf)
    assert detail.data.feedback_interval_days == 30
    wsp = f.agency(ctx, "Washington State Patrol", "state")
    rcmp = f.ref_agency(ctx, "rcmp")
    task_forces.update_task_force(ctx, tf, TaskForceData(
        **{**detail.data.__dict__, "participants": (Participation(wsp), Participation(rcmp))}))
    assert {p.agency for p in task_forces.get_task_force(ctx, tf).participants} == {
        "Washington State Patrol", "Royal Canadian Mounted Police"}
    rows = history.history(ctx, "task_force", tf)
    assert sum(r.action == "delete" and r.what.startswith("task force agency") for r in rows) == 1
    assert sum(r.action == "create" and r.what.startswith("task force agency") for r in rows) == 3


def test_member_designations_get_a_derived_status(ctx):
    mid = f.member(ctx)
    ice = f.ref_agency(ctx, "ice")
    for authority, expires in (("title19", date(2026, 11, 1)), ("title21", date(2027, 1, 10)),
                               ("sdusm", date(2028, 1, 1))):
        members.save_member_item(ctx, DesignationData(mid, authority, ice, date(2024, 1, 1), expires))
    tf = f.best_seattle(ctx)
    members.save_member_item(ctx, AssignmentData(mid, tf, "tfo", date(2026, 1, 5)))
    members.save_member_item(ctx, TrainingData(mid, "Bulk currency smuggling", "FLETC", date(2025, 4, 2)))
    detail = members.get_member(ctx, mid)
    assert [d.status for d in detail.designations] == [
        DesignationStatus.EXPIRED, DesignationStatus.EXPIRING, DesignationStatus.ACTIVE]
    assert [d.in_force for d in detail.designations] == [False, True, True]
    # rule 7: a later Title 21 taking over the day after makes the expiring one renewed
    members.save_member_item(ctx, DesignationData(mid, "title21", ice, date(2027, 1, 11), date(2029, 1, 10)))
    assert [d.status for d in members.get_member(ctx, mid).designations][1] is DesignationStatus.RENEWED
    assert detail.assignments[0].task_force == "BEST Seattle"
    assert detail.training[0].data.course == "Bulk currency smuggling"
    kinds = {r.what.split(" #")[0] for r in history.history(ctx, "member", mid)}
    assert {"designation", "assignment", "training", "member"} <= kinds


def test_case_numbers_are_unique_and_suggested(ctx):
    tf = f.best_seattle(ctx)
    f.case(ctx, tf, "BEST-SEA-2026-0042")
    assert cases.suggest_number(ctx, tf) == "BEST-SEA-2026-0043"
    with pytest.raises(ValidationFailed) as err:
        f.case(ctx, tf, "BEST-SEA-2026-0042", title="Again")
    assert "already in use" in err.value.for_field("number")


def test_case_edit_audits_old_and_new_values_including_statutes_and_caveats(ctx):
    tf = f.best_seattle(ctx)
    cid = f.case(ctx, tf, statutes=("21",))
    data = cases.get_case(ctx, cid).data
    with ctx.db.engine.connect() as conn:
        pnr = conn.execute(select(S.caveat.c.id).where(S.caveat.c.ref_key == "eu_pnr")).scalar_one()
    cases.update_case(ctx, cid, CaseData(**{**data.__dict__, "title": "Cocaine via Blaine",
                                            "statutes": ("21", "19"), "caveat_ids": (pnr,),
                                            "status": "closed", "closed_on": date(2026, 6, 1),
                                            "closed_reason": "Defendants sentenced"}))
    detail = cases.get_case(ctx, cid)
    assert detail.caveats == ("EU PNR-derived",)
    changes: dict = {}
    for r in history.history(ctx, "case_file", cid):  # newest first: keep each field's latest change
        if r.action == "update":
            changes.setdefault(r.field, (r.old, r.new))
    assert changes["title"] == ("Fentanyl via Blaine", "Cocaine via Blaine")
    assert changes["statutes"] == ("21", "19, 21")
    assert changes["status"] == ("open", "closed")
    assert changes["caveats"][1] == str(pnr)
    who = history.history(ctx, "case_file", cid)[0].who
    assert who == "m.quill (tester)"


def test_case_shows_subjects_also_on_other_cases(ctx):
    tf = f.best_seattle(ctx)
    c1, c2 = f.case(ctx, tf, "BEST-SEA-2026-0001"), f.case(ctx, tf, "BEST-SEA-2026-0002")
    sid = f.subject(ctx, "Dario Vance")
    for c in (c1, c2):
        cases.link_subject(ctx, CaseSubjectData(c, sid, "target"))
    assert cases.get_case(ctx, c1).subjects[0].other_cases == ("BEST-SEA-2026-0002",)
    assert [c.number for c in subjects.get_subject(ctx, sid).cases] == ["BEST-SEA-2026-0002", "BEST-SEA-2026-0001"] or \
        {c.number for c in subjects.get_subject(ctx, sid).cases} == {"BEST-SEA-2026-0001", "BEST-SEA-2026-0002"}
    with pytest.raises(Conflict):
        cases.link_subject(ctx, CaseSubjectData(c1, sid, "witness"))  # already linked
    with pytest.raises(Conflict, match="still used"):
        subjects.delete_subject(ctx, sid)


def test_deleting_a_case_audits_what_went_with_it(ctx):
    tf = f.best_seattle(ctx)
    cid = f.case(ctx, tf)
    mid = f.member(ctx)
    cases.assign_member(ctx, CaseMemberData(cid, mid, "case_agent"))
    from taskforce.domain.records import NoteData
    cases.add_note(ctx, NoteData(cid, "First contact with CBSA"))
    cases.delete_case(ctx, cid)
    rows = history.history(ctx, "case_file", cid)
    deleted = {r.what.split(" #")[0] for r in rows if r.action == "delete"}
    assert deleted == {"case", "case member", "case note"}
    from taskforce.services import search
    assert search.search(ctx, "CBSA").count == 0


def test_a_failed_write_leaves_nothing_behind(ctx):
    before = _audit_count(ctx)
    with pytest.raises(Conflict):
        subjects.create_subject(ctx, SubjectData(kind="person", name="X"))  # fine
        cases.link_subject(ctx, CaseSubjectData(9999, 9999, "target"))  # no such case or subject
    assert _audit_count(ctx) == before + 1  # the subject only; the failed link wrote nothing

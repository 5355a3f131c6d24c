"""The BEST Seattle world of ACCEPTANCE.md for stories S8, S9 and S11, built through the real
services: its agencies (ICE HSI Seattle, CBP OFO Seattle Field Office with its port of Blaine),
the task force, a JTTF Seattle case for deconfliction, and the people of the stories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.records import CaseSubjectData, MemberData, Participation, TaskForceData
from taskforce.services import cases, members, task_forces

from tests import factories as f


@dataclass(frozen=True)
class World:
    tf: int  # BEST Seattle
    hsi_seattle: int
    ofo_seattle: int  # CBP OFO Seattle Field Office ("DFO Seattle")
    ofo_blaine: int
    title21_blaine: int  # ICE HSI Seattle's Title 21 group at Blaine


def best_seattle(ctx) -> World:
    hsi_seattle = f.agency(ctx, "ICE HSI Seattle", "federal", f.ref_agency(ctx, "ice_hsi"), abbreviation="HSI SEA")
    ofo_seattle = f.agency(ctx, "CBP OFO Seattle Field Office", "federal", f.ref_agency(ctx, "cbp_ofo"),
                           abbreviation="DFO Seattle")
    ofo_blaine = f.agency(ctx, "CBP OFO Port of Blaine", "federal", ofo_seattle, abbreviation="OFO Blaine")
    title21 = f.agency(ctx, "ICE HSI Seattle Title 21 Group, Blaine", "federal", hsi_seattle,
                       abbreviation="HSI T21 Blaine")
    tf = task_forces.create_task_force(ctx, TaskForceData(
        name="BEST Seattle", kind="best", lead_agency_id=hsi_seattle, area="Puget Sound, Blaine",
        participants=(Participation(hsi_seattle), Participation(ofo_seattle)))).id
    return World(tf, hsi_seattle, ofo_seattle, ofo_blaine, title21)


def working_group(ctx, lead: int, name: str = "CBP/OFO – ICE/OI Working Group",
                  active_to: date | None = None) -> int:
    return task_forces.create_task_force(ctx, TaskForceData(
        name=name, kind="working_group", lead_agency_id=lead, active_from=date(2005, 10, 1),
        active_to=active_to)).id


def member(ctx, family: str, given: str, agency_id: int, rank: str = "") -> int:
    return members.create_member(ctx, MemberData(family_name=family, given_names=given,
                                                 home_agency_id=agency_id, rank_title=rank)).id


def jttf_seattle(ctx) -> int:
    fbi = f.ref_agency(ctx, "fbi")
    return task_forces.create_task_force(ctx, TaskForceData(
        name="JTTF Seattle", kind="jttf", lead_agency_id=fbi, participants=(Participation(fbi),))).id


def on_case(ctx, case_id: int, subject_id: int, role: str = "target") -> None:
    cases.link_subject(ctx, CaseSubjectData(case_id, subject_id, role))


S11_DOB = date(1984, 7, 2)


@dataclass(frozen=True)
class S11:
    best_case: int  # BEST-SEA-2026-0007
    jttf_case: int  # JTTF-SEA-2026-0031
    dario: int  # "Dario Vantongeren" on the BEST case
    van: int  # "Dario van Tongeren" on the JTTF case


def s11(ctx, world: World | None = None) -> S11:
    """S11: the same date of birth, the name spelled two ways, on a BEST and a JTTF case."""
    world = world or best_seattle(ctx)
    best_case = f.case(ctx, world.tf, "BEST-SEA-2026-0007", "Fentanyl via Blaine", lead_agency_id=world.hsi_seattle)
    jttf_case = f.case(ctx, jttf_seattle(ctx), "JTTF-SEA-2026-0031", "Financing network",
                       lead_agency_id=f.ref_agency(ctx, "fbi"))
    dario = f.subject(ctx, "Dario Vantongeren", dob=S11_DOB)
    van = f.subject(ctx, "Dario van Tongeren", dob=S11_DOB)
    on_case(ctx, best_case, dario, "defendant")
    on_case(ctx, jttf_case, van)
    return S11(best_case, jttf_case, dario, van)

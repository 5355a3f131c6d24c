"""The BEST Seattle world of ACCEPTANCE.md for stories S3–S5, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.records import MemberData, Participation, SubjectData, TaskForceData
from taskforce.services import members, subjects, task_forces

from tests import factories as f


@dataclass(frozen=True)
class Best:
    tf: int
    hsi_seattle: int
    ofo_seattle: int
    blaine: int
    wsp: int
    whatcom: int
    rcmp: int
    usao: int
    case7: int
    case12: int
    quill: int  # SA Mara Quill, ICE HSI Seattle
    reyes: int  # CBPO Tomas Reyes, CBP OFO Blaine
    dobrev: int  # CBPO(E) Ana Dobrev, CBP OFO Blaine
    dario: int  # defendant Dario Vantongeren


def _member(ctx, family: str, given: str, rank: str, agency_id: int) -> int:
    return members.create_member(ctx, MemberData(family_name=family, given_names=given,
                                                 rank_title=rank, home_agency_id=agency_id)).id


def best_world(ctx) -> Best:
    hsi = f.ref_agency(ctx, "ice_hsi")
    hsi_seattle = f.agency(ctx, "ICE HSI Seattle", "federal", hsi, abbreviation="HSI SEA")
    ofo_seattle = f.agency(ctx, "CBP OFO Seattle Field Office", "federal", f.ref_agency(ctx, "cbp_ofo"))
    blaine = f.agency(ctx, "CBP OFO Blaine", "federal", ofo_seattle, abbreviation="OFO Blaine")
    wsp = f.agency(ctx, "Washington State Patrol", "state", abbreviation="WSP")
    whatcom = f.agency(ctx, "Whatcom County Sheriff's Office", "local")
    rcmp = f.ref_agency(ctx, "rcmp")
    usao = f.agency(ctx, "U.S. Attorney's Office, W.D. Washington", "federal", f.ref_agency(ctx, "doj"),
                    abbreviation="USAO WDWA")
    tf = task_forces.create_task_force(ctx, TaskForceData(
        name="BEST Seattle", kind="best", lead_agency_id=hsi_seattle, area="Puget Sound, Blaine",
        participants=tuple(Participation(a) for a in (hsi_seattle, ofo_seattle, blaine, wsp, whatcom, rcmp)),
    )).id
    case7 = f.case(ctx, tf, "BEST-SEA-2026-0007", "Fentanyl via Blaine", lead_agency_id=hsi_seattle)
    case12 = f.case(ctx, tf, "BEST-SEA-2026-0012", "Alien smuggling at Blaine", lead_agency_id=blaine,
                    statutes=("8",))
    return Best(
        tf=tf, hsi_seattle=hsi_seattle, ofo_seattle=ofo_seattle, blaine=blaine, wsp=wsp, whatcom=whatcom,
        rcmp=rcmp, usao=usao, case7=case7, case12=case12,
        quill=_member(ctx, "Quill", "Mara", "SA", hsi_seattle),
        reyes=_member(ctx, "Reyes", "Tomas", "CBPO", blaine),
        dobrev=_member(ctx, "Dobrev", "Ana", "CBPO(E)", blaine),
        dario=subjects.create_subject(ctx, SubjectData(kind="person", name="Dario Vantongeren",
                                                       dob=date(1984, 7, 2))).id,
    )

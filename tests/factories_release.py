"""Story S10 of ACCEPTANCE.md: case BEST-SEA-2026-0007 with notes from three agencies, one of
them derived from EU PNR data, and a subject entered by ICE. Built through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from taskforce.domain.records import CaseSubjectData, NoteData, SubjectData
from taskforce.services import cases, subjects
from taskforce.store import schema as S

from tests import factories as f
from tests.factories_debriefs import Best, best_world

N1 = "Passenger record shows Vantongeren booked AMS-SEA 2026-06-02 with a companion"
N2 = "HSI Seattle surveillance placed the courier at the Lynden storage unit"
N3 = "RCMP Surrey reports the load crossed at Aldergrove on 2026-06-11"
S1 = "Ostrava Kulinski"


@dataclass(frozen=True)
class S10:
    best: Best
    case: int
    n1: int
    n2: int
    n3: int
    s1: int
    cbp: int
    ice: int
    fbi: int
    rcmp: int


def eu_pnr(ctx) -> int:
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(S.caveat.c.id).where(S.caveat.c.ref_key == "eu_pnr")).scalar_one()


def s10_world(ctx) -> S10:
    b = best_world(ctx)
    ice = f.ref_agency(ctx, "ice")
    n1 = cases.add_note(ctx, NoteData(b.case7, N1, "CBPO Reyes", originating_agency_id=b.blaine,
                                      caveat_ids=(eu_pnr(ctx),))).id
    n2 = cases.add_note(ctx, NoteData(b.case7, N2, "SA Quill", originating_agency_id=b.hsi_seattle)).id
    n3 = cases.add_note(ctx, NoteData(b.case7, N3, "Cpl. Fenwick", originating_agency_id=b.rcmp)).id
    s1 = subjects.create_subject(ctx, SubjectData(kind="person", name=S1, originating_agency_id=ice)).id
    cases.link_subject(ctx, CaseSubjectData(b.case7, s1, "target"))
    return S10(b, b.case7, n1, n2, n3, s1, f.ref_agency(ctx, "cbp"), ice, f.ref_agency(ctx, "fbi"),
               b.rcmp)

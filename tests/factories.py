"""Builders for the records tests need, through the real services (never raw inserts)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from taskforce.domain.records import AgencyData, CaseData, MemberData, Participation, SubjectData, TaskForceData
from taskforce.services import agencies, cases, members, subjects, task_forces
from taskforce.services.context import Context
from taskforce.store import schema as S


def ref_agency(ctx: Context, ref_key: str) -> int:
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(S.agency.c.id).where(S.agency.c.ref_key == ref_key)).scalar_one()


def agency(ctx: Context, name: str, level: str = "local", parent: int | None = None, **kw) -> int:
    return agencies.create_agency(ctx, AgencyData(name=name, level=level, parent_id=parent, **kw)).id


def best_seattle(ctx: Context) -> int:
    hsi = ref_agency(ctx, "ice_hsi")
    seattle = agency(ctx, "ICE HSI Seattle", "federal", hsi, abbreviation="HSI SEA")
    return task_forces.create_task_force(ctx, TaskForceData(
        name="BEST Seattle", kind="best", lead_agency_id=seattle, area="Puget Sound, Blaine",
        participants=(Participation(seattle),),
    )).id


def member(ctx: Context, family: str = "Quill", given: str = "Morgan", agency_id: int | None = None) -> int:
    return members.create_member(ctx, MemberData(
        family_name=family, given_names=given, home_agency_id=agency_id or ref_agency(ctx, "cbp_ofo"))).id


def case(ctx: Context, tf_id: int, number: str = "BEST-SEA-2026-0007", title: str = "Fentanyl via Blaine",
         **kw) -> int:
    lead = kw.pop("lead_agency_id", None) or ref_agency(ctx, "ice_hsi")
    return cases.create_case(ctx, CaseData(number=number, title=title, task_force_id=tf_id,
                                           lead_agency_id=lead, opened_on=date(2026, 3, 1), **kw)).id


def subject(ctx: Context, name: str = "Dario Vance", **kw) -> int:
    return subjects.create_subject(ctx, SubjectData(kind=kw.pop("kind", "person"), name=name, **kw)).id

"""The acceptance stories' BEST Seattle, built through the real services (ACCEPTANCE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskforce.domain.feedback import FeedbackData, SeizureData, SupportData
from taskforce.domain.records import CaseData, Participation, TaskForceData
from taskforce.services import cases, feedback, task_forces
from taskforce.services.context import Context

from tests import factories as f


@dataclass(frozen=True)
class BestSeattle:
    task_force: int
    hsi_seattle: int
    ofo_seattle: int
    blaine: int
    wsp: int
    whatcom: int
    rcmp: int
    case_0007: int


def best_seattle(ctx: Context, interval: int = 30) -> BestSeattle:
    """BEST Seattle: lead ICE HSI Seattle; CBP OFO Seattle Field Office with its port of Blaine,
    Washington State Patrol, Whatcom County Sheriff's Office, RCMP; feedback interval 30 days."""
    hsi = f.agency(ctx, "ICE HSI Seattle", "federal", f.ref_agency(ctx, "ice_hsi"))
    ofo = f.agency(ctx, "CBP OFO Seattle Field Office", "federal", f.ref_agency(ctx, "cbp_ofo"))
    blaine = f.agency(ctx, "CBP OFO Blaine", "federal", ofo)
    wsp = f.agency(ctx, "Washington State Patrol", "state", abbreviation="WSP", state="WA")
    whatcom = f.agency(ctx, "Whatcom County Sheriff's Office", "local", state="WA")
    rcmp = f.ref_agency(ctx, "rcmp")
    tf = task_forces.create_task_force(ctx, TaskForceData(
        name="BEST Seattle", kind="best", lead_agency_id=hsi, area="Puget Sound, Blaine",
        feedback_interval_days=interval,
        participants=tuple(Participation(a) for a in (hsi, ofo, blaine, wsp, whatcom, rcmp)),
    )).id
    case = cases.create_case(ctx, CaseData(
        number="BEST-SEA-2026-0007", title="Fentanyl via Blaine", task_force_id=tf,
        lead_agency_id=hsi, opened_on=date(2026, 1, 12))).id
    return BestSeattle(tf, hsi, ofo, blaine, wsp, whatcom, rcmp, case)


def support(ctx: Context, tf: int, giver: int, receiver: int, given_on: date,
            case_id: int | None = None, kind: str = "information", **kw) -> int:
    return feedback.record_support(ctx, SupportData(
        task_force_id=tf, from_agency_id=giver, to_agency_id=receiver, kind=kind,
        given_on=given_on, case_id=case_id, **kw)).id


def cocaine_feedback(support_id: int, reported_on: date = date(2026, 4, 5)) -> FeedbackData:
    """S2: 2 arrests; a seizure of 14 kg cocaine valued $420,000."""
    return FeedbackData(support_id=support_id, reported_on=reported_on, reported_by="SA Mara Quill",
                        arrests=2, seizures=(SeizureData("cocaine", "14", "kg", 420_000),))


def no_action(support_id: int, reported_on: date, reason: str = "Lead already known; no new action.") -> FeedbackData:
    return FeedbackData(support_id=support_id, reported_on=reported_on, no_action=True, no_action_reason=reason)

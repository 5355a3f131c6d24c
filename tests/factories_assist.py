"""The people and agencies of the acceptance stories S1, S6 and S7 (BEST Seattle), built
through the real services."""

from __future__ import annotations

from datetime import date

from taskforce.domain.records import AgreementData, DesignationData
from taskforce.services import agreements, members

from tests import factories as f


def whatcom_sheriff(ctx) -> int:
    return f.agency(ctx, "Whatcom County Sheriff's Office", "local", state="WA", county="Whatcom",
                    abbreviation="WCSO")


def wsp(ctx) -> int:
    return f.agency(ctx, "Washington State Patrol", "state", state="WA", abbreviation="WSP")


def agreement_287g(ctx, party: int, effective: date = date(2026, 1, 1),
                   expires: date | None = date(2028, 12, 31), title: str = "287(g) MOA Whatcom County") -> int:
    return agreements.create_agreement(ctx, AgreementData(
        kind="287g", title=title, party_ids=(party, f.ref_agency(ctx, "ice")),
        effective=effective, expires=expires)).id


def designation(ctx, member_id: int, authority: str, effective: date, expires: date | None,
                granting: str = "ice", agreement_id: int | None = None) -> int:
    return members.save_member_item(ctx, DesignationData(
        member_id=member_id, authority=authority, granting_agency_id=f.ref_agency(ctx, granting),
        effective=effective, expires=expires, agreement_id=agreement_id)).id

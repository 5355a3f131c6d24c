"""The three wrong rules issue 10 §4 found passing the whole suite, each pinned where it goes
wrong: a pair's median computed as a mean, 'expiring' leaving out the expiry day, and a CBP
OFO unit leading a controlled delivery it may not lead. Each test was seen failing against the
wrong rule. The other survivors of `make mutate` are killed in test_rule_branches.py,
test_rules_validation.py and test_rule_queries.py; docs/mutation.md lists what is left."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from taskforce.domain.case_events import CaseEventData, may_lead_controlled_delivery
from taskforce.domain.designations import WarningBand, designation_status, warning_band
from taskforce.domain.enums import DesignationStatus
from taskforce.domain.errors import ValidationFailed
from taskforce.domain.feedback import median
from taskforce.domain.records import AssignmentData, DesignationData, MemberData
from taskforce.services import case_events, feedback, members, roster, task_forces
from taskforce.services.attention import attention

from tests import factories as f
from tests import factories_feedback as ff
from tests.factories_debriefs import best_world

# --- a pair's median is the middle value, not the mean (rule 2: feedback timeliness) -------------


def test_median_is_the_middle_value_not_the_mean():
    assert median([1, 2, 30]) == 2  # mean 11
    assert median([30, 1, 2]) == 2  # in any order
    assert median([1, 3, 10, 40]) == 6.5  # even count: mean of the two middle ones (mean 13.5)
    assert median([40, 10, 1, 3]) == 6.5
    assert median([5, 5]) == 5 and median([0]) == 0
    assert median([]) is None


def test_pair_matrix_median_is_the_middle_days_not_the_mean(ctx):
    best = ff.best_seattle(ctx)
    given = date(2026, 3, 2)

    def closed_after(giver: int, days: tuple[int, ...]) -> None:
        for n in days:
            sid = ff.support(ctx, best.task_force, giver, best.hsi_seattle, given)
            feedback.record_feedback(ctx, ff.no_action(sid, date.fromordinal(given.toordinal() + n)))

    closed_after(best.blaine, (30, 1, 2))  # odd count: 2 (mean 11)
    closed_after(best.wsp, (40, 1, 10, 3))  # even count: (3 + 10) / 2 (mean 13.5)
    rows = {r.from_agency: r for r in feedback.pair_matrix(ctx, date(2026, 6, 1)).rows}
    assert (rows["CBP OFO Blaine"].closed, rows["CBP OFO Blaine"].median_days) == (3, 2)
    assert (rows["WSP"].closed, rows["WSP"].median_days) == (4, 6.5)
    # rolled up to CBP the pair is the same three
    rolled = {r.from_agency: r for r in feedback.pair_matrix(ctx, date(2026, 6, 1), rollup=True).rows}
    assert rolled["CBP"].median_days == 2


# --- 'expiring' includes the expiry day; 'expired' starts the day after (rule 7) -------------------

EXPIRES = date(2027, 1, 14)


def _ashby(ctx) -> int:
    w = best_world(ctx)
    ashby = members.create_member(ctx, MemberData("Ashby", "Greg", w.wsp, rank_title="TFO")).id
    members.save_member_item(ctx, AssignmentData(ashby, w.tf, "tfo", date(2025, 1, 15)))
    members.save_member_item(ctx, DesignationData(ashby, "title21", w.hsi_seattle, date(2025, 1, 15), EXPIRES))
    return ashby


def _records(result, kind: str) -> list[str]:
    return [i.record for i in result.items if i.kind == kind]


def test_home_screen_expiring_includes_the_expiry_day_and_expired_starts_the_day_after(ctx):
    _ashby(ctx)
    on_the_day = attention(ctx, EXPIRES)
    assert _records(on_the_day, "designation_expiring") == ["Ashby, Greg"]
    assert _records(on_the_day, "designation_expired") == []
    assert on_the_day.counts["designation_expiring"] == 1 and on_the_day.counts["designation_expired"] == 0
    (item,) = [i for i in on_the_day.items if i.kind == "designation_expiring"]
    assert (item.due, item.days) == (EXPIRES, 0)
    day_after = attention(ctx, date(2027, 1, 15))
    assert _records(day_after, "designation_expiring") == []
    assert _records(day_after, "designation_expired") == ["Ashby, Greg"]
    assert day_after.counts["designation_expiring"] == 0 and day_after.counts["designation_expired"] == 1


def test_roster_warns_on_the_expiry_day_and_calls_it_expired_the_day_after(ctx):
    _ashby(ctx)
    (row,) = roster.roster(ctx, EXPIRES, warnings_only=True)
    assert (row.status, row.band, row.days_left, row.expiry_text) == (
        DesignationStatus.EXPIRING, WarningBand.DAYS_30, 0, "expires today")
    (row,) = roster.roster(ctx, date(2027, 1, 15), warnings_only=True)
    assert (row.status, row.band, row.days_left) == (DesignationStatus.EXPIRED, WarningBand.EXPIRED, -1)


def test_the_pure_rule_counts_the_expiry_day_as_expiring():
    effective = date(2025, 1, 15)
    assert designation_status(effective, EXPIRES, [], EXPIRES) is DesignationStatus.EXPIRING
    assert designation_status(effective, EXPIRES, [], date(2027, 1, 15)) is DesignationStatus.EXPIRED
    assert (warning_band(EXPIRES, EXPIRES), warning_band(EXPIRES, date(2027, 1, 15))) == (
        WarningBand.DAYS_30, WarningBand.EXPIRED)


# --- only ICE HSI or the named investigative lead leads a controlled delivery (rule 5) -------------


def test_no_cbp_ofo_unit_leads_a_controlled_delivery_unless_named_investigative_lead():
    ofo = (12, "cbp_ofo")
    cbp, dhs = (13, "cbp"), (1, "dhs")
    blaine = [(44, None), (45, None), ofo, cbp, dhs]  # the port, its field office, OFO, CBP, DHS
    for chain in (blaine, blaine[1:], [ofo, cbp, dhs], [cbp, dhs]):
        assert not may_lead_controlled_delivery(chain, investigative_lead_id=None)
        assert not may_lead_controlled_delivery(chain, investigative_lead_id=40)  # HSI Seattle named
    assert may_lead_controlled_delivery(blaine, investigative_lead_id=45)  # its field office named
    assert not may_lead_controlled_delivery(blaine[2:], investigative_lead_id=45)  # not OFO above it
    # the named lead is matched by id anywhere in the chain, never by its position
    assert may_lead_controlled_delivery(blaine, investigative_lead_id=1)
    assert may_lead_controlled_delivery([(7, "ice_hsi")], investigative_lead_id=None)
    assert may_lead_controlled_delivery([(40, None), (7, "ice_hsi")], investigative_lead_id=99)


def test_cbp_ofo_on_best_is_refused_a_controlled_delivery_until_its_field_office_is_named(ctx):
    w = best_world(ctx)
    delivery = CaseEventData(w.case7, "controlled_delivery", date(2026, 7, 1), lead_agency_id=w.blaine,
                             agency_ids=(w.hsi_seattle,))
    for lead in (w.blaine, w.ofo_seattle, f.ref_agency(ctx, "cbp_ofo"), f.ref_agency(ctx, "cbp")):
        with pytest.raises(ValidationFailed, match="investigative agency"):
            case_events.add_event(ctx, replace(delivery, lead_agency_id=lead))
    data = task_forces.get_task_force(ctx, w.tf).data
    task_forces.update_task_force(ctx, w.tf, replace(data, investigative_lead_agency_id=w.ofo_seattle))
    assert case_events.add_event(ctx, delivery).id  # Blaine is a unit of the named field office
    with pytest.raises(ValidationFailed, match="investigative agency"):  # OFO above it is not
        case_events.add_event(ctx, replace(delivery, lead_agency_id=f.ref_agency(ctx, "cbp_ofo")))
    # ICE HSI leads whoever is named
    assert case_events.add_event(ctx, replace(delivery, lead_agency_id=w.hsi_seattle, agency_ids=(w.blaine,))).id

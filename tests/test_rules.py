"""Domain rules and validation as pure functions: no Qt, no database."""

from datetime import date

import pytest

from taskforce.domain.enums import DesignationStatus
from taskforce.domain.records import AgencyData, CaseData, DesignationData, SubjectData, TaskForceData
from taskforce.domain.designations import Lapse, designation_status, lapse_after
from taskforce.domain.rules import agreement_in_force, case_number_prefix, is_dhs_component, suggest_case_number

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("expires, status", [
    (None, DesignationStatus.ACTIVE),
    (date(2027, 6, 1), DesignationStatus.ACTIVE),
    (date(2027, 2, 21), DesignationStatus.EXPIRING),  # exactly 90 days ahead
    (date(2027, 2, 22), DesignationStatus.ACTIVE),  # 91 days ahead
    (TODAY, DesignationStatus.EXPIRING),  # still counts on its last day
    (date(2026, 11, 22), DesignationStatus.EXPIRED),  # rule 7: past expiry no longer counts
])
def test_designation_status(expires, status):
    assert designation_status(date(2025, 1, 1), expires, [], TODAY) is status
    assert designation_status(date(2026, 11, 24), expires, [], TODAY) is DesignationStatus.PENDING


D = date


@pytest.mark.parametrize("others, status", [
    ([(D(2026, 12, 1), D(2028, 11, 30))], DesignationStatus.RENEWED),   # takes over the day after
    ([(D(2026, 6, 1), None)], DesignationStatus.RENEWED),               # already in force, open-ended
    ([(D(2026, 12, 2), D(2028, 11, 30))], DesignationStatus.EXPIRING),  # one day's lapse
    ([(D(2025, 1, 1), D(2026, 11, 29))], DesignationStatus.EXPIRING),   # an older one is no renewal
    ([(D(2025, 1, 1), D(2026, 11, 30))], DesignationStatus.EXPIRING),   # nor one ending the same day
])
def test_rule_7_a_renewal_counts_only_when_it_takes_over_without_a_gap(others, status):
    assert designation_status(D(2024, 12, 1), D(2026, 11, 30), others, TODAY) is status


def test_rule_7_s15_a_renewal_recorded_in_advance_leaves_its_lapse_shown():
    """S15: Title 19 from 2025-03-01 expires 2027-02-28; a renewal recorded effective 2027-03-10
    leaves 2027-03-01 to 2027-03-09 without authority, shown ahead and while it lasts."""
    renewal = [(D(2027, 3, 10), D(2029, 3, 9))]
    assert lapse_after(D(2027, 2, 28), renewal) == Lapse(D(2027, 3, 1), D(2027, 3, 9))
    assert lapse_after(D(2027, 2, 28), []) == Lapse(D(2027, 3, 1), None)
    assert lapse_after(D(2027, 2, 28), [(D(2027, 3, 1), None)]) is None
    assert lapse_after(None, []) is None
    expiring = designation_status(D(2025, 3, 1), D(2027, 2, 28), renewal, D(2027, 1, 1))
    lapsed = [designation_status(D(2025, 3, 1), D(2027, 2, 28), renewal, day)
              for day in (D(2027, 2, 28), D(2027, 3, 1), D(2027, 3, 9), D(2027, 3, 10))]
    assert expiring is DesignationStatus.EXPIRING
    assert lapsed == [DesignationStatus.EXPIRING, DesignationStatus.EXPIRED, DesignationStatus.EXPIRED,
                      DesignationStatus.RENEWED]


def test_agreement_in_force_window():
    assert agreement_in_force(date(2025, 10, 1), date(2026, 9, 30), date(2026, 9, 30))
    assert not agreement_in_force(date(2025, 10, 1), date(2026, 9, 30), date(2026, 10, 1))
    assert not agreement_in_force(date(2027, 1, 1), None, TODAY)
    assert agreement_in_force(None, None, TODAY)


def test_dhs_component_is_derived_from_the_nesting():
    assert is_dhs_component(["cbp_ofo", "cbp", "dhs"])
    assert is_dhs_component([None, None, "cbp", "dhs"])  # a field office under OFO
    assert not is_dhs_component(["fbi", "doj"])
    assert not is_dhs_component([None])


def test_case_number_suggestions_follow_the_task_forces_pattern():
    existing = ["BEST-SEA-2026-0041", "BEST-SEA-2026-0042", "BEST-SEA-2025-0107", "odd number"]
    assert suggest_case_number(existing, "BEST-SEA", 2026) == "BEST-SEA-2026-0043"
    assert suggest_case_number(existing, "BEST-SEA", 2027) == "BEST-SEA-2027-0001"
    assert suggest_case_number([], "IBET-PAC", 2026) == "IBET-PAC-2026-0001"
    assert suggest_case_number(["X-2026-0001", "X-2026-0002"], "Y", 2026) == "X-2026-0003"
    assert case_number_prefix("BEST Seattle", "BEST") == "BEST-SEA"


def test_validation_names_each_bad_field():
    errors = {e.field for e in CaseData(number="", title="", task_force_id=None, lead_agency_id=None,
                                        opened_on=None, status="closed").validate()}
    assert errors >= {"number", "title", "task_force_id", "lead_agency_id", "opened_on", "closed_on", "closed_reason"}
    assert {e.field for e in AgencyData(name="X", level="local", ori="short").validate()} == {"ori"}
    assert {e.field for e in AgencyData(name="X", level="galactic").validate()} == {"level"}
    d = DesignationData(member_id=1, authority="287g", granting_agency_id=2, effective=TODAY, expires=None)
    assert {e.field for e in d.validate()} == {"agreement_id"}  # 002 II.A: needs its agreement
    assert {e.field for e in SubjectData(kind="organization", name="Acme", dob=TODAY).validate()} == {"dob"}
    tf = TaskForceData(name="T", kind="best", lead_agency_id=1, feedback_interval_days=0)
    assert {e.field for e in tf.validate()} == {"feedback_interval_days"}

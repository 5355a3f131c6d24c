"""Rules 7 and 8 (002 II.A, III): state and local cooperation, delegated 287(g) authority."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select

from taskforce.domain.cooperation import (
    IMPERMISSIBLE, PERMISSIBLE, ActivityType, CooperationActivityData, check_delegated_authority,
    refusal_reason,
)
from taskforce.domain.designations import DesignationFacts
from taskforce.domain.errors import ValidationFailed
from taskforce.services.context import Context
from taskforce.services import cooperation
from taskforce.store import schema as S

from tests import factories as f
from tests import factories_assist as fa

JUNE_15 = date(2026, 6, 15)


# --- the rules, pure ------------------------------------------------------------------------

def test_every_type_is_in_exactly_one_list():
    listed = set(PERMISSIBLE) | set(IMPERMISSIBLE) | {ActivityType.OTHER}
    assert listed == set(ActivityType)
    assert not set(PERMISSIBLE) & set(IMPERMISSIBLE)
    assert len(IMPERMISSIBLE) == 8  # the eight examples of 002 III.B
    assert all(len(t.value) <= 40 for t in ActivityType)  # cooperation_activity.activity_type


@pytest.mark.parametrize("activity_type", list(IMPERMISSIBLE))
def test_each_impermissible_type_is_refused_in_the_guidance_words(activity_type):
    reason = refusal_reason(activity_type)
    assert "002 III.B" in reason and IMPERMISSIBLE[activity_type] in reason
    errors = CooperationActivityData(1, activity_type, JUNE_15).validate()
    assert [e.field for e in errors] == ["activity_type"] and errors[0].message == reason


@pytest.mark.parametrize("activity_type", list(PERMISSIBLE))
def test_permissible_types_validate(activity_type):
    assert refusal_reason(activity_type) is None
    assert CooperationActivityData(1, activity_type, JUNE_15).validate() == []


def test_other_needs_a_description_for_the_review():
    assert [e.field for e in CooperationActivityData(1, "other", JUNE_15).validate()] == ["description"]
    assert CooperationActivityData(1, "other", JUNE_15, "Courthouse liaison").validate() == []


def _facts(id_=1, effective=date(2026, 6, 1), expires=date(2026, 12, 31), kind="287g",
           agreement_effective=date(2026, 1, 1), agreement_expires=date(2028, 12, 31), by_ice=True, party=True):
    return DesignationFacts(id_, effective, expires, 7, "287(g) MOA Whatcom County", kind,
                            agreement_effective, agreement_expires, granted_by_ice=by_ice, home_agency_party=party)


def test_delegated_authority_check():
    assert "no 287(g) designation" in check_delegated_authority([], JUNE_15).problem
    ok = check_delegated_authority([_facts()], JUNE_15)
    assert ok.ok and ok.designation_id == 1
    assert check_delegated_authority([_facts()], date(2026, 12, 31)).ok  # the last day counts
    expired = check_delegated_authority([_facts()], date(2027, 1, 1))
    assert not expired.ok and "expired on 2026-12-31" in expired.problem
    early = check_delegated_authority([_facts()], date(2026, 5, 31))
    assert "takes effect on 2026-06-01" in early.problem
    lapsed = check_delegated_authority([_facts(agreement_expires=date(2026, 6, 14))], JUNE_15)
    assert "agreement “287(g) MOA Whatcom County” is not in force on 2026-06-15" in lapsed.problem
    wrong_kind = check_delegated_authority([_facts(kind="mou")], JUNE_15)
    assert "is not a 287(g) agreement" in wrong_kind.problem
    # rule 7: granted by ICE, under the member's own agency's agreement
    assert "not granted by ICE" in check_delegated_authority([_facts(by_ice=False)], JUNE_15).problem
    assert "own agency is not a party" in check_delegated_authority([_facts(party=False)], JUNE_15).problem
    # with several, one good one is enough, and the longest-lasting is relied on
    both = check_delegated_authority([_facts(1, expires=date(2026, 9, 1)), _facts(2)], JUNE_15)
    assert both.designation_id == 2


# --- S6 through the services ----------------------------------------------------------------

def _activity(ctx, member_id, activity_type, day=JUNE_15, description=""):
    return cooperation.record_activity(ctx, CooperationActivityData(
        member_id=member_id, activity_type=activity_type, occurred_on=day, description=description))


def _stored(ctx, activity_id):
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(S.cooperation_activity).where(S.cooperation_activity.c.id == activity_id)).mappings().one()


def test_s6_perimeter_security_at_a_federal_arrest_warrant_is_accepted(ctx):
    solano = f.member(ctx, "Solano", "Ray", fa.wsp(ctx))
    change = _activity(ctx, solano, "warrant_perimeter", description="Blocked off Peace Portal Drive")
    row = _stored(ctx, change.id)
    assert row["activity_type"] == "warrant_perimeter" and not row["legal_review"]
    assert row["designation_id"] is None
    assert "member" in change.kinds  # shows in the member's history


def test_s6_independent_removal_is_refused_with_the_guidance_wording(ctx):
    solano = f.member(ctx, "Solano", "Ray", fa.wsp(ctx))
    with pytest.raises(ValidationFailed) as refused:
        _activity(ctx, solano, "independent_removal")
    message = refused.value.for_field("activity_type")
    assert "attempting to independently remove an alien from the United States" in message
    assert "002 III.B" in message
    assert cooperation.member_cooperation(ctx, solano).activities == ()


def test_s6_other_is_accepted_and_flagged_for_legal_review(ctx):
    solano = f.member(ctx, "Solano", "Ray", fa.wsp(ctx))
    activity_id = _activity(ctx, solano, "other", description="Interpreting at a port interview").id
    assert _stored(ctx, activity_id)["legal_review"]
    flagged = cooperation.list_activities(ctx, legal_review_only=True)
    assert [a.id for a in flagged] == [activity_id]


def test_s6_delegated_authority_needs_designation_and_agreement_that_day(ctx):
    ctx = Context(db=ctx.db, actor=ctx.actor, today=lambda: date(2027, 2, 1))  # the day after expiry is past
    sheriff = fa.whatcom_sheriff(ctx)
    hale = f.member(ctx, "Hale", "Kim", sheriff)
    with pytest.raises(ValidationFailed, match="no 287\\(g\\) designation"):
        _activity(ctx, hale, "delegated_immigration_authority")
    # both recorded: the agreement in force, the designation under it
    agreement = fa.agreement_287g(ctx, sheriff, effective=date(2026, 1, 1), expires=date(2028, 12, 31))
    designation = fa.designation(ctx, hale, "287g", date(2026, 6, 1), date(2026, 12, 31),
                                 agreement_id=agreement)
    accepted = _activity(ctx, hale, "delegated_immigration_authority", description="Jail model screening")
    assert _stored(ctx, accepted.id)["designation_id"] == designation
    assert _activity(ctx, hale, "delegated_immigration_authority", day=date(2026, 12, 31)).id
    # the day after the designation expires
    with pytest.raises(ValidationFailed) as refused:
        _activity(ctx, hale, "delegated_immigration_authority", day=date(2027, 1, 1))
    assert "no active 287(g) designation on 2027-01-01" in refused.value.for_field("activity_type")
    assert "expired on 2026-12-31" in str(refused.value)


def test_delegated_authority_refused_when_the_agreement_is_not_in_force(ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    hale = f.member(ctx, "Hale", "Kim", sheriff)
    agreement = fa.agreement_287g(ctx, sheriff, effective=date(2026, 7, 1))
    fa.designation(ctx, hale, "287g", date(2026, 6, 1), date(2026, 12, 31), agreement_id=agreement)
    with pytest.raises(ValidationFailed, match="is not in force on 2026-06-15"):
        _activity(ctx, hale, "delegated_immigration_authority")
    assert _activity(ctx, hale, "delegated_immigration_authority", day=date(2026, 7, 1)).id


def test_only_state_local_or_tribal_members_record_cooperation(ctx):
    okafor = f.member(ctx, "Okafor", "Lee")  # CBP OFO: federal
    with pytest.raises(ValidationFailed) as refused:
        _activity(ctx, okafor, "information_sharing")
    assert "federal" in refused.value.for_field("member_id")
    view = cooperation.member_cooperation(ctx, okafor)
    assert not view.may_record and "state, local or tribal" in view.why_not
    tribal = f.agency(ctx, "Lummi Nation Police Department", "tribal")
    assert _activity(ctx, f.member(ctx, "James", "Ana", tribal), "information_sharing").id


def test_corrections_are_checked_again_and_audited(ctx):
    solano = f.member(ctx, "Solano", "Ray", fa.wsp(ctx))
    activity_id = _activity(ctx, solano, "other", description="Liaison").id
    with pytest.raises(ValidationFailed, match="002 III.B"):
        cooperation.update_activity(ctx, activity_id, CooperationActivityData(
            solano, "mandated_status_inquiry", JUNE_15))
    cooperation.update_activity(ctx, activity_id, CooperationActivityData(
        solano, "information_sharing", JUNE_15, "Shared a BOLO"))
    row = _stored(ctx, activity_id)
    assert row["activity_type"] == "information_sharing" and not row["legal_review"]
    with ctx.db.engine.connect() as conn:
        fields = set(conn.execute(select(S.audit_log.c.field).where(
            S.audit_log.c.entity == "cooperation_activity", S.audit_log.c.root_entity == "member",
            S.audit_log.c.root_id == solano)).scalars())
    assert {"activity_type", "legal_review", "description"} <= fields
    cooperation.delete_activity(ctx, activity_id)
    assert cooperation.member_cooperation(ctx, solano).activities == ()


# --- the CLI --------------------------------------------------------------------------------

def _cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_cooperation(ctx, db_path):
    solano = f.member(ctx, "Solano", "Ray", fa.wsp(ctx))
    _activity(ctx, solano, "warrant_perimeter")
    _activity(ctx, solano, "other", day=date(2026, 6, 20), description="Courthouse liaison")
    out = _cli("--db", db_path, "cooperation")
    assert out.returncode == 0, out.stderr
    assert "Solano, Ray" in out.stdout and "[legal review]" in out.stdout and "2 activities" in out.stdout
    data = json.loads(_cli("--db", db_path, "cooperation", "--legal-review", "--json").stdout)
    assert [(d["activity_type"], d["legal_review"], d["description"]) for d in data] == [
        ("other", True, "Courthouse liaison")]

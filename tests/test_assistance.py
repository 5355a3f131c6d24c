"""Rule 1 (000): translation-only requests from outside DHS are referred, not worked."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select

from taskforce.domain.assistance import (
    TRANSLATION_SERVICES, AssistanceDecisionData, AssistanceRequestData, is_translation_only,
    transition_problem, triage_rule,
)
from taskforce.domain.errors import ValidationFailed
from taskforce.services import assistance, lists
from taskforce.store import schema as S

from tests import factories as f
from tests import factories_assist as fa

MAY_4 = date(2026, 5, 4)


# --- the rule, pure -------------------------------------------------------------------------

@pytest.mark.parametrize("bases, dhs, referred", [
    ({"translation"}, False, True),
    ({"translation"}, True, False),  # DHS components are triaged normally
    ({"translation", "officer_safety"}, False, False),  # "absent any other circumstances"
    ({"officer_safety"}, False, False),
    ({"other"}, False, False),
    (set(), False, False),
])
def test_triage_rule(bases, dhs, referred):
    rule = triage_rule(bases, dhs)
    assert rule.referred is referred
    assert rule.status == ("referred" if referred else "open")
    assert rule.outcome == ("referred_to_translation" if referred else "")
    assert rule.referred_to == (TRANSLATION_SERVICES if referred else "")
    assert "(000)" in rule.reason
    if dhs and bases == {"translation"}:
        assert "DHS component" in rule.reason


def test_translation_only_means_nothing_else():
    assert is_translation_only(["translation"])
    assert not is_translation_only(["translation", "facilities"])
    assert not is_translation_only([])


def test_request_validation():
    bad = AssistanceRequestData(requesting_agency_id=None, requested_on=None, bases=("telepathy",))
    fields = {e.field for e in bad.validate()}
    assert fields == {"requesting_agency_id", "requested_on", "bases"}
    assert AssistanceRequestData(1, MAY_4, ()).validate()[0].field == "bases"
    other = AssistanceRequestData(1, MAY_4, ("other",)).validate()
    assert [e.field for e in other] == ["description"]
    assert AssistanceRequestData(1, MAY_4, ("other",), "Canine unit").validate() == []


def test_transitions():
    assert transition_problem("open", "triaged", "") is None
    assert transition_problem("referred", "triaged", "") is not None  # needs a reason
    assert transition_problem("referred", "triaged", "Officer safety emerged on the call") is None
    assert "cannot become" in transition_problem("completed", "open", "")
    assert AssistanceDecisionData("declined").validate()[0].field == "outcome_reason"
    assert AssistanceDecisionData("completed").validate()[0].field == "outcome"


# --- S1 through the services ----------------------------------------------------------------

def _request(ctx, agency_id, bases, **kw):
    return assistance.create_request(ctx, AssistanceRequestData(
        requesting_agency_id=agency_id, requested_on=MAY_4, bases=tuple(bases),
        requested_of_agency_id=kw.pop("of", f.ref_agency(ctx, "cbp")), **kw)).id


def test_s1_translation_only_request_from_sheriff_is_referred_with_reason(ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    request_id = _request(ctx, sheriff, ["translation"], description="Spanish interpreter for a traffic stop")
    detail = assistance.get_request(ctx, request_id)
    assert detail.status == "referred"
    assert detail.outcome == "referred_to_translation"
    assert detail.outcome_label == "Referred to translation services"
    assert detail.referred_to == "translation services"
    # the user sees why: the stored reason cites the memorandum
    assert "solely on a need for language translation" in detail.outcome_reason
    assert "(000)" in detail.outcome_reason
    assert detail.data.requested_on == MAY_4 and detail.data.bases == ("translation",)
    assert detail.requesting_agency.startswith("WCSO")
    # recorded in the same audited create: status, outcome, reason and referral together
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(select(S.audit_log).where(S.audit_log.c.root_entity == "assistance_request",
                                                      S.audit_log.c.root_id == request_id)).mappings().all()
    assert len({r["change_id"] for r in rows}) == 1
    created = json.loads(next(r["new_value"] for r in rows if r["action"] == "create"))
    assert created["status"] == "referred" and created["referred_to"] == "translation services"
    assert created["outcome"] == "referred_to_translation" and "(000)" in created["outcome_reason"]
    assert any(r["field"] == "bases" and r["new_value"] == "translation" for r in rows)


def test_s1_translation_and_officer_safety_stays_open(ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    detail = assistance.get_request(ctx, _request(ctx, sheriff, ["translation", "officer_safety"]))
    assert (detail.status, detail.outcome, detail.referred_to, detail.outcome_reason) == ("open", "", "", "")
    assert not detail.rule.referred and "other than language translation" in detail.rule.reason


def test_s1_uscis_translation_only_stays_open(ctx):
    detail = assistance.get_request(ctx, _request(ctx, f.ref_agency(ctx, "uscis"), ["translation"]))
    assert detail.requester_is_dhs_component
    assert detail.status == "open" and detail.outcome == ""
    assert "DHS component" in detail.rule.reason


def test_a_field_office_under_cbp_counts_as_dhs(ctx):
    blaine = f.agency(ctx, "CBP OFO Blaine", "federal", f.ref_agency(ctx, "cbp_ofo"))
    assert assistance.get_request(ctx, _request(ctx, blaine, ["translation"])).status == "open"
    fbi = f.ref_agency(ctx, "fbi")  # a federal organization outside DHS is referred
    assert assistance.get_request(ctx, _request(ctx, fbi, ["translation"])).status == "referred"


def test_correcting_bases_reapplies_the_rule_until_triaged(ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    request_id = _request(ctx, sheriff, ["translation"])
    data = assistance.get_request(ctx, request_id).data
    assistance.update_request(ctx, request_id, AssistanceRequestData(
        data.requesting_agency_id, data.requested_on, ("translation", "warrant_execution")))
    detail = assistance.get_request(ctx, request_id)
    assert (detail.status, detail.outcome, detail.referred_to) == ("open", "", "")
    assistance.decide_request(ctx, request_id, AssistanceDecisionData("triaged"))
    # once triaged, a correction no longer re-applies the rule
    assistance.update_request(ctx, request_id, AssistanceRequestData(
        data.requesting_agency_id, data.requested_on, ("translation",)))
    assert assistance.get_request(ctx, request_id).status == "triaged"


def test_decisions(ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    request_id = _request(ctx, sheriff, ["officer_safety"])
    assistance.decide_request(ctx, request_id, AssistanceDecisionData("triaged"))
    assistance.decide_request(ctx, request_id, AssistanceDecisionData("completed", outcome="assisted"))
    detail = assistance.get_request(ctx, request_id)
    assert (detail.status, detail.outcome_label) == ("completed", "Assistance provided")
    with pytest.raises(ValidationFailed, match="cannot become"):
        assistance.decide_request(ctx, request_id, AssistanceDecisionData("triaged"))
    declined = _request(ctx, sheriff, ["facilities"])
    assistance.decide_request(ctx, declined, AssistanceDecisionData("declined", outcome_reason="No space"))
    assert assistance.get_request(ctx, declined).outcome == "declined"
    # a referral taken back needs a reason, and loses the referral outcome
    referred = _request(ctx, sheriff, ["translation"])
    with pytest.raises(ValidationFailed, match="needs a reason"):
        assistance.decide_request(ctx, referred, AssistanceDecisionData("triaged"))
    assistance.decide_request(ctx, referred, AssistanceDecisionData(
        "triaged", outcome_reason="The deputy reports a threat to officer safety"))
    assert assistance.get_request(ctx, referred).outcome == ""


def test_list_spec_and_listing(ctx):
    sheriff = fa.whatcom_sheriff(ctx)
    referred = _request(ctx, sheriff, ["translation"])
    open_one = _request(ctx, sheriff, ["translation", "officer_safety"])
    spec = assistance.ASSISTANCE
    assert spec.name == "assistance" and spec.entity == "assistance_request"
    ids = lists.list_ids(ctx, spec, lists.Query())
    assert set(ids) == {referred, open_one}
    rows = lists.list_rows(ctx, spec, ids)
    keys = [c.key for c in spec.columns]
    row = dict(zip(keys, rows[referred]))
    assert row["outcome"] == "Referred to translation services"
    assert row["bases"] == "Language translation"
    assert row["status"] == "referred"
    both = dict(zip(keys, rows[open_one]))["bases"]
    assert set(both.split(", ")) == {"Language translation", "Officer safety"}
    only_open = lists.list_ids(ctx, spec, lists.Query(filters=(("status", "open"),)))
    assert only_open == [open_one]
    by_basis = lists.list_ids(ctx, spec, lists.Query(filters=(("basis", "officer_safety"),)))
    assert by_basis == [open_one]
    assert lists.list_ids(ctx, spec, lists.Query(text="Whatcom")) != []
    assert [r.id for r in assistance.list_requests(ctx, status="referred")] == [referred]
    with pytest.raises(ValidationFailed):
        assistance.list_requests(ctx, status="lost")


# --- the CLI --------------------------------------------------------------------------------

def _cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}
    return subprocess.run([sys.executable, "-m", "taskforce", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_assistance(ctx, db_path):
    sheriff = fa.whatcom_sheriff(ctx)
    _request(ctx, sheriff, ["translation"])
    _request(ctx, f.ref_agency(ctx, "uscis"), ["translation"])
    out = _cli("--db", db_path, "assistance")
    assert out.returncode == 0, out.stderr
    assert "Referred to translation services" in out.stdout and "WCSO" in out.stdout
    assert "(000)" in out.stdout  # the reason is shown
    data = json.loads(_cli("--db", db_path, "assistance", "--status", "open", "--json").stdout)
    assert len(data) == 1 and data[0]["requesting_agency"].startswith("USCIS")
    assert data[0]["bases"] == ["translation"] and data[0]["status"] == "open"
    bad = _cli("--db", db_path, "assistance", "--status", "lost")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "Traceback" not in bad.stderr

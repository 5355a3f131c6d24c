"""Rule 5 (001 Controlled Deliveries): the case timeline; controlled deliveries are led by the
investigative agency and get an outcome."""

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from taskforce.domain.case_events import (
    CONTROLLED_DELIVERY_REFUSED, CaseEventData, EventKind, may_lead_controlled_delivery,
)
from taskforce.domain.errors import NotFound, ValidationFailed
from taskforce.domain.records import Participation, TaskForceData
from taskforce.services import case_events, history, lookup, task_forces

from tests import factories as f
from tests.factories_debriefs import best_world

# --- pure rules -----------------------------------------------------------------------------


def test_rule_5_controlled_delivery_lead_is_ice_hsi_or_the_named_investigative_lead():
    hsi_seattle = [(40, None), (7, "ice_hsi"), (6, "ice"), (1, "dhs")]
    wsp = [(41, None)]
    fbi_seattle = [(42, None), (11, "fbi"), (10, "doj")]
    ofo_blaine = [(44, None), (12, "cbp_ofo"), (13, "cbp"), (1, "dhs")]
    assert may_lead_controlled_delivery(hsi_seattle, investigative_lead_id=40)
    assert may_lead_controlled_delivery(hsi_seattle, investigative_lead_id=None)  # HSI anywhere
    assert not may_lead_controlled_delivery(wsp, investigative_lead_id=40)
    assert not may_lead_controlled_delivery(wsp, investigative_lead_id=None)
    assert not may_lead_controlled_delivery([(6, "ice"), (1, "dhs")], investigative_lead_id=40)  # ICE above HSI: no
    assert not may_lead_controlled_delivery(ofo_blaine, investigative_lead_id=40)  # no CBP OFO unit
    assert may_lead_controlled_delivery(ofo_blaine, investigative_lead_id=12)  # a unit of the named lead
    assert may_lead_controlled_delivery(ofo_blaine, investigative_lead_id=44)  # unless named itself
    assert may_lead_controlled_delivery(fbi_seattle, investigative_lead_id=42)  # a JTTF's named lead
    assert may_lead_controlled_delivery([(43, None)] + fbi_seattle, investigative_lead_id=42)  # or its unit
    assert not may_lead_controlled_delivery(fbi_seattle, investigative_lead_id=43)  # not the unit's parent
    assert not may_lead_controlled_delivery(fbi_seattle, investigative_lead_id=40)


def test_event_validation():
    assert {e.field for e in CaseEventData(None, "", None).validate()} == {"case_id", "kind", "occurred_on"}
    cd = CaseEventData(1, "controlled_delivery", date(2026, 7, 1))
    assert [e.field for e in cd.validate()] == ["lead_agency_id"]
    assert cd.needs_outcome and not replace(cd, outcome="delivered").needs_outcome
    assert not CaseEventData(1, "arrest", date(2026, 7, 1)).needs_outcome
    assert [e.field for e in CaseEventData(1, "arrest", date(2026, 7, 1), agency_ids=(3, 3)).validate()] == ["agency_ids"]
    assert EventKind.SEARCH_WARRANT.label == "Search warrant executed"


# --- services -------------------------------------------------------------------------------


def _delivery(w, lead: int, **kw) -> CaseEventData:
    return CaseEventData(case_id=w.case7, kind="controlled_delivery", occurred_on=date(2026, 7, 1),
                         lead_agency_id=lead, description="14 kg cocaine in a tractor-trailer, Blaine to Seattle",
                         agency_ids=(w.blaine, w.wsp), **kw)


def test_s5_controlled_delivery_led_by_ice_hsi_is_accepted_by_wsp_refused(ctx):
    w = best_world(ctx)
    event_id = case_events.add_event(ctx, _delivery(w, w.hsi_seattle)).id

    with pytest.raises(ValidationFailed) as err:
        case_events.add_event(ctx, _delivery(w, w.wsp))
    assert err.value.for_field("lead_agency_id") == CONTROLLED_DELIVERY_REFUSED
    assert str(err.value) == ("Controlled deliveries are led by the investigative agency "
                              "(ICE HSI or the task force's investigative lead).")
    assert [e.id for e in case_events.timeline(ctx, w.case7).events] == [event_id]

    # the outcome is recorded and appears on the timeline
    case_events.record_outcome(ctx, event_id, "delivered; 2 arrests made; 14 kg cocaine seized")
    t = case_events.timeline(ctx, w.case7)
    e = t.events[0]
    assert (e.kind_label, e.lead_agency, e.data.outcome) == (
        "Controlled delivery", "HSI SEA", "delivered; 2 arrests made; 14 kg cocaine seized")
    assert e.agencies == ("OFO Blaine", "WSP") and set(e.data.agency_ids) == {w.blaine, w.wsp}
    assert not e.data.needs_outcome
    # in the case's history, with the case as root
    audit = history.history(ctx, "case_file", w.case7)
    assert any(h.what == f"case event #{event_id}" and h.field == "outcome" for h in audit)
    assert any(h.field == f"agencies of event #{event_id}" for h in audit)


def test_changing_an_event_into_a_controlled_delivery_checks_its_lead(ctx):
    w = best_world(ctx)
    arrest = CaseEventData(w.case7, "arrest", date(2026, 7, 2), lead_agency_id=w.wsp)
    event_id = case_events.add_event(ctx, arrest).id  # an arrest by WSP is fine
    with pytest.raises(ValidationFailed, match="Controlled deliveries are led by the investigative agency"):
        case_events.update_event(ctx, event_id, replace(arrest, kind="controlled_delivery"))
    assert case_events.timeline(ctx, w.case7).events[0].data.kind == "arrest"
    # an HSI unit under the Seattle office may lead
    group = f.agency(ctx, "HSI Seattle Title 21 Group Blaine", "federal", w.hsi_seattle)
    case_events.update_event(ctx, event_id, replace(arrest, kind="controlled_delivery", lead_agency_id=group))
    assert case_events.timeline(ctx, w.case7).events[0].data.lead_agency_id == group


def test_rule_5_a_jttf_leads_its_own_controlled_delivery_only_once_it_names_its_investigative_lead(ctx):
    w = best_world(ctx)
    fbi_seattle = f.agency(ctx, "FBI Seattle Field Office", "federal", f.ref_agency(ctx, "fbi"))
    tf = TaskForceData(name="JTTF Seattle", kind="jttf", lead_agency_id=fbi_seattle)
    jttf = task_forces.create_task_force(ctx, tf).id
    assert task_forces.get_task_force(ctx, jttf).data.investigative_lead_agency_id is None
    case = f.case(ctx, jttf, "JTTF-SEA-2026-0003", "Explosives precursors", lead_agency_id=fbi_seattle)
    data = CaseEventData(case, "controlled_delivery", date(2026, 8, 3), lead_agency_id=fbi_seattle)
    with pytest.raises(ValidationFailed, match="investigative agency"):  # leading the task force is not enough
        case_events.add_event(ctx, data)
    task_forces.update_task_force(ctx, jttf, replace(tf, investigative_lead_agency_id=fbi_seattle))
    assert task_forces.get_task_force(ctx, jttf).investigative_lead == "FBI Seattle Field Office"
    assert case_events.add_event(ctx, data).id
    # the same FBI office does not lead one on the BEST case (its investigative lead is HSI)
    with pytest.raises(ValidationFailed, match="investigative agency"):
        case_events.add_event(ctx, replace(data, case_id=w.case7))


def test_s13_best_names_hsi_seattle_and_a_wsp_led_task_force_names_it_too_so_wsp_is_refused(ctx):
    w = best_world(ctx)
    # BEST Seattle (lead HSI Seattle) took HSI Seattle as its investigative lead by default
    assert task_forces.get_task_force(ctx, w.tf).data.investigative_lead_agency_id == w.hsi_seattle
    state = task_forces.create_task_force(ctx, TaskForceData(
        name="WSP Interdiction Task Force", kind="working_group", lead_agency_id=w.wsp,
        participants=(Participation(w.hsi_seattle),))).id
    assert task_forces.get_task_force(ctx, state).data.investigative_lead_agency_id == w.hsi_seattle
    case = f.case(ctx, state, "WSP-ITF-2026-0001", "I-5 corridor load", lead_agency_id=w.wsp)
    led_by_wsp = CaseEventData(case, "controlled_delivery", date(2026, 8, 3), lead_agency_id=w.wsp)
    with pytest.raises(ValidationFailed, match="investigative agency"):
        case_events.add_event(ctx, led_by_wsp)
    with pytest.raises(ValidationFailed, match="investigative agency"):  # nor CBP OFO on BEST
        case_events.add_event(ctx, replace(led_by_wsp, case_id=w.case7, lead_agency_id=w.blaine))
    assert case_events.add_event(ctx, replace(led_by_wsp, lead_agency_id=w.hsi_seattle)).id


def test_timeline_is_in_date_order_and_events_can_be_removed(ctx):
    w = best_world(ctx)
    later = case_events.add_event(ctx, CaseEventData(w.case7, "indictment", date(2026, 9, 15))).id
    earlier = case_events.add_event(ctx, CaseEventData(w.case7, "search_warrant", date(2026, 7, 2),
                                                       lead_agency_id=w.hsi_seattle, agency_ids=(w.wsp,))).id
    delivery = case_events.add_event(ctx, _delivery(w, w.hsi_seattle)).id
    t = case_events.timeline(ctx, w.case7)
    assert [e.id for e in t.events] == [delivery, earlier, later]
    assert t.events[0].data.needs_outcome  # shown as owed until recorded
    assert case_events.timeline(ctx, w.case12).events == ()
    case_events.delete_event(ctx, earlier)
    assert [e.id for e in case_events.timeline(ctx, w.case7).events] == [delivery, later]
    assert any(h.action == "delete" and h.what == f"case event #{earlier}"
               for h in history.history(ctx, "case_file", w.case7))
    with pytest.raises(ValidationFailed):
        case_events.record_outcome(ctx, delivery, "  ")


def test_case_picker_and_lookup_by_number(ctx):
    w = best_world(ctx)
    assert lookup.cases(ctx, "0012") == [(w.case12, "BEST-SEA-2026-0012 — Alien smuggling at Blaine")]
    assert {i for i, _ in lookup.cases(ctx, "blaine")} == {w.case7, w.case12}
    assert lookup.case_label(ctx, w.case7) == "BEST-SEA-2026-0007 — Fentanyl via Blaine"
    assert case_events.case_lead(ctx, w.case12) == w.blaine
    with pytest.raises(NotFound, match="No case is numbered BEST-SEA-1999-0001"):
        case_events.timeline_by_number(ctx, "BEST-SEA-1999-0001")


# --- command line ---------------------------------------------------------------------------


def _cli(db_path, *args):
    return subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_timeline(ctx, db_path):
    w = best_world(ctx)
    case_events.add_event(ctx, CaseEventData(w.case7, "indictment", date(2026, 9, 15)))
    case_events.add_event(ctx, _delivery(w, w.hsi_seattle, outcome="delivered; 2 arrests made; seized"))
    result = _cli(db_path, "timeline", "BEST-SEA-2026-0007")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "BEST-SEA-2026-0007 — Fentanyl via Blaine"
    assert lines[1] == "2026-07-01  Controlled delivery  led by HSI SEA  with OFO Blaine, WSP"
    assert "outcome: delivered; 2 arrests made; seized" in result.stdout
    assert lines[-2].startswith("2026-09-15  Indictment") and lines[-1] == "2 events"
    out = json.loads(_cli(db_path, "timeline", "BEST-SEA-2026-0007", "--json").stdout)
    assert [e["kind"] for e in out["events"]] == ["controlled_delivery", "indictment"]
    assert out["events"][0]["outcome"] == "delivered; 2 arrests made; seized"
    missing = _cli(db_path, "timeline", "NOPE-1")
    assert missing.returncode == 1 and missing.stderr.strip() == "taskforce: No case is numbered NOPE-1."

"""Rule 3 (001 Presence of CBP Officers During Interviews): debriefs and the briefing owed.

Pure rules first, then the services on a real file (story S3 with its own dates), the list
section, and the command line through a subprocess.
"""

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from taskforce.domain.debriefs import (
    BriefingData, BriefingStatus, DebriefData, DebriefParticipant, WaiverData, briefing_owed,
    briefing_status, closing_date_problem, is_cbp, owed_days,
)
from taskforce.domain.errors import Conflict, ValidationFailed
from taskforce.services import debriefs, history, lists
from taskforce.services.context import Context
from taskforce.store import schema as S

from tests.factories_debriefs import best_world

# --- pure rules -----------------------------------------------------------------------------


def test_cbp_means_cbp_or_any_of_its_units():
    assert is_cbp([None, None, "cbp_ofo", "cbp", "dhs"])  # a port under OFO
    assert is_cbp(["cbp", "dhs"])
    assert not is_cbp(["ice_hsi", "ice", "dhs"])
    assert not is_cbp([])


def test_briefing_owed_exactly_when_no_participant_is_cbp():
    hsi, usao, blaine = ["ice_hsi", "ice", "dhs"], [None, "doj"], [None, None, "cbp_ofo", "cbp", "dhs"]
    assert briefing_owed([hsi, usao])
    assert not briefing_owed([hsi, usao, blaine])
    assert briefing_owed([])  # nobody from CBP, so owed


def test_briefing_status_never_hides_a_recorded_briefing_or_waiver():
    day = date(2026, 6, 12)
    assert briefing_status(True, None, None) is BriefingStatus.OWED
    assert briefing_status(True, day, None) is BriefingStatus.BRIEFED
    assert briefing_status(True, None, day) is BriefingStatus.WAIVED
    assert briefing_status(False, None, None) is BriefingStatus.NOT_NEEDED
    # a CBP officer added after the briefing: the briefing stays on record
    assert briefing_status(False, day, None) is BriefingStatus.BRIEFED


def test_owed_days_counts_from_the_debrief():
    assert owed_days(date(2026, 6, 10), date(2026, 6, 10)) == 0
    assert owed_days(date(2026, 6, 10), date(2026, 6, 12)) == 2


def test_closing_date_between_debrief_and_today():
    held, today = date(2026, 6, 10), date(2026, 11, 23)
    assert closing_date_problem(held, date(2026, 6, 12), today) is None
    assert "before the debrief" in closing_date_problem(held, date(2026, 6, 9), today)
    assert "future" in closing_date_problem(held, date(2026, 11, 24), today)


def _participant(member=None, name="", agency=None, role="interviewer"):
    return DebriefParticipant(member, name, agency, role)


@pytest.mark.parametrize("participants, message", [
    ((), "at least one participant"),
    ((_participant(1, "Helen Marsh"),), "either a member or an outside person"),
    ((_participant(None, ""),), "needs a member or an outside person's name"),
    ((_participant(None, "Helen Marsh"),), "outside participant needs their agency"),
    ((_participant(1, role="bystander"),), "needs a role"),
    ((_participant(1), _participant(1, role="note_taker")), "only once"),
])
def test_debrief_participants_are_checked(participants, message):
    data = DebriefData(case_id=1, held_on=date(2026, 6, 10), lead_agency_id=2, participants=participants)
    errors = data.validate()
    assert any(e.field == "participants" and message in e.message for e in errors), errors


def test_debrief_needs_case_date_and_lead():
    errors = {e.field for e in DebriefData(None, None, None, participants=(_participant(1),)).validate()}
    assert errors == {"case_id", "held_on", "lead_agency_id"}


def test_waiver_needs_a_written_reason_and_briefing_its_people():
    assert {e.field for e in WaiverData(1, date(2026, 6, 12), "   ").validate()} == {"reason"}
    assert not WaiverData(1, date(2026, 6, 12), "AUSA asked for no further attendees").validate()
    assert {e.field for e in BriefingData(1, None, "", "").validate()} == {"briefed_on", "briefed_by", "briefed_to"}


# --- services -------------------------------------------------------------------------------


def _s3_debrief(w, **changes) -> DebriefData:
    data = DebriefData(
        case_id=w.case7, held_on=date(2026, 6, 10), lead_agency_id=w.hsi_seattle,
        defendant_subject_id=w.dario, place="U.S. Attorney's Office, W.D. Washington",
        prosecutor_office="U.S. Attorney's Office, W.D. Washington",
        participants=(DebriefParticipant(w.quill, "", None, "interviewer"),
                      DebriefParticipant(None, "AUSA Helen Marsh", w.usao, "counsel")))
    return replace(data, **changes)


def _open_ids(ctx, as_of=None) -> list[int]:
    return [r.id for r in debriefs.list_debriefs(ctx, owed_only=True, as_of=as_of).rows]


def test_s3_debrief_without_cbp_officer_owes_briefing_until_recorded(ctx):
    w = best_world(ctx)
    debrief_id = debriefs.create_debrief(ctx, _s3_debrief(w)).id

    d = debriefs.get_debrief(ctx, debrief_id, as_of=date(2026, 6, 11))
    assert d.briefing_owed and d.status is BriefingStatus.OWED and d.owed_days == 1
    assert d.data.lead_agency_id == w.hsi_seattle  # the investigating agency owes it
    assert [(p.name, p.agency, p.role, p.is_cbp) for p in d.participants] == [
        ("SA Mara Quill", "HSI SEA", "interviewer", False),  # a member's agency: their home agency
        ("AUSA Helen Marsh", "USAO WDWA", "counsel", False)]
    page = debriefs.list_debriefs(ctx, owed_only=True, as_of=date(2026, 6, 11))
    assert page.total == 1 and page.rows[0].owed_days == 1 and page.rows[0].lead_agency.startswith("HSI SEA")
    assert page.rows[0].participants == "Mara Quill (interviewer); AUSA Helen Marsh (counsel)"

    # 2026-06-12, SA Quill briefs SCBPO Lee Okafor (CBP OFO Blaine): closed
    debriefs.record_briefing(ctx, BriefingData(debrief_id, date(2026, 6, 12), "SA Mara Quill",
                                               "SCBPO Lee Okafor (CBP OFO Blaine)", "Cooperation on sources."))
    d = debriefs.get_debrief(ctx, debrief_id)
    assert d.status is BriefingStatus.BRIEFED and d.owed_days is None
    assert (d.briefed_on, d.briefed_by, d.briefed_to) == (date(2026, 6, 12), "SA Mara Quill",
                                                          "SCBPO Lee Okafor (CBP OFO Blaine)")
    assert _open_ids(ctx) == []
    with pytest.raises(Conflict, match="already recorded on 2026-06-12"):
        debriefs.record_briefing(ctx, BriefingData(debrief_id, date(2026, 6, 13), "x", "y"))
    # the briefing is in the case's history and the debrief's own
    assert any(h.field == "briefed_on" and h.new == "2026-06-12" for h in history.history(ctx, "case_file", w.case7))
    assert any(h.field == "briefed_to" for h in history.history(ctx, "debrief", debrief_id))


def test_s3_debrief_with_cbp_officer_from_a_port_opens_no_obligation(ctx):
    w = best_world(ctx)
    data = _s3_debrief(w, participants=_s3_debrief(w).participants
                       + (DebriefParticipant(w.reyes, "", None, "subject_matter_expert"),))
    debrief_id = debriefs.create_debrief(ctx, data).id
    d = debriefs.get_debrief(ctx, debrief_id)
    assert not d.briefing_owed and d.status is BriefingStatus.NOT_NEEDED
    assert [p.is_cbp for p in d.participants] == [False, False, True]  # CBP OFO Blaine, under CBP
    assert _open_ids(ctx) == []
    with pytest.raises(Conflict, match="No briefing is owed"):
        debriefs.record_briefing(ctx, BriefingData(debrief_id, date(2026, 6, 12), "x", "y"))
    with pytest.raises(Conflict, match="No briefing is owed"):
        debriefs.waive_briefing(ctx, WaiverData(debrief_id, date(2026, 6, 12), "not needed"))


def test_s3_waiver_needs_a_reason_is_audited_and_shown_as_waived(ctx):
    w = best_world(ctx)
    debrief_id = debriefs.create_debrief(ctx, _s3_debrief(w)).id
    with pytest.raises(ValidationFailed) as err:
        debriefs.waive_briefing(ctx, WaiverData(debrief_id, date(2026, 6, 11), " "))
    assert err.value.for_field("reason")
    assert debriefs.get_debrief(ctx, debrief_id).status is BriefingStatus.OWED  # nothing half-done

    reason = "AUSA asked that no further officers be briefed before the plea hearing."
    debriefs.waive_briefing(ctx, WaiverData(debrief_id, date(2026, 6, 11), reason))
    d = debriefs.get_debrief(ctx, debrief_id)
    assert d.status is BriefingStatus.WAIVED and d.waiver_reason == reason and d.waived_on == date(2026, 6, 11)
    assert _open_ids(ctx) == []
    audit = history.history(ctx, "debrief", debrief_id)
    assert {(h.field, h.new) for h in audit} >= {("waived_on", "2026-06-11"), ("waiver_reason", reason)}
    assert all(h.who == "m.quill (tester)" for h in audit if h.field in ("waived_on", "waiver_reason"))
    # shown as waived in the list section, never as simply closed
    rows = lists.list_rows(ctx, debriefs.DEBRIEFS, [debrief_id])
    columns = [c.key for c in debriefs.DEBRIEFS.columns]
    assert rows[debrief_id][columns.index("briefing")] == "waived"
    with pytest.raises(Conflict, match="waived on 2026-06-11"):
        debriefs.record_briefing(ctx, BriefingData(debrief_id, date(2026, 6, 12), "x", "y"))


def test_briefing_date_must_follow_the_debrief_and_not_be_in_the_future(ctx):
    w = best_world(ctx)
    debrief_id = debriefs.create_debrief(ctx, _s3_debrief(w)).id
    for day, text in ((date(2026, 6, 9), "before the debrief"), (date(2026, 11, 24), "future")):
        with pytest.raises(ValidationFailed, match=text) as err:
            debriefs.record_briefing(ctx, BriefingData(debrief_id, day, "SA Mara Quill", "SCBPO Lee Okafor"))
        assert err.value.for_field("briefed_on")
    assert debriefs.get_debrief(ctx, debrief_id).status is BriefingStatus.OWED


def test_obligation_is_reevaluated_when_participants_change(ctx):
    w = best_world(ctx)
    data = _s3_debrief(w)
    debrief_id = debriefs.create_debrief(ctx, data).id
    with_reyes = replace(data, participants=data.participants + (DebriefParticipant(w.reyes, "", None, "note_taker"),))
    debriefs.update_debrief(ctx, debrief_id, with_reyes)
    assert debriefs.get_debrief(ctx, debrief_id).status is BriefingStatus.NOT_NEEDED
    audit = history.history(ctx, "debrief", debrief_id)
    assert any(h.action == "create" and h.what.startswith("debrief participant") and "note_taker" in h.new
               for h in audit)
    assert any(h.field == "briefing_owed" and (h.old, h.new) == ("yes", "no") for h in audit)
    # the two who stayed were not deleted and re-added
    assert sum(h.action == "create" and h.what.startswith("debrief participant") for h in audit) == 3

    debriefs.update_debrief(ctx, debrief_id, data)  # Reyes removed again: owed once more
    assert debriefs.get_debrief(ctx, debrief_id).status is BriefingStatus.OWED
    assert _open_ids(ctx) == [debrief_id]


def test_outside_cbp_participant_counts_and_lists_and_delete(ctx):
    w = best_world(ctx)
    # an outside person whose agency is a CBP unit counts as CBP too (the rule is the agency)
    data = _s3_debrief(w, participants=(DebriefParticipant(None, "SCBPO Lee Okafor", w.blaine, "subject_matter_expert"),
                                        DebriefParticipant(w.quill, "", None, "interviewer")))
    quiet = debriefs.create_debrief(ctx, data).id
    owed = debriefs.create_debrief(ctx, _s3_debrief(w, held_on=date(2026, 7, 1))).id
    assert _open_ids(ctx) == [owed]

    spec = debriefs.DEBRIEFS
    ids = lists.list_ids(ctx, spec, lists.Query())
    assert ids == [owed, quiet]  # newest first
    assert lists.list_ids(ctx, spec, lists.Query(filters=(("briefing", "owed"),))) == [owed]
    assert lists.list_ids(ctx, spec, lists.Query(text="Vantong")) == [owed, quiet]
    rows = lists.list_rows(ctx, spec, ids)
    keys = [c.key for c in spec.columns]
    row = dict(zip(keys, rows[owed]))
    assert row["case"] == "BEST-SEA-2026-0007" and row["defendant"] == "Dario Vantongeren"
    assert (row["cbp_present"], row["briefing"], row["owed_days"]) == ("no", "owed", 145)  # 2026-07-01 → 11-23
    assert dict(zip(keys, rows[quiet]))["cbp_present"] == "yes"
    assert dict(zip(keys, rows[quiet]))["owed_days"] is None
    assert [r.id for r in debriefs.case_debriefs(ctx, w.case7)] == [owed, quiet]

    debriefs.delete_debrief(ctx, owed)
    with ctx.db.engine.connect() as conn:
        left = conn.execute(select(S.debrief_participant.c.debrief_id)).scalars().all()
    assert set(left) == {quiet}


def test_unknown_case_is_refused_with_a_sentence(ctx):
    w = best_world(ctx)
    with pytest.raises(Exception, match="no longer exists"):
        debriefs.create_debrief(ctx, _s3_debrief(w, case_id=9999))


# --- command line ---------------------------------------------------------------------------


def _cli(db_path, *args):
    return subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_lists_debriefs_and_owed_briefings(ctx, db_path):
    w = best_world(ctx)
    owed = debriefs.create_debrief(ctx, _s3_debrief(w)).id
    other = _s3_debrief(w, held_on=date(2026, 6, 20), participants=(DebriefParticipant(w.reyes, "", None, "interviewer"),))
    debriefs.create_debrief(ctx, other)

    result = _cli(db_path, "debriefs", "--owed", "--as-of", "2026-06-22", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["total"] == 1 and out["as_of"] == "2026-06-22"
    first = out["debriefs"][0]
    assert (first["id"], first["briefing"], first["owed_days"], first["cbp_present"]) == (owed, "owed", 12, False)

    text = _cli(db_path, "debriefs", "--as-of", "2026-06-22")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.strip().splitlines()
    assert lines[0].startswith("2026-06-20") and "CBP present: yes" in lines[0] and "not needed" in lines[0]
    assert "owed for 12 days, by HSI SEA" in lines[1]
    assert lines[-1] == "2 debriefs (as of 2026-06-22)"

    bad = _cli(db_path, "debriefs", "--as-of", "22/06/2026")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "YYYY-MM-DD" in bad.stderr

    debriefs.record_briefing(ctx, BriefingData(owed, date(2026, 6, 12), "SA Mara Quill", "SCBPO Lee Okafor"))
    assert _cli(db_path, "debriefs", "--owed").stdout.strip() == "No briefing is owed."


def test_ages_follow_the_context_day(db):
    """The list section's age uses the context's today (the :today parameter), not the clock."""
    from taskforce.services.context import Actor

    ctx = Context(db=db, actor=Actor("tester", "m.quill"), today=lambda: date(2026, 6, 15))
    w = best_world(ctx)
    debrief_id = debriefs.create_debrief(ctx, _s3_debrief(w)).id
    keys = [c.key for c in debriefs.DEBRIEFS.columns]
    row = dict(zip(keys, lists.list_rows(ctx, debriefs.DEBRIEFS, [debrief_id])[debrief_id]))
    assert row["owed_days"] == 5
    assert debriefs.get_debrief(ctx, debrief_id).owed_days == 5

"""The demo's coordination records: every home-screen kind on the day it is made, and the rules
each record kind follows (DOMAIN.md rules 1–10), at 300 and at 12 cases."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from taskforce.domain.assistance import TRANSLATION_REFERRAL_REASON
from taskforce.services import attention as home
from taskforce.services.context import Actor, Context
from taskforce.services.demo import generate_demo
from taskforce.services.demo.coordination import Coordination
from taskforce.services.tx import read
from taskforce.store.database import Database

TODAY = date(2026, 11, 23)
SEED = 5

# agencies under a reference agency (itself included), by the reference agency's ref_key
UNDER = """WITH RECURSIVE under(id) AS (SELECT id FROM agency WHERE ref_key = ?
           UNION ALL SELECT a.id FROM agency a JOIN under u ON a.parent_id = u.id)"""


def _fresh_ctx(template: Path, folder: Path) -> Context:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "taskforce.sqlite"
    shutil.copyfile(template, path)
    return Context(db=Database.open(path), actor=Actor(os_user="tester", app_user="m.quill"),
                   today=lambda: TODAY)


@pytest.fixture(scope="module")
def demo(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory):
    ctx = _fresh_ctx(migrated_template, tmp_path_factory.mktemp("coordination"))
    generate_demo(ctx, cases=300, seed=SEED)
    yield ctx
    ctx.db.close()


@pytest.fixture(scope="module")
def small(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory):
    ctx = _fresh_ctx(migrated_template, tmp_path_factory.mktemp("coordination12"))
    generate_demo(ctx, cases=12, seed=SEED)
    yield ctx
    ctx.db.close()


def _rows(ctx: Context, sql: str, *params) -> list[tuple]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params).all()]


def _one(ctx: Context, sql: str, *params):
    return _rows(ctx, sql, *params)[0][0]


def _under(ctx: Context, ref_key: str) -> set[int]:
    return {r[0] for r in _rows(ctx, f"{UNDER} SELECT id FROM under", ref_key)}


RECORD_TABLES = ("support", "support_caveat", "feedback", "seizure", "debrief", "debrief_participant",
                 "referral", "case_event", "case_event_agency", "assistance_request", "assistance_basis",
                 "cooperation_activity", "meeting", "meeting_attendee", "action_item", "detail", "subject_match")


# --- needs attention, on the day the demo is made ------------------------------------------------

def test_every_kind_needs_attention_at_300_cases(demo):
    counts = home.attention(demo).counts
    assert set(counts) == set(home.KINDS)
    assert all(counts[k] >= 1 for k in home.KINDS), counts


def test_every_kind_needs_attention_at_12_cases(small):
    counts = home.attention(small).counts
    assert all(counts[k] >= 1 for k in home.KINDS), counts


@pytest.mark.parametrize("cases, seed", [(1, 1), (2, 3), (12, 6), (40, 2)])
def test_every_kind_whatever_the_size_and_seed(migrated_template, tmp_path, cases, seed):
    ctx = _fresh_ctx(migrated_template, tmp_path)
    try:
        generate_demo(ctx, cases=cases, seed=seed)
        counts = home.attention(ctx).counts
        assert all(counts[k] >= 1 for k in home.KINDS), counts
        assert _rows(ctx, "PRAGMA foreign_key_check") == []
    finally:
        ctx.db.close()


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_every_record_kind_is_there(fixture, request):
    ctx = request.getfixturevalue(fixture)
    for table in RECORD_TABLES:
        assert _one(ctx, f"SELECT count(*) FROM {table}") > 0, table


def test_scale_follows_the_cases(demo):
    n = 300
    assert n / 4 < _one(demo, "SELECT count(*) FROM support") < n / 2
    assert n / 20 < _one(demo, "SELECT count(*) FROM debrief") < n / 5
    assert n / 40 < _one(demo, "SELECT count(*) FROM referral") < n / 8
    assert n / 2 < _one(demo, "SELECT count(*) FROM case_event") < 2 * n
    assert n / 40 < _one(demo, "SELECT count(*) FROM assistance_request") < n / 8


# --- integrity, audit, determinism ---------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_foreign_keys_hold(fixture, request):
    assert _rows(request.getfixturevalue(fixture), "PRAGMA foreign_key_check") == []


def test_every_record_is_audited_under_its_parent(demo):
    roots = {"support": "support", "feedback": "support", "seizure": "support", "debrief": "case_file",
             "debrief_participant": "debrief", "referral": "case_file", "case_event": "case_file",
             "assistance_request": "assistance_request", "cooperation_activity": "member",
             "meeting": "meeting", "meeting_attendee": "meeting", "action_item": "meeting",
             "detail": "member", "subject_match": "subject"}
    for table, root in roots.items():
        missing = _one(demo, f"""SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                                 WHERE a.entity = ? AND a.entity_id = t.id AND a.action = 'create'
                                 AND a.root_entity = ?)""", table, root)
        assert missing == 0, table
    # a decision on a pair shows in both subjects' History
    assert _one(demo, """SELECT count(*) FROM subject_match m WHERE (SELECT count(*) FROM audit_log a
                         WHERE a.entity = 'subject_match' AND a.entity_id = m.id AND a.root_entity = 'subject'
                         AND a.root_id IN (m.subject_a_id, m.subject_b_id)) <> 2""") == 0
    # link rows are in their parent's create snapshot
    assert _one(demo, """SELECT count(*) FROM case_event e JOIN audit_log a ON a.entity = 'case_event'
                         AND a.entity_id = e.id WHERE json_extract(a.new_value, '$.agencies') IS NULL""") == 0


def test_same_seed_gives_the_same_records(demo, migrated_template, tmp_path):
    other = _fresh_ctx(migrated_template, tmp_path / "again")
    try:
        generate_demo(other, cases=300, seed=SEED)
        for sql in ("SELECT * FROM support ORDER BY id", "SELECT * FROM feedback ORDER BY id",
                    "SELECT * FROM debrief ORDER BY id", "SELECT * FROM debrief_participant ORDER BY id",
                    "SELECT * FROM referral ORDER BY id", "SELECT * FROM case_event ORDER BY id",
                    "SELECT * FROM assistance_request ORDER BY id", "SELECT * FROM detail ORDER BY id",
                    "SELECT * FROM case_event_caveat ORDER BY event_id, caveat_id",
                    "SELECT * FROM debrief_caveat ORDER BY debrief_id, caveat_id",
                    "SELECT * FROM subject_caveat ORDER BY subject_id, caveat_id",
                    "SELECT entity_id, old_value, new_value FROM audit_log WHERE field = 'lead_agency_id' ORDER BY id",
                    "SELECT subject_a_id, subject_b_id, decision, decided_at FROM subject_match ORDER BY id"):
            assert _rows(demo, sql) == _rows(other, sql), sql
    finally:
        other.db.close()


def test_the_phase_does_not_move_the_earlier_phases(demo, migrated_template, tmp_path, monkeypatch):
    """The coordination phase draws from its own stream: without it, a seed gives the same
    agencies, members, designations, cases and subjects."""
    monkeypatch.setattr(Coordination, "write", lambda self: None)
    other = _fresh_ctx(migrated_template, tmp_path / "without")
    try:
        generate_demo(other, cases=300, seed=SEED)
        for sql in ("SELECT * FROM case_file ORDER BY id", "SELECT * FROM case_member ORDER BY id",
                    "SELECT * FROM case_subject ORDER BY id", "SELECT * FROM case_note ORDER BY id",
                    "SELECT * FROM member ORDER BY id", "SELECT * FROM assignment ORDER BY id",
                    "SELECT * FROM subject ORDER BY id", "SELECT * FROM designation ORDER BY id",
                    "SELECT * FROM subject_caveat ORDER BY subject_id"):
            theirs = _rows(other, sql)
            assert theirs and _rows(demo, sql)[:len(theirs)] == theirs, sql  # ours may add rows after
    finally:
        other.db.close()


# --- the rules each record follows ----------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_feedback_obligations_are_consistent(fixture, request):
    ctx = request.getfixturevalue(fixture)
    # due after the task force's interval, fixed when it opened
    assert _one(ctx, """SELECT count(*) FROM support s JOIN task_force t ON t.id = s.task_force_id
                        WHERE julianday(s.feedback_due_on) - julianday(s.given_on) <> t.feedback_interval_days""") == 0
    assert _one(ctx, "SELECT count(*) FROM support WHERE given_on > ? OR from_agency_id = to_agency_id",
                TODAY.isoformat()) == 0
    # closed exactly when feedback was recorded, on the day it was reported
    assert _one(ctx, """SELECT count(*) FROM support s LEFT JOIN feedback f ON f.support_id = s.id
                        WHERE (f.id IS NULL) <> (s.feedback_closed_on IS NULL)
                        OR f.reported_on <> s.feedback_closed_on OR f.reported_on < s.given_on""") == 0
    # "no action" has its reason and no results; otherwise there are results
    assert _one(ctx, """SELECT count(*) FROM feedback f WHERE no_action AND (no_action_reason = ''
                        OR arrests + indictments + prosecutions + convictions + penalties_usd > 0
                        OR EXISTS (SELECT 1 FROM seizure z WHERE z.feedback_id = f.id))""") == 0
    assert _one(ctx, """SELECT count(*) FROM feedback f WHERE NOT no_action AND other = ''
                        AND arrests + indictments + prosecutions + convictions + penalties_usd = 0
                        AND NOT EXISTS (SELECT 1 FROM seizure z WHERE z.feedback_id = f.id)""") == 0
    # a support on a case belongs to the case's task force
    assert _one(ctx, """SELECT count(*) FROM support s JOIN case_file c ON c.id = s.case_id
                        WHERE c.task_force_id <> s.task_force_id""") == 0


def test_feedback_is_mostly_closed_some_open_some_overdue(demo):
    closed, still_open, overdue = _rows(demo, """SELECT sum(feedback_closed_on IS NOT NULL),
        sum(feedback_closed_on IS NULL AND feedback_due_on >= ?), sum(feedback_closed_on IS NULL
        AND feedback_due_on < ?) FROM support""", TODAY.isoformat(), TODAY.isoformat())[0]
    assert closed > 2 * (still_open + overdue) and overdue >= 1
    assert _one(demo, "SELECT count(*) FROM feedback WHERE no_action") >= 1
    assert _one(demo, "SELECT count(*) FROM feedback WHERE arrests > 0") >= 1
    seizures = _rows(demo, "SELECT commodity, quantity, unit, value_usd FROM seizure")
    assert seizures and all(c and q and u for c, q, u, _v in seizures)
    assert all(q.replace(".", "", 1).isdigit() for _c, q, _u, _v in seizures)
    assert any(v > 0 for *_x, v in seizures)


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_briefing_owed_exactly_when_no_cbp_officer_took_part(fixture, request):
    ctx = request.getfixturevalue(fixture)
    # a member counts by home agency, an outside person by the agency given (rule 3)
    wrong = _one(ctx, f"""{UNDER} SELECT count(*) FROM debrief d WHERE d.briefing_owed =
                 EXISTS (SELECT 1 FROM debrief_participant p LEFT JOIN member m ON m.id = p.member_id
                         WHERE p.debrief_id = d.id AND coalesce(m.home_agency_id, p.agency_id) IN
                         (SELECT id FROM under))""", "cbp")
    assert wrong == 0
    # a briefing or a waiver closes only what was owed, never both, after the debrief
    assert _one(ctx, """SELECT count(*) FROM debrief WHERE (NOT briefing_owed AND (briefed_on IS NOT NULL
                        OR waived_on IS NOT NULL)) OR (briefed_on IS NOT NULL AND waived_on IS NOT NULL)
                        OR briefed_on < held_on OR waived_on < held_on
                        OR (briefed_on IS NOT NULL AND (briefed_by = '' OR briefed_to = ''))
                        OR (waived_on IS NOT NULL AND waiver_reason = '')""") == 0
    assert _one(ctx, "SELECT count(*) FROM debrief d WHERE NOT EXISTS "
                     "(SELECT 1 FROM debrief_participant p WHERE p.debrief_id = d.id)") == 0


def test_debriefs_mostly_have_a_cbp_officer_and_the_owed_ones_are_mostly_closed(demo):
    owed, not_owed = _rows(demo, "SELECT sum(briefing_owed), sum(NOT briefing_owed) FROM debrief")[0]
    assert not_owed > owed > 0
    briefed, waived, still = _rows(demo, """SELECT sum(briefed_on IS NOT NULL), sum(waived_on IS NOT NULL),
        sum(briefed_on IS NULL AND waived_on IS NULL) FROM debrief WHERE briefing_owed""")[0]
    assert briefed > waived and briefed > still and still >= 1


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_referrals_have_one_lead(fixture, request):
    ctx = request.getfixturevalue(fixture)
    assert _one(ctx, """SELECT count(*) FROM referral r JOIN case_file c ON c.id = r.case_id
                        WHERE r.status = 'accepted' AND r.to_agency_id <> c.lead_agency_id""") == 0
    assert _one(ctx, """SELECT count(*) FROM referral WHERE from_agency_id = to_agency_id
                        OR (status = 'pending') <> (decided_on IS NULL) OR decided_on < referred_on
                        OR (status = 'declined' AND decision_reason = '')""") == 0
    # one pending referral per case, and never to the agency that already leads it
    assert _one(ctx, "SELECT count(*) FROM (SELECT case_id FROM referral WHERE status = 'pending' "
                     "GROUP BY case_id HAVING count(*) > 1)") == 0
    assert _one(ctx, """SELECT count(*) FROM referral r JOIN case_file c ON c.id = r.case_id
                        WHERE r.status <> 'accepted' AND r.to_agency_id = c.lead_agency_id""") == 0


def test_referrals_are_mostly_accepted(demo):
    counts = dict(_rows(demo, "SELECT status, count(*) FROM referral GROUP BY status"))
    assert counts["accepted"] > counts["declined"] >= 1 and counts["pending"] >= 1


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_controlled_deliveries_are_led_by_ice_hsi_or_the_task_force_investigative_lead(fixture, request):
    ctx = request.getfixturevalue(fixture)
    wrong = _rows(ctx, f"""{UNDER} SELECT e.id FROM case_event e JOIN case_file c ON c.id = e.case_id
                  JOIN task_force t ON t.id = c.task_force_id WHERE e.kind = 'controlled_delivery'
                  AND e.lead_agency_id NOT IN (SELECT id FROM under)
                  AND e.lead_agency_id IS NOT t.investigative_lead_agency_id""", "ice_hsi")
    assert wrong == []
    assert _one(ctx, "SELECT count(*) FROM case_event WHERE kind = 'controlled_delivery' AND outcome = ''") == 0


def test_case_events_fit_their_case(demo):
    kinds = {r[0] for r in _rows(demo, "SELECT DISTINCT kind FROM case_event")}
    assert kinds >= {"arrest", "seizure", "search_warrant", "arrest_warrant", "indictment", "conviction",
                     "controlled_delivery"}
    assert _one(demo, "SELECT count(*) FROM case_event WHERE kind = 'controlled_delivery'") >= 1
    assert _one(demo, """SELECT count(*) FROM case_event e JOIN case_file c ON c.id = e.case_id
                         WHERE e.occurred_on < c.opened_on OR e.occurred_on > coalesce(c.closed_on, ?)""",
                TODAY.isoformat()) == 0
    assert _one(demo, "SELECT count(*) FROM case_event_agency x JOIN case_event e ON e.id = x.event_id "
                      "WHERE x.agency_id = e.lead_agency_id") == 0


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_translation_only_requests_from_outside_dhs_are_referred(fixture, request):
    ctx = request.getfixturevalue(fixture)
    rows = _rows(ctx, f"""{UNDER} SELECT r.status, r.outcome, r.outcome_reason, r.referred_to,
                 r.requesting_agency_id IN (SELECT id FROM under),
                 (SELECT group_concat(basis) FROM assistance_basis b WHERE b.request_id = r.id)
                 FROM assistance_request r""", "dhs")
    referred = [r for r in rows if r[5] == "translation" and not r[4]]
    assert referred
    assert all(r[:4] == ("referred", "referred_to_translation", TRANSLATION_REFERRAL_REASON,
                         "translation services") for r in referred)
    others = [r for r in rows if r not in referred]
    assert others and all(r[1] != "referred_to_translation" for r in others)
    assert all(r[1] for r in others if r[0] in ("completed", "declined"))


def test_assistance_requests_are_worked(demo):
    statuses = {r[0] for r in _rows(demo, "SELECT DISTINCT status FROM assistance_request")}
    assert statuses >= {"referred", "completed"} and statuses & {"open", "triaged"}


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_cooperation_only_by_state_local_and_tribal_members_with_permissible_types(fixture, request):
    ctx = request.getfixturevalue(fixture)
    assert _one(ctx, """SELECT count(*) FROM cooperation_activity x JOIN member m ON m.id = x.member_id
                        JOIN agency a ON a.id = m.home_agency_id
                        WHERE a.level NOT IN ('state', 'local', 'tribal')""") == 0
    permissible = {"joint_task_force", "warrant_tactical", "warrant_perimeter", "equipment_facilities",
                   "evidence_or_stop", "detainee_access", "case_referral", "information_sharing",
                   "delegated_immigration_authority", "other"}
    assert {r[0] for r in _rows(ctx, "SELECT DISTINCT activity_type FROM cooperation_activity")} <= permissible
    assert _one(ctx, "SELECT count(*) FROM cooperation_activity WHERE legal_review <> (activity_type = 'other')") == 0
    assert _one(ctx, "SELECT count(*) FROM cooperation_activity WHERE activity_type = 'other'") >= 1


def test_delegated_authority_only_with_a_287g_designation_in_force_that_day(demo):
    rows = _rows(demo, """SELECT x.occurred_on, d.member_id = x.member_id, d.authority, d.effective, d.expires,
                          g.kind, g.effective, g.expires
                          FROM cooperation_activity x LEFT JOIN designation d ON d.id = x.designation_id
                          LEFT JOIN agreement g ON g.id = d.agreement_id
                          WHERE x.activity_type = 'delegated_immigration_authority'""")
    assert rows
    for day, same, authority, effective, expires, kind, ag_from, ag_to in rows:
        assert same and authority == "287g" and kind == "287g"
        assert effective <= day <= expires and ag_from <= day <= ag_to
    assert _one(demo, "SELECT count(*) FROM cooperation_activity WHERE designation_id IS NOT NULL "
                      "AND activity_type <> 'delegated_immigration_authority'") == 0


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_working_groups_meet_with_attendees_and_action_items(fixture, request):
    ctx = request.getfixturevalue(fixture)
    assert _one(ctx, "SELECT count(*) FROM meeting m JOIN task_force t ON t.id = m.task_force_id "
                     "WHERE t.kind <> 'working_group'") == 0
    assert _one(ctx, "SELECT count(*) FROM meeting m WHERE NOT EXISTS "
                     "(SELECT 1 FROM meeting_attendee a WHERE a.meeting_id = m.id)") == 0
    gaps = [(date.fromisoformat(b) - date.fromisoformat(a)).days for _tf, a, b in _rows(ctx, """
        SELECT task_force_id, held_on, lead(held_on) OVER (PARTITION BY task_force_id ORDER BY held_on)
        FROM meeting""") if b]
    assert gaps and all(80 <= g <= 100 for g in gaps)  # quarterly
    assert _one(ctx, """SELECT count(*) FROM action_item WHERE (owner_member_id IS NULL) = (owner_agency_id IS NULL)
                        OR (status = 'done') <> (done_on IS NOT NULL) OR done_on > ?""", TODAY.isoformat()) == 0
    statuses = _rows(ctx, "SELECT sum(status = 'done'), sum(status = 'open' AND due_on < ?) FROM action_item",
                     TODAY.isoformat())[0]
    assert statuses[0] >= 1 and statuses[1] >= 1


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_details_are_cbp_officers_with_ice_hsi_for_a_90_day_evaluation(fixture, request):
    ctx = request.getfixturevalue(fixture)
    hsi, cbp = _under(ctx, "ice_hsi"), _under(ctx, "cbp")
    rows = [(s, v, e, t, host in hsi, home in cbp) for s, v, e, t, host, home in _rows(ctx, """
        SELECT x.starts_on, x.evaluation_on, x.evaluated_on, x.evaluation, x.host_agency_id, m.home_agency_id
        FROM detail x JOIN member m ON m.id = x.member_id""")]
    assert rows
    for starts, evaluation, evaluated, text, at_hsi, from_cbp in rows:
        assert at_hsi and from_cbp
        assert date.fromisoformat(evaluation) - date.fromisoformat(starts) == timedelta(days=90)
        assert (evaluated is None) == (text == "")
        assert evaluated is None or evaluation <= evaluated <= TODAY.isoformat()
    assert any(e is not None for _s, _v, e, *_r in rows) or len(rows) < 3
    assert any(e is None and v <= TODAY.isoformat() for _s, v, e, *_r in rows)


@pytest.mark.parametrize("fixture", ["demo", "small"])
def test_subject_matches_pair_similar_names_on_different_cases(fixture, request):
    from taskforce.domain.deconfliction import MIN_SCORE, name_similarity

    ctx = request.getfixturevalue(fixture)
    rows = _rows(ctx, """SELECT m.subject_a_id, m.subject_b_id, m.decision, m.score, a.name, b.name
                         FROM subject_match m JOIN subject a ON a.id = m.subject_a_id
                         JOIN subject b ON b.id = m.subject_b_id""")
    assert rows and {r[2] for r in rows} <= {"confirmed", "dismissed"}
    assert any(r[2] == "confirmed" for r in rows)
    for a, b, _decision, score, name_a, name_b in rows:
        assert a < b and score >= MIN_SCORE and name_similarity(name_a, name_b) >= 75
        assert _one(ctx, "SELECT count(*) FROM case_subject x JOIN case_subject y ON x.case_id = y.case_id "
                         "WHERE x.subject_id = ? AND y.subject_id = ?", a, b) == 0


# --- the rules as the services now enforce them (a47c0c4), checked over the whole file ---------

def _chains(ctx: Context) -> dict[int, list[tuple[int, str | None]]]:
    """Each agency and the agencies above it, nearest first, as (id, ref_key)."""
    up = {i: (parent, ref) for i, parent, ref in _rows(ctx, "SELECT id, parent_id, ref_key FROM agency")}
    chains = {}
    for agency_id in up:
        chain, at = [], agency_id
        while at is not None and len(chain) < 32:
            chain.append((at, up[at][1]))
            at = up[at][0]
        chains[agency_id] = chain
    return chains


def _lead_problems(ctx: Context, ids: dict[int, list[int]]) -> list:
    """Rule 4 replayed case by case: the case opens with the lead of its create snapshot; each
    referral must come from the lead of its day (or a unit) and go elsewhere; each acceptance
    moves the lead, as the History's lead changes say; the last lead is the case's."""
    from taskforce.domain.referrals import may_refer

    opened_with = dict(_rows(ctx, "SELECT entity_id, json_extract(new_value, '$.lead_agency_id') FROM audit_log "
                                  "WHERE entity = 'case_file' AND action = 'create'"))
    moved = sorted(_rows(ctx, "SELECT entity_id, CAST(old_value AS INTEGER), CAST(new_value AS INTEGER) "
                              "FROM audit_log WHERE entity = 'case_file' AND field = 'lead_agency_id'"))
    referrals: dict[int, list[tuple]] = {}
    for case_id, *rest in _rows(ctx, "SELECT case_id, id, referred_on, from_agency_id, to_agency_id, status, "
                                     "decided_on FROM referral ORDER BY case_id, referred_on, id"):
        referrals.setdefault(case_id, []).append(rest)
    problems, moves = [], []
    for case_id, lead_now in _rows(ctx, "SELECT id, lead_agency_id FROM case_file"):
        lead = int(opened_with[case_id])
        accepted = sorted((decided, to) for _r, _on, _frm, to, status, decided in referrals.get(case_id, ())
                          if status == "accepted")
        for referral_id, on, giver, receiver, _status, _decided in referrals.get(case_id, ()):
            lead_then = next((to for decided, to in reversed(accepted) if decided <= on), lead)
            if not may_refer(ids[giver], lead_then) or receiver == lead_then:
                problems.append(("referral", referral_id))
        for _decided, to in accepted:
            moves.append((case_id, lead, to))
            lead = to
        if lead != lead_now:
            problems.append(("case", case_id))
    return problems + [("lead changes", moved, sorted(moves))] * (moved != sorted(moves))


def _support_problems(ctx: Context) -> list:
    """Rule 2: the support an accepted referral opens (from the referring agency to the receiving
    one, on the decision day) and a controlled delivery opens (to its lead from each other
    agency involved, on its day), each due after the task force's interval and audited; none
    other names a referral or an event, or is of those kinds."""
    wanted = sorted(_rows(ctx, """
        SELECT r.id, NULL, r.from_agency_id, r.to_agency_id, 'referral', r.decided_on, r.case_id
        FROM referral r WHERE r.status = 'accepted'
        UNION ALL
        SELECT NULL, e.id, x.agency_id, e.lead_agency_id, 'controlled_delivery', e.occurred_on, e.case_id
        FROM case_event e JOIN case_event_agency x ON x.event_id = e.id WHERE e.kind = 'controlled_delivery'"""),
        key=repr)
    found = sorted(_rows(ctx, """
        SELECT s.referral_id, s.event_id, s.from_agency_id, s.to_agency_id, s.kind, s.given_on, s.case_id
        FROM support s JOIN task_force t ON t.id = s.task_force_id
        WHERE (s.referral_id IS NOT NULL OR s.event_id IS NOT NULL OR s.kind IN ('referral', 'controlled_delivery'))
        AND julianday(s.feedback_due_on) - julianday(s.given_on) = t.feedback_interval_days
        AND EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'support' AND a.entity_id = s.id
                    AND a.action = 'create')"""), key=repr)
    answered = _one(ctx, "SELECT count(*) FROM support WHERE (referral_id IS NOT NULL OR event_id IS NOT NULL) "
                         "AND feedback_closed_on IS NOT NULL")
    return [] if wanted and found == wanted and answered else [("wanted", wanted), ("found", found), answered]


def test_the_demo_obeys_the_rules_as_the_services_enforce_them(demo):
    """What services/ refuses or derives since the rules changed (a47c0c4), the demo writes too:
    one assertion per rule, over the whole 300-case file."""
    from taskforce.domain.case_events import may_lead_controlled_delivery
    from taskforce.domain.debriefs import briefing_owed
    from taskforce.domain.designations import grant_287g_problem
    from taskforce.domain.details import host_problem
    from taskforce.domain.records import future_dates

    ctx = demo
    chains = _chains(ctx)
    ids = {a: [i for i, _r in chain] for a, chain in chains.items()}
    refs = {a: [r for _i, r in chain] for a, chain in chains.items()}

    # rule 5: a controlled delivery is led by ICE HSI (or a unit) or the task force's investigative lead
    deliveries = _rows(ctx, """SELECT e.id, e.lead_agency_id, t.investigative_lead_agency_id FROM case_event e
                               JOIN case_file c ON c.id = e.case_id JOIN task_force t ON t.id = c.task_force_id
                               WHERE e.kind = 'controlled_delivery'""")
    assert deliveries and not [e for e, lead, investigative in deliveries
                               if not may_lead_controlled_delivery(chains[lead], investigative)], "rule 5"

    # rule 4: a referral comes from the case's lead of its day; an accepted one moves the lead
    assert not _lead_problems(ctx, ids), f"rule 4: {_lead_problems(ctx, ids)}"

    # rule 2: an accepted referral and a controlled delivery are support given, some answered
    assert not _support_problems(ctx), f"rule 2: {_support_problems(ctx)}"

    # rule 6: subjects, events and debriefs carry caveats, in their create snapshot as a support's
    # do; an EU PNR-derived subject was entered by CBP (or one of its units)
    carried = [_rows(ctx, f"""SELECT x.{column}, group_concat(x.caveat_id),
                              (SELECT json_extract(a.new_value, '$.caveats') FROM audit_log a WHERE a.entity = ?
                               AND a.entity_id = x.{column} AND a.action = 'create')
                              FROM {table} x GROUP BY x.{column}""", parent)
               for table, column, parent in (("subject_caveat", "subject_id", "subject"),
                                             ("case_event_caveat", "event_id", "case_event"),
                                             ("debrief_caveat", "debrief_id", "debrief"))]
    pnr = _rows(ctx, """SELECT s.originating_agency_id FROM subject s JOIN subject_caveat x ON x.subject_id = s.id
                        JOIN caveat c ON c.id = x.caveat_id WHERE c.ref_key = 'eu_pnr'""")
    unsnapshotted = [item for rows in carried for item, linked, snapshot in rows
                     if sorted(linked.split(",")) != sorted((snapshot or "").split(", "))]
    assert all(carried) and pnr and all("cbp" in refs[a] for a, in pnr) and not unsnapshotted, "rule 6"

    # rule 7: a 287(g) designation is granted by ICE (or an ICE office) under a 287(g) agreement with
    # ICE to which the member's own agency (or the agency above it) is a party
    parties: dict[int, set[int]] = {}
    for agreement_id, agency_id in _rows(ctx, "SELECT agreement_id, agency_id FROM agreement_party"):
        parties.setdefault(agreement_id, set()).add(agency_id)
    grants = _rows(ctx, """SELECT d.granting_agency_id, g.id, g.kind, m.home_agency_id FROM designation d
                           JOIN member m ON m.id = d.member_id LEFT JOIN agreement g ON g.id = d.agreement_id
                           WHERE d.authority = '287g'""")
    problems = [grant_287g_problem(
        granted_by_ice="ice" in refs[grantor], agreement_kind=kind,
        ice_party=any("ice" in refs[p] for p in parties.get(agreement, ())),
        home_agency_party=bool(parties.get(agreement, set()) & set(ids[home])))
        for grantor, agreement, kind, home in grants]
    assert grants and not any(problems), f"rule 7: {problems}"

    # rule 10: a detail's host is never the member's own agency, one of its units or one above it
    hosts = _rows(ctx, "SELECT m.home_agency_id, d.host_agency_id FROM detail d JOIN member m ON m.id = d.member_id")
    assert hosts and not [h for h in hosts if host_problem(ids[h[0]], ids[h[1]])], "rule 10"

    # rule 3: a briefing is owed exactly when no participant is CBP, a member judged by home agency
    presence: dict[int, list[int]] = {}
    for debrief_id, agency_id in _rows(ctx, """SELECT p.debrief_id, coalesce(m.home_agency_id, p.agency_id)
                                              FROM debrief_participant p LEFT JOIN member m ON m.id = p.member_id"""):
        presence.setdefault(debrief_id, []).append(agency_id)
    owed = _rows(ctx, "SELECT id, briefing_owed FROM debrief")
    assert owed and not [d for d, o in owed if bool(o) != briefing_owed(refs[a] for a in presence[d])], "rule 3"

    # nothing that happened is dated after the demo's today (the latest day of each kind)
    happened = {"debrief": ("held_on", "briefed_on", "waived_on"), "referral": ("referred_on", "decided_on"),
                "case_event": ("occurred_on",), "cooperation_activity": ("occurred_on",), "action_item": ("done_on",),
                "feedback": ("reported_on",), "support": ("given_on", "feedback_closed_on"), "meeting": ("held_on",),
                "detail": ("evaluated_on",), "assistance_request": ("requested_on",),
                "release_authorization": ("authorized_on",), "case_file": ("opened_on", "closed_on"),
                "case_note": ("written_at",), "training": ("completed",), "subject_match": ("decided_at",)}
    latest = [(f"{table}.{column}", date.fromisoformat(str(day)[:10]), column) for table, columns in happened.items()
              for column in columns if (day := _one(ctx, f"SELECT max({column}) FROM {table}")) is not None]
    assert len(latest) == sum(map(len, happened.values())) and not future_dates(TODAY, *latest), \
        "nothing that happened is after today"

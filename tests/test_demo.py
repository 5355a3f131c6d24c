"""The demo data set: counts, consistency, determinism, refusals, audit, search, speed."""

from __future__ import annotations

import json
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from taskforce.services import history, stats
from taskforce.services.context import Actor, Context
from taskforce.services.demo import DemoRefused, DemoReport, generate_demo
from taskforce.services.search import search
from taskforce.services.tx import _snapshot, read
from taskforce.store import schema as S
from taskforce.store.database import Database

from tests import factories as f

TODAY = date(2026, 11, 23)
CASES, SEED = 300, 7


def _fresh_ctx(template: Path, folder: Path) -> Context:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "taskforce.sqlite"
    shutil.copyfile(template, path)
    return Context(db=Database.open(path), actor=Actor(os_user="tester", app_user="m.quill"),
                   today=lambda: TODAY)


@pytest.fixture(scope="module")
def demo(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory):
    ctx = _fresh_ctx(migrated_template, tmp_path_factory.mktemp("demo"))
    calls: list[tuple[int, int]] = []
    report = generate_demo(ctx, cases=CASES, seed=SEED, progress=lambda d, t: calls.append((d, t)))
    yield ctx, report, calls
    ctx.db.close()


def _rows(ctx: Context, sql: str, *params) -> list[tuple]:
    with read(ctx) as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params).all()]


def _one(ctx: Context, sql: str, *params):
    return _rows(ctx, sql, *params)[0][0]


# --- counts and report ---------------------------------------------------------------------

def test_counts_are_sensible(demo):
    ctx, report, calls = demo
    counts = stats.stats(ctx)
    assert counts["cases"] == CASES == report.cases
    assert counts["subjects"] > CASES and counts["subjects"] == report.subjects
    assert counts["members"] >= 30 and counts["members"] == report.members
    assert counts["designations"] > 0
    assert counts["agencies"] > 17 and counts["agencies"] == 17 + report.agencies
    assert counts["task_forces"] == report.task_forces >= 6
    assert counts["agreements"] > report.task_forces
    assert counts["notes"] > CASES // 2
    assert isinstance(report, DemoReport) and report.seconds > 0
    assert calls[0] == (0, CASES) and calls[-1] == (CASES, CASES)
    assert [d for d, _t in calls] == sorted(set(d for d, _t in calls))


def test_task_force_kinds_and_agency_levels_are_varied(demo):
    ctx, _report, _calls = demo
    kinds = {r[0] for r in _rows(ctx, "SELECT kind FROM task_force")}
    assert kinds >= {"best", "ibet", "shiprider", "jttf", "fugitive", "working_group"}
    levels = {r[0] for r in _rows(ctx, "SELECT level FROM agency WHERE ref_key IS NULL")}
    assert levels == {"federal", "state", "local", "tribal", "foreign", "international"}
    # field offices nest under the reference agencies, ports of entry under a field office
    assert _rows(ctx, "SELECT p.ref_key FROM agency a JOIN agency p ON p.id = a.parent_id "
                      "WHERE a.name = 'CBP OFO Seattle Field Office'") == [("cbp_ofo",)]
    assert _rows(ctx, "SELECT p.name FROM agency a JOIN agency p ON p.id = a.parent_id "
                      "WHERE a.name = 'Port of Blaine'") == [("CBP OFO Seattle Field Office",)]
    assert _one(ctx, "SELECT count(*) FROM agency a JOIN agency p ON p.id = a.parent_id "
                     "WHERE p.ref_key = 'rcmp'") > 0
    # every task force has participants, each under a written agreement with parties
    assert _one(ctx, "SELECT count(*) FROM task_force t WHERE NOT EXISTS "
                     "(SELECT 1 FROM task_force_agency p WHERE p.task_force_id = t.id)") == 0
    assert _one(ctx, "SELECT count(*) FROM task_force_agency WHERE agreement_id IS NULL") == 0
    assert _one(ctx, "SELECT count(*) FROM agreement a WHERE (SELECT count(*) FROM agreement_party p "
                     "WHERE p.agreement_id = a.id) < 2") == 0
    assert {r[0] for r in _rows(ctx, "SELECT kind FROM agreement")} >= {"mou", "moa", "287g", "cmaa"}
    assert _one(ctx, "SELECT count(*) FROM agreement WHERE expires < ?", TODAY.isoformat()) > 0


# --- determinism and refusals ----------------------------------------------------------------

def test_same_seed_gives_the_same_data(demo, migrated_template, tmp_path):
    ctx, _report, _calls = demo
    other = _fresh_ctx(migrated_template, tmp_path / "again")
    try:
        generate_demo(other, cases=CASES, seed=SEED)
        for sql in ("SELECT number, title FROM case_file ORDER BY id",
                    "SELECT name, dob FROM subject ORDER BY id",
                    "SELECT family_name, given_names, email FROM member ORDER BY id"):
            assert _rows(ctx, sql) == _rows(other, sql)
    finally:
        other.db.close()
    third = _fresh_ctx(migrated_template, tmp_path / "seed8")
    try:
        generate_demo(third, cases=CASES, seed=SEED + 1)
        sql = "SELECT name FROM subject ORDER BY id"
        assert _rows(third, sql) != _rows(ctx, sql)
    finally:
        third.db.close()


def test_refuses_a_database_with_records(ctx):
    generate_demo(ctx, cases=20, seed=1)
    before = stats.stats(ctx)
    with pytest.raises(DemoRefused, match="already holds"):
        generate_demo(ctx, cases=20, seed=1)
    assert stats.stats(ctx) == before


def test_refuses_a_database_with_a_users_task_force(ctx):
    f.best_seattle(ctx)
    with pytest.raises(DemoRefused):
        generate_demo(ctx, cases=10)
    assert stats.stats(ctx)["cases"] == 0


@pytest.mark.parametrize("cases", [0, -5, 1_000_001])
def test_refuses_an_out_of_range_number_of_cases(ctx, cases):
    with pytest.raises(DemoRefused, match="between 1 and 1,000,000"):
        generate_demo(ctx, cases=cases)
    assert not stats.has_user_records(ctx)


def test_cancelling_leaves_nothing_behind(ctx):
    calls = []
    with pytest.raises(DemoRefused, match="cancelled"):
        generate_demo(ctx, cases=5_000, progress=lambda d, t: calls.append(d),
                      cancelled=lambda: len(calls) >= 2)
    assert calls == [0, 2_000]
    assert not stats.has_user_records(ctx)
    assert stats.stats(ctx)["agencies"] == 17
    generate_demo(ctx, cases=10)  # and the database can still take the demo


def test_one_case_is_enough(ctx):
    report = generate_demo(ctx, cases=1, seed=3)
    assert report.cases == 1 and stats.stats(ctx)["cases"] == 1
    assert stats.stats(ctx)["members"] >= 30


def test_reuses_agencies_already_imported_by_ori(ctx, tmp_path):
    from taskforce.services.agency_import import import_agencies_csv

    csv = tmp_path / "agencies.csv"
    csv.write_text(",agency_name,agency_type_name,county_name,division_name,latitude,longitude,nibrs,ori,"
                   "region_desc,region_name,state_abbr,state_name\n"
                   "1,Whatcom County Sheriff's Office,County,WHATCOM,Pacific,48.7,-122.4,1.0,WA0370000,"
                   "Region IV,West,WA,Washington\n", encoding="utf-8")
    import_agencies_csv(ctx, csv)
    report = generate_demo(ctx, cases=50, seed=1)
    assert _one(ctx, "SELECT count(*) FROM agency WHERE name LIKE 'Whatcom County Sheriff%'") == 1
    assert _one(ctx, "SELECT count(*) FROM agency WHERE ori IS NOT NULL") == \
        _one(ctx, "SELECT count(DISTINCT ori) FROM agency WHERE ori IS NOT NULL")
    assert stats.stats(ctx)["agencies"] == 17 + 1 + report.agencies


# --- consistency ---------------------------------------------------------------------------

def test_every_case_has_a_task_force_a_lead_and_a_unique_well_formed_number(demo):
    ctx, _report, _calls = demo
    rows = _rows(ctx, "SELECT c.number, c.opened_on, t.id, l.id, c.status, c.closed_on, c.closed_reason "
                      "FROM case_file c LEFT JOIN task_force t ON t.id = c.task_force_id "
                      "LEFT JOIN agency l ON l.id = c.lead_agency_id")
    assert len(rows) == CASES
    numbers = [r[0] for r in rows]
    assert len(set(numbers)) == CASES
    per_prefix_year: dict[tuple[str, str], list[int]] = {}
    for number, opened, tf, lead, status, closed_on, reason in rows:
        assert tf is not None and lead is not None
        m = re.fullmatch(r"([A-Z]+-[A-Z]+)-(\d{4})-(\d{4,})", number)
        assert m, number
        assert m[2] == opened[:4]  # the year of the opened date
        per_prefix_year.setdefault((m[1], m[2]), []).append(int(m[3]))
        assert "2019-01-01" <= opened <= TODAY.isoformat()
        if status == "closed":
            assert closed_on is not None and closed_on >= opened and reason
            assert closed_on <= TODAY.isoformat()
        else:
            assert closed_on is None and reason == ""
    for seqs in per_prefix_year.values():  # a sequence per task force and year, from 1
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    statuses = dict(_rows(ctx, "SELECT status, count(*) FROM case_file GROUP BY status"))
    assert statuses["open"] > statuses.get("closed", 0) > 0 and statuses.get("pending", 0) > 0
    assert _one(ctx, "SELECT count(*) FROM case_file c WHERE NOT EXISTS "
                     "(SELECT 1 FROM case_statute s WHERE s.case_id = c.id)") == 0


def test_case_members_belong_to_the_task_force_and_notes_are_theirs(demo):
    ctx, _report, _calls = demo
    assert _one(ctx, "SELECT count(*) FROM case_member cm JOIN case_file c ON c.id = cm.case_id "
                     "WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.member_id = cm.member_id "
                     "AND a.task_force_id = c.task_force_id)") == 0
    per_case = _rows(ctx, "SELECT count(*), sum(role = 'case_agent') FROM case_member GROUP BY case_id")
    assert len(per_case) == CASES and all(1 <= n <= 3 and agents == 1 for n, agents in per_case)
    notes = _rows(ctx, "SELECT n.written_at, n.author, n.case_id FROM case_note n")
    for written_at, author, case_id in notes:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", written_at)
        authors = {r[0] for r in _rows(ctx, "SELECT m.given_names || ' ' || m.family_name FROM case_member cm "
                                            "JOIN member m ON m.id = cm.member_id WHERE cm.case_id = ?",
                                       case_id)}
        assert author in authors


def test_designations_expire_sensibly(demo):
    ctx, _report, _calls = demo
    today = TODAY.isoformat()
    assert _one(ctx, "SELECT count(*) FROM designation WHERE expires < ?", today) > 0
    assert _one(ctx, "SELECT count(*) FROM designation WHERE expires >= ? AND expires <= ?",
                today, (TODAY + timedelta(days=90)).isoformat()) > 0
    assert _one(ctx, "SELECT count(*) FROM designation WHERE expires > ?",
                (TODAY + timedelta(days=90)).isoformat()) > 0
    assert _one(ctx, "SELECT count(*) FROM designation WHERE effective > expires OR effective > ?", today) == 0
    rows = _rows(ctx, "SELECT d.authority, d.agreement_id, a.level, a.ref_key, p.ref_key, gp.ref_key "
                      "FROM designation d JOIN member m ON m.id = d.member_id "
                      "JOIN agency a ON a.id = m.home_agency_id LEFT JOIN agency p ON p.id = a.parent_id "
                      "LEFT JOIN agency gp ON gp.id = p.parent_id")
    for authority, agreement_id, level, *ancestors in rows:
        if authority == "287g":
            assert agreement_id is not None and level in ("state", "local", "tribal")
        if authority == "sdusm":
            assert level in ("state", "local", "tribal")
        if authority == "shiprider":
            assert {"uscg", "rcmp"} & set(ancestors)


def test_287g_designations_rest_on_a_287g_agreement_with_the_home_agency(demo):
    ctx, _report, _calls = demo
    rows = _rows(ctx, "SELECT g.kind, d.effective, d.expires, g.effective, g.expires, "
                      "(SELECT count(*) FROM agreement_party p WHERE p.agreement_id = g.id "
                      " AND p.agency_id = m.home_agency_id) "
                      "FROM designation d JOIN agreement g ON g.id = d.agreement_id "
                      "JOIN member m ON m.id = d.member_id WHERE d.authority = '287g'")
    assert rows
    for kind, eff, exp, g_eff, g_exp, home_is_party in rows:
        assert kind == "287g" and home_is_party == 1
        assert g_eff <= eff <= exp <= g_exp


def test_subjects_are_shared_between_cases(demo):
    ctx, _report, _calls = demo
    assert _one(ctx, "SELECT count(*) FROM (SELECT subject_id FROM case_subject GROUP BY subject_id "
                     "HAVING count(*) >= 2)") >= 1
    kinds = dict(_rows(ctx, "SELECT kind, count(*) FROM subject GROUP BY kind"))
    assert kinds["person"] > kinds.get("organization", 0) > 0
    assert {r[0] for r in _rows(ctx, "SELECT DISTINCT kind FROM subject_identifier")} >= {
        "passport", "a_number", "phone"}
    assert _one(ctx, "SELECT count(*) FROM subject_alias") > 0
    assert _one(ctx, "SELECT count(*) FROM subject_identifier WHERE kind = 'a_number' "
                     "AND value NOT GLOB 'A[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'") == 0
    assert _one(ctx, "SELECT count(*) FROM member WHERE email NOT LIKE '%@example.gov'") == 0


def test_caveats(demo):
    ctx, _report, _calls = demo
    counts = dict(_rows(ctx, "SELECT c.ref_key, count(*) FROM case_caveat cc "
                             "JOIN caveat c ON c.id = cc.caveat_id GROUP BY c.ref_key"))
    assert counts["les"] > CASES // 2
    assert 0 < counts["eu_pnr"] < CASES // 4


# --- audit, search, integrity ----------------------------------------------------------------

def test_every_record_has_its_create_audit_row_in_one_transaction(demo):
    ctx, _report, _calls = demo
    assert _one(ctx, "SELECT count(*) FROM case_file c WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                     "WHERE a.entity = 'case_file' AND a.entity_id = c.id AND a.action = 'create')") == 0
    with read(ctx) as conn:
        for table in S.metadata.sorted_tables:
            if "id" not in table.c or table in (S.audit_log, S.caveat):  # caveats: reference data
                continue
            n = conn.execute(select(func.count()).select_from(table)).scalar_one()
            audited = conn.execute(select(func.count(func.distinct(S.audit_log.c.entity_id))).where(
                S.audit_log.c.entity == table.name, S.audit_log.c.action == "create")).scalar_one()
            assert audited == n, table.name
    demo_changes = _rows(ctx, "SELECT DISTINCT change_id FROM audit_log WHERE app_user = 'm.quill'")
    assert len(demo_changes) == 1
    # child rows are in their parent's history, with the case's statutes in its create snapshot
    case_id, number = _rows(ctx, "SELECT c.id, c.number FROM case_file c WHERE EXISTS "
                                 "(SELECT 1 FROM case_note n WHERE n.case_id = c.id) LIMIT 1")[0]
    entities = {r.what.split(" #")[0] for r in history.history(ctx, "case_file", case_id)}
    assert entities >= {"case", "case member", "case subject", "case note"}
    row = dict(_rows(ctx, "SELECT 'x', new_value FROM audit_log WHERE entity = 'case_file' AND entity_id = ?",
                     case_id))
    snapshot = json.loads(row["x"])
    statutes = sorted(r[0] for r in _rows(ctx, "SELECT statute FROM case_statute WHERE case_id = ?", case_id))
    assert sorted(snapshot["statutes"].split(", ")) == statutes
    assert snapshot["number"] == number


def test_bulk_snapshot_matches_the_single_row_snapshot(demo):
    ctx, _report, _calls = demo
    with read(ctx) as conn:
        for marked in (False, True):  # a subject's caveats (rule 6) are in its snapshot, as a case's
            carried = select(S.subject_caveat.c.subject_id)
            subject = dict(conn.execute(select(S.subject).where(
                S.subject.c.id.in_(carried) if marked else S.subject.c.id.not_in(carried))
                .order_by(S.subject.c.id).limit(1)).mappings().one())
            stored = conn.execute(select(S.audit_log.c.new_value).where(
                S.audit_log.c.entity == "subject", S.audit_log.c.entity_id == subject["id"])).scalar_one()
            caveats = conn.execute(select(S.subject_caveat.c.caveat_id).where(
                S.subject_caveat.c.subject_id == subject["id"]).order_by(S.subject_caveat.c.caveat_id)).scalars()
            extra = {"caveats": ", ".join(map(str, caveats))} if marked else {}
            assert stored == _snapshot({**subject, **extra})


def test_search_finds_demo_subjects_by_prefix_alias_and_identifier(demo):
    ctx, _report, _calls = demo
    sid, name = _rows(ctx, "SELECT id, name FROM subject WHERE kind = 'person' ORDER BY id LIMIT 1")[0]
    prefix = " ".join(word[:3] for word in name.split()[:2])
    assert any(h.kind == "subject" and h.id == sid for h in search(ctx, prefix, limit=500).hits)
    sid, value = _rows(ctx, "SELECT subject_id, value FROM subject_identifier WHERE kind = 'a_number' LIMIT 1")[0]
    assert [h.id for h in search(ctx, value).hits if h.kind == "subject"] == [sid]
    sid, alias = _rows(ctx, "SELECT a.subject_id, a.name FROM subject_alias a JOIN subject s "
                            "ON s.id = a.subject_id WHERE s.name NOT LIKE '%' || a.name || '%' LIMIT 1")[0]
    assert sid in [h.id for h in search(ctx, alias, limit=500).hits if h.kind == "subject"]
    number = _one(ctx, "SELECT number FROM case_file ORDER BY id DESC LIMIT 1")
    assert search(ctx, number).hits[0].label.startswith(number)


def test_foreign_keys_and_integrity(demo):
    ctx, _report, _calls = demo
    assert _rows(ctx, "PRAGMA foreign_key_check") == []
    assert all(r.ok for r in stats.check(ctx))


# --- speed -----------------------------------------------------------------------------------

@pytest.mark.parametrize("cases, limit", [(500, 2.0), (10_000, 20.0)])
def test_speed(migrated_template, tmp_path, cases, limit):
    ctx = _fresh_ctx(migrated_template, tmp_path / str(cases))
    try:
        started = time.perf_counter()
        report = generate_demo(ctx, cases=cases, seed=1)
        elapsed = time.perf_counter() - started
    finally:
        ctx.db.close()
    print(f"\ndemo: {cases:,} cases in {elapsed:.2f} s ({report.subjects:,} subjects, "
          f"{report.members:,} members, {report.task_forces} task forces)")
    assert elapsed < limit

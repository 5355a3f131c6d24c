"""Deconfliction: subjects on other cases suggested as possible matches, decided by a user,
logged, never merged. Normalization and scoring as pure functions, the services on a real file
(S11), blocking at 20,000 subjects, and the CLI."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from taskforce.domain.deconfliction import (
    MIN_SCORE, MatchDecision, SubjectFacts, blocking_words, case_variants, combined_score, compact_name,
    identifier_lookup_values, name_similarity, normalize_name, ordered_pair, score_match,
)
from taskforce.domain.errors import NotFound, TaskforceError, ValidationFailed
from taskforce.domain.records import Identifier
from taskforce.services import deconfliction as dc
from taskforce.services import history
from taskforce.services.tx import write
from taskforce.store import schema as S

from tests import factories as f
from tests import factories_wg as w

D = date
DOB = w.S11_DOB


# --- pure: names and scores -------------------------------------------------------------------

def test_names_are_compared_folded_and_without_punctuation_or_spaces():
    assert normalize_name("  Darío  VAN-Tongeren, Jr. ") == "dario van tongeren jr"
    assert compact_name("Dario van Tongeren") == compact_name("Dario Vantongeren") == "dariovantongeren"
    assert name_similarity("Dario Vantongeren", "Dario van Tongeren") == 100
    assert name_similarity("Vantongeren, Dario", "Dario Vantongeren") == 100  # word order
    assert name_similarity("Jesús Núñez", "Jesus Nunez") == 100
    assert name_similarity("Jon Smith", "John Smith") >= 90
    assert name_similarity("Harpreet Sandhu", "Gurpreet Sandhu") < 90
    assert name_similarity("", "Dario") == 0


def test_blocking_words_and_case_variants_cover_how_names_are_stored():
    assert blocking_words(["Dario van Tongeren", "O'Neil, J."]) == {"dario", "van", "tongeren", "o'neil", "o", "neil"} - {"o"}
    assert "nunez" in blocking_words(["Núñez"]) and "núñez" in blocking_words(["Núñez"])
    assert {"McD", "mcd", "MCD", "Mcd"} <= set(case_variants("mcd"))
    assert "Mari" in case_variants("mari") and "MARI" in case_variants("mari") and "MarI" not in case_variants("mari")
    assert {"X123 4567", "X1234567", "x1234567"} <= set(identifier_lookup_values(" X123 4567 "))


def test_scores_weigh_names_by_dates_of_birth():
    assert combined_score(100, True) == 100 and combined_score(75, True) == MIN_SCORE
    assert combined_score(74, True) < MIN_SCORE
    assert combined_score(100, None) == 85 and combined_score(90, None) == MIN_SCORE
    assert combined_score(89, None) < MIN_SCORE
    assert combined_score(100, False) == 60 < MIN_SCORE  # names never suffice against another DOB


def test_score_match_says_why():
    a = SubjectFacts(1, "person", ("Dario Vantongeren",), DOB, (("passport", "X1234567"),))
    same = score_match(a, SubjectFacts(2, "person", ("Dario van Tongeren",), DOB))
    assert same.score == 100 and same.reasons == ("same date of birth", "same name")
    similar = score_match(a, SubjectFacts(3, "person", ("Darío Vantongeran",), None))
    assert similar.suggested and similar.reasons[0].startswith("similar name ")
    other_dob = score_match(a, SubjectFacts(4, "person", ("Dario Vantongeren",), D(1990, 1, 1)))
    assert not other_dob.suggested
    by_passport = score_match(a, SubjectFacts(5, "person", ("Someone Else",), D(1990, 1, 1),
                                              (("passport", "x123 4567"),)))
    assert by_passport.suggested and by_passport.reasons == ("same passport X1234567", "different date of birth")
    org = score_match(a, SubjectFacts(6, "organization", ("Dario Vantongeren",), None))
    assert org.score == 0 and not org.suggested  # a person and an organization: identifiers only
    phone = score_match(SubjectFacts(7, "organization", ("Blaine Freight LLC",), None, (("phone", "360-555-0101"),)),
                        SubjectFacts(8, "person", ("Lena Ward",), None, (("phone", "3605550101"),)))
    assert phone.suggested and phone.reasons == ("same phone 360-555-0101",)
    alias = score_match(SubjectFacts(9, "person", ("D. V.", "Dario Vantongeren"), None),
                        SubjectFacts(10, "person", ("Dario Vantongeren",), None))
    assert alias.score == 85 and alias.reasons == ("same name",)
    assert ordered_pair(9, 2) == (2, 9)


# --- S11 --------------------------------------------------------------------------------------

def _s11(ctx, world: w.World | None = None):
    s = w.s11(ctx, world)
    return s.best_case, s.jttf_case, s.dario, s.van


def test_s11_suggested_on_both_cases_confirmed_linked_logged_still_two_records(ctx):
    best_case, jttf_case, dario, van = _s11(ctx)
    (on_best,) = dc.case_suggestions(ctx, best_case)
    assert (on_best.subject_id, on_best.other_id, on_best.other_cases) == (dario, van, ("JTTF-SEA-2026-0031",))
    assert on_best.score == 100 and "same date of birth" in on_best.reasons
    (on_jttf,) = dc.case_suggestions(ctx, jttf_case)
    assert (on_jttf.subject_id, on_jttf.other_id, on_jttf.other_cases) == (van, dario, ("BEST-SEA-2026-0007",))

    change = dc.decide_match(ctx, dario, van, "confirmed")
    assert {"subject", "subject_match"} <= change.kinds
    for me, other in ((dario, van), (van, dario)):
        matches = dc.subject_matches(ctx, me)
        assert matches.suggestions == ()
        (link,) = matches.links
        assert (link.other_id, link.decision, link.decided_by, link.score) == (other, MatchDecision.CONFIRMED,
                                                                              "m.quill", 100)
        assert datetime.fromisoformat(link.decided_at.replace("Z", "+00:00")).tzinfo is not None  # UTC
        logged = [h for h in history.history(ctx, "subject", me) if h.what.startswith("subject match")]
        assert len(logged) == 1 and "decision: confirmed" in logged[0].new and logged[0].who.startswith("m.quill")
    assert dc.case_matches(ctx, best_case).links[0].other_name == "Dario van Tongeren"
    assert dc.case_suggestions(ctx, best_case) == () and dc.case_suggestions(ctx, jttf_case) == ()
    with ctx.db.engine.connect() as conn:  # still two records, each on its own case
        assert conn.execute(select(func.count()).select_from(S.subject)).scalar_one() == 2
        assert conn.execute(select(func.count()).select_from(S.case_subject)).scalar_one() == 2


def test_s11_dismissed_is_not_suggested_again(ctx):
    best_case, jttf_case, dario, van = _s11(ctx)
    dc.decide_match(ctx, van, dario, "dismissed")
    assert dc.suggest_matches(ctx, dario) == () and dc.suggest_matches(ctx, van) == ()
    assert dc.case_suggestions(ctx, best_case) == () and dc.case_suggestions(ctx, jttf_case) == ()
    (dismissed,) = dc.subject_matches(ctx, dario).dismissed
    assert dismissed.other_id == van and dc.subject_matches(ctx, dario).links == ()
    with ctx.db.engine.connect() as conn:
        row = conn.execute(select(S.subject_match)).one()
    assert (row.subject_a_id, row.subject_b_id) == ordered_pair(dario, van)  # smaller id first


def test_a_decision_can_change_or_be_taken_back_each_logged_on_both_subjects(ctx):
    _best, _jttf, dario, van = _s11(ctx)
    match_id = dc.decide_match(ctx, dario, van, "confirmed").id
    with pytest.raises(TaskforceError, match="already confirmed by m.quill"):
        dc.decide_match(ctx, van, dario, "confirmed")
    dc.decide_match(ctx, van, dario, "dismissed")
    assert dc.linked_subjects(ctx, dario) == ()
    for me in (dario, van):
        assert any(h.field == "decision" and (h.old, h.new) == ("confirmed", "dismissed")
                   for h in history.history(ctx, "subject", me))
    dc.undo_match(ctx, match_id)
    assert [s.other_id for s in dc.suggest_matches(ctx, dario)] == [van]  # suggested again
    for me in (dario, van):
        assert any(h.action == "delete" and h.what == f"subject match #{match_id}"
                   for h in history.history(ctx, "subject", me))
    with pytest.raises(ValidationFailed):
        dc.decide_match(ctx, dario, dario, "confirmed")
    with pytest.raises(ValidationFailed):
        dc.decide_match(ctx, dario, van, "merged")
    with pytest.raises(NotFound):
        dc.decide_match(ctx, dario, 9999, "confirmed")


def test_only_subjects_on_another_case_are_suggested(ctx):
    world = w.best_seattle(ctx)
    one = f.case(ctx, world.tf, "BEST-SEA-2026-0001", "One")
    two = f.case(ctx, world.tf, "BEST-SEA-2026-0002", "Two")
    a = f.subject(ctx, "Lena Ward", dob=D(1990, 5, 5))
    same_case = f.subject(ctx, "Lena Ward", dob=D(1990, 5, 5))
    nowhere = f.subject(ctx, "Lena Ward", dob=D(1990, 5, 5))
    elsewhere = f.subject(ctx, "Ward, Lena", dob=D(1990, 5, 5))
    w.on_case(ctx, one, a)
    w.on_case(ctx, one, same_case)
    w.on_case(ctx, two, elsewhere)
    assert [s.other_id for s in dc.suggest_matches(ctx, a)] == [elsewhere]
    # a subject on no case yet is compared with every subject on a case
    assert sorted(s.other_id for s in dc.suggest_matches(ctx, nowhere)) == sorted([a, same_case, elsewhere])
    # both of case one's subjects match the one on case two; the pair (a, same_case) is not a suggestion
    assert sorted((s.subject_id, s.other_id) for s in dc.case_suggestions(ctx, one)) == sorted(
        [(a, elsewhere), (same_case, elsewhere)])


def test_identifiers_aliases_and_spellings_find_candidates(ctx):
    world = w.best_seattle(ctx)
    one = f.case(ctx, world.tf, "BEST-SEA-2026-0001", "One")
    two = f.case(ctx, world.tf, "BEST-SEA-2026-0002", "Two")
    me = f.subject(ctx, "Marco Ruiz", identifiers=(Identifier("passport", "X123 4567"),))
    by_passport = f.subject(ctx, "Unknown Courier", identifiers=(Identifier("passport", "x1234567"),))
    by_alias = f.subject(ctx, "El Flaco", aliases=("Marco Ruiz",))
    by_spelling = f.subject(ctx, "MARCO RUÍZ")
    unrelated = f.subject(ctx, "Marcos Ruiz-Delgado Fuentes")
    w.on_case(ctx, one, me)
    for s in (by_passport, by_alias, by_spelling, unrelated):
        w.on_case(ctx, two, s)
    found = {s.other_id: s for s in dc.suggest_matches(ctx, me)}
    assert set(found) == {by_passport, by_alias, by_spelling}
    assert found[by_passport].reasons == ("same passport X123 4567",)
    assert found[by_alias].score == 85 and found[by_spelling].score == 85
    assert [s.other_id for s in dc.suggest_matches(ctx, me, limit=1)] == [by_passport]  # best first, capped


# --- at scale ---------------------------------------------------------------------------------

GIVEN = ["Maria", "Mario", "Marco", "Jose", "Juan", "Luis", "Ana", "Daniel", "David", "Linh", "Minh", "Wei",
         "Ling", "Priya", "Ravi", "Harpreet", "Jaspreet", "John", "Joshua", "Joseph", "Michael", "Sarah", "Emily",
         "Olga", "Ivan", "Dmitri", "Ahmed", "Fatima", "Omar", "Chen", "Kim", "Carlos", "Lucia", "Pedro", "Sofia"]
FAMILY = ["Garcia", "Martinez", "Rodriguez", "Hernandez", "Lopez", "Nguyen", "Tran", "Chen", "Wang", "Li",
          "Smith", "Johnson", "Williams", "Brown", "Patel", "Singh", "Sandhu", "Gill", "Ivanov", "Petrov",
          "Khan", "Ali", "Rahman", "Kim", "Park", "Cruz", "Romero", "Torres", "Flores", "Rivera", "Morales"]


def bulk_subjects(ctx, world: w.World, n: int, seed: int = 7) -> None:
    """``n`` subjects with random names and dates of birth, one case each (a few per case),
    some with aliases and passports, in a few multi-row statements through the audited path."""
    rng = random.Random(seed)
    case_rows = [{"number": f"BEST-SEA-2025-{i:05d}", "title": f"Case {i}", "task_force_id": world.tf,
                  "lead_agency_id": world.hsi_seattle, "opened_on": D(2025, 1, 1)} for i in range(n // 4)]
    with write(ctx) as tx:
        case_ids = tx.insert_many(S.case, case_rows)
        subjects = []
        for _ in range(n):
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            if rng.random() < 0.3:
                name += f" {rng.choice(FAMILY)}"
            dob = D(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55)) if rng.random() < 0.8 else None
            subjects.append({"kind": "person", "name": name, "dob": dob, "nationality": ""})
        ids = tx.insert_many(S.subject, subjects)
        tx.insert_many(S.case_subject, [{"case_id": case_ids[i % len(case_ids)], "subject_id": sid, "role": "target"}
                                        for i, sid in enumerate(ids)])
        tx.insert_many(S.subject_alias, [{"subject_id": sid, "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"}
                                         for sid in ids if rng.random() < 0.2])
        tx.insert_many(S.subject_identifier, [{"subject_id": sid, "kind": "passport",
                                               "value": f"P{rng.randrange(10**7):07d}"}
                                              for sid in ids if rng.random() < 0.3])


def test_suggestions_stay_fast_and_complete_at_20000_subjects(ctx):
    world = w.best_seattle(ctx)
    bulk_subjects(ctx, world, 20_000)
    best_case, jttf_case, dario, van = _s11(ctx, world)
    # the same man stored family name first, and one known only by an alias, on other cases
    family_first = f.subject(ctx, "van Tongeren, Dario", dob=DOB)
    aliased = f.subject(ctx, "Teodor Brandt", aliases=("Dario Vantongeren",))
    w.on_case(ctx, jttf_case, family_first)
    w.on_case(ctx, jttf_case, aliased)

    dc.suggest_matches(ctx, dario)  # warm the page cache, as an open window would have
    started = time.perf_counter()
    found = dc.suggest_matches(ctx, dario)
    elapsed = time.perf_counter() - started
    assert {van, family_first, aliased} <= {s.other_id for s in found}
    assert all(s.score >= MIN_SCORE for s in found) and len(found) <= dc.SUGGESTION_LIMIT
    assert elapsed < 0.5, f"{elapsed:.3f} s for one subject among 20,000"

    # the most common name of the set: thousands of names begin like it, few are scored
    common = f.subject(ctx, "Maria Garcia", dob=D(1980, 1, 1))
    w.on_case(ctx, best_case, common)
    dc.suggest_matches(ctx, common)
    started = time.perf_counter()
    found = dc.suggest_matches(ctx, common)
    elapsed = time.perf_counter() - started
    assert "Maria Garcia" in {s.other_name for s in found} and all(s.reasons for s in found)
    assert elapsed < 0.5, f"{elapsed:.3f} s for a common name among 20,000"

    started = time.perf_counter()
    dc.case_matches(ctx, jttf_case)
    assert time.perf_counter() - started < 1.5  # three subjects, one pass for dates of birth and aliases


# --- CLI --------------------------------------------------------------------------------------

def test_cli_matches(ctx, db_path):
    best_case, _jttf, dario, van = _s11(ctx)
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}

    def run(*args):  # noqa: ANN002, ANN202
        return subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "matches", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=120)

    text = run("--case", "BEST-SEA-2026-0007")
    assert text.returncode == 0, text.stderr
    assert "100  Dario Vantongeren" in text.stdout and "≈ Dario van Tongeren" in text.stdout
    assert "same date of birth" in text.stdout
    dc.decide_match(ctx, dario, van, "confirmed")
    data = json.loads(run("--subject", van, "--json").stdout)
    assert data["suggestions"] == [] and data["linked"][0]["other"] == "Dario Vantongeren"
    assert "Linked (confirmed" in run("--case", "BEST-SEA-2026-0007").stdout
    missing = run("--case", "NOPE-1")
    assert missing.returncode == 1 and missing.stderr.strip() == "taskforce: No case is numbered NOPE-1."
    assert run().returncode == 2  # --case or --subject is required

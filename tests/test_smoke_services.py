from datetime import date

from taskforce.domain.records import CaseSubjectData, Identifier, NoteData, SubjectData
from taskforce.services import cases, history, search, stats, subjects

from tests import factories as f


def test_case_with_subject_note_is_searchable_and_audited(ctx):
    tf = f.best_seattle(ctx)
    case_id = f.case(ctx, tf, statutes=("21", "19"), synopsis="Cocaine in a tractor trailer")
    sid = f.subject(ctx, "Dario Vance", aliases=("D. Vance",), dob=date(1980, 2, 3),
                    identifiers=(Identifier("phone", "+1 360 555 0100"),))
    cases.link_subject(ctx, CaseSubjectData(case_id, sid, "target"))
    cases.add_note(ctx, NoteData(case_id, "Met the informant near the Peace Arch"))
    detail = cases.get_case(ctx, case_id)
    assert detail.data.statutes == ("19", "21")
    assert detail.subjects[0].name == "Dario Vance"
    assert detail.notes[0].author == "m.quill"
    found = search.search(ctx, "vanc")
    assert [h.kind for h in found.hits] == ["subject"]
    assert search.search(ctx, "peace arch").hits[0].kind == "note"
    assert search.search(ctx, "BEST-SEA").hits[0].id == case_id
    rows = history.history(ctx, "case_file", case_id)
    assert {r.action for r in rows} >= {"create"}
    assert any(r.what.startswith("case note") for r in rows)
    assert stats.stats(ctx)["cases"] == 1


def test_update_audits_each_changed_field(ctx):
    sid = f.subject(ctx, "Ana Kerr")
    subjects.update_subject(ctx, sid, SubjectData(kind="person", name="Ana Kerr-Lund", aliases=("AK",)))
    rows = history.history(ctx, "subject", sid)
    name_change = [r for r in rows if r.field == "name"][0]
    assert (name_change.old, name_change.new) == ("Ana Kerr", "Ana Kerr-Lund")
    assert any(r.what.startswith("subject alias") and r.action == "create" for r in rows)
    assert search.search(ctx, "lund").count == 1

"""Case briefings and task-force packages, parsed back from the PDF: story S10 for every
recipient, the release log, hostile and non-Latin text, empty cases, the contents page, the CLI."""

import hashlib
import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from taskforce.domain.errors import NotFound, TaskforceError
from taskforce.domain.records import CaseSubjectData, NoteData, SubjectData
from taskforce.domain.release import AuthorizationData
from taskforce.reports.markings import DEFAULT_BANNER, marking_for
from taskforce.reports.publish import KINDS, ReportRequest, Settings, _load_kinds, publish, render
from taskforce.services import cases, release, subjects
from taskforce.store import schema as S

from tests import factories as f
from tests.factories_release import N1, N2, N3, S1, s10_world
from tests.test_cli import one_line_error, tf

LES = Settings(marking_for("les"), "letter")


def _pdf_text(data: bytes) -> tuple[list[str], str]:
    """Each page's text, and everything else a reader could see: metadata and the outline."""
    reader = PdfReader(BytesIO(data))
    pages = [p.extract_text() or "" for p in reader.pages]

    def titles(outline):  # noqa: ANN001, ANN202
        for entry in outline:
            yield from (titles(entry) if isinstance(entry, list) else [entry.title])
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return pages, meta + " " + " ".join(titles(reader.outline))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _everything(data: bytes) -> str:
    pages, extra = _pdf_text(data)
    return _flat(" ".join(pages) + " " + extra)


def test_all_six_reports_are_registered():
    _load_kinds()
    assert set(KINDS) == {"case-briefing", "package", "roster", "feedback", "debriefs", "action-items"}


@pytest.mark.parametrize("recipient, released, withheld", [
    ("CBP", {N1, N2, S1}, "Withheld: 1 item originated by another agency without an authorization."),
    ("ICE", {N2, S1}, "Withheld: 1 item derived from EU PNR data; 1 item originated by another agency "
                      "without an authorization."),
    ("FBI", set(), "Withheld: 1 item derived from EU PNR data; 4 items originated by another agency "
                   "without an authorization."),
    ("RCMP", {N3}, "Withheld: 1 item derived from EU PNR data; 3 items originated by another agency "
                   "without an authorization."),
])
def test_s10_a_briefing_for_a_partner_never_contains_what_rule_6_withholds(ctx, tmp_path, recipient,
                                                                            released, withheld):
    s10_world(ctx)
    out = tmp_path / f"for-{recipient}.pdf"
    done = publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007", recipient=recipient),
                   out, LES)
    data = out.read_bytes()
    text = _everything(data)
    for item in (N1, N2, N3, S1):
        assert (item in text) == (item in released), (recipient, item)
    assert withheld in text  # the cover says how many, and why, never what
    assert "Fentanyl via Blaine" not in text if recipient in ("FBI", "RCMP") else "Fentanyl via Blaine" in text
    # logged in the same transaction: the file's hash, the recipient, every item decided
    assert done.sha256 == hashlib.sha256(data).hexdigest()
    with ctx.db.engine.connect() as conn:
        row = conn.execute(select(S.release)).mappings().one()
        items = conn.execute(select(S.release_item.c.item_kind, S.release_item.c.included,
                                    S.release_item.c.reason)).all()
    assert row["sha256"] == done.sha256 and row["recipient_agency_id"] is not None
    # five items: the case's own fields (HSI Seattle's: DHS), N1, N2, N3, S1
    assert row["withheld_count"] == {"CBP": 1, "ICE": 2, "FBI": 5, "RCMP": 4}[recipient]
    assert sum(1 for i in items if not i.included) == row["withheld_count"]
    assert row["withheld_summary"] in withheld


def test_s10_after_an_authorization_n2_goes_to_fbi_and_the_log_says_so(ctx, tmp_path):
    w = s10_world(ctx)
    release.authorize(ctx, AuthorizationData("note", w.n2, w.fbi, "SAC Seattle", date(2026, 7, 1), "BEST-REL-14"))
    out = tmp_path / "fbi.pdf"
    publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007", recipient="FBI"), out, LES)
    text = _everything(out.read_bytes())
    assert N2 in text and N1 not in text and N3 not in text and S1 not in text
    logged = release.release_items(ctx, release.releases(ctx)[0].id)
    assert ("note", w.n2, True, "") in logged
    assert ("note", w.n1, False, "eu_pnr") in logged and ("note", w.n3, False, "third_party") in logged


def test_our_own_copy_has_everything_and_every_page_is_marked_and_numbered(ctx, tmp_path):
    s10_world(ctx)
    data, *_ = render(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007"), LES, "m.quill")
    pages, _extra = _pdf_text(data)
    text = _flat(" ".join(pages))
    for item in (N1, N2, N3, S1):
        assert item in text
    for heading in ("Synopsis", "Members and agencies", "Subjects", "Timeline", "Notes",
                    "Debriefs and who attended", "Support given and feedback received", "Open obligations"):
        assert heading in text
    for n, page in enumerate(pages, start=1):
        assert page.count(DEFAULT_BANNER) >= 2, n  # top and bottom (the engine's tests check where)
        assert f"Page {n} of {len(pages)}" in page
        assert "Case briefing BEST-SEA-2026-0007" in page and "by m.quill" in page


def test_hostile_markup_prints_as_text_and_names_in_any_script_print_as_letters(ctx, tmp_path):
    tf_id = f.best_seattle(ctx)
    hostile = '<img src="/etc/hostname"/> <font size=90>big</font> & <b>bold'
    case_id = f.case(ctx, tf_id, "BEST-SEA-2026-0099", hostile)
    cases.add_note(ctx, NoteData(case_id, '<a href="file:///etc/passwd">link</a> <para>'))
    names = ["Zoë Ångström-Núñez", "Дмитрий Иванов", "Αλέξανδρος Παπαδόπουλος", "محمد"]
    for name in names:
        sid = subjects.create_subject(ctx, SubjectData(kind="person", name=name)).id
        cases.link_subject(ctx, CaseSubjectData(case_id, sid, "target"))
    out = tmp_path / "hostile.pdf"
    publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0099"), out, LES)
    data = out.read_bytes()
    text = _everything(data)
    assert hostile in text and '<a href="file:///etc/passwd">link</a> <para>' in text
    assert b"/Subtype /Image" not in data and b"/URI" not in data
    for name in names[:3]:
        assert name in text
    assert all(ch in text for ch in "محمد")  # no shaping in ReportLab, but the letters are there
    assert b"DejaVuSans" in data


def test_an_empty_case_says_so_in_every_section(ctx):
    tf_id = f.best_seattle(ctx)
    f.case(ctx, tf_id, "BEST-SEA-2026-0100", "Nothing yet")
    data, *_ = render(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0100"), LES, "m.quill")
    text = _everything(data)
    for line in ("No synopsis recorded.", "No members assigned.", "No subjects in this copy.",
                 "No events in this copy.", "No notes in this copy.", "No debriefs in this copy.",
                 "No support records in this copy.", "No feedback owed."):
        assert line in text


def test_unknown_case_task_force_or_recipient_is_refused_and_nothing_is_written(ctx, tmp_path):
    s10_world(ctx)
    out = tmp_path / "x.pdf"
    with pytest.raises(NotFound, match="No case numbered 'BEST-SEA-2026-9999'"):
        publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-9999"), out, LES)
    with pytest.raises(NotFound, match="No task force called 'Nowhere'"):
        publish(ctx, ReportRequest("package", task_force="Nowhere"), out, LES)
    with pytest.raises(NotFound, match="No agency called 'Atlantis PD'"):
        publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007", recipient="Atlantis PD"),
                out, LES)
    with pytest.raises(TaskforceError, match="does not exist"):
        publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007"), tmp_path / "no" / "x.pdf", LES)
    assert not out.exists() and not list(tmp_path.glob("*.pdf*")) and not (tmp_path / "no").exists()
    assert release.releases(ctx) == []  # nothing logged for documents never written


def test_the_package_has_contents_with_right_page_numbers_figures_and_every_case(ctx, tmp_path):
    w = s10_world(ctx)
    for n in (3, 4, 5, 6, 8, 9):
        f.case(ctx, w.best.tf, f"BEST-SEA-2026-00{n:02d}", f"Case number {n}")
    out = tmp_path / "package.pdf"
    publish(ctx, ReportRequest("package", task_force="BEST Seattle"), out, Settings(marking_for("cui"), "a4"))
    pages, extra = _pdf_text(out.read_bytes())
    flat = [_flat(p) for p in pages]
    contents = next(p for p in flat if "Contents" in p)
    numbers = ["BEST-SEA-2026-0003", "BEST-SEA-2026-0007", "BEST-SEA-2026-0008", "BEST-SEA-2026-0012"]
    for number in numbers:
        where = next(i for i, p in enumerate(flat, start=1)
                     if re.search(rf"{number} — .*Synopsis", p))
        assert re.search(rf"{number}\b.*?\.*\s*{where}\b", contents), number
        assert number in extra  # a bookmark per case
    assert "Summary figures" in " ".join(flat) and "Cases by status" in " ".join(flat)
    assert all(p.count("CUI") >= 2 for p in flat)
    assert N1 in " ".join(flat)


def test_a_package_for_fbi_leaves_out_withheld_notes_and_counts_them(ctx, tmp_path):
    s10_world(ctx)
    out = tmp_path / "package-fbi.pdf"
    done = publish(ctx, ReportRequest("package", task_force="BEST Seattle", recipient="FBI"), out, LES)
    text = _everything(out.read_bytes())
    for item in (N1, N2, N3, S1, "Fentanyl via Blaine"):
        assert item not in text
    assert done.withheld >= 5 and "derived from EU PNR data" in text


def test_cli_report_case_for_a_partner_writes_the_file_and_logs_it(tmp_path, ctx, db_path):
    s10_world(ctx)
    ctx.db.close()
    out = tmp_path / "for-ice.pdf"
    result = tf("report", "case", "BEST-SEA-2026-0007", "-o", out, "--for", "ICE", env_db=db_path)
    assert result.returncode == 0, result.stderr
    assert "withheld: 1 item derived from EU PNR data" in result.stdout
    assert N1 not in _everything(out.read_bytes())
    log = tf("releases", "--json", env_db=db_path)
    import json
    rows = json.loads(log.stdout)["releases"]
    assert rows[0]["document_kind"] == "case-briefing" and rows[0]["withheld_count"] == 2
    bad = tf("report", "case", "NOPE-1", "-o", tmp_path / "nope.pdf", env_db=db_path)
    assert one_line_error(bad) == "taskforce: No case numbered 'NOPE-1'."
    assert not (tmp_path / "nope.pdf").exists()
    marking = tf("report", "case", "BEST-SEA-2026-0007", "-o", tmp_path / "m.pdf", "--marking", "SECRET//NOFORN\n",
                 env_db=db_path)
    assert "marking" in one_line_error(marking).lower()


def test_cli_debriefs_with_only_one_end_of_the_period_and_the_other_reports(tmp_path, ctx, db_path):
    s10_world(ctx)
    ctx.db.close()
    for args in (("debriefs", "--from", "2026-01-01"), ("debriefs", "--to", "2026-06-30"),
                 ("roster", "--task-force", "BEST Seattle"), ("feedback",), ("action-items",)):
        out = tmp_path / f"{args[0]}.pdf"
        result = tf("report", *args, "-o", out, env_db=db_path)
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(b"%PDF")
    bad = tf("report", "debriefs", "--from", "2026-07-01", "--to", "2026-06-01", "-o", tmp_path / "x.pdf",
             env_db=db_path)
    assert one_line_error(bad) == "taskforce: --to must not be before --from."


def test_printing_is_in_the_audit_trail_and_the_chain_still_verifies(ctx, tmp_path):
    from taskforce.services.audit import verify_audit

    s10_world(ctx)
    done = publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007", recipient="FBI"),
                   tmp_path / "x.pdf", LES)
    with ctx.db.engine.connect() as conn:
        action, detail = conn.execute(select(S.audit_log.c.action, S.audit_log.c.new_value)
                                      .where(S.audit_log.c.entity == "release", S.audit_log.c.field.is_(None))
                                      .order_by(S.audit_log.c.id.desc())).first()
    assert action == "print" and done.sha256 in detail  # then the update of its status to done
    assert verify_audit(ctx).ok


def test_a_copy_without_the_case_fields_prints_no_case_dates(ctx, tmp_path):
    s10_world(ctx)  # the case was opened 2026-03-01 (tests/factories.py)
    for kind, request in (("briefing", ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007",
                                                     recipient="RCMP")),
                          ("package", ReportRequest("package", task_force="BEST Seattle", recipient="RCMP"))):
        out = tmp_path / f"{kind}.pdf"
        publish(ctx, request, out, LES)
        text = _everything(out.read_bytes())
        assert "2026-03-01" not in text and "BEST-SEA-2026-0007" in text, kind
    own = tmp_path / "own.pdf"
    publish(ctx, ReportRequest("case-briefing", case_number="BEST-SEA-2026-0007"), own, LES)
    assert "2026-03-01" in _everything(own.read_bytes())

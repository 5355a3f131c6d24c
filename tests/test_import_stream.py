"""Imports stream their file (issue 11): one pass, batches inserted while no row is refused,
all or nothing across the batches, every refusal reported (counted beyond a cap), and no cell
larger than any field takes. Long text prints in pieces that lose nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from taskforce.reports import blocks
from taskforce.reports.text import chunks
from taskforce.services import record_import as R
from taskforce.services import stats
from taskforce.services.import_files import MAX_CELL

from tests import factories as f


def _csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


HEADER = ["Family name", "Given names", "Home agency"]


def test_a_refused_row_after_several_batches_leaves_nothing_imported(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(R, "BATCH", 2)  # batches go in before the bad row is reached
    rows = [HEADER] + [[f"Quill{i}", "Mara", "ICE"] for i in range(7)] + [["Okafor", "Lee", "Nowhere PD"]]
    before = stats.stats(ctx)["members"]
    with pytest.raises(R.ImportRejected) as refused:
        R.import_file(ctx, _csv(tmp_path / "m.csv", rows), "members")
    assert [(r.line, r.reason) for r in refused.value.rejected] == [(9, "Home agency: no agency called 'Nowhere PD'.")]
    assert stats.stats(ctx)["members"] == before
    good = R.import_file(ctx, _csv(tmp_path / "ok.csv", rows[:-1]), "members")
    assert good.added == 7 and stats.stats(ctx)["members"] == before + 7


def test_every_refused_row_is_counted_and_the_first_ones_are_listed(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(R, "MAX_REASONS", 3)
    rows = [HEADER] + [[f"Quill{i}", "Mara", "Nowhere PD"] for i in range(10)]
    path = _csv(tmp_path / "m.csv", rows)
    with pytest.raises(R.ImportRejected) as refused:
        R.import_file(ctx, path, "members")
    assert [r.line for r in refused.value.rejected] == [2, 3, 4]
    assert str(refused.value).startswith("10 rows of m.csv cannot be imported")
    preview = R.preview(ctx, path, "members")
    assert preview.rows == 10 and preview.problems[-1] == "… and 7 more rows refused (the first 3 are listed)."


def test_a_duplicate_within_the_file_names_its_first_line_across_batches(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(R, "BATCH", 2)
    rows = [HEADER, ["Quill", "Mara", "ICE"], ["Reyes", "Tomas", "CBP"], ["Dobrev", "Ana", "CBP"],
            [" quill ", "MARA", "ICE"]]
    with pytest.raises(R.ImportRejected) as refused:
        R.import_file(ctx, _csv(tmp_path / "m.csv", rows), "members")
    assert [(r.line, r.reason.endswith("is already on line 2.")) for r in refused.value.rejected] == [(5, True)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_larger_than_any_field_refuses_the_file(ctx, tmp_path, kind, monkeypatch):
    f.best_seattle(ctx)
    limit = MAX_CELL
    if kind == "xlsx":  # Excel's own cells stop at 32,767 characters: a hostile file has more
        limit = 10_000
        monkeypatch.setattr("taskforce.services.import_files.MAX_CELL", limit)
    rows = [["Case #", "Title", "Task force", "Lead agency", "Opened", "Synopsis"],
            ["BEST-SEA-2026-0101", "Long", "BEST Seattle", "ICE", "2026-03-01", "x" * (limit + 1)]]
    if kind == "csv":
        path = _csv(tmp_path / "c.csv", rows)
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        path = tmp_path / "c.xlsx"
        book.save(path)
    with pytest.raises(R.ImportRefused, match=rf"Line 2 of c\.\w+ has a cell of {limit + 1:,} characters"):
        R.import_file(ctx, path, "cases")
    assert stats.stats(ctx)["cases"] == 0


def test_long_text_is_cut_in_pieces_that_put_back_together_are_the_text():
    sentences = "".join(f"Sentence {i} about the courier. " for i in range(2000)).strip()
    text = "First line\n" + sentences + "\n\nAfter a blank line"
    pieces = chunks(text, size=3000)
    assert len(pieces) > 10 and all(len(p) <= 3000 for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())  # nothing lost, nothing added
    assert all(p.endswith(".") for p in pieces[1:-2])  # cut after a sentence, not inside a word
    assert chunks("short") == ["short"]
    assert chunks("x" * 7000, size=3000) == ["x" * 3000, "x" * 3000, "x" * 1000]  # no space at all


def test_a_long_synopsis_prints_whole_and_in_order(tmp_path):
    from tests.test_report_engine import render

    words = [f"w{i}" for i in range(60_000)]  # about 400 KB: dozens of pages
    _data, reader = render([blocks.paragraph(" ".join(words))])
    assert isinstance(reader, PdfReader) and len(reader.pages) > 20
    printed = " ".join(page.extract_text() for page in reader.pages).split()
    found = [w for w in printed if w.startswith("w") and w[1:].isdigit()]
    assert found == words

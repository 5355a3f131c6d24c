"""Reports at their edges (issue 11): a blank recipient, a preview without a file, characters
the embedded font does not have."""

from __future__ import annotations

import io
import sys

import pytest

from tests.crashing import case_number, demo_db, demo_template, ok, tf  # noqa: F401
from tests.test_cli import one_line_error


@pytest.mark.parametrize("recipient", ["", "   ", "\t"])
def test_a_blank_recipient_is_refused_not_read_as_our_own_copy(demo_db, tmp_path, recipient):
    """S12: a partner copy always names its partner; ``--for "$UNSET"`` must not print all."""
    out = tmp_path / "briefing.pdf"
    for extra in ((), ("--preview",)):
        line = one_line_error(tf("--db", demo_db, "report", "case", case_number(demo_db), "--for", recipient,
                                 "-o", out, *extra))
        assert "recipient" in line.lower() and "empty" in line.lower(), line
    assert not out.exists()
    assert "No documents" in ok(tf("--db", demo_db, "releases")).stdout


def test_the_service_refuses_a_blank_recipient_too(ctx):
    from taskforce.domain.errors import TaskforceError
    from taskforce.reports.publish import ReportRequest, preview

    from tests import factories as F

    F.case(ctx, F.best_seattle(ctx))
    with pytest.raises(TaskforceError, match="empty"):
        preview(ctx, ReportRequest(kind="case-briefing", case_number="BEST-SEA-2026-0007", recipient="  ",
                                   for_partner=True))


def test_preview_needs_no_output_file(demo_db):
    result = ok(tf("--db", demo_db, "report", "case", case_number(demo_db), "--for", "FBI", "--preview"))
    assert "items included for" in result.stdout
    # without --preview the file is still required, in one sentence
    line = one_line_error(tf("--db", demo_db, "report", "case", case_number(demo_db)))
    assert "-o" in line


OUTSIDE_THE_FONT = "Alpha 😀 beta 🇺🇸 gamma 𝔘 delta 漢字 end"


def _pdf_text(data: bytes) -> str:
    import pypdf

    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_characters_outside_the_font_print_as_a_visible_replacement_and_extract_as_it(tmp_path):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from taskforce.reports.fonts import FONT, REPLACEMENT, register_fonts

    register_fonts()
    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph(OUTSIDE_THE_FONT, ParagraphStyle("b", fontName=FONT, fontSize=12))])
    text = _pdf_text(out.getvalue())
    assert "\x00" not in text
    # every character the font lacks prints (and extracts) as the one visible replacement
    assert " ".join(text.split()) == f"Alpha {REPLACEMENT} beta {REPLACEMENT * 2} gamma {REPLACEMENT} " \
                                     f"delta {REPLACEMENT * 2} end"


def test_a_briefing_with_emoji_extracts_without_garbage(ctx, tmp_path):
    from taskforce.reports.fonts import REPLACEMENT
    from taskforce.reports.publish import ReportRequest, publish, settings_with_profile

    from tests import factories as F

    F.case(ctx, F.best_seattle(ctx), title="Drop 📦 at the dock — Δ ok")
    done = publish(ctx, ReportRequest(kind="case-briefing", case_number="BEST-SEA-2026-0007"),
                   tmp_path / "b.pdf", settings_with_profile("les"))
    text = _pdf_text(done.path.read_bytes())
    assert f"Drop {REPLACEMENT} at the dock — Δ ok" in " ".join(text.split())
    assert "\x00" not in text


@pytest.mark.skipif(sys.platform == "win32", reason="pdftotext")
def test_pdftotext_reads_the_replacement_too(tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from taskforce.reports.fonts import FONT, REPLACEMENT, register_fonts

    register_fonts()
    path = tmp_path / "e.pdf"
    SimpleDocTemplate(str(path)).build([Paragraph(OUTSIDE_THE_FONT, ParagraphStyle("b", fontName=FONT))])
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60)
    assert done.stderr == "" and REPLACEMENT in done.stdout and "\x00" not in done.stdout

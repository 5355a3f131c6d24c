"""A search box pasted full of text (issue 11): the service searches at most 16 words and 200
characters, and says so; the command line and the window say the same."""

from __future__ import annotations

import json
import subprocess
import sys

from taskforce.domain.records import NoteData
from taskforce.services import cases
from taskforce.services import search as S
from taskforce.store import search as fts
from tests import factories as f

MANY = " ".join(f"word{i}" for i in range(60_000))


def test_sixty_thousand_words_search_the_first_sixteen_and_say_so(ctx, monkeypatch):
    asked: list[str] = []
    real = fts.search_ids
    monkeypatch.setattr(fts, "search_ids", lambda conn, expr, limit: asked.append(expr) or real(conn, expr, limit))
    result = S.search(ctx, MANY)
    assert result.note == "Searched for the first 16 words."
    assert asked and asked[0].count('"*') == 16
    assert result.searched == " ".join(f"word{i}" for i in range(16))


def test_one_very_long_word_is_cut_to_200_characters_and_said(ctx):
    result = S.search(ctx, "x" * 50_000)
    assert result.note == "Searched for the first 200 characters."
    assert result.searched == "x" * 200


def test_a_usual_search_says_nothing_more(ctx):
    case_id = f.case(ctx, f.best_seattle(ctx))
    cases.add_note(ctx, NoteData(case_id=case_id, body="courier met at pier ninety one"))
    result = S.search(ctx, "courier pier")
    assert result.note is None and result.count == 1 and result.searched == "courier pier"
    assert S.search(ctx, "  ").note is None


def test_words_past_the_sixteenth_do_not_narrow_the_result(ctx):
    case_id = f.case(ctx, f.best_seattle(ctx))
    cases.add_note(ctx, NoteData(case_id=case_id, body="courier met at pier ninety one"))
    assert S.search(ctx, "courier " * 16 + "absent words here").count == 1


def test_the_command_line_says_what_was_searched(db_path):
    many = " ".join(f"w{i}" for i in range(3000))
    result = subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "search", many],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Searched for the first 16 words." in result.stdout.splitlines()
    as_json = subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "search", many, "--json"],
                             capture_output=True, text=True, timeout=60)
    assert json.loads(as_json.stdout)["note"] == "Searched for the first 16 words."


def test_the_window_says_what_was_searched(qtbot, ctx):
    from PySide6.QtCore import Qt

    from taskforce.gui.search_panel import SearchPanel
    from taskforce.gui.worker import Worker

    worker = Worker()
    panel = SearchPanel(ctx, worker)
    qtbot.addWidget(panel)
    finished: list[int] = []
    panel.finished.connect(finished.append)
    panel.search(MANY)
    panel.run_now()
    qtbot.waitUntil(lambda: bool(finished), timeout=20000)
    text = panel.summary.text()
    assert "Searched for the first 16 words." in text
    assert "word16" not in text and len(text) < 400
    assert panel.summary.textFormat() == Qt.TextFormat.PlainText

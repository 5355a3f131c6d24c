"""Rule 10 (001 Title 21): details and pilot programs with a period and an evaluation date.
Rules as pure functions, services on a real file, S9, the CLI and the detail window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from taskforce.domain.details import (
    DetailData, DetailState, EvaluationData, default_evaluation_on, detail_state, evaluation_due,
)
from taskforce.domain.errors import ValidationFailed
from taskforce.services import details as svc
from taskforce.services import history, lists
from taskforce.services.context import Context

from tests import factories_wg as w

D = date


def at(ctx, day: date) -> Context:
    return Context(db=ctx.db, actor=ctx.actor, today=lambda: day)


def test_the_evaluation_comes_due_on_its_date_until_recorded():
    assert default_evaluation_on(D(2026, 3, 1)) == D(2026, 5, 30)  # 001: ninety days
    assert not evaluation_due(D(2026, 5, 30), None, D(2026, 5, 29))
    assert evaluation_due(D(2026, 5, 30), None, D(2026, 5, 30))
    assert evaluation_due(D(2026, 5, 30), None, D(2026, 9, 1))
    assert not evaluation_due(D(2026, 5, 30), D(2026, 6, 2), D(2026, 9, 1))


def test_a_detail_is_upcoming_active_then_ended():
    assert detail_state(D(2026, 3, 1), D(2026, 5, 30), D(2026, 2, 28)) == DetailState.UPCOMING
    assert detail_state(D(2026, 3, 1), D(2026, 5, 30), D(2026, 3, 1)) == DetailState.ACTIVE
    assert detail_state(D(2026, 3, 1), D(2026, 5, 30), D(2026, 5, 30)) == DetailState.ACTIVE
    assert detail_state(D(2026, 3, 1), D(2026, 5, 30), D(2026, 5, 31)) == DetailState.ENDED
    assert detail_state(D(2026, 3, 1), None, D(2030, 1, 1)) == DetailState.ACTIVE


def test_detail_data_checks_its_dates():
    assert DetailData(1, 2, D(2026, 3, 1)).validate() == []
    assert DetailData(1, 2, D(2026, 3, 1)).evaluation_date() == D(2026, 5, 30)
    assert DetailData(1, 2, D(2026, 3, 1), evaluation_on=D(2026, 4, 1)).evaluation_date() == D(2026, 4, 1)
    assert {e.field for e in DetailData(None, None, None).validate()} == {"member_id", "host_agency_id", "starts_on"}
    assert [e.field for e in DetailData(1, 2, D(2026, 3, 1), ends_on=D(2026, 2, 1)).validate()] == ["ends_on"]
    assert [e.field for e in DetailData(1, 2, D(2026, 3, 1), evaluation_on=D(2026, 2, 1)).validate()] == [
        "evaluation_on"]
    assert {e.field for e in EvaluationData(None, " ").validate()} == {"evaluated_on", "evaluation"}


def test_s9_the_title_21_pilot_is_due_for_evaluation_90_days_after_it_starts(ctx):
    world = w.best_seattle(ctx)
    reyes = w.member(ctx, "Reyes", "Tomas", world.ofo_blaine, "CBPO")
    detail_id = svc.create_detail(ctx, DetailData(reyes, world.title21_blaine, D(2026, 3, 1),
                                                  program="Title 21 shadow program")).id
    detail = svc.get_detail(ctx, detail_id, D(2026, 5, 29))
    assert detail.data.evaluation_on == D(2026, 5, 30)
    assert (detail.row.member, detail.row.evaluation_due) == ("Reyes, Tomas", False)
    assert svc.details(ctx, D(2026, 5, 29), due_only=True) == ()
    (due,) = svc.details(ctx, D(2026, 5, 30), due_only=True)
    assert (due.id, due.host_agency, due.days_since_due) == (
        detail_id, "HSI T21 Blaine — ICE HSI Seattle Title 21 Group, Blaine", 0)
    assert svc.details(ctx, D(2026, 8, 1), due_only=True)[0].days_since_due == 63

    # the list section says "due" from that day on
    day = at(ctx, D(2026, 5, 30))
    evaluated = [c.key for c in svc.DETAILS.columns].index("evaluated")
    assert lists.list_rows(day, svc.DETAILS, [detail_id])[detail_id][evaluated] == "due"
    assert lists.list_ids(day, svc.DETAILS, lists.Query(filters=(("evaluated", "due"),))) == [detail_id]
    assert lists.list_rows(at(ctx, D(2026, 5, 29)), svc.DETAILS, [detail_id])[detail_id][evaluated] == "no"

    # until an evaluation is recorded
    svc.record_evaluation(ctx, detail_id, EvaluationData(D(2026, 6, 2), "Feasible; extend to San Ysidro."))
    assert svc.details(ctx, D(2026, 6, 3), due_only=True) == ()
    assert lists.list_ids(at(ctx, D(2026, 6, 3)), svc.DETAILS, lists.Query(filters=(("evaluated", "due"),))) == []
    rows = history.history(ctx, "member", reyes)
    assert any(h.what == f"detail #{detail_id}" and h.field == "evaluated_on" and h.new == "2026-06-02" for h in rows)
    assert any(h.what == f"detail #{detail_id}" and h.action == "create" for h in rows)


def test_a_detail_is_with_another_agency_and_evaluated_after_it_starts(ctx):
    world = w.best_seattle(ctx)
    reyes = w.member(ctx, "Reyes", "Tomas", world.ofo_blaine, "CBPO")
    with pytest.raises(ValidationFailed) as err:
        svc.create_detail(ctx, DetailData(reyes, world.ofo_blaine, D(2026, 3, 1)))
    assert "another agency's unit" in err.value.for_field("host_agency_id")
    detail_id = svc.create_detail(ctx, DetailData(reyes, world.title21_blaine, D(2026, 3, 1),
                                                  evaluation_on=D(2026, 4, 15))).id
    assert svc.get_detail(ctx, detail_id).data.evaluation_on == D(2026, 4, 15)  # a given date is kept
    with pytest.raises(ValidationFailed) as err:
        svc.record_evaluation(ctx, detail_id, EvaluationData(D(2026, 2, 1), "Too early"))
    assert "before the detail started" in err.value.for_field("evaluated_on")
    svc.record_evaluation(ctx, detail_id, EvaluationData(D(2026, 4, 20), "Good"))
    with pytest.raises(ValidationFailed) as err:
        svc.update_detail(ctx, detail_id, DetailData(reyes, world.title21_blaine, D(2026, 5, 1)))
    assert err.value.for_field("starts_on")
    svc.clear_evaluation(ctx, detail_id)
    assert svc.get_detail(ctx, detail_id, D(2026, 4, 20)).row.evaluation_due
    svc.delete_detail(ctx, detail_id)
    assert svc.member_details(ctx, reyes).rows == ()
    assert svc.member_details(ctx, reyes).member == "Reyes, Tomas (OFO Blaine)"


def test_cli_details(ctx, db_path):
    world = w.best_seattle(ctx)
    reyes = w.member(ctx, "Reyes", "Tomas", world.ofo_blaine, "CBPO")
    svc.create_detail(ctx, DetailData(reyes, world.title21_blaine, D(2026, 3, 1), program="Title 21 shadow program"))
    env = {k: v for k, v in os.environ.items() if k != "TASKFORCE_DB"}

    def run(*args):  # noqa: ANN002, ANN202
        return subprocess.run([sys.executable, "-m", "taskforce", "--db", str(db_path), "details", *args],
                              capture_output=True, text=True, env=env, timeout=120)

    assert "No evaluations due." in run("--due", "--as-of", "2026-05-29").stdout
    due = run("--due", "--as-of", "2026-05-30")
    assert due.returncode == 0, due.stderr
    assert "Reyes, Tomas → HSI T21 Blaine" in due.stdout and "EVALUATION DUE since 2026-05-30" in due.stdout
    data = json.loads(run("--as-of", "2026-05-30", "--json").stdout)
    assert data["details"][0]["evaluation_on"] == "2026-05-30" and data["details"][0]["evaluation_due"] is True
    bad = run("--as-of", "May 30")
    assert bad.returncode == 1 and "--as-of must be a date" in bad.stderr and "Traceback" not in bad.stderr


def test_detail_window_records_the_evaluation(qtbot, ctx):
    from taskforce.gui.main_window import MainWindow
    from taskforce.gui.record_window import ChildTabWidget, RecordWindow
    from taskforce.gui.records.base import edit_with
    from taskforce.gui.records.detail import DetailKind, member_tab, member_tab_data

    from tests.test_gui_flow import only_form, pick, save

    world = w.best_seattle(ctx)
    reyes = w.member(ctx, "Reyes", "Tomas", world.ofo_blaine, "CBPO")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    shell = window.workspace

    # from the member's Details tab: Add… with the member filled in; the evaluation date defaults
    tab = ChildTabWidget(member_tab(shell, window, reyes, member_tab_data(ctx, reyes)))
    assert "Not detailed" in tab.empty.text()
    qtbot.mouseClick(tab.findChild(QPushButton, "Details_add"), Qt.MouseButton.LeftButton)
    form = only_form(window)
    assert form.widgets["member_id"].text() == "Reyes, Tomas (OFO Blaine)"
    pick(qtbot, form.widgets["host_agency_id"], "T21 Blaine")
    form.widgets["starts_on"].set_value(D(2026, 3, 1))
    qtbot.keyClicks(form.widgets["program"], "Title 21 shadow program")
    save(qtbot, form)
    detail_id = form.change.id
    assert svc.get_detail(ctx, detail_id).data.evaluation_on == D(2026, 5, 30)
    tab = ChildTabWidget(member_tab(shell, window, reyes, member_tab_data(ctx, reyes)))
    assert tab.table.item(0, 4).text() == "⚠ Evaluation due since 2026-05-30"  # today is 2026-11-23

    record = RecordWindow(shell, DetailKind(), detail_id, window)
    shell.windows.append(record)
    qtbot.waitUntil(lambda: record.detail is not None, timeout=5000)
    assert "Evaluation due since 2026-05-30" in record.overview.toPlainText()
    evaluation = record.child_tab("Evaluation")
    qtbot.mouseClick(evaluation.findChild(QPushButton, "Evaluation_add"), Qt.MouseButton.LeftButton)
    form = only_form(record)
    assert not form.save_button.isEnabled()  # the evaluation text is required
    qtbot.keyClicks(form.widgets["evaluation"], "Feasible at Blaine; recommend all five ports.")
    save(qtbot, form)
    qtbot.waitUntil(lambda: record.detail.row.evaluated_on == D(2026, 11, 23), timeout=5000)
    assert record.child_tab("Evaluation").findChild(QPushButton, "Evaluation_add") is None
    assert "Evaluated 2026-11-23" in record.overview.toPlainText()

    # the detail's own form keeps the evaluation date
    dialog = edit_with(shell, DetailKind().editor(shell, record, record.detail))
    assert dialog.widgets["evaluation_on"].value() == D(2026, 5, 30)
    dialog.reject()
    record.close()
    window.close()

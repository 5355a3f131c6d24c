"""Deconfliction on the case and subject windows: a "Possible matches" tab.

It lists the suggestions (amber) and the pairs already confirmed ("Linked"). Nothing is merged:
Edit… opens the decision (Same: link the two records, which stay separate / Not the same: never
suggest again); Remove dismisses a suggestion, or takes back a link; Open shows the other
subject. Every decision is logged with who and when, on both subjects.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QWidget

from taskforce.domain.deconfliction import MatchDecision, MatchDecisionData
from taskforce.gui.fields import ChoiceField
from taskforce.gui.form_dialog import Field, FormDialog
from taskforce.gui.records.base import ChildTab, Shell, edit_with, run_change
from taskforce.services import deconfliction as svc
from taskforce.services.context import Context
from taskforce.services.deconfliction import CaseMatches, MatchLink, MatchSuggestion, SubjectMatches

TITLE = "Possible matches"
DECISIONS = [(MatchDecision.CONFIRMED.value, "Same — link the two records (both stay separate)"),
             (MatchDecision.DISMISSED.value, "Not the same — do not suggest again")]


@dataclass(frozen=True)
class _Entry:
    subject_id: int
    subject_name: str
    other_id: int
    other_name: str
    other_cases: tuple[str, ...]
    score: int
    why: str
    link: MatchLink | None  # None: a suggestion


def _entries(suggestions: tuple[MatchSuggestion, ...], links: tuple[MatchLink, ...]) -> list[_Entry]:
    return ([_Entry(s.subject_id, s.subject_name, s.other_id, s.other_name, s.other_cases, s.score,
                    "; ".join(s.reasons), None) for s in suggestions]
            + [_Entry(x.subject_id, x.subject_name, x.other_id, x.other_name, x.other_cases, x.score, "", x)
               for x in links])


def _readonly(value: str):  # noqa: ANN202
    def make() -> QLineEdit:
        line = QLineEdit(value)
        line.setReadOnly(True)
        line.setCursorPosition(0)
        return line
    return make


def decision_form(shell: Shell, parent: QWidget, e: _Entry) -> FormDialog:
    """Confirm or dismiss one pair; for a confirmed link, change the decision."""
    cases = ", ".join(e.other_cases) or "no case"
    fields = [
        Field("pair", "Subjects", _readonly(f"{e.subject_name} (#{e.subject_id}) ≈ {e.other_name} "
                                            f"(#{e.other_id}, on {cases})")),
        Field("why", "Why suggested", _readonly(e.why or f"score {e.score}")),
        Field("decision", "Decision", lambda: ChoiceField(DECISIONS), True),
    ]
    initial = {"decision": e.link.decision.value if e.link else MatchDecision.CONFIRMED.value}
    return FormDialog(parent, "Possible match", fields,
                      lambda v: MatchDecisionData(e.subject_id, e.other_id, v["decision"]),
                      lambda data: svc.decide_match(shell.ctx, data.subject_id, data.other_id, data.decision,
                                                    e.score if e.link is None else None),
                      shell.worker, initial)


def matches_tab(shell: Shell, parent: QWidget, suggestions: tuple[MatchSuggestion, ...],
                links: tuple[MatchLink, ...], *, show_subject: bool) -> ChildTab:
    entries = _entries(suggestions, links)
    by_row = dict(enumerate(entries, start=1))  # row ids are positions: a pair has no id until decided

    def status(e: _Entry) -> str:
        if e.link is None:
            return "⚠ Suggested: confirm or dismiss"
        return f"Linked: confirmed by {e.link.decided_by} on {e.link.decided_at[:10]}"

    def remove(row: int) -> None:
        e = by_row[row]
        if e.link is None:
            run_change(shell, parent, lambda: svc.decide_match(shell.ctx, e.subject_id, e.other_id,
                                                                MatchDecision.DISMISSED.value, e.score),
                       f"Dismiss {e.other_name} as a match of {e.subject_name}? It will not be suggested "
                       "again; the decision is logged.")
        else:
            run_change(shell, parent, lambda: svc.undo_match(shell.ctx, e.link.match_id),
                       f"Take back the link between {e.subject_name} and {e.other_name}? The records were "
                       "never merged; the pair may be suggested again. This is logged.")

    headers = (["Subject"] if show_subject else []) + ["Possible match", "On cases", "Score", "Why", "Status"]
    rows = [(row, ([e.subject_name] if show_subject else [])
             + [e.other_name, ", ".join(e.other_cases), str(e.score), e.why, status(e)])
            for row, e in by_row.items()]
    return ChildTab(
        TITLE, headers, rows,
        edit=lambda row: edit_with(shell, decision_form(shell, parent, by_row[row])),
        open=lambda row: shell.open_record("subject", by_row[row].other_id),
        remove=remove,
        empty="No possible matches on other cases.",
        edit_label="Confirm or dismiss…", remove_label="Take back",
        flags={row: "warning" for row, e in by_row.items() if e.link is None},
    )


def case_tab_data(ctx: Context, case_id: int) -> CaseMatches:
    """Worker thread: suggestions for every subject of the case, and its confirmed links."""
    return svc.case_matches(ctx, case_id)


def case_tab(shell: Shell, parent: QWidget, case_id: int, data: CaseMatches) -> ChildTab:
    return matches_tab(shell, parent, data.suggestions, data.links, show_subject=True)


def subject_tab_data(ctx: Context, subject_id: int) -> SubjectMatches:
    return svc.subject_matches(ctx, subject_id)


def subject_tab(shell: Shell, parent: QWidget, subject_id: int, data: SubjectMatches) -> ChildTab:
    return matches_tab(shell, parent, data.suggestions, data.links, show_subject=False)

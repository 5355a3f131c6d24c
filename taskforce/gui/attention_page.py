"""The home screen: what needs attention today, grouped by kind, overdue first, each line
opening its record (UX.md: overdue in red, due soon in amber, never colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from taskforce.gui.worker import Worker
from taskforce.services.attention import KINDS, TITLES, Attention, attention
from taskforce.services.context import Change, Context

OVERDUE = QColor("#fbe0dd")
SOON = QColor("#fff1cc")
# kinds whose lines are late by nature (an obligation past its date)
_LATE_KINDS = {"feedback_overdue", "designation_expired", "action_item_overdue"}
REFRESH_ON = frozenset({"support", "feedback", "debrief", "debrief_participant", "referral", "designation",
                        "assignment", "action_item", "meeting", "detail", "case_file", "member", "task_force"})


class AttentionPage(QWidget):
    open_record = Signal(str, int)
    loaded = Signal(int)  # total number of items

    def __init__(self, ctx: Context, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.worker = ctx, worker
        self.result: Attention | None = None
        self.active = False
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("attention")
        self.tree.setAccessibleName("Needs attention")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Due"), self.tr("Record"), self.tr("What")])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.setColumnWidth(1, 220)
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def ensure_loaded(self) -> None:
        if not self.active:
            self.refresh()

    def refresh(self) -> None:
        self.active = True
        self.worker.submit(lambda: attention(self.ctx), self._show)

    def wants(self, change: Change) -> bool:
        return bool(change.kinds & REFRESH_ON)

    def selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        data = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return tuple(data) if data else None

    def _activated(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.open_record.emit(*data)

    def _show(self, result: Attention) -> None:
        self.result = result
        expanded = {self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1)
                    for i in range(self.tree.topLevelItemCount()) if self.tree.topLevelItem(i).isExpanded()}
        self.tree.clear()
        if not result.total:
            self.summary.setText(self.tr(f"Nothing needs attention as of {result.as_of.isoformat()}. "
                                         "Overdue feedback, briefings owed, pending referrals, expiring "
                                         "designations, overdue action items, evaluations and meetings due show here."))
        else:
            self.summary.setText(self.tr(f"{result.total:,} item{'s' if result.total != 1 else ''} need attention "
                                         f"as of {result.as_of.isoformat()}. Enter or double-click opens the record."))
        for kind in KINDS:
            count = result.counts[kind]
            if not count:
                continue
            group = QTreeWidgetItem([f"{TITLES[kind]} ({count:,})"])
            group.setData(0, Qt.ItemDataRole.UserRole + 1, kind)
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for it in (i for i in result.items if i.kind == kind):
                late = it.days > 0 or kind in _LATE_KINDS
                marker = "⚠ " if late else "◷ "
                row = QTreeWidgetItem([marker + it.due.isoformat(), it.record, it.summary])
                row.setData(0, Qt.ItemDataRole.UserRole, (it.entity, it.id))
                row.setToolTip(2, it.summary)
                for col in range(3):
                    row.setBackground(col, QBrush(OVERDUE if late else SOON))
                group.addChild(row)
            shown = sum(1 for i in result.items if i.kind == kind)
            if shown < count:
                group.addChild(QTreeWidgetItem(["", "", self.tr(f"… and {count - shown:,} more")]))
            group.setExpanded(not expanded or kind in expanded)
        if result.pairs:
            group = QTreeWidgetItem([self.tr("Overdue feedback by agency pair (giver → receiver)")])
            group.setData(0, Qt.ItemDataRole.UserRole + 1, "pairs")
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for r in result.pairs:
                group.addChild(QTreeWidgetItem([f"⚠ {r.oldest_due.isoformat()}", f"{r.giver} → {r.receiver}",
                                                self.tr(f"{r.overdue} overdue")]))
            group.setExpanded(True)
        self.loaded.emit(result.total)

"""The warning banner shown when the audit chain does not verify at start (issue 6 §4).

Verification reads every audit row (seconds on a 100,000-case file), so it runs on its own
thread with its own connection (WAL lets it read beside the writer) instead of queueing in
front of the lists on the database worker.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

log = logging.getLogger(__name__)

BANNER_STYLE = ("background:#fbdad7;color:#5c0b05;border:1px solid #c0392b;border-radius:3px;"
                "padding:6px 10px;font-weight:bold")


class AuditBanner(QLabel):
    """Hidden while the chain verifies; shows the first broken link when it does not."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName("Audit warning")
        self.hide()
        self.report = None

    def check(self, ctx) -> threading.Thread:  # noqa: ANN001 - a services Context
        # The thread touches no Qt object: it leaves its report in a plain list, and a timer of
        # this banner (GUI thread) collects it. A window closed meanwhile takes its timer with
        # it, and the thread's result is simply dropped: no signal into a deleted object.
        found: list = []

        def run() -> None:
            from taskforce.services.audit import verify_audit

            try:
                found.append(verify_audit(ctx))
            except Exception as exc:  # noqa: BLE001 - a failed check is logged, never raised
                log.warning("audit verification failed: %s", exc)

        thread = threading.Thread(target=run, name="audit-verify", daemon=True)
        timer = QTimer(self)
        timer.setInterval(100)

        def collect() -> None:
            if thread.is_alive():
                return
            timer.stop()
            timer.deleteLater()
            if found:
                self._show(found[0])

        timer.timeout.connect(collect)
        thread.start()
        timer.start()
        return thread

    def _show(self, report) -> None:  # noqa: ANN001
        from taskforce.services.audit import describe

        self.report = report
        if report.ok:
            self.hide()
            return
        # issue 11 §4: a file whose database id changed at an anchored path (replaced, or its
        # id rewritten so that its own anchor starts afresh) is flagged like a broken chain
        lead = (self.tr("⚠ This is not the file this workstation anchored at this path. ")
                if report.anchor == "replaced" else
                self.tr("⚠ The audit trail of this file may have been altered. "))
        self.setText(lead + describe(report)
                     + self.tr(" Keep the file as it is and tell your system administrator; "
                               "'taskforce audit verify' shows the same."))
        self.show()

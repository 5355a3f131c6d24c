"""The audit chain for the app and the command line: verify it; audit events that are not edits.

``verify_audit`` checks every link (store/audit_chain.py) and this workstation's anchor, then
moves the anchor to the chain's end, or records a first one. ``record_event`` writes one
chained row for an opening, a printed or exported document, a failed unlock (CJIS AU-2:
audited events are not only edits).
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from taskforce.i18n import tr
from taskforce.services.context import Context
from taskforce.services.tx import as_text, read, write
from taskforce.store import audit_chain as chain
from taskforce.store.audit_chain import ChainReport

log = logging.getLogger(__name__)

EVENT_ACTIONS = ("open", "print", "export", "unlock-failed")
DATABASE = ("database", 0)  # the entity of events about the whole file


def verify_audit(ctx: Context) -> ChainReport:
    """Check the whole chain and this workstation's anchor; read-only on the database.

    ``anchor`` in the report: "matched" (the chain reaches the recorded row unchanged; the
    anchor now points at the end), "recorded" (no anchor on this workstation yet, one was
    recorded), "other" (likewise, but another database was anchored at this path before),
    "kept" (the chain is broken; the anchor stays as evidence), "unsaved" (intact, but the
    settings folder could not be written).
    """
    with read(ctx) as conn:
        db_id = chain.database_id(chain.driver_connection(conn))
    if db_id is None:
        return ChainReport(ok=False, rows=0, reason=tr(
            "the file has no database id (its db_meta table was removed or emptied)"), anchor="kept")
    # The anchor first, the snapshot after: an anchor is recorded after its commit, so the
    # snapshot taken next holds the anchored row even while another copy is writing.
    anchor = chain.load_anchor(db_id, ctx.db.path)
    with read(ctx) as conn:
        report = chain.verify(conn, anchor)
    if not report.ok:
        return replace(report, anchor="kept")
    status = "matched"
    if anchor is None:
        status = "other" if chain.anchored_ids(ctx.db.path) - {db_id} else "recorded"
    if report.latest_id is not None:
        try:
            chain.save_anchor(db_id, ctx.db.path, report.latest_id, report.latest_hash)
        except OSError as err:
            log.warning("could not record the audit anchor: %s", err)
            status = "unsaved" if anchor is None else status
    return replace(report, anchor=status)


def anchor_note(report: ChainReport) -> str:
    """One sentence on the anchor, for the CLI and the GUI."""
    return {
        "matched": tr("this workstation's anchor matches"),
        "recorded": tr("no anchor on this workstation; one was recorded"),
        "other": tr("no anchor on this workstation for this database, but another database was "
                    "anchored at this path before (was the file replaced?); one was recorded"),
        "unsaved": tr("no anchor on this workstation, and none could be recorded"),
    }.get(report.anchor, "")


def describe(report: ChainReport) -> str:
    """"Audit chain intact: 1,234 rows, latest 3fa2c1d0…" or "Audit chain broken at row …"."""
    if report.ok:
        latest = f", latest {report.latest_hash[:8]}…" if report.latest_hash else ""
        note = anchor_note(report)
        return tr(f"Audit chain intact: {report.rows:,} rows{latest}") + (f" ({note})." if note else ".")
    if report.first_broken_id is None:
        return tr(f"Audit chain broken: {report.reason}.")
    return tr(f"Audit chain broken at {report.where}: {report.reason}.")


def reanchor(ctx: Context) -> ChainReport:
    """After restoring an older copy over the file on purpose: forget this workstation's anchor
    and record the file's current end instead. The chain itself must still verify: when it
    does not, the anchors recorded before stay as evidence."""
    path = ctx.db.path
    before = {d: a for d in chain.anchored_ids(path) if (a := chain.load_anchor(d, path)) is not None}
    chain.forget_anchor(path)
    report = verify_audit(ctx)
    if not report.ok:
        for db_id, anchor in before.items():
            try:
                chain.save_anchor(db_id, path, anchor.id, anchor.row_hash)
            except OSError as err:
                log.warning("could not keep the audit anchor: %s", err)
    return report


def record_event(ctx: Context, action: str, what: tuple[str, int] | None = None,
                 detail: str | dict = "") -> bool:
    """Audit an event that changes no record, in its own transaction (one chained row).

    ``action``: one of EVENT_ACTIONS. ``what``: the record concerned, as (table, id), e.g.
    ("case_file", 88) for a printed briefing; None for the whole database. ``detail``: a short
    text, or a dict (file name, SHA-256 …), kept as the row's new value. Returns False, and
    records nothing, on a file opened read-only (another copy holds it).
    """
    if action not in EVENT_ACTIONS:
        raise ValueError(f"record_event: unknown action {action!r}; one of {EVENT_ACTIONS}")
    if getattr(ctx.db, "read_only", False):
        return False
    entity, entity_id = what or DATABASE
    values = detail if isinstance(detail, dict) else ({"detail": detail} if detail else {})
    new = json.dumps({k: as_text(v) for k, v in values.items()}, ensure_ascii=False) if values else None
    with write(ctx) as tx:
        tx.audit(action, entity, entity_id, None, new=new)
    return True

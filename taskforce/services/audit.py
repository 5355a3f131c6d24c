"""The audit chain for the app and the command line: verify it; audit events that are not edits.

``verify_audit`` checks the file's schema (store/schema_check.py: nothing that could drop or
alter audit rows), every link (store/audit_chain.py) and every anchor this workstation recorded
at the file's path, then moves the anchor to the chain's end, or records a first one.
``record_event`` writes one chained row for an opening, a read from the command line, a printed
or exported document, a failed unlock (CJIS AU-2: audited events are not only edits).
``reanchor`` moves the anchor on purpose, and says so in the file's audit log.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from taskforce.domain.errors import ReadOnlyDatabase
from taskforce.i18n import tr
from taskforce.services.context import Context
from taskforce.services.tx import as_text, read, write
from taskforce.store import audit_chain as chain
from taskforce.store import schema_check
from taskforce.store.audit_chain import Anchor, ChainReport

log = logging.getLogger(__name__)

EVENT_ACTIONS = ("open", "read", "print", "export", "unlock-failed")
REANCHOR = "reanchor"  # written by reanchor() itself, with the anchors it moved
DATABASE = ("database", 0)  # the entity of events about the whole file


def _schema_report(conn: object, name: str) -> ChainReport | None:
    """Not ok when the schema differs from what the migrations make (issue 11 §3): a trigger
    can drop or rewrite audit rows as they are written, which no hash can show afterwards."""
    raw = chain.driver_connection(conn)
    revision = chain.revision_of(raw)
    try:
        found = schema_check.differences(raw, revision) if revision else []
    except KeyError:  # a revision this version does not know; opening refuses such a file
        return None
    if not found:
        return None
    schema_check.log_differences(name, revision, found)
    return ChainReport(ok=False, rows=0, anchor="kept", reason=tr(
        "the schema of {name} is not the one Taskforce makes at {revision}: {first}; a changed "
        "schema can drop or alter audit rows as they are written").format(
        name=name, revision=revision, first=schema_check.summary(found)))


def _replaced_reason(db_id: str, others: dict[str, Anchor]) -> str:
    other_id, anchor = max(others.items(), key=lambda kv: kv[1].at)
    since = f" on {anchor.at[:10]}" if anchor.at else ""
    return tr(
        "this workstation anchored another database at this path ({other}…, row {row}{since}) and the "
        "file now says it is {this}… (was it replaced, or its id rewritten?); if it was replaced on "
        "purpose, 'taskforce audit reanchor' records that in its audit log").format(
        other=other_id[:8], row=anchor.id, since=since, this=db_id[:8])


def verify_audit(ctx: Context) -> ChainReport:
    """Check the schema, the whole chain and this workstation's anchors; read-only on the database.

    ``anchor`` in the report: "matched" (the chain reaches the recorded row unchanged; the
    anchor now points at the end), "recorded" (nothing was anchored at this path yet, one was
    recorded), "kept" (the chain or the schema is broken; the anchor stays as evidence),
    "replaced" (the chain holds, but another database id was anchored at this path: not ok,
    issue 11 §4), "unsaved" (intact, but the settings folder could not be written).
    """
    path = ctx.db.path
    with read(ctx) as conn:
        raw = chain.driver_connection(conn)
        db_id = chain.database_id(raw)
        revision = chain.revision_of(raw)
    if db_id is None:
        return ChainReport(ok=False, rows=0, reason=tr(
            "the file has no database id (its db_meta table was removed or emptied)"), anchor="kept")
    if (back := chain.going_back(path, revision)) is not None:
        return ChainReport(ok=False, rows=0, reason=back.rstrip("."), anchor="kept")
    # The anchors first, the snapshot after: an anchor is recorded after its commit, so the
    # snapshot taken next holds the anchored row even while another copy is writing.
    anchors = chain.path_anchors(path)
    anchor = anchors.pop(db_id, None)
    with read(ctx) as conn:
        report = chain.verify(conn, anchor)
    if not report.ok:  # the first broken row is the most precise evidence: named first
        return replace(report, anchor="kept")
    with read(ctx) as conn:
        if (schema := _schema_report(conn, path.name)) is not None:
            return schema
    if anchors:  # every database ever anchored here is consulted, not only this file's own id
        return replace(report, ok=False, reason=_replaced_reason(db_id, anchors), anchor="replaced")
    status = "matched" if anchor is not None else "recorded"
    if report.latest_id is not None:
        try:
            chain.save_anchor(db_id, path, report.latest_id, report.latest_hash, revision=revision)
        except OSError as err:
            log.warning("could not record the audit anchor: %s", err)
            status = "unsaved" if anchor is None else status
    return replace(report, anchor=status)


def anchor_note(report: ChainReport) -> str:
    """One sentence on the anchor, for the CLI and the GUI."""
    return {
        "matched": tr("this workstation's anchor matches"),
        "recorded": tr("no anchor on this workstation; one was recorded"),
        "unsaved": tr("no anchor on this workstation, and none could be recorded"),
    }.get(report.anchor, "")


def describe(report: ChainReport) -> str:
    """"Audit chain intact: 1,234 rows, latest 3fa2c1d0…" or "Audit chain broken at row …"."""
    if report.ok:
        text = (tr("Audit chain intact: {rows:,} rows, latest {hash}…") if report.latest_hash
                else tr("Audit chain intact: {rows:,} rows")).format(rows=report.rows, hash=report.latest_hash[:8])
        note = anchor_note(report)
        return text + (f" ({note})." if note else ".")
    if report.anchor == "replaced":
        return tr("Audit chain not accepted: {reason}.").format(reason=report.reason)
    if report.first_broken_id is None:
        return tr("Audit chain broken: {reason}.").format(reason=report.reason)
    return tr("Audit chain broken at {where}: {reason}.").format(where=report.where, reason=report.reason)


# --- moving the anchor on purpose (issue 11: asked, audited, by the holder only) ------------

@dataclass(frozen=True)
class ReanchorPlan:
    """What ``reanchor`` would do: the anchors at the path now, and the chain's end."""

    path: Path
    database_id: str | None
    old: dict[str, Anchor]  # every anchor recorded at the path, by database id
    report: ChainReport  # the chain alone (and the schema); reanchor refuses when not ok

    @property
    def question(self) -> str:
        end = tr("row {row} ({hash}…)").format(row=self.report.latest_id, hash=self.report.latest_hash[:8])
        if not self.old:
            return tr("Anchor this workstation to the end of {name}'s audit log, {end}? The anchor is "
                      "recorded in its audit log.").format(name=self.path.name, end=end)
        was = "; ".join(tr("database {id}… at row {row}{since}").format(
            id=db_id[:8], row=a.id, since=f", recorded {a.at[:10]}" if a.at else "")
            for db_id, a in sorted(self.old.items(), key=lambda kv: kv[1].at))
        return tr("Move this workstation's audit anchor for {name} from {was} to {end}, the end of the "
                  "file's audit log? Do it only if you replaced the file on purpose; the move is "
                  "recorded in its audit log.").format(name=self.path.name, was=was, end=end)


def _refuse_read_only(ctx: Context) -> None:
    # only the copy that holds the file may write the row that records the move
    if not ctx.db.read_only:
        return
    name, holder = ctx.db.path.name, getattr(ctx.db, "holder", None)
    if holder is not None:
        raise ReadOnlyDatabase(tr(
            "Not reanchored: {user} on {host} has {name} open, and only the copy that holds the file "
            "may record the move in its audit log; close it there first.").format(
            user=holder.user, host=holder.host, name=name))
    raise ReadOnlyDatabase(tr("Not reanchored: {name} is open read-only, and the move must be recorded "
                              "in its audit log.").format(name=name))


def reanchor_plan(ctx: Context) -> ReanchorPlan:
    """What ``reanchor`` would move, for the question asked first. Read-only on the database;
    refuses a file opened read-only (another copy holds it)."""
    _refuse_read_only(ctx)
    with read(ctx) as conn:
        raw = chain.driver_connection(conn)
        db_id = chain.database_id(raw)
        report = chain.verify(conn)
        if report.ok:
            report = _schema_report(conn, ctx.db.path.name) or report
    return ReanchorPlan(ctx.db.path, db_id, chain.path_anchors(ctx.db.path), report)


class _Refused(Exception):
    def __init__(self, report: ChainReport) -> None:
        self.report = report


def reanchor(ctx: Context) -> ChainReport:
    """After replacing the file on purpose (restore does it itself): this workstation's
    anchors at the file's path are replaced by one at its chain's end.

    The chain itself must still verify, and the schema must be the app's; otherwise nothing
    moves and the report says why. In one transaction, under the write lock, the chain is
    checked and a ``reanchor`` row records the anchors moved (old) and the end they move to
    (new); after the commit that row is the anchor. Refused on a file opened read-only.
    """
    _refuse_read_only(ctx)
    path = ctx.db.path
    before = chain.path_anchors(path)
    # forgotten first, so the write's own anchor bookkeeping records the new end afresh
    chain.forget_anchor(path)
    try:
        with write(ctx) as tx:
            report = chain.verify(tx.conn)
            if report.ok:
                report = _schema_report(tx.conn, path.name) or report
            if not report.ok:
                raise _Refused(report)
            db_id = chain.database_id(chain.driver_connection(tx.conn))
            if db_id is None:
                raise _Refused(ChainReport(ok=False, rows=report.rows, anchor="kept", reason=tr(
                    "the file has no database id (its db_meta table was removed or emptied)")))
            tx.audit(REANCHOR, *DATABASE, None, new=json.dumps({
                "old": [{"database_id": d, "row": a.id, "row_hash": a.row_hash, "recorded": a.at,
                         "revision": a.revision} for d, a in before.items()],
                "new": {"database_id": db_id, "after_row": report.latest_id,
                        "after_row_hash": report.latest_hash},
            }, ensure_ascii=False))
            new_id, head = chain.last_link(chain.driver_connection(tx.conn))
    except _Refused as refused:
        _put_back(path, before)
        return replace(refused.report, anchor="kept")
    except BaseException:
        _put_back(path, before)
        raise
    recorded = chain.load_anchor(db_id, path)  # write() recorded the new end after its commit
    return ChainReport(ok=True, rows=report.rows + 1, latest_hash=head, latest_id=new_id,
                       anchor="recorded" if recorded is not None and recorded.id == new_id else "unsaved")


def _put_back(path: Path, anchors: dict[str, Anchor]) -> None:
    try:
        chain.put_back(path, anchors)
    except OSError as err:
        log.warning("could not keep the audit anchor: %s", err)


# --- events ---------------------------------------------------------------------------------

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


def record_read(ctx: Context, command: str, asked: dict, records: int) -> bool:
    """Audit a read from the command line (issue 11): which view, what was asked (its options,
    the search text), how many records it printed; never their content. False, and nothing
    recorded, on a file opened read-only (another copy holds it and this one cannot write)."""
    return record_event(ctx, "read", None, {"command": command, **asked, "records": records})


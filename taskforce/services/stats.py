"""Counts of each kind of record, and the database's health check."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlalchemy import exc, func, select

from taskforce.services.context import Context
from taskforce.services.tx import read
from taskforce.store import schema as S
from taskforce.store.database import HEAD_REVISION, read_revision
from taskforce.store.schema_check import schema_problem

COUNTED = {
    "agencies": S.agency, "agreements": S.agreement, "task_forces": S.task_force,
    "members": S.member, "designations": S.designation, "cases": S.case,
    "subjects": S.subject, "notes": S.case_note, "audit_rows": S.audit_log,
}

# Records a user or the demo put there, as opposed to the reference data of migration 0002.
USER_RECORD_TABLES = (S.task_force, S.member, S.case, S.subject, S.agreement)


def stats(ctx: Context) -> dict[str, int]:
    with read(ctx) as conn:
        return {key: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for key, t in COUNTED.items()}


def has_user_records(ctx: Context) -> bool:
    with read(ctx) as conn:
        return any(conn.execute(select(t.c.id).limit(1)).first() for t in USER_RECORD_TABLES)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check(ctx: Context) -> list[CheckResult]:
    revision = read_revision(ctx.db.path, ctx.db.key)
    with read(ctx) as conn:
        integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
        fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        # issue 11 §3: every table, column, index, trigger and view as the migrations make
        # them, nothing extra (a trigger dropping audit rows) and nothing missing
        schema = schema_problem(conn, revision, ctx.db.path.name) if revision == HEAD_REVISION else None
    return [
        CheckResult("integrity", integrity == ["ok"], "; ".join(integrity[:5])),
        CheckResult("foreign keys", not fk,
                    "ok" if not fk else f"{len(fk)} rows refer to missing records"),
        CheckResult("schema", revision == HEAD_REVISION and schema is None,
                    f"at {revision}" + (f", expected {HEAD_REVISION}" if revision != HEAD_REVISION
                                        else f"; {schema}" if schema else "")),
        _audit_chain(ctx),
    ]


def _audit_chain(ctx: Context) -> CheckResult:
    from taskforce.services.audit import anchor_note, verify_audit  # issue 6 §4

    try:
        report = verify_audit(ctx)
    except (sqlite3.DatabaseError, exc.DBAPIError) as err:  # a damaged file: the integrity line says more
        return CheckResult("audit chain", False, f"could not be read ({err})")
    if not report.ok:
        where = f" at {report.where}" if report.first_broken_id is not None else ""
        return CheckResult("audit chain", False, f"broken{where}: {report.reason}")
    note = anchor_note(report)
    return CheckResult("audit chain", True, f"{report.rows:,} rows intact" + (f"; {note}" if note else ""))

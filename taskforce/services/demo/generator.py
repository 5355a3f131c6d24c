"""The entry point: refuses what it must, then writes the phases in one audited transaction."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, select

from taskforce.i18n import tr
from taskforce.services import stats
from taskforce.services.context import Context
from taskforce.services.demo.build import Build, DemoRefused
from taskforce.services.demo.cases import Cases
from taskforce.services.demo.coordination import Coordination
from taskforce.services.demo.network import Network
from taskforce.services.demo.people import Staff
from taskforce.services.tx import write

MIN_CASES = 1
MAX_CASES = 1_000_000
# A larger page cache while the bulk transaction runs: 16 MiB keeps 100,000 cases (with the
# coordination records) near 50 s and the process near 225 MB (256 MiB saved 5 s but peaked
# at 460 MB).
BULK_CACHE_KIB = 16 * 1024


@dataclass(frozen=True)
class DemoReport:
    cases: int
    subjects: int
    members: int
    agencies: int  # agencies the demo created (the reference agencies come with every database)
    task_forces: int
    seconds: float


def generate_demo(ctx: Context, cases: int = 500, seed: int = 1,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> DemoReport:
    """Fill an empty database with the demo data set; all or nothing, every record audited.

    ``progress(done, total)`` is called with the number of cases written so far (first with
    0, last with total); ``cancelled()``, asked as often, abandons the whole data set if true.
    """
    if isinstance(cases, bool) or not isinstance(cases, int) or not MIN_CASES <= cases <= MAX_CASES:
        raise DemoRefused(tr(f"The demo needs between {MIN_CASES:,} and {MAX_CASES:,} cases."))
    if stats.has_user_records(ctx):
        raise DemoRefused(tr("This database already holds records of its own; the demo data set "
                             "goes only into a new, empty database."))
    started = time.perf_counter()
    with write(ctx) as tx:
        # checked again under the write lock: another window may have written meanwhile
        if any(tx.conn.execute(select(t.c.id).limit(1)).first() for t in stats.USER_RECORD_TABLES):
            raise DemoRefused(tr("This database already holds records of its own; the demo data "
                                 "set goes only into a new, empty database."))
        b = Build(tx, random.Random(seed), ctx.today(), cases, progress, cancelled, seed)
        with _bulk_load(tx.conn):
            b.progress(0, cases)
            net = Network(b)
            net.write()
            staff = Staff(b, net)
            staff.write()
            case_files = Cases(b, net, staff)
            case_files.write()  # reports progress after each batch, the last one with (total, total)
            # its own random stream (the phases above draw as before), after the cases it is about
            coordination = Coordination(b, net, staff, case_files)
            coordination.write()
    return DemoReport(cases=cases, subjects=case_files.n_subjects + coordination.n_subjects,
                      members=staff.n_members,
                      agencies=net.n_agencies, task_forces=net.n_task_forces,
                      seconds=time.perf_counter() - started)


@contextmanager
def _bulk_load(conn: Connection) -> Iterator[None]:
    """SQLite settings for one large transaction: foreign keys checked once, at commit (so a
    subject's aliases can go in before it and it is indexed for search once, not once per
    alias), and a larger page cache while the transaction runs."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # reset by SQLite at commit
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")

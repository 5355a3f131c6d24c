"""One demo data set being written: what every phase shares, and the refusal they raise."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from itertools import accumulate

from sqlalchemy import func, select

from taskforce.domain.errors import TaskforceError
from taskforce.i18n import tr
from taskforce.services.tx import Tx
from taskforce.store import schema as S


class DemoRefused(TaskforceError):
    """The demo data set cannot go into this database (or the request is out of range)."""


class Picker:
    """Weighted choice with precomputed cumulative weights (rng.choices, without the setup)."""

    __slots__ = ("items", "cum")

    def __init__(self, pairs) -> None:  # noqa: ANN001 - iterable of (item, weight)
        pairs = list(pairs)
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(p[1] for p in pairs))

    def __call__(self, rng: random.Random):  # noqa: ANN204
        return self.items[bisect_right(self.cum, rng.random() * self.cum[-1])]


class Build:
    """The transaction, the clock and the one random stream of a demo data set.

    The phases draw from ``rng`` in turn, so they must keep their order for a seed to give the
    same data set; what was added later draws from a stream of its own (``stream``), so the
    first one draws as before. Rows are numbered up front (``ids``): the write transaction
    holds the database, and a row can name its parent before the parent is inserted.
    """

    def __init__(self, tx: Tx, rng: random.Random, today: date, cases: int,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None = None, seed: int = 1) -> None:
        self.tx = tx
        self.conn = tx.conn
        self.rng = rng
        self.seed = seed
        self.today = today
        self.today_ord = today.toordinal()
        self.n_cases = cases
        self._progress = progress
        self._cancelled = cancelled
        self.next_id = {t.name: (self.conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
                        for t in (S.agency, S.agreement, S.task_force, S.task_force_agency, S.member,
                                  S.assignment, S.designation, S.training, S.case, S.case_member,
                                  S.case_note, S.subject, S.subject_alias, S.subject_identifier,
                                  S.case_subject)}

    def progress(self, done: int, total: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise DemoRefused(tr("Demo data cancelled; nothing was changed."))
        if self._progress is not None:
            self._progress(done, total)

    def stream(self, salt: int) -> random.Random:
        """A random stream of its own for one purpose, the same for a seed and a salt."""
        return random.Random(self.seed * 7919 + salt)

    def ids(self, table_name: str, count: int) -> range:
        first = self.next_id[table_name]
        self.next_id[table_name] = first + count
        return range(first, first + count)

"""The coordination phase of the demo: the records of the coordination workflows (DOMAIN.md
rules 1–10), written after the cases from what the cases phase kept of each case.

The phase has its own random stream (``Build.stream(1)``): the earlier phases draw exactly as
before, so a seed still gives the same agencies, members, cases and subjects. Every "needs
attention" kind of the home screen gets at least one item as of the day the demo is made,
whatever the number of cases. The records of each case are in ``coordination_cases``, the
others (assistance, cooperation, meetings, details, subject matches) in
``coordination_people``, their words in ``coordination_texts``.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

from sqlalchemy import func, select

from taskforce.services.demo.agencies import INVESTIGATIVE
from taskforce.services.demo.build import Build
from taskforce.services.demo.cases import Cases
from taskforce.services.demo.coordination_cases import CaseRecords
from taskforce.services.demo.coordination_people import Others
from taskforce.services.demo.names import NAME_GROUPS, person_name
from taskforce.services.demo.network import Network
from taskforce.services.demo.people import Member, Staff
from taskforce.store import schema as S

BATCH_CASES = 2_000
STATEMENT_ROWS = 1_000  # tx.insert_many's rows per statement for tables of up to 30 columns
TABLES = (S.support, S.feedback, S.seizure, S.debrief, S.debrief_participant, S.referral, S.case_event,
          S.assistance_request, S.cooperation_activity, S.meeting, S.meeting_attendee, S.action_item,
          S.detail, S.subject_match, S.designation, S.release_authorization)


class Coordination(CaseRecords):
    """The shared facts of the phase (agencies by chain, members, task-force pools) and the
    per-case records; ``coordination_people.Others`` writes the rest."""

    def __init__(self, b: Build, net: Network, staff: Staff, cases: Cases) -> None:
        self.b, self.net, self.staff, self.cases = b, net, staff, cases
        self.rng = b.stream(1)
        self.today, self.today_ord = b.today, b.today_ord
        self.n = len(cases.case_id)
        self.n_subjects = 0  # subjects this phase adds (a spelling variant for deconfliction)
        conn = b.conn
        for t in TABLES:  # explicit ids, as the other phases (designations were numbered by SQLite)
            b.next_id[t.name] = (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
        a = S.agency.c
        parent, ref = {}, {}
        for agency_id, parent_id, ref_key in conn.execute(select(a.id, a.parent_id, a.ref_key)):
            parent[agency_id], ref[agency_id] = parent_id, ref_key
        self.refs: dict[int, frozenset[str]] = {}
        for agency_id in parent:
            chain, at = [], agency_id
            while at is not None and len(chain) < 32:
                chain.append(ref[at])
                at = parent[at]
            self.refs[agency_id] = frozenset(r for r in chain if r)
        self.key_of = {i: k for k, i in net.agency_id.items() if k in net.agency_row}
        m = S.member.c
        self.member_info = {r[0]: (f"{r[1]} {r[2]}", r[3], r[4]) for r in conn.execute(
            select(m.id, m.given_names, m.family_name, m.rank_title, m.home_agency_id))}
        self.home_of = {member_id: info[2] for member_id, info in self.member_info.items()}
        self.organizations = set(conn.execute(select(S.subject.c.id).where(S.subject.c.kind == "organization"))
                                 .scalars())
        self._task_forces()
        self._tf_cases: list[array] | None = None
        self._giver_cache: dict[tuple[int, int, str], list[int]] = {}
        self.rows: dict[str, list] = {}
        self.roots: dict[str, list] = {}
        self.extras: dict[str, list] = {}
        self.links: dict[str, list] = {}
        self.accepted: dict[int, tuple[int, int]] = {}  # case index → (referred, decided) of its referral in
        self.lead_moves: list[tuple[int, int, int]] = []  # (case id, old lead, new lead) by accepted referrals

    # --- shared facts -----------------------------------------------------------------------------

    def is_cbp(self, agency_id: int) -> bool:
        return "cbp" in self.refs.get(agency_id, ())

    def is_hsi(self, agency_id: int) -> bool:
        return "ice_hsi" in self.refs.get(agency_id, ())

    def is_dhs(self, agency_id: int) -> bool:
        return "dhs" in self.refs.get(agency_id, ())

    def profile(self, agency_id: int) -> str | None:
        key = self.key_of.get(agency_id)
        return self.net.agency_row[key][9] if key else None

    def level(self, agency_id: int) -> str:
        key = self.key_of.get(agency_id)
        return self.net.agency_row[key][4] if key else "federal"

    def full_name(self, member_id: int) -> str:
        name, rank, _home = self.member_info[member_id]
        return f"{rank} {name}" if rank else name

    def home(self, member_id: int) -> int:
        return self.home_of[member_id]

    def _task_forces(self) -> None:
        """Per task force: its agencies (all, CBP, ICE HSI, federal investigative), its
        interval and lead, its members by home agency and its CBP members (start, end, id)."""
        net = self.net
        self.tf_parts, self.tf_cbp, self.tf_hsi, self.tf_inv = [], [], [], []
        self.tf_interval = [r["feedback_interval_days"] for r in net.tf_rows]
        self.tf_lead = [r["lead_agency_id"] for r in net.tf_rows]
        self.tf_by_agency: list[dict[int, list[tuple[int, int | None, int]]]] = []
        self.tf_cbp_members: list[list[tuple[int, int | None, int]]] = []
        # the region's port officers sit in on debriefs of cases their port worked, and its
        # supervisory CBP officers are the ones briefed
        self.region_cbp_members: dict[str, list[tuple[int, int | None, int]]] = {}
        self.scbpo: dict[str, list[str]] = {}
        for tf_i, spec in enumerate(net.specs):
            parts = [net.agency_id[k] for k in (spec.lead, *spec.participants)]
            self.tf_parts.append(parts)
            self.tf_cbp.append([p for p in parts if self.is_cbp(p)])
            self.tf_hsi.append([p for p in parts if self.is_hsi(p)])
            self.tf_inv.append([p for p in parts if self.profile(p) in INVESTIGATIVE and self.level(p) == "federal"])
            by_agency: dict[int, list[tuple[int, int | None, int]]] = {}
            for start, end, m in self.staff.tf_members[tf_i]:
                by_agency.setdefault(self.home_of[m.id], []).append((start, end, m.id))
                if self.member_info[m.id][1] == "Supervisory CBP Officer":
                    self.scbpo.setdefault(spec.region, []).append(self.full_name(m.id))
            self.tf_by_agency.append(by_agency)
            cbp = [e for a, pool in by_agency.items() if self.is_cbp(a) for e in pool]
            self.tf_cbp_members.append(cbp)
            self.region_cbp_members.setdefault(spec.region, []).extend(cbp)

    def serving(self, tf_i: int, day: int) -> list[Member]:
        """The task force's members serving on a day (the first ones, if nobody yet)."""
        pool = self.staff.tf_members[tf_i]
        k = bisect_right(self.staff.tf_member_starts[tf_i], day)
        found = [m for _s, end, m in pool[:k] if end is None or end >= day]
        return found or [m for _s, _e, m in pool[:3]]

    def pick_on(self, pool: list[tuple[int, int | None, int]] | None, day: int,
                exclude: tuple[int, ...] = ()) -> int | None:
        """A member of a pool serving on a day (a few random tries, then a full look), or None."""
        if not pool:
            return None
        rng = self.rng
        for _ in range(6):
            start, end, m = pool[int(rng.random() * len(pool))]
            if start <= day and (end is None or end >= day) and m not in exclude:
                return m
        found = [m for start, end, m in pool if start <= day and (end is None or end >= day) and m not in exclude]
        return found[int(rng.random() * len(found))] if found else None

    def tf_cases(self, tf_i: int) -> array:
        """Indexes of the task force's cases, in the order they opened."""
        if self._tf_cases is None:
            self._tf_cases = [array("i") for _ in self.net.specs]
            for i, t in enumerate(self.cases.case_tf):
                self._tf_cases[t].append(i)
        return self._tf_cases[tf_i]

    def subject_label(self, subject_id: int) -> str:
        """How a text names a case's main subject: a person by name, an organization's principal."""
        name = self.cases.subject_name.get(subject_id, "the main subject")
        return f"a principal of {name}" if subject_id in self.organizations else name

    def fictitious(self, title: str) -> str:
        given, family = person_name(self.rng, NAME_GROUPS[0])
        return f"{title} {given} {family}"

    def day(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi) if hi > lo else lo

    # --- rows and their audit -----------------------------------------------------------------------

    def add(self, table: str, row: dict, root: tuple[str, int] | None = None, extra: dict | None = None) -> None:
        self.rows.setdefault(table, []).append(row)
        if root is not None:
            self.roots.setdefault(table, []).append(root)
        if extra is not None:
            self.extras.setdefault(table, []).append(extra)

    def link(self, table: str, row: dict) -> None:
        self.links.setdefault(table, []).append(row)

    def flush(self, final: bool = True) -> None:
        """Insert what was collected. Between batches only whole thousands of rows go in (the
        rest waits for the next batch): every statement is then the same 1,000-row insert,
        prepared once, instead of one differently sized statement per table and batch."""
        tables = {t.name: t for t in S.metadata.sorted_tables}
        tx = self.b.tx
        for name, rows in self.rows.items():
            n = len(rows) if final else len(rows) // STATEMENT_ROWS * STATEMENT_ROWS
            if not n:
                continue
            roots, extras = self.roots.get(name), self.extras.get(name)
            tx.insert_many(tables[name], rows[:n], roots=roots[:n] if roots else None,
                           extras=extras[:n] if extras else None)
            del rows[:n]
            if roots:
                del roots[:n]
            if extras:
                del extras[:n]
        for name, rows in self.links.items():  # link rows (audited in their parent's snapshot)
            if rows:
                columns, marks = ", ".join(rows[0]), ", ".join("?" * len(rows[0]))
                self.b.conn.exec_driver_sql(f"INSERT INTO {name} ({columns}) VALUES ({marks})",
                                            [tuple(r.values()) for r in rows])
                rows.clear()

    # --- the phase ------------------------------------------------------------------------------------

    def write(self) -> None:
        self.plan_referrals_in()
        forced_referral = self.forced()
        for first in range(0, self.n, BATCH_CASES):
            for i in range(first, min(first + BATCH_CASES, self.n)):
                self.records_of(i, forced_referral)
            self.flush(final=False)
        Others(self).write()
        self.flush()
        self._move_leads()

    def _move_leads(self) -> None:
        """Rule 4: each accepted referral moved its case's lead; the case's History shows the
        change after the referral, as the update ``decide_referral`` audits (the case's create
        snapshot holds the lead it opened with)."""
        tx = self.b.tx
        for case_id, old, new in self.lead_moves:
            tx.audit("update", "case_file", case_id, ("case_file", case_id), "lead_agency_id", str(old), str(new))

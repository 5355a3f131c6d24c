"""What each list screen shows: columns as SQL, sorting and filtering done by the database.

A list is two queries: the ordered ids of everything that passes the filters (cheap: one
integer per row), and the display rows of one page of those ids. The GUI's table models hold
the ids and fetch pages lazily, so 100,000 cases cost a few hundred kilobytes, not a copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import text

from taskforce.services.context import Context
from taskforce.services.tx import read
from taskforce.store.queries import agency_label
from taskforce.store.rule_sql import status_sql


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    sql: str
    width: int = 120
    kind: str = "text"  # text | date | number | label (a stored code shown capitalized)


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    sql: str  # a condition with the named parameter :<key>
    options_sql: str  # SELECT value, label … for the filter's choices


@dataclass(frozen=True)
class ListSpec:
    name: str  # the section: cases, subjects, …
    entity: str  # the table whose changes refresh it
    also_refresh_on: frozenset[str]
    from_sql: str  # FROM … JOIN …; the main table is aliased "t"
    columns: tuple[Column, ...]
    quick_filter: tuple[str, ...]  # SQL expressions matched by the filter box (LIKE)
    filters: tuple[Filter, ...] = ()
    default_sort: str = ""
    default_descending: bool = False
    noun: tuple[str, str] = ("record", "records")
    extra_params: dict = field(default_factory=dict)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def ids_from(self, expressions: Sequence[str]) -> str:
        """The FROM clause for the id query: the joins only when an expression uses them.

        Listing 100,000 case ids by opening date reads one covering index without the joins
        (about 40 ms) and takes nearly three times as long with them.
        """
        joined = set(re.findall(r"JOIN \w+ (\w+) ON", self.from_sql))
        used = {alias for e in expressions for alias in re.findall(r"\b(\w+)\.", e)}
        if joined & used:
            return self.from_sql
        return self.from_sql.split(" JOIN ")[0].split(" LEFT")[0]


@dataclass(frozen=True)
class Query:
    sort: str = ""
    descending: bool = False
    text: str = ""
    filters: tuple[tuple[str, object], ...] = ()  # (filter key, value); None = any


def _where(spec: ListSpec, query: Query) -> tuple[str, dict]:
    clauses, params = [], {}
    typed = query.text.strip()
    if typed:
        like = "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params["q"] = like
        clauses.append("(" + " OR ".join(f"{e} LIKE :q ESCAPE '\\'" for e in spec.quick_filter) + ")")
    by_key = {f.key: f for f in spec.filters}
    for key, value in query.filters:
        if value is not None and key in by_key:
            clauses.append(by_key[key].sql)
            params[key] = value
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_ids(ctx: Context, spec: ListSpec, query: Query) -> list[int]:
    where, params = _where(spec, query)
    sort_key = query.sort or spec.default_sort
    descending = query.descending if query.sort else spec.default_descending
    order = spec.column(sort_key).sql if sort_key else "t.id"
    direction = "DESC" if descending else "ASC"
    from_sql = spec.ids_from([order, where])
    sql = f"SELECT t.id {from_sql}{where} ORDER BY {order} {direction}, t.id {direction}"
    with read(ctx) as conn:
        result = conn.execute(text(sql), {**spec.extra_params, **params, **_today(ctx)})
        return [row[0] for row in result.cursor]  # the driver's rows: 100,000 ids in ~40 ms


def list_rows(ctx: Context, spec: ListSpec, ids: Sequence[int]) -> dict[int, tuple]:
    """Display values for the given ids (one page), keyed by id."""
    if not ids:
        return {}
    cols = ", ".join(f"{c.sql} AS c{i}" for i, c in enumerate(spec.columns))
    marks = ", ".join(str(int(i)) for i in ids)  # ints only: safe to inline, avoids 999-var limit
    sql = f"SELECT t.id, {cols} {spec.from_sql} WHERE t.id IN ({marks})"
    with read(ctx) as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(text(sql), {**spec.extra_params, **_today(ctx)})}


def filter_options(ctx: Context, flt: Filter) -> list[tuple[object, str]]:
    with read(ctx) as conn:
        return [(r[0], r[1]) for r in conn.execute(text(flt.options_sql))]


def count_all(ctx: Context, spec: ListSpec) -> int:
    with read(ctx) as conn:
        return conn.execute(text(f"SELECT count(*) FROM {spec.entity}")).scalar_one()


def _today(ctx: Context) -> dict:
    return {"today": ctx.today().isoformat()}


_STATUS_OPTIONS = "SELECT 'open', 'Open' UNION ALL SELECT 'pending', 'Pending' UNION ALL SELECT 'closed', 'Closed'"

CASES = ListSpec(
    name="cases", entity="case_file", also_refresh_on=frozenset({"agency", "task_force"}),
    from_sql="FROM case_file t JOIN task_force tf ON tf.id = t.task_force_id "
             "JOIN agency lead ON lead.id = t.lead_agency_id",
    columns=(
        Column("number", "Number", "t.number", 170),
        Column("title", "Title", "t.title", 320),
        Column("task_force", "Task force", "tf.name", 170),
        Column("lead", "Lead agency", "CASE WHEN lead.abbreviation <> '' THEN lead.abbreviation ELSE lead.name END", 130),
        Column("status", "Status", "t.status", 80, "label"),
        Column("priority", "Priority", "t.priority", 80, "label"),
        Column("opened", "Opened", "t.opened_on", 95, "date"),
    ),
    quick_filter=("t.number", "t.title"),
    filters=(
        Filter("status", "Status", "t.status = :status", _STATUS_OPTIONS),
        Filter("task_force", "Task force", "t.task_force_id = :task_force",
               "SELECT id, name FROM task_force ORDER BY name"),
    ),
    default_sort="opened", default_descending=True, noun=("case", "cases"),
)

SUBJECTS = ListSpec(
    name="subjects", entity="subject", also_refresh_on=frozenset({"case_subject"}),
    from_sql="FROM subject t",
    columns=(
        Column("name", "Name", "t.name", 260),
        Column("kind", "Kind", "t.kind", 100, "label"),
        Column("dob", "Date of birth", "t.dob", 110, "date"),
        Column("nationality", "Nationality", "t.nationality", 120),
        Column("cases", "Cases", "(SELECT count(*) FROM case_subject cs WHERE cs.subject_id = t.id)", 70, "number"),
    ),
    quick_filter=("t.name",),
    filters=(Filter("kind", "Kind", "t.kind = :kind",
                    "SELECT 'person', 'Person' UNION ALL SELECT 'organization', 'Organization'"),),
    default_sort="name", noun=("subject", "subjects"),
)

MEMBERS = ListSpec(
    name="members", entity="member", also_refresh_on=frozenset({"designation", "agency", "assignment"}),
    from_sql="FROM member t JOIN agency home ON home.id = t.home_agency_id",
    columns=(
        Column("name", "Name", "t.family_name || ', ' || t.given_names", 220),
        Column("rank", "Rank or title", "t.rank_title", 190),
        Column("agency", "Home agency", "CASE WHEN home.abbreviation <> '' THEN home.abbreviation ELSE home.name END", 200),
        # rule 7, as the roster and the home screen count it: in force today, and expired with
        # none of the authority in force yet (a lapse; an expiry renewed without a gap is neither)
        Column("designations", "In force",
               "(SELECT count(*) FROM designation d WHERE d.member_id = t.id AND d.effective <= :today "
               "AND (d.expires IS NULL OR d.expires >= :today))", 70, "number"),
        Column("expired", "Expired",
               f"(SELECT count(*) FROM designation d WHERE d.member_id = t.id AND {status_sql('d')} = 'expired')",
               70, "number"),
        Column("next_expiry", "Next expiry",
               "(SELECT min(d.expires) FROM designation d WHERE d.member_id = t.id AND d.expires >= :today)", 110, "date"),
    ),
    quick_filter=("t.family_name", "t.given_names", "home.name", "home.abbreviation"),
    filters=(Filter("task_force", "Task force",
                    "t.id IN (SELECT member_id FROM assignment WHERE task_force_id = :task_force)",
                    "SELECT id, name FROM task_force ORDER BY name"),),
    default_sort="name", noun=("member", "members"),
)

AGENCIES = ListSpec(
    name="agencies", entity="agency", also_refresh_on=frozenset(),
    from_sql="FROM agency t LEFT JOIN agency parent ON parent.id = t.parent_id",
    columns=(
        Column("name", "Name", "t.name", 300),
        Column("abbreviation", "Abbreviation", "t.abbreviation", 100),
        Column("level", "Level", "t.level", 90, "label"),
        Column("parent", "Parent", f"coalesce({agency_label('parent')}, '')", 200),
        Column("state", "State", "t.state", 60),
        Column("ori", "ORI", "coalesce(t.ori, '')", 100),
        Column("type", "Type", "t.agency_type", 130),
    ),
    quick_filter=("t.name", "t.abbreviation", "t.ori"),
    filters=(
        Filter("level", "Level", "t.level = :level",
               "SELECT value, label FROM (SELECT 'federal' value, 'Federal' label, 1 o UNION ALL "
               "SELECT 'state', 'State', 2 UNION ALL SELECT 'local', 'Local', 3 UNION ALL "
               "SELECT 'tribal', 'Tribal', 4 UNION ALL SELECT 'foreign', 'Foreign', 5 UNION ALL "
               "SELECT 'international', 'International', 6) ORDER BY o"),
        Filter("state", "State", "t.state = :state",
               "SELECT DISTINCT state, state FROM agency WHERE state <> '' ORDER BY state"),
    ),
    default_sort="name", noun=("agency", "agencies"),
)

TASK_FORCES = ListSpec(
    name="task_forces", entity="task_force", also_refresh_on=frozenset({"agency", "assignment", "case_file"}),
    from_sql="FROM task_force t JOIN agency lead ON lead.id = t.lead_agency_id "
             "JOIN task_force_kind k ON k.code = t.kind",
    columns=(
        Column("name", "Name", "t.name", 260),
        Column("kind", "Kind", "k.label", 150),
        Column("lead", "Lead agency", "CASE WHEN lead.abbreviation <> '' THEN lead.abbreviation ELSE lead.name END", 150),
        Column("area", "Area or ports", "t.area", 200),
        Column("agencies", "Agencies", "(SELECT count(*) FROM task_force_agency p WHERE p.task_force_id = t.id)", 80, "number"),
        Column("cases", "Cases", "(SELECT count(*) FROM case_file c WHERE c.task_force_id = t.id)", 80, "number"),
    ),
    quick_filter=("t.name", "t.area"),
    default_sort="name", noun=("task force", "task forces"),
)

AGREEMENTS = ListSpec(
    name="agreements", entity="agreement", also_refresh_on=frozenset({"agency"}),
    from_sql="FROM agreement t",
    columns=(
        Column("title", "Title", "t.title", 300),
        Column("kind", "Kind", "upper(t.kind)", 80),
        Column("parties", "Parties",
               "(SELECT group_concat(CASE WHEN a.abbreviation <> '' THEN a.abbreviation ELSE a.name END, ', ') "
               "FROM agreement_party p JOIN agency a ON a.id = p.agency_id WHERE p.agreement_id = t.id)", 220),
        Column("effective", "Effective", "t.effective", 95, "date"),
        Column("expires", "Expires", "t.expires", 95, "date"),
        Column("in_force", "In force",
               "CASE WHEN (t.effective IS NULL OR t.effective <= :today) AND "
               "(t.expires IS NULL OR t.expires >= :today) THEN 'yes' ELSE 'no' END", 70, "label"),
    ),
    quick_filter=("t.title", "t.document_ref"),
    filters=(Filter("kind", "Kind", "t.kind = :kind",
                    "SELECT 'mou', 'MOU' UNION ALL SELECT 'moa', 'MOA' UNION ALL SELECT '287g', '287(g)' "
                    "UNION ALL SELECT 'cmaa', 'CMAA' UNION ALL SELECT 'other', 'Other'"),),
    default_sort="expires", noun=("agreement", "agreements"),
)

ALL_LISTS: tuple[ListSpec, ...] = (CASES, SUBJECTS, MEMBERS, AGENCIES, TASK_FORCES, AGREEMENTS)

"""The designation roster: who holds which cross-designation, until when, and how near expiry.

DOMAIN.md rule 7: past its expiry a designation no longer counts; the roster warns 90, 60 and
30 days ahead. Everything here is SQL (ordered by expiry, with LIMIT), so it stays quick with
many thousands of members; the band is the same rule as ``domain.designations.warning_band``.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from taskforce.domain.designations import (
    ICE_REF_KEY, WARNING_DAYS, DesignationFacts, WarningBand, counts_on, days_left, expiry_text, lapse_text,
    warning_band,
)
from taskforce.domain.enums import Authority, DesignationStatus, label_of
from taskforce.domain.records import DesignationData
from taskforce.domain.rules import agreement_in_force
from taskforce.services.context import Context
from taskforce.services.lists import Column, Filter, ListSpec
from taskforce.services.rows import to_data
from taskforce.services.tx import fetch_row, read
from taskforce.store import schema as S
from taskforce.store.queries import agency_label, is_party, is_under
from taskforce.store.rule_sql import renewal_sql, status_sql


def band_sql(expires: str, today: str = ":today") -> str:
    """SQL for ``warning_band``: 'expired', '30', '60', '90' or NULL, as of ``today`` (an ISO
    date parameter). Dates are ISO text in SQLite, so comparing them compares days; this is the
    one place a server backend would swap the date arithmetic."""
    whens = " ".join(f"WHEN {expires} <= date({today}, '+{n} days') THEN '{n}'"
                     for n in sorted(WARNING_DAYS))
    return (f"CASE WHEN {expires} IS NULL THEN NULL WHEN {expires} < {today} THEN 'expired' "
            f"{whens} ELSE NULL END")


_STATUS_LABEL_SQL = (
    "CASE {status} WHEN 'expired' THEN 'Expired' WHEN 'pending' THEN 'Not yet effective' "
    "WHEN 'renewed' THEN CASE WHEN {t}.expires < :today THEN 'Expired (renewed)' ELSE 'Renewed' END "
    "WHEN 'expiring' THEN CASE {band} WHEN '30' THEN 'Expires ≤ 30 days' "
    "WHEN '60' THEN 'Expires ≤ 60 days' ELSE 'Expires ≤ 90 days' END "
    "ELSE 'Active' END"
)

DESIGNATIONS = ListSpec(
    name="designations", entity="designation", also_refresh_on=frozenset({"member", "agency", "agreement"}),
    from_sql="FROM designation t JOIN member m ON m.id = t.member_id "
             "JOIN agency home ON home.id = m.home_agency_id "
             "JOIN agency g ON g.id = t.granting_agency_id "
             "JOIN designation_authority auth ON auth.code = t.authority",
    columns=(
        Column("member", "Member", "m.family_name || ', ' || m.given_names", 200),
        Column("agency", "Home agency", "CASE WHEN home.abbreviation <> '' THEN home.abbreviation ELSE home.name END", 170),
        Column("authority", "Authority", "auth.label", 200),
        Column("granting", "Granting agency", "CASE WHEN g.abbreviation <> '' THEN g.abbreviation ELSE g.name END", 140),
        Column("expires", "Expires", "t.expires", 95, "date"),
        Column("status", "Status", _STATUS_LABEL_SQL.format(status=status_sql("t"), band=band_sql("t.expires"),
                                                            t="t"), 140),
    ),
    quick_filter=("m.family_name", "m.given_names", "home.name", "home.abbreviation"),
    filters=(
        Filter("band", "Expiry", f"{band_sql('t.expires')} = :band",
               "SELECT 'expired', 'Expired' UNION ALL SELECT '30', 'Within 30 days' "
               "UNION ALL SELECT '60', 'Within 60 days' UNION ALL SELECT '90', 'Within 90 days'"),
        Filter("authority", "Authority", "t.authority = :authority",
               "SELECT code, label FROM designation_authority ORDER BY label"),
    ),
    default_sort="expires", noun=("designation", "designations"),
)


@dataclass(frozen=True)
class RosterRow:
    id: int
    member_id: int
    member: str
    home_agency: str
    authority: str  # the stored code (title21, 287g …)
    authority_label: str
    granting_agency: str
    effective: date
    expires: date | None
    days_left: int | None
    band: WarningBand | None
    status: DesignationStatus
    renewal: date | None  # a later one takes effect this day, after a lapse
    as_of: date

    @property
    def expiry_text(self) -> str:
        return expiry_text(self.expires, self.as_of)

    @property
    def lapse_text(self) -> str:
        return lapse_text(self.expires, self.renewal, self.status)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value))


def roster(ctx: Context, as_of: date | None = None, *, warnings_only: bool = False,
           authority: str | None = None, limit: int | None = None) -> tuple[RosterRow, ...]:
    """Designations ordered by expiry (none stated last), with their status as of ``as_of``.

    ``warnings_only`` keeps those expired or expiring (rule 7's one definition: one renewed with
    no gap needs nobody to act; one renewed in advance with a gap still warns of the lapse).
    """
    as_of = as_of or ctx.today()
    where = []
    params: dict[str, object] = {"today": as_of.isoformat()}
    if warnings_only:
        where.append(f"{status_sql('t')} IN ('expired', 'expiring')")
    if authority:
        where.append("t.authority = :authority")
        params["authority"] = authority
    sql = (f"SELECT t.id, t.member_id, m.family_name || ', ' || m.given_names, "
           f"{agency_label('home')}, t.authority, auth.label, {agency_label('g')}, t.effective, "
           f"t.expires, {status_sql('t')}, {renewal_sql('t')} "
           "FROM designation t JOIN member m ON m.id = t.member_id "
           "JOIN agency home ON home.id = m.home_agency_id "
           "JOIN agency g ON g.id = t.granting_agency_id "
           "JOIN designation_authority auth ON auth.code = t.authority"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY t.expires IS NULL, t.expires, m.family_name, m.given_names, t.id"
           + (" LIMIT :limit" if limit else ""))
    if limit:
        params["limit"] = int(limit)
    with read(ctx) as conn:
        rows = conn.execute(text(sql), params).all()
    out = []
    for r in rows:
        effective, expires = _as_date(r[7]), _as_date(r[8])
        out.append(RosterRow(
            id=r[0], member_id=r[1], member=r[2], home_agency=r[3], authority=r[4],
            authority_label=label_of(Authority, r[4]) or r[5], granting_agency=r[6],
            effective=effective, expires=expires,  # type: ignore[arg-type]
            days_left=days_left(expires, as_of), band=warning_band(expires, as_of),
            status=DesignationStatus(r[9]), renewal=_as_date(r[10]), as_of=as_of))
    return tuple(out)


@dataclass(frozen=True)
class ActiveDesignation:
    id: int
    member_id: int
    authority: str
    granting_agency_id: int
    agreement_id: int | None
    effective: date
    expires: date | None


def _conn_of(source: Connection | Context):  # noqa: ANN202
    """Use the caller's connection (inside its transaction) or open a read of its own."""
    return nullcontext(source) if isinstance(source, Connection) else read(source)


def active_designation(source: Connection | Context, member_id: int, authority: str,
                       on_date: date) -> ActiveDesignation | None:
    """The member's designation of ``authority`` that counts on ``on_date`` (effective ≤ day ≤
    expires, as ``domain.designations.counts_on``; rule 7: an expired one never counts), the one
    lasting longest if several; or None.

    ``source`` is a Context, or a Connection when called inside another service's transaction.
    The agreement it was granted under is not checked here (see ``designation_facts``).
    """
    day = on_date.isoformat()
    with _conn_of(source) as conn:
        row = conn.execute(text(
            "SELECT id, member_id, authority, granting_agency_id, agreement_id, effective, expires "
            "FROM designation WHERE member_id = :m AND authority = :a AND effective <= :day "
            "AND (expires IS NULL OR expires >= :day) "
            "ORDER BY expires IS NULL DESC, expires DESC, id DESC LIMIT 1"),
            {"m": member_id, "a": authority, "day": day}).first()
    if row is None:
        return None
    return ActiveDesignation(row[0], row[1], row[2], row[3], row[4],
                             _as_date(row[5]), _as_date(row[6]))  # type: ignore[arg-type]


def designation_facts(conn: Connection, member_id: int, authority: str) -> list[DesignationFacts]:
    """Every designation of ``authority`` the member holds, with its agreement: what the pure
    checks (e.g. ``domain.cooperation.check_delegated_authority``) decide on."""
    rows = conn.execute(text(
        "SELECT d.id, d.effective, d.expires, d.agreement_id, coalesce(a.title, ''), "
        "coalesce(a.kind, ''), a.effective, a.expires, d.granting_agency_id FROM designation d "
        "LEFT JOIN agreement a ON a.id = d.agreement_id "
        "WHERE d.member_id = :m AND d.authority = :a ORDER BY d.expires, d.id"),
        {"m": member_id, "a": authority}).all()
    home = fetch_row(conn, S.member, member_id)["home_agency_id"]
    return [DesignationFacts(r[0], _as_date(r[1]), _as_date(r[2]), r[3], r[4], r[5],
                             _as_date(r[6]), _as_date(r[7]), granted_by_ice=is_under(conn, r[8], ICE_REF_KEY),
                             home_agency_party=r[3] is not None and is_party(conn, r[3], home))
            for r in rows]


@dataclass(frozen=True)
class RelyingActivity:
    id: int
    occurred_on: date
    activity_type: str


@dataclass(frozen=True)
class DesignationDetail:
    id: int
    data: DesignationData
    member: str
    home_agency: str
    granting_agency: str
    agreement: str
    agreement_in_force: bool | None  # None when no agreement is named
    as_of: date
    band: WarningBand | None
    days_left: int | None
    counts: bool  # counts as of ``as_of`` (rule 7)
    status: DesignationStatus
    renewal: date | None  # a later one takes effect this day, after a lapse
    relied_on_by: tuple[RelyingActivity, ...]  # cooperation activities it authorized

    @property
    def expiry_text(self) -> str:
        return expiry_text(self.data.expires, self.as_of)

    @property
    def lapse_text(self) -> str:
        return lapse_text(self.data.expires, self.renewal, self.status)


def get_designation(ctx: Context, designation_id: int, as_of: date | None = None) -> DesignationDetail:
    as_of = as_of or ctx.today()
    with read(ctx) as conn:
        row = fetch_row(conn, S.designation, designation_id)
        names = conn.execute(text(
            f"SELECT m.family_name || ', ' || m.given_names, {agency_label('home')}, {agency_label('g')}, "
            f"a.title, a.effective, a.expires, {status_sql('t')}, {renewal_sql('t')} "
            "FROM designation t JOIN member m ON m.id = t.member_id "
            "JOIN agency home ON home.id = m.home_agency_id JOIN agency g ON g.id = t.granting_agency_id "
            "LEFT JOIN agreement a ON a.id = t.agreement_id WHERE t.id = :i"),
            {"i": designation_id, "today": as_of.isoformat()}).one()
        relying = conn.execute(text(
            "SELECT id, occurred_on, activity_type FROM cooperation_activity WHERE designation_id = :i "
            "ORDER BY occurred_on DESC, id DESC LIMIT 200"), {"i": designation_id}).all()
    data = to_data(DesignationData, row)
    in_force = (agreement_in_force(_as_date(names[4]), _as_date(names[5]), as_of)
                if row["agreement_id"] else None)
    return DesignationDetail(
        id=designation_id, data=data, member=names[0], home_agency=names[1], granting_agency=names[2],
        agreement=names[3] or "", agreement_in_force=in_force, as_of=as_of,
        band=warning_band(data.expires, as_of), days_left=days_left(data.expires, as_of),
        counts=counts_on(data.effective, data.expires, as_of), status=DesignationStatus(names[6]),
        renewal=_as_date(names[7]),
        relied_on_by=tuple(RelyingActivity(r[0], _as_date(r[1]), r[2]) for r in relying),  # type: ignore[arg-type]
    )

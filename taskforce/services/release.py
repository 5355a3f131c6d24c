"""Release control (rule 6, the Third Party Rule): what a document for a partner may contain.

A report gathers its rows and asks a `Screen` about each releasable item before using it; the
screen applies the rule (`domain.release.may_receive`) for the document's recipient and
remembers every decision, so the release log can say what was included and what withheld.
Without a recipient (a document for our own use) every item is admitted, and still logged.

Which agency an item came from: its own originating agency when recorded; otherwise the
case's originating agency, or the case's lead agency when that is not recorded either. A case
caveat (e.g. "EU PNR-derived") applies to everything in the case.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from taskforce.domain.errors import Conflict, FieldError, NotFound, TaskforceError, ValidationFailed
from taskforce.domain.release import (
    EU_PNR_CAVEAT, AuthorizationData, ItemKind, Lineage, Withheld, may_receive, withheld_summary,
)
from taskforce.i18n import tr
from taskforce.services.context import Change, Context
from taskforce.services.tx import Tx, change_of, fetch_row, read, utc_now, write
from taskforce.store import schema as S
from taskforce.store.files import crash_point
from taskforce.store.queries import agency_ancestors, agency_label

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Releasable:
    kind: str                                  # an ItemKind value
    id: int
    originating_agency_id: int | None
    caveat_keys: frozenset[str] = frozenset()  # caveat ref_keys, e.g. {"eu_pnr"}
    # the records that contain the item: an authorization for any of them releases it
    records: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Decision:
    kind: str
    id: int
    withheld: Withheld | None

    @property
    def included(self) -> bool:
        return self.withheld is None


@dataclass
class Screen:
    """The release decisions for one document; `admit` each item before printing it."""
    conn: Connection
    recipient_id: int | None
    recipient_name: str = ""
    decisions: list[Decision] = field(default_factory=list)
    _recipient: Lineage | None = None
    _authorized: set[tuple[str, int]] = field(default_factory=set)
    _lineages: dict[int, Lineage] = field(default_factory=dict)
    _seen: dict[Releasable, bool] = field(default_factory=dict)
    _logged: dict[tuple[str, int], set] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.recipient_id is None:
            return
        self._recipient = self._lineage(self.recipient_id)
        ra = S.release_authorization
        for row in self.conn.execute(select(ra).where(ra.c.recipient_agency_id == self.recipient_id)).mappings():
            self._authorized.add((row["item_kind"], row[f"{row['item_kind']}_id"]))

    def _lineage(self, agency_id: int) -> Lineage:
        if agency_id not in self._lineages:
            chain = agency_ancestors(self.conn, agency_id)
            if not chain:
                raise NotFound(tr("That agency no longer exists."))
            self._lineages[agency_id] = Lineage(tuple((a_id, key) for a_id, key, _ in chain))
        return self._lineages[agency_id]

    def admit(self, item: Releasable) -> bool:
        """True when the item may go into the document; the decision is kept for the log.

        An item met twice in the same context is decided and logged once. A subject on two
        cases of a package is decided in each case (the case's caveats, origin and
        authorizations count), and logged once per outcome.
        """
        if item in self._seen:
            return self._seen[item]
        key = (item.kind, item.id)
        reason = None
        if self._recipient is not None:
            authorized = key in self._authorized or any(r in self._authorized for r in item.records)
            origin = (self._lineage(item.originating_agency_id)
                      if item.originating_agency_id is not None else None)
            reason = may_receive(self._recipient, origin, eu_pnr=EU_PNR_CAVEAT in item.caveat_keys,
                                 authorized=authorized)
        outcomes = self._logged.setdefault(key, set())
        if reason not in outcomes:
            outcomes.add(reason)
            self.decisions.append(Decision(item.kind, item.id, reason))
        self._seen[item] = reason is None
        return reason is None

    def withheld_counts(self) -> dict[Withheld, int]:
        return dict(Counter(d.withheld for d in self.decisions if d.withheld is not None))

    @property
    def withheld_count(self) -> int:
        return sum(1 for d in self.decisions if d.withheld is not None)

    @property
    def included_count(self) -> int:
        return len(self.decisions) - self.withheld_count

    def summary(self) -> str:
        """What the cover says was withheld: counts by reason, never content."""
        return withheld_summary(self.withheld_counts())


def screen_for(conn: Connection, recipient_id: int | None) -> Screen:
    name = ""
    if recipient_id is not None:
        name = conn.exec_driver_sql(f"SELECT {agency_label('a')} FROM agency a WHERE a.id = ?",
                                    (recipient_id,)).scalar()
        if name is None:
            raise NotFound(tr("That recipient agency no longer exists."))
    return Screen(conn, recipient_id, name)


# --- what items carry ---------------------------------------------------------------------

def case_origin(case_row: dict) -> int:
    """The agency a case's own fields came from: its originating agency, else its lead."""
    return case_row.get("originating_agency_id") or case_row["lead_agency_id"]


# --- authorizations -----------------------------------------------------------------------

_ITEM_TABLES = {
    ItemKind.CASE: S.case, ItemKind.NOTE: S.case_note, ItemKind.EVENT: S.case_event,
    ItemKind.SUBJECT: S.subject, ItemKind.DEBRIEF: S.debrief, ItemKind.SUPPORT: S.support,
    ItemKind.FEEDBACK: S.feedback,
}


def _case_of(conn: Connection, kind: str, item_id: int) -> int | None:
    """The case an item belongs to (for the history of the authorization), if any."""
    if kind == ItemKind.CASE:
        return item_id
    if kind == ItemKind.FEEDBACK:
        return conn.execute(select(S.support.c.case_id).join(S.feedback, S.feedback.c.support_id == S.support.c.id)
                            .where(S.feedback.c.id == item_id)).scalar()
    table = _ITEM_TABLES[ItemKind(kind)]
    return conn.execute(select(table.c.case_id).where(table.c.id == item_id)).scalar() if "case_id" in table.c else None


def authorize(ctx: Context, data: AuthorizationData) -> Change:
    """Record that `data.item` (or its whole record) may be released to the recipient."""
    data.check()
    if data.authorized_on > ctx.today():
        raise ValidationFailed([FieldError("authorized_on", tr("An authorization cannot be dated in the future."))])
    kind = ItemKind(data.item_kind)
    with write(ctx) as tx:
        fetch_row(tx.conn, _ITEM_TABLES[kind], data.item_id)
        fetch_row(tx.conn, S.agency, data.recipient_agency_id)
        ra = S.release_authorization
        duplicate = tx.conn.execute(select(ra.c.id).where(
            ra.c.item_kind == kind.value, ra.c[f"{kind.value}_id"] == data.item_id,
            ra.c.recipient_agency_id == data.recipient_agency_id)).scalar()
        if duplicate:
            raise Conflict(tr("A release of this item to that agency is already recorded."))
        case_id = _case_of(tx.conn, kind, data.item_id)
        root = ("case_file", case_id) if case_id else (_ITEM_TABLES[kind].name, data.item_id)
        new_id = tx.insert(ra, {
            "item_kind": kind.value, f"{kind.value}_id": data.item_id,
            "recipient_agency_id": data.recipient_agency_id, "authorized_by": data.authorized_by.strip(),
            "authorized_on": data.authorized_on, "reference": data.reference.strip(),
        }, root)
        return change_of(tx, new_id)


def revoke(ctx: Context, authorization_id: int) -> Change:
    with write(ctx) as tx:
        row = tx.get(S.release_authorization, authorization_id)
        kind = row["item_kind"]
        case_id = _case_of(tx.conn, kind, row[f"{kind}_id"])
        tx.delete(S.release_authorization, authorization_id,
                  ("case_file", case_id) if case_id else None)
        return change_of(tx, authorization_id)


@dataclass(frozen=True)
class AuthorizationRow:
    id: int
    item_kind: str
    item_id: int
    item: str          # what the user knows the item by: "Note of 2026-07-01 (ICE HSI Seattle)"
    recipient: str
    authorized_by: str
    authorized_on: object
    reference: str


@dataclass(frozen=True)
class ItemChoice:
    kind: str
    id: int
    label: str


def case_items(ctx: Context, case_id: int) -> list[ItemChoice]:
    """The releasable items of one case, for choosing what an authorization covers."""
    with read(ctx) as conn:
        return _case_items(conn, case_id)


def _case_items(conn: Connection, case_id: int) -> list[ItemChoice]:
    case_row = fetch_row(conn, S.case, case_id)
    names = _agency_names(conn)
    items = [ItemChoice(ItemKind.CASE, case_id, tr(f"Whole case {case_row['number']} (everything in it)"))]
    for r in conn.execute(select(S.case_note).where(S.case_note.c.case_id == case_id)
                          .order_by(S.case_note.c.written_at)).mappings():
        items.append(ItemChoice(ItemKind.NOTE, r["id"], tr(
            f"Note of {r['written_at'][:10]} by {r['author']}"
            f"{_from(names, r['originating_agency_id'])}: {_clip(r['body'])}")))
    for r in conn.execute(select(S.case_event).where(S.case_event.c.case_id == case_id)
                          .order_by(S.case_event.c.occurred_on)).mappings():
        items.append(ItemChoice(ItemKind.EVENT, r["id"], tr(
            f"Event of {r['occurred_on']}{_from(names, r['originating_agency_id'])}: "
            f"{_clip(r['kind'].replace('_', ' ') + ' ' + r['description'])}")))
    cs = S.case_subject
    for r in conn.execute(select(S.subject).join(cs, cs.c.subject_id == S.subject.c.id)
                          .where(cs.c.case_id == case_id).order_by(S.subject.c.name)).mappings():
        items.append(ItemChoice(ItemKind.SUBJECT, r["id"], tr(
            f"Subject {r['name']}{_from(names, r['originating_agency_id'])}")))
    for r in conn.execute(select(S.debrief).where(S.debrief.c.case_id == case_id)
                          .order_by(S.debrief.c.held_on)).mappings():
        items.append(ItemChoice(ItemKind.DEBRIEF, r["id"], tr(
            f"Debrief of {r['held_on']}{_from(names, r['lead_agency_id'])}")))
    for r in conn.execute(select(S.support).where(S.support.c.case_id == case_id)
                          .order_by(S.support.c.given_on)).mappings():
        items.append(ItemChoice(ItemKind.SUPPORT, r["id"], tr(
            f"Support of {r['given_on']}{_from(names, r['originating_agency_id'] or r['from_agency_id'])}: "
            f"{_clip(r['description'] or r['kind'])}")))
    return items


def _agency_names(conn: Connection) -> dict[int, str]:
    return dict(conn.exec_driver_sql("SELECT id, CASE WHEN abbreviation <> '' THEN abbreviation "
                                     "ELSE name END FROM agency").all())


def _from(names: dict[int, str], agency_id: int | None) -> str:
    return f" ({names[agency_id]})" if agency_id in names else ""


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def authorizations_for_case(ctx: Context, case_id: int) -> list[AuthorizationRow]:
    """Every authorization on the case or on anything in it, newest first."""
    with read(ctx) as conn:
        labels = {(i.kind, i.id): i.label for i in _case_items(conn, case_id)}
        ra = S.release_authorization
        rows = conn.execute(select(ra).order_by(ra.c.authorized_on.desc(), ra.c.id.desc())).mappings()
        names = _agency_names(conn)
        out = []
        for r in rows:
            key = (r["item_kind"], r[f"{r['item_kind']}_id"])
            if key in labels:
                out.append(AuthorizationRow(r["id"], key[0], key[1], labels[key],
                                            names.get(r["recipient_agency_id"], ""), r["authorized_by"],
                                            r["authorized_on"], r["reference"]))
        return out


# --- the release log ----------------------------------------------------------------------

@dataclass(frozen=True)
class Produced:
    """A document about to be handed over: what the log records about it."""
    document_kind: str
    title: str
    marking: str
    file_name: str
    sha256: str


def log_release(tx: Tx, produced: Produced, screen: Screen) -> int:
    """Log one document and its items, marked pending, in the caller's transaction.

    Committed before the file is put in place (``release_file``): a process killed after
    that leaves an entry that says pending, never a file that nobody logged."""
    release_id = tx.insert(S.release, {
        "at": utc_now(), "os_user": tx.ctx.actor.os_user, "app_user": tx.ctx.actor.app_user,
        "document_kind": produced.document_kind, "title": produced.title[:300],
        "recipient_agency_id": screen.recipient_id, "marking": produced.marking[:200],
        "file_name": produced.file_name[:500], "sha256": produced.sha256,
        "included_count": screen.included_count, "withheld_count": screen.withheld_count,
        "withheld_summary": screen.summary(), "status": PENDING,
    })
    # the audit trail says it too (issue 6: printing and exporting are audited, not only edits);
    # a backup is an export of the whole database
    action = "export" if _exported(produced.document_kind) else "print"
    tx.audit(action, "release", release_id, None, new=json.dumps(
        {"document": produced.document_kind, "file": produced.file_name, "sha256": produced.sha256,
         "recipient_agency_id": screen.recipient_id, "withheld": screen.withheld_count}))
    if screen.decisions:
        tx.conn.execute(S.release_item.insert(), [
            {"release_id": release_id, "item_kind": str(d.kind), "item_id": d.id,
             "included": d.included, "reason": d.withheld.value if d.withheld else ""}
            for d in screen.decisions])
    return release_id


PENDING, DONE, FAILED = "pending", "done", "failed"
BACKUP = "backup"  # the document kind of a backup (a copy of the whole database)


def _exported(kind: str) -> bool:
    return kind.startswith("export") or kind == BACKUP


def release_file(ctx: Context, produced: Produced, screen: Screen, place: Callable[[], None], *,
                 log_items: Callable[[Connection, int], None] | None = None) -> int:
    """Log a document, put its file in place (``place``), mark it done; the release id.

    Three steps, each durable before the next (issue 11 §5): the entry (pending, with its
    audit row and items) is committed; ``place`` renames the finished file into place; the
    entry is marked done. Killed between them, what is left is a pending entry without its
    file, or the file with its pending entry: never a file nobody logged. ``place`` raising
    marks the entry failed (nothing was left) and the error goes on to the caller.
    """
    with write(ctx) as tx:
        release_id = log_release(tx, produced, screen)
        if log_items is not None:
            log_items(tx.conn, release_id)
    crash_point("release:logged")
    try:
        place()
    except BaseException:
        _settle(ctx, release_id, FAILED)
        raise
    crash_point("release:placed")
    _settle(ctx, release_id, DONE)
    return release_id


def _settle(ctx: Context, release_id: int, status: str) -> None:
    """Mark the entry done or failed (audited as any change). Best effort: an entry that
    cannot be updated (the disk full, the file busy past the timeout) stays pending, which
    the log shows, and the document already written is not taken back."""
    try:
        with write(ctx) as tx:
            tx.update(S.release, release_id, {"status": status})
    except (TaskforceError, DBAPIError) as err:
        log.warning("release %s stays pending (could not be marked %s): %s", release_id, status, err)


@dataclass(frozen=True)
class ReleaseRow:
    id: int
    at: str
    by: str
    document_kind: str
    title: str
    recipient: str
    marking: str
    file_name: str
    sha256: str
    included_count: int
    withheld_count: int
    withheld_summary: str
    status: str = DONE  # PENDING, DONE or FAILED
    state: str = ""  # what a pending or failed entry means, in a sentence ("" when done)


def releases(ctx: Context, limit: int = 500) -> list[ReleaseRow]:
    """The release log, newest first. A pending entry says whether its file is in place."""
    r = S.release
    with read(ctx) as conn:
        names = _agency_names(conn)
        rows = list(conn.execute(select(r).order_by(r.c.id.desc()).limit(limit)).mappings())
    return [ReleaseRow(row["id"], row["at"], _by(row), row["document_kind"], row["title"],
                       names.get(row["recipient_agency_id"], ""), row["marking"], row["file_name"],
                       row["sha256"], row["included_count"], row["withheld_count"],
                       row["withheld_summary"], row["status"], _state(row))
            for row in rows]


def _state(row: dict) -> str:
    if row["status"] == FAILED:
        return tr("not written: the file could not be written")
    if row["status"] != PENDING:
        return ""
    if _holds(Path(row["file_name"]), row["sha256"]):
        return tr("interrupted: the file was written, not confirmed")
    return tr("interrupted: no file was written")


def _holds(path: Path, sha256: str) -> bool:
    """Whether ``path`` is the logged file (its SHA-256): read only for a pending entry."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return False
    return digest.hexdigest() == sha256


def _by(row: dict) -> str:
    return row["app_user"] if row["app_user"] == row["os_user"] else f"{row['app_user']} ({row['os_user']})"


def release_items(ctx: Context, release_id: int) -> list[tuple[str, int, bool, str]]:
    ri = S.release_item
    with read(ctx) as conn:
        fetch_row(conn, S.release, release_id)
        return [tuple(r) for r in conn.execute(
            select(ri.c.item_kind, ri.c.item_id, ri.c.included, ri.c.reason)
            .where(ri.c.release_id == release_id))]


# --- naming the recipient -----------------------------------------------------------------

def find_agency(ctx: Context, text: str) -> tuple[int, str]:
    """The agency a user means by 'CBP', 'ICE HSI Seattle', a full name or an ORI."""
    wanted = text.strip()
    if not wanted:
        raise NotFound(tr("Name the recipient agency."))
    with read(ctx) as conn:
        for column in ("abbreviation", "name", "ori"):
            rows = conn.exec_driver_sql(
                f"SELECT a.id, {agency_label('a')} FROM agency a "
                f"WHERE a.{column} = ? COLLATE NOCASE ORDER BY a.id", (wanted,)).all()
            if len(rows) == 1:
                return rows[0][0], rows[0][1]
            if len(rows) > 1:
                raise Conflict(tr(f"'{wanted}' names {len(rows)} agencies ("
                                  + "; ".join(r[1] for r in rows[:4]) + "); give the full name or ORI."))
    raise NotFound(tr(f"No agency called '{wanted}'."))

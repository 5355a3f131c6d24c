"""The audit log as a hash chain, and the anchor that notices a truncated one (no Qt).

Each ``audit_log`` row stores ``row_hash``, the SHA-256 of its content, and ``prev_hash``, the
``row_hash`` of the row before it ("" for the first). Changing, removing or reordering a row
breaks a link that :func:`verify` finds; an attacker who holds the file can drop the
append-only triggers and even recompute every hash, which is why the latest (id, hash) is
also kept outside the file, in ``audit-anchors.json`` in the settings folder: a chain that no
longer reaches the anchored row, or reaches it with another hash, is reported as broken.

The serialization is a file format: never change it, or every existing chain breaks.
``row_hash`` = lowercase hex SHA-256 of the ASCII bytes of the compact JSON array

    [change_id, at, os_user, app_user, action, entity, entity_id, root_entity, root_id,
     field, old_value, new_value, prev_hash]

i.e. ``json.dumps(values, ensure_ascii=True, separators=(",", ":"))``: texts as JSON strings
(non-ASCII as ``\\uXXXX``), the two ids as integers, NULL as ``null``. Any other program can
recompute it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from json import encoder as _json_encoder
from pathlib import Path

from taskforce.i18n import tr
from taskforce.store.files import replace_text
from taskforce.store.paths import config_dir

log = logging.getLogger(__name__)

#: the hashed columns, in order (every column but id and row_hash)
CONTENT_COLUMNS = ("change_id", "at", "os_user", "app_user", "action", "entity", "entity_id",
                   "root_entity", "root_id", "field", "old_value", "new_value")
HASHED_COLUMNS = (*CONTENT_COLUMNS, "prev_hash")
ANCHORS_FILE = "audit-anchors.json"
# Past this many anchors, those of files no longer at their path go first, then the oldest
# (tests and copies make many; a workstation has a few).
MAX_ANCHORS = 500
CHAINED_FROM = "0005"  # the first schema revision with a hash-chained audit log
APPEND_ONLY = "audit rows are append-only"

_sha256 = hashlib.sha256


def _not_json(value: object) -> object:
    raise TypeError(f"an audit value of type {type(value).__name__}")


# json.dumps(list, separators=(",", ":")) without its per-call Python overhead (the C encoder
# it uses internally): hashing is on the path of every bulk insert (1 M rows in the demo).
if _json_encoder.c_make_encoder is not None:
    _c_encode = _json_encoder.c_make_encoder(
        None, _not_json, _json_encoder.encode_basestring_ascii, None, ":", ",", False, False, True)

    def _canonical(values: tuple | list) -> bytes:
        return "".join(_c_encode(values, 0)).encode("ascii")
else:  # pragma: no cover - CPython always has the C encoder
    _py_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False,
                                  default=_not_json).encode

    def _canonical(values: tuple | list) -> bytes:
        return _py_encode(values).encode("ascii")


def row_digest(change_id: str, at: str, os_user: str, app_user: str, action: str, entity: str,
               entity_id: int, root_entity: str, root_id: int, field: str | None,
               old_value: str | None, new_value: str | None, prev_hash: str) -> str:
    """The ``row_hash`` of a row with this content (see the module doc for the format)."""
    return _sha256(_canonical((change_id, at, os_user, app_user, action, entity, entity_id,
                               root_entity, root_id, field, old_value, new_value, prev_hash))
                   ).hexdigest()


def content_digest(content: tuple, prev_hash: str) -> str:
    """``row_digest`` of a tuple in ``CONTENT_COLUMNS`` order (the writers' fast path)."""
    return _sha256(_canonical((*content, prev_hash))).hexdigest()


def chain_rows(prev_hash: str, contents: Iterable[tuple]) -> tuple[list[tuple], str]:
    """Link tuples in ``CONTENT_COLUMNS`` order after ``prev_hash``.

    Returns the rows with ``prev_hash`` and ``row_hash`` appended (``HASHED_COLUMNS`` +
    row_hash order, ready to insert) and the last hash.
    """
    out = []
    append = out.append
    for content in contents:
        row_hash = _sha256(_canonical((*content, prev_hash))).hexdigest()
        append((*content, prev_hash, row_hash))
        prev_hash = row_hash
    return out, prev_hash


def chain_hashes(prev_hash: str, head: tuple, rows: Iterable[tuple]) -> list[str]:
    """The ``row_hash`` of each row of a bulk insert, chained after ``prev_hash``.

    ``head``: the values the rows share (change_id, at, os_user, app_user, action, entity);
    ``rows``: (entity_id, root_entity, root_id, new_value), with no field or old value.
    The same bytes as ``row_digest`` (a test holds them equal), about twice as fast: the shared
    head is encoded once and each row's four values are spliced in. Ids must be integers.
    """
    esc, sha = _json_encoder.encode_basestring_ascii, _sha256
    prefix = _canonical(head).decode("ascii")[:-1] + ","
    names: dict[str, str] = {}
    hashes: list[str] = []
    append = hashes.append
    for entity_id, root_entity, root_id, new in rows:
        root_json = names.get(root_entity)
        if root_json is None:
            root_json = names[root_entity] = esc(root_entity)
        prev_hash = sha(f'{prefix}{entity_id},{root_json},{root_id},null,null,'
                        f'{"null" if new is None else esc(new)},"{prev_hash}"]'.encode("ascii")).hexdigest()
        append(prev_hash)
    return hashes


def last_link(raw: sqlite3.Connection) -> tuple[int | None, str]:
    """The latest row's (id, row_hash); (None, "") for an empty log. Call it under the write lock."""
    row = raw.execute("SELECT id, row_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1] or "") if row else (None, "")


def database_id(raw: sqlite3.Connection) -> str | None:
    try:
        row = raw.execute("SELECT value FROM db_meta WHERE key = 'database_id'").fetchone()
    except Exception as err:  # noqa: BLE001 - sqlite3's or sqlcipher3's OperationalError
        if type(err).__name__ != "OperationalError":
            raise
        return None  # no db_meta: not a Taskforce file at 0005 or later
    return row[0] if row else None


def driver_connection(conn: object) -> sqlite3.Connection:
    """The DB-API connection under a SQLAlchemy Connection, or ``conn`` itself when it is one
    (sqlite3, sqlcipher3: a backup being checked).

    Verification reads a million rows; plain cursor rows are several times cheaper than
    SQLAlchemy rows. Statements run in the SQLAlchemy connection's transaction.
    """
    if isinstance(conn, sqlite3.Connection):
        return conn
    inner = getattr(conn, "connection", None)
    if inner is not None and hasattr(inner, "driver_connection"):
        return inner.driver_connection
    return conn  # type: ignore[return-value]


# --- verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Anchor:
    """The latest (id, row_hash) this workstation saw committed to one database file."""

    id: int
    row_hash: str
    at: str = ""  # when it was recorded (UTC)
    # the file's schema revision then; "" in anchors recorded before issue 11 (the file was
    # chained, so at CHAINED_FROM or later)
    revision: str = ""

    @property
    def at_least_revision(self) -> str:
        return self.revision or CHAINED_FROM


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int  # rows checked (all of them when ok; up to the break when not)
    first_broken_id: int | None = None
    reason: str = ""
    latest_hash: str = ""
    latest_id: int | None = None
    broken_at: str = ""  # the broken row's time, when the row exists
    broken_record: str = ""  # "case_file #88", when the row exists
    anchor: str = ""  # "matched", "none", "recorded", "kept" (see services.audit)

    @property
    def where(self) -> str:
        """"row 1234 (2026-11-23T10:02:11Z, case_file #88)", or "row 1234"."""
        details = ", ".join(d for d in (self.broken_at, self.broken_record) if d)
        return f"row {self.first_broken_id}" + (f" ({details})" if details else "")


_SELECT = "SELECT id, " + ", ".join(HASHED_COLUMNS) + ", row_hash FROM audit_log ORDER BY id"


def _rows(raw: sqlite3.Connection, batch: int = 20_000) -> Iterator[tuple]:
    cur = raw.execute(_SELECT)
    while chunk := cur.fetchmany(batch):
        yield from chunk


def verify(conn: object, anchor: Anchor | None = None) -> ChainReport:
    """Walk the chain in id order and report its first broken link.

    ``conn``: a SQLAlchemy Connection or a sqlite3 connection (a backup being checked).
    ``anchor``: what this workstation recorded; without one only the chain itself is checked.
    A row whose content does not give its hash was altered; a row whose ``prev_hash`` is not
    the previous row's hash follows a removed, reordered or inserted row.
    """
    raw = driver_connection(conn)
    prev_hash, prev_id, rows = "", None, 0
    anchored: str | None = None  # the anchored row's stored hash, once walked past
    sha, canonical = _sha256, _canonical

    def broken(row: tuple | None, reason: str, row_id: int | None = None) -> ChainReport:
        return ChainReport(
            ok=False, rows=rows, first_broken_id=row[0] if row else row_id, reason=reason,
            latest_hash=prev_hash, latest_id=prev_id,
            broken_at=str(row[2]) if row else "", broken_record=f"{row[6]} #{row[7]}" if row else "")

    for row in _rows(raw):
        rows += 1
        stored_prev, stored = row[13], row[14]
        if stored_prev != prev_hash:
            if stored_prev is None or stored is None:
                return broken(row, "the row has no hash (written around the audit chain)")
            if prev_id is not None and row[0] > prev_id + 1:
                gone = (f"row {prev_id + 1}" if row[0] == prev_id + 2
                        else f"rows {prev_id + 1}–{row[0] - 1}")
                return broken(row, f"it does not follow row {prev_id} ({gone} removed)")
            return broken(row, "its link to the row before does not match (a row before it was "
                               "removed, reordered or altered)")
        try:
            digest = sha(canonical(row[1:14])).hexdigest()
        except (TypeError, ValueError, UnicodeError):
            return broken(row, "a value has a type the audit log never writes (the row was altered)")
        if digest != stored:
            return broken(row, "its content does not match its hash (the row was altered)")
        if anchor is not None and row[0] == anchor.id:
            anchored = stored
        prev_hash, prev_id = stored, row[0]

    if anchor is not None:
        since = f" on {anchor.at}" if anchor.at else ""
        if prev_id is None or prev_id < anchor.id:
            return broken(None, f"the log ends at row {prev_id or 0} but this workstation recorded "
                                f"row {anchor.id}{since} (rows were removed from the end)", anchor.id)
        if anchored is None:
            return broken(None, f"row {anchor.id}, recorded by this workstation{since}, is missing",
                          anchor.id)
        if anchored != anchor.row_hash:
            return broken(None, f"row {anchor.id} is not the row this workstation recorded{since} "
                                f"(the chain was rewritten)", anchor.id)
    return ChainReport(ok=True, rows=rows, latest_hash=prev_hash, latest_id=prev_id,
                       anchor="matched" if anchor is not None else "")


# --- the anchor file (settings folder) -----------------------------------------------------
#
# {"<database_id>": {"<absolute path of the file>":
#                        {"id": 1234, "row_hash": "…", "at": "…", "revision": "0006"}}}
# By database id, then by path: a copy of a file (a backup, a test's template) shares its
# database id but lives elsewhere and grows its own chain, so each copy has its own anchor.
# Read by path too (``path_anchors``): every database ever anchored at a path is consulted,
# so a file whose id was rewritten (issue 11 §4) does not simply start a fresh anchor.

def anchors_path() -> Path:
    return config_dir() / ANCHORS_FILE


def _path_key(db_path: Path | str) -> str:
    return str(Path(db_path).resolve())


def _load_all(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        log.warning("audit anchors in %s unreadable (%s); starting afresh", path, err)
        return {}
    return data if isinstance(data, dict) else {}


def _anchor(entry: object) -> Anchor | None:
    try:
        return Anchor(int(entry["id"]), str(entry["row_hash"]), str(entry.get("at", "")),
                      str(entry.get("revision", "")))
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def load_anchor(db_id: str, db_path: Path | str, path: Path | None = None) -> Anchor | None:
    entry = _load_all(path or anchors_path()).get(db_id, {})
    return _anchor(entry.get(_path_key(db_path)) if isinstance(entry, dict) else None)


def path_anchors(db_path: Path | str, path: Path | None = None) -> dict[str, Anchor]:
    """Every anchor recorded at this path, by database id (more than one: the file was
    replaced, or its id rewritten)."""
    key = _path_key(db_path)
    out = {}
    for db_id, copies in _load_all(path or anchors_path()).items():
        if isinstance(copies, dict) and (anchor := _anchor(copies.get(key))) is not None:
            out[db_id] = anchor
    return out


def anchored_ids(db_path: Path | str, path: Path | None = None) -> set[str]:
    """The database ids anchored at this path (more than one: the file was replaced)."""
    return set(path_anchors(db_path, path))


def anchored_revision(db_path: Path | str, path: Path | None = None) -> tuple[str, Anchor] | None:
    """The latest schema revision this workstation recorded for the file at this path, with
    the anchor that says so; None when nothing was anchored there."""
    anchors = path_anchors(db_path, path)
    if not anchors:
        return None
    anchor = max(anchors.values(), key=lambda a: (a.at_least_revision, a.at))
    return anchor.at_least_revision, anchor


def going_back(db_path: Path | str, revision: str | None, path: Path | None = None) -> str | None:
    """One sentence when the file at ``db_path`` is at an older schema ``revision`` than this
    workstation recorded there (None otherwise). A file never goes back in schema by itself:
    taking its chain columns away and setting its revision back would have the next upgrade
    chain forged rows as if they were the file's own (issue 11 §4). Restore calls it before
    putting an older backup in place (its chain cannot be checked against the anchor)."""
    if revision is None:
        return None  # a new, empty file
    anchors = {d: a for d, a in path_anchors(db_path, path).items()
               if a.at_least_revision > revision and not _moved_aside(d, a, db_path, path)}
    if not anchors:
        return None
    anchor = max(anchors.values(), key=lambda a: (a.at_least_revision, a.at))
    newest = anchor.at_least_revision
    since = f" on {anchor.at[:10]}" if anchor.at else ""
    return tr(
        "{name} is at schema {revision}, but this workstation recorded it at schema {newest}{since}; "
        "a file does not go back in schema by itself, so it was not upgraded (the upgrade would "
        "chain its audit log anew) and was left untouched. To put an older backup in place on "
        "purpose, use Restore.").format(name=Path(db_path).name, revision=revision, newest=newest,
                                        since=since)


def _moved_aside(db_id: str, anchor: Anchor, db_path: Path | str, path: Path | None) -> bool:
    """The anchor went with its file when a restore set that file aside
    (``taskforce.sqlite.before-restore-…``, services.backup): it describes the file kept
    there, no longer the one a restore has just put at the path."""
    prefix = _path_key(db_path) + ".before-restore-"
    copies = _load_all(path or anchors_path()).get(db_id)
    return isinstance(copies, dict) and any(
        key.startswith(prefix) and (other := _anchor(entry)) is not None
        and (other.id, other.row_hash) == (anchor.id, anchor.row_hash)
        for key, entry in copies.items())


def save_anchor(db_id: str, db_path: Path | str, row_id: int, row_hash: str,
                path: Path | None = None, revision: str | None = None, at: str | None = None) -> None:
    """Record (atomically replace the small file); raises OSError, callers decide.
    ``revision``: the file's schema revision (kept when not given); ``at``: now by default."""
    path = path or anchors_path()
    data = _load_all(path)
    at = at or datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    copies = data.get(db_id)
    if not isinstance(copies, dict):
        copies = data[db_id] = {}
    key = _path_key(db_path)
    before = copies.get(key)
    if revision is None and isinstance(before, dict):
        revision = before.get("revision")
    copies[key] = {"id": row_id, "row_hash": row_hash, "at": at, **({"revision": revision} if revision else {})}
    entries = [(e.get("at", "") if isinstance(e, dict) else "", d, p)
               for d, c in data.items() if isinstance(c, dict) for p, e in c.items()]
    if len(entries) > MAX_ANCHORS:
        # files gone from their path first (a test's, a removed copy's), then the oldest
        entries.sort(key=lambda e: (Path(e[2]).exists(), e[0]))
        for _at, d, p in entries[:len(entries) - MAX_ANCHORS]:
            if (d, p) == (db_id, key):
                continue
            del data[d][p]
            if not data[d]:
                del data[d]
    _write_all(path, data)


def _write_all(path: Path, data: dict) -> None:
    # one line: the C encoder (after each write transaction); atomic: a crash leaves the old
    # file or the new one; 0600 in a 0700 folder, like every file the app writes
    replace_text(path, json.dumps(data), ".audit-anchors-")


def revision_of(raw: sqlite3.Connection) -> str | None:
    try:
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception as err:  # noqa: BLE001 - sqlite3's or sqlcipher3's OperationalError
        if type(err).__name__ != "OperationalError":
            raise
        return None
    return row[0] if row else None


def pending_anchor(raw: sqlite3.Connection, db_path: Path | str) -> tuple | None:
    """Inside a write transaction that appended audit rows: the anchor to record after the
    commit, as ``save_anchor`` arguments; None when there is nothing to record.

    An anchor the file no longer agrees with (its row gone or different: rows removed or the
    chain rewritten) is kept as it is, so the next verification still reports it; otherwise
    every later change would quietly move the anchor past the damage. Anchors of other
    database ids at the same path are left as they are (``verify_audit`` reports them).
    """
    db_id = database_id(raw)
    last_id, last_hash = last_link(raw)
    if db_id is None or last_id is None:
        return None
    anchor = load_anchor(db_id, db_path)
    if anchor is not None:
        row = raw.execute("SELECT row_hash FROM audit_log WHERE id = ?", (anchor.id,)).fetchone()
        if row is None or row[0] != anchor.row_hash:
            log.warning("audit anchor of %s kept at row %s: the file no longer matches it",
                        db_path, anchor.id)
            return None
    return db_id, db_path, last_id, last_hash, None, revision_of(raw)


def forget_anchor(db_path: Path | str, path: Path | None = None) -> None:
    """Drop every anchor of the file at ``db_path`` (after restoring a copy over it on purpose)."""
    path = path or anchors_path()
    data = _load_all(path)
    key = _path_key(db_path)
    if not any(isinstance(c, dict) and key in c for c in data.values()):
        return
    for db_id in list(data):
        copies = data[db_id]
        if isinstance(copies, dict) and copies.pop(key, None) is not None and not copies:
            del data[db_id]
    _write_all(path, data)


def put_back(db_path: Path | str, anchors: dict[str, Anchor], path: Path | None = None) -> None:
    """Record ``anchors`` (by database id) at ``db_path`` again, as they were."""
    for db_id, anchor in anchors.items():
        save_anchor(db_id, db_path, anchor.id, anchor.row_hash, path, anchor.revision or None,
                    anchor.at or None)

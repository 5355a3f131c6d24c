"""Wrong passphrases in a row lock an encrypted file for a while (CJIS AC-7). No Qt.

Five wrong passphrases in a row lock the file for fifteen minutes: meanwhile every attempt is
refused before the passphrase is even tried. A correct passphrase resets the count; so does
the end of a lockout (then five more tries).

The count lives in ``unlock-failures.json`` in the settings folder, keyed by the file's
absolute path, so quitting and restarting the app does not reset it. Not next to the database:
the data folder is what gets copied, synced and backed up, and a count travelling with a copy
would lock the copy elsewhere (or hand a fresh count to whoever copied it, which is no
different). Either place can be deleted by the user who owns it: the lockout stops guessing at
the keyboard of a workstation, not a thief with a copy of the file, whom only the passphrase
and SQLCipher's slow key derivation stop (docs/reliability.md).

An encrypted file cannot be written before it is unlocked, so failures are also kept here
until the file is next opened with the right passphrase, when ``services.encryption`` writes
them into its audit log ("3 failed unlock attempts since 2026-11-23 14:02").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from taskforce.domain.errors import TooManyAttempts, WrongPassphrase
from taskforce.i18n import ntr, tr
from taskforce.store.files import replace_text
from taskforce.store.paths import config_dir

MAX_IN_A_ROW = 5
LOCKOUT = timedelta(minutes=15)
FAILURES_FILE = "unlock-failures.json"

T = TypeVar("T")
Clock = Callable[[], datetime]


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Failures:
    """Wrong passphrases not yet written into the file's audit log."""

    count: int
    first: datetime
    last: datetime

    def describe(self) -> str:
        since = f"{self.first.astimezone():%Y-%m-%d %H:%M}"
        return ntr("{n} failed unlock attempt since {since}", "{n} failed unlock attempts since {since}",
                   self.count).format(n=self.count, since=since)


class UnlockGuard:
    """The failure count of one database file. ``clock``: local aware datetimes (tests)."""

    def __init__(self, db_path: Path, *, clock: Clock | None = None, store: Path | None = None) -> None:
        self.db_path = Path(db_path)
        self.key = str(self.db_path.resolve())
        self.clock = clock or _local_now
        self.store = store or config_dir() / FAILURES_FILE

    def attempt(self, try_key: Callable[[], T], *, audited: bool = False) -> T:
        """Refuse while locked out; else ``try_key()``: a WrongPassphrase it raises is counted
        (the fifth in a row raises TooManyAttempts instead); success resets the count.
        ``audited``: the caller writes this failure into the audit log itself (the file is
        open, at the session lock), so it is not kept for the next open."""
        self.check()
        try:
            result = try_key()
        except WrongPassphrase:
            self._failed(audited)
            raise
        self._succeeded()
        return result

    def check(self) -> None:
        """TooManyAttempts while the file is locked out."""
        until = self.locked_until()
        if until is not None:
            raise TooManyAttempts(self._locked_message(until), until)

    def locked_until(self) -> datetime | None:
        until = _time(self._entry().get("locked_until"))
        return until if until is not None and until > self.clock() else None

    def attempts_left(self) -> int:
        entry = self._entry()
        if _time(entry.get("locked_until")) is not None and self.locked_until() is None:
            return MAX_IN_A_ROW  # the lockout is over: five more tries
        return max(0, MAX_IN_A_ROW - int(entry.get("in_a_row", 0)))

    def pending(self) -> Failures | None:
        """Failures since the last one written into the audit log, if any."""
        entry = self._entry()
        first, last = _time(entry.get("first")), _time(entry.get("last"))
        count = int(entry.get("unaudited", 0))
        if count <= 0 or first is None or last is None:
            return None
        return Failures(count, first, last)

    def audited(self) -> None:
        """The pending failures are in the audit log now: forget them."""
        entry = self._entry()
        if entry.get("unaudited"):
            self._save({**entry, "unaudited": 0, "first": None, "last": None})

    # -- the file ------------------------------------------------------------------------
    def _failed(self, audited: bool) -> None:
        now = self.clock()
        entry = self._entry()
        in_a_row = int(entry.get("in_a_row", 0))
        if _time(entry.get("locked_until")) is not None:  # a lockout that has ended
            in_a_row = 0
        in_a_row += 1
        locked = now + LOCKOUT if in_a_row >= MAX_IN_A_ROW else None
        unaudited = int(entry.get("unaudited", 0)) + (0 if audited else 1)
        self._save({"in_a_row": in_a_row, "locked_until": locked.isoformat() if locked else None,
                    "unaudited": unaudited,
                    "first": entry.get("first") if entry.get("unaudited") else (None if audited else now.isoformat()),
                    "last": now.isoformat() if not audited else entry.get("last")})
        if locked is not None:
            raise TooManyAttempts(self._locked_message(locked), locked)

    def _succeeded(self) -> None:
        entry = self._entry()
        if entry.get("in_a_row") or entry.get("locked_until"):
            self._save({**entry, "in_a_row": 0, "locked_until": None})

    def _locked_message(self, until: datetime) -> str:
        local = until.astimezone()
        when = f"{local:%H:%M}" if local.date() == self.clock().astimezone().date() else f"{local:%Y-%m-%d %H:%M}"
        return tr("Too many wrong passphrases: {name} is locked until {when}.").format(
            name=self.db_path.name, when=when)

    def _load(self) -> dict:
        try:
            data = json.loads(self.store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _entry(self) -> dict:
        entry = self._load().get(self.key)
        return entry if isinstance(entry, dict) else {}

    def _save(self, entry: dict) -> None:
        data = self._load()
        if entry.get("in_a_row") or entry.get("locked_until") or entry.get("unaudited"):
            data[self.key] = entry
        else:
            data.pop(self.key, None)
        # atomic and private (0600): a crash leaves the old count or the new one
        replace_text(self.store, json.dumps(data, indent=1), ".unlock-failures-")


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.astimezone()

"""Wrong passphrases in a row lock an encrypted file for a while (CJIS AC-7). No Qt.

Five wrong passphrases in a row lock the file for fifteen minutes: meanwhile every attempt is
refused before the passphrase is even tried. A correct passphrase resets the count; so does
the end of a lockout (then five more tries).

The count lives in ``unlock-failures.json`` in the settings folder, keyed by the file's
identity (its device and inode: the same file by a symbolic link, a hard link, another
spelling of its path or after a rename is one count), so quitting and restarting the app does
not reset it.

Guesses made at once (issue 11): an attempt is counted *before* its key is derived, in one
read-modify-write of the counter file under an OS lock (``unlock-failures.json.lock``,
``store.lock_file``); the attempt that reaches five starts the lockout there and then. So however many
processes or threads guess together, at most five keys are derived before the lockout, the
count never goes down, and an attempt killed mid-derivation stays counted. Not next to the database:
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
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from taskforce.domain.errors import TooManyAttempts, WrongPassphrase
from taskforce.i18n import ntr, tr
from taskforce.store.files import private_folders, replace_text
from taskforce.store.lock import resolved
from taskforce.store.lock_file import lock_exclusively, open_lock_file
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
        self.key = _identity(self.db_path)
        # counts kept by path before issue 11: read once, merged, then dropped
        self._legacy_keys = {str(self.db_path.absolute()), str(resolved(self.db_path))} - {self.key}
        self.clock = clock or _local_now
        self.store = store or config_dir() / FAILURES_FILE

    def attempt(self, try_key: Callable[[], T], *, audited: bool = False) -> T:
        """Refuse while locked out; else count the attempt, then ``try_key()``: a WrongPassphrase
        it raises stays counted (the fifth in a row raises TooManyAttempts instead); success
        takes this attempt back and resets the count. ``audited``: the caller writes this
        failure into the audit log itself (the file is open, at the session lock), so it is
        not kept for the next open."""
        reached = self._count_attempt(audited)
        try:
            result = try_key()
        except WrongPassphrase:
            self._failed()
            if reached is not None:
                raise TooManyAttempts(self._locked_message(reached), reached) from None
            raise
        self._succeeded(audited)
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
        with self._locked() as entry:
            if entry.get("unaudited"):
                entry.update(unaudited=0, first=None, last=None)

    # -- the file ------------------------------------------------------------------------
    def _count_attempt(self, audited: bool) -> datetime | None:
        """Refuse while locked out, else count this attempt as if it failed (it is undone by
        a success): in one locked read-modify-write, before the key is derived. Returns the
        end of the lockout this attempt started (the fifth in a row), else None."""
        with self._locked() as entry:
            now = self.clock()
            until = _time(entry.get("locked_until"))
            if until is not None and until > now:
                raise TooManyAttempts(self._locked_message(until), until)
            in_a_row = 0 if until is not None else int(entry.get("in_a_row", 0))  # a lockout ended: five more
            in_a_row += 1
            reached = now + LOCKOUT if in_a_row >= MAX_IN_A_ROW else None
            entry.update(in_a_row=in_a_row, locked_until=reached.isoformat() if reached else None)
            if not audited:
                if not entry.get("unaudited"):
                    entry["first"] = now.isoformat()
                entry["unaudited"] = int(entry.get("unaudited", 0)) + 1
                entry["last"] = now.isoformat()
            return reached

    def _failed(self) -> None:
        with self._locked() as entry:  # when the last failure was: for the audit row
            if entry.get("unaudited"):
                entry["last"] = self.clock().isoformat()

    def _succeeded(self, audited: bool) -> None:
        with self._locked() as entry:
            entry.update(in_a_row=0, locked_until=None)
            if not audited:  # this attempt was counted as a failure in advance: take it back
                left = max(0, int(entry.get("unaudited", 0)) - 1)
                entry["unaudited"] = left
                if not left:
                    entry.update(first=None, last=None)

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

    def _entry(self, data: dict | None = None) -> dict:
        data = self._load() if data is None else data
        entries = [e for e in (data.get(k) for k in (self.key, *sorted(self._legacy_keys))) if isinstance(e, dict)]
        return _merged(entries)

    @contextmanager
    def _locked(self) -> Iterator[dict]:
        """The entry to change, read and written back under the OS lock on the counter file:
        two processes counting at once each see the other's count."""
        with _counter_lock(self.store):
            data = self._load()
            entry = self._entry(data)
            yield entry
            for legacy in self._legacy_keys:
                data.pop(legacy, None)
            if entry.get("in_a_row") or entry.get("locked_until") or entry.get("unaudited"):
                data[self.key] = entry
            else:
                data.pop(self.key, None)
            # atomic and private (0600): a crash leaves the old count or the new one
            replace_text(self.store, json.dumps(data, indent=1), ".unlock-failures-")


def _identity(db_path: Path) -> str:
    """The file, whatever its name: device and inode (its resolved path until it exists)."""
    try:
        st = os.stat(db_path)
    except OSError:
        return str(resolved(db_path))
    return f"file:{st.st_dev}:{st.st_ino}"


def _merged(entries: list[dict]) -> dict:
    """One entry from the counts kept under several keys (a path before issue 11, the file's
    identity now): the stricter of each."""
    if len(entries) <= 1:
        return dict(entries[0]) if entries else {}
    times = lambda key: [t for t in (_time(e.get(key)) for e in entries) if t is not None]  # noqa: E731
    until, first, last = times("locked_until"), times("first"), times("last")
    return {"in_a_row": max(int(e.get("in_a_row", 0)) for e in entries),
            "locked_until": max(until).isoformat() if until else None,
            "unaudited": sum(int(e.get("unaudited", 0)) for e in entries),
            "first": min(first).isoformat() if first else None,
            "last": max(last).isoformat() if last else None}


@contextmanager
def _counter_lock(store: Path) -> Iterator[None]:
    """An exclusive OS lock next to the counter file (which is replaced by a rename, so it
    cannot carry the lock itself), held for one read-modify-write."""
    private_folders(store.parent)
    fd = open_lock_file(store.with_name(store.name + ".lock"))
    try:
        lock_exclusively(fd)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.astimezone()

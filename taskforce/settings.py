"""User settings, declared once with their defaults and docs (Qt-free, a JSON file).

Window geometry and column layouts are the GUI's own business (QSettings); what the core
needs (the user name written into the audit log) lives here.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, Field, asdict, dataclass, field, fields
from pathlib import Path

from taskforce.domain.text import clean_line
from taskforce.i18n import tr
from taskforce.store.files import replace_text
from taskforce.store.paths import config_dir


@dataclass
class Settings:
    #: the name written into the audit log next to the OS user ("m.quill"); asked at first
    #: start (prefilled with the OS account), changed under File → Set your user name…
    user_name: str = ""
    #: the database opened last, offered on the next start
    last_database: str = ""
    #: the dissemination marking of printed documents: "les" (UNCLASSIFIED//LAW ENFORCEMENT
    #: SENSITIVE), "cui" (CUI banner and designator block), or "custom" (the text below)
    marking_profile: str = "les"
    #: the banner printed at the top and bottom of every page with the custom profile
    marking: str = "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE"
    #: the CUI designator block on a cover (CUI profile)
    cui_controlled_by: str = ""
    cui_category: str = "LEI (Law Enforcement)"
    cui_dissemination: str = ""
    cui_poc: str = ""
    #: "letter" or "a4"
    page_size: str = "letter"
    #: how many daily automatic backups (made on close, in ``backups`` next to the database)
    #: are kept; the oldest beyond this number are removed
    backup_keep: int = field(default=7, metadata={"min": 1, "max": 365})
    #: the system-use notification shown, and to be acknowledged, before the app opens a
    #: database (CJIS AC-8); empty: none
    use_notice: str = ""
    #: minutes without keyboard or mouse input before the app locks and asks for the passphrase
    #: again (CJIS AC-11: at most 30; a larger value is read as 30, a smaller one as 1)
    idle_lock_minutes: int = field(default=15, metadata={"min": 1, "max": 30, "clamp": True})
    #: lock after the idle period also when the database is not encrypted (a privacy screen:
    #: "Continue" unlocks it, there being no passphrase to ask)
    idle_lock_plain: bool = False


# The audit log keeps at most this many characters of the name (audit_log.app_user).
USER_NAME_MAX = 100


def default_user_name() -> str:
    """The name offered at first start and written until one is set: the one saved, else
    the OS account's (``getpass.getuser()``)."""
    from taskforce.services.context import os_user

    return load_settings().user_name.strip() or os_user()


def user_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be the name written into the audit log, or None."""
    cleaned = clean_line(name).strip()
    if not cleaned:
        return tr("Type your name: it is written into the history of every change.")
    if len(cleaned) > USER_NAME_MAX:
        return tr("A name has at most {limit} characters; this one has {count}.").format(
            limit=USER_NAME_MAX, count=len(cleaned))
    return None


def save_user_name(name: str, path: Path | None = None) -> str:
    """Keep ``name`` (as the audit log will store it: one clean line) for every later start;
    returns it. ValueError with the sentence of ``user_name_problem`` when it cannot be."""
    problem = user_name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    settings = load_settings(path)
    settings.user_name = clean_line(name).strip()
    save_settings(settings, path)
    return settings.user_name


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    return Settings(**{f.name: _clamp(f, raw[f.name]) for f in fields(Settings)
                       if f.name in raw and _acceptable(f, _clamp(f, raw[f.name]))})


def _clamp(f: Field, value: object) -> object:
    """A field marked ``clamp`` takes the nearest bound instead of falling back to the default."""
    if f.metadata.get("clamp") and isinstance(value, int) and not isinstance(value, bool):
        return min(max(value, f.metadata["min"]), f.metadata["max"])
    return value


def _acceptable(f: Field, value: object) -> bool:
    """A value of the field's own type (and within its bounds, if it has any); anything else in
    the JSON (edited by hand, an older version) falls back to the default."""
    default = f.default if f.default is not MISSING else None
    if isinstance(default, bool) or isinstance(value, bool):
        return type(value) is type(default)
    if isinstance(default, int):
        low, high = f.metadata.get("min"), f.metadata.get("max")
        return (isinstance(value, int) and (low is None or value >= low)
                and (high is None or value <= high))
    return isinstance(value, str)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    # atomic (a crash never leaves half a settings file) and the user's alone (0600, the
    # folder 0700): it names the user and the notice shown before the database opens
    replace_text(path, json.dumps(asdict(settings), indent=2), ".settings-")

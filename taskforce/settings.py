"""User settings, declared once with their defaults and docs (Qt-free, a JSON file).

Window geometry and column layouts are the GUI's own business (QSettings); what the core
needs (the user name written into the audit log) lives here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from taskforce.store.paths import config_dir


@dataclass
class Settings:
    #: the name written into the audit log next to the OS user ("m.quill")
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


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in raw.items() if k in known and isinstance(v, str)})


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a settings file

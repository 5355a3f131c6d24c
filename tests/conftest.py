"""Every test gets its own freshly migrated database file (copied from one migrated template)."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

import tempfile  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never read or write the real user's settings, data folder or Qt settings.
_HOME = tempfile.mkdtemp(prefix="taskforce-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ.pop("TASKFORCE_DB", None)

from taskforce.services.context import Actor, Context  # noqa: E402
from taskforce.store.database import Database  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FBI_CSV = SHARED_DATA / "fbi_cde_agencies.csv"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    Database.open(path, create=True).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path) -> Path:
    path = tmp_path / "taskforce.sqlite"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def db(db_path: Path):
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def ctx(db: Database) -> Context:
    return Context(db=db, actor=Actor(os_user="tester", app_user="m.quill"),
                   today=lambda: date(2026, 11, 23))

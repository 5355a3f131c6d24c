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
# The full FBI list lives beside the clone, not in it: tests that need all of it skip without it
FBI_CSV = SHARED_DATA / "fbi_cde_agencies.csv"
# 394 of its rows, verbatim, kept in the repository (tests/data/README.md): the suite stands alone
FBI_EXCERPT = Path(__file__).resolve().parent / "data" / "fbi_cde_agencies_excerpt.csv"

# Issue 6 §5: a plain and an encrypted database behave the same. Every test of these modules
# that uses the database fixtures runs twice, [plain] and [encrypted] (SQLCipher). Their
# command-line tests run on the plain file only (a subprocess each; test_encryption.py runs
# the command line on an encrypted file).
ENCRYPTED_TOO = {"test_services.py", "test_feedback.py", "test_release.py", "test_reports_briefing.py"}
TEST_PASSPHRASE = "correct horse battery staple"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if ("db_path" in metafunc.fixturenames and metafunc.definition.path.name in ENCRYPTED_TOO
            and not metafunc.definition.name.startswith("test_cli")):
        metafunc.parametrize("db_kind", ["plain", "encrypted"], indirect=True)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    Database.open(path, create=True).close()
    return path


@pytest.fixture(scope="session")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """The migrated template converted with SQLCipher (the same rows, encrypted)."""
    from taskforce.store import cipher

    path = tmp_path_factory.mktemp("template-encrypted") / "template.sqlite"
    cipher.write_copy(migrated_template, None, path, TEST_PASSPHRASE)
    return path


@pytest.fixture
def db_kind(request: pytest.FixtureRequest) -> str:
    """"plain"; or "encrypted" for the second run of a test in ENCRYPTED_TOO."""
    return getattr(request, "param", "plain")


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path, db_kind: str, request: pytest.FixtureRequest) -> Path:
    template = migrated_template
    if db_kind == "encrypted":
        template = request.getfixturevalue("encrypted_template")
        # whatever the test opens itself (the command line) finds the passphrase too
        request.getfixturevalue("monkeypatch").setenv("TASKFORCE_PASSPHRASE", TEST_PASSPHRASE)
    path = tmp_path / "taskforce.sqlite"
    shutil.copyfile(template, path)
    return path


@pytest.fixture
def db(db_path: Path, db_kind: str):
    database = Database.open(db_path, passphrase=TEST_PASSPHRASE if db_kind == "encrypted" else None)
    if db_kind == "encrypted":
        assert database.encrypted
    yield database
    database.close()


@pytest.fixture
def ctx(db: Database) -> Context:
    return Context(db=db, actor=Actor(os_user="tester", app_user="m.quill"),
                   today=lambda: date(2026, 11, 23))

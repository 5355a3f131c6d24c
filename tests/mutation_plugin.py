"""pytest plugin for `make mutate` only (loaded by [tool.mutmut] pytest_add_cli_args).

A mutant of ``taskforce.domain`` is judged by the pure-rule tests alone: the rules are pure
functions and are tested as such (STYLE.md), and a mutant that only a database or a window
notices counts as not caught. This also keeps a run short: mutmut otherwise runs, for every
surviving mutant of a helper such as ``_Checks.required``, each service test that reached it.
Mutants of the services' rule queries keep every test mutmut chose (they need the database).
"""

from __future__ import annotations

import os

import pytest

# a test asking for any of these opens a database file, a window or a subprocess
NOT_PURE = frozenset({"db", "db_path", "ctx", "qtbot", "migrated_template", "encrypted_template"})


def _mutant() -> str:
    return os.environ.get("MUTANT_UNDER_TEST", "")


def pytest_configure(config: pytest.Config) -> None:
    # mutmut forks each mutant's run from the process that collected its statistics with the
    # original code: a cache filled then would answer for the mutant without calling it
    if _mutant().startswith("taskforce."):
        from taskforce.domain import deconfliction

        deconfliction.normalize_name.cache_clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _mutant().startswith("taskforce.domain."):
        return
    impure = [item for item in items if NOT_PURE & set(getattr(item, "fixturenames", ()))]
    if impure:
        config.hook.pytest_deselected(items=impure)
        items[:] = [item for item in items if item not in impure]

"""Where the database file lives: ``--db`` beats ``TASKFORCE_DB`` beats the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "Taskforce"
DB_FILENAME = "taskforce.sqlite"
ENV_VAR = "TASKFORCE_DB"


def default_db_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_db_path(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return default_db_path()


def config_dir() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False))

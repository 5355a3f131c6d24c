"""Consistent copies of the live file through SQLite's online backup API (SQLite-specific)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_file(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` page by page; safe even with a WAL that is not checkpointed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target

"""Durable file replacement: a finished file renamed over its target, the rename itself synced.

Shared by whatever writes a whole file next to another (PDFs, exports, backups, converted
databases): written to a temporary name in the same folder, flushed, renamed, and the folder
flushed so the rename survives a power cut.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows cannot open a folder, and needs not)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def put_in_place(made: Path, target: Path) -> None:
    """Flush ``made`` and rename it to ``target`` (atomic: the same folder)."""
    fd = os.open(made, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(made, target)
    fsync_folder(Path(target).parent)

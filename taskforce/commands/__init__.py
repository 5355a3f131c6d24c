"""Command-line views of the coordination workflows, one module per area.

Each module defines ``register(sub)``: it adds its subcommands to the ``taskforce`` parser and
sets ``handler`` on each (``parser.set_defaults(handler=fn)``); ``fn(args, ctx) -> int``
prints its result and returns the exit code. ``taskforce.cli`` finds the modules itself, so an
area adds a file here and touches nothing else. No Qt.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{m.name}")
            for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
            if not m.name.startswith("_")]  # _options.py and the like are helpers

"""The ``taskforce`` entry point: a command runs the CLI, no command opens the desktop app.

It sits outside the core's import contract because it is the one place that may reach the GUI,
and only lazily, so ``taskforce stats`` never loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from taskforce import cli
from taskforce.platform_check import missing_gui_libraries


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run(args)
    return _open_gui(args.db)


def main_gui() -> int:
    return main([])


def _open_gui(db_option: str | None) -> int:
    missing = missing_gui_libraries()
    if missing:
        print("taskforce: the desktop app needs system libraries that are missing: "
              f"{', '.join(missing)}. Install them (see README, 'On Linux') and try again.",
              file=sys.stderr)
        return 1
    from taskforce.gui.app import run_app

    return run_app(db_option)


if __name__ == "__main__":
    sys.exit(main())

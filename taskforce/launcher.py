"""The ``taskforce`` entry point: a command runs the CLI, no command opens the desktop app.

It sits outside the core's import contract because it is the one place that may reach the GUI,
and only lazily, so ``taskforce stats`` never loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from taskforce import cli
from taskforce.i18n import tr
from taskforce.platform_check import missing_gui_libraries, no_display


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run(args)
    return _open_gui(args.db)


def main_gui() -> int:
    return main([])


def _open_gui(db_option: str | None) -> int:
    # One line and exit 1, before Qt loads: Qt itself would abort the process with a core dump.
    if no_display():
        print(tr("No display: Taskforce needs a desktop session (DISPLAY or WAYLAND_DISPLAY is "
                 "not set)."), file=sys.stderr)
        return 1
    missing = missing_gui_libraries()
    if missing:
        print(tr("taskforce: the desktop app needs system libraries that are missing: {packages}. "
                 "Install them (see README, 'On Linux') and try again.").format(packages=", ".join(missing)),
              file=sys.stderr)
        return 1
    from taskforce.gui.app import run_app

    return run_app(db_option)


if __name__ == "__main__":
    sys.exit(main())

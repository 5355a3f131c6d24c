"""Before Qt loads: say why a window cannot open instead of letting Qt abort.

Two reasons, checked in this order. No desktop session at all (a server, an SSH login
without X forwarding): Qt would abort with "could not connect to display", and the library
check below would blame a library instead. Then the system libraries of Qt's xcb platform
plugin, which aborts the process when libxcb-cursor0 and friends are absent: this check
finds them by name first. Offscreen and non-Linux platforms need neither.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# library name for ctypes → Debian/Ubuntu package that ships it
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


# Qt platforms that draw without a desktop session (no X server, no Wayland compositor).
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")


def no_display() -> bool:
    """True on Linux when no desktop session can be reached: neither ``DISPLAY`` (X11) nor
    ``WAYLAND_DISPLAY`` is set, and Qt is not asked for a platform that needs none."""
    if not sys.platform.startswith("linux"):
        return False  # Windows and macOS always have their own window system
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(HEADLESS_PLATFORMS):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def missing_gui_libraries() -> list[str]:
    """Debian package names of missing libraries; empty when a window can open."""
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "wayland", "vnc")):
        return []
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]

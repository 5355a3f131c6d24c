"""Before Qt loads: name the system libraries a real window needs instead of crashing.

Qt's xcb platform plugin aborts the process when libxcb-cursor0 and friends are absent; this
check finds them by name first. Offscreen and non-Linux platforms need none of them.
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


def missing_gui_libraries() -> list[str]:
    """Debian package names of missing libraries; empty when a window can open."""
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "wayland", "vnc")):
        return []
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]

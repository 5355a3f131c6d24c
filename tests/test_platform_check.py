"""`make run` names missing system libraries instead of letting Qt abort."""

import ctypes.util
import subprocess
import sys

from taskforce import platform_check


def test_missing_xcb_libraries_are_named_by_package(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else f"lib{name}.so")
    assert platform_check.missing_gui_libraries() == ["libxcb-cursor0"]


def test_offscreen_needs_no_window_libraries(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert platform_check.missing_gui_libraries() == []


def test_the_launcher_reports_them_in_one_line(tmp_path):
    code = ("import ctypes.util, sys; ctypes.util.find_library = lambda n: None; "
            "from taskforce.launcher import main; sys.exit(main([]))")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DISPLAY": ":99"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "libxcb-cursor0" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- issue 10 §5: no display is said as such, not blamed on a library ---------------------

NO_DISPLAY = "No display: Taskforce needs a desktop session (DISPLAY or WAYLAND_DISPLAY is not set)."


def test_the_launcher_without_a_display_says_so_in_one_line(tmp_path):
    """On a server or in an SSH session without X forwarding, `make run` blamed
    libxcb-cursor0 (or Qt aborted); the missing display is the reason, in one line."""
    code = "import sys; from taskforce.launcher import main; sys.exit(main([]))"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}  # no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == NO_DISPLAY
    assert not (tmp_path / "data").exists()  # nothing was created


def test_a_display_of_either_kind_or_a_headless_platform_is_enough(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert platform_check.no_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not platform_check.no_display()
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("DISPLAY", ":0")
    assert not platform_check.no_display()
    monkeypatch.delenv("DISPLAY")
    for headless in ("offscreen", "minimal"):
        monkeypatch.setenv("QT_QPA_PLATFORM", headless)
        assert not platform_check.no_display()
    monkeypatch.setattr(sys, "platform", "darwin")  # macOS and Windows always have their own
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert not platform_check.no_display()

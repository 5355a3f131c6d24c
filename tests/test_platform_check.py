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

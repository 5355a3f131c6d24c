"""Taskforce: offline case management for joint multi-agency task forces."""

__version__ = "0.1.0"

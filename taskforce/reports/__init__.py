"""Printed documents (ReportLab), built from service results. No Qt.

The briefings, roster and status reports arrive with the reports issue; this package exists
now so the layering contract covers it from the start.
"""

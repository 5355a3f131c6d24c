"""Printed documents (ReportLab), built from service results. No Qt.

``markings`` (the banner profiles), ``blocks`` (cover, headings, text, tables, charts,
contents: every text argument plain user text, escaped here), ``document`` (``render_pdf``: one
layout pass with markings, footers, "Page X of Y" and a table of contents; ``write_atomically``).
How it works: docs/reports.md.
"""

"""DejaVu Sans, shipped with the app and embedded in every PDF, so names in any script print.

The standard PDF fonts (Helvetica, Times) cover Latin-1 only: "Дмитрий" would print as boxes.
DejaVu Sans covers accented Latin, Cyrillic, Greek and Arabic letters (ReportLab does no
Arabic shaping, so Arabic prints as isolated letters, left to right). Its licence is
``resources/fonts/LICENSE-DejaVu.txt``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the family with ReportLab once per process (cheap after the first call)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, file in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        # <b> and <i> in Paragraph markup look the family up; there is no bold-oblique file
        # shipped, so bold italic falls back to bold.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
        _registered = True

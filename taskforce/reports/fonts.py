"""DejaVu Sans, shipped with the app and embedded in every PDF, so names in any script print.

The standard PDF fonts (Helvetica, Times) cover Latin-1 only: "Дмитрий" would print as boxes.
DejaVu Sans covers accented Latin, Cyrillic, Greek and Arabic letters (ReportLab does no
Arabic shaping, so Arabic prints as isolated letters, left to right). Its licence is
``resources/fonts/LICENSE-DejaVu.txt``.
"""

from __future__ import annotations

import threading
from itertools import repeat
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

class _MeasuredTTFont(TTFont):
    """A TTFont that remembers the widths it measured.

    ReportLab measures every word of every paragraph and every table cell, in pure Python
    when its optional C accelerator is absent; the same words (agency names, dates, "the")
    come back thousands of times in a package. Widths are kept per text at size 1.
    """

    _CACHE_LIMIT = 200_000

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self._widths: dict[str, float] = {}

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 (ReportLab's name)
        w = self._widths.get(text)
        if w is None:
            if not isinstance(text, str):
                text = text.decode(encoding or "utf8")
            widths = self._widths
            if len(widths) >= self._CACHE_LIMIT:
                widths.clear()
            face = self.face
            w = widths[text] = 0.001 * sum(map(face.charWidths.get, map(ord, text), repeat(face.defaultWidth)))
        return w * size


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
            pdfmetrics.registerFont(_MeasuredTTFont(name, str(FONT_DIR / file)))
        # <b> and <i> in Paragraph markup look the family up; there is no bold-oblique file
        # shipped, so bold italic falls back to bold.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
        _registered = True

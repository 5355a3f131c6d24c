"""DejaVu Sans, shipped with the app and embedded in every PDF, so names in any script print.

The standard PDF fonts (Helvetica, Times) cover Latin-1 only: "Дмитрий" would print as boxes.
DejaVu Sans covers accented Latin, Cyrillic, Greek and Arabic letters (ReportLab does no
Arabic shaping, so Arabic prints as isolated letters, left to right). Its licence is
``resources/fonts/LICENSE-DejaVu.txt``.

What it lacks (emoji, CJK, most characters beyond the Basic Multilingual Plane) prints as
U+FFFD, the replacement character "�", which it has: visible, so a reader knows something
was there, and the text layer says U+FFFD too (issue 11). Left to ReportLab, such a character
was drawn as the empty glyph 0 and mapped to U+0000 in the text layer, and one beyond U+FFFF
that the font does have was mapped with five hex digits, which PDF readers reject: copied or
extracted text came out as NULs. Characters beyond U+FFFF are replaced even when the font has
them, for that reason.
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
REPLACEMENT = "\ufffd"

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
        glyphs = self.face.charToGlyph
        self._replaced: dict[int, str] = {}  # code → REPLACEMENT for each character met that the font lacks
        self._has = glyphs.__contains__

    def printable(self, text: str) -> str:
        """``text`` with every character this font cannot print (or map back) replaced."""
        if text.isascii():
            return text
        has, replaced = self._has, self._replaced
        bad = {code for code in map(ord, text) if code > 0xFFFF or not has(code)} - replaced.keys()
        for code in bad:
            replaced[code] = REPLACEMENT
        return text.translate(replaced) if replaced else text

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 (ReportLab's name)
        if not isinstance(text, str):
            text = text.decode(encoding or "utf-8")
        return super().splitString(self.printable(text), doc, encoding)

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 (ReportLab's name)
        w = self._widths.get(text)
        if w is None:
            if not isinstance(text, str):
                text = text.decode(encoding or "utf8")
            widths = self._widths
            if len(widths) >= self._CACHE_LIMIT:
                widths.clear()
            face = self.face
            w = widths[text] = 0.001 * sum(map(face.charWidths.get, map(ord, self.printable(text)),
                                               repeat(face.defaultWidth)))
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

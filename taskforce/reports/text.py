"""User text made safe for ReportLab: markup escaped, control characters dropped, widths measured.

ReportLab's ``Paragraph`` parses its text as a small XML dialect (``<img>``, ``<font>``,
``<a href>``, entities). A case title is user data, so every text a block receives goes
through :func:`escape` and prints as the characters that were typed, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

from reportlab.pdfbase.pdfmetrics import stringWidth

ELLIPSIS = "\u2026"

# C0/C1 controls except tab and newline, DEL, lone surrogates (they cannot be encoded) and the
# two non-characters U+FFFE/U+FFFF; none of them has a glyph and some break PDF strings.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Plain text without unprintable characters, in NFC; ``None`` becomes ``""``, CR LF becomes LF."""
    if text is None:
        return ""
    s = text if isinstance(text, str) else str(text)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _UNPRINTABLE.sub("", s)
    if not s.isascii():
        # ReportLab places no combining marks: "e" + U+0301 would print the accent beside the
        # letter. NFC turns it into the one precomposed glyph DejaVu Sans has.
        s = unicodedata.normalize("NFC", s)
    return s


def one_line(text: object) -> str:
    """:func:`clean`, with tabs and newlines folded into single spaces (banners, footers, cells)."""
    s = clean(text)
    if "\n" in s or "\t" in s:
        s = " ".join(s.split())
    return s


def escape(text: object) -> str:
    """Paragraph markup that prints ``text`` literally: ``&``, ``<``, ``>`` escaped, newlines as ``<br/>``."""
    s = clean(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\t" in s:
        s = s.replace("\t", " ")
    if "\n" in s:
        s = s.replace("\n", "<br/>")
    return s


def truncate_to_width(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` points in ``font`` at ``size``."""
    s = one_line(text)
    if stringWidth(s, font, size) <= width:
        return s
    room = width - stringWidth(ELLIPSIS, font, size)
    if room <= 0:
        return ""
    lo, hi = 0, len(s)  # longest prefix that fits: binary search keeps this O(log n) measurements
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(s[:mid], font, size) <= room:
            lo = mid
        else:
            hi = mid - 1
    return s[:lo].rstrip() + ELLIPSIS



def wrap_to_width(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``: at spaces, inside words that are too long.

    Table cells are laid out with this instead of a Paragraph each: plain text in one font
    needs no markup parser, and ReportLab draws a multi-line string cell as it is, with no
    chance of a character being read as markup. Paragraph breaks (newlines) are kept.
    """
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    for para in clean(text).split("\n"):
        line, used = "", 0.0
        for word in para.split():
            w = stringWidth(word, font, size)
            if w > width:  # a word longer than the column: cut it where it reaches the edge
                if line:
                    lines.append(line)
                pieces = _split_word(word, font, size, width)
                lines.extend(pieces[:-1])
                line = pieces[-1]
                used = stringWidth(line, font, size)
            elif not line:
                line, used = word, w
            elif used + space + w <= width:
                line += " " + word
                used += space + w
            else:
                lines.append(line)
                line, used = word, w
        lines.append(line)
    return lines


_BREAK_AFTER = "-/_.,;:)–—"


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Cut a word too long for the column: after its last hyphen, slash or other break
    character that still fits ("BEST-SEA-2019-" / "0001", "2024-11-" / "21"), else where it
    reaches the edge."""
    pieces, start, used, i = [], 0, 0.0, 0
    while i < len(word):
        w = stringWidth(word[i], font, size)
        if used + w > width and i > start:
            cut = max(word.rfind(ch, start, i) for ch in _BREAK_AFTER) + 1
            cut = cut if cut > start else i
            pieces.append(word[start:cut])
            start, i = cut, cut
            used = 0.0
            continue
        used += w
        i += 1
    pieces.append(word[start:])
    return pieces


# ReportLab re-wraps the rest of a paragraph at every page break, so one paragraph of N pages
# costs N²: an 800 KB synopsis took minutes. Text is laid out in pieces of about this many
# characters instead, which costs each page only its own piece.
CHUNK_CHARACTERS = 3000


def chunks(text: str, size: int = CHUNK_CHARACTERS) -> list[str]:
    """``text`` in pieces of at most about ``size`` characters that together print the same:
    cut at line breaks where it can, else after a sentence, else at a space, else anywhere."""
    pieces: list[str] = []
    current: list[str] = []
    length = 0
    for line in text.split("\n"):
        while len(line) > size:
            cut = _cut(line, size)
            if current:
                pieces.append("\n".join(current))
                current, length = [], 0
            pieces.append(line[:cut].rstrip(" "))
            line = line[cut:].lstrip(" ")
        if current and length + len(line) + 1 > size:
            pieces.append("\n".join(current))
            current, length = [], 0
        current.append(line)
        length += len(line) + 1
    if current:
        pieces.append("\n".join(current))
    return pieces


def _cut(line: str, size: int) -> int:
    """Where to cut a line longer than ``size``: after the last sentence in it, else the last space."""
    for mark in (". ", "; ", " "):
        at = line.rfind(mark, size // 2, size)
        if at >= 0:
            return at + len(mark)
    return size

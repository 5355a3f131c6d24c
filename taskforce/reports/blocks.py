"""The building blocks of every printed document: cover, headings, text, tables, charts, contents.

Every text argument is PLAIN user text; each block escapes it (``text.escape``) before
ReportLab's Paragraph parser sees it, so a title like ``<font size=90>`` prints as typed.
Styles are built once, at import; fonts are registered on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from taskforce.i18n import tr
from taskforce.reports.document import INK, MIN_FRAME_HEIGHT, MIN_FRAME_WIDTH, MUTED, NAVY, Heading, Toc
from taskforce.reports.fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts
from taskforce.reports.markings import Marking
from taskforce.reports.text import chunks, clean, escape, one_line, truncate_to_width, wrap_to_width

GRID = HexColor("#B4BCC8")
ZEBRA = HexColor("#F1F3F7")
LABEL_BG = HexColor("#E9EDF3")
ROW_BACKGROUNDS = {"warning": HexColor("#FFF1CC"), "danger": HexColor("#FBDAD7")}
BAR = HexColor("#3A5A8C")

CELL_SIZE = 8.5
CELL_LEADING = 1.2 * CELL_SIZE  # ReportLab splits a string cell across pages assuming exactly this
CELL_PAD = 4.0
SPLIT_IN_ROW = 3 * CELL_LEADING  # the least of a split row left on a page


def _style(name: str, **kw) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": 9.5, "leading": 13, "textColor": INK}
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body", spaceAfter=5),
    "small": _style("small", fontSize=8, leading=10.5, spaceAfter=3),
    "muted": _style("muted", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=4),
    "warning": _style("warning", fontSize=9, leading=12.5, textColor=HexColor("#6B4200"),
                      backColor=HexColor("#FFF4D6"), borderColor=HexColor("#D9A841"), borderWidth=0.6,
                      borderPadding=(4, 5, 4, 5), leftIndent=5, rightIndent=5, spaceBefore=6, spaceAfter=9),
}
H1 = _style("h1", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=NAVY, spaceBefore=12, spaceAfter=6)
H2 = _style("h2", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=NAVY, spaceBefore=9, spaceAfter=4)
TITLE = _style("title", fontName=FONT_BOLD, fontSize=24, leading=30, textColor=NAVY, spaceAfter=8)
SUBTITLE = _style("subtitle", fontSize=13, leading=17, textColor=MUTED, spaceAfter=22)
EMPTY = _style("empty", fontName=FONT_ITALIC, fontSize=9, leading=12, textColor=MUTED, spaceAfter=6)
COVER_BLOCK = _style("cover_block", fontName=FONT_BOLD, fontSize=9.5, leading=13)
CHART_TITLE = _style("chart_title", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=NAVY, spaceAfter=3)

_ALIGNMENTS = ("left", "center", "right")


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # fraction of the frame width; a table's fractions sum to 1
    align: str = "left"  # left | center | right


def cover(title: str, subtitle: str, fields: Sequence[tuple[str, str]], marking: Marking,
          notes: Sequence[str] = ()) -> list[Flowable]:
    """The first page: title, subtitle, label/value fields, the marking's cover block, notes; then a page break."""
    register_fonts()
    story: list[Flowable] = [Spacer(1, 28 * mm), Paragraph(escape(title), TITLE)]
    if one_line(subtitle):
        story.append(Paragraph(escape(subtitle), SUBTITLE))
    else:
        story.append(Spacer(1, 14))
    if fields:
        story.append(key_values(fields))
    if marking.cover_block:
        block = Table([[Paragraph(escape(line), COVER_BLOCK)] for line in marking.cover_block],
                      colWidths=["60%"], hAlign="LEFT", spaceBefore=18,
                      style=TableStyle([("BOX", (0, 0), (-1, -1), 1, NAVY),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                        ("TOPPADDING", (0, 0), (0, 0), 7),
                                        ("BOTTOMPADDING", (0, -1), (0, -1), 7),
                                        ("TOPPADDING", (0, 1), (-1, -1), 1),
                                        ("BOTTOMPADDING", (0, 0), (-1, -2), 1)]))
        story.append(block)
    if notes:
        story.append(Spacer(1, 16))
        story.extend(Paragraph(escape(note), STYLES["body"]) for note in notes)
    story.append(PageBreak())
    return story


def heading(text: str, level: int = 1, toc_key: str | None = None) -> Flowable:
    """A level-1 or level-2 heading; level 1 gets a PDF bookmark, ``toc_key`` a contents page number."""
    if level not in (1, 2):
        raise ValueError(tr("Heading level must be 1 or 2, not {level}.").format(level=level))
    register_fonts()
    return Heading(Paragraph(escape(text), H1 if level == 1 else H2), one_line(text), level, toc_key,
                   outline=level == 1)


def paragraph(text: str, style: str = "body") -> Flowable:
    """A paragraph in one of the styles body, small, muted or warning; newlines are kept."""
    try:
        chosen = STYLES[style]
    except KeyError:
        raise ValueError(tr("Unknown paragraph style '{style}'; choose body, small, muted or warning.")
                         .format(style=style)) from None
    register_fonts()
    pieces = chunks(clean(text))
    if len(pieces) == 1:
        return Paragraph(escape(pieces[0]), chosen)
    joined = ParagraphStyle(f"{chosen.name}-piece", parent=chosen, spaceBefore=0, spaceAfter=0)
    last = ParagraphStyle(f"{chosen.name}-last", parent=chosen, spaceBefore=0)
    first = ParagraphStyle(f"{chosen.name}-first", parent=chosen, spaceAfter=0)
    styles = [first] + [joined] * (len(pieces) - 2) + [last]
    return _Pieces([Paragraph(escape(p), s) for p, s in zip(pieces, styles)])


class _Pieces(Flowable):
    """A long paragraph as consecutive pieces (``text.chunks``): it never fits whole, so the
    frame splits it into its pieces, and each page lays out only the piece it holds."""

    def __init__(self, pieces: list[Paragraph]) -> None:
        super().__init__()
        self.pieces = pieces

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        return availWidth, availHeight + 1

    def split(self, availWidth, availHeight):  # noqa: N803
        return list(self.pieces)

    def draw(self) -> None:  # never drawn: always split first
        raise AssertionError("a _Pieces flowable is split before it is drawn")


def empty(text: str) -> Flowable:
    """The one line that stands for an empty section ("None recorded.")."""
    return _empty_line(text)


def _empty_line(text: str) -> Flowable:
    register_fonts()
    return Paragraph(escape(text), EMPTY)


def key_values(pairs: Sequence[tuple[str, str]]) -> Flowable:
    """Label/value pairs as a two-column table (labels in a grey column)."""
    if not pairs:
        return empty(tr("None recorded."))
    register_fonts()
    data = [[_cell(label, 0.28, bold=True), _cell(value, 0.72)] for label, value in pairs]
    return Table(data, colWidths=["28%", "72%"], style=_KV_STYLE, hAlign="LEFT", spaceAfter=8,
                 splitInRow=SPLIT_IN_ROW)


def table(columns: Sequence[Column], rows: Iterable[Sequence[str]], empty: str = "None recorded.",  # noqa: A002
          chunk: int = 200, row_styles: Callable[[int, Sequence[str]], str | None] | None = None) -> list[Flowable]:
    """Rows under a navy header, split into tables of ``chunk`` rows that each repeat the header.

    ``rows`` is iterated once (a generator is fine); values are plain text, ``None`` prints
    empty. ``row_styles(i, row)`` may mark a row "warning", "danger" or "muted".
    Separate tables keep a package of thousands of rows fast: ReportLab re-measures the
    rest of a table at each page break, so a long table costs the square of its length.
    """
    if not columns:
        raise ValueError(tr("A table needs at least one column."))
    total = sum(c.width for c in columns)
    if abs(total - 1) > 0.01:
        raise ValueError(tr("The column widths of a table add up to {total:.2f}; they must add up to 1.")
                         .format(total=total))
    for c in columns:
        if c.align not in _ALIGNMENTS:
            raise ValueError(tr("Unknown column alignment '{align}'; choose left, center or right.")
                             .format(align=c.align))
    register_fonts()
    chunk = max(1, chunk)
    widths = [f"{c.width * 100:.4f}%" for c in columns]
    header = [_cell(c.title, c.width, bold=True) for c in columns]
    base = _table_style(columns)
    out: list[Flowable] = []
    data: list[list] = [header]
    extra: list[tuple] = []
    n = len(columns)
    for i, row in enumerate(rows):
        values = list(row)
        if len(values) != n:
            raise ValueError(tr("Row {row} has {got} values for {n} columns.").format(row=i + 1, got=len(values), n=n))
        kind = row_styles(i, values) if row_styles else None
        r = len(data)
        if kind in ROW_BACKGROUNDS:
            extra.append(("BACKGROUND", (0, r), (-1, r), ROW_BACKGROUNDS[kind]))
        elif kind == "muted":
            extra.append(("TEXTCOLOR", (0, r), (-1, r), MUTED))
        data.append([_cell(v, c.width) for v, c in zip(values, columns)])
        if len(data) > chunk:
            out.append(_chunk_table(data, widths, base, extra))
            data, extra = [header], []
    if len(data) > 1:
        out.append(_chunk_table(data, widths, base, extra))
    if not out:
        return [_empty_line(empty)]
    out[-1].spaceAfter = 8
    return out


def bar_chart(title: str, data: Sequence[tuple[str, float]], value_label: str = "") -> Flowable:
    """A horizontal bar chart of ``(label, value)``; with no data, the title and "None recorded."."""
    register_fonts()
    items = [(one_line(label), float(value or 0)) for label, value in data]
    if not items:
        return KeepTogether([Paragraph(escape(title), CHART_TITLE), empty(tr("None recorded."))])
    top = max((v for _, v in items), default=0.0)
    return _BarChart(one_line(title), items, one_line(value_label), top)


def toc() -> Flowable:
    """The contents: one line per ``toc_entries`` item given to ``render_pdf`` (put a heading before it)."""
    return Toc(empty=tr("No entries."))


def page_break() -> Flowable:
    return PageBreak()


# --- tables --------------------------------------------------------------------------------------


def _cell(value: object, fraction: float, bold: bool = False) -> str:
    """A cell's text, broken into lines that fit its column (a plain string: never parsed as markup)."""
    text = clean(value)
    font = FONT_BOLD if bold else FONT
    # measured against the narrowest frame (A4), so what fits there fits on Letter too
    room = fraction * MIN_FRAME_WIDTH - 2 * CELL_PAD - 0.5
    if "\n" not in text and stringWidth(text, font, CELL_SIZE) <= room:
        return text
    return "\n".join(wrap_to_width(text, font, CELL_SIZE, room))


def _table_style(columns: Sequence[Column]) -> list[tuple]:
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_SIZE, CELL_LEADING),
        ("FONT", (0, 1), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, 0), white),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, ZEBRA]),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, c in enumerate(columns):
        if c.align != "left":
            cmds.append(("ALIGN", (i, 0), (i, -1), c.align.upper()))
    return cmds


def _chunk_table(data: list[list], widths: list[str], base: list[tuple], extra: list[tuple]) -> Table:
    # splitInRow: a cell taller than a page (a long note) continues on the next page instead of
    # failing the whole document; rows are still kept whole whenever they fit.
    return Table(data, colWidths=widths, repeatRows=1, style=base + extra if extra else base, hAlign="LEFT",
                 splitInRow=SPLIT_IN_ROW)


_KV_STYLE = TableStyle([
    ("FONT", (0, 0), (0, -1), FONT_BOLD, CELL_SIZE, CELL_LEADING),
    ("FONT", (1, 0), (1, -1), FONT, CELL_SIZE, CELL_LEADING),
    ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
    ("TEXTCOLOR", (1, 0), (1, -1), INK),
    ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
])


# --- charts --------------------------------------------------------------------------------------


class _BarChart(Flowable):
    """Horizontal bars, one row per item, drawn with reportlab.graphics at the frame's width.

    A chart taller than a page splits into a continued chart on the same scale; a shorter one
    moves to the next page whole.
    """

    ROW = 13.0
    HEAD = 20.0

    def __init__(self, title: str, items: list[tuple[str, float]], value_label: str, top: float):
        super().__init__()
        self.title, self.items, self.value_label, self.top = title, items, value_label, top
        self.spaceBefore, self.spaceAfter = 6, 10

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        self.height = self.HEAD + self.ROW * len(self.items) + 4
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        if self.height <= MIN_FRAME_HEIGHT:
            return []  # it fits on the next page whole: better than a few bars here and the rest there
        fits = int((availHeight - self.HEAD - 4) // self.ROW)
        if fits < 3 or fits >= len(self.items):
            return []
        rest_title = tr("{title} (continued)").format(title=self.title)
        return [_BarChart(self.title, self.items[:fits], self.value_label, self.top),
                _BarChart(rest_title, self.items[fits:], self.value_label, self.top)]

    def draw(self):
        w, h = self.width, self.height
        d = Drawing(w, h)
        d.add(String(0, h - 12, truncate_to_width(self.title, FONT_BOLD, 10, w * 0.7),
                     fontName=FONT_BOLD, fontSize=10, fillColor=NAVY))
        if self.value_label:
            d.add(String(w, h - 12, truncate_to_width(self.value_label, FONT, 8, w * 0.28),
                         fontName=FONT, fontSize=8, fillColor=MUTED, textAnchor="end"))
        label_w = w * 0.34
        values = [_number(v) for _, v in self.items]
        value_w = max(stringWidth(v, FONT, 8) for v in values) + 6
        bar_x = label_w + 6
        bar_room = max(10.0, w - bar_x - value_w)
        d.add(Line(bar_x, 2, bar_x, h - self.HEAD + 2, strokeColor=MUTED, strokeWidth=0.6))
        for i, ((label, value), shown) in enumerate(zip(self.items, values)):
            y = h - self.HEAD - (i + 1) * self.ROW + 3
            d.add(String(label_w, y + 1.5, truncate_to_width(label, FONT, 8, label_w - 2),
                         fontName=FONT, fontSize=8, fillColor=INK, textAnchor="end"))
            length = bar_room * max(0.0, value) / self.top if self.top > 0 else 0.0
            if length > 0:
                d.add(Rect(bar_x, y, length, self.ROW - 4, fillColor=BAR, strokeColor=None))
            d.add(String(bar_x + length + 3, y + 1.5, shown, fontName=FONT, fontSize=8, fillColor=INK))
        renderPDF.draw(d, self.canv, 0, 0)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"

"""The page engine: markings, footers, "Page X of Y" and a table of contents in ONE ReportLab pass.

ReportLab's own answer to "Page X of Y" and tables of contents is ``multiBuild``: lay the whole
document out again until the page numbers stop moving. A 200-case package takes seconds per
pass, so we lay out once and defer the page output instead (the classic "NumberedCanvas"):

* :class:`_PagedCanvas.showPage` keeps each finished page's state (``dict(self.__dict__)``:
  its content stream, fonts and resources in use) instead of writing it.
* :class:`Heading` records on which page it was drawn, and where (for a bookmark).
* :class:`Toc` reserves one fixed-height line per entry, known before the build, so the
  layout never depends on the numbers it is waiting for; it records where each number goes.
* ``save()`` replays the pages in order. Now the total is known, and every heading's page, so
  each page gets its markings, its footer and, on contents pages, the page numbers and links.

Text drawn here is plain (``drawString``), never Paragraph markup: nothing needs escaping,
only unprintable characters removed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from taskforce.i18n import tr
from taskforce.reports.fonts import FONT, FONT_BOLD, FONT_ITALIC, register_fonts
from taskforce.reports.markings import Marking
from taskforce.reports.text import one_line, truncate_to_width
from taskforce.store.files import fsync_folder

PAGE_SIZES = {"letter": LETTER, "a4": A4}
MARGIN = 18 * mm
TOP_MARGIN = 20 * mm  # the banner sits above the frame
BOTTOM_MARGIN = 27 * mm  # footer (two lines) and banner sit below the frame
# the narrowest frame any document gets (A4); blocks measure cells against it
MIN_FRAME_WIDTH = A4[0] - 2 * MARGIN
MIN_FRAME_HEIGHT = LETTER[1] - TOP_MARGIN - BOTTOM_MARGIN

NAVY = HexColor("#1B2A4A")
INK = HexColor("#1A1A1A")
MUTED = HexColor("#5F6673")
RULE = HexColor("#9AA3B2")

BANNER_SIZE = 9
TOC_LINE = 15.0  # points per contents entry
TOC_SIZE = 9.5
TOC_SLOT = 34.0  # width kept free at the right of a contents line for its page number


@dataclass(frozen=True)
class DocumentInfo:
    title: str  # footer of every page + PDF title
    kind: str  # "case-briefing" | "package" | "roster" | "feedback" | "debriefs" | "action-items"
    marking: Marking
    printed_by: str
    printed_at: datetime  # timezone-aware (a naive time is taken as this computer's local time)
    page_size: str = "letter"  # "letter" | "a4"


def render_pdf(info: DocumentInfo, story: list[Flowable], toc_entries: Sequence[tuple[str, str]] = ()) -> bytes:
    """Lay ``story`` out in a single pass and return the PDF bytes.

    ``toc_entries`` are the ``(key, text)`` lines of the contents (``blocks.toc()`` in the story);
    a :class:`Heading` with the same ``toc_key`` supplies each line's page number.
    """
    if info.page_size not in PAGE_SIZES:
        raise ValueError(tr("Unknown page size '{size}'; choose letter or a4.").format(size=info.page_size))
    register_fonts()
    pagesize = PAGE_SIZES[info.page_size]
    entries = tuple((str(key), one_line(text)) for key, text in toc_entries)
    flowables = [f.with_entries(entries) if isinstance(f, Toc) else f for f in story]
    if not flowables:
        flowables = [Spacer(1, 0)]  # an empty story still makes one (marked) page, never a page-less file
    out = BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN, title=one_line(info.title), author=one_line(info.printed_by),
        subject=info.kind, creator="Taskforce", producer="Taskforce", invariant=0,
        initialFontName=FONT,  # else every page names Helvetica, unembedded, in its resources
    )
    frame = Frame(MARGIN, BOTTOM_MARGIN, pagesize[0] - 2 * MARGIN, pagesize[1] - TOP_MARGIN - BOTTOM_MARGIN,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    decor = _Decor(title=one_line(info.title), banner=one_line(info.marking.banner),
                   printed=printed_line(info.printed_at, info.printed_by))
    doc.build(flowables, canvasmaker=functools.partial(_PagedCanvas, decor=decor))
    return out.getvalue()


def printed_line(printed_at: datetime, printed_by: str) -> str:
    """``Printed 2026-11-23 14:05 PST by m.quill`` (the zone's abbreviation, else its UTC offset)."""
    local = printed_at if printed_at.utcoffset() is not None else printed_at.astimezone()
    zone = local.tzname() or local.strftime("%z")
    return tr("Printed {when} by {who}").format(when=f"{local:%Y-%m-%d %H:%M} {zone}".rstrip(),
                                                   who=one_line(printed_by) or tr("(unknown)"))


def write_atomically(data: bytes, path: Path) -> str:
    """Write ``data`` to ``path`` whole or not at all; return its SHA-256 (hex).

    A temporary file in the same folder is written and flushed to disk, then renamed over
    ``path``: a reader, a crash or a full disk never sees half a PDF. On any error the
    temporary file is removed, ``path`` is untouched and the error is raised. The file is
    created readable by its owner only (``mkstemp``), as suits a sensitive document.
    """
    path = Path(path)
    digest = hashlib.sha256(data).hexdigest()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_folder(path.parent)
    return digest


# --- flowables that talk to the canvas ---------------------------------------------------------


class Heading(Flowable):
    """A heading paragraph that records its page (for the contents) and its place (for a bookmark).

    It asks for room for a few lines below it: a heading alone at the foot of a page moves on
    to the next page, with what it heads. A level-1 heading asks for room for a level-2 heading
    and its first lines too (a roster's agency over its "Designations" table).
    """

    ROOM_BELOW = {1: 96.0, 2: 54.0}

    def __init__(self, para: Paragraph, text: str, level: int, toc_key: str | None, outline: bool):
        super().__init__()
        self._para = para
        self.text = text
        self.level = level
        self.toc_key = toc_key
        self.outline = outline
        self.spaceBefore = para.style.spaceBefore
        self.spaceAfter = para.style.spaceAfter

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        w, h = self._para.wrap(availWidth, availHeight)
        self.width, self.height = w, h
        if h + self.ROOM_BELOW[self.level] > availHeight and h < 200:
            return w, availHeight + 1  # not here: the frame moves it to the next page
        return w, h

    def split(self, availWidth, availHeight):  # noqa: N803
        return []

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)
        registry = getattr(self.canv, "_tf_registry", None)
        if registry is not None:
            _, top = self.canv.absolutePosition(0, self.height)
            registry.heading_drawn(self, self.canv.getPageNumber(), top)


class Toc(Flowable):
    """The table of contents: one line per entry given to :func:`render_pdf`, numbers filled in at save."""

    def __init__(self, entries: Sequence[tuple[str, str]] = (), empty: str = ""):
        super().__init__()
        self.entries = tuple(entries)
        self.empty = empty

    def with_entries(self, entries: Sequence[tuple[str, str]]) -> Toc:
        return Toc(entries, self.empty)

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        self.height = TOC_LINE * max(1, len(self.entries))
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        fits = int((availHeight + 1e-6) // TOC_LINE)
        if fits <= 0 or not self.entries:
            return []
        if fits >= len(self.entries):
            return [self]
        return [Toc(self.entries[:fits], self.empty), Toc(self.entries[fits:], self.empty)]

    def draw(self):
        canv = self.canv
        canv.setFillColor(INK)
        if not self.entries:
            canv.setFont(FONT_ITALIC, TOC_SIZE)
            canv.setFillColor(MUTED)
            canv.drawString(0, 4, self.empty or tr("No entries."))
            return
        registry = getattr(canv, "_tf_registry", None)
        page = canv.getPageNumber()
        text_room = self.width - TOC_SLOT - 8
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.8)
        canv.setLineCap(1)
        canv.setDash(0.1, 3)
        for i, (key, text) in enumerate(self.entries):
            base = self.height - (i + 1) * TOC_LINE + 4
            shown = truncate_to_width(text, FONT, TOC_SIZE, text_room)
            canv.setFont(FONT, TOC_SIZE)
            canv.drawString(0, base, shown)
            end = stringWidth(shown, FONT, TOC_SIZE) + 4
            if end < self.width - TOC_SLOT:
                canv.line(end, base, self.width - TOC_SLOT + 4, base)  # dot leader
            if registry is not None:
                x0, y0 = canv.absolutePosition(0, base - 4)
                x1, y1 = canv.absolutePosition(self.width, base - 4 + TOC_LINE)
                registry.toc_slots[page].append(_Slot(key, x1, base_y=y0 + 4, rect=(x0, y0, x1, y1)))
        canv.setDash()


# --- the deferred canvas ------------------------------------------------------------------------


@dataclass
class _Slot:
    key: str
    right: float
    base_y: float
    rect: tuple[float, float, float, float]


@dataclass
class _Mark:
    dest: str
    text: str
    level: int
    top: float
    outline: bool


@dataclass
class _Registry:
    """What the layout pass learnt, for the replay: shared by reference across page states."""

    heading_pages: dict[str, tuple[int, str]] = field(default_factory=dict)  # toc key -> (page, dest)
    marks: dict[int, list[_Mark]] = field(default_factory=lambda: defaultdict(list))
    toc_slots: dict[int, list[_Slot]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0
    links: int = 0

    def heading_drawn(self, heading: Heading, page: int, top: float) -> None:
        if not (heading.outline or heading.toc_key):
            return
        self.count += 1
        dest = f"tf-h{self.count}"
        self.marks[page].append(_Mark(dest, heading.text, heading.level, top, heading.outline))
        if heading.toc_key is not None:
            self.heading_pages.setdefault(heading.toc_key, (page, dest))


@dataclass(frozen=True)
class _Decor:
    title: str
    banner: str
    printed: str


class _Info(PDFInfo):
    """The document information dictionary with only what we mean to publish (no Keywords)."""

    def format(self, document):
        d = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "Subject": PDFString(self.subject),
            "Creator": PDFString(self.creator),
            "Producer": PDFString(self.producer),
        }
        d["CreationDate"] = d["ModDate"] = PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        return PDFDictionary(d).format(document)


class _PagedCanvas(Canvas):
    def __init__(self, *args, decor: _Decor, **kwargs):
        super().__init__(*args, **kwargs)
        self._doc.info = _Info()
        self._tf_decor = decor
        self._tf_registry = _Registry()
        self._tf_pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._tf_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        if len(self._code):
            self._tf_pages.append(dict(self.__dict__))
        pages = self._tf_pages
        self._tf_pages = []
        total = len(pages)
        for state in pages:
            self.__dict__.update(state)
            self._tf_finish_page(total)
            Canvas.showPage(self)
        # ASCII85 makes every compressed stream a quarter bigger and costs a second per
        # thousand pages in pure Python; no reader needs it. The flag is only read while the
        # file is written, so it is switched off for just that.
        a85 = rl_config.useA85
        rl_config.useA85 = 0
        try:
            Canvas.save(self)
        finally:
            rl_config.useA85 = a85

    def _tf_finish_page(self, total: int) -> None:
        page = self._pageNumber
        registry = self._tf_registry
        self.saveState()
        self._tf_draw_decor(page, total)
        for mark in registry.marks.get(page, ()):
            self.bookmarkPage(mark.dest, fit="XYZ", left=0, top=mark.top + 6)
            if mark.outline:
                self.addOutlineEntry(mark.text, mark.dest, level=0)
        slots = registry.toc_slots.get(page, ())
        if slots:
            self.setFont(FONT, TOC_SIZE)
            self.setFillColor(INK)
            for slot in slots:
                target = registry.heading_pages.get(slot.key)
                self.drawRightString(slot.right, slot.base_y, str(target[0]) if target else "\u2014")
                if target:
                    # named by us: the canvas's own annotation counter is part of the page
                    # state, so it restarts with every replayed page and names would collide
                    registry.links += 1
                    self.linkAbsolute("", target[1], Rect=slot.rect, thickness=0, name=f"tf-link{registry.links}")
        self.restoreState()

    def _tf_draw_decor(self, page: int, total: int) -> None:
        decor = self._tf_decor
        width, height = self._pagesize
        inner = width - 2 * MARGIN
        # the marking, top and bottom: shrunk (never cut) when a custom text is long
        size = BANNER_SIZE
        banner_width = stringWidth(decor.banner, FONT_BOLD, size) + 0.6 * len(decor.banner)
        if banner_width > inner:
            size = max(5.0, size * inner / banner_width)
        self.setFillColor(INK)
        self.setFont(FONT_BOLD, size)
        spacing = 0.6 * size / BANNER_SIZE  # letter-spaced capitals read as a marking, not a heading
        w = stringWidth(decor.banner, FONT_BOLD, size) + spacing * max(0, len(decor.banner) - 1)
        for y in (height - 11 * mm, 8 * mm):
            text = self.beginText()
            text.setFont(FONT_BOLD, size)
            text.setCharSpace(spacing)
            text.setTextOrigin((width - w) / 2, y)
            text.textOut(decor.banner)
            text.setCharSpace(0)  # Tc outlives the text object: the footer must not inherit it
            self.drawText(text)
        # footer: a rule, the title and "Page X of Y", then who printed it and when
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 22 * mm, width - MARGIN, 22 * mm)
        pages = tr("Page {page} of {pages}").format(page=page, pages=total)
        self.setFont(FONT_BOLD, 8)
        pages_width = stringWidth(pages, FONT_BOLD, 8)
        self.drawRightString(width - MARGIN, 18 * mm, pages)
        self.setFont(FONT, 8)
        self.drawString(MARGIN, 18 * mm, truncate_to_width(decor.title, FONT, 8, inner - pages_width - 12))
        self.setFillColor(MUTED)
        self.setFont(FONT, 7)
        self.drawString(MARGIN, 14 * mm, truncate_to_width(decor.printed, FONT, 7, inner))

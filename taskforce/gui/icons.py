"""Every icon through one registry that fails loudly on a name it does not know.

For now the icons are Qt's own standard pixmaps (always present, themed per platform); a
bundled open-licensed SVG set can replace entries here without touching any caller.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

_SP = QStyle.StandardPixmap
_REGISTRY = {
    "attention": _SP.SP_MessageBoxWarning,
    "cases": _SP.SP_DirIcon,
    "subjects": _SP.SP_FileDialogContentsView,
    "members": _SP.SP_FileDialogDetailedView,
    "agencies": _SP.SP_DriveNetIcon,
    "task_forces": _SP.SP_DirLinkIcon,
    "agreements": _SP.SP_FileIcon,
    "support": _SP.SP_ArrowRight,
    "debriefs": _SP.SP_MessageBoxInformation,
    "referrals": _SP.SP_ArrowForward,
    "assistance": _SP.SP_MessageBoxQuestion,
    "designations": _SP.SP_DialogApplyButton,
    "action_items": _SP.SP_DialogYesButton,
    "meetings": _SP.SP_FileDialogListView,
    "details": _SP.SP_ComputerIcon,
    "new": _SP.SP_FileDialogNewFolder,
    "edit": _SP.SP_FileDialogDetailedView,
    "delete": _SP.SP_TrashIcon,
    "open": _SP.SP_DialogOpenButton,
    "search": _SP.SP_FileDialogContentsView,
    "import": _SP.SP_ArrowDown,
    "refresh": _SP.SP_BrowserReload,
    "history": _SP.SP_FileDialogInfoView,
    "help": _SP.SP_DialogHelpButton,
}




def _calendar() -> QIcon:
    """A small calendar page (Qt has no standard one), drawn in the palette's text colour so it
    follows light and dark themes, at 1x and 2x so it stays crisp at 200 % scaling."""
    result = QIcon()
    colour = QApplication.palette().text().color()
    for size in (16, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit = size / 16
        painter.setPen(QPen(colour, 1.2 * unit))
        page = QRectF(2 * unit, 3 * unit, 12 * unit, 11 * unit)
        painter.drawRoundedRect(page, 1.5 * unit, 1.5 * unit)
        painter.fillRect(QRectF(2 * unit, 3 * unit, 12 * unit, 3 * unit), colour)  # the month band
        for x in (5, 11):  # the rings
            painter.drawLine(QLineF(x * unit, 1.5 * unit, x * unit, 4 * unit))
        for row in (8.5, 11.5):  # the days
            for col in (4.5, 7.5, 10.5):
                painter.fillRect(QRectF(col * unit, row * unit, 1.6 * unit, 1.6 * unit), colour)
        painter.end()
        result.addPixmap(pixmap)
    return result


_DRAWN = {"calendar": _calendar}


@cache
def icon(name: str) -> QIcon:
    if name in _DRAWN:
        return _DRAWN[name]()
    if name not in _REGISTRY:
        raise KeyError(f"No icon named {name!r}; add it to taskforce/gui/icons.py")
    return QApplication.style().standardIcon(_REGISTRY[name])

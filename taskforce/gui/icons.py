"""Every icon through one registry that fails loudly on a name it does not know.

For now the icons are Qt's own standard pixmaps (always present, themed per platform); a
bundled open-licensed SVG set can replace entries here without touching any caller.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon
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


@cache
def icon(name: str) -> QIcon:
    if name not in _REGISTRY:
        raise KeyError(f"No icon named {name!r}; add it to taskforce/gui/icons.py")
    return QApplication.style().standardIcon(_REGISTRY[name])

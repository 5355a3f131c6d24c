"""What the record window and the main window need to know about a kind of record."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from taskforce.gui.form_dialog import FormDialog
from taskforce.gui.worker import Worker
from taskforce.services import lookup
from taskforce.services.context import Change, Context


class Shell(Protocol):
    """The main window, as records see it."""

    ctx: Context
    worker: Worker

    def open_record(self, entity: str, record_id: int) -> None: ...
    def changed(self, change: Change) -> None: ...


@dataclass
class ChildTab:
    title: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (id, cells)
    add: Callable[[], None] | None = None
    edit: Callable[[int], None] | None = None
    remove: Callable[[int], None] | None = None
    open: Callable[[int], None] | None = None
    empty: str = "Nothing yet."
    flags: dict[int, str] = field(default_factory=dict)  # row id → "overdue" | "warning"
    # e.g. "Record feedback…", "Confirm…"; the buttons keep their names "<title>_add", "_edit" …
    add_label: str = "Add…"
    edit_label: str = "Edit…"
    remove_label: str = "Remove"
    # buttons of the tab's own ("Record briefing…", "Accept…"): (label, action taking no row)
    actions: tuple[tuple[str, Callable[[], None]], ...] = ()


@dataclass(frozen=True)
class WindowAction:
    """An action in a record window's toolbar ("Print briefing…"), run with the loaded record."""
    label: str
    run: Callable[[Any], None]  # called with the record's detail, once it has loaded
    shortcut: str = ""          # "Ctrl+P"


class RecordKind:
    entity = ""  # the audit entity (table name)
    noun = ""
    list_name = ""
    # Other areas' tabs on this kind's window (the case window's Timeline, Debriefs …): modules
    # with ``<tab_prefix>_tab_data(ctx, id)`` (worker thread) and ``<tab_prefix>_tab(shell,
    # parent, id, data)`` (GUI thread). Set by the registry, which knows every area.
    tab_modules: tuple = ()
    tab_prefix = ""

    def load_extras(self, ctx: Context, record_id: int) -> dict[str, Any]:
        return {m.__name__: getattr(m, f"{self.tab_prefix}_tab_data")(ctx, record_id) for m in self.tab_modules}

    def extra_tabs(self, shell: Shell, parent: QWidget, record_id: int, extras: dict[str, Any]) -> list[ChildTab]:
        tabs: list[ChildTab] = []
        for m in self.tab_modules:
            made = getattr(m, f"{self.tab_prefix}_tab")(shell, parent, record_id, extras[m.__name__])
            tabs.extend(made if isinstance(made, list) else [made])
        return tabs

    def load(self, ctx: Context, record_id: int) -> Any:
        raise NotImplementedError

    def title(self, detail: Any) -> str:
        raise NotImplementedError

    def overview(self, detail: Any) -> str:
        raise NotImplementedError

    def tabs(self, shell: Shell, parent: QWidget, detail: Any) -> list[ChildTab]:
        return []

    def window_actions(self, shell: Shell, parent: QWidget) -> list[WindowAction]:
        """Toolbar actions of this kind's window besides Edit, Delete and Refresh."""
        return []

    def editor(self, shell: Shell, parent: QWidget, detail: Any | None) -> FormDialog:
        raise NotImplementedError

    def delete(self, ctx: Context, record_id: int) -> Change:
        raise NotImplementedError


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


CAVEAT_STYLE = ("background:#fde7c8;color:#5c3b00;border-radius:3px;padding:1px 4px;"
                "font-size:small")


def caveat_labels(names: tuple[str, ...]) -> str:
    """A record's handling caveats as small amber labels (UX.md: caveats in the header)."""
    if not names:
        return ""
    return "<p>" + " ".join(f"<span style='{CAVEAT_STYLE}'>&nbsp;{esc(c)}&nbsp;</span>" for c in names) + "</p>"


def facts(pairs: list[tuple[str, object]]) -> str:
    """Key facts as a two-column HTML table, empty values left out."""
    rows = "".join(f"<tr><td style='color:palette(mid);padding-right:12px'>{esc(k)}</td>"
                   f"<td>{v if str(v).startswith('<') else esc(v)}</td></tr>"
                   for k, v in pairs if v not in (None, "", ()))
    return f"<table cellspacing='2'>{rows}</table>"


def agency_picker(ctx: Context):  # noqa: ANN201
    from taskforce.gui.fields import PickerField

    return lambda: PickerField(lambda t: lookup.agencies(ctx, t), lambda i: lookup.agency_name(ctx, i))


def run_change(shell: Shell, parent: QWidget, fn: Callable[[], Change], confirm: str | None = None) -> None:
    """Run a small change on the worker (asking first if ``confirm``), report errors in a dialog."""
    from PySide6.QtWidgets import QMessageBox

    from taskforce.gui.messages import error_text, tell

    if confirm and QMessageBox.question(parent, parent.tr("Please confirm"), confirm) != QMessageBox.StandardButton.Yes:
        return

    def failed(exc: BaseException) -> None:
        tell(parent, parent.tr("Not changed"), error_text(exc), warning=True)

    shell.worker.submit(fn, shell.changed, failed)


def edit_with(shell: Shell, dialog: FormDialog) -> FormDialog:
    """Show the form window-modally (never a nested event loop); report its change when saved."""
    dialog.accepted.connect(lambda: dialog.change and shell.changed(dialog.change))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

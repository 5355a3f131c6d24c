"""Producing a printed document: gather (screened for the recipient), render, write, log.

Every report kind is a `ReportKind` in `KINDS`: it gathers its rows on one read connection,
asking the `Screen` about each releasable item, and builds ReportLab flowables from what it
gathered. `publish` then renders the PDF, logs the release (document, items included and
withheld, recipient, who, when, the file's SHA-256) as pending, moves the file into place and
marks the entry done (`release.release_file`): a file is never in place without its entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from taskforce.domain.errors import NotFound, TaskforceError
from taskforce.i18n import tr
from taskforce.reports.document import DocumentInfo, render_pdf
from taskforce.reports.markings import CuiDesignator, Marking, marking_for
from taskforce.services import release
from taskforce.services.context import Context
from taskforce.services.release import Produced, Screen
from taskforce.services.tx import read
from taskforce.store import files

#: progress callback: (done, total, what) — total 0 while unknown
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReportRequest:
    kind: str                       # a key of KINDS
    case_number: str = ""           # case briefing
    task_force: str = ""            # package (required); roster, feedback, debriefs, action items (optional)
    recipient: str = ""             # "Prepare for…": the agency as the user names it; "" = our own copy
    recipient_id: int | None = None  # … or as the GUI's picker knows it (wins over `recipient`)
    for_partner: bool = False       # a partner copy was asked for: a recipient must be named
    marking: Marking | None = None  # None: from the settings
    period: tuple[date, date] | None = None  # debrief participation
    include_closed: bool = False    # package: closed cases too
    page_size: str = ""             # "" : from the settings


@dataclass
class Gathered:
    """What a report kind hands back from `gather`: its data and its title."""
    title: str
    data: Any
    record_ids: tuple[tuple[str, int], ...] = ()
    notes: list[str] = field(default_factory=list)


class ReportKind(Protocol):
    key: str     # "case-briefing" …
    label: str   # "Case briefing"

    def gather(self, ctx: Context, conn: Any, screen: Screen, request: ReportRequest,
               progress: Progress | None) -> Gathered: ...

    def build(self, gathered: Gathered, info: DocumentInfo, cover_notes: list[str]) -> tuple[list, list]:
        """(story, toc_entries). ``cover_notes`` go on the cover (recipient, what was withheld)."""
        ...


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    KINDS[kind.key] = kind
    return kind


_KIND_MODULES = ("case_briefing", "package", "roster_report", "feedback_report", "debriefs_report",
                 "action_items_report")


def _load_kinds() -> None:
    # the kinds register themselves on import; imported on first use, not at module top, to
    # keep `import taskforce.reports.publish` cheap for the GUI's start-up
    import importlib

    for name in _KIND_MODULES:
        module = f"taskforce.reports.{name}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:  # a kind not shipped in this build; the tests list all six
            if err.name != module:
                raise


@dataclass(frozen=True)
class Preview:
    """What a document for a recipient would hold, shown before the file is written."""
    title: str
    recipient: str
    included: int
    withheld: int
    withheld_summary: str


@dataclass(frozen=True)
class Published:
    path: Path
    sha256: str
    release_id: int
    title: str
    recipient: str
    included: int
    withheld: int
    withheld_summary: str
    size: int


@dataclass(frozen=True)
class Settings:
    marking: Marking
    page_size: str


def _kind(request: ReportRequest) -> ReportKind:
    _load_kinds()
    try:
        return KINDS[request.kind]
    except KeyError:
        raise NotFound(tr(f"Unknown report '{request.kind}'; choose {', '.join(sorted(KINDS))}.")) from None


def _recipient_id(ctx: Context, request: ReportRequest) -> int | None:
    if request.recipient_id is not None:
        return request.recipient_id  # screen_for refuses an agency that no longer exists
    if request.recipient.strip():
        return release.find_agency(ctx, request.recipient)[0]
    if request.for_partner or request.recipient:
        # S12: a partner copy always names its partner. A blank name (an unset variable in a
        # script: --for "$AGENCY") must not fall back to our own, unscreened copy.
        raise TaskforceError(tr("The recipient is empty: name the partner agency the document is for "
                                "(leave out --for for your own copy); nothing was written."))
    return None


def _gather(ctx: Context, request: ReportRequest, progress: Progress | None) -> tuple[ReportKind, Gathered, Screen]:
    kind = _kind(request)
    recipient_id = _recipient_id(ctx, request)
    with read(ctx) as conn:
        screen = release.screen_for(conn, recipient_id)
        gathered = kind.gather(ctx, conn, screen, request, progress)
    return kind, gathered, screen


def preview(ctx: Context, request: ReportRequest) -> Preview:
    """Gather without writing: how many items go in and what is withheld, by reason."""
    _kind_, gathered, screen = _gather(ctx, request, None)
    return Preview(gathered.title, screen.recipient_name, screen.included_count, screen.withheld_count,
                   screen.summary())


def cover_notes(screen: Screen) -> list[str]:
    if screen.recipient_id is None:
        return []
    withheld = screen.summary()
    return [tr(f"Prepared for {screen.recipient_name} under the Third Party Rule."),
            tr(f"Withheld: {withheld}.") if withheld else tr("Nothing was withheld.")]


def render(ctx: Context, request: ReportRequest, settings: Settings, printed_by: str,
           progress: Progress | None = None) -> tuple[bytes, Gathered, Screen, DocumentInfo]:
    kind, gathered, screen = _gather(ctx, request, progress)
    info = DocumentInfo(title=gathered.title, kind=kind.key, marking=request.marking or settings.marking,
                        printed_by=printed_by, printed_at=datetime.now().astimezone(),
                        page_size=request.page_size or settings.page_size)
    if progress:
        progress(0, 0, tr("Laying out pages…"))
    story, toc = kind.build(gathered, info, cover_notes(screen))
    return render_pdf(info, story, toc), gathered, screen, info


def publish(ctx: Context, request: ReportRequest, path: Path, settings: Settings | None = None,
            progress: Progress | None = None) -> Published:
    """Render the document, log its release, write the file (``log_and_write``)."""
    settings = settings or settings_from_user()
    path = Path(path)
    files.refuse_database_as_output(path, ctx.db.path)
    try:
        if path.is_dir():
            raise TaskforceError(tr(f"{path} is a folder; give a file name ending in .pdf."))
        if not path.parent.is_dir():
            raise TaskforceError(tr(f"The folder {path.parent} does not exist."))
    except OSError as err:  # a name too long for the file system, a folder we may not look into
        raise TaskforceError(tr(f"{path} cannot be written ({err.strerror or err}).")) from err
    data, gathered, screen, info = render(ctx, request, settings, ctx.actor.app_user, progress)
    sha = hashlib.sha256(data).hexdigest()
    release_id = log_and_write(ctx, data, path, Produced(info.kind, gathered.title, info.marking.banner,
                                                         str(path.resolve()), sha), screen)
    return Published(path, sha, release_id, gathered.title, screen.recipient_name, screen.included_count,
                     screen.withheld_count, screen.summary(), len(data))


def log_and_write(ctx: Context, data: bytes | memoryview, path: Path, produced: Produced, screen: Screen,
                  *, log_items: Callable[[Any, int], None] | None = None, verb: str = "printed") -> int:
    """Log a document's release (pending), write its file, mark it done; the release id.

    The entry is committed before the file is written (``release.release_file``), so no
    document is ever in place without its log entry; a file that cannot be written leaves
    its entry marked failed. ``log_items(conn, release_id)`` adds item rows a Screen did not
    decide (an export's rows).
    """
    path = Path(path)
    files.refuse_database_as_output(path, ctx.db.path)  # checked again right before writing
    try:
        return release.release_file(ctx, produced, screen, lambda: files.write_whole(data, path),
                                    log_items=log_items)
    except OSError as err:  # the entry is marked failed: no file was left
        raise TaskforceError(tr(f"{path} cannot be written ({err.strerror or err}); "
                                f"nothing was {verb}.")) from err


def settings_from_user() -> Settings:
    """The marking profile and page size chosen in the settings."""
    from taskforce.settings import load_settings

    return settings_with_profile(load_settings().marking_profile)


def settings_with_profile(profile: str) -> Settings:
    """The settings, with the marking of `profile` (its custom text and CUI block from them)."""
    from taskforce.settings import load_settings

    s = load_settings()
    designator = CuiDesignator(s.cui_controlled_by, s.cui_category, s.cui_dissemination, s.cui_poc)
    try:
        marking = marking_for(profile, s.marking, designator)
    except ValueError:  # a hand-edited settings file: fall back to the default marking
        marking = marking_for("les")
    return Settings(marking, s.page_size if s.page_size in ("letter", "a4") else "letter")


def with_marking(request: ReportRequest, profile: str, text: str = "") -> ReportRequest:
    return replace(request, marking=marking_for(profile, text))

"""Dissemination markings: the banner printed at the top and bottom of every page.

Three profiles (issue 5, section 2): the task force's usual ``UNCLASSIFIED//LAW ENFORCEMENT
SENSITIVE``; ``CUI``, which also puts the CUI designator block (controlled by, category,
limited dissemination control, point of contact) on the cover; and a custom text for partner
agencies whose handling caveat is something else.
"""

from __future__ import annotations

from dataclasses import dataclass

from taskforce.i18n import tr
from taskforce.reports.text import clean, one_line

DEFAULT_BANNER = "UNCLASSIFIED//LAW ENFORCEMENT SENSITIVE"
CUI_BANNER = "CUI"
PROFILES = ("les", "cui", "custom")
MAX_CUSTOM_LENGTH = 120


@dataclass(frozen=True)
class CuiDesignator:
    controlled_by: str
    category: str = ""
    dissemination: str = ""
    poc: str = ""


@dataclass(frozen=True)
class Marking:
    banner: str  # printed top and bottom of every page
    cover_block: tuple[str, ...] = ()  # lines printed in a box on the cover (CUI designator block)


def marking_for(profile: str, custom_text: str = "", designator: CuiDesignator | None = None) -> Marking:
    """The marking of a profile; ``ValueError`` with a sentence for the user when it cannot be made."""
    if profile == "les":
        return Marking(DEFAULT_BANNER)
    if profile == "cui":
        return Marking(CUI_BANNER, _designator_block(designator))
    if profile == "custom":
        return Marking(_custom_banner(custom_text))
    raise ValueError(tr("Unknown marking profile '{profile}'; choose les, cui or custom.").format(profile=profile))


def _custom_banner(text: str) -> str:
    raw = clean(text)
    if "\n" in raw:
        raise ValueError(tr("The custom marking must be a single line."))
    banner = " ".join(raw.split())
    if not banner:
        raise ValueError(tr("The custom marking is empty; type the text to print at the top and bottom of each page."))
    if len(banner) > MAX_CUSTOM_LENGTH:
        raise ValueError(tr("The custom marking has {n} characters; at most {max} fit on a page.")
                         .format(n=len(banner), max=MAX_CUSTOM_LENGTH))
    return banner


def _designator_block(designator: CuiDesignator | None) -> tuple[str, ...]:
    # The CUI designation indicator on the first page (32 CFR 2002.20 and the CUI marking
    # handbook): controlling agency, category, limited dissemination control, point of
    # contact. Parts the caller left empty are left out rather than printed blank.
    if designator is None:
        return ()
    parts = (
        (tr("Controlled by"), designator.controlled_by),
        (tr("CUI Category"), designator.category),
        (tr("Dissemination"), designator.dissemination),
        (tr("POC"), designator.poc),
    )
    return tuple(f"{label}: {one_line(value).strip()}" for label, value in parts if one_line(value).strip())

"""One translation function for every user-visible string, Qt-free.

The GUI installs Qt translators for its own widgets; messages raised by the core pass through
``tr`` so a French catalogue (Canada is a partner) is a file, not a rewrite.
"""

from __future__ import annotations

import gettext
from pathlib import Path

_LOCALE_DIR = Path(__file__).parent / "resources" / "translations"
_catalogue: gettext.NullTranslations = gettext.translation(
    "taskforce", localedir=_LOCALE_DIR, fallback=True
)


def tr(text: str) -> str:
    """Translate a user-visible message (identity until a catalogue is installed)."""
    return _catalogue.gettext(text)


def ntr(singular: str, plural: str, n: int) -> str:
    """The plural form for ``n`` ('{n} day' / '{n} days'); format the result with ``n=``."""
    return _catalogue.ngettext(singular, plural, n)

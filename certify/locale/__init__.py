"""The one gettext catalog of the service (Babel): the pages and the certificate PDF say the same
words. English msgids in the code and templates; Indonesian in `id/LC_MESSAGES/messages.po`,
compiled to `messages.mo` beside it (`python -m certify.web.catalogs`)."""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent
DOMAIN = "messages"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of `language` (English is the msgids themselves)."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])

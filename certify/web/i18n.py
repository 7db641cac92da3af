"""Languages of the pages: Indonesian and English through gettext catalogs (Babel).

One catalog for the pages and the certificate PDF (`certify.locale`, shipped inside the
package). The language is the `lang` cookie (set by the switch) or else the best match of the
browser's Accept-Language; English for a browser that asks only for other languages (German,
French: English is read more widely than Indonesian abroad); Indonesian when neither says.
"""

from __future__ import annotations

from typing import Literal, get_args

from starlette.requests import Request

from certify.locale import DOMAIN as DOMAIN
from certify.locale import LOCALE_DIR as LOCALE_DIR
from certify.locale import translations as translations

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT: Language = "id"
FALLBACK: Language = "en"  # for a browser that asks only for languages the pages do not have
COOKIE = "lang"


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name for a marker)
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def of_request(request: Request) -> Language:
    """The language of this request: `choose` on its cookie and its Accept-Language."""
    return choose(cookie=request.cookies.get(COOKIE), accept_language=request.headers.get("accept-language"))


def choose(*, cookie: str | None, accept_language: str | None) -> Language:
    """The language of a request: the switch's cookie, else the browser's preference (English
    when it names only languages the pages do not have), else Indonesian."""
    if cookie in LANGUAGES:
        return cookie
    wanted = preferred(accept_language or "")
    for tag in wanted:
        primary = tag.split("-")[0]
        primary = "id" if primary == "in" else primary  # "in": Indonesian's old code, still sent
        if primary in LANGUAGES:
            return primary
    return FALLBACK if any(tag != "*" for tag in wanted) else DEFAULT


def preferred(header: str) -> list[str]:
    """Accept-Language's tags, most wanted first, lower case; q=0 (not wanted) left out."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def language_name(language: Language) -> str:
    """The language's name in itself, as the switch shows it."""
    return {"id": "Bahasa Indonesia", "en": "English"}[language]

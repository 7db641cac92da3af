"""Jinja2 pages from the top-level `templates/pages/`, one environment per language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from certify.config import settings
from certify.core.lifecycle import local_day
from certify.resources import bundled_path
from certify.web.i18n import LANGUAGES, N_, Language, language_name, translations

STATUS_NAMES = {
    "passed": N_("Passed"),
    "failed": N_("Failed"),
    "not_applicable": N_("Does not apply"),
    "not_assessed": N_("Not assessed"),
    "missing": N_("Missing"),
}
# Words the templates translate from data (`_(category|capitalize)`), listed here for extraction.
DATA_WORDS = (
    N_("Materials"),
    N_("Finish"),
    N_("Packaging"),
    N_("Critical"),
    N_("Major"),
    N_("Minor"),
    N_("Admin"),
    N_("Certifier"),
    N_("Inspector"),
    N_("Artisan"),
    N_("Consultancy"),
    N_("Employment"),
    N_("Family"),
    N_("Unknown"),
)


@cache
def environment(language: Language) -> Environment:
    env = Environment(
        loader=FileSystemLoader(bundled_path("templates") / "pages"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["languages"] = [(code, language_name(code)) for code in LANGUAGES]
    env.globals["status_names"] = STATUS_NAMES
    env.filters["local"] = lambda text: _local(text, language)
    env.filters["day"] = lambda when: _day(when, language)
    env.filters["number"] = lambda value: number(value, language)
    env.filters["recorded"] = lambda value: recorded(value, language)
    return env


def day_of(when: str | date | datetime) -> date:
    """The issuer's calendar day (CERTIFY_TIMEZONE) of an instant (aware, or RFC 3339 text); a
    day (or `YYYY-MM-DD`) as it is."""
    if isinstance(when, str):
        when = date.fromisoformat(when) if len(when) == 10 else datetime.fromisoformat(when)
    if isinstance(when, datetime):
        return local_day(when, settings().zone)
    return when


def _day(when: str | date | datetime, language: Language) -> str:
    """A day written out in the page's language: "6 Desember 2026", "December 6, 2026"."""
    return format_date(day_of(when), format="long", locale=language)


def number(value: object, language: Language) -> str:
    """A score or measurement with the language's decimal sign ("78,8" in Indonesian); a decimal
    string keeps its digits ("100.0" -> "100,0"); "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format_decimal(value, locale=language, group_separator=False, decimal_quantization=False)
    return str(value).replace(".", get_decimal_symbol(language))


def recorded(value: object, language: Language) -> str:
    """What an inspector recorded for a criterion: yes/no in words, numbers for the language."""
    if isinstance(value, bool):
        gettext = translations(language).gettext
        return gettext("Yes") if value else gettext("No")
    return number(value, language)


def page(language: Language, template: str, context: dict[str, Any]) -> str:
    return environment(language).get_template(template).render(context)


def _local(text: Any, language: Language) -> str:
    """A bilingual text (`Text` model or `{"en": …, "id": …}`) in the page's language."""
    if text is None:
        return ""
    if isinstance(text, dict):
        return str(text.get(language) or text.get("en") or "")
    return str(getattr(text, language, text))

"""Jinja2 pages from the top-level `templates/pages/`, one environment per language."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

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
    env.filters["day"] = _day
    return env


def _day(when: str | datetime) -> str:
    """The issuer's calendar day (CERTIFY_TIMEZONE) of an instant (aware, or RFC 3339 text)."""
    instant = datetime.fromisoformat(when) if isinstance(when, str) else when
    return local_day(instant, settings().zone).isoformat()


def page(language: Language, template: str, context: dict[str, Any]) -> str:
    return environment(language).get_template(template).render(context)


def _local(text: Any, language: Language) -> str:
    """A bilingual text (`Text` model or `{"en": …, "id": …}`) in the page's language."""
    if text is None:
        return ""
    if isinstance(text, dict):
        return str(text.get(language) or text.get("en") or "")
    return str(getattr(text, language, text))

"""The certification agreement (ISO/IEC 17065 §4.1.2): a versioned, bilingual text the operator
publishes as YAML files (`agreement/<version>.yaml`, or CERTIFY_AGREEMENT_DIR). The current
version is CERTIFY_AGREEMENT_VERSION, else the newest; an application must accept the current
one, and its acceptance (version, time, who) is recorded with the workshop's records."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from certify.config import Settings
from certify.core.text import Text
from certify.resources import bundled_path
from certify.services.errors import Invalid, NotFound

VERSION = r"^[0-9]{4}\.[0-9]+$"


class Agreement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(pattern=VERSION)
    published_on: date
    title: Text
    summary: Text
    clauses: tuple[Text, ...] = Field(min_length=1)


def _order(version: str) -> tuple[int, int]:
    year, number = version.split(".")
    return int(year), int(number)


@cache
def _load(folder: Path) -> dict[str, Agreement]:
    found: dict[str, Agreement] = {}
    for file in sorted(folder.glob("*.yaml")):
        try:
            agreement = Agreement.model_validate(yaml.safe_load(file.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as error:
            raise ValueError(f"{file}: not a certification agreement: {error}") from None
        if agreement.version != file.stem:
            raise ValueError(f"{file}: states version {agreement.version}, but its name says {file.stem}")
        found[agreement.version] = agreement
    if not found:
        raise ValueError(f"{folder}: no certification agreement (a <version>.yaml file) is published")
    return found


def versions(settings: Settings) -> dict[str, Agreement]:
    """Every published version, oldest first."""
    published = _load(settings.agreement_dir or bundled_path("agreement"))
    return dict(sorted(published.items(), key=lambda item: _order(item[0])))


def current(settings: Settings) -> Agreement:
    """The version an applicant accepts today."""
    published = versions(settings)
    if settings.agreement_version is not None:
        if settings.agreement_version not in published:
            raise ValueError(f"CERTIFY_AGREEMENT_VERSION {settings.agreement_version} is not published")
        return published[settings.agreement_version]
    return list(published.values())[-1]


def version(settings: Settings, version: str) -> Agreement:
    """A published version; 404 if none."""
    found = versions(settings).get(version)
    if found is None:
        raise NotFound(
            Text(
                en=f"no version {version!r} of the certification agreement is published",
                id=f"tidak ada versi {version!r} perjanjian sertifikasi yang dipublikasikan",
            )
        )
    return found


def check_accepted(settings: Settings, accepted: str) -> Agreement:
    """The current version, if `accepted` is it; else 422 naming both."""
    today = current(settings)
    if accepted != today.version:
        raise Invalid(
            Text(
                en=f"agreement_version: you accepted version {accepted!r} of the certification agreement, but the "
                f"current version is {today.version}: read it (/agreement) and accept it",
                id=f"agreement_version: Anda menyetujui versi {accepted!r} perjanjian sertifikasi, padahal versi "
                f"yang berlaku adalah {today.version}: baca (/agreement) lalu setujui",
            )
        )
    return today

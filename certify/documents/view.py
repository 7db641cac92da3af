"""What a certificate prints, and nothing more: the input of the PDF template.

Lengths are bounded so that the longest certificate still fits on one A4 page (set compactly).
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from certify.core.printable import refusal
from certify.core.text import Text

Score = Annotated[str, StringConstraints(pattern=r"^(100\.0|[0-9]{1,2}\.[0-9])$")]
"""A score as the signed record states it, a decimal string from "0.0" to "100.0" (no floats),
printed as it is."""


def _at_most(limit: int) -> Callable[[Text], Text]:
    def check(text: Text) -> Text:
        if max(len(text.id), len(text.en)) > limit:
            raise ValueError(f"at most {limit} characters in each language")
        return text

    return check


def _printed_as_stored(text: str) -> str:
    """A name stored before bidi controls were refused at input is refused here: printed, it
    would read in another order than it was typed."""
    refused = refusal("the name", text)
    if refused is not None:
        raise ValueError(refused.en)
    return text


PrintedAsStored = AfterValidator(_printed_as_stored)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryScores(_Frozen):
    """The score of each category; None when nothing of it applied (printed "—", never 0)."""

    materials: Score | None
    finish: Score | None
    packaging: Score | None


class Attribute(_Frozen):
    """A certified attribute: a fact's title and the value stated, in both languages."""

    title: Annotated[Text, AfterValidator(_at_most(100))]
    value: Annotated[Text, AfterValidator(_at_most(200))]


class CoveredLot(_Frozen):
    """What a certificate of record format 2 covers: the lot, its attributes, the inspection."""

    lot_code: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1)
    inspected_on: date
    attributes: list[Attribute] = Field(max_length=16)
    sample_size: int | None
    defects: dict[str, int]
    grade_meaning: Annotated[Text, AfterValidator(_at_most(200))] | None
    photo: str | None = Field(default=None, pattern=r"^data:image/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$")


class SamplingView(_Frozen):
    """How the lot was sampled (issue 17): the ISO 2859-1 severity and the plans' limiting quality."""

    severity: Annotated[str, StringConstraints(pattern=r"^(normal|tightened)$")]
    major_lq: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}\.[0-9]$")] | None = None
    minor_lq: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}\.[0-9]$")] | None = None


class CertificateView(_Frozen):
    """One issued certificate as printed: holder, product, standard, grade, scores, dates, keys."""

    issuer_name: str = Field(min_length=1, max_length=100)
    certificate_id: str = Field(min_length=1, max_length=40)
    holder_name: Annotated[str, Field(min_length=1, max_length=120), PrintedAsStored]
    holder_region: Annotated[str, Field(min_length=1, max_length=120), PrintedAsStored]
    product_name: Annotated[str, Field(min_length=1, max_length=120), PrintedAsStored]
    product_category: Annotated[Text, AfterValidator(_at_most(60))]
    standard_id: str = Field(min_length=1, max_length=64)
    standard_title: Annotated[Text, AfterValidator(_at_most(160))]
    standard_version: str = Field(min_length=1, max_length=32)
    grade: Annotated[Text, AfterValidator(_at_most(40))]
    scores: CategoryScores
    total_score: Score
    decided_on: date
    decided_at: datetime | None = None  # the decision's instant: the PDF's creation date
    valid_from: date
    valid_until: date
    signature_fingerprint: str = Field(min_length=1, max_length=64)
    key_id: str = Field(min_length=1, max_length=64)
    covered: CoveredLot | None = None
    # The scheme's condition (e.g. yearly surveillance), from the standard; None: the standard
    # declares no scheme, and the certificate prints none (as every certificate before it did).
    condition: Annotated[Text, AfterValidator(_at_most(120))] | None = None
    sampling: SamplingView | None = None  # records signed before issue 17 have none

    @model_validator(mode="after")
    def _validity_in_order(self) -> "CertificateView":
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self

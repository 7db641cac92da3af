"""What goes in and what comes out: input models forbid unknown fields; output models are separate.

Named as families: `HolderCreate` (input), `HolderPublic` (output), and so on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from certify.core.inspection import Defects, FactValue, Lot, LotCode, MeasurementValue
from certify.core.printable import refusal


def _prints_as_typed(text: str) -> str:
    """`text`, unless it holds bidi controls or other invisible formatting characters (422)."""
    refused = refusal("the text", text)
    if refused is not None:
        raise ValueError(refused.en)
    return text


PrintsAsTyped = AfterValidator(_prints_as_typed)

# Printable text: no control characters (PostgreSQL refuses NUL; nobody types the others).
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"),
    PrintsAsTyped,
]
PRINTED_NAME = 120
"""The longest holder or product name a certificate prints (`certify.documents.view`)."""
PrintedName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=PRINTED_NAME, pattern=r"^[^\x00-\x1f\x7f]+$"),
    PrintsAsTyped,
]
PlaceName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=58, pattern=r"^[^\x00-\x1f\x7f]+$"),
    PrintsAsTyped,
]
"""A province or a region: the certificate prints "region, province" in at most 120 characters."""
REASON_LENGTH = 500
Reason = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=REASON_LENGTH, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
    ),
    PrintsAsTyped,
]
"""Why a certificate's status changed: published in its history and on its verification page."""
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=4000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"),
    PrintsAsTyped,
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
StandardRef = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(@[0-9]{4}\.[0-9]+)?$", max_length=90),
]


EARLIEST_INSPECTION = date(2000, 1, 1)


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- holders and products -------------------------------------------------------------------------


class HolderCreate(Input):
    name: PrintedName = Field(description="the workshop's name, as its certificates print it")
    province: PlaceName
    region: PlaceName | None = Field(default=None, description="regency or city")
    address: Line | None = Field(default=None, description="street and village, where the inspector goes")
    crafts: list[Slug] = Field(min_length=1, max_length=20, description="e.g. batik, weaving")
    owner: Line | None = None
    contact: Line | None = Field(default=None, description="phone or e-mail")


class HolderPublic(BaseModel):
    id: int
    name: str
    province: str
    region: str | None
    address: str | None = None
    crafts: list[str]
    owner: str | None
    contact: str | None
    publish_evidence: bool = False
    created_at: datetime


class ProductCreate(Input):
    name: PrintedName
    category: Slug = Field(description="a product category of the standard it is inspected to")
    description: LongText | None = None


class ProductPublic(BaseModel):
    id: int
    holder_id: int
    name: str
    category: str
    description: str | None
    created_at: datetime


# --- inspections ----------------------------------------------------------------------------------


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""A stored file's SHA-256, lowercase hex: how an inspection names its evidence."""
EvidenceKey = Annotated[str, StringConstraints(pattern=r"^(lot|[A-Z][A-Z0-9]*(-[A-Z0-9]+)*)$", max_length=32)]
MAX_EVIDENCE = 50
"""The most photos or lab reports one inspection attaches."""


class LotCreate(Lot):
    """The lot as a submission states it: its code is required (it is printed on the certificate)."""

    code: LotCode = Field(description="the workshop's batch or lot code")


class LabReportCreate(Input):
    """A laboratory's report backing the measurement of some criteria: its PDF, uploaded first."""

    criteria: list[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", max_length=32)]] = Field(
        min_length=1, max_length=50
    )
    laboratory: Line
    accreditation: Line = Field(description="e.g. the KAN accreditation number (ISO/IEC 17025)")
    report_number: Line
    issued_on: date
    file: Sha256 = Field(description="the SHA-256 of the report's PDF, from POST /api/v1/evidence")


class InspectionCreate(Input):
    """A worked example's `inspection` plus `product_id`, `standard`, the lot's code, the sampling
    plan drawn for it and the evidence uploaded. Evidence may be incomplete when the inspection is
    saved (the field is not always online); a certificate is issued only once it is complete."""

    product_id: int = Field(ge=1, le=2**31 - 1)
    standard: StandardRef = Field(description='"ID" (latest version) or "ID@VERSION"')
    sampling_plan_id: int = Field(ge=1, le=2**31 - 1, description="the plan drawn by POST /api/v1/sampling-plans")
    lot: LotCreate
    facts: dict[str, FactValue]
    measurements: dict[str, MeasurementValue]
    defects: Defects
    evidence: dict[EvidenceKey, Annotated[list[Sha256], Field(max_length=MAX_EVIDENCE)]] = Field(
        default_factory=dict,
        max_length=MAX_EVIDENCE,
        description='photos by SHA-256: of the lot ("lot") and per criterion ("MAT-01")',
    )
    lab_reports: list[LabReportCreate] = Field(default_factory=list, max_length=MAX_EVIDENCE)
    note: LongText | None = Field(default=None, description="the inspector's remarks")
    surveys: str | None = Field(
        default=None,
        max_length=64,
        description="a surveillance inspection: the ID of the certificate it surveys (its decision keeps, "
        "suspends or withdraws that certificate)",
    )
    inspected_on: date | None = Field(
        default=None,
        description="the day of the inspection (default: today, UTC); it selects the criteria and limits in force",
    )

    @field_validator("inspected_on")
    @classmethod
    def _not_in_the_future(cls, day: date | None) -> date | None:
        if day is not None and not EARLIEST_INSPECTION <= day <= datetime.now(UTC).date() + timedelta(days=1):
            raise ValueError(f"the inspection's date must be from {EARLIEST_INSPECTION} to today")
        return day


class EvidenceAttach(Input):
    """The evidence of an inspection saved without it (or with part of it): all of it, again."""

    evidence: dict[EvidenceKey, Annotated[list[Sha256], Field(max_length=MAX_EVIDENCE)]] = Field(
        default_factory=dict, max_length=MAX_EVIDENCE
    )
    lab_reports: list[LabReportCreate] = Field(default_factory=list, max_length=MAX_EVIDENCE)


class SamplingPlanCreate(Input):
    standard: StandardRef = Field(description='"ID" (latest version) or "ID@VERSION"')
    lot_size: int = Field(ge=1, le=10_000_000)


class SamplingPlanPublic(BaseModel):
    id: int
    standard: str = Field(description="ID@VERSION")
    lot_size: int
    code_letter: str
    sample_size: int
    pieces: list[int] = Field(description="the piece numbers (1..lot size) drawn at random, in order")
    drawn_at: datetime


class EvidencePublic(BaseModel):
    sha256: str
    media_type: str
    bytes: int
    width: int | None = None
    height: int | None = None


class EvidenceConsent(Input):
    publish: bool = Field(description="whether the public may see the photos of the holder's certified lots")


class StandardPin(BaseModel):
    id: str
    version: str
    content_hash: str


DecisionOutcome = Literal["issue", "refuse", "keep", "suspend", "withdraw"]


class DecisionCreate(Input):
    decision: DecisionOutcome = Field(
        description="issue | refuse (a first inspection); keep | suspend | withdraw (a surveillance inspection)"
    )
    note: LongText | None = None


class DecisionPublic(BaseModel):
    id: int
    inspection_id: int
    decision: DecisionOutcome
    note: str | None
    decided_by: int
    decided_at: datetime


class CertificatePublic(BaseModel):
    id: int
    serial: str = Field(description="YEAR-NUMBER: unique and without gaps within a year")
    certificate_id: str | None = Field(description="the public ID, once issued with signature")
    status: str
    inspection_id: int
    holder_id: int
    product_id: int
    standard: StandardPin
    grade: str
    total: str
    issued_at: datetime
    valid_from: date
    valid_until: date
    decision: DecisionPublic


class TextPublic(BaseModel):
    """A text in both languages."""

    en: str
    id: str


class GradePublic(BaseModel):
    id: str
    title: TextPublic


class CriterionResultPublic(BaseModel):
    """One row of an assessment: what one criterion made of the inspection, and why."""

    criterion: str
    category: str
    title: TextPublic
    status: Literal["passed", "failed", "not_applicable", "not_assessed"]
    input: bool | int | float | None = Field(description="the value recorded, if any")
    rule: str = Field(description='the rule applied, e.g. "12.1–15 % → 60 points; passes from 50"')
    points: int | None
    weight: int
    contribution: str = Field(description="its share of the total, a decimal string (hundredths)")
    knockout: bool
    reason: TextPublic


class CategoryScorePublic(BaseModel):
    category: str
    weight: int
    score: str | None = Field(
        description='a decimal string ("87.5"); null when no criterion of it applied or was assessed (never 0)'
    )
    minimum: str
    passed: bool
    assessed_weight: int
    applicable_weight: int


class DefectClassPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    defect_class: Literal["critical", "major", "minor"] = Field(alias="class")
    aql: str | None
    code_letter: str
    plan_letter: str
    sample_size: int
    pieces_to_inspect: int
    inspect_all: bool
    accept: int
    reject: int
    found: int
    accepted: bool
    limiting_quality: LimitingQualityPublic | None = Field(
        default=None, description="the share of defectives the plan still accepts 10 % of the time (LQ10)"
    )


class LimitingQualityPublic(BaseModel):
    percent: str = Field(description='a decimal string, e.g. "36.9"')
    method: Literal["binomial", "hypergeometric"]


class LotDecisionPublic(BaseModel):
    lot_size: int
    level: str
    accepted: bool
    severity: Literal["normal", "tightened", "discontinued"] = Field(
        default="normal", description="ISO 2859-1 switching: the severity the lot history gave"
    )
    switching_rule: TextPublic | None = Field(default=None, description="the rule that set the severity")
    defects: list[DefectClassPublic]


class AssessmentPublic(BaseModel):
    """The assessment of an inspection, its own explanation: one row per criterion."""

    standard: StandardPin
    inspected_on: date | None = Field(default=None, description="the day whose criteria and limits were applied")
    certified: bool
    grade: GradePublic | None
    total: str = Field(description='a decimal string, e.g. "87.5"')
    categories: list[CategoryScorePublic]
    knockouts_failed: list[str]
    lot: LotDecisionPublic
    reasons: list[TextPublic] = Field(description="every reason it is not certified")
    notes: list[TextPublic]
    criteria: list[CriterionResultPublic]


class InspectionPublic(BaseModel):
    id: int
    product_id: int
    holder_id: int
    inspector_id: int
    submitted_at: datetime
    standard: StandardPin
    lot: dict[str, Any]
    sampling_plan: SamplingPlanPublic | None
    facts: dict[str, Any]
    measurements: dict[str, Any]
    defects: dict[str, Any]
    evidence: dict[str, list[str]]
    lab_reports: list[dict[str, Any]]
    note: str | None
    certified: bool
    grade: str | None
    total: str
    assessment: AssessmentPublic
    decision: DecisionPublic | None
    certificate: CertificatePublic | None


class UserPublic(BaseModel):
    id: int
    name: str
    role: str
    holder_id: int | None

"""What goes in and out of applications, reviews and assignments (`certify.services.applications`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from certify.core.text import Text
from certify.services.models import Input, Line, LongText, PlaceName, PrintedName, PrintsAsTyped, Slug
from certify.services.subscriptions import EMAIL

# As long as a workshop's address on record (`holders.address`): an accepted application becomes one.
Address = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"),
    PrintsAsTyped,
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ().-]{5,24}$")]
State = Literal["received", "accepted", "declined"]
DeclineReason = Literal["out_of_scope", "incomplete", "no_inspector", "conflict_of_interest", "not_a_producer", "other"]

DECLINE_REASONS: dict[str, Text] = {
    "out_of_scope": Text(
        en="No standard we certify against covers one or more of the products.",
        id="Tidak ada standar kami yang mencakup satu atau lebih produk yang diajukan.",
    ),
    "incomplete": Text(
        en="The application is incomplete or its details could not be confirmed: please apply again with them.",
        id="Permohonan belum lengkap atau datanya tidak dapat dipastikan: silakan ajukan lagi dengan data lengkap.",
    ),
    "no_inspector": Text(
        en="No competent inspector is available for these products in the coming months.",
        id="Belum ada inspektur yang berkompeten untuk produk ini dalam beberapa bulan ke depan.",
    ),
    "conflict_of_interest": Text(
        en="We cannot certify this workshop impartially (a conflict of interest).",
        id="Kami tidak dapat menyertifikasi bengkel ini secara tidak memihak (benturan kepentingan).",
    ),
    "not_a_producer": Text(
        en="The applicant does not make the products: only the producing workshop may apply.",
        id="Pemohon tidak membuat produk tersebut: hanya bengkel pembuatnya yang dapat mengajukan.",
    ),
    "other": Text(en="See the reviewer's note.", id="Lihat catatan pemeriksa."),
}


class ApplicationProductCreate(Input):
    name: PrintedName = Field(description="the product's name, as its certificate will print it")
    category: Slug = Field(description="a product category of the standard, e.g. vase")
    standard: Slug = Field(description="the standard to certify it against, e.g. ceramics (its current version)")


class ApplicationCreate(Input):
    workshop: PrintedName = Field(description="the workshop's name, as its certificates will print it")
    owner: Line | None = None
    province: PlaceName
    region: PlaceName | None = Field(default=None, description="regency or city")
    address: Address
    contact_name: Line = Field(description="who applies (and accepts the agreement)")
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL, description="for updates by e-mail")
    phone: Phone | None = None
    products: list[ApplicationProductCreate] = Field(min_length=1, max_length=20)
    markets: list[Slug] = Field(min_length=1, max_length=10, description="target markets, e.g. id, eu, us")
    agreement_version: str = Field(max_length=16, description="the version of the agreement accepted: the current one")
    accept_agreement: Literal[True] = Field(description="true: the applicant accepts the certification agreement")
    language: Literal["id", "en"] = Field(default="id", description="the language the applicant reads updates in")


class ApplicationReceived(BaseModel):
    id: int
    token: str = Field(description="the tracking page's secret: keep it")
    tracking_url: str


class AssignmentPublic(BaseModel):
    id: int
    application_id: int
    holder_id: int
    holder: str
    product_id: int
    product: str
    category: str
    standard: str = Field(description="the standard's ID; the inspection uses its current version")
    inspector_id: int
    inspector: str
    due_on: date
    inspection_id: int | None = Field(description="the inspection made of it, once submitted")
    form_url: str = Field(description="the inspection form, the product and the standard chosen")


class ApplicationProductPublic(BaseModel):
    name: str
    category: str
    standard: str
    product_id: int | None


class ApplicationPublic(BaseModel):
    """What the applicant's tracking page shows."""

    id: int
    state: State
    language: Literal["id", "en"]
    workshop: str
    province: str
    received_at: datetime
    agreement_version: str
    markets: list[str]
    products: list[ApplicationProductPublic]
    reviewed_at: datetime | None
    decline_reasons: list[Text]
    note: str | None
    assignments: list[AssignmentPublic]


class ApplicationDetail(ApplicationPublic):
    """What a reviewer reads: the contact too."""

    owner: str | None
    region: str | None
    address: str
    contact_name: str
    email: str | None
    phone: str | None
    holder_id: int | None


class ScopeCheck(BaseModel):
    product: str
    category: str
    standard: str
    covered: bool


class InspectorAvailable(BaseModel):
    id: int
    name: str


class ReviewChecks(BaseModel):
    """The review's checks (ISO/IEC 17065 §7.3) on a due date."""

    due_on: date
    scope: list[ScopeCheck]
    in_scope: bool
    existing_holder_id: int | None
    inspectors: list[InspectorAvailable] = Field(
        description="inspectors authorised for every standard on the due date, with no conflict of interest"
    )
    reviewer_conflict: bool


class ReviewCreate(Input):
    decision: Literal["accept", "decline"]
    inspector_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="accept: who inspects")
    due_on: date | None = Field(default=None, description="accept: the day the inspection is due by")
    reasons: list[DeclineReason] = Field(default_factory=list, max_length=6, description="decline: why")
    note: LongText | None = Field(default=None, description="a note the applicant reads as written")

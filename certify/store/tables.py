"""The tables. Every timestamp is timezone-aware UTC; JSON columns hold no floats we compute.

`web_credentials` and `web_sessions` are how people sign in to the pages: a login with an
Argon2id hash of the password, and browser sessions (only the SHA-256 of a session token is kept).

`events` is append-only: the migration installs triggers that refuse UPDATE and DELETE on it.
Columns of `certificates` after `status` are filled by later steps of issuance (ID, signed record,
PDF); they are nullable so that a certificate record exists from the moment of the decision.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from certify.store.documents import Document


def now() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16, index=True)  # admin | certifier | inspector | artisan
    holder_id: int | None = Field(default=None, foreign_key="holders.id", index=True)
    created_at: datetime = Field(default_factory=now)
    email: str | None = Field(default=None, max_length=254)  # where reminders go; none: no e-mail


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 is kept. Revoked and expired tokens stay, with their times."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime  # after this the token is refused, saying it expired
    revoked_at: datetime | None = None


class Holder(SQLModel, table=True):
    """A workshop that holds (or seeks) certificates."""

    __tablename__ = "holders"
    __table_args__ = (Index("ix_holders_name", "name", "id"),)  # the directory's order

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    owner: str | None = Field(default=None, max_length=200)
    province: str = Field(max_length=100, index=True)
    region: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=200)  # street and village, for the inspector
    crafts: list[str] = Field(default_factory=list, sa_type=JSON)
    contact: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=now)
    # The last day the holder has a valid certificate, kept by `certify.services.directory` in
    # every transaction that issues or changes one: the public directory lists the holders with
    # `listed_until >= today` without reading their certificates.
    listed_until: date | None = Field(default=None, index=True)
    # Whether the public may see the photos of the holder's certified lots (off until they agree).
    publish_evidence: bool = Field(default=False)


class Product(SQLModel, table=True):
    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    holder_id: int = Field(foreign_key="holders.id", index=True)
    name: str = Field(max_length=200)
    category: str = Field(max_length=64)
    description: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=now)


class Conflict(SQLModel, table=True):
    """A declared conflict of interest: `user` may not inspect or decide for `holder` meanwhile."""

    __tablename__ = "conflicts"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    holder_id: int = Field(foreign_key="holders.id", index=True)
    reason: str = Field(max_length=16)  # consultancy | employment | family
    starts_on: date
    ends_on: date | None = None  # None: still in force
    declared_at: datetime = Field(default_factory=now)


class Inspection(SQLModel, table=True):
    """A submitted inspection with the assessment the engine made of it."""

    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_lot_history", "holder_id", "product_id", "standard_id", "id"),
    )  # lot history

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    holder_id: int = Field(foreign_key="holders.id", index=True)
    inspector_id: int = Field(foreign_key="users.id", index=True)
    submitted_at: datetime = Field(default_factory=now)
    standard_id: str = Field(max_length=64)
    standard_version: str = Field(max_length=16)
    content_hash: str = Field(max_length=128)
    lot: dict[str, Any] = Field(sa_type=JSON)
    facts: dict[str, Any] = Field(sa_type=JSON)
    measurements: dict[str, Any] = Field(sa_type=JSON)
    defects: dict[str, Any] = Field(sa_type=JSON)
    note: str | None = Field(default=None, sa_type=Text)
    # The sample drawn for the lot; photos by SHA-256 ({"lot": [...], "MAT-01": [...]}); lab reports
    # ({criteria, laboratory, accreditation, report_number, issued_on, file}). Older rows have none.
    sampling_plan_id: int | None = Field(default=None, foreign_key="sampling_plans.id", unique=True)
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    lab_reports: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    assessment: dict[str, Any] = Field(sa_type=Document)  # JSON; takes the engine's text as written
    # The assessment's `lot` again, small: the lot history reads fifty of them per submission
    # without parsing fifty whole assessments. None (SQL NULL) on older rows: read from `assessment`.
    lot_decision: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    # What the switching rules need of that lot (`certify.core.switching.LotRecord`), as numbers:
    # the history is read without parsing any JSON. None (SQL NULL) on older rows: from `lot_decision`.
    lot_accepted: bool | None = None
    lot_accept_number: int | None = None
    lot_accepted_tighter: bool | None = None
    certified: bool
    grade: str | None = Field(default=None, max_length=64)
    total: str = Field(max_length=8)
    # A surveillance inspection names the certificate it surveys (`certificates.id`); None: a
    # first inspection, whose decision issues or refuses a certificate.
    surveys_id: int | None = Field(default=None, index=True)  # no foreign key: it would close a cycle


class SamplingPlan(SQLModel, table=True):
    """The pieces of a lot drawn at random (by the service, not chosen) for an inspector."""

    __tablename__ = "sampling_plans"

    id: int | None = Field(default=None, primary_key=True)
    drawn_by: int = Field(foreign_key="users.id", index=True)
    drawn_at: datetime = Field(default_factory=now)
    standard_id: str = Field(max_length=64)
    standard_version: str = Field(max_length=16)
    lot_size: int
    code_letter: str = Field(max_length=2)
    sample_size: int
    pieces: list[int] = Field(sa_type=JSON)


class EvidenceFile(SQLModel, table=True):
    """A photo or lab-report PDF, content-addressed: stored once, whoever uploads it again."""

    __tablename__ = "evidence_files"

    sha256: str = Field(primary_key=True, max_length=64)
    media_type: str = Field(max_length=32)
    size: int
    width: int | None = None
    height: int | None = None
    content: bytes = Field(sa_type=LargeBinary)
    stored_at: datetime = Field(default_factory=now)


class EvidenceUpload(SQLModel, table=True):
    """Who uploaded which file: an inspection may name only files its inspector uploaded."""

    __tablename__ = "evidence_uploads"
    __table_args__ = (UniqueConstraint("sha256", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(foreign_key="evidence_files.sha256", max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    uploaded_at: datetime = Field(default_factory=now)


class InspectionEvidence(SQLModel, table=True):
    """A file an inspection names, with the holder it belongs to: what decides who may read it."""

    __tablename__ = "inspection_evidence"
    __table_args__ = (
        UniqueConstraint("inspection_id", "sha256"),
        Index("ix_inspection_evidence_sha256_holder_id", "sha256", "holder_id"),  # another holder's file?
    )

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspections.id", index=True)
    sha256: str = Field(foreign_key="evidence_files.sha256", max_length=64, index=True)
    holder_id: int = Field(foreign_key="holders.id")


class IdempotencyKey(SQLModel, table=True):
    """A request made with an `Idempotency-Key`: its body's hash and the answer it got."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = Field(sa_type=Document)  # JSON; takes the answer's text as written
    inspection_id: int = Field(foreign_key="inspections.id")
    created_at: datetime = Field(default_factory=now)


class Decision(SQLModel, table=True):
    """A certifier's decision on an inspection: one per inspection."""

    __tablename__ = "decisions"

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspections.id", unique=True)
    certifier_id: int = Field(foreign_key="users.id", index=True)
    outcome: str = Field(max_length=8)  # issue | refuse
    note: str | None = Field(default=None, sa_type=Text)
    decided_at: datetime = Field(default_factory=now)


class Certificate(SQLModel, table=True):
    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        # A holder's certificates, its valid ones, and the last day one of them is valid.
        Index("ix_certificates_holder_status", "holder_id", "status", "valid_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    serial: str = Field(max_length=32, unique=True)  # "2026-000042": year and number
    year: int
    number: int
    inspection_id: int = Field(foreign_key="inspections.id", unique=True)
    decision_id: int = Field(foreign_key="decisions.id", unique=True)
    holder_id: int = Field(foreign_key="holders.id")  # indexed by ix_certificates_holder_status
    product_id: int = Field(foreign_key="products.id", index=True)
    standard_id: str = Field(max_length=64)
    standard_version: str = Field(max_length=16)
    content_hash: str = Field(max_length=128)
    grade: str = Field(max_length=64)
    total: str = Field(max_length=8)
    issued_at: datetime = Field(default_factory=now)
    valid_from: date
    valid_until: date
    status: str = Field(default="valid", max_length=16)
    # Filled when the certificate is signed and rendered (later issues).
    certificate_id: str | None = Field(default=None, max_length=32, unique=True)
    record: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    signature: str | None = Field(default=None, max_length=256)
    key_id: str | None = Field(default=None, max_length=64)
    pdf: bytes | None = Field(default=None, sa_type=LargeBinary)
    pdf_sha256: str | None = Field(default=None, max_length=64, index=True)
    superseded_by_id: int | None = Field(default=None, foreign_key="certificates.id")
    # The public status history, oldest first: {"status", "at", "reason", "successor"} entries
    # (who acted is in `events`, not here: this is published). Expiry is computed, not stored.
    history: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    # The scheme over time: the day the next surveillance falls due (None: none falls due, e.g.
    # a lot certificate or a standard without a scheme) and how many surveillances were kept.
    surveillance_due: date | None = None
    surveillances_kept: int = 0


class SerialCounter(SQLModel, table=True):
    """The last certificate number used in a year; bumped in the issuing transaction."""

    __tablename__ = "serial_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int


class Event(SQLModel, table=True):
    """Who did what to what, when. Append-only."""

    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=now, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=64)
    subject_type: str = Field(max_length=32)
    subject_id: int
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class Credential(SQLModel, table=True):
    """How a user signs in to the pages: a login name and an Argon2id hash of their password."""

    __tablename__ = "web_credentials"

    user_id: int = Field(foreign_key="users.id", primary_key=True, sa_column_kwargs={"autoincrement": False})
    login: str = Field(max_length=100, unique=True)
    password_hash: str = Field(max_length=255)
    updated_at: datetime = Field(default_factory=now)
    disabled_at: datetime | None = None


class WebSession(SQLModel, table=True):
    """A signed-in browser. Ended sessions stay, with the time they ended."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime
    ended_at: datetime | None = None


class SignInFailure(SQLModel, table=True):
    """A failed sign-in, counted against `key` ("login:<name>" or "address:<ip>") for a minute."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160)
    at: datetime = Field(default_factory=now, index=True)


class StatusList(SQLModel, table=True):
    """A Bitstring Status List (`suspension` or `revocation`): bit i is the certificate of row i.
    Written in the same transaction as the status change it records."""

    __tablename__ = "status_lists"

    purpose: str = Field(primary_key=True, max_length=16)
    bits: bytes = Field(sa_type=LargeBinary)
    updated_at: datetime = Field(default_factory=now)


class TreeHead(SQLModel, table=True):
    """A checkpoint: a signed tree head, kept. Signed at most once per CERTIFY_CHECKPOINT_SECONDS
    (and at issuance, for the PDF, and on shutdown); earlier ones are served by size."""

    __tablename__ = "tree_heads"

    size: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    root_hash: str = Field(max_length=64)
    timestamp: str = Field(max_length=40)
    key_id: str = Field(max_length=64)
    signature: str = Field(max_length=128)
    signed_at: datetime = Field(default_factory=now, index=True)


# The public log's tables are plain Core tables on the same metadata: registered with the rest, so
# that whoever imports the tables (the migrations' environment, the schema's test) sees them all.
import certify.ledger.sql  # noqa: E402, F401
from certify.store.application_tables import (  # noqa: E402
    AgreementAcceptance,
    Application,
    ApplicationProduct,
    Assignment,
)
from certify.store.competence_tables import Authorisation  # noqa: E402
from certify.store.scheme_tables import Complaint, DueAction, Outbox, Subscription  # noqa: E402

__all__ = [
    "AgreementAcceptance",
    "Application",
    "ApplicationProduct",
    "Assignment",
    "Authorisation",
    "Complaint",
    "DueAction",
    "Outbox",
    "Subscription",
]

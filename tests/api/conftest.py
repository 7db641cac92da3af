"""A running API over an empty database (both back ends) and a small world of people in it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.documents.untrusted import UploadLimits, UploadReaders, shared_upload_readers
from certify.rulebook import Rulebook
from certify.services import accounts, competence, holders, sampling, specimens
from certify.services.evidence import PhotoLimits
from certify.services.models import HolderCreate, ProductCreate, SamplingPlanCreate
from certify.services.principal import Principal
from certify.services.standards import bundled
from certify.store.database import Database

MAX_BODY = 64 * 1024


@dataclass
class Person:
    user: Principal
    token: str

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """Two workshops with products, and two people in each role (artisans: one per workshop)."""

    database: Database
    people: dict[str, Person] = field(default_factory=dict)
    holders: dict[str, int] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Person:
        return self.people[name]


@pytest.fixture
def app_for(tmp_path: Path, rulebook: Rulebook) -> Any:
    def make(database: Database) -> Any:
        # No public rate limit: fuzzing verifies far faster than a buyer (tests/api/test_rate_limits.py).
        settings = Settings(
            data_dir=tmp_path, max_body_bytes=MAX_BODY, public_rate_per_second=0, public_read_rate_per_second=0
        )
        return create_app(settings, database=database, rulebook=rulebook)

    return make


@pytest.fixture
def client(database: Database, app_for: Any) -> Iterator[TestClient]:
    with TestClient(app_for(database)) as test_client:
        yield test_client


def build_world(database: Database) -> World:
    world = World(database)

    def person(key: str, role: str, name: str, holder: str | None = None) -> None:
        user, token = accounts.create_user(
            database=database, role=role, name=name, holder_id=world.holders[holder] if holder else None
        )
        world.people[key] = Person(user, token)

    person("admin", "admin", "Admin")
    for key, name, province, products in (
        ("jepara", "Mebel Ukir Jepara Jaya", "Jawa Tengah", ("furniture", "toy")),
        ("bali", "Ukir Kayu Mas", "Bali", ("furniture",)),
    ):
        holder = holders.create_holder(
            database=database,
            actor=world["admin"].user,
            holder=HolderCreate(name=name, province=province, crafts=["wood"]),
        )
        world.holders[key] = holder.id
        for category in products:
            product = holders.create_product(
                database=database,
                actor=world["admin"].user,
                holder_id=holder.id,
                product=ProductCreate(name=f"{category} of {name}", category=category),
            )
            world.products[f"{key}_{category}"] = product.id
    person("inspector", "inspector", "Ayu Lestari")
    person("inspector2", "inspector", "Made Wirawan")
    person("certifier", "certifier", "Hendra Gunawan")
    person("certifier2", "certifier", "Siti Rahmawati")
    person("artisan", "artisan", "Slamet Riyadi", "jepara")
    person("artisan2", "artisan", "Nyoman Sudarsa", "bali")
    for key in ("inspector", "inspector2", "certifier", "certifier2"):
        authorise_for_all(database, world[key].id)
    return world


def authorise_for_all(database: Database, user_id: int) -> None:
    """Authorise an inspector or a certifier for every bundled standard, from today."""
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=user_id)


@pytest.fixture
def world(database: Database) -> World:
    return build_world(database)


def inspection_body(
    world: World,
    rulebook: Rulebook,
    product_id: int,
    example: int = 0,
    standard: str = "wood",
    *,
    inspector: str = "inspector",
    evidence: bool = True,
) -> dict[str, Any]:
    """A worked example of a standard as the body of POST /api/v1/inspections, by `inspector`: a
    lot code, a sampling plan drawn for it and (unless `evidence` is False) the evidence the
    standard declares, uploaded (generated photos and lab report: `certify.services.specimens`)."""
    found = rulebook.get(standard)
    body = copy.deepcopy(found.examples[example].inspection)
    who = world[inspector].user
    plan = sampling.draw_plan(
        database=world.database,
        standards=rulebook,
        inspector=who,
        body=SamplingPlanCreate(standard=found.ref, lot_size=body["lot"]["size"]),
    )
    body["lot"] = {**body["lot"], "code": f"LOT-{example}-{plan.id}"}
    photos, reports = (
        specimens.declared_evidence(
            database=world.database,
            inspector=who,
            standard=found,
            limits=EVIDENCE_LIMITS,
            readers=pdf_readers(),
            issued_on=date.today(),
            label=f"{found.ref} example {example}",
        )
        if evidence
        else ({}, [])
    )
    return {
        **body,
        "product_id": product_id,
        "standard": found.ref,
        "sampling_plan_id": plan.id,
        "evidence": photos,
        "lab_reports": [report.model_dump(mode="json") for report in reports],
    }


EVIDENCE_LIMITS = PhotoLimits(max_bytes=12 * 1024 * 1024, max_pixels=40_000_000, long_edge=2048, keep_gps=False)


def pdf_readers() -> UploadReaders:
    """The PDF readers (sandboxed processes) the tests' uploads of lab reports go through."""
    return shared_upload_readers(workers=1, limits=UploadLimits(), queue_seconds=10.0)


# Worked examples of the wood standard: furniture certified, furniture not, toy not.
CERTIFIED_FURNITURE, REFUSED_FURNITURE, REFUSED_TOY = 0, 4, 2

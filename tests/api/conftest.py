"""A running API over an empty database (both back ends) and a small world of people in it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certify.app import create_app
from certify.config import Settings
from certify.rulebook import Rulebook
from certify.services import accounts, holders
from certify.services.models import HolderCreate, ProductCreate
from certify.services.principal import Principal
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
    world = World()

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
    return world


@pytest.fixture
def world(database: Database) -> World:
    return build_world(database)


def inspection_body(rulebook: Rulebook, product_id: int, example: int = 0, standard: str = "wood") -> dict[str, Any]:
    """A worked example of a bundled standard, as the body of POST /api/v1/inspections."""
    found = rulebook.get(standard)
    body = copy.deepcopy(found.examples[example].inspection)
    return {**body, "product_id": product_id, "standard": found.ref}


# Worked examples of the wood standard: furniture certified, furniture not, toy not.
CERTIFIED_FURNITURE, REFUSED_FURNITURE, REFUSED_TOY = 0, 4, 2

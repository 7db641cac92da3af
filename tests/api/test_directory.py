"""The public directory lists exactly the holders with a certificate valid today, whatever happened
to their certificates, and pages through them in name order (both back ends)."""

from __future__ import annotations

from datetime import date, timedelta

from alembic import command
from fastapi.testclient import TestClient

from certify.rulebook import Rulebook
from certify.services import directory, holders
from certify.services.models import HolderCreate, ProductCreate
from certify.store import migrate
from certify.store.database import Database
from tests.api.conftest import World
from tests.api.test_certificates import issue
from tests.api.test_lifecycle import act


def listed(database: Database, today: date | None = None, **search: str) -> dict[str, list[str]]:
    """Holder name → IDs of the certificates the directory shows, over every page."""
    found: dict[str, list[str]] = {}
    page = 1
    while True:
        result = directory.search(database=database, page=page, per_page=2, today=today, **search)
        found |= {e.name: [str(c.certificate_id) for c in e.certificates] for e in result.entries}
        if not result.has_next:
            return found
        page += 1


def test_the_directory_follows_every_change_of_a_certificate(
    client: TestClient,
    world: World,
    rulebook: Rulebook,
    database: Database,
) -> None:
    """Issued: listed; suspended: gone; reinstated: back; superseded: the successor alone;
    withdrawn: gone; past its validity: gone, with nobody acting."""
    jepara, bali = "Mebel Ukir Jepara Jaya", "Ukir Kayu Mas"
    assert listed(database) == {}
    first = issue(client, world, rulebook)["certificate_id"]
    assert listed(database) == {jepara: [first]}
    assert act(client, world, first, "suspend").status_code == 200
    assert listed(database) == {}
    assert act(client, world, first, "reinstate").status_code == 200
    assert listed(database) == {jepara: [first]}
    second = issue(client, world, rulebook)["certificate_id"]
    assert listed(database) == {jepara: [second]}
    other = issue(client, world, rulebook, product="bali_furniture")
    assert act(client, world, second, "withdraw").status_code == 200
    assert listed(database) == {bali: [other["certificate_id"]]}
    last_day = date.fromisoformat(other["valid_until"])
    assert listed(database, today=last_day) == {bali: [other["certificate_id"]]}
    assert listed(database, today=last_day + timedelta(days=1)) == {}


def test_pages_hold_every_listed_holder_once_in_name_order(
    client: TestClient,
    world: World,
    rulebook: Rulebook,
    database: Database,
) -> None:
    """Five holders two to a page: three pages, names in order, the last page says so."""
    names = ["Batik Sekar Lasem", "Anyaman Mendong Tasik", "Tenun Ikat Sumba", "Gerabah Kasongan"]
    for name in names:
        holder = holders.create_holder(
            database=database,
            actor=world["admin"].user,
            holder=HolderCreate(name=name, province="Bali", crafts=["wood"]),
        )
        product = holders.create_product(
            database=database,
            actor=world["admin"].user,
            holder_id=holder.id,
            product=ProductCreate(name=f"Meja {name}", category="furniture"),
        )
        world.products[name] = product.id
        issue(client, world, rulebook, product=name)
    issue(client, world, rulebook)
    pages = [directory.search(database=database, page=n, per_page=2) for n in (1, 2, 3, 4)]
    shown = [entry.name for page in pages for entry in page.entries]
    assert shown == sorted([*names, "Mebel Ukir Jepara Jaya"])
    assert [page.has_next for page in pages] == [True, True, False, False]
    assert pages[3].entries == []


def test_a_craft_matches_a_whole_craft_and_filters_ignore_case(
    client: TestClient,
    world: World,
    rulebook: Rulebook,
    database: Database,
) -> None:
    """`wood` finds a wood workshop, `woo` and `w_od` do not; province and name ignore case."""
    issue(client, world, rulebook)
    jepara = "Mebel Ukir Jepara Jaya"
    assert set(listed(database, craft="WOOD")) == {jepara}
    assert listed(database, craft="woo") == {} and listed(database, craft="w_od") == {}
    assert set(listed(database, province="jawa TENGAH", name="JEPARA")) == {jepara}
    assert listed(database, name="100%") == {} and listed(database, province="Bali") == {}
    assert directory.choices(database=database) == (["wood"], ["Jawa Tengah"])


def test_migrating_lists_the_holders_that_already_held_valid_certificates(
    client: TestClient,
    world: World,
    rulebook: Rulebook,
    database: Database,
    database_url: str,
) -> None:
    """Migration 0006 fills the column the directory reads from the certificates already issued."""
    certificate_id = issue(client, world, rulebook)["certificate_id"]
    command.downgrade(migrate.alembic_config(database_url), "0005")
    migrate.upgrade(database_url)
    assert listed(database) == {"Mebel Ukir Jepara Jaya": [certificate_id]}

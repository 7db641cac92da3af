"""`certify demo`: load a small, realistic demo into an empty database and say how to sign in."""

from __future__ import annotations

import argparse
import secrets
from typing import Any

from sqlmodel import select

from certify.cli import Failed
from certify.config import settings
from certify.core.errors import CertifyError
from certify.core.standard import Example, Standard
from certify.services import accounts, conflicts, decisions, holders, inspections
from certify.services.models import DecisionCreate, HolderCreate, InspectionCreate, ProductCreate
from certify.services.passwords import set_password
from certify.services.principal import Principal
from certify.services.standards import Standards, bundled
from certify.store import migrate
from certify.store.database import Database
from certify.store.tables import Holder

# name, owner, province, region, crafts, standard, contact
WORKSHOPS = (
    ("Gerabah Kasongan Maju", "Ibu Sumiyati", "DI Yogyakarta", "Bantul", ["ceramics"],
     "ceramics", "+62 812 2700 1101"),
    ("Mebel Ukir Jepara Jaya", "Bapak Slamet Riyadi", "Jawa Tengah", "Jepara", ["wood"],
     "wood", "+62 813 2500 2202"),
    ("Tenun Ikat Prailiu", "Ibu Rambu Ana", "Nusa Tenggara Timur", "Sumba Timur", ["weaving"],
     "woven", "+62 852 3900 3303"),
    ("Anyaman Rotan Tegalwangi", "Bapak Dedi Kurnia", "Jawa Barat", "Cirebon",
     ["rattan", "bamboo"], "general", "+62 821 1400 4404"),
)


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser("demo", help="load a small demo into an empty database")
    demo.set_defaults(run=_demo)


def _demo(_args: argparse.Namespace) -> int:
    config = settings()
    migrate.upgrade(config.database)
    database = Database.connect(config.database, pool_size=2)
    with database.read() as session:
        if session.exec(select(Holder.id)).first() is not None:
            raise Failed("certify demo: the database already holds data; the demo loads into an "
                         "empty one (set CERTIFY_DATA_DIR or CERTIFY_DATABASE_URL)")
    try:
        standards = bundled()
    except CertifyError as error:
        raise Failed(f"certify demo: the bundled standards do not load: {error}".splitlines()[0]) from None
    tokens = load(database=database, standards=standards)
    print(f"demo loaded into {config.database}")
    print("each user's sign-in for the pages (login, password) and API token, shown once:")
    for role, name, login, password, token in tokens:
        print(f"  {role:<9} {name:<22} {login:<10} {password}  {token}")
    print("then: certify serve; open http://127.0.0.1:8000/ and sign in, or e.g.")
    print('  curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/api/v1/inspections')
    return 0


def load(*, database: Database, standards: Standards) -> list[tuple[str, str, str, str, str]]:
    """Holders in four provinces, users of every role (each with a sign-in for the pages and an
    API token), inspections, decisions, certificates."""
    tokens: list[tuple[str, str, str, str, str]] = []

    def user(role: str, name: str, holder_id: int | None = None) -> Principal:
        principal, token = accounts.create_user(database=database, role=role, name=name,
                                                holder_id=holder_id)
        login = name.replace("Dr. ", "").replace("Ibu ", "").replace("Bapak ", "").split()[0].lower()
        password = secrets.token_urlsafe(9)
        set_password(database=database, user_id=principal.id, login=login, password=password)
        tokens.append((role, name, login, password, token))
        return principal

    admin = user("admin", "Admin Dewan Kerajinan")
    inspectors = [user("inspector", "Ayu Lestari"), user("inspector", "Made Wirawan")]
    certifiers = [user("certifier", "Dr. Hendra Gunawan"), user("certifier", "Siti Rahmawati")]
    for index, (name, owner, province, region, crafts, standard_id, contact) in enumerate(WORKSHOPS):
        holder = holders.create_holder(database=database, actor=admin, holder=HolderCreate(
            name=name, owner=owner, province=province, region=region, crafts=crafts,
            contact=contact))
        if index == 0:
            user("artisan", owner, holder.id)
        inspector, certifier = inspectors[index % 2], certifiers[index % 2]
        if index == 1:
            conflicts.declare_conflict(database=database, user_id=inspectors[0].id,
                                       holder_id=holder.id, reason="family", actor_id=admin.id)
        standard = standards.get(standard_id)
        for example in _examples(standard):
            category = str(example.inspection["facts"]["product_category"])
            product = holders.create_product(
                database=database, actor=inspector, holder_id=holder.id,
                product=ProductCreate(name=example.name[:200], category=category))
            submitted = inspections.submit_inspection(
                database=database, standards=standards, inspector=inspector,
                body=InspectionCreate.model_validate(
                    {**example.inspection, "product_id": product.id, "standard": standard.ref}))
            outcome = "issue" if submitted.inspection["certified"] else "refuse"
            decisions.decide(
                database=database, standards=standards, certifier=certifier,
                inspection_id=submitted.inspection["id"],
                decision=DecisionCreate(decision=outcome, note=f"demo: {outcome}"))
    return tokens


def _examples(standard: Standard) -> list[Example]:
    """Two certified examples and one refused, when the standard has them."""
    good = [e for e in standard.examples if e.expect.certified][:2]
    bad = [e for e in standard.examples if not e.expect.certified][:1]
    return good + bad

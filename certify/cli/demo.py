"""`certify demo`: load a small, realistic demo (one workshop per craft) and say how to try it.

Run again on a database that holds data, it keeps the data and says how to try it again;
`--reset` empties the database first.
"""

from __future__ import annotations

import argparse
import os
import secrets
from dataclasses import dataclass
from typing import Any

from sqlmodel import func, select

from certify.cli import Failed
from certify.config import settings
from certify.core.errors import CertifyError
from certify.core.standard import Example, Standard
from certify.documents.untrusted import UploadLimits, UploadReaders, shared_upload_readers
from certify.rulebook.registry import version_key
from certify.services import accounts, competence, conflicts, decisions, evidence, holders, specimens
from certify.services.models import DecisionCreate, HolderCreate, ProductCreate
from certify.services.passwords import set_password
from certify.services.principal import Principal
from certify.services.standards import Standards, bundled
from certify.store import migrate
from certify.store.database import Database
from certify.store.tables import Certificate, Holder, User


@dataclass(frozen=True)
class Workshop:
    name: str
    owner: str
    province: str
    region: str
    crafts: list[str]
    standard: str
    contact: str


# One workshop per craft, each certified for products of its own craft.
WORKSHOPS = (
    Workshop(
        "Batik Tulis Giriloyo Lestari",
        "Ibu Nur Ahsanah",
        "DI Yogyakarta",
        "Bantul",
        ["batik"],
        "batik",
        "+62 812 2700 1100",
    ),
    Workshop(
        "Gerabah Kasongan Maju",
        "Ibu Sumiyati",
        "DI Yogyakarta",
        "Bantul",
        ["ceramics"],
        "ceramics",
        "+62 812 2700 1101",
    ),
    Workshop(
        "Mebel Ukir Jepara Jaya", "Bapak Slamet Riyadi", "Jawa Tengah", "Jepara", ["wood"], "wood", "+62 813 2500 2202"
    ),
    Workshop(
        "Tenun Ikat Prailiu",
        "Ibu Rambu Ana",
        "Nusa Tenggara Timur",
        "Sumba Timur",
        ["weaving"],
        "woven",
        "+62 852 3900 3303",
    ),
    Workshop(
        "Anyaman Rotan Tegalwangi",
        "Bapak Dedi Kurnia",
        "Jawa Barat",
        "Cirebon",
        ["rattan", "bamboo"],
        "rattan_bamboo",
        "+62 821 1400 4404",
    ),
)


@dataclass(frozen=True)
class SignIn:
    role: str
    user_id: int
    name: str
    login: str
    password: str
    token: str


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="load a demo: a workshop per craft, users of every role, certificates to verify",
        description="Load a small demo into the database (CERTIFY_DATA_DIR or CERTIFY_DATABASE_URL) and print "
        "each user's sign-in. On a database that already holds data, keep it and say how to try it.",
    )
    demo.add_argument(
        "--port",
        type=int,
        default=8000,
        help="the port `certify serve` will listen on, for the certificates' QR codes "
        "(default 8000; CERTIFY_PUBLIC_URL, when set, wins)",
    )
    demo.add_argument(
        "--reset", action="store_true", help="delete everything in the database first, then load the demo"
    )
    demo.set_defaults(run=_demo)


def _demo(args: argparse.Namespace) -> int:
    if "public_url" not in settings().model_fields_set:
        os.environ["CERTIFY_PUBLIC_URL"] = f"http://127.0.0.1:{args.port}"
        settings.cache_clear()
    config = settings()
    if args.reset:
        migrate.downgrade(config.database, "base")
    migrate.upgrade(config.database)
    database = Database.connect(config.database, pool_size=2)
    try:
        workshops, certificates = _counts(database)
        if workshops:
            print(
                f"certify demo: the database already holds {workshops} workshop(s) and {certificates} "
                "certificate(s): kept as they are (`certify demo --reset` deletes them and loads the demo)"
            )
            _how_to_try(database, config.public_url, port=args.port)
            return 0
        try:
            standards = bundled()
        except CertifyError as error:
            raise Failed(f"certify demo: the bundled standards do not load: {error}".splitlines()[0]) from None
        try:
            sign_ins = load(database=database, standards=standards)
        except CertifyError as error:  # a refusal (e.g. a certificate that cannot print): said, not a traceback
            raise Failed(f"certify demo: the demo could not be loaded: {error}".splitlines()[0]) from None
        print(f"demo loaded into {config.database}")
        print("each user's sign-in for the pages (login, password) and API token, shown once:")
        print(f"  {'id':>3} {'role':<9} {'name':<22} {'login':<10} {'password':<12}  API token")
        for s in sign_ins:
            print(f"  {s.user_id:>3} {s.role:<9} {s.name:<22} {s.login:<10} {s.password:<12}  {s.token}")
        _how_to_try(database, config.public_url, port=args.port)
    finally:
        database.dispose()
    return 0


def _counts(database: Database) -> tuple[int, int]:
    with database.read() as session:
        workshops = session.exec(select(func.count()).select_from(Holder)).one()
        certificates = session.exec(
            select(func.count()).select_from(Certificate).where(Certificate.certificate_id.isnot(None))  # type: ignore[union-attr]
        ).one()
    return int(workshops), int(certificates)


def _how_to_try(database: Database, public_url: str, *, port: int) -> None:
    with database.read() as session:
        certificate_id = session.exec(
            select(Certificate.certificate_id)
            .where(Certificate.certificate_id.isnot(None))  # type: ignore[union-attr]
            .order_by(Certificate.id)  # type: ignore[arg-type]
        ).first()
        has_users = session.exec(select(User.id)).first() is not None
    serve = "certify serve" if port == 8000 else f"certify serve --port {port}"
    print(f"then: {serve}, and open {public_url.rstrip('/')}/")
    if certificate_id:
        print(f"a certificate to verify: {certificate_id}  ({public_url.rstrip('/')}/verify/{certificate_id})")
    if has_users:
        print(
            "a new password for the pages: certify password USER_ID --login LOGIN  (`certify users list` lists the users)"
        )


def load(*, database: Database, standards: Standards) -> list[SignIn]:
    """A workshop per craft, users of every role (each with a sign-in for the pages and an API
    token), inspections, decisions and certificates, and one inspection awaiting a decision per
    workshop."""
    sign_ins: list[SignIn] = []

    def user(role: str, name: str, holder_id: int | None = None) -> Principal:
        principal, token = accounts.create_user(database=database, role=role, name=name, holder_id=holder_id)
        login = name.replace("Dr. ", "").replace("Ibu ", "").replace("Bapak ", "").split()[0].lower()
        password = secrets.token_urlsafe(9)
        set_password(database=database, user_id=principal.id, login=login, password=password)
        sign_ins.append(SignIn(role, principal.id, name, login, password, token))
        return principal

    admin = user("admin", "Admin Dewan Kerajinan")
    inspectors = [user("inspector", "Ayu Lestari"), user("inspector", "Made Wirawan")]
    certifiers = [user("certifier", "Dr. Hendra Gunawan"), user("certifier", "Siti Rahmawati")]
    for person in (*inspectors, *certifiers):  # competent for every bundled standard
        competence.authorise_for_every_standard(
            database=database, standards=standards, user_id=person.id, actor_id=admin.id
        )
    for index, workshop in enumerate(WORKSHOPS):
        holder = holders.create_holder(
            database=database,
            actor=admin,
            holder=HolderCreate(
                name=workshop.name,
                owner=workshop.owner,
                province=workshop.province,
                region=workshop.region,
                crafts=workshop.crafts,
                contact=workshop.contact,
            ),
        )
        if index == 0:
            user("artisan", workshop.owner, holder.id)
            # The first workshop lets buyers see its lots' photos (on the verify page and the PDF).
            evidence.set_consent(database=database, actor=admin, holder_id=holder.id, publish=True)
        inspector, certifier = inspectors[index % 2], certifiers[index % 2]
        if index == 1:
            conflicts.declare_conflict(
                database=database, user_id=inspectors[0].id, holder_id=holder.id, reason="family", actor_id=admin.id
            )
        standard = standards.get(workshop.standard)
        decided, pending = _examples(standard)
        for earlier in _earlier_versions(standards, standard):  # last year's certificates, still valid
            for example in [e for e in earlier.examples if e.expect.certified][:3]:
                inspection_id, _ = _submit(database, standards, earlier, example, inspector, holder.id)
                decisions.decide(
                    database=database,
                    standards=standards,
                    certifier=certifier,
                    inspection_id=inspection_id,
                    decision=DecisionCreate(decision="issue", note=f"demo: issued under {earlier.ref}"),
                )
        for example in decided:
            inspection_id, certified = _submit(database, standards, standard, example, inspector, holder.id)
            outcome = "issue" if certified else "refuse"
            decisions.decide(
                database=database,
                standards=standards,
                certifier=certifier,
                inspection_id=inspection_id,
                decision=DecisionCreate(decision=outcome, note=f"demo: {outcome}"),
            )
        for example in pending:  # in the certifiers' queue, to decide from the pages
            _submit(database, standards, standard, example, inspector, holder.id)
    return sign_ins


def _submit(
    database: Database, standards: Standards, standard: Standard, example: Example, inspector: Principal, holder_id: int
) -> tuple[int, bool]:
    category = str(example.inspection["facts"]["product_category"])
    product = holders.create_product(
        database=database,
        actor=inspector,
        holder_id=holder_id,
        product=ProductCreate(name=example.name[:200], category=category),
    )
    submitted = specimens.submit_example(
        database=database,
        standards=standards,
        standard=standard,
        inspection=example.inspection,
        product_id=product.id,
        inspector=inspector,
        lot_code=f"{standard.id.upper()}-{product.id:04d}",
        readers=_readers(),
        lot_photos=1,  # a photo of every demo lot, whatever the standard asks
    )
    return submitted.inspection["id"], bool(submitted.inspection["certified"])


def _readers() -> UploadReaders:
    """The sandboxed PDF readers that check the demo's lab reports, as a server's do."""
    return shared_upload_readers(workers=1, limits=UploadLimits(), queue_seconds=settings().verify_queue_seconds)


def _earlier_versions(standards: Standards, standard: Standard) -> list[Standard]:
    """The versions of the standard before the one the workshop is inspected under now."""
    return [
        s
        for s in standards.standards()
        if s.id == standard.id and version_key(s.version) < version_key(standard.version)
    ]


def _examples(standard: Standard) -> tuple[list[Example], list[Example]]:
    """Two certified examples and one refused to decide, and one more certified to leave pending."""
    good = [e for e in standard.examples if e.expect.certified]
    bad = [e for e in standard.examples if not e.expect.certified][:1]
    return good[:2] + bad, good[2:3]

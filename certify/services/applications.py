"""The way in (ISO/IEC 17065 §7.2, §7.3): a workshop applies without an account, accepting the
current certification agreement; a certifier or an admin reviews the application (scope, a
competent inspector, no conflict of interest) and accepts it with an assignment or declines it
with reasons. Accepting creates the workshop and its products and assigns an inspector to each
product; the applicant follows it all on a tracking page (an unguessable token in its URL) and,
with an e-mail address, by e-mail through the outbox.

"The same product" (a second application refused while one is open) is the same product name in
the same workshop, the workshop being its name in its province, names folded (case, spaces). No
account ties applications together, and a certificate prints just these names: two open
applications with them would lead to two certificates a buyer cannot tell apart. The category is
not part of it, so that choosing another category does not get round the rule. An application is
open while it is received (not yet reviewed) and, once accepted, until each assigned product has
been inspected."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from certify.config import Settings
from certify.core.errors import Problem
from certify.core.standard import Standard
from certify.core.text import Text
from certify.services import agreement, events, outbox
from certify.services.application_models import (
    DECLINE_REASONS,
    ApplicationCreate,
    ApplicationDetail,
    ApplicationProductPublic,
    ApplicationPublic,
    ApplicationReceived,
    AssignmentPublic,
    InspectorAvailable,
    ReviewChecks,
    ReviewCreate,
    ScopeCheck,
)
from certify.services.calendar import today
from certify.services.competence import authorised
from certify.services.conflicts import conflict_in_force
from certify.services.errors import Conflict, Forbidden, Invalid, NotFound
from certify.services.holders import add_holder, add_product
from certify.services.principal import Principal
from certify.services.standards import Standards
from certify.store.database import Database
from certify.store.tables import (
    AgreementAcceptance,
    Application,
    ApplicationProduct,
    Assignment,
    Holder,
    Inspection,
    Product,
    User,
)

REVIEWERS = ("admin", "certifier")
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe's alphabet
DEFAULT_LEAD_DAYS = 14  # the review page's first due date: two weeks from today


def folded(name: str) -> str:
    """A name as compared: case folded, runs of spaces as one."""
    return " ".join(name.casefold().split())


def workshop_key(name: str, province: str) -> str:
    return f"{folded(name)}|{folded(province)}"[:200]


# --- scope -------------------------------------------------------------------------------------


def current_standards(standards: Standards) -> dict[str, Standard]:
    """The newest version of each installed standard, by ID."""
    latest: dict[str, Standard] = {}
    for standard in standards.standards():
        if standard.id not in latest or _version(standard) > _version(latest[standard.id]):
            latest[standard.id] = standard
    return dict(sorted(latest.items()))


def _version(standard: Standard) -> tuple[int, int]:
    year, number = standard.version.split(".")
    return int(year), int(number)


def covers(standards: Standards, standard_id: str, category: str) -> bool:
    found = current_standards(standards).get(standard_id)
    return found is not None and category in found.product_categories


def markets(standards: Standards) -> tuple[str, ...]:
    """The target markets the installed standards know (their `markets` fact)."""
    known: list[str] = []
    for standard in current_standards(standards).values():
        fact = standard.facts.get("markets")
        known += [m for m in (fact.values if fact else ()) if m not in known]
    return tuple(known) or ("id", "other")


def _check_scope(standards: Standards, body: ApplicationCreate) -> None:
    installed = current_standards(standards)
    problems: list[Problem] = []
    first: Text | None = None
    for index, product in enumerate(body.products):
        standard = installed.get(product.standard)
        if standard is None:
            said = Text(
                en=f"products[{index}] ({product.name}): no standard {product.standard!r} is installed "
                f"(installed: {', '.join(installed)})",
                id=f"products[{index}] ({product.name}): standar {product.standard!r} tidak terpasang "
                f"(yang terpasang: {', '.join(installed)})",
            )
        elif product.category not in standard.product_categories:
            said = Text(
                en=f"products[{index}] ({product.name}): the category {product.category!r} is not covered by the "
                f"standard {standard.id!r} (it covers {', '.join(standard.product_categories)})",
                id=f"products[{index}] ({product.name}): kategori {product.category!r} tidak dicakup standar "
                f"{standard.id!r} (yang dicakup: {', '.join(standard.product_categories)})",
            )
        else:
            continue
        first = first or said
        problems.append(Problem(said.en, ("products", index, "category")))
    if first is not None:
        raise Invalid(first, problems)
    known = markets(standards)
    unknown = [m for m in body.markets if m not in known]
    if unknown:
        raise Invalid(
            Text(
                en=f"markets: unknown market {unknown[0]!r} (known: {', '.join(known)})",
                id=f"markets: pasar {unknown[0]!r} tidak dikenal (yang dikenal: {', '.join(known)})",
            ),
            [Problem(f"unknown market {unknown[0]!r}", ("markets",))],
        )
    names = [folded(p.name) for p in body.products]
    twice = next((p.name for p, n in zip(body.products, names, strict=True) if names.count(n) > 1), None)
    if twice is not None:
        raise Invalid(
            Text(
                en=f"products: {twice!r} is named twice: name each product once",
                id=f"products: {twice!r} disebut dua kali: sebut setiap produk sekali saja",
            ),
            [Problem(f"{twice!r} is named twice", ("products",))],
        )


# --- applying ----------------------------------------------------------------------------------


def apply(
    *,
    database: Database,
    standards: Standards,
    settings: Settings,
    body: ApplicationCreate,
    now: datetime | None = None,
) -> ApplicationReceived:
    """Receive an application (no account): 422 out of scope or an agreement version not the
    current one, 409 when a product of it is in another open application."""
    at = now or datetime.now(UTC)
    if body.email is None and body.phone is None:
        raise Invalid(
            Text(
                en="email, phone: give an e-mail address or a phone number, so that we can reach you",
                id="email, phone: isi alamat e-mail atau nomor telepon, agar kami dapat menghubungi Anda",
            ),
            [Problem("give an e-mail address or a phone number", ("email",))],
        )
    _check_scope(standards, body)
    accepted = agreement.check_accepted(settings, body.agreement_version)
    key = workshop_key(body.workshop, body.province)
    with database.write() as session:
        _refuse_open_twin(session, key, body)
        row = Application(
            token=secrets.token_urlsafe(24),
            language=body.language,
            workshop_name=body.workshop,
            workshop_key=key,
            owner=body.owner,
            province=body.province,
            region=body.region,
            address=body.address,
            contact_name=body.contact_name,
            email=body.email,
            phone=body.phone,
            markets=list(dict.fromkeys(body.markets)),
            agreement_version=accepted.version,
            received_at=at,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        for product in body.products:
            session.add(
                ApplicationProduct(
                    application_id=row.id,
                    name=product.name,
                    category=product.category,
                    standard_id=product.standard,
                    workshop_key=key,
                    product_key=folded(product.name)[:200],
                )
            )
        session.add(
            AgreementAcceptance(
                application_id=row.id, version=accepted.version, accepted_by=body.contact_name, accepted_at=at
            )
        )
        events.record(
            session,
            actor_id=None,
            action="application.received",
            subject_type="application",
            subject_id=row.id,
            detail={"agreement_version": accepted.version, "products": len(body.products)},
        )
        url = tracking_url(settings, row.token)
        _notify(
            session,
            row,
            "received",
            at,
            Text(
                en=f"We received your application ({body.workshop}). We review it and write to you again. "
                f"Follow it here: {url}",
                id=f"Permohonan Anda ({body.workshop}) sudah kami terima. Kami memeriksanya dan akan mengabari "
                f"Anda lagi. Pantau di sini: {url}",
            ),
        )
        return ApplicationReceived(id=row.id, token=row.token, tracking_url=url)


def tracking_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/applications/{token}"


def _refuse_open_twin(session: Session, key: str, body: ApplicationCreate) -> None:
    for product in body.products:
        twins = session.exec(
            select(Application, ApplicationProduct)
            .join(ApplicationProduct, col(ApplicationProduct.application_id) == col(Application.id))
            .where(
                ApplicationProduct.workshop_key == key,
                ApplicationProduct.product_key == folded(product.name)[:200],
                col(Application.state).in_(("received", "accepted")),
            )
        ).all()
        for application, twin in twins:
            if application.state == "received" or not _inspected(session, application, twin):
                raise Conflict(
                    Text(
                        en=f"products: {product.name!r} of {body.workshop} is already in an open application "
                        f"(received {application.received_at.date()}): follow that one on its tracking page",
                        id=f"products: {product.name!r} dari {body.workshop} sudah ada dalam permohonan yang masih "
                        f"berjalan (diterima {application.received_at.date()}): pantau di halaman pelacakannya",
                    ),
                    [Problem(f"{product.name!r} is already in an open application", ("products",))],
                )


def _inspected(session: Session, application: Application, twin: ApplicationProduct) -> bool:
    """Whether the accepted application's product has been inspected since its assignment."""
    assignment = session.exec(
        select(Assignment).where(Assignment.application_id == application.id, Assignment.product_id == twin.product_id)
    ).first()
    return assignment is not None and _inspection_of(session, assignment) is not None


def _inspection_of(session: Session, assignment: Assignment) -> int | None:
    return session.exec(
        select(Inspection.id)
        .where(
            Inspection.product_id == assignment.product_id,
            Inspection.standard_id == assignment.standard_id,
            col(Inspection.submitted_at) >= assignment.assigned_at,
        )
        .order_by(col(Inspection.id))
    ).first()


def _notify(session: Session, row: Application, kind: str, at: datetime, said: Text) -> None:
    """An update to the applicant by e-mail (none without an address), in the outbox of this
    transaction: their language first, the other after it."""
    if row.email is None:
        return
    first, second = (said.id, said.en) if row.language == "id" else (said.en, said.id)
    subject = Text(en=f"Your application: {kind}", id=f"Permohonan Anda: {_KIND_ID[kind]}")
    outbox.enqueue(
        session,
        kind=f"application.{kind}",
        channel="email",
        recipient=row.email,
        at=at,
        payload={"subject": getattr(subject, row.language), "text": f"{first}\n\n{second}\n"},
    )


_KIND_ID = {"received": "diterima", "accepted": "disetujui", "declined": "ditolak"}


# --- reading -----------------------------------------------------------------------------------


def tracked(*, database: Database, token: str) -> ApplicationPublic:
    """The applicant's view, by the token of the tracking page; 404 for any other string."""
    with database.read() as session:
        shaped = TOKEN.fullmatch(token) is not None  # never a NUL or the like to the database
        row = session.exec(select(Application).where(Application.token == token)).first() if shaped else None
        if row is None:
            raise NotFound(
                Text(en="no application has this tracking link", id="tidak ada permohonan dengan tautan pelacakan ini")
            )
        return ApplicationPublic.model_validate(_detail(session, row).model_dump())


def get_application(*, database: Database, viewer: Principal, application_id: int) -> ApplicationDetail:
    _reviewer(viewer)
    with database.read() as session:
        return _detail(session, _found(session, application_id))


def list_applications(*, database: Database, viewer: Principal, state: str | None = None) -> list[ApplicationDetail]:
    """Reviewers: applications, oldest first (those waiting first when no state is named)."""
    _reviewer(viewer)
    query = select(Application).order_by(col(Application.id))
    if state is not None:
        query = query.where(Application.state == state)
    with database.read() as session:
        return [_detail(session, row) for row in session.exec(query).all()]


def _reviewer(viewer: Principal) -> None:
    if viewer.role not in REVIEWERS:
        raise Forbidden(
            Text(
                en="only certifiers and admins review applications",
                id="hanya sertifikator dan admin yang memeriksa permohonan",
            )
        )


def _found(session: Session, application_id: int, *, lock: bool = False) -> Application:
    statement = select(Application).where(Application.id == application_id)
    row = session.exec(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise NotFound(Text(en=f"no application {application_id}", id=f"tidak ada permohonan {application_id}"))
    return row


def _detail(session: Session, row: Application) -> ApplicationDetail:
    assert row.id is not None
    products = session.exec(
        select(ApplicationProduct)
        .where(ApplicationProduct.application_id == row.id)
        .order_by(col(ApplicationProduct.id))
    ).all()
    assignments = session.exec(
        select(Assignment).where(Assignment.application_id == row.id).order_by(col(Assignment.id))
    ).all()
    return ApplicationDetail(
        id=row.id,
        state="accepted" if row.state == "accepted" else "declined" if row.state == "declined" else "received",
        language="en" if row.language == "en" else "id",
        workshop=row.workshop_name,
        province=row.province,
        received_at=row.received_at,
        agreement_version=row.agreement_version,
        markets=row.markets,
        products=[
            ApplicationProductPublic(name=p.name, category=p.category, standard=p.standard_id, product_id=p.product_id)
            for p in products
        ],
        reviewed_at=row.reviewed_at,
        decline_reasons=[DECLINE_REASONS[code] for code in row.decline_reasons if code in DECLINE_REASONS],
        note=row.review_note,
        assignments=[_assignment_public(session, a) for a in assignments],
        owner=row.owner,
        region=row.region,
        address=row.address,
        contact_name=row.contact_name,
        email=row.email,
        phone=row.phone,
        holder_id=row.holder_id,
    )


def _assignment_public(session: Session, row: Assignment) -> AssignmentPublic:
    assert row.id is not None
    holder = session.get(Holder, row.holder_id)
    product = session.get(Product, row.product_id)
    inspector = session.get(User, row.inspector_id)
    assert holder is not None and product is not None and inspector is not None
    return AssignmentPublic(
        id=row.id,
        application_id=row.application_id,
        holder_id=row.holder_id,
        holder=holder.name,
        product_id=row.product_id,
        product=product.name,
        category=product.category,
        standard=row.standard_id,
        inspector_id=row.inspector_id,
        inspector=inspector.name,
        due_on=row.due_on,
        inspection_id=_inspection_of(session, row),
        form_url=f"/inspect/new?product={row.product_id}&standard={row.standard_id}",
    )


def list_assignments(*, database: Database, viewer: Principal) -> list[AssignmentPublic]:
    """An inspector's own assignments (their queue), soonest due first; reviewers read every one."""
    if viewer.role not in ("inspector", *REVIEWERS):
        raise Forbidden(
            Text(
                en="only inspectors, certifiers and admins read assignments",
                id="hanya inspektur, sertifikator, dan admin yang dapat membaca penugasan",
            )
        )
    query = select(Assignment).order_by(col(Assignment.due_on), col(Assignment.id))
    if viewer.role == "inspector":
        query = query.where(Assignment.inspector_id == viewer.id)
    with database.read() as session:
        return [_assignment_public(session, row) for row in session.exec(query).all()]


# --- review ------------------------------------------------------------------------------------


def _existing_holder(session: Session, row: Application) -> Holder | None:
    """The workshop already on record under the application's name and province, if any."""
    longest = max(folded(row.workshop_name).split(), key=len)
    candidates = session.exec(
        select(Holder).where(func.lower(col(Holder.name)).contains(longest, autoescape=True))
    ).all()
    return next((h for h in candidates if workshop_key(h.name, h.province) == row.workshop_key), None)


def checks(
    *, database: Database, standards: Standards, viewer: Principal, application_id: int, due_on: date | None = None
) -> ReviewChecks:
    """The review's checks for a due date (default: two weeks from today)."""
    _reviewer(viewer)
    day = due_on or today() + timedelta(days=DEFAULT_LEAD_DAYS)
    with database.read() as session:
        row = _found(session, application_id)
        products = session.exec(select(ApplicationProduct).where(ApplicationProduct.application_id == row.id)).all()
        scope = [
            ScopeCheck(
                product=p.name,
                category=p.category,
                standard=p.standard_id,
                covered=covers(standards, p.standard_id, p.category),
            )
            for p in products
        ]
        holder = _existing_holder(session, row)
        holder_id = None if holder is None else holder.id
        needed = {p.standard_id for p in products}
        inspectors = [
            InspectorAvailable(id=user.id, name=user.name)
            for user in session.exec(select(User).where(User.role == "inspector").order_by(col(User.id))).all()
            if user.id is not None
            and all(authorised(session, user_id=user.id, standard_id=s, day=day) for s in needed)
            and (holder_id is None or conflict_in_force(session, user_id=user.id, holder_id=holder_id) is None)
        ]
        reviewer_conflict = holder_id is not None and (
            conflict_in_force(session, user_id=viewer.id, holder_id=holder_id) is not None
        )
        return ReviewChecks(
            due_on=day,
            scope=scope,
            in_scope=all(s.covered for s in scope),
            existing_holder_id=holder_id,
            inspectors=inspectors,
            reviewer_conflict=reviewer_conflict,
        )


def review(
    *,
    database: Database,
    standards: Standards,
    reviewer: Principal,
    application_id: int,
    body: ReviewCreate,
    now: datetime | None = None,
) -> ApplicationDetail:
    """Accept with an assignment (inspector, due date) or decline with reasons."""
    _reviewer(reviewer)
    at = now or datetime.now(UTC)
    with database.write() as session:
        row = _found(session, application_id, lock=True)
        if row.state != "received":
            raise Conflict(
                Text(
                    en=f"application {application_id} is already {row.state}: it is reviewed once",
                    id=f"permohonan {application_id} sudah {_KIND_ID[row.state]}: permohonan diperiksa sekali saja",
                )
            )
        if body.decision == "decline":
            _decline(session, row, reviewer, body, at)
        else:
            _accept(session, standards, row, reviewer, body, at)
        return _detail(session, row)


def _decline(session: Session, row: Application, reviewer: Principal, body: ReviewCreate, at: datetime) -> None:
    if not body.reasons:
        raise Invalid(
            Text(
                en=f"reasons: name at least one reason to decline ({', '.join(DECLINE_REASONS)})",
                id=f"reasons: sebutkan sedikitnya satu alasan penolakan ({', '.join(DECLINE_REASONS)})",
            ),
            [Problem("name at least one reason", ("reasons",))],
        )
    if "other" in body.reasons and not body.note:
        raise Invalid(
            Text(
                en="note: the reason 'other' needs a note that says it",
                id="note: alasan 'lainnya' memerlukan catatan yang menjelaskannya",
            ),
            [Problem("the reason 'other' needs a note", ("note",))],
        )
    row.state, row.reviewed_by, row.reviewed_at = "declined", reviewer.id, at
    row.decline_reasons, row.review_note = list(dict.fromkeys(body.reasons)), body.note
    session.add(row)
    assert row.id is not None
    events.record(
        session,
        actor_id=reviewer.id,
        action="application.declined",
        subject_type="application",
        subject_id=row.id,
        detail={"reasons": row.decline_reasons},
    )
    reasons = [DECLINE_REASONS[code] for code in row.decline_reasons]
    note = f"\n\n{body.note}" if body.note else ""
    _notify(
        session,
        row,
        "declined",
        at,
        Text(
            en="We cannot accept your application: " + " ".join(r.en for r in reasons) + note,
            id="Permohonan Anda belum dapat kami terima: " + " ".join(r.id for r in reasons) + note,
        ),
    )


def _accept(
    session: Session, standards: Standards, row: Application, reviewer: Principal, body: ReviewCreate, at: datetime
) -> None:
    assert row.id is not None
    if body.inspector_id is None or body.due_on is None:
        raise Invalid(
            Text(
                en="inspector_id, due_on: accepting assigns an inspector and a due date",
                id="inspector_id, due_on: menyetujui berarti menugaskan inspektur dan tanggal jatuh tempo",
            ),
            [Problem("accepting needs inspector_id and due_on", ("inspector_id",))],
        )
    if body.due_on < today():
        raise Invalid(
            Text(
                en=f"due_on: {body.due_on} has passed: the inspection is due on a day to come",
                id=f"due_on: {body.due_on} sudah lewat: inspeksi jatuh tempo pada hari yang akan datang",
            ),
            [Problem("the due date has passed", ("due_on",))],
        )
    products = list(
        session.exec(
            select(ApplicationProduct)
            .where(ApplicationProduct.application_id == row.id)
            .order_by(col(ApplicationProduct.id))
        ).all()
    )
    for product in products:
        if not covers(standards, product.standard_id, product.category):
            raise Invalid(
                Text(
                    en=f"{product.name}: the standard {product.standard_id!r} no longer covers the category "
                    f"{product.category!r}: decline with the reason out_of_scope",
                    id=f"{product.name}: standar {product.standard_id!r} tidak lagi mencakup kategori "
                    f"{product.category!r}: tolak dengan alasan out_of_scope",
                )
            )
    inspector = session.get(User, body.inspector_id)
    if inspector is None or inspector.role != "inspector":
        raise Invalid(
            Text(
                en=f"inspector_id: user {body.inspector_id} is not an inspector",
                id=f"inspector_id: pengguna {body.inspector_id} bukan inspektur",
            ),
            [Problem("not an inspector", ("inspector_id",))],
        )
    for standard_id in dict.fromkeys(p.standard_id for p in products):
        if not authorised(session, user_id=body.inspector_id, standard_id=standard_id, day=body.due_on):
            raise Forbidden(
                Text(
                    en=f"{inspector.name} is not authorised for the standard {standard_id!r} on {body.due_on}: "
                    "assign an inspector authorised for it (an admin authorises inspectors per standard)",
                    id=f"{inspector.name} tidak diotorisasi untuk standar {standard_id!r} pada {body.due_on}: "
                    "tugaskan inspektur yang diotorisasi (admin mengotorisasi inspektur per standar)",
                ),
                [Problem(f"not authorised for {standard_id!r} on {body.due_on}", ("inspector_id",))],
            )
    holder = _existing_holder(session, row)
    if holder is not None:
        assert holder.id is not None
        for who, user_id in (("inspector", body.inspector_id), ("reviewer", reviewer.id)):
            conflict = conflict_in_force(session, user_id=user_id, holder_id=holder.id)
            if conflict is not None:
                raise Forbidden(
                    Text(
                        en=f"the {who} declared a conflict of interest with {holder.name} ({conflict.reason}): "
                        "another person must " + ("inspect" if who == "inspector" else "review"),
                        id=f"{'inspektur' if who == 'inspector' else 'pemeriksa'} menyatakan benturan kepentingan "
                        f"dengan {holder.name} ({conflict.reason}): orang lain yang harus "
                        + ("menginspeksi" if who == "inspector" else "memeriksa"),
                    )
                )
    else:
        fields: dict[str, Any] = {
            "name": row.workshop_name,
            "owner": row.owner,
            "province": row.province,
            "region": row.region,
            "address": row.address,
            "crafts": sorted({p.standard_id for p in products}),
            "contact": (row.email or row.phone or "")[:200] or None,
        }
        holder = add_holder(session, actor_id=reviewer.id, fields=fields, application_id=row.id)
    assert holder.id is not None
    for wanted in products:
        product_id = _product_for(session, holder.id, wanted, reviewer, row.id)
        assignment = Assignment(
            application_id=row.id,
            holder_id=holder.id,
            product_id=product_id,
            standard_id=wanted.standard_id,
            inspector_id=body.inspector_id,
            due_on=body.due_on,
            assigned_by=reviewer.id,
            assigned_at=at,
        )
        session.add(assignment)
        session.flush()
        assert assignment.id is not None
        events.record(
            session,
            actor_id=reviewer.id,
            action="assignment.created",
            subject_type="assignment",
            subject_id=assignment.id,
            detail={
                "application_id": row.id,
                "product_id": product_id,
                "standard": wanted.standard_id,
                "inspector_id": body.inspector_id,
                "due_on": body.due_on.isoformat(),
            },
        )
    for acceptance in session.exec(
        select(AgreementAcceptance).where(AgreementAcceptance.application_id == row.id)
    ).all():
        acceptance.holder_id = holder.id
        session.add(acceptance)
    row.state, row.reviewed_by, row.reviewed_at, row.holder_id = "accepted", reviewer.id, at, holder.id
    row.review_note = body.note
    session.add(row)
    events.record(
        session,
        actor_id=reviewer.id,
        action="application.accepted",
        subject_type="application",
        subject_id=row.id,
        detail={"holder_id": holder.id, "inspector_id": body.inspector_id, "due_on": body.due_on.isoformat()},
    )
    note = f"\n\n{body.note}" if body.note else ""
    _notify(
        session,
        row,
        "accepted",
        at,
        Text(
            en=f"Your application is accepted. {inspector.name} will inspect your products by {body.due_on}." + note,
            id=f"Permohonan Anda disetujui. {inspector.name} akan menginspeksi produk Anda paling lambat "
            f"{body.due_on}." + note,
        ),
    )


def _product_for(
    session: Session, holder_id: int, wanted: ApplicationProduct, reviewer: Principal, application_id: int
) -> int:
    """The workshop's product of that name and category (made now unless it is on record)."""
    on_record = next(
        (
            p
            for p in session.exec(select(Product).where(Product.holder_id == holder_id)).all()
            if folded(p.name) == wanted.product_key and p.category == wanted.category
        ),
        None,
    )
    if on_record is None:
        fields: dict[str, Any] = {"name": wanted.name, "category": wanted.category}
        on_record = add_product(
            session, actor_id=reviewer.id, holder_id=holder_id, fields=fields, application_id=application_id
        )
    assert on_record.id is not None
    wanted.product_id = on_record.id
    session.add(wanted)
    return on_record.id


def acceptances(*, database: Database, viewer: Principal, holder_id: int) -> list[AgreementAcceptance]:
    """The agreement acceptances on a workshop's record (its artisans, inspectors and reviewers)."""
    from certify.services.holders import visible_holder

    with database.read() as session:
        visible_holder(session, viewer, holder_id)
        return list(
            session.exec(
                select(AgreementAcceptance)
                .where(AgreementAcceptance.holder_id == holder_id)
                .order_by(col(AgreementAcceptance.id))
            ).all()
        )

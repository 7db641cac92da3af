"""Evidence end to end, on SQLite and PostgreSQL: photos and lab reports uploaded, stored once by
SHA-256, named by an inspection, required before issuance where the standard declares them, and
carried into the certificate's signed record, PDF and verification page; every bad input a 4xx
that says what is wrong, with nothing already stored lost."""

from __future__ import annotations

import struct
import subprocess
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import func, select

from certify.app import create_app
from certify.cli.verify import covered_lines
from certify.config import Settings
from certify.rulebook import Rulebook, load_files
from certify.services import competence
from certify.services.specimens import specimen_lab_report, specimen_photo
from certify.store.database import Database
from certify.store.tables import EvidenceFile
from tests.api.conftest import CERTIFIED_FURNITURE, MAX_BODY, World, build_world, inspection_body
from tests.api.test_credentials import credential, independently
from tests.api.test_decisions import decide
from tests.conftest import ROOT, TEST_STANDARDS

API = "/api/v1"
EVIDENCE_WOOD = "wood_evidence"


@pytest.fixture(scope="module")
def evidence_rulebook(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    """The bundled test standards and `wood_evidence`: wood 2026.1 declaring one lot photo, a photo
    of FIN-01 and a lab report (at most 12 months old) for MAT-05 (moisture content, EN 13183)."""
    text = (ROOT / "rules/wood/2026.1.yaml").read_text()
    text = text.replace("\nid: wood\n", f"\nid: {EVIDENCE_WOOD}\n", 1)
    text = text.replace("\ncriteria:\n", "\nevidence: {lot_photos: 1}\ncriteria:\n", 1)
    mat05 = text.index("  - id: MAT-05")
    text = text[:mat05] + text[mat05:].replace(
        "    weight:", "    evidence: {lab_report: true, max_age_months: 12}\n    weight:", 1
    )
    fin01 = text.index("  - id: FIN-01")
    text = text[:fin01] + text[fin01:].replace("    weight:", "    evidence: {photos: 1}\n    weight:", 1)
    folder = tmp_path_factory.mktemp("standards") / EVIDENCE_WOOD
    folder.mkdir()
    (folder / "2026.1.yaml").write_text(text)
    return load_files([*(ROOT / name for name in TEST_STANDARDS), folder / "2026.1.yaml"])


@pytest.fixture
def world(database: Database, evidence_rulebook: Rulebook) -> World:
    """The small world, its inspectors and certifiers also authorised for `wood_evidence`."""
    made = build_world(database)
    for key in ("inspector", "inspector2", "certifier", "certifier2"):
        competence.authorise(
            database=database,
            standards=evidence_rulebook,
            user_id=made[key].id,
            body=competence.AuthorisationCreate(standard=EVIDENCE_WOOD),
        )
    return made


def make_client(database: Database, rulebook: Rulebook, tmp_path: Path, **settings: Any) -> TestClient:
    config = Settings(
        data_dir=tmp_path,
        max_body_bytes=MAX_BODY,
        public_rate_per_second=0,
        public_read_rate_per_second=0,
        render_workers=0,
        **settings,
    )
    return TestClient(create_app(config, database=database, rulebook=rulebook))


@pytest.fixture
def client(database: Database, evidence_rulebook: Rulebook, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(database, evidence_rulebook, tmp_path) as test_client:
        yield test_client


def upload(client: TestClient, world: World, data: bytes, who: str = "inspector", name: str = "f") -> Any:
    return client.post(f"{API}/evidence", files={"file": (name, data)}, headers=world[who].headers)


def stored_files(database: Database) -> int:
    with database.read() as session:
        return int(session.exec(select(func.count()).select_from(EvidenceFile)).one())


# --- uploads -------------------------------------------------------------------------------------


def test_the_same_photo_uploaded_again_answers_the_same_hash_and_is_stored_once(
    client: TestClient, world: World, database: Database
) -> None:
    photo = specimen_photo("lot JPR-01", seed=1)
    first = upload(client, world, photo)
    again = upload(client, world, photo, who="inspector2")
    assert first.status_code == again.status_code == 201, first.json()
    assert first.json() == again.json()
    assert first.json()["media_type"] == "image/jpeg"
    assert (first.json()["width"], first.json()["height"]) == (640, 480)
    assert stored_files(database) == 1


def _exif_photo() -> bytes:
    image = Image.new("RGB", (300, 200), (10, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber (in IFD0 here, dropped all the same)
    exif.get_ifd(0x8769)[0x9003] = "2026:11:30 09:15:00"
    exif.get_ifd(0x8825)[2] = (7.0, 48.0, 0.0)  # latitude of the workshop
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _exif_of(client: TestClient, world: World, sha: str) -> Image.Exif:
    served = client.get(f"{API}/evidence/{sha}", headers=world["inspector"].headers)
    assert served.status_code == 200
    return Image.open(BytesIO(served.content)).getexif()


def test_a_photo_keeps_only_its_capture_time_and_no_gps_unless_the_operator_asks(
    client: TestClient, world: World, database: Database, evidence_rulebook: Rulebook, tmp_path: Path
) -> None:
    answer = upload(client, world, _exif_photo())
    assert answer.status_code == 201, answer.json()
    exif = _exif_of(client, world, answer.json()["sha256"])
    assert exif.get_ifd(0x8769) == {0x9003: "2026:11:30 09:15:00"}
    assert 0x010F not in exif and 0xA431 not in exif and not exif.get_ifd(0x8825)
    with make_client(database, evidence_rulebook, tmp_path / "gps", evidence_keep_gps=True) as gps_client:
        kept = upload(gps_client, world, _exif_photo())
        assert kept.status_code == 201
        assert _exif_of(gps_client, world, kept.json()["sha256"]).get_ifd(0x8825)[2] == (7.0, 48.0, 0.0)


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` × `height` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


BAD_FILES = {
    "an SVG": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415, "is none of them"),
    "a text file": (b"hello, this is no photo", 415, "is none of them"),
    "a JPEG that is not one": (b"\xff\xd8\xff\xe0" + b"garbage" * 100, 422, "not what it claims"),
    "a PDF that is not one": (b"%PDF-1.7\n" + b"garbage" * 100, 422, "damaged"),
    "a decompression bomb": (_png_claiming(60_000, 60_000), 413, "decompression bomb"),
    "an empty file": (b"", 415, "is none of them"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_that_is_not_a_photo_or_a_pdf_is_refused_saying_why_and_nothing_stored_changes(
    client: TestClient, world: World, database: Database, case: str
) -> None:
    kept = upload(client, world, specimen_photo("kept", seed=2)).json()
    data, status, says = BAD_FILES[case]
    answer = upload(client, world, data, name="evil.jpg")
    assert answer.status_code == status, answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert says in answer.json()["detail"]
    assert stored_files(database) == 1
    again = client.get(f"{API}/evidence/{kept['sha256']}", headers=world["inspector"].headers)
    assert again.status_code == 200 and len(again.content) == kept["bytes"]


def test_an_upload_larger_than_the_limit_is_a_413_naming_the_setting(
    database: Database, evidence_rulebook: Rulebook, world: World, tmp_path: Path
) -> None:
    with make_client(database, evidence_rulebook, tmp_path, evidence_max_bytes=64 * 1024) as small:
        big = specimen_photo("big", size=(2400, 1800))
        assert len(big) > 64 * 1024 + 64 * 1024  # past the limit and the multipart slack: never read
        answer = upload(small, world, big)
        assert answer.status_code == 413
        assert "CERTIFY_EVIDENCE_MAX_BYTES" in answer.json()["detail"]
        assert stored_files(database) == 0


def test_a_lab_report_pdf_is_read_in_the_sandbox_and_stored_as_sent(client: TestClient, world: World) -> None:
    pdf = specimen_lab_report(["MAT-05"], report_number="LHU/7", issued_on=date(2026, 11, 2))
    answer = upload(client, world, pdf, name="report.pdf")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["media_type"] == "application/pdf" and answer.json()["bytes"] == len(pdf)
    assert client.get(f"{API}/evidence/{answer.json()['sha256']}", headers=world["inspector"].headers).content == pdf


# --- the sample ----------------------------------------------------------------------------------


def test_a_sampling_plan_draws_distinct_pieces_of_the_lot_as_many_as_iso_2859_asks(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        f"{API}/sampling-plans", json={"standard": "wood", "lot_size": 500}, headers=world["inspector"].headers
    )
    assert answer.status_code == 201, answer.json()
    plan = answer.json()
    assert (plan["code_letter"], plan["sample_size"], plan["standard"]) == ("H", 50, "wood@2026.1")
    assert len(set(plan["pieces"])) == 50 and all(1 <= p <= 500 for p in plan["pieces"])
    assert plan["pieces"] == sorted(plan["pieces"])


def test_an_inspection_names_only_a_plan_its_inspector_drew_for_that_lot(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    wrong_size = {**body, "lot": {**body["lot"], "size": body["lot"]["size"] + 1}}
    answer = client.post(f"{API}/inspections", json=wrong_size, headers=world["inspector"].headers)
    assert answer.status_code == 422 and "was drawn for a lot of" in answer.json()["detail"]
    someone_elses = client.post(f"{API}/inspections", json=body, headers=world["inspector2"].headers)
    assert someone_elses.status_code == 422 and "drawn by you" in someone_elses.json()["detail"]


@pytest.mark.parametrize("left_out", ["defects", "lot.code", "sampling_plan_id", "defects.minor"])
def test_defects_the_lot_code_and_the_plan_are_required_with_no_default(
    client: TestClient, world: World, rulebook: Rulebook, left_out: str
) -> None:
    body = inspection_body(world, rulebook, world.products["jepara_furniture"])
    head, _, tail = left_out.partition(".")
    if tail:
        body[head] = {k: v for k, v in body[head].items() if k != tail}
    else:
        del body[head]
    answer = client.post(f"{API}/inspections", json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/" + left_out.replace(".", "/") in {e.get("pointer") for e in answer.json()["errors"]}


# --- naming evidence -------------------------------------------------------------------------------


def _report(sha: str, **changes: Any) -> dict[str, Any]:
    return {
        "criteria": ["MAT-05"],
        "laboratory": "Balai Besar Kerajinan dan Batik",
        "accreditation": "KAN LP-000-IDN",
        "report_number": "LHU/2026/0042",
        "issued_on": str(date.today() - timedelta(days=30)),
        "file": sha,
        **changes,
    }


def test_evidence_named_wrongly_is_refused_with_every_offender(
    client: TestClient, world: World, evidence_rulebook: Rulebook
) -> None:
    """An unknown hash, another inspector's upload, a photo as a lab report, a report missing its
    laboratory and one dated tomorrow: one 422 that names each."""
    mine = upload(client, world, specimen_photo("mine", seed=3)).json()["sha256"]
    theirs = upload(client, world, specimen_photo("theirs", seed=4), who="inspector2").json()["sha256"]
    body = inspection_body(world, evidence_rulebook, world.products["jepara_furniture"], standard=EVIDENCE_WOOD)
    body["evidence"] = {"lot": ["0" * 64, theirs], "FIN-01": [mine], "XYZ-99": [mine]}
    body["lab_reports"] = [_report(mine), _report(mine, issued_on=str(date.today() + timedelta(days=1)))]
    answer = client.post(f"{API}/inspections", json=body, headers=world["inspector"].headers)
    assert answer.status_code == 422, answer.json()
    said = {(e["pointer"], e["detail"]) for e in answer.json()["errors"]}
    assert ("#/evidence/lot/0", f"no evidence {'0' * 64} uploaded by you: upload it first") in said
    assert ("#/evidence/lot/1", f"no evidence {theirs} uploaded by you: upload it first") in said
    assert ("#/evidence/XYZ-99", f"unknown criterion 'XYZ-99' in {EVIDENCE_WOOD}@2026.1") in said
    assert ("#/lab_reports/0/file", f"evidence {mine} is a photo, not a lab report PDF") in said
    assert any(p == "#/lab_reports/1/issued_on" and "in the future" in d for p, d in said)
    missing = {**body, "evidence": {}, "lab_reports": [{k: v for k, v in _report(mine).items() if k != "laboratory"}]}
    answer = client.post(f"{API}/inspections", json=missing, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert "#/lab_reports/0/laboratory" in {e["pointer"] for e in answer.json()["errors"]}


def test_a_file_of_one_holders_inspection_cannot_be_named_for_another_holder(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    sha = upload(client, world, specimen_photo("jepara lot", seed=5)).json()["sha256"]
    first = inspection_body(world, rulebook, world.products["jepara_furniture"])
    first["evidence"] = {"lot": [sha]}
    assert client.post(f"{API}/inspections", json=first, headers=world["inspector"].headers).status_code == 201
    other = inspection_body(world, rulebook, world.products["bali_furniture"])
    other["evidence"] = {"lot": [sha]}
    answer = client.post(f"{API}/inspections", json=other, headers=world["inspector"].headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["detail"] == f"evidence {sha} belongs to another holder's inspection"


# --- who sees what ---------------------------------------------------------------------------------


def test_the_public_sees_a_holders_photo_only_once_it_consented_and_a_certificate_was_issued(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    sha = upload(client, world, specimen_photo("published lot", seed=6)).json()["sha256"]
    body = inspection_body(world, rulebook, world.products["jepara_furniture"], CERTIFIED_FURNITURE)
    body["evidence"] = {"lot": [sha]}
    inspection = client.post(f"{API}/inspections", json=body, headers=world["inspector"].headers).json()["id"]
    url = f"{API}/evidence/{sha}"
    nothing = client.get(f"{API}/evidence/{'a' * 64}")
    assert client.get(url, headers=world["artisan"].headers).status_code == 200
    assert client.get(url, headers=world["artisan2"].headers).json() == {
        **client.get(f"{API}/evidence/{'a' * 64}", headers=world["artisan2"].headers).json(),
        "detail": f"no evidence {sha}",
        "instance": url,
    }
    assert client.get(url).status_code == nothing.status_code == 404
    consent = client.put(
        f"{API}/holders/{world.holders['jepara']}/evidence-consent",
        json={"publish": True},
        headers=world["artisan"].headers,
    )
    assert consent.status_code == 200
    assert client.get(url).status_code == 404  # consented, but nothing certified yet
    issued = client.post(
        f"{API}/inspections/{inspection}/decision", json={"decision": "issue"}, headers=world["certifier"].headers
    )
    assert issued.status_code == 201, issued.json()
    public = client.get(url)
    assert public.status_code == 200 and public.headers["content-type"] == "image/jpeg"
    page = client.get(f"/verify/{issued.json()['certificate_id']}")
    assert f'src="/api/v1/evidence/{sha}"' in page.text


# --- the gate and the certificate ------------------------------------------------------------------


def test_issuing_without_the_declared_evidence_is_refused_with_every_gap_then_issued_with_it(
    client: TestClient, world: World, evidence_rulebook: Rulebook, tmp_path: Path
) -> None:
    """Done when: a lot with its code, a random plan, lot photos and a lab report goes to a
    certificate whose record, PDF text and verify page show the lot, and whose record lists each
    evidence hash; without the photos or with an old lab report, issuing is refused with the list."""
    inspector, certifier = world["inspector"].headers, world["certifier"].headers
    body = inspection_body(
        world, evidence_rulebook, world.products["jepara_furniture"], standard=EVIDENCE_WOOD, evidence=False
    )
    saved = client.post(f"{API}/inspections", json=body, headers=inspector)
    assert saved.status_code == 201, saved.json()  # saved without its evidence: the field is offline
    inspection = saved.json()["id"]
    decide = f"{API}/inspections/{inspection}/decision"
    refused = client.post(decide, json={"decision": "issue"}, headers=certifier)
    assert refused.status_code == 409
    assert [e["detail"] for e in refused.json()["errors"]] == [
        "the lot needs 1 photo(s), 0 attached",
        "MAT-05 needs a lab report, none attached",
        "FIN-01 needs 1 photo(s), 0 attached",
    ]
    lot_photo = upload(client, world, specimen_photo("lot", seed=9)).json()["sha256"]
    fin_photo = upload(client, world, specimen_photo("FIN-01", seed=10)).json()["sha256"]
    pdf = specimen_lab_report(["MAT-05"], report_number="LHU/2024/1", issued_on=date(2024, 1, 1))
    report = upload(client, world, pdf).json()["sha256"]
    old = {
        "evidence": {"lot": [lot_photo], "FIN-01": [fin_photo]},
        "lab_reports": [_report(report, issued_on="2024-01-01")],
    }
    attached = client.put(f"{API}/inspections/{inspection}/evidence", json=old, headers=inspector)
    assert attached.status_code == 200, attached.json()
    refused = client.post(decide, json={"decision": "issue"}, headers=certifier)
    assert refused.status_code == 409
    assert [e["detail"] for e in refused.json()["errors"]] == [
        "MAT-05's lab report of 2024-01-01 is older than 12 months"
    ]
    fresh = {**old, "lab_reports": [_report(report)]}
    assert client.put(f"{API}/inspections/{inspection}/evidence", json=fresh, headers=inspector).status_code == 200
    issued = client.post(decide, json={"decision": "issue"}, headers=certifier)
    assert issued.status_code == 201, issued.json()
    certificate_id = issued.json()["certificate_id"]
    closed = client.put(f"{API}/inspections/{inspection}/evidence", json={}, headers=inspector)
    assert closed.status_code == 409

    record = client.get(f"{API}/certificates/{certificate_id}").json()["record"]
    assert record["type"] == "certify.certificate/2"
    assert record["lot"] == {"code": body["lot"]["code"], "quantity": body["lot"]["size"]}
    assert record["defects"] == body["defects"]
    plan = client.get(f"{API}/inspections/{inspection}", headers=certifier).json()["sampling_plan"]
    assert record["sample"]["pieces"] == plan["pieces"] and record["sample"]["size"] == plan["sample_size"]
    assert {a["fact"] for a in record["attributes"]} == set(body["facts"])
    assert {(p["of"], p["sha256"]) for p in record["evidence"]["photos"]} == {("lot", lot_photo), ("FIN-01", fin_photo)}
    assert [r["sha256"] for r in record["evidence"]["lab_reports"]] == [report]
    assert record["evidence"]["lab_reports"][0]["report_number"] == "LHU/2026/0042"
    assert any(report in line for line in covered_lines(record))

    pdf_file = tmp_path / "certificate.pdf"
    pdf_file.write_bytes(client.get(f"{API}/certificates/{certificate_id}/pdf", headers=world["admin"].headers).content)
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    assert body["lot"]["code"] in text and "Kode lot" in text and "Lot code" in text
    assert f"{body['lot']['size']} barang" in text
    page = client.get(f"/verify/{certificate_id}", headers={"Accept-Language": "en"}).text
    assert body["lot"]["code"] in page and lot_photo in page and report in page
    assert "lot-photo" not in page  # the holder did not consent: its photo is not shown


def test_the_credential_states_the_lot_its_sample_and_the_hash_of_every_piece_of_evidence(
    client: TestClient, world: World, evidence_rulebook: Rulebook
) -> None:
    """What was certified travels in the W3C credential as in the signed record: the lot's code
    and quantity, the sample and defects, and each photo's and lab report's SHA-256."""
    body = inspection_body(world, evidence_rulebook, world.products["jepara_furniture"], standard=EVIDENCE_WOOD)
    submitted = client.post(f"{API}/inspections", json=body, headers=world["inspector"].headers)
    assert submitted.status_code == 201, submitted.json()
    issued = decide(client, world, submitted.json()["id"])
    assert issued.status_code == 201, issued.json()
    certificate_id = issued.json()["certificate_id"]
    record = client.get(f"{API}/certificates/{certificate_id}").json()["record"]
    assessed = credential(client, certificate_id)["credentialSubject"]["assessment"][0]
    product = assessed["assessedProduct"][0]
    assert (product["batchNumber"], product["batchQuantity"]) == (record["lot"]["code"], record["lot"]["quantity"])
    assert assessed["assessmentDate"] == record["inspected_on"]
    assert (assessed["sampleSize"], assessed["defectsFound"]) == (record["sample"]["size"], record["defects"])
    evidence = record["evidence"]
    expected = [p["sha256"] for p in evidence["photos"]] + [r["sha256"] for r in evidence["lab_reports"]]
    assert len(expected) == 3 and [link["hashDigest"] for link in assessed["auditableEvidence"]] == expected
    assert independently(client, credential(client, certificate_id))["verified"] is True

"""The certification mark: a badge made from the certificate's current data, whose QR code a
phone reads as the certificate's verify URL; a certificate no longer valid has none."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from certify.rulebook import Rulebook
from tests.api.conftest import World
from tests.api.test_decisions import decide, submit


def issued(client: TestClient, world: World, rulebook: Rulebook) -> str:
    answer = decide(client, world, submit(client, world, rulebook))
    assert answer.status_code == 201, answer.json()
    certificate_id: str = answer.json()["certificate_id"]
    return certificate_id


def read_qr(png: bytes, tmp_path: Path) -> str:
    path = tmp_path / "mark.png"
    path.write_bytes(png)
    done = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_png_mark_is_300_px_wide_and_its_qr_reads_as_the_verify_url(
    client: TestClient, world: World, rulebook: Rulebook, tmp_path: Path
) -> None:
    certificate_id = issued(client, world, rulebook)
    answer = client.get(f"/api/v1/certificates/{certificate_id}/mark.png")  # no account: public like the record
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(answer.content))
    assert image.width == 300
    assert read_qr(answer.content, tmp_path) == f"http://127.0.0.1:8000/verify/{certificate_id}"
    hang_tag = client.get(f"/api/v1/certificates/{certificate_id}/mark.png", params={"width": 1200})
    assert Image.open(io.BytesIO(hang_tag.content)).width == 1200
    assert read_qr(hang_tag.content, tmp_path) == f"http://127.0.0.1:8000/verify/{certificate_id}"


def test_the_svg_mark_names_the_certificate_and_its_grade(client: TestClient, world: World, rulebook: Rulebook) -> None:
    certificate_id = issued(client, world, rulebook)
    answer = client.get(f"/api/v1/certificates/{certificate_id}/mark.svg")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(answer.text)
    words = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    grade = rulebook.get("wood").grades
    assert certificate_id in words and "Tersertifikasi · Certified" in words
    assert any(g.title.id in (w or "") for g in grade for w in words)


def test_a_suspended_certificate_has_no_mark_and_its_verify_page_says_so(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    certificate_id = issued(client, world, rulebook)
    suspended = client.post(
        f"/api/v1/certificates/{certificate_id}/suspend",
        json={"reason": "dye bleeding under review"},
        headers=world["certifier"].headers,
    )
    assert suspended.status_code == 200
    for kind in ("svg", "png"):
        answer = client.get(f"/api/v1/certificates/{certificate_id}/mark.{kind}")
        assert answer.status_code == 409
        assert f"certificate {certificate_id} is suspended: it has no mark" in answer.json()["detail"]


def test_a_mistyped_or_unknown_id_is_a_404(client: TestClient) -> None:
    assert client.get("/api/v1/certificates/not-an-id/mark.png").status_code == 404

"""Evidence: how fast photos are taken in, and what five photos cost an issuance.

- `photo_upload_per_second`: `POST /api/v1/evidence` of a typical phone photo (a 4000 × 3000
  JPEG of about 3 MB, each upload a different photo) over HTTP on 127.0.0.1, uvicorn with 2
  workers, SQLite, UPLOADERS clients at once for UPLOADS uploads. Each upload is decoded,
  re-encoded to 2048 px and stored.
- `reencode_per_second_one_process`: the yardstick: the same decode and re-encode in this
  process alone, no HTTP, no database (what one core does at that moment).
- `issue_p50_ms[no photos]`, `issue_p50_ms[5 photos]` and their ratio: the median of ISSUES
  issuances each (alternating, so that load on the machine falls on both alike), rendering in
  this process, warm; "5 photos": five lot photos named by the inspection (their hashes in the
  signed record) and, the holder having consented, one printed on the PDF.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from bench.certificates import uvicorn  # noqa: E402
from bench.server import running  # noqa: E402
from certify.config import Settings  # noqa: E402
from certify.documents.photos import reencode  # noqa: E402
from certify.rulebook import bundled  # noqa: E402
from certify.services import accounts, competence, decisions, evidence, holders, specimens  # noqa: E402
from certify.services.certificates import Issuance  # noqa: E402
from certify.services.models import DecisionCreate, HolderCreate, ProductCreate  # noqa: E402
from certify.services.rendering import render_here  # noqa: E402
from certify.store import migrate  # noqa: E402
from certify.store.database import Database  # noqa: E402

UPLOADS, UPLOADERS = 40, 4
ISSUES, WARM_UP = 15, 3
PHOTO_SIZE = (4000, 3000)


def phone_photos(count: int) -> list[bytes]:
    """`count` different JPEGs of PHOTO_SIZE, about 3 MB each (noise makes them as hard to
    compress as a photo of woven cloth)."""
    base = Image.effect_noise(PHOTO_SIZE, 40).convert("RGB").filter(ImageFilter.GaussianBlur(0.8))
    photos = []
    for number in range(count):
        image = base.copy()
        ImageDraw.Draw(image).rectangle((number * 50, 0, number * 50 + 40, 40), fill=(number * 6 % 255, 90, 30))
        out = BytesIO()
        image.save(out, "JPEG", quality=85)
        photos.append(out.getvalue())
    return photos


async def upload_all(port: int, token: str, photos: list[bytes]) -> float:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for photo in photos:
        queue.put_nowait(photo)

    async def uploader(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            photo = queue.get_nowait()
            answer = await client.post("/api/v1/evidence", files={"file": ("photo.jpg", photo)})
            assert answer.status_code == 201, answer.text

    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=120) as client:
        started = time.perf_counter()
        await asyncio.gather(*(uploader(client) for _ in range(UPLOADERS)))
        return time.perf_counter() - started


def issue_both(data_dir: Path) -> tuple[list[float], list[float]]:
    url = f"sqlite:///{data_dir / 'certify.db'}"
    database = Database.connect(url, pool_size=4)
    standards = bundled()
    admin, _ = accounts.create_user(database=database, role="admin", name="Bench admin")
    inspector, _ = accounts.create_user(database=database, role="inspector", name="Bench inspector 2")
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=inspector.id)
    certifier, _ = accounts.create_user(database=database, role="certifier", name="Bench certifier")
    competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=certifier.id)
    holder = holders.create_holder(
        database=database,
        actor=admin,
        holder=HolderCreate(name="Mebel Ukir Jepara Jaya", province="Jawa Tengah", crafts=["wood"]),
    )
    evidence.set_consent(database=database, actor=admin, holder_id=holder.id, publish=True)
    issuance = Issuance.from_settings(Settings(data_dir=data_dir), render=render_here)
    wood = standards.get("wood")
    timings: dict[int, list[float]] = {0: [], 5: []}
    for number in range(2 * (WARM_UP + ISSUES)):
        photos = 5 if number % 2 else 0
        product = holders.create_product(
            database=database,
            actor=admin,
            holder_id=holder.id,
            product=ProductCreate(name=f"Kursi jati {number}", category="furniture"),
        )
        submitted = specimens.submit_example(
            database=database,
            standards=standards,
            standard=wood,
            inspection=wood.examples[0].inspection,
            product_id=product.id,
            inspector=inspector,
            lot_code=f"BENCH-{number}",
            readers=None,
            lot_photos=photos,
        )
        started = time.perf_counter()
        decisions.decide(
            database=database,
            standards=standards,
            certifier=certifier,
            inspection_id=submitted.inspection["id"],
            decision=DecisionCreate(decision="issue"),
            issuance=issuance,
        )
        if number // 2 >= WARM_UP:
            timings[photos].append((time.perf_counter() - started) * 1000)
    database.dispose()
    return timings[0], timings[5]


def main() -> int:
    photos = phone_photos(UPLOADS)
    print(
        f"photo: {PHOTO_SIZE[0]} x {PHOTO_SIZE[1]} JPEG, {statistics.mean(map(len, photos)) / 1e6:.1f} MB",
        file=sys.stderr,
    )
    started = time.perf_counter()
    for photo in photos[:5]:
        reencode(photo, max_pixels=40_000_000, long_edge=2048, keep_gps=False)
    print(f"reencode_per_second_one_process: {5 / (time.perf_counter() - started):.1f}")
    with tempfile.TemporaryDirectory(prefix="certify-bench-") as folder:
        data_dir = Path(folder)
        url = f"sqlite:///{data_dir / 'certify.db'}"
        migrate.upgrade(url)
        database = Database.connect(url, pool_size=2)
        bench_user, token = accounts.create_user(database=database, role="inspector", name="Bench inspector")
        competence.authorise_for_every_standard(database=database, standards=bundled(), user_id=bench_user.id)
        database.dispose()
        env = {**os.environ, "CERTIFY_DATA_DIR": str(data_dir), "CERTIFY_RENDER_WORKERS": "0"}
        with running(uvicorn(["--factory", "certify.app:create_app"]), env) as port:
            asyncio.run(upload_all(port, token, phone_photos(4)))  # warm both workers
            elapsed = asyncio.run(upload_all(port, token, photos))
        print(f"photo_upload_per_second: {UPLOADS / elapsed:.1f}")
        without, with_photos = issue_both(data_dir)
    plain, photographed = statistics.median(without), statistics.median(with_photos)
    print(f"issue_p50_ms[no photos]: {plain:.0f}")
    print(f"issue_p50_ms[5 photos]: {photographed:.0f}")
    print(f"issue_ratio_5_photos: {photographed / plain:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

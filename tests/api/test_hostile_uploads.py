"""Issue 12, finding 1: hostile uploads to `/verify` are read under limits, apart from the server.

Many revisions, a Flate bomb and malformed files are answered 4xx naming the limit (or "not
authentic"), never 500; a reader past its time, CPU or memory is stopped and replaced, and the
next genuine file still verifies. The flood itself: tests/stress/test_hostile_flood.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from certify.api import verify
from certify.documents import ca_pem, render_certificate_pdf, sign_pdf
from certify.documents.untrusted import UploadLimits, UploadReaders, UploadRefused
from certify.ratelimit import PublicLimits, VerificationGate
from certify.rulebook import Rulebook
from certify.web import buyers
from tests import hostile_pdfs
from tests.api.conftest import World
from tests.api.test_verify import issued_pdf
from tests.integration.test_documents import RECORD, VERIFY_URL, a_certificate

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """A signed certificate PDF and the CA it chains to."""
    keys = tmp_path_factory.mktemp("keys")
    pdf = sign_pdf(
        render_certificate_pdf(certificate=a_certificate(), attachment=RECORD, verify_url=VERIFY_URL), key_dir=keys
    )
    return pdf, ca_pem(keys)


@pytest.fixture
def readers(request: pytest.FixtureRequest) -> Iterator[UploadReaders]:
    limits: UploadLimits = getattr(request, "param", UploadLimits())
    pool = UploadReaders(workers=1, limits=limits, queue_seconds=30)
    yield pool
    pool.close()


def test_a_pdf_with_thousands_of_revisions_is_refused_422_naming_the_limit(
    client: TestClient, world: World, rulebook: Rulebook
) -> None:
    """The issued PDF with 3,000 empty updates appended (once 87 s of work): 422, "revisions"."""
    _, pdf = issued_pdf(client, world, rulebook)
    answer = client.post("/api/v1/verify", files={"file": ("c.pdf", hostile_pdfs.many_revisions(pdf, 3000))})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert "more than 8 revisions" in answer.json()["detail"]


def test_a_flate_bomb_attachment_is_refused_413_naming_the_decoded_size(client: TestClient) -> None:
    """254 KB that inflate to 256 MiB: 413, naming the size a stream may expand to."""
    answer = client.post("/api/v1/verify", files={"file": ("c.pdf", hostile_pdfs.flate_bomb())})
    assert answer.status_code == 413
    assert "expands to more than 4096 KiB" in answer.json()["detail"]


@pytest.mark.parametrize("name", sorted(hostile_pdfs.MALFORMED))
def test_a_malformed_pdf_is_a_4xx_or_not_authentic_never_a_500(client: TestClient, name: str) -> None:
    """An attachment that is no stream, corrupt or unsupported compression, deep nesting, ...:
    a problem naming what is wrong, or a plain "not authentic"."""
    answer = client.post("/api/v1/verify", files={"file": ("c.pdf", hostile_pdfs.MALFORMED[name])})
    assert answer.status_code in (200, 413, 422), answer.text
    if answer.status_code == 200:
        assert answer.json()["authentic"] is False
    else:
        assert answer.json()["detail"]


def test_the_verify_page_refuses_a_hostile_upload_with_a_page_in_the_visitors_language(
    client: TestClient,
) -> None:
    """The page, in Indonesian: the limit named in a page, not JSON, not a 500."""
    page = client.get("/verify", headers={"Accept-Language": "id"})
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/verify/pdf",
        data={"csrf": token},
        headers={"Accept-Language": "id"},
        files={"file": ("c.pdf", hostile_pdfs.flate_bomb())},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "mengembang melebihi 4096 KiB" in answer.text


@pytest.mark.parametrize("readers", [UploadLimits(revisions=5000, seconds=1.0, cpu_seconds=60)], indirect=True)
def test_a_reader_past_its_time_is_killed_and_replaced(readers: UploadReaders, signed: tuple[bytes, bytes]) -> None:
    """A file within the counts but slow to check (1,500 revisions: many seconds): refused at the
    time limit; the next file is read by a fresh process."""
    pdf, ca = signed
    first = readers.read(pdf, ca, check_signature=False)  # started
    with pytest.raises(UploadRefused) as refused:
        readers.read(hostile_pdfs.many_revisions(pdf, 1500), ca, check_signature=True)
    assert refused.value.limit == "seconds" and refused.value.status == 422
    assert readers.read(pdf, ca, check_signature=False).attachment == first.attachment == RECORD


@pytest.mark.parametrize("readers", [UploadLimits(revisions=5000, seconds=60, cpu_seconds=1)], indirect=True)
def test_a_reader_past_its_cpu_time_is_stopped_by_the_kernel(
    readers: UploadReaders, signed: tuple[bytes, bytes]
) -> None:
    """RLIMIT_CPU ends the reading process; the file is refused naming the CPU limit."""
    pdf, ca = signed
    readers.read(pdf, ca, check_signature=True)
    with pytest.raises(UploadRefused) as refused:
        readers.read(hostile_pdfs.many_revisions(pdf, 1500), ca, check_signature=True)
    assert refused.value.limit == "cpu_seconds"
    assert readers.read(pdf, ca, check_signature=True).signature.valid  # type: ignore[union-attr]


@pytest.mark.parametrize("readers", [UploadLimits(memory_bytes=48 * MiB, decoded_bytes=1024 * MiB)], indirect=True)
def test_a_reader_past_its_memory_is_refused_413(readers: UploadReaders, signed: tuple[bytes, bytes]) -> None:
    """With the decoding limit lifted, the bomb meets RLIMIT_AS: 413 "memory"; the next file is read."""
    pdf, ca = signed
    with pytest.raises(UploadRefused) as refused:
        readers.read(hostile_pdfs.flate_bomb(), ca, check_signature=False)
    assert refused.value.limit == "memory" and refused.value.status == 413
    assert readers.read(pdf, ca, check_signature=True).signature.valid  # type: ignore[union-attr]


def test_uploads_past_the_concurrency_cap_get_503_with_retry_after() -> None:
    """The gate lets `limit` verifications in at once; the next one is 503 with Retry-After at
    once, while routes that are not verification pass."""
    release = asyncio.Event()
    answers: list[tuple[str, int, dict[bytes, bytes]]] = []

    async def slow(scope: dict[str, object], receive: object, send: object) -> None:
        if scope["path"] != "/healthz":
            await release.wait()
        answers.append((str(scope["path"]), 200, {}))

    gate = PublicLimits(  # as the app stacks them: only verifications reach the gate
        slow,
        api_prefix="/api/v1",
        verifications=lambda inner: VerificationGate(
            inner,
            limit=1,
            api_prefix="/api/v1",
            api_refusal=verify.busy,  # type: ignore[arg-type]
            page_refusal=buyers.busy,
        ),
        reads=lambda inner: inner,
    )

    async def call(path: str, method: str = "POST") -> None:
        sent: list[dict[str, object]] = []

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b""}

        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "headers": [],
            "query_string": b"",
            "app": None,
            "root_path": "",
            "scheme": "http",
            "server": ("t", 80),
        }
        await gate(scope, receive, send)  # type: ignore[arg-type]
        if sent:
            answers.append((path, int(sent[0]["status"]), dict(sent[0]["headers"])))  # type: ignore[call-overload]

    async def scenario() -> None:
        first = asyncio.create_task(call("/api/v1/verify"))
        await asyncio.sleep(0)
        await call("/api/v1/verify")
        await call("/healthz", "GET")
        release.set()
        await first

    asyncio.run(scenario())
    assert answers[0][:2] == ("/api/v1/verify", 503) and answers[0][2][b"retry-after"] == b"1"
    assert answers[1][:2] == ("/healthz", 200)
    assert answers[2][:2] == ("/api/v1/verify", 200)

"""Rendering and signing off the event loop, in worker processes (not threads).

Each worker gets a private TMPDIR (WeasyPrint makes font folders there) and loads the fonts,
the stylesheet and the templates once, when it starts.
"""

import asyncio
import atexit
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from types import TracebackType

from certify.documents.render import engine, render_certificate_pdf
from certify.documents.signature import sign_pdf
from certify.documents.view import CertificateView


def _prepare_worker() -> None:
    private = tempfile.mkdtemp(prefix="certify-render-")
    os.environ["TMPDIR"] = private
    tempfile.tempdir = private
    atexit.register(shutil.rmtree, private, ignore_errors=True)
    engine()


def render_signed_certificate_pdf(
    *, certificate: CertificateView, attachment: bytes, verify_url: str, key_dir: Path, tsa_url: str | None = None
) -> bytes:
    """The certificate PDF, rendered then signed (now; time-stamped by `tsa_url`): what issuance stores."""
    pdf = render_certificate_pdf(certificate=certificate, attachment=attachment, verify_url=verify_url)
    return sign_pdf(pdf, key_dir=key_dir, tsa_url=tsa_url)


class Renderer:
    """A pool of rendering processes the service awaits from its event loop.

    `async with Renderer(workers=2) as renderer: pdf = await renderer.render_signed(...)`
    """

    def __init__(self, *, workers: int = 2) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_prepare_worker,
        )

    async def render(self, *, certificate: CertificateView, attachment: bytes, verify_url: str) -> bytes:
        """The unsigned certificate PDF, rendered in a worker process."""
        job = partial(
            render_certificate_pdf,
            certificate=certificate,
            attachment=attachment,
            verify_url=verify_url,
        )
        return await asyncio.get_running_loop().run_in_executor(self._pool, job)

    async def render_signed(
        self,
        *,
        certificate: CertificateView,
        attachment: bytes,
        verify_url: str,
        key_dir: Path,
        tsa_url: str | None = None,
    ) -> bytes:
        """The signed certificate PDF, rendered and signed in one trip to a worker process."""
        job = partial(
            render_signed_certificate_pdf,
            certificate=certificate,
            attachment=attachment,
            verify_url=verify_url,
            key_dir=key_dir,
            tsa_url=tsa_url,
        )
        return await asyncio.get_running_loop().run_in_executor(self._pool, job)

    def close(self) -> None:
        """Stop the workers (waits for the pages being rendered)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    async def __aenter__(self) -> "Renderer":
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)

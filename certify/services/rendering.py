"""Where certificate PDFs are rendered and PAdES-signed: in this process, one at a time, or in the
server's pool of render processes, awaited on its event loop (never blocking it)."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Protocol

import anyio
import anyio.from_thread

from certify.documents import CertificateView, Renderer, render_signed_certificate_pdf


class RenderPdf(Protocol):
    """Renders and PAdES-signs one certificate: the bytes issuance stores."""

    def __call__(
        self,
        *,
        certificate: CertificateView,
        attachment: bytes,
        verify_url: str,
        key_dir: Path,
        tsa_url: str | None = None,
    ) -> bytes: ...


_render_lock = threading.Lock()


def render_here(
    *, certificate: CertificateView, attachment: bytes, verify_url: str, key_dir: Path, tsa_url: str | None = None
) -> bytes:
    """Render and sign in this process (one at a time: WeasyPrint is not shared across threads)."""
    with _render_lock:
        return render_signed_certificate_pdf(
            certificate=certificate, attachment=attachment, verify_url=verify_url, key_dir=key_dir, tsa_url=tsa_url
        )


_renderers: dict[int, Renderer] = {}
_renderers_lock = threading.Lock()


def shared_renderer(workers: int) -> Renderer:
    """This process's pool of render processes (one for every app in the process)."""
    with _renderers_lock:
        if workers not in _renderers:
            _renderers[workers] = Renderer(workers=workers)
        return _renderers[workers]


def close_shared_renderers() -> None:
    """Stop this process's render processes (a server's shutdown: none is left running)."""
    with _renderers_lock:
        renderers = list(_renderers.values())
        _renderers.clear()
    for renderer in renderers:
        renderer.close()


def render_in_pool(renderer: Renderer) -> RenderPdf:
    """Render in `renderer`'s processes, from a server's worker thread, awaiting on its event
    loop; in a thread that is not a server's (a command, a test), render here."""

    def render(
        *, certificate: CertificateView, attachment: bytes, verify_url: str, key_dir: Path, tsa_url: str | None = None
    ) -> bytes:
        job = partial(
            renderer.render_signed,
            certificate=certificate,
            attachment=attachment,
            verify_url=verify_url,
            key_dir=key_dir,
            tsa_url=tsa_url,
        )
        try:
            return anyio.from_thread.run(job)
        except anyio.NoEventLoopError:
            return render_here(
                certificate=certificate, attachment=attachment, verify_url=verify_url, key_dir=key_dir, tsa_url=tsa_url
            )

    return render

"""How long one certificate PDF takes: WeasyPrint render, then the PAdES signature.

Single process, warm (fonts, stylesheet and signer loaded once, as in a render worker); 30
certificates, each with its own ID and holder so no cache can answer. Prints
`render_p50_ms: N` and `sign_p50_ms: N`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certify.core.text import Text  # noqa: E402
from certify.documents import CategoryScores, CertificateView, render_certificate_pdf, sign_pdf  # noqa: E402

ROUNDS = 30
WARM_UP = 3


def certificate(number: int) -> CertificateView:
    return CertificateView(
        issuer_name="Dewan Kerajinan Nasional Indonesia",
        certificate_id=f"IDC-2026-{number:04d}-9XHD-P",
        holder_name=f"Ibu Siti Rahayu {number}",
        holder_region="Kab. Bantul, DI Yogyakarta",
        product_name="Kain batik tulis motif Parang Rusak",
        product_category=Text(id="Batik tulis", en="Hand-drawn batik"),
        standard_id="batik-tulis",
        standard_title=Text(id="Mutu batik tulis untuk ekspor", en="Quality of hand-drawn batik for export"),
        standard_version="2026.1",
        grade=Text(id="Emas", en="Gold"),
        scores=CategoryScores(materials="91.2", finish="87.5", packaging="80.0"),
        total_score="87.4",
        decided_on=date(2026, 11, 20),
        valid_from=date(2026, 11, 20),
        valid_until=date(2027, 11, 19),
        signature_fingerprint="7f3a 91c2 0be4 5d18",
        key_id="Nqa8PzJ0tH6F2c0kQ4m1o9T7vXyZ3bR5sW8uL2eD1gA",
    )


def main() -> None:
    render_ms: list[float] = []
    sign_ms: list[float] = []
    with tempfile.TemporaryDirectory() as keys:
        key_dir = Path(keys)
        for number in range(WARM_UP + ROUNDS):
            view = certificate(number)
            started = time.perf_counter()
            pdf = render_certificate_pdf(
                certificate=view, attachment=b'{"n":%d}' % number, verify_url=f"https://x.example/verify/{number}"
            )
            rendered = time.perf_counter()
            sign_pdf(pdf, key_dir=key_dir)
            signed = time.perf_counter()
            if number >= WARM_UP:
                render_ms.append((rendered - started) * 1000)
                sign_ms.append((signed - rendered) * 1000)
    print(f"render_p50_ms: {statistics.median(render_ms):.0f}")
    print(f"sign_p50_ms: {statistics.median(sign_ms):.0f}")


if __name__ == "__main__":
    main()

"""Whether a certificate needs the compact setting, known before its page is laid out.

A certificate is set compactly when the usual setting takes more than one A4 page; trying the
usual setting first doubles the layout work of every certificate that needs the compact one (a
wood certificate's lot block always does). A certificate's *outline* is the certificate with
every text that changes from one certificate to the next (names, IDs, dates, the verification
URL, scores, lot code and quantity) cut to one character: each of those texts has its own table
cell or line and takes at least one line, as its cut form does; the surrounding words are the
same, column widths are fixed (`table-layout: fixed`) and the photo's size is the stylesheet's.
So the outline never takes more room than the certificate: when the outline does not fit on one
page in the usual setting, neither does the certificate, and it is set compactly without trying.

The outline keeps what certificates of one standard and lot share (category, standard title,
grade, attributes, the grade's meaning, condition, sampling), so one outline's answer serves many
certificates. What each outline needs is learned the first time a certificate with it overflows
(one layout of the outline), and kept per process for the last OUTLINES outlines.
"""

import threading
from datetime import date

from certify.documents.view import CategoryScores, CertificateView

OUTLINES = 512
OUTLINE_URL = "0"
_SHORTEST = "0"
_SOME_DAY = date(2000, 5, 1)
_ONE_PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

_overflows: dict[str, bool] = {}
_lock = threading.Lock()


def outline(certificate: CertificateView) -> CertificateView:
    """`certificate` with every text that differs between certificates of one lot cut short."""
    scores = certificate.scores
    covered = certificate.covered
    if covered is not None:
        covered = covered.model_copy(
            update={
                "lot_code": _SHORTEST,
                "quantity": 1,
                "inspected_on": _SOME_DAY,
                "photo": None if covered.photo is None else _ONE_PIXEL,
            }
        )
    return certificate.model_copy(
        update={
            "certificate_id": _SHORTEST,
            "holder_name": _SHORTEST,
            "holder_region": _SHORTEST,
            "product_name": _SHORTEST,
            "scores": CategoryScores(
                materials=_shortest_score(scores.materials),
                finish=_shortest_score(scores.finish),
                packaging=_shortest_score(scores.packaging),
            ),
            "total_score": "0.0",
            "decided_on": _SOME_DAY,
            "decided_at": None,
            "valid_from": _SOME_DAY,
            "valid_until": _SOME_DAY,
            "signature_fingerprint": _SHORTEST,
            "key_id": _SHORTEST,
            "covered": covered,
        }
    )


def _shortest_score(score: str | None) -> str | None:
    return None if score is None else "0.0"


def _key(certificate: CertificateView) -> str:
    return outline(certificate).model_dump_json()


def learned(certificate: CertificateView) -> bool | None:
    """Whether `certificate`'s outline overflows the usual setting; None until it is learned."""
    with _lock:
        return _overflows.get(_key(certificate))


def remember(certificate: CertificateView, *, outline_overflows: bool) -> None:
    """Keep what `certificate`'s outline needs (the oldest outline is forgotten past OUTLINES)."""
    key = _key(certificate)
    with _lock:
        _overflows[key] = outline_overflows
        while len(_overflows) > OUTLINES:
            del _overflows[next(iter(_overflows))]

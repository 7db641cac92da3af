"""Why a request is refused, each with the HTTP status that says so.

    CertifyError                 (certify.core.errors)
    └── ServiceError             a use case refused; `status` is the HTTP status
        ├── Invalid          422 the input does not make sense (names the field or criterion)
        │   └── LogParameterInvalid  (certify.services.log) a size, index or range the log lacks
        ├── Unauthenticated  401 no valid token
        ├── Forbidden        403 the role or a conflict of interest forbids it (says why)
        ├── NotFound         404 no such object, or not one this user may see
        ├── Conflict         409 contradicts what is already recorded
        ├── TooLarge         413 an upload past a limit (names the limit)
        ├── Unsupported      415 an upload of a type the service does not take (names the types)
        ├── Unavailable      503 the database (or the upload readers) busy; retry
        └── CertificateNotMade  503 (certify.services.certificates) the PDF could not be made;
                                nothing was issued

The reason is given as a `Text` (Indonesian and English) wherever a page may show it, else as an
English string; `detail` is the English (the API's problem documents), `text` both languages.
"""

from __future__ import annotations

from certify.core.errors import CertifyError, Problem
from certify.core.text import Text


class ServiceError(CertifyError):
    status = 500
    title = "Internal error"
    slug = "internal"

    def __init__(self, detail: str | Text, problems: list[Problem] | None = None) -> None:
        self.text = detail if isinstance(detail, Text) else Text(en=detail, id=detail)
        self.detail = self.text.en
        super().__init__(problems or [Problem(self.detail)])
        self.args = (self.detail,)


class Invalid(ServiceError):
    status, title, slug = 422, "Invalid input", "invalid"


class Unauthenticated(ServiceError):
    status, title, slug = 401, "Not signed in", "unauthenticated"


class Forbidden(ServiceError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(ServiceError):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(ServiceError):
    status, title, slug = 409, "Conflict", "conflict"


class TooLarge(ServiceError):
    status, title, slug = 413, "Too large", "too-large"


class Unsupported(ServiceError):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


class Unavailable(ServiceError):
    status, title, slug = 503, "Busy, try again", "unavailable"

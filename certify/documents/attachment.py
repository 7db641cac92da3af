"""Read the signed record back out of a certificate PDF."""

from io import BytesIO

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from certify.documents.render import ATTACHMENT_NAME


def extract_attachment(pdf: bytes, *, name: str = ATTACHMENT_NAME) -> bytes | None:
    """The bytes of the embedded file called `name`, or None when there is none (or no PDF)."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) == name:
                data: bytes = names[index + 1]["/EF"]["/F"].data
                return data
    except (PdfError, KeyError, TypeError, ValueError):
        return None
    return None

"""Read the signed record back out of a certificate PDF."""

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

from certify.documents.render import ATTACHMENT_NAME


def extract_attachment(pdf: bytes, *, name: str = ATTACHMENT_NAME) -> bytes | None:
    """The bytes of the embedded file called `name`, or None when there is none (or no PDF)."""
    try:
        return attachment_of(PdfFileReader(BytesIO(pdf), strict=False), name=name)
    except (PdfError, KeyError, TypeError, ValueError):
        return None


def attachment_of(reader: PdfFileReader, *, name: str = ATTACHMENT_NAME) -> bytes | None:
    """The embedded file called `name` in a parsed PDF; None where there is none, or where the
    names tree or the file is not what a PDF writer makes (a names entry that is no array, a file
    that is no stream): a hostile file is "no record", never an error."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        if not isinstance(names, generic.ArrayObject):
            return None
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) == name:
                embedded = names[index + 1]["/EF"]["/F"]
                if not isinstance(embedded, generic.StreamObject):
                    return None
                data: bytes = embedded.data
                return data
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    return None

"""Photos uploaded as evidence: decoded and re-encoded with Pillow, within bounds.

A photo is recognised by its first bytes (JPEG, PNG or WebP), never by its name or declared type.
Its size in pixels is read from the header and refused above `max_pixels` before anything is
decoded (a decompression bomb is a small file that decodes to billions of pixels); then it is
decoded, turned upright, shrunk to `long_edge` on its long edge and encoded again in its own
format. The metadata kept is the capture time (EXIF DateTimeOriginal, else DateTime) and, only
when the operator asks for it, the GPS position; everything else (camera serial numbers, owner
names, thumbnails, maker notes) is dropped. The same upload gives the same bytes again.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from certify.core.text import Text

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_MAGIC = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"))
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATE_TIME, DATE_TIME_ORIGINAL = 0x0132, 0x9003


@dataclass(frozen=True, slots=True)
class Photo:
    content: bytes
    media_type: str
    width: int
    height: int


class PhotoRefused(Exception):
    """The bytes are not a photo this service takes: `status` 413 (too many pixels) or 422."""

    def __init__(self, status: int, text: Text) -> None:
        super().__init__(text.en)
        self.status, self.text = status, text


def photo_format(data: bytes) -> str | None:
    """ "JPEG", "PNG" or "WEBP" from the file's first bytes; None for anything else."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def reencode(data: bytes, *, max_pixels: int, long_edge: int, keep_gps: bool) -> Photo:
    """The photo in `data` re-encoded (see the module's docstring); `PhotoRefused` otherwise."""
    kind = photo_format(data)
    if kind is None:
        raise _damaged("it is not a JPEG, PNG or WebP photo", "bukan foto JPEG, PNG atau WebP")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=[kind]) as image:
                if image.width * image.height > max_pixels:
                    raise _too_many_pixels(image.width, image.height, max_pixels)
                image.load()
                metadata = _kept_metadata(image.getexif(), keep_gps=keep_gps)
                upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(0, 0, max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _damaged(
                f"it begins like a {kind} photo but cannot be decoded",
                f"awalnya seperti foto {kind} tetapi tidak dapat diurai",
            ) from None
    upright.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS)
    return Photo(_encode(upright, kind, metadata), FORMATS[kind], upright.width, upright.height)


def _kept_metadata(exif: Image.Exif, *, keep_gps: bool) -> Image.Exif:
    kept = Image.Exif()
    taken = exif.get_ifd(EXIF_IFD).get(DATE_TIME_ORIGINAL) or exif.get(DATE_TIME)
    if isinstance(taken, str) and len(taken) <= 32:
        kept.get_ifd(EXIF_IFD)[DATE_TIME_ORIGINAL] = taken
    if keep_gps:
        gps = exif.get_ifd(GPS_IFD)
        if gps:
            kept.get_ifd(GPS_IFD).update(gps)
    return kept


def _encode(image: Image.Image, kind: str, metadata: Image.Exif) -> bytes:
    out = BytesIO()
    exif = metadata.tobytes() if len(metadata) or metadata.get_ifd(EXIF_IFD) else b""
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, exif=exif)
    elif kind == "PNG":
        keep = image if image.mode in ("RGB", "RGBA", "L", "LA") else image.convert("RGBA")
        keep.save(out, "PNG", exif=exif)
    else:
        keep = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        keep.save(out, "WEBP", quality=85, exif=exif)
    return out.getvalue()


def _too_many_pixels(width: int, height: int, max_pixels: int) -> PhotoRefused:
    size = f" ({width} × {height})" if width else ""
    return PhotoRefused(
        413,
        Text(
            en=f"the photo decodes to more than {max_pixels:,} pixels{size}: a decompression bomb or far too large",
            id=f"foto ini menjadi lebih dari {max_pixels:,} piksel{size}: bom dekompresi atau terlalu besar",
        ),
    )


def _damaged(en: str, id_: str) -> PhotoRefused:
    return PhotoRefused(
        422,
        Text(en=f"the file is not what it claims: {en}", id=f"berkas ini bukan seperti yang diakuinya: {id_}"),
    )

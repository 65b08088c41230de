"""Pictures in a pack: the format its name says, a size a kiosk can show, whole.

Checked at validate and at build, so a signed pack holds only pictures that decode. The
kiosk decodes them again with Qt, off the GUI thread, in the format the name says and
never another (kiosk/ui/widgets/pictures.py): Qt's SVG plugin, reached by sniffing the bytes of
an SVG named ``.png``, loads files named in it from anywhere on the kiosk's disk.

Pillow reads here (``formats=`` also stops it guessing). Rules:

- the first bytes are the format's signature (PNG: ISO/IEC 15948 section 5.2; JPEG:
  SOI then a marker, ITU-T T.81 B.1.1.2);
- width and height, from the header before decoding, at most ``MAX_SIDE_PX`` and
  ``MAX_PIXELS`` (an 8000x8000 PNG is 186 KB on disk and 256 MB decoded);
- one frame (an animated PNG would decode every frame);
- the whole picture decodes: an empty, cut-short or damaged file is refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

# The limits, with why each value: kiosk.core.content.limits.
from kiosk.core.content.limits import LARGE_PIXELS as LARGE_PIXELS
from kiosk.core.content.limits import MAX_DECODED_BYTES as MAX_DECODED_BYTES
from kiosk.core.content.limits import MAX_PIXELS as MAX_PIXELS
from kiosk.core.content.limits import MAX_SIDE_PX as MAX_SIDE_PX
from kiosk.core.content.limits import PICTURE_MAX_BYTES as PICTURE_MAX_BYTES
from kiosk.core.errors import KioskError

SUFFIX_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_SIGNATURES = {"PNG": b"\x89PNG\r\n\x1a\n", "JPEG": b"\xff\xd8\xff"}
# What a picture that is not its name's format usually is, for the message.
_LOOKS_LIKE = (
    (b"\x89PNG", "a PNG"),
    (b"\xff\xd8\xff", "a JPEG"),
    (b"GIF8", "a GIF"),
    (b"RIFF", "a WebP or other RIFF file"),
    (b"BM", "a BMP"),
    (b"<?xml", "an SVG or other XML file"),
    (b"<svg", "an SVG"),
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP file"),
)


class PictureError(KioskError):
    """What is wrong with a picture, in words for staff (no file name: callers add it)."""


@dataclass(frozen=True)
class PictureInfo:
    format: str  # "PNG" or "JPEG"
    width: int  # px
    height: int  # px

    @property
    def large(self) -> bool:
        return self.width * self.height > LARGE_PIXELS


def picture_format(suffix: str) -> str | None:
    """The one format a file with this suffix may hold ("PNG", "JPEG"); None if none."""
    return SUFFIX_FORMATS.get(suffix.lower())


def check_picture(data: bytes, suffix: str) -> PictureInfo:
    """The picture's format and size, after a whole decode.

    Raises PictureError: not the format ``suffix`` names, too large, animated, or not a
    whole picture. Header first: nothing above the limits is decoded."""
    fmt = picture_format(suffix)
    if fmt is None:
        raise PictureError("must be a .png or .jpg file")
    if not data:
        raise PictureError("is empty (0 bytes); save the picture again")
    if not data.startswith(_SIGNATURES[fmt]):
        seen = next((name for sig, name in _LOOKS_LIKE if data.lstrip().startswith(sig)), None)
        what = f"it is {seen}" if seen else "it is not a picture Pillow or Qt knows"
        raise PictureError(
            f"is named {suffix.lower()} but is not a {fmt} file ({what}); "
            f"save it as {fmt} (in an image editor: Export, {fmt}) or rename it"
        )
    if fmt == "PNG":
        _check_png_header(data)
    from PIL import Image  # staff's commands only: `kiosk run` never loads Pillow

    try:
        with warnings.catch_warnings():
            # Pillow warns above 89 megapixels; the limits below are far lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=[fmt])
        with picture:
            width, height = picture.size
            check_size(width, height)
            if getattr(picture, "n_frames", 1) > 1 or "actl" in {
                str(key).lower() for key in picture.info
            }:
                raise PictureError("is an animation; use a still picture")
            picture.load()
        if fmt == "PNG":
            # Every chunk's checksum and the end marker, which load() does not check
            # and Qt's decoder (libpng) does.
            with Image.open(io.BytesIO(data), formats=[fmt]) as again:
                again.verify()
    except PictureError:
        raise
    except Image.DecompressionBombError:
        raise PictureError(
            "is far larger than a kiosk can show; make it 2000 pixels wide or less"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise PictureError(
            f"is damaged or cut short and does not open as a picture ({err}); save or copy it again"
        ) from None
    return PictureInfo(fmt, width, height)


def _check_png_header(data: bytes) -> None:
    """The PNG's header (ISO/IEC 15948 11.2.2): the decoded size at its bit depth, and a
    palette for a palette picture (Pillow lends one; libpng, the kiosk's, refuses)."""
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise PictureError("is damaged or cut short (no PNG header); save or copy it again")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    depth, colour = data[24], data[25]
    check_size(width, height)
    decoded = width * height * (8 if depth == 16 else 4)
    if decoded > MAX_DECODED_BYTES:
        raise PictureError(
            f"is a {depth}-bit picture of {width} x {height} pixels, {decoded // 2**20} MB "
            f"once opened (at most {MAX_DECODED_BYTES // 2**20} MB); save it with 8 bits "
            "per colour (in an image editor: Image, Mode, 8 bits) or make it smaller"
        )
    end = data.find(b"IDAT")
    if colour == 3 and b"PLTE" not in data[: end if end > 0 else len(data)]:
        raise PictureError(
            "is a palette picture with no palette, which the kiosk cannot show; "
            "save it again as PNG"
        )


def check_size(width: int, height: int) -> None:
    """Raise PictureError if a picture of ``width`` x ``height`` px is beyond the limits
    (the kiosk's decoder asks too: one rule for validate and the screen)."""
    if width <= 0 or height <= 0:
        raise PictureError(f"has no size ({width} x {height} pixels); save it again")
    if width > MAX_SIDE_PX or height > MAX_SIDE_PX or width * height > MAX_PIXELS:
        raise PictureError(
            f"is {width} x {height} pixels, larger than a kiosk can show (at most "
            f"{MAX_SIDE_PX} pixels a side and {MAX_PIXELS // 1_000_000} megapixels); "
            "make it 2000 pixels wide or less"
        )

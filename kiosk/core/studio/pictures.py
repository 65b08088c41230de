"""A picture staff add to an article: checked as the validator checks it, copied into
the pack's ``images`` folder of the article's language, and named for Markdown.

The studio never points an article at a picture outside the content folder (a build
would refuse it, and the kiosk shows only what the signed pack holds): the picture is
copied in. The same checks as ``kiosk content validate`` (kiosk.core.content.images):
a real PNG or JPEG, whole, not moving, within MAX_SIDE_PX and MAX_PIXELS, at most
PICTURE_MAX_BYTES.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.core.content.images import check_picture_file
from kiosk.core.content.pictures import picture_format
from kiosk.core.digest import sha256_hex
from kiosk.core.errors import KioskError
from kiosk.core.files import write_atomically

IMAGES = "images"
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


class PictureRefusedError(KioskError):
    """Why a picture cannot go into the pack, in one line for staff."""


def add_picture(picture: Path, article: Path) -> str:
    """Copy ``picture`` into ``<language folder>/images/`` beside ``article`` (a file
    ``<content>/<language>/<kind>/<slug>.md``) and return the address the article
    writes for it (``../images/<name>``). The same picture added twice is one file; a
    different one with the same name gets ``-2``, ``-3``... Raises PictureRefusedError."""
    check_new_picture(picture)
    folder = article.parent.parent / IMAGES
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise PictureRefusedError(
            f"{folder} is a link or a file, not a folder of the content; make it a folder"
        )
    try:
        data = picture.read_bytes()
        folder.mkdir(exist_ok=True)
        target = _free_name(folder, _safe_name(picture), data)
        if not target.exists():
            write_atomically(target, data)
    except OSError as err:
        raise PictureRefusedError(
            f"{picture.name} could not be copied into {folder} ({err.strerror})"
        ) from err
    return f"../{IMAGES}/{target.name}"


def check_new_picture(picture: Path) -> None:
    """Raises PictureRefusedError (one line, with the fix) if the validator would refuse
    ``picture`` in a pack."""
    if picture_format(picture.suffix) is None:
        raise PictureRefusedError(
            f"{picture.name} is not a .png or .jpg picture; save it as PNG or JPEG first"
        )
    checked = check_picture_file(picture)
    if isinstance(checked, str):
        raise PictureRefusedError(f"{picture.name} {checked}")


def _safe_name(picture: Path) -> str:
    """A name with no spaces or capitals (the validator refuses spaces in addresses)."""
    stem = _UNSAFE.sub("-", picture.stem.lower()).strip("-.") or "picture"
    suffix = picture.suffix.lower().replace(".jpeg", ".jpg")
    return stem[:60] + suffix


def _free_name(folder: Path, name: str, data: bytes) -> Path:
    """``name`` in ``folder``, or the first ``-N`` of it that is free or holds ``data``."""
    digest = sha256_hex(data)
    candidate = folder / name
    number = 1
    while candidate.exists():
        if candidate.is_file() and sha256_hex(candidate.read_bytes()) == digest:
            return candidate
        number += 1
        candidate = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
    return candidate

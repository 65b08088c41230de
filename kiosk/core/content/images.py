"""Pictures in an article: resolved only to files inside the pack, as ``pack:`` URLs.

The UI loads a ``pack:`` URL from the verified pack and nowhere else
(kiosk/ui/widgets/textview.py). Each picture must be a .png or .jpg file in the pack
(not a link to one), with a description for read aloud and screen readers; at
validate and build it is also decoded (kiosk.core.content.pictures).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from kiosk.core.content.limits import PICTURE_MAX_BYTES
from kiosk.core.content.packpaths import PackPaths, left_out_of_pack
from kiosk.core.content.pictures import PictureError, PictureInfo, check_picture, picture_format
from kiosk.core.content.problems import ProblemList
from kiosk.core.content.sections import picture_description
from kiosk.core.files import read_regular


def resolve_image(image: Token, line: int, paths: PackPaths, problems: ProblemList) -> None:
    """Give an ``image`` token its ``pack:`` address (``meta["src"]``), or leave it None
    (the card shows its description as text) and report why."""
    src = unquote(str(image.attrGet("src") or "").strip())
    image.meta["src"] = None
    target = _picture_in_pack(src, line, paths, problems)
    if target is None:
        return
    description = picture_description(image)
    if not any(char.isalnum() for char in description):
        problems.error(
            line,
            f"picture '{src[:60]}' has no description; write what it shows between the "
            "brackets, e.g. ![A healthy heart](../images/heart.png): read aloud and "
            "screen readers say it to patients who cannot see the picture",
        )
    if paths.check_pictures and not _decodes(target, src, line, paths, problems):
        return
    image.meta["src"] = paths.pack_url(target)


def _is_address(src: str) -> bool:
    """Whether ``src`` is written as an address (a scheme, or one urlsplit cannot even
    read, such as 'https://[::1'), not a path."""
    try:
        return bool(urlsplit(src).scheme)
    except ValueError:
        return True


def _picture_in_pack(src: str, line: int, paths: PackPaths, problems: ProblemList) -> Path | None:
    """The picture file ``src`` names (resolved), if it is a picture file in the pack;
    else None, and why at ``line``. The file system is asked once per address in an
    article: 260 pictures of one card asked it 260 times, 74 ms on the GUI thread when
    an installed article opened (issue 13's second attacker)."""
    key = ("picture", src)
    if key not in paths.memo:
        paths.memo[key] = _locate_picture(src, paths)
    found: tuple[Path | None, str] = paths.memo[key]
    target, problem = found
    if problem:
        problems.error(line, problem)
    return target


def _locate_picture(src: str, paths: PackPaths) -> tuple[Path | None, str]:
    """(the picture file, "") or (None, what is wrong with ``src``)."""
    if _is_address(src) or src.startswith("/"):
        return None, (
            f"image '{src[:60]}' must be a file inside the pack, written relative to "
            "this article, e.g. ../images/heart.png"
        )
    target = paths.inside_pack(src)
    if target is None:
        return None, f"image '{src[:60]}' points outside the pack; keep images inside it"
    hidden = next((p for p in target.relative_to(paths.pack_root.resolve()).parts
                   if left_out_of_pack(p)), None)  # fmt: skip
    if hidden is not None:
        return None, (
            f"image '{src[:60]}' is in '{hidden}', which a build leaves out of the pack "
            "(a name starting with a dot, or an editor's backup); move it to images/"
        )
    if picture_format(target.suffix) is None:
        return None, f"image '{src[:60]}' must be a .png or .jpg file"
    try:
        exists = target.is_file()
    except OSError:  # e.g. a name longer than the file system allows
        exists = False
    if not exists:
        return None, f"image '{src[:60]}' does not exist; check the file name and folder"
    # A link anywhere on the way (the file, or a folder): the path as written differs
    # from where it leads. abspath, not resolve: it tidies ".." without following links.
    written = Path(os.path.abspath(paths.article_file.parent / src))  # noqa: PTH100
    root = Path(os.path.abspath(paths.pack_root))  # noqa: PTH100
    if written != root / target.relative_to(paths.pack_root.resolve()):
        return None, (
            f"picture '{src[:60]}' is a link to another file; put the picture file itself "
            "in the pack (a build refuses links)"
        )
    return target, ""


def _decodes(target: Path, src: str, line: int, paths: PackPaths, problems: ProblemList) -> bool:
    """Decode the picture (recording it in ``paths.pictures_checked``); False if it does
    not decode. A picture larger than any screen is a warning, not a failure."""
    if paths.pictures_checked is not None:
        paths.pictures_checked.add(target)
    checked = check_picture_file(target)
    if isinstance(checked, str):
        problems.error(line, f"picture '{src[:60]}' {checked}")
        return False
    if checked.large:
        problems.warning(
            line,
            f"picture '{src[:60]}' is {checked.width} x {checked.height} pixels, more "
            "than any kiosk screen shows; 2000 pixels wide is sharp everywhere and "
            "opens faster",
        )
    return True


@lru_cache(maxsize=1024)  # a picture used by many articles is decoded once
def _check_cached(path: Path, size: int, mtime_ns: int) -> PictureInfo | str:
    try:
        return check_picture(read_regular(path, PICTURE_MAX_BYTES), path.suffix)
    except PictureError as err:
        return str(err)
    except OSError as err:
        return f"cannot be read ({err.strerror})"


def check_picture_file(path: Path) -> PictureInfo | str:
    """The picture's size, or what is wrong with it (kiosk.core.content.pictures). A
    file of more than PICTURE_MAX_BYTES is not read at all."""
    try:
        stat = path.stat()
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if not S_ISREG(stat.st_mode):  # a named pipe or a device: reading it never ends
        return "is not a picture file (a pipe, a device or a folder); use a .png or .jpg file"
    if stat.st_size > PICTURE_MAX_BYTES:
        return (
            f"is {stat.st_size:,} bytes; a picture file is at most {PICTURE_MAX_BYTES:,} "
            "bytes; save it smaller: 2000 pixels wide, as JPEG for a photo"
        )
    return _check_cached(path, stat.st_size, stat.st_mtime_ns)

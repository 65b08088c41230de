"""An article file opened for editing and saved back, never over someone else's save.

Two staff members may edit the same content folder (a shared drive, two laptops on one
USB stick). The studio remembers the digest of the bytes it opened; saving compares the
file's digest now with it first, and a file changed meanwhile is not overwritten
(``ChangedOnDiskError``): the studio offers to reload it or to keep its own text under
another name. The new bytes replace the file in one step (kiosk.core.files), so a power
cut leaves the old file or the new one, never half of either.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.frontmatter_edit import FrontMatterEditError, front_matter_values
from kiosk.core.digest import sha256_hex
from kiosk.core.errors import KioskError, UnreadableFileError
from kiosk.core.files import read_regular, write_atomically

# Over the validator's limit (MAX_FILE_BYTES, 20,000: kiosk.core.content.limits), so that
# staff can open a file it refused and shorten it; a file this big is no article.
MAX_ARTICLE_BYTES = 1_000_000


class ChangedOnDiskError(KioskError):
    """The file was saved by someone else since it was opened (said in one line)."""


@dataclass(frozen=True)
class OpenedArticle:
    """An article's text as opened, and the digest of its bytes then (SHA-256, hex)."""

    path: Path
    text: str
    digest: str


def open_article(path: Path) -> OpenedArticle:
    """``path`` read as UTF-8 (a byte order mark kept in the text, as written).

    Raises UnreadableFileError, in one line naming the file, when it cannot be read,
    is too big or is not UTF-8."""
    data = _read(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableFileError(
            f"{path}: not UTF-8 text (byte {err.start + 1}); save it as UTF-8 in your editor"
        ) from None
    if "\r" in text.replace("\r\n", ""):
        raise UnreadableFileError(
            f"{path}: its lines end in a lone CR (an old Mac's); save it again in your "
            "editor with Windows or Unix line endings, then open it here"
        )
    return OpenedArticle(path, text, sha256_hex(data))


def changed_on_disk(opened: OpenedArticle) -> bool:
    """Whether the file now holds other bytes than when it was opened (or is gone)."""
    return digest_on_disk(opened.path) != opened.digest


def digest_on_disk(path: Path) -> str | None:
    """The SHA-256 (hex) of the file's bytes now; None if it is gone or unreadable."""
    try:
        return sha256_hex(_read(path))
    except UnreadableFileError:
        return None


def save_article(opened: OpenedArticle, text: str) -> OpenedArticle:
    """``text`` written over ``opened``'s file in one step; the file as now opened.

    Raises ChangedOnDiskError when the file changed since it was opened (nothing is
    written), UnreadableFileError when it cannot be read to check, OSError when it
    cannot be written. A text equal to the file's is not written at all. A file gone
    since (moved or deleted by someone else) is written again, as a new file: if
    another appears there meanwhile, it is not written over (FileExistsError)."""
    on_disk = digest_on_disk(opened.path)
    gone = on_disk is None and not opened.path.exists()
    if not gone and on_disk != opened.digest:
        raise ChangedOnDiskError(
            f"{opened.path}: changed on disk since you opened it (someone else saved "
            "it); load their version, after copying out what you need of yours"
        )
    if text == opened.text and not gone:
        return opened
    data = text.encode("utf-8")
    # The file's own permissions kept: a shared folder's group may need to write it too.
    mode = 0o644 if gone else stat.S_IMODE(opened.path.stat().st_mode)
    write_atomically(opened.path, data, mode=mode, exclusive=gone)
    return OpenedArticle(opened.path, text, sha256_hex(data))


def _read(path: Path) -> bytes:
    try:
        data = read_regular(path, MAX_ARTICLE_BYTES + 1)
    except OSError as err:
        raise UnreadableFileError(f"{path}: cannot be read ({err.strerror or err})") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise UnreadableFileError(
            f"{path}: over {MAX_ARTICLE_BYTES:,} bytes; split it into two articles"
        )
    return data


def titles_in(language_folder: Path) -> list[tuple[str, str]]:
    """Every article of ``language_folder`` (``<content>/<language>``) as (slug, title),
    by title: what a link to another article is chosen from (a link names a slug of
    the same language: docs/CONTENT.md section 2). An unreadable file is listed by its
    slug (the validator says what is wrong with it)."""
    found = []
    for path in sorted(language_folder.glob("*/*.md")):
        try:
            title = front_matter_values(open_article(path).text).get("title")
        except (UnreadableFileError, FrontMatterEditError):
            title = None
        found.append((path.stem, title if isinstance(title, str) and title else path.stem))
    return sorted(found, key=lambda pair: pair[1].casefold())

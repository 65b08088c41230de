"""Drafts: every open article's text, kept every few seconds, so no work is lost.

The studio hands each open article's text to ``Drafts.save`` while staff type (every
few seconds, and never when nothing changed). A crash, a killed process or a power cut
leaves the last draft whole: each is written to a temporary file, flushed and renamed
over the previous one (kiosk.core.files.write_atomically). At the next start
``pending`` lists the drafts that differ from their file, for the studio to offer
restoring; a saved article's draft is discarded. A draft records the digest of the
file it began from, so the studio can tell "your unsaved changes" from "your unsaved
changes to a file someone else has changed since".

The drafts folder is the studio's own (one per staff account, under its data folder);
one file per article, named by the article's path, holding JSON.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.digest import sha256_hex
from kiosk.core.errors import UnreadableFileError
from kiosk.core.files import prepare_folder, write_atomically
from kiosk.core.studio.articles import OpenedArticle, open_article

log = logging.getLogger("kiosk.studio")

SUFFIX = ".draft.json"
FORMAT = 1


@dataclass(frozen=True)
class Draft:
    """``text`` typed for ``article`` and not saved; ``base_digest``: its file's digest
    when editing began; ``file_changed``: the file holds other bytes since."""

    article: Path
    text: str
    base_digest: str
    saved_at: datetime
    file_changed: bool = False


class Drafts:
    """The drafts in ``folder`` (made if missing; OSError if it cannot be)."""

    def __init__(self, folder: Path) -> None:
        prepare_folder(folder)
        self.folder = folder

    def save(self, opened: OpenedArticle, text: str) -> None:
        """Keep ``text`` as the draft of ``opened``'s file (OSError if it cannot be)."""
        self.save_for(opened.path, text, opened.digest)

    def save_for(self, article: Path, text: str, base_digest: str) -> None:
        """Keep ``text`` as the draft of ``article``, begun from the file whose bytes had
        SHA-256 ``base_digest`` ("" for none). OSError if it cannot be written."""
        record = {
            "format": FORMAT,
            "article": str(article.resolve()),
            "base_digest": base_digest,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "text": text,
        }
        data = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogateescape")
        write_atomically(self._file(article), data, mode=0o600)

    def discard(self, article: Path) -> None:
        """Forget ``article``'s draft (it was saved, or staff chose not to keep it)."""
        self._file(article).unlink(missing_ok=True)

    def pending(self) -> list[Draft]:
        """The drafts whose text differs from their file now, oldest first. A draft
        that cannot be read is logged and left where it is (it may still help)."""
        drafts: list[Draft] = []
        # A write cut short leaves ".<name>.<random>.tmp", which "*" does not match.
        for path in sorted(self.folder.glob(f"*{SUFFIX}")):
            draft = _read(path)
            unsaved = None if draft is None else _unsaved(draft)
            if unsaved is not None:
                drafts.append(unsaved)
        return sorted(drafts, key=lambda d: d.saved_at)

    def _file(self, article: Path) -> Path:
        key = sha256_hex(str(article.resolve()).encode("utf-8", "surrogateescape"))[:24]
        return self.folder / f"{key}{SUFFIX}"


def _read(path: Path) -> Draft | None:
    try:
        record = json.loads(path.read_bytes().decode("utf-8"))
        if record.get("format") != FORMAT:
            raise ValueError(f"format {record.get('format')!r}")
        return Draft(
            article=Path(record["article"]),
            text=str(record["text"]),
            base_digest=str(record["base_digest"]),
            saved_at=datetime.fromisoformat(record["saved_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        log.warning("draft %s cannot be read (%s); left in place", path, err)
        return None


def _unsaved(draft: Draft) -> Draft | None:
    """The draft, if it holds text its file does not (a file gone or unreadable: the
    draft is all there is), with whether the file changed since editing began."""
    try:
        opened = open_article(draft.article)
    except (UnreadableFileError, OSError):
        return replace(draft, file_changed=True)
    if opened.text == draft.text:
        return None
    return replace(draft, file_changed=opened.digest != draft.base_digest)

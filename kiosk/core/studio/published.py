"""What this computer last published from a content folder: a copy of the folder as it
was, and the signing key and destination staff chose, so that the next Publish says what
changed since then and does not ask for the key and the USB stick again.

A staff laptop has no kiosk installed, so "what changed since the installed pack" would
call every article new at every Publish. The copy lives in the studio's own folder
(per staff account), under a name made from the content folder's path. A new copy is
made beside the old one and then takes its place by renames; until the last rename, the
old one is read (a power cut keeps one or the other).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.digest import sha256_hex
from kiosk.core.files import write_atomically
from kiosk.core.studio.checking import only_files

CHOICES = "published.json"
COPY = "content"


@dataclass(frozen=True)
class LastPublished:
    """The last Publish of a folder on this computer: when (UTC), the pack file, the key
    and destination used, and the copy of the folder as published (None if gone)."""

    when: datetime
    pack: str
    key: str
    destination: str
    copy: Path | None


def _place(state: Path, folder: Path) -> Path:
    return state / "published" / sha256_hex(str(folder.resolve()).encode("utf-8"))[:16]


def remember_published(
    state: Path, folder: Path, pack: Path, key: Path | None, destination: Path, when: datetime
) -> None:
    """Keep ``folder`` as just published to ``pack`` (with ``key``, into
    ``destination``; ``key`` None: not remembered, as on a kiosk). Raises OSError when
    the copy cannot be written."""
    place = _place(state, folder)
    place.mkdir(parents=True, exist_ok=True)
    fresh = place / f"{COPY}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    hidden = shutil.ignore_patterns(".*", "*~")
    shutil.copytree(  # links as links, no pipes or devices (kiosk.core.studio.checking)
        folder,
        fresh,
        symlinks=True,
        ignore=lambda where, names: hidden(where, names) | only_files(where, names),
    )
    old = place / f"{COPY}.old"
    shutil.rmtree(old, ignore_errors=True)
    if (place / COPY).exists():
        (place / COPY).rename(old)
    fresh.rename(place / COPY)
    shutil.rmtree(old, ignore_errors=True)
    choices = {
        "when": when.astimezone(UTC).isoformat(),
        "pack": pack.name,
        "key": str(key) if key is not None else "",
        "destination": str(destination),
    }
    write_atomically(place / CHOICES, json.dumps(choices, indent=1).encode("utf-8"), mode=0o600)


def last_published(state: Path, folder: Path) -> LastPublished | None:
    """The last Publish of ``folder`` on this computer, or None (never, or unreadable)."""
    place = _place(state, folder)
    try:
        choices = json.loads((place / CHOICES).read_text("utf-8"))
        when = datetime.fromisoformat(choices["when"])
        pack, key, destination = (str(choices[k]) for k in ("pack", "key", "destination"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # Between its two renames, the old copy is the one there is.
    copy = next((c for c in (place / COPY, place / f"{COPY}.old") if c.is_dir()), None)
    return LastPublished(when, pack, key, destination, copy)

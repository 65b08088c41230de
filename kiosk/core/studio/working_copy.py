"""The studio on the kiosk itself: the content folder staff edit there, a copy of what
the kiosk shows.

A kiosk holds its content as installed packs (kiosk.core.packs.store), which are never
edited in place: their files are checked against the signed manifest whenever they are
read. The studio started from the admin panel works on a copy, kept in the kiosk's own
data folder so that work goes on across visits (and across a restart): the first time,
it is made from the pack on screen (its every file checked against the signed manifest
first) or from a content folder; after that, it is opened as staff left it. What staff
publish from it is a new signed pack, installed like any other.

The copy is made beside its place and renamed into it, so a power cut leaves no copy
or a whole one, never half a content folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.packinfo import PACK_FILE
from kiosk.core.files import fsync_dir
from kiosk.core.packs.format import CONTENT
from kiosk.core.packs.integrity import verify_installed
from kiosk.core.studio.checking import only_files

CONTENT_COPY = "content"  # the folder staff edit, in the studio's own folder
PACKS = "packs"  # where packs published on the kiosk are written, unless staff choose


@dataclass(frozen=True)
class WorkingCopy:
    """The content folder the studio edits on a kiosk, and what it was made from now
    (``made_from``: e.g. "the installed pack, content version 3"; "" when it was there
    already, as staff left it)."""

    folder: Path
    made_from: str


def working_copy(
    studio: Path,
    installed: Path | None,
    folder: Path,
    trusted_keys: Sequence[str],
) -> WorkingCopy:
    """The content folder under ``studio`` (made if missing).

    ``installed``: the kiosk's current pack folder in its store (checked in full against
    its signed manifest with ``trusted_keys`` before a file is copied), or None; else
    ``folder``: the content folder the kiosk shows (its bundled content, or the one its
    config names). Raises StoreError if the installed pack fails its check, OSError if
    the copy cannot be made (the message names the folder)."""
    target = studio / CONTENT_COPY
    if (target / PACK_FILE).is_file():
        return WorkingCopy(target, "")
    if installed is not None:
        manifest = verify_installed(installed, trusted_keys)
        source = installed / CONTENT
        said = f"the installed pack, content version {manifest.content_version}"
    else:
        source, said = folder, f"the content folder {folder}"
    studio.mkdir(parents=True, exist_ok=True)
    making = studio / f".{CONTENT_COPY}.new"
    shutil.rmtree(making, ignore_errors=True)  # a copy a power cut left half made
    # Links are copied as the files they point to: a pack has none, and a content
    # folder's are the staff's own; named pipes and devices are left out.
    shutil.copytree(source, making, symlinks=False, ignore=only_files)
    if target.exists():  # a folder without pack.toml is no content folder: put aside
        aside = studio / f".{CONTENT_COPY}.without-pack-toml"
        shutil.rmtree(aside, ignore_errors=True)
        target.rename(aside)
    making.rename(target)
    fsync_dir(studio)
    return WorkingCopy(target, said)


def packs_folder(studio: Path) -> Path:
    """Where the studio on a kiosk writes the packs it publishes, unless staff choose a
    folder (a USB stick): made if missing."""
    folder = studio / PACKS
    folder.mkdir(parents=True, exist_ok=True)
    return folder

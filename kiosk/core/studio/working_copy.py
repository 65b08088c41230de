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

Newer content can reach the kiosk after the copy was made (a USB stick, the fleet). A
copy edited on and published then would put older articles back on screen. So the
copy remembers the pack it stands on (``base.json``: its build and each file's SHA-256,
from the pack's signed manifest, also after each publish from here), and when the kiosk
shows a newer pack the copy is made again from it. Nothing staff did is lost: the old
copy is put aside whole, and each article they changed and never published becomes a
draft of the new copy (kiosk.core.studio.drafts), which the studio offers back, saying
when the kiosk's newer content changed that article too.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.content.packinfo import PACK_FILE
from kiosk.core.errors import KioskError
from kiosk.core.files import fsync_dir, read_regular, sha256_file, write_atomically
from kiosk.core.packs.format import CONTENT, CONTENT_PREFIX, Manifest
from kiosk.core.packs.integrity import read_manifest, verify_installed
from kiosk.core.studio.checking import only_files
from kiosk.core.studio.drafts import Drafts

CONTENT_COPY = "content"  # the folder staff edit, in the studio's own folder
PACKS = "packs"  # where packs published on the kiosk are written, unless staff choose
BASE = "base.json"  # the pack the copy stands on: its build and files' digests
ASIDE = "content.before-"  # + the time: an old copy put aside when newer content came
KEEP_ASIDE = 3  # old copies kept
KEEP_PACKS = 5  # packs published on the kiosk kept in its packs folder


@dataclass(frozen=True)
class WorkingCopy:
    """The content folder the studio edits on a kiosk, and what it was made from now
    (``made_from``: e.g. "the installed pack, content version 3"; "" when it was there
    already, as staff left it)."""

    folder: Path
    made_from: str
    note: str = ""  # what else staff should know, as whole sentences


def working_copy(
    studio: Path,
    installed: Path | None,
    folder: Path,
    trusted_keys: Sequence[str],
    drafts: Path,
) -> WorkingCopy:
    """The content folder under ``studio`` (made if missing, or made again when the
    kiosk shows a newer pack than the one it stands on; see the module's words).

    ``installed``: the kiosk's current pack folder in its store (checked in full against
    its signed manifest with ``trusted_keys`` before a file is copied), or None; else
    ``folder``: the content folder the kiosk shows (its bundled content, or the one its
    config names). ``drafts``: the studio's drafts folder, where unpublished changes go
    when the copy is made again. Raises StoreError if the installed pack fails its
    check, OSError if the copy cannot be made (the message names the folder)."""
    target = studio / CONTENT_COPY
    if (target / PACK_FILE).is_file():
        if installed is None:
            return WorkingCopy(target, "")
        base = read_base(studio)
        newer = read_manifest(installed, trusted_keys)
        if base is not None and newer.version <= base.build:
            return WorkingCopy(target, "")
        return _catch_up(studio, installed, trusted_keys, drafts, base)
    return _make(studio, installed, folder, trusted_keys)


def _make(
    studio: Path, installed: Path | None, folder: Path, trusted_keys: Sequence[str]
) -> WorkingCopy:
    target = studio / CONTENT_COPY
    manifest: Manifest | None = None
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
    if manifest is not None:
        record_base(studio, manifest)
    else:
        (studio / BASE).unlink(missing_ok=True)  # a folder's copy stands on no pack
    return WorkingCopy(target, said)


def _catch_up(
    studio: Path,
    installed: Path,
    trusted_keys: Sequence[str],
    drafts: Path,
    base: Base | None,
) -> WorkingCopy:
    """The copy made again from the newer ``installed`` pack; the old one put aside,
    its articles changed since ``base`` kept as drafts of the new copy."""
    old = studio / CONTENT_COPY
    changed = _changed_articles(old, base)
    aside = studio / f"{ASIDE}{datetime.now(UTC):%Y%m%d-%H%M%S}"
    old.rename(aside)  # whole, as staff left it: pictures, lists, new files
    fsync_dir(studio)
    made = _make(studio, installed, studio, trusted_keys)
    kept = Drafts(drafts)
    for relative, digest in changed.items():
        # The draft of the new copy's article holds the staff's text and the digest it
        # began from: the studio tells "also changed in the newer content" from that.
        text = (aside / relative).read_bytes().decode("utf-8", "surrogateescape")
        kept.save_for(made.folder / relative, text, digest)
    _prune(studio.glob(f"{ASIDE}*"), KEEP_ASIDE)
    offered = (
        f" Your {len(changed)} changed article{'s' if len(changed) != 1 else ''} that "
        "were never published are offered back."
        if changed
        else ""
    )
    note = (
        f"Newer content had reached this kiosk since your last visit.{offered} "
        f"Your old copy is kept in {aside}."
    )
    return WorkingCopy(made.folder, made.made_from, note)


def _prune(paths: Iterable[Path], keep: int) -> None:
    """All but the ``keep`` newest of ``paths`` (by modification time) removed; what
    cannot be removed is left."""
    ordered = sorted(paths, key=lambda p: (_modified(p), p.name), reverse=True)
    for old in ordered[keep:]:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                old.unlink()


def _modified(path: Path) -> float:
    """Its modification time, or 0 when it went meanwhile (another studio pruning)."""
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def _changed_articles(folder: Path, base: Base | None) -> dict[str, str]:
    """The articles (``*.md`` below ``folder``) that differ from ``base``: each one's
    path in the folder, and the digest it began from ("" for an article staff added).
    None known (no base): the old copy is only put aside, no article guessed at."""
    if base is None:
        return {}
    changed: dict[str, str] = {}
    for path in sorted(folder.rglob("*.md")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(folder).as_posix()
            began = base.files.get(relative, "")
            if sha256_file(path) != began:
                changed[relative] = began
    return changed


@dataclass(frozen=True)
class Base:
    """The pack a copy stands on: its build number and each content file's SHA-256,
    by its path in the content folder."""

    build: int
    files: Mapping[str, str]


def record_base(studio: Path, manifest: Manifest) -> None:
    """The copy in ``studio`` now stands on the pack of ``manifest`` (made from it, or
    published from the copy and installed). OSError if it cannot be written."""
    files = {
        name.removeprefix(CONTENT_PREFIX): digest
        for name, digest in manifest.files.items()
        if name.startswith(CONTENT_PREFIX)
    }
    data = json.dumps({"build": manifest.version, "files": files}, indent=1, sort_keys=True)
    write_atomically(studio / BASE, data.encode("utf-8"), mode=0o600)


def read_base(studio: Path) -> Base | None:
    """What ``record_base`` wrote, or None (never written, or unreadable: the copy is
    then taken as standing on nothing known)."""
    try:
        data = json.loads(read_regular(studio / BASE))
        files = data["files"]
        if not isinstance(data["build"], int) or not isinstance(files, dict):
            return None
        return Base(data["build"], {str(k): str(v) for k, v in files.items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def newer_than_copy(studio: Path, installed: Path | None) -> Manifest | None:
    """The installed pack's manifest, if it is newer than the pack the copy stands on
    (it arrived while the studio was open); else None."""
    if installed is None:
        return None
    base = read_base(studio)
    try:
        manifest = read_manifest(installed)
    except (KioskError, OSError):
        return None
    return manifest if base is None or manifest.version > base.build else None


def packs_folder(studio: Path) -> Path:
    """Where the studio on a kiosk writes the packs it publishes, unless staff choose a
    folder (a USB stick): made if missing."""
    folder = studio / PACKS
    folder.mkdir(parents=True, exist_ok=True)
    # Each is installed when it is written: the store keeps what a rollback needs, and
    # a kiosk's disk is not filled by a year of Publish.
    _prune(folder.glob("*.kpack"), KEEP_PACKS)
    return folder

"""What the store reports: StoreError, an installed pack, the store's status, an install."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.errors import KioskError
from kiosk.core.packs.format import INDEX, Manifest

_WRITE_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EFBIG: "a file is too large for the file system",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENAMETOOLONG: "a file's path is longer than this file system allows",
}


INCOMING_PREFIX = ".incoming-"  # a pack being unpacked (kiosk.core.packs.layout)


class StoreError(KioskError):
    """A store problem, as one line naming the store or the folder."""


def write_error(root: Path, err: OSError) -> StoreError:
    """The StoreError for a write into the store at ``root`` that failed with ``err``,
    its cause in words an administrator acts on ("the disk is full")."""
    reason = _WRITE_REASONS.get(err.errno or 0) or err.strerror or str(err)
    written = str(err.filename or "")
    whole_disk = err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
    if INCOMING_PREFIX in written and not whole_disk:  # which of the pack's files
        inside = written.split(INCOMING_PREFIX, 1)[1].partition("/")[2]
        reason += f" ({_shortened(inside)})" if inside else ""
    return StoreError(f"cannot write to the store at {root}: {reason}")


def _shortened(path: str, most: int = 120) -> str:
    """``path`` for a one-line message: its start and end if it is long."""
    return path if len(path) <= most else f"{path[:50]}...{path[-(most - 53) :]}"


@dataclass(frozen=True)
class InstalledPack:
    """One unpacked pack in the store, described by its (signed) manifest."""

    path: Path
    manifest: Manifest

    @property
    def version(self) -> int:
        return self.manifest.version

    @property
    def content_version(self) -> int:
        return self.manifest.content_version

    @property
    def pack_id(self) -> str:
        return self.manifest.pack_id

    @property
    def signer(self) -> str:
        return self.manifest.signer

    @property
    def built(self) -> str:
        return self.manifest.built

    @property
    def content_dir(self) -> Path:
        return self.path / "content"

    @property
    def index_path(self) -> Path:
        return self.path / INDEX


@dataclass(frozen=True)
class StoreStatus:
    """What the store at ``root`` shows now, and what it keeps for a rollback."""

    root: Path
    current: InstalledPack | None
    previous: InstalledPack | None
    highest_version: int  # a new pack must be newer, or installed with allow_downgrade
    # highest_version, when it is a build from the future that holds every pack back
    # until 'kiosk content reset-version'; else None
    blocking_future: int | None = None

    @property
    def current_version(self) -> int | None:
        return self.current.version if self.current else None

    @property
    def previous_version(self) -> int | None:
        return self.previous.version if self.previous else None


@dataclass(frozen=True)
class InstallResult:
    """A pack just installed, and what it replaced."""

    installed: InstalledPack
    previous: InstalledPack | None  # what was current before, kept for rollback
    signer: str  # key id of the trusted key that verified the pack
    downgrade: bool  # installed with allow_downgrade over a newer or equal version

    @property
    def manifest(self) -> Manifest:
        return self.installed.manifest

    @property
    def path(self) -> Path:
        return self.installed.path

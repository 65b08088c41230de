"""A kiosk's check of its fleet repository, through python-tuf's ngclient: the chain of
roots followed from the one the kiosk trusts, then timestamp, snapshot, targets and the
clinic's role, each checked for signatures, versions (no rollback), lengths, hashes and
expiry; then the pack named for this kiosk, downloaded and checked against its hash.

What ngclient refuses is said in one line. An expired timestamp (nobody refreshed the
repository, or a mirror keeps serving an old one: a freeze) is StaleError: the kiosk
keeps showing its last good pack and reports stale content (docs/FLEET.md). The pack
found is then installed by the kiosk's own path (kiosk.core.packs.store), which checks
its signature again against the keys the kiosk trusts and refuses builds from the future.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tuf.api import exceptions
from tuf.api.metadata import Metadata, Root
from tuf.ngclient import Updater

from kiosk.core.config import fleet_source_problem
from kiosk.core.errors import KioskError
from kiosk.core.files import read_regular, write_atomically
from kiosk.core.fleet.fetcher import KioskFetcher
from kiosk.core.fleet.repository import pack_target

METADATA = "metadata"  # the kiosk's trusted metadata, under its fleet state folder
TARGETS = "targets"  # packs downloaded, kept until the next one
TIMESTAMP_MAX_BYTES = 16 * 1024  # ngclient's own limit for timestamp.json


class FleetError(KioskError):
    """A check that found no pack it could use (one line: where and why)."""


class StaleError(FleetError):
    """The repository's freshness cannot be confirmed: its timestamp (or a role it
    names) has expired. The last good pack stays on screen."""


@dataclass(frozen=True)
class Checked:
    """A check that confirmed the repository fresh: the pack for this kiosk (a verified
    file, or None when none is published), its SHA-256, and when the timestamp that
    vouches for it expires (UTC)."""

    pack: Path | None
    sha256: str | None
    fresh_until: datetime
    root_version: int = 0  # of the root trusted now (a key ceremony raises it)


def _stick_expiry(source: str) -> datetime:
    """When the timestamp on a USB stick (a folder) expires, read before it is verified:
    only the moment expiry is judged at, never trust. Raises FleetError."""
    if "://" in source:
        raise FleetError(f"{source}: only a folder (a USB stick) can be accepted when expired")
    where = Path(source) / METADATA / "timestamp.json"
    try:
        # A regular file of a timestamp's size: a pipe or /dev/zero on a stick would hang
        # or fill memory (read_regular refuses both).
        data = read_regular(where, TIMESTAMP_MAX_BYTES)
        return Metadata.from_bytes(data).signed.expires.astimezone(UTC)
    except (OSError, ValueError, exceptions.RepositoryError) as err:
        raise FleetError(f"{where}: not a fleet timestamp ({err})") from None


def base_url(source: str) -> str:
    """The repository's address with a slash at the end: a web address as it is, a
    folder (a USB stick) as a ``file://`` URL."""
    if "://" in source:
        return source if source.endswith("/") else source + "/"
    return Path(source).resolve().as_uri() + "/"


def trust_root(state: Path, root_file: Path) -> int:
    """Make ``root_file`` (a repository's ``1.root.json``, from the bundle or the setup)
    the root this kiosk trusts; returns its version. Raises FleetError if it is no TUF
    root signed by its own threshold."""
    try:
        data = root_file.read_bytes()
        root = Metadata[Root].from_bytes(data)
        root.verify_delegate("root", root)
    except (OSError, ValueError, exceptions.RepositoryError) as err:
        raise FleetError(f"{root_file}: not a fleet root this kiosk can trust ({err})") from None
    if not isinstance(root.signed, Root):
        raise FleetError(f"{root_file}: a {root.signed.type} file, not the root")
    folder = state / METADATA
    shutil.rmtree(folder, ignore_errors=True)  # a new trust: nothing of the old chain
    folder.mkdir(parents=True)
    write_atomically(folder / "root.json", data)
    return root.signed.version


def check(
    source: str,
    state: Path,
    clinic: str | None,
    *,
    timeout_s: float = 30,
    deadline_s: float = 600,
    min_rate: float = 1000,
    accept_expired: bool = False,
) -> Checked:
    """Refresh from ``source`` (a web address or a folder) with the root trusted in
    ``state`` and find this kiosk's pack (``clinic``'s, else every kiosk's). Downloads
    have ``deadline_s`` each in all and at least ``min_rate`` bytes a second. Raises
    StaleError (expired) or FleetError (anything else refused or unreachable).

    ``accept_expired`` (a folder only: a USB stick at an air-gapped site, accepted by
    staff with the PIN): metadata is judged as of just before the stick's timestamp
    expired, so an expired stick is taken; signatures, versions (no rollback), lengths
    and hashes are checked as ever, and the kiosk still reports its content stale."""
    if "://" in source and (problem := fleet_source_problem(source)):
        shown = source.split("://", 1)[0] + "://" + source.split("@", 1)[-1].split("://")[-1]
        raise FleetError(f"{shown}: {problem}")  # never a password it held
    metadata = state / METADATA
    if not (metadata / "root.json").is_file():
        raise FleetError(f"{metadata}: no trusted root; run 'kiosk fleet trust ROOT.json'")
    base = base_url(source)
    (state / TARGETS).mkdir(parents=True, exist_ok=True)
    updater = Updater(
        str(metadata),
        base + METADATA + "/",
        str(state / TARGETS),
        base + TARGETS + "/",
        fetcher=KioskFetcher(timeout_s, deadline_s, min_rate),
        bootstrap=None,
    )
    if accept_expired:
        # python-tuf has no "offline" or "accept expired" mode (python-tuf#2359, #2472):
        # the trusted set's reference time is the one knob, read at each expiry check.
        updater._trusted_set.reference_time = _stick_expiry(source) - timedelta(seconds=1)
    try:
        updater.refresh()
        info = None
        if clinic:
            info = updater.get_targetinfo(pack_target(clinic))
        info = info or updater.get_targetinfo(pack_target(None))
        pack = None
        if info is not None:
            pack = updater.find_cached_target(info) or updater.download_target(info)
    except exceptions.ExpiredMetadataError as err:
        raise StaleError(
            f"{source}: {err}; the repository has not been refreshed (on the publishing "
            "computer: kiosk fleet refresh, or its timer; docs/FLEET.md section 3)"
        ) from None
    except exceptions.UnsignedMetadataError as err:
        raise FleetError(
            f"{source}: {err}; is it the repository whose root this kiosk trusts? "
            "(kiosk fleet trust ROOT.json --repository ADDRESS)"
        ) from None
    except exceptions.DownloadHTTPError as err:
        raise FleetError(
            f"{source}: {err}; check the address ('fleet' in kiosk.toml, or --from): the "
            "folder that holds metadata/ and targets/"
        ) from None
    except (exceptions.RepositoryError, exceptions.DownloadError) as err:
        raise FleetError(f"{source}: {err}") from None
    except OSError as err:
        raise FleetError(f"{state}: cannot keep the fleet's files there ({err})") from None
    timestamp = Metadata.from_file(str(metadata / "timestamp.json")).signed
    return Checked(
        Path(pack) if pack else None,
        info.hashes.get("sha256") if info else None,
        timestamp.expires.astimezone(UTC),
        Metadata.from_file(str(metadata / "root.json")).signed.version,
    )

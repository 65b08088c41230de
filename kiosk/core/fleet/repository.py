"""A fleet repository: TUF metadata and packs as plain files, which any static web server
or CDN can serve, or which can be copied to a USB stick as they are.

    REPO/metadata/1.root.json, 2.root.json ...  every root; each new one signed by the
                                                old root keys' threshold and the new's
    REPO/metadata/timestamp.json                re-signed by every publish and refresh
    REPO/metadata/N.snapshot.json               consistent snapshots: each version kept,
    REPO/metadata/N.targets.json                so a kiosk that read an older snapshot
    REPO/metadata/N.clinic-<name>.json          still finds what it names
    REPO/targets/packs/<sha256>.current.kpack          the pack every kiosk takes
    REPO/targets/packs/<name>/<sha256>.current.kpack   a clinic's own pack

Expiry, counted from each signing (EXPIRY_DAYS): the timestamp 3 days (a timer
refreshes it daily, so two missed runs still leave a day; kiosks that cannot confirm a
timestamp report stale content, see docs/FLEET.md); the snapshot 7 days; targets and
the clinics' roles 365 days (packs are published far more often); root 365 days (one
key ceremony a year at least, as the TUF specification's examples suggest).

Written with python-tuf's Metadata API (the reference implementation); the files are
written whole or not at all (kiosk.core.files), the timestamp last, so a kiosk reading
the repository while it is being published sees the old state or the new one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.errors import KioskError
from kiosk.core.files import write_atomically
from kiosk.core.fleet.keys import FleetKeyError, clinic_role, key_file, new_key, signer

if TYPE_CHECKING:
    from tuf.api.metadata import Metadata

EXPIRY_DAYS = {"root": 365, "targets": 365, "clinic": 365, "snapshot": 7, "timestamp": 3}
PACK_NAME = "current.kpack"  # the one target name a kiosk asks for, in its folder


class FleetRepositoryError(KioskError):
    """A repository that cannot be made or changed as asked (one line, what and where)."""


def pack_target(clinic: str | None) -> str:
    """The target path of the pack for ``clinic`` (None: every kiosk)."""
    return f"packs/{clinic}/{PACK_NAME}" if clinic else f"packs/{PACK_NAME}"


@dataclass(frozen=True)
class Keys:
    """Folders holding the fleet's key files, looked in, in order (root keys may be on
    several USB sticks)."""

    folders: tuple[Path, ...]

    def find(self, name: str) -> Path | None:
        for folder in self.folders:
            if key_file(folder, name).is_file():
                return key_file(folder, name)
        return None

    def signer(self, name: str) -> Any:
        path = self.find(name)
        if path is None:
            where = ", ".join(str(f) for f in self.folders)
            raise FleetKeyError(f"{name}.key: not in {where}; give the folder that holds it")
        return signer(path)


class FleetRepository:
    """The repository in ``folder`` (see the module's words)."""

    def __init__(self, folder: Path, now: datetime | None = None) -> None:
        self.folder = folder
        self.metadata = folder / "metadata"
        self.targets = folder / "targets"
        self.now = now or datetime.now(UTC)

    # --- making one --------------------------------------------------------------------

    @classmethod
    def create(
        cls, folder: Path, keys: Path, *, root_keys: int = 3, threshold: int = 2,
        now: datetime | None = None,
    ) -> FleetRepository:  # fmt: skip
        """A new repository in ``folder`` (empty or missing), its keys made in ``keys``:
        ``root_keys`` root keys of which ``threshold`` sign each root, and one key each
        for targets, snapshot and timestamp. Raises FleetRepositoryError, FleetKeyError."""
        from tuf.api.metadata import Metadata, Root, Snapshot, Targets, Timestamp

        if not 1 <= threshold <= root_keys:
            raise FleetRepositoryError(
                f"--threshold {threshold}: give 1 to {root_keys} (the number of root keys)"
            )
        if folder.exists() and any(folder.iterdir()):
            raise FleetRepositoryError(f"{folder}: not empty; give a new folder")
        repo = cls(folder, now)
        root = Root(expires=repo._expires("root"), consistent_snapshot=True)
        names = [f"root-{n}" for n in range(1, root_keys + 1)]
        for name in names:
            root.add_key(new_key(key_file(keys, name)), "root")
        root.roles["root"].threshold = threshold
        for role in ("targets", "snapshot", "timestamp"):
            root.add_key(new_key(key_file(keys, role)), role)
        repo.metadata.mkdir(parents=True, exist_ok=True)
        repo.targets.mkdir(parents=True, exist_ok=True)
        found = Keys((keys,))
        repo.write(Metadata(root), "root", [found.signer(n) for n in names])
        repo.write(Metadata(Targets(expires=repo._expires("targets"))), "targets",
                    [found.signer("targets")])  # fmt: skip
        repo.write(Metadata(Snapshot(expires=repo._expires("snapshot"))), "snapshot",
                    [found.signer("snapshot")])  # fmt: skip
        repo.write(Metadata(Timestamp(expires=repo._expires("timestamp"))), "timestamp",
                    [found.signer("timestamp")])  # fmt: skip
        return repo

    # --- reading -----------------------------------------------------------------------

    def latest(self, role: str) -> Metadata[Any]:
        """The newest metadata of ``role``. Raises FleetRepositoryError if there is none."""
        from tuf.api.metadata import Metadata

        if role == "timestamp":
            path = self.metadata / "timestamp.json"
        else:
            versions = sorted(
                (int(p.name.split(".", 1)[0]), p)
                for p in self.metadata.glob(f"*.{role}.json")
                if p.name.split(".", 1)[0].isdigit()
            )
            if not versions:
                raise FleetRepositoryError(
                    f"{self.metadata}: no {role} metadata; is {self.folder} a fleet "
                    "repository (kiosk fleet init)?"
                )
            path = versions[-1][1]
        try:
            return Metadata.from_file(str(path))
        except (OSError, ValueError) as err:
            raise FleetRepositoryError(f"{path}: cannot read it ({err})") from None

    # --- changing ----------------------------------------------------------------------

    def publish(self, pack: Path, keys: Keys, clinic: str | None = None) -> str:
        """Add ``pack`` as the pack of ``clinic`` (None: of every kiosk), then a new
        snapshot and timestamp. A clinic's first pack makes its delegated role (its key
        made in the first keys folder if missing, the delegation signed with the targets
        key); later ones need only the clinic's key. Returns the target path."""
        from tuf.api.metadata import TargetFile

        if clinic is not None:
            clinic_role(clinic)  # its name checked before it becomes a folder
        target = pack_target(clinic)
        where = self.targets / Path(target).parent
        where.mkdir(parents=True, exist_ok=True)
        info = TargetFile.from_file(target, str(pack), ["sha256"])
        stored = where / f"{info.hashes['sha256']}.{PACK_NAME}"
        if not stored.exists():  # consistent snapshots: the old pack's file stays
            tmp = stored.with_name(f".{stored.name}.part")
            shutil.copyfile(pack, tmp)
            tmp.replace(stored)
        role = "targets" if clinic is None else self._delegation(clinic, keys)
        md = self.latest(role)
        md.signed.targets[target] = info
        self.bump(md, "clinic" if clinic else "targets")
        self.write(md, role, [keys.signer(role)])
        self.snapshot_and_timestamp(keys)
        return target

    def refresh(self, keys: Keys) -> None:
        """A new snapshot and timestamp: kiosks see that the repository is alive."""
        self.snapshot_and_timestamp(keys)

    # --- inside ------------------------------------------------------------------------

    def _delegation(self, clinic: str, keys: Keys) -> str:
        from tuf.api.metadata import DelegatedRole, Delegations, Metadata, Targets

        role = clinic_role(clinic)
        targets = self.latest("targets")
        delegations = targets.signed.delegations
        if delegations is not None and delegations.roles and role in delegations.roles:
            return role
        path = keys.find(role)
        if path is None:  # the clinic's first pack: its key, in the first keys folder
            public = new_key(key_file(keys.folders[0], role))
        else:
            public = keys.signer(role).public_key
        if delegations is None:
            targets.signed.delegations = delegations = Delegations(keys={}, roles={})
        assert delegations.roles is not None  # roles, not succinct roles: made so here
        delegations.roles[role] = DelegatedRole(role, [], 1, True, paths=[f"packs/{clinic}/*"])
        targets.signed.add_key(public, role)
        self.bump(targets, "targets")
        self.write(targets, "targets", [keys.signer("targets")])
        self.write(Metadata(Targets(expires=self._expires("clinic"))), role, [keys.signer(role)])
        return role

    def snapshot_and_timestamp(self, keys: Keys) -> None:
        from tuf.api.metadata import MetaFile

        snapshot = self.latest("snapshot")
        meta = {"targets.json": MetaFile(self.latest("targets").signed.version)}
        delegations = self.latest("targets").signed.delegations
        for role in (delegations.roles or {}) if delegations else {}:
            meta[f"{role}.json"] = MetaFile(self.latest(role).signed.version)
        snapshot.signed.meta = meta
        self.bump(snapshot, "snapshot")
        self.write(snapshot, "snapshot", [keys.signer("snapshot")])
        timestamp = self.latest("timestamp")
        timestamp.signed.snapshot_meta = MetaFile(snapshot.signed.version)
        self.bump(timestamp, "timestamp")
        self.write(timestamp, "timestamp", [keys.signer("timestamp")])

    def _expires(self, kind: str) -> datetime:
        return (self.now + timedelta(days=EXPIRY_DAYS[kind])).replace(microsecond=0)

    def bump(self, md: Metadata[Any], kind: str) -> None:
        md.signed.version += 1
        md.signed.expires = self._expires(kind)

    def _as_kiosks_will(self, root: Metadata[Any]) -> None:
        """A new root checked as a kiosk checks it before it is written: signed by the
        threshold of the root before it and of its own. Raises FleetKeyError."""
        from tuf.api.exceptions import UnsignedMetadataError
        from tuf.api.metadata import Metadata

        before = self.metadata / f"{root.signed.version - 1}.root.json"
        try:
            if before.is_file():
                Metadata.from_file(str(before)).verify_delegate("root", root)
            root.verify_delegate("root", root)
        except UnsignedMetadataError as err:
            raise FleetKeyError(
                f"the new root is not signed as kiosks require ({err}); nothing was written"
            ) from None

    def write(self, md: Metadata[Any], role: str, signers: list[Any]) -> None:
        """Sign ``md`` with each of ``signers`` (afresh) and write it whole: as
        ``timestamp.json``, else as ``<version>.<role>.json`` (never over an existing
        version: consistent snapshots keep each)."""
        from tuf.api.serialization.json import JSONSerializer

        md.signatures.clear()
        for one in signers:
            md.sign(one, append=True)
        if role == "root":
            self._as_kiosks_will(md)
        name = "timestamp.json" if role == "timestamp" else f"{md.signed.version}.{role}.json"
        data = md.to_bytes(JSONSerializer(compact=False))
        try:
            write_atomically(self.metadata / name, data, exclusive=role != "timestamp")
        except FileExistsError:
            raise FleetRepositoryError(
                f"{self.metadata / name}: already exists; another publish ran at the same time?"
            ) from None

"""Replacing a fleet key (the key ceremony in docs/FLEET.md): a lost laptop, a staff
member who left, a yearly change. Kiosks follow on their own: ngclient walks the chain
of roots from the one it trusts, each new root signed by a threshold of the old root's
keys and of its own; metadata signed with a retired key is refused from then on.

- targets, snapshot, timestamp, root-N: a new root names the new key, signed with every
  root key found in the keys folders (old and, for a root key, the new one);
- clinic-NAME: the targets role names the clinic's new key (no new root needed).

The new key is written beside the old as ``<name>.new.key`` first; the old file is kept
as ``<name>.key.retired-<version>`` (to be destroyed once kiosks have followed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.fleet.keys import FleetKeyError, key_file, new_key, signer

if TYPE_CHECKING:
    from kiosk.core.fleet.repository import FleetRepository, Keys

TOP_ROLES = ("root", "targets", "snapshot", "timestamp")


def rotate_key(repo: FleetRepository, role: str, keys: Keys) -> Path:
    """Replace ``role``'s key ("targets", "snapshot", "timestamp", "root-2",
    "clinic-north") with a new one, made in the folder that held the old one (else the
    first keys folder); the new key file. Raises FleetRepositoryError for a name that is
    no role, FleetKeyError for keys that cannot be found or read, or too few root keys
    to sign the new root (then nothing is changed)."""
    from kiosk.core.fleet.repository import FleetRepositoryError

    if role.startswith("clinic-"):
        return _rotate_clinic(repo, role, keys)
    kind = "root" if role.startswith("root-") else role
    if kind not in TOP_ROLES:
        raise FleetRepositoryError(
            f"{role}: not a role; give targets, snapshot, timestamp, root-N or clinic-NAME"
        )
    root_md = repo.latest("root")
    root = root_md.signed
    old_path = keys.find(role)
    # The new key where the old one was: a root key on its own stick, never left on
    # the publishing computer.
    folder = old_path.parent if old_path is not None else keys.folders[0]
    old_signers = [keys.signer(name) for name in _root_key_names(keys)]
    old_id = _keyid_of(old_path, kind, root) if old_path else None
    if old_id is None and kind != "root":  # the old key file is lost: the one named goes
        old_id = root.roles[kind].keyids[0]
    if old_id is None and kind == "root":
        old_id = _lost_root_key(root, old_signers, role, keys)
    _enough_root_keys(root, old_signers, old_id if kind == "root" else None, keys)
    fresh = key_file(folder, f"{role}.new")
    new_public = new_key(fresh)
    if old_id is not None:
        root.revoke_key(old_id, kind)
    root.add_key(new_public, kind)
    repo.bump(root_md, "root")
    try:
        repo.write(root_md, "root", [*old_signers, *([signer(fresh)] if kind == "root" else [])])
    except Exception:
        fresh.unlink(missing_ok=True)  # nothing changed: the next try starts clean
        raise
    _retire(old_path, role, root.version)
    fresh.rename(key_file(folder, role))
    if kind == "targets":
        md = repo.latest("targets")
        repo.bump(md, "targets")
        repo.write(md, "targets", [keys.signer("targets")])
    if kind != "root":
        repo.snapshot_and_timestamp(keys)
    return key_file(folder, role)


def _rotate_clinic(repo: FleetRepository, role: str, keys: Keys) -> Path:
    from kiosk.core.fleet.repository import FleetRepositoryError

    targets = repo.latest("targets")
    old_path = keys.find(role)
    folder = old_path.parent if old_path is not None else keys.folders[0]
    try:
        delegated = targets.signed.get_delegated_role(role)
    except ValueError:
        clinic = role.removeprefix("clinic-")
        raise FleetRepositoryError(
            f"{role}: no such clinic in {repo.folder}; its first pack makes it "
            f"(kiosk fleet publish REPO PACK --clinic {clinic})"
        ) from None
    fresh = key_file(folder, f"{role}.new")
    public = new_key(fresh)
    for keyid in list(delegated.keyids):
        targets.signed.revoke_key(keyid, role)
    targets.signed.add_key(public, role)
    repo.bump(targets, "targets")
    repo.write(targets, "targets", [keys.signer("targets")])
    _retire(old_path, role, targets.signed.version)
    fresh.rename(key_file(folder, role))
    md = repo.latest(role)
    repo.bump(md, "clinic")
    repo.write(md, role, [keys.signer(role)])
    repo.snapshot_and_timestamp(keys)
    return key_file(folder, role)


def _enough_root_keys(root: Any, given: list[Any], replaced: str | None, keys: Keys) -> None:
    """Refuse before anything is written unless the new root will be signed by the
    threshold of the old root's keys and of its own (TUF specification 5.3.4: a kiosk
    refuses a root that is not, and then every check fails until one is).
    ``replaced``: the key id of the root key being replaced (its new key signs too)."""
    threshold = root.roles["root"].threshold
    trusted = set(root.roles["root"].keyids)
    have = {one.public_key.keyid for one in given} & trusted
    after = len(have - {replaced}) + (1 if replaced is not None else 0)
    if len(have) < threshold or after < threshold:
        raise FleetKeyError(
            f"a new root needs {threshold} of the {len(trusted)} root keys; found "
            f"{len(have)} in {_where(keys)}: give the folder of each root-key stick with "
            "--keys (nothing was changed)"
        )


def _lost_root_key(root: Any, given: list[Any], role: str, keys: Keys) -> str:
    """The key id of a lost root key: the one root key the root trusts that is in none
    of the keys folders. Raises FleetKeyError unless exactly one is missing."""
    missing = set(root.roles["root"].keyids) - {one.public_key.keyid for one in given}
    if len(missing) != 1:
        raise FleetKeyError(
            f"{role}.key: not in {_where(keys)}, and {len(missing)} root keys are missing: "
            "give the folder of every root-key stick you have with --keys"
        )
    return str(missing.pop())


def _where(keys: Keys) -> str:
    return ", ".join(str(f) for f in keys.folders)


def _retire(old: Path | None, role: str, version: int) -> None:
    if old is not None:
        old.rename(old.with_name(f"{role}.key.retired-{version}"))


def _root_key_names(keys: Keys) -> list[str]:
    """The root key files in the keys folders (root-1, root-2, ...), each name once."""
    return sorted(
        {p.name.removesuffix(".key") for folder in keys.folders for p in folder.glob("root-*.key")}
    )


def _keyid_of(path: Path, role: str, root: Any) -> str | None:
    keyid = str(signer(path).public_key.keyid)
    return keyid if keyid in root.roles[role].keyids else None

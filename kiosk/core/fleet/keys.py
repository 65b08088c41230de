"""The fleet's signing keys: Ed25519, one PKCS#8 PEM file per key, as `kiosk keygen`
writes a pack signing key (kiosk.core.packs.signing), in a keys folder:

    root-1.key ... root-N.key   the root role's keys: kept offline (USB sticks in a safe);
                                a threshold of them signs each new root
    targets.key                 signs which packs exist (and the clinics' delegations)
    snapshot.key, timestamp.key the repository's "online" keys: on the machine that
                                publishes and refreshes (a timer re-signs the timestamp)
    clinic-<name>.key           a clinic's delegated role: packs under packs/<name>/ only

TUF keys are securesystemslib ``SSlibKey`` objects made from the same cryptography keys
(``CryptoSigner``), so a fleet needs no other key format and no other library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.config import CLINIC_NAME
from kiosk.core.errors import KioskError
from kiosk.core.files import write_atomically
from kiosk.core.packs.signing import SigningError, load_private_key

if TYPE_CHECKING:
    from securesystemslib.signer import CryptoSigner, SSlibKey

ONLINE_ROLES = ("snapshot", "timestamp")


class FleetKeyError(KioskError):
    """A key file that is missing, unreadable or not the one a role trusts (one line)."""


def key_file(keys: Path, name: str) -> Path:
    """``keys/<name>.key``: ``name`` is a role ("targets"), "root-2" or "clinic-<name>"."""
    return keys / f"{name}.key"


def clinic_role(clinic: str) -> str:
    """The delegated role of ``clinic`` ("clinic-north"). Raises FleetKeyError for a name
    that is not lowercase letters, digits and hyphens (it becomes a path in the
    repository and a file name on every kiosk)."""
    if not CLINIC_NAME.match(clinic):
        raise FleetKeyError(
            f"clinic name {clinic!r}: use lowercase letters, digits and hyphens (e.g. north-side)"
        )
    return f"clinic-{clinic}"


def new_key(path: Path) -> SSlibKey:
    """Write a new private key to ``path`` (0600, never over an existing file) and return
    its public half as a TUF key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from securesystemslib.signer import SSlibKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, pem, mode=0o600, exclusive=True)
    except FileExistsError:
        raise FleetKeyError(f"{path}: already exists; nothing was overwritten") from None
    except OSError as err:
        raise FleetKeyError(f"{path}: cannot write it ({err.strerror})") from None
    return SSlibKey.from_crypto(key.public_key())


def signer(path: Path, passphrase: str | None = None) -> CryptoSigner:
    """A signer for the key in ``path``. Raises FleetKeyError naming the file."""
    from securesystemslib.signer import CryptoSigner

    if not path.is_file():
        raise FleetKeyError(f"{path}: no such key file; give the folder with the fleet's keys")
    try:
        return CryptoSigner(load_private_key(path, passphrase))
    except SigningError as err:
        raise FleetKeyError(str(err)) from None

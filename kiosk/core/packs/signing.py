"""Ed25519 keys and signatures for content packs.

A publisher keeps ``kiosk-signing.key`` (PKCS8 PEM, readable by its owner only) and
hands out ``kiosk-signing.pub.txt``: one line, the raw 32-byte public key in base64.
A kiosk trusts the public key texts listed in its config (``trusted_keys``); a key is
shown to people as its key id, the first 16 hex digits of the SHA-256 of the raw key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from kiosk.core.digest import sha256_hex
from kiosk.core.errors import KioskError
from kiosk.core.files import NotARegularFileError, read_regular, write_atomically

PRIVATE_KEY_FILE = "kiosk-signing.key"
PUBLIC_KEY_FILE = "kiosk-signing.pub.txt"
_RAW_KEY_BYTES = 32
_SIGNATURE_BYTES = 64
_MAX_KEY_FILE_BYTES = 64 * 1024


class SigningError(KioskError):
    """A key or signature problem, as one line that names the file."""


class PassphraseNeededError(SigningError):
    """The key is protected by a passphrase and none, or a wrong one, was given (the
    content studio asks for it, again)."""


def generate_keypair(out_dir: Path, passphrase: str | None = None) -> tuple[Path, Path]:
    """Write a new key pair into ``out_dir``; never overwrites an existing key file.
    ``passphrase``: the private key is encrypted with it (PKCS#8, the best encryption
    the cryptography library has), so a lost stick is not a lost key."""
    from cryptography.hazmat.primitives import serialization  # publishers only: 5 MB

    private_path = out_dir / PRIVATE_KEY_FILE
    public_path = out_dir / PUBLIC_KEY_FILE
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise SigningError(f"{path}: already exists; move it away or choose another --out")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption(),
    )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # Exclusive: a key file is never replaced; 0600: only its owner reads a private key.
        write_atomically(private_path, pem, mode=0o600, exclusive=True)
        try:
            public = (public_key_text(key) + "\n").encode("ascii")
            write_atomically(public_path, public, mode=0o644, exclusive=True)
        except BaseException:
            private_path.unlink(missing_ok=True)
            raise
    except FileExistsError as err:
        raise SigningError(f"{err.filename}: already exists; nothing was overwritten") from None
    except OSError as err:
        raise SigningError(f"{err.filename or out_dir}: cannot write it ({err.strerror})") from None
    return private_path, public_path


def load_private_key(path: Path, passphrase: str | None = None) -> Ed25519PrivateKey:
    """Read a PKCS8 PEM Ed25519 private key, as ``generate_keypair`` writes it, or one
    protected by ``passphrase``. Raises PassphraseNeededError when the key needs one and
    none or a wrong one was given, SigningError for anything else wrong with it."""
    from cryptography.hazmat.primitives import serialization  # publishers only: 5 MB

    data = _read_key_file(path)
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key = serialization.load_pem_private_key(data, password=secret)
    except TypeError:  # protected with none given, or one given for a plain key
        if secret is None:
            raise PassphraseNeededError(
                f"{path}: the key is protected by a passphrase; publish from the content "
                "studio, which asks for it"
            ) from None
        raise SigningError(f"{path}: the key has no passphrase; sign without one") from None
    except (ValueError, UnsupportedAlgorithm):
        if secret is not None and b"ENCRYPTED PRIVATE KEY" in data:
            raise PassphraseNeededError(f"{path}: that passphrase is not this key's") from None
        hint = " (this is a public key)" if _looks_public(data) else ""
        raise SigningError(f"{path}: not an Ed25519 private key in PEM form{hint}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path}: the private key is not an Ed25519 key")
    return key


def load_public_key_file(path: Path) -> str:
    """The public key text held in a ``.pub.txt`` file, checked."""
    data = _read_key_file(path)
    if b"PRIVATE KEY" in data:
        raise SigningError(
            f"{path}: this is a private key; give the public key file ({PUBLIC_KEY_FILE})"
        )
    try:
        text = data.decode("ascii").strip()
    except UnicodeDecodeError:
        raise SigningError(f"{path}: not a public key file (not ASCII text)") from None
    try:
        check_public_key(text)
    except SigningError as err:
        raise SigningError(f"{path}: {err}") from None
    return text


def _read_key_file(path: Path) -> bytes:
    try:
        data = read_regular(path, _MAX_KEY_FILE_BYTES)  # a named pipe would block for ever
    except IsADirectoryError:
        raise SigningError(f"{path}: is a folder, not a key file") from None
    except NotARegularFileError as err:
        raise SigningError(f"{path}: {err.strerror}; give the key file itself") from None
    except OSError as err:
        raise SigningError(f"{path}: cannot read the key file ({err.strerror})") from None
    if len(data) > _MAX_KEY_FILE_BYTES:
        raise SigningError(f"{path}: too large to be a key file")
    return data


def _looks_public(data: bytes) -> bool:
    try:
        check_public_key(data.decode("ascii").strip())
    except (UnicodeDecodeError, SigningError):
        return b"PUBLIC KEY" in data
    return True


def public_key_text(private: Ed25519PrivateKey) -> str:
    """The one-line text of a private key's public half (raw 32 bytes, base64)."""
    from cryptography.hazmat.primitives import serialization  # publishers only: 5 MB

    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode("ascii")


def _raw_public(public_text: str) -> bytes:
    try:
        raw = base64.b64decode(public_text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SigningError("not a public key: expected one line of base64 text") from None
    if len(raw) != _RAW_KEY_BYTES:
        raise SigningError(
            f"not a public key: it holds {len(raw)} bytes, an Ed25519 key has {_RAW_KEY_BYTES}"
        )
    return raw


def check_public_key(public_text: str) -> str:
    """The key id of a public key text; raises SigningError if it is not one."""
    raw = _raw_public(public_text)
    try:
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise SigningError("not a valid Ed25519 public key") from None
    return _key_id(raw)


def key_id(public_text: str) -> str:
    """Short fingerprint of a public key: the first 16 hex digits of SHA-256 of the raw key."""
    return _key_id(_raw_public(public_text))


def _key_id(raw: bytes) -> str:
    # The one rule for a key's id: staff compare it by eye in `kiosk content status`.
    return sha256_hex(raw)[:16]


def sign(private: Ed25519PrivateKey, data: bytes) -> bytes:
    return private.sign(data)


def verify(public_texts: Iterable[str], data: bytes, signature: bytes) -> str | None:
    """The key id of the trusted key whose signature ``signature`` is, or None.

    Key texts that are not valid keys are skipped (they can verify nothing).
    """
    if len(signature) != _SIGNATURE_BYTES:
        return None
    for text in public_texts:
        try:
            raw = _raw_public(text)
            public = Ed25519PublicKey.from_public_bytes(raw)
        except (SigningError, ValueError):
            continue
        try:
            public.verify(signature, data)
        except InvalidSignature:
            continue
        return _key_id(raw)
    return None

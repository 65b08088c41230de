"""Checking a .kpack: its signature against the trusted keys, its manifest against its files.

A pack is checked in memory, before anything is written to disk: the archive's shape
(names, entry types, sizes and compression ratios, so a hostile or damaged zip cannot
escape the pack folder or fill the disk; kiosk/core/packs/zipdir.py), then the signature
against the trusted keys, then that the manifest lists exactly the files present, with
their digests, and that the archive's bytes match the digest the manifest signs.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.packs.format import MANIFEST, SIGNATURE, Limits, Manifest, PackError
from kiosk.core.packs.reader import PackReader
from kiosk.core.packs.signing import SigningError, key_id, verify

_MAX_SIGNATURE_BYTES = 1024


@dataclass(frozen=True)
class VerifiedPack:
    """A pack whose signature, manifest and every digest have been checked."""

    path: Path
    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    signer: str  # key id of the trusted key that verified the signature


def decode_signature(text: bytes, where: str) -> bytes:
    """manifest.sig as build_pack writes it: one line of base64, nothing else."""
    try:
        signature = base64.b64decode(text.removesuffix(b"\n"), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not signature or base64.b64encode(signature) + b"\n" != text:
        raise PackError(f"{where}: {SIGNATURE} is not a base64 signature")
    return signature


def check_signature(
    manifest_bytes: bytes, signature: bytes, trusted_keys: Iterable[str], where: str
) -> str:
    """The key id that signed the manifest; PackError if no trusted key did."""
    trusted = list(trusted_keys)
    signer = verify(trusted, manifest_bytes, signature)
    if signer is not None:
        return signer
    claimed = _claimed_signer(manifest_bytes)
    trusted_ids = set()
    for text in trusted:
        with contextlib.suppress(SigningError):
            trusted_ids.add(key_id(text))
    if claimed and claimed in trusted_ids:
        raise PackError(
            f"{where}: the signature does not match {MANIFEST}; "
            "the pack was changed or damaged after it was signed"
        )
    who = f"an unknown key {claimed}" if claimed else "an unknown key"
    raise UntrustedSignerError(
        f"{where}: signed by {who}; trust it with 'kiosk content trust KEYFILE'", claimed
    )


class UntrustedSignerError(PackError):
    """A pack signed by a key this kiosk does not trust; ``key_id``: the key it names
    ("" if it names none), for words to staff."""

    def __init__(self, message: str, key_id: str) -> None:
        super().__init__(message)
        self.key_id = key_id


def _claimed_signer(manifest_bytes: bytes) -> str:
    try:
        signer = json.loads(manifest_bytes.decode("utf-8")).get("signer")
    except (UnicodeDecodeError, ValueError, AttributeError):
        return ""
    return signer if isinstance(signer, str) and re.fullmatch(r"[0-9a-f]{16}", signer) else ""


def compare_files(manifest: Manifest, present: Iterable[str], where: str) -> None:
    """PackError unless ``present`` is exactly the manifest's files plus the manifest."""
    names = set(present) - {MANIFEST, SIGNATURE}
    for name in sorted(set(manifest.files) - names):
        raise PackError(f"{where}: entry '{name}' is listed in the manifest but missing")
    for name in sorted(names - set(manifest.files)):
        raise PackError(f"{where}: entry '{name}' is not listed in the manifest")


def verify_pack(
    path: Path, trusted_keys: Iterable[str], limits: Limits | None = None
) -> VerifiedPack:
    """Check a .kpack completely, in memory; raises PackError with a one-line reason."""
    with PackReader(path, limits) as reader:
        for required, what in ((MANIFEST, "manifest"), (SIGNATURE, "signature")):
            if required not in reader.entries:
                raise PackError(f"{path}: no {required} inside; the pack has no {what}")
        manifest_bytes = reader.read(MANIFEST)
        signature = decode_signature(reader.read(SIGNATURE, _MAX_SIGNATURE_BYTES), str(path))
        signer = check_signature(manifest_bytes, signature, trusted_keys, str(path))
        manifest = Manifest.from_bytes(manifest_bytes, str(path))
        compare_files(manifest, reader.entries, str(path))
        _check_archive(reader, manifest)
    return VerifiedPack(path, manifest, manifest_bytes, signature, signer)


def _check_archive(reader: PackReader, manifest: Manifest) -> None:
    """PackError unless every entry matches its digest and the signed bytes are where
    build_pack puts them, matching the manifest's archive digest."""
    path = reader.path
    for name, expected in sorted(manifest.files.items()):
        if reader.digest(name) != expected:
            raise PackError(
                f"{path}: entry '{name}' does not match its SHA-256 in the manifest "
                "(changed or damaged)"
            )
    tail = list(reader.entries)[-2:]
    stored = all(reader.entries[n].method == zipfile.ZIP_STORED for n in tail)
    if tail != [MANIFEST, SIGNATURE] or not stored:
        raise PackError(
            f"{path}: {MANIFEST} and {SIGNATURE} are not where 'kiosk content build' "
            "puts them (changed after signing?)"
        )
    if reader.prefix_digest(reader.entries[MANIFEST].header_offset) != manifest.archive_sha256:
        raise PackError(
            f"{path}: the archive does not match the digest in its manifest "
            "(changed or damaged after signing)"
        )


def peek_manifest(path: Path, limits: Limits | None = None) -> Manifest:
    """The manifest of a pack, NOT verified: only for choosing among packs."""
    return peek_signed_manifest(path, (), limits)[0]


def peek_signed_manifest(
    path: Path, trusted_keys: Iterable[str], limits: Limits | None = None
) -> tuple[Manifest, bool]:
    """The manifest of a pack, and whether a trusted key signed it. Its files are NOT
    checked: only for choosing among packs (the install verifies everything)."""
    with PackReader(path, limits) as reader:
        if MANIFEST not in reader.entries:
            raise PackError(f"{path}: no {MANIFEST} inside; the pack has no manifest")
        manifest_bytes = reader.read(MANIFEST)
        manifest = Manifest.from_bytes(manifest_bytes, str(path))
        keys = list(trusted_keys)
        if not keys or SIGNATURE not in reader.entries:
            return manifest, False
        try:
            signature = decode_signature(reader.read(SIGNATURE), str(path))
            check_signature(manifest_bytes, signature, keys, str(path))
        except PackError:
            return manifest, False
        return manifest, True

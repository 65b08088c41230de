"""Checks of an installed pack folder against its signed manifest, at run time.

Installing verified every byte; these check again what may have changed since (a
damaged disk, a hand edit): the whole folder (verify_installed, in the background), or
one file as the kiosk reads it (read_checked).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from kiosk.core.digest import sha256_hex
from kiosk.core.files import read_regular, sha256_file
from kiosk.core.packs.format import MANIFEST, SIGNATURE, Manifest, PackError
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.verify import check_signature, compare_files, decode_signature


def verify_installed(path: Path, trusted_keys: Sequence[str] | None = None) -> Manifest:
    """Check an unpacked pack folder: every digest, and no file missing or extra.

    With ``trusted_keys`` the manifest's signature is checked too. Raises StoreError
    (one line, naming the folder) if anything differs, so a damaged pack is never shown.
    """
    manifest = read_manifest(path, trusted_keys, check_entries=True)
    where = str(path)
    try:
        present = _files_below(path)
        compare_files(manifest, present, where)
        for name, expected in sorted(manifest.files.items()):
            check_file(path, name, expected)
    except PackError as err:
        raise StoreError(f"installed pack is damaged: {err}") from None
    except OSError as err:
        raise StoreError(
            f"installed pack {path} is damaged: {err.filename}: {err.strerror}"
        ) from None
    return manifest


def read_manifest(
    path: Path, trusted_keys: Sequence[str] | None = None, *, check_entries: bool = False
) -> Manifest:
    """An installed pack's manifest, its signature checked when ``trusted_keys`` is given.

    This alone does not read the pack's files: see verify_installed and check_file.
    Its entries were checked at install; ``check_entries`` checks them again.
    """
    where = str(path)
    try:
        manifest_bytes = read_regular(path / MANIFEST)  # a named pipe would block for ever
        signature_text = read_regular(path / SIGNATURE)
    except OSError as err:
        raise StoreError(
            f"installed pack {path} is damaged: cannot read {Path(err.filename or '').name} "
            f"({err.strerror})"
        ) from None
    try:
        if trusted_keys is not None:
            signature = decode_signature(signature_text, where)
            check_signature(manifest_bytes, signature, trusted_keys, where)
        return Manifest.from_bytes(manifest_bytes, where, check_entries=check_entries)
    except PackError as err:
        raise StoreError(f"installed pack is damaged: {err}") from None


def check_file(path: Path, name: str, expected: str | None) -> None:
    """Raise PackError unless file ``name`` of the pack in ``path`` has SHA-256 ``expected``."""
    if expected is None or sha256_file(path / name) != expected:
        raise _mismatch(path, name)


def read_checked(path: Path, name: str, expected: str | None) -> bytes:
    """The bytes of file ``name`` of the pack in ``path``, once they match ``expected``.

    Use these bytes, not the file again: it could change after the check."""
    data = read_regular(path / name)
    if expected is None or sha256_hex(data) != expected:
        raise _mismatch(path, name)
    return data


def _mismatch(path: Path, name: str) -> PackError:
    return PackError(
        f"{path}: '{name}' does not match its SHA-256 in the manifest (changed or damaged)"
    )


def _files_below(path: Path) -> list[str]:
    """Relative names of everything below ``path``; anything not a plain file is named too."""
    names: list[str] = []
    for folder, dirs, files in os.walk(path):
        base = Path(folder)
        for name in [*dirs, *files]:
            full = base / name
            rel = full.relative_to(path).as_posix()
            if full.is_symlink() or not (full.is_dir() or full.is_file()):
                raise PackError(f"{path}: '{rel}' is a link or a special file")
            if full.is_file():
                names.append(rel)
    return names
